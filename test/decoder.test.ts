// The decoder on real captures taken here: `ip link show` on the host (read-only) and
// `ip addr add` inside a namespace made for the test.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { AttrSet } from '../src/core/index.js';
import { decodeHex, decodeStrace } from '../src/tools/decoder.js';
import { formatJSON, formatText } from '../src/tools/format.js';
import { loadProtocols } from '../src/tools/protocols.js';
import { traceLog } from '../src/tools/cmd-decode.js';

const cli = fileURLToPath(new URL('../src/tools/cli.js', import.meta.url));
const ns = `nlr-dec-${process.pid}`;

describe('decoder on real captures', () => {
  before(async () => {
    await loadProtocols();
    execFileSync('ip', ['netns', 'add', ns]);
  });
  after(() => execFileSync('ip', ['netns', 'del', ns]));

  it('decodes the whole session of `ip link show`', () => {
    const { log, status } = traceLog(['ip', 'link', 'show', 'lo']);
    assert.equal(status, 0);
    const items = decodeStrace(log);
    const sent = items.filter((d) => d.transfer?.direction === 'send').flatMap((d) => d.messages);
    const got = items.filter((d) => d.transfer?.direction === 'recv').flatMap((d) => d.messages);
    assert.ok(
      sent.some((m) => m.schema.name === 'rtnl.ifinfmsg' && m.type === 18),
      'an RTM_GETLINK request',
    );
    const lo = got.find((m) => m.schema.name === 'rtnl.ifinfmsg' && m.getAttr('IFLA_IFNAME') === 'lo');
    assert.ok(lo, 'the RTM_NEWLINK answer for lo');
    assert.equal(lo.getAttr('IFLA_MTU'), 65536);
    assert.ok(lo.getAttr('IFLA_STATS64')!.rx_packets >= 0n);
    for (const m of got) m.validate();
    const text = formatText(items);
    assert.match(text, />>> sendmsg .* NETLINK_ROUTE/);
    assert.match(text, /rtnl\.ifinfmsg RTM_NEWLINK/);
    assert.match(text, /IFLA_IFNAME: lo/);
    const json = JSON.parse(JSON.stringify(formatJSON(items), (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
    assert.ok(
      json.some((d: any) => d.direction === 'recv' && d.messages.some((m: any) => m.header.type === 'RTM_NEWLINK')),
    );
  });

  it('decodes `ip addr add` in a namespace: the request and its ACK', () => {
    const { log, status } = traceLog(['ip', 'netns', 'exec', ns, 'ip', 'addr', 'add', '10.9.8.7/24', 'dev', 'lo']);
    assert.equal(status, 0);
    const items = decodeStrace(log);
    const req = items.flatMap((d) => d.messages).find((m) => m.schema.name === 'rtnl.ifaddrmsg' && m.type === 20);
    assert.ok(req, 'an RTM_NEWADDR request');
    assert.equal(req.getAttr('IFA_LOCAL'), '10.9.8.7');
    assert.equal(req.fields.prefixlen, 24);
    const ack = items.flatMap((d) => d.messages).find((m) => m.type === 2 && m.seq === req.seq);
    assert.ok(ack, 'its ACK');
    assert.equal(ack.fields.error, 0);
  });

  it("decodes strings in the seed's form and plain hex with a named class", () => {
    const { log } = traceLog(['ip', 'link', 'show', 'lo']);
    const buf = decodeStrace(log).find(
      (d) => d.transfer?.direction === 'recv' && d.messages.some((m) => m.type === 16),
    )!.buffer;
    const seedForm = `"${[...buf].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('')}"`;
    const [fromString] = decodeHex(seedForm, 'rtnl.ifinfmsg');
    assert.equal(fromString.messages[0].getAttr('IFLA_IFNAME'), 'lo');
    const [fromHex] = decodeHex(buf.toString('hex').replace(/(.{8})/g, '$1 '), 'rtnl.ifinfmsg');
    assert.deepEqual(fromHex.buffer, buf);
    const linkinfo = fromHex.messages[0].getAttr('IFLA_AF_SPEC');
    assert.ok(linkinfo === undefined || linkinfo instanceof AttrSet || typeof linkinfo === 'object');
  });

  it('reports malformed input with the offset, not a crash', () => {
    const [d] = decodeHex('20000000 10000000 00000000 00000000 0000', 'rtnl.ifinfmsg');
    assert.equal(d.messages.length, 0);
    assert.match(d.error!.message, /runs past the buffer/);
    assert.equal(d.error!.offset, 0);
  });

  it('runs as `nlroute decode` and `nlroute trace`', () => {
    const list = execFileSync('node', [cli, 'decode', '--list'], { encoding: 'utf8' });
    for (const c of ['rtnl.ifinfmsg', 'rtnl.ifaddrmsg', 'rtnl.rtmsg']) assert.ok(list.includes(c), c);
    const out = execFileSync('node', [cli, 'trace', '--json', '--', 'ip', 'link', 'show', 'lo'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const start = out.indexOf('\n[');
    const json = JSON.parse(out.slice(start + 1));
    assert.ok(
      json.some((d: any) =>
        d.messages.some((m: any) => m.attrs.some(([k, v]: [string, unknown]) => k === 'IFLA_IFNAME' && v === 'lo')),
      ),
    );
  });
});
