// The decoder on sample files in the conventions found in the wild (test/fixtures/samples,
// bytes taken from the nlmon capture): metadata and code blocks, comments with quotes, blank
// lines inside a message, the unquoted and quoted strace forms, protocol-level targets.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import { StreamDecoder, decodeHex, type DecodedBuffer } from '../src/tools/decoder.js';
import { formatText } from '../src/tools/format.js';
import { loadProtocols } from '../src/tools/protocols.js';

const cli = fileURLToPath(new URL('../src/tools/cli.js', import.meta.url));
const dir = new URL('../../test/fixtures/samples/', import.meta.url);
const sample = (name: string) => readFileSync(new URL(name, dir), 'utf8');
const path = (name: string) => fileURLToPath(new URL(name, dir));
const all = (items: DecodedBuffer[]) => items.flatMap((d) => d.messages);

describe('sample-file conventions', () => {
  before(() => loadProtocols());

  it('a #: metadata block, a blank line inside a message, comments with quotes, a #! code block', () => {
    const items = decodeHex(sample('ipset-create.data'), 'ipset.ipset_msg');
    assert.deepEqual(items.find((d) => d.meta)?.meta, {
      source: 'nlmon capture in the VM, packet 54',
      command: 'ipset create nlcap hash:ip',
      kernel: '6.1',
    });
    const msgs = all(items);
    assert.equal(msgs.length, 1, 'one CREATE message, not split at the blank line');
    assert.equal(msgs[0]!.length, 72);
    assert.equal(msgs[0]!.getAttr('IPSET_ATTR_SETNAME'), 'nlcap');
    assert.equal(msgs[0]!.getAttr('IPSET_ATTR_TYPENAME'), 'hash:ip');
    assert.ok(
      items.every((d) => !d.error && !d.notes?.some((n) => n.startsWith('!!'))),
      formatText(items),
    );
    assert.ok(items.some((d) => d.notes?.some((n) => /code block of 2 lines/.test(n))));
  });

  it('unquoted strace hex lines, `;` comments and the `.` end of data', () => {
    const msgs = all(decodeHex(sample('rtnl-mixed.data'), 'rtnl'));
    assert.deepEqual(
      msgs.map((m) => m.schema.name),
      ['rtnl.ifinfmsg', 'rtnl.ifaddrmsg', 'rtnl.rtgenmsg'],
    );
  });

  it('quoted strings: text outside the quotes is not data', () => {
    const msgs = all(decodeHex(sample('rtnl-mixed.strace'), 'rtnl'));
    assert.deepEqual(
      msgs.map((m) => m.schema.name),
      ['rtnl.ifinfmsg', 'rtnl.ifaddrmsg', 'rtnl.rtgenmsg'],
    );
    assert.equal(msgs[1]!.getAttr('IFA_LOCAL'), '10.9.0.1');
  });

  it('a # comment holding a quote does not switch plain hex to quoted-string mode', () => {
    const text = '# the "link" request\n20000000 10000500 00000000 00000000\n00000000 00000000 00000000 00000000\n';
    const msgs = all(decodeHex(text, 'rtnl'));
    assert.equal(msgs.length, 1);
    assert.equal(msgs[0]!.schema.name, 'rtnl.ifinfmsg');
  });

  it('a message split over many lines and blank lines is joined; a blank line between messages separates', () => {
    const link = '20000000 10000500 00000000 00000000 00000000 00000000 00000000 00000000';
    const text = `${link.slice(0, 20)}\n\n\n${link.slice(20)}\n\n${link}\n`;
    const items = decodeHex(text, 'rtnl');
    assert.deepEqual(
      items.map((d) => d.messages.length),
      [1, 1],
    );
  });
});

describe('protocol-level targets and the named class', () => {
  before(() => loadProtocols());

  it('`rtnl` picks the class per message type; a named class reports the others, shown raw', () => {
    const items = decodeHex(sample('rtnl-mixed.data'), 'rtnl.ifinfmsg');
    const msgs = all(items);
    assert.deepEqual(
      msgs.map((m) => m.schema.name),
      ['rtnl.ifinfmsg', 'core.raw', 'core.raw'],
    );
    const reasons = items.flatMap((d) => Object.values(d.mismatches ?? {}));
    assert.deepEqual(reasons, [
      'RTM_NEWADDR (type 20) is a rtnl.ifaddrmsg message, not rtnl.ifinfmsg',
      'RTM_GETLINK (type 18) is a rtnl.rtgenmsg message, not rtnl.ifinfmsg',
    ]);
    assert.doesNotMatch(formatText(items), /IFLA_/, 'no attribute decoded with the wrong schema');
  });

  it('`genl` with --family resolves a family id; without it the message stays a bare genl message', () => {
    const [m] = all(decodeHex(sample('ipvs-new-service.data'), 'genl', { families: { IPVS: 34 } }));
    assert.equal(m!.schema.name, 'ipvs.ipvs_msg');
    const svc = m!.getAttr('IPVS_CMD_ATTR_SERVICE')!;
    const got = ['IPVS_SVC_ATTR_ADDR', 'IPVS_SVC_ATTR_PORT', 'IPVS_SVC_ATTR_SCHED_NAME'].map((k) =>
      svc.getAttr(k as never),
    );
    assert.deepEqual(got, ['10.9.0.1', 80, 'rr']);
    const [bare] = all(decodeHex(sample('ipvs-new-service.data'), 'genl'));
    assert.equal(bare!.schema.name, 'genl.genlmsg');
  });

  it('generic netlink GET/NEW request flags are named by the command', () => {
    const dump = '14000000 22000503 00000000 00000000 04010000'; // IPVS GET_SERVICE, REQUEST|ACK|DUMP
    const text = formatText(decodeHex(dump, 'genl', { families: { IPVS: 0x22 } }));
    assert.match(text, /IPVS_CMD_GET_SERVICE|flags=NLM_F_REQUEST\|NLM_F_ACK\|NLM_F_DUMP/);
    assert.match(text, /flags=NLM_F_REQUEST\|NLM_F_ACK\|NLM_F_DUMP /);
    const ctrl = formatText(decodeHex('14000000 10000503 00000000 00000000 03010000', 'genl'));
    assert.match(ctrl, /CTRL_CMD_GETFAMILY/);
    assert.match(ctrl, /flags=NLM_F_REQUEST\|NLM_F_ACK\|NLM_F_DUMP /);
  });
});

describe('streaming, summary and exit status', () => {
  before(() => loadProtocols());

  it('decoded buffers come out while the input is still being read (after the mode-sniffing window)', () => {
    const msg = '20000000 10000500 00000000 00000000 00000000 00000000 00000000 00000000\n\n';
    let seen = 0;
    const dec = new StreamDecoder({ target: 'rtnl' }, (d) => {
      seen += d.messages.length;
    });
    for (let i = 0; i < 5000; i++) dec.write(msg);
    assert.ok(seen >= 4999, `${seen} messages out before the end`);
    dec.endText();
    assert.equal(dec.summary.messages, 5000);
  });

  it('bad input: exit status 1, the rest still decoded, a summary at the end', () => {
    const bad =
      '20000000 10000500 00000000 00000000 00000000 00000000 00000000 00000000\n\n' +
      '0c000000 10000500 00000000 00000000\n\nzz\n';
    const r = spawnSync('node', [cli, 'decode', 'rtnl', '-'], { input: bad, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /rtnl\.ifinfmsg RTM_NEWLINK/);
    assert.match(r.stdout, /!! nlmsg_len 12 under the header size/);
    assert.match(r.stdout, /!! not a hex digit: "z" \(line 5, column 1\)/);
    assert.match(r.stdout, /# 1 messages decoded, 16 bytes skipped, 2 errors\n$/);
  });

  it('good input exits 0; --json ends with the summary', () => {
    const out = execFileSync('node', [cli, 'decode', 'rtnl', path('rtnl-mixed.data'), '--json'], { encoding: 'utf8' });
    const j = JSON.parse(out);
    assert.equal(j.buffers.flatMap((b: any) => b.messages).length, 3);
    assert.deepEqual(j.summary, { messages: 3, bytesSkipped: 0, errors: 0, filtered: 0, mismatched: 0, packets: 0 });
  });

  it('--strace ends with the summary too', () => {
    const log = fileURLToPath(new URL('../../test/fixtures/strace/ipset-list-netns.log', import.meta.url));
    const out = execFileSync('node', [cli, 'decode', '--strace', log], { encoding: 'utf8' });
    assert.match(out, /# 5 messages decoded, 0 bytes skipped, 0 errors\n$/);
  });

  it('usage errors exit 2 with a reason', () => {
    const r = spawnSync('node', [cli, 'decode', 'rtnl', '--family', 'nl80211'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--family wants NAME=ID/);
    const u = spawnSync('node', [cli, 'decode', 'rtnl.nosuch', path('rtnl-mixed.data')], { encoding: 'utf8' });
    assert.equal(u.status, 2);
    assert.match(u.stderr, /unknown message class "rtnl.nosuch"/);
  });
});
