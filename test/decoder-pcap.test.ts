// The decoder on a real nlmon capture (test/fixtures/pcap/nlmon.pcap, made in the VM by
// test/fixtures/pcap/make-capture.sh): every message of every packet, each packet's protocol
// from its cooked header, genl families learned from the capture, filters, pcapng.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  ByteSource,
  CaptureError,
  StreamDecoder,
  netlinkPayload,
  readCapture,
  type DecodedBuffer,
} from '../src/tools/decoder.js';
import { parseFilter } from '../src/tools/filter.js';
import { loadProtocols } from '../src/tools/protocols.js';
import { netlinkProtocolName } from '../src/tools/straceparse.js';

const cli = fileURLToPath(new URL('../src/tools/cli.js', import.meta.url));
const pcapPath = fileURLToPath(new URL('../../test/fixtures/pcap/nlmon.pcap', import.meta.url));

interface CaptureOpts {
  filters?: string[];
  families?: Record<string, number>;
}

function decodeCapture(file: string, target = 'auto', opts: CaptureOpts = {}) {
  const items: DecodedBuffer[] = [];
  const filters = (opts.filters ?? []).map(parseFilter);
  const dec = new StreamDecoder({ target, families: opts.families, filters }, (d) => items.push(d));
  for (const p of readCapture(new ByteSource(openSync(file, 'r')))) {
    const nl = netlinkPayload(p);
    if ('error' in nl) dec.packetError(p.index, nl.error);
    else {
      const protocolName = netlinkProtocolName(nl.protocol);
      dec.packetData({ index: p.index, protocol: nl.protocol, protocolName, truncated: p.truncated }, nl.messages);
    }
  }
  return { items, summary: dec.summary, msgs: items.flatMap((d) => d.messages) };
}

/** The same packets written as pcapng (SHB, IDB with link type NETLINK, one EPB each). */
function toPcapng(pcap: string): Buffer {
  const block = (type: number, body: Buffer) => {
    const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
    const b = Buffer.alloc(12 + padded.length);
    b.writeUInt32LE(type, 0);
    b.writeUInt32LE(b.length, 4);
    padded.copy(b, 8);
    b.writeUInt32LE(b.length, b.length - 4);
    return b;
  };
  const shb = Buffer.alloc(16);
  shb.writeUInt32LE(0x1a2b3c4d, 0);
  shb.writeUInt16LE(1, 4);
  shb.writeBigInt64LE(-1n, 8);
  const idb = Buffer.alloc(8);
  idb.writeUInt16LE(253, 0);
  idb.writeUInt32LE(262144, 4);
  const out = [block(0x0a0d0d0a, shb), block(1, idb)];
  for (const p of readCapture(new ByteSource(openSync(pcap, 'r')))) {
    const head = Buffer.alloc(20);
    const us = BigInt(Math.round(p.time * 1e6));
    head.writeUInt32LE(Number(us >> 32n), 4);
    head.writeUInt32LE(Number(us & 0xffffffffn), 8);
    head.writeUInt32LE(p.data.length, 12);
    head.writeUInt32LE(p.data.length, 16);
    out.push(block(6, Buffer.concat([head, p.data])));
  }
  return Buffer.concat(out);
}

describe('nlmon captures', () => {
  let tmp: string;
  before(async () => {
    await loadProtocols();
    tmp = mkdtempSync(join(tmpdir(), 'nlr-pcap-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('decodes every message of every packet, with no error', () => {
    const { summary, msgs, items } = decodeCapture(pcapPath);
    assert.equal(summary.packets, 139);
    assert.equal(summary.errors, 0, JSON.stringify(items.filter((d) => d.error || d.notes)));
    assert.equal(summary.bytesSkipped, 0);
    assert.equal(msgs.length, 155, 'dump packets hold several messages');
    const protocols = new Set(items.map((d) => d.packet?.protocolName));
    assert.deepEqual([...protocols].sort(), ['NETLINK_GENERIC', 'NETLINK_NETFILTER', 'NETLINK_ROUTE']);
    assert.ok(!msgs.some((m) => m.schema.name === 'core.raw'), 'every message has its class');
  });

  it("rtnetlink: the link, the address, busybox's legacy rtgenmsg dumps, netem options", () => {
    const { msgs } = decodeCapture(pcapPath);
    const link = msgs.find((m) => m.schema.name === 'rtnl.ifinfmsg' && m.getAttr('IFLA_IFNAME') === 'nlcap0');
    assert.ok(link);
    const addr = msgs.find((m) => m.schema.name === 'rtnl.ifaddrmsg' && m.getAttr('IFA_LOCAL') === '10.9.0.1');
    assert.ok(addr);
    const legacy = msgs.filter((m) => m.schema.name === 'rtnl.rtgenmsg');
    // busybox ip link show; busybox ip addr show (links, then addresses), each a 4-byte rtgenmsg
    assert.deepEqual(
      legacy.map((m) => [m.type, m.length]),
      [
        [18, 20],
        [18, 20],
        [22, 20],
      ],
    );
    const netem = msgs
      .filter((m) => m.schema.name === 'rtnl.tcmsg' && m.getAttr('TCA_KIND') === 'netem')
      .map((m) => m.getAttr('TCA_OPTIONS') as { qopt: Record<string, number>; attrs: any });
    assert.ok(netem.length >= 2, "tc qdisc add, and the kernel's answer to tc qdisc show");
    assert.ok(netem.every((o) => o.qopt.limit === 500 && o.qopt.loss === Math.round(0xffffffff / 100)));
    const opts = netem.find((o) => o.attrs.has('TCA_NETEM_LATENCY64'))!;
    assert.equal(BigInt(opts.attrs.getAttr('TCA_NETEM_LATENCY64')), 10_000_000n, 'delay 10ms in ns');
    assert.equal(BigInt(opts.attrs.getAttr('TCA_NETEM_JITTER64')), 2_000_000n, 'jitter 2ms in ns');
  });

  it('ipset over nfnetlink, IPVS and nl80211 over generic netlink (family ids learned from the capture)', () => {
    const { msgs } = decodeCapture(pcapPath);
    const create = msgs.find((m) => m.schema.name === 'ipset.ipset_msg' && m.getAttr('IPSET_ATTR_SETNAME') === 'nlcap');
    assert.ok(create);
    const ipvs = (cmd: number) => msgs.find((m) => m.schema.name === 'ipvs.ipvs_msg' && m.fields.cmd === cmd)!;
    const svc = ipvs(1).getAttr('IPVS_CMD_ATTR_SERVICE')!;
    const got = ['IPVS_SVC_ATTR_ADDR', 'IPVS_SVC_ATTR_PORT', 'IPVS_SVC_ATTR_SCHED_NAME'].map((k) =>
      svc.getAttr(k as never),
    );
    assert.deepEqual(got, ['10.9.0.1', 80, 'rr']);
    const dest = ipvs(5).getAttr('IPVS_CMD_ATTR_DEST')!;
    assert.equal(dest.getAttr('IPVS_DEST_ATTR_ADDR'), '10.9.0.2');
    const ifaces = msgs.filter((m) => m.schema.name === 'nl80211.nl80211cmd' && m.has('NL80211_ATTR_IFNAME'));
    assert.deepEqual(ifaces.map((m) => m.getAttr('NL80211_ATTR_IFNAME')).sort(), ['wlan0', 'wlan1']);
  });

  it('filters: by protocol and type, by genl family and command', () => {
    const qd = decodeCapture(pcapPath, 'auto', { filters: ['protocol=rtnl,type=RTM_NEWQDISC'] });
    assert.ok(qd.msgs.length > 0 && qd.msgs.every((m) => m.type === 36));
    const ipvs = decodeCapture(pcapPath, 'auto', { filters: ['family=IPVS,cmd=IPVS_CMD_NEW_DEST'] });
    // ipvsadm -a (the request) and ipvsadm -L (the kernel's dump answer uses NEW_DEST too)
    assert.deepEqual(
      ipvs.msgs.map((m) => [m.schema.name, m.flags & 1]),
      [
        ['ipvs.ipvs_msg', 1],
        ['ipvs.ipvs_msg', 0],
      ],
    );
    assert.equal(ipvs.summary.filtered, 155 - 2);
    const filters = ['family=IPVS,cmd=IPVS_CMD_NEW_DEST', 'class=rtnl.rtgenmsg'];
    const either = decodeCapture(pcapPath, 'auto', { filters });
    assert.equal(either.msgs.length, 5);
    const nfnl = decodeCapture(pcapPath, 'nfnl');
    assert.ok(nfnl.msgs.length > 0 && nfnl.items.every((d) => d.packet?.protocol === 12));
  });

  it('pcapng holds the same packets', () => {
    const file = join(tmp, 'nlmon.pcapng');
    writeFileSync(file, toPcapng(pcapPath));
    const a = decodeCapture(pcapPath),
      b = decodeCapture(file);
    assert.equal(b.summary.errors, 0);
    assert.deepEqual(
      b.msgs.map((m) => m.buf.toString('hex')),
      a.msgs.map((m) => m.buf.toString('hex')),
    );
  });

  it('a truncated or corrupt capture is a typed error, and the CLI exits 1 after the packets before it', () => {
    const bytes = readFileSync(pcapPath);
    const cut = join(tmp, 'cut.pcap');
    writeFileSync(cut, bytes.subarray(0, 1000));
    assert.throws(
      () => [...readCapture(new ByteSource(openSync(cut, 'r')))],
      (e: Error) => e instanceof CaptureError && /cut short/.test(e.message),
    );
    const r = spawnSync('node', [cli, 'decode', cut], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /--- packet 1 NETLINK_ROUTE/);
    assert.match(r.stdout, /!! packet \d+ is cut short/);
    assert.match(r.stdout, /# \d+ messages decoded, 0 bytes skipped, 1 errors/);
  });

  it('runs as `nlroute decode FILE.pcap` with -m, exit 0, a summary', () => {
    const args = ['decode', pcapPath, '-m', 'family=IPVS,cmd=IPVS_CMD_NEW_SERVICE'];
    const out = execFileSync('node', [cli, ...args], { encoding: 'utf8' });
    assert.match(out, /ipvs\.ipvs_msg 34 flags=NLM_F_REQUEST\|NLM_F_ACK /);
    assert.match(out, /IPVS_SVC_ATTR_SCHED_NAME: rr/);
    assert.match(out, /# 2 messages decoded, 0 bytes skipped, 0 errors \(139 packets, 153 filtered out\)\n$/);
  });
});
