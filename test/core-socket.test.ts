// The request engine: on replayed kernel answers (no kernel needed) and on the real kernel
// inside a namespace made for the test.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import {
  DumpInterruptedError,
  Marshal,
  NLMSG_DONE,
  NLM_F_DUMP,
  NLM_F_DUMP_INTR,
  NLM_F_MULTI,
  NetlinkError,
  NetlinkSocket,
  Overrun,
  ReplayTransport,
  SocketClosedError,
} from '../src/core/index.js';
import { ack, done } from './helpers/acks.js';
import { FakeKernel } from './helpers/fake-kernel.js';
import { RTM_GETLINK, RTM_NEWLINK, link } from './helpers/test-link.js';

const marshal = (): Marshal => new Marshal({ [RTM_NEWLINK]: link });

function linkMsg(seq: number, index: number, name: string, flags = NLM_F_MULTI): Buffer {
  return link.encode({ type: RTM_NEWLINK, flags, seq, fields: { index }, attrs: { IFLA_IFNAME: name } });
}

describe('request engine on replayed answers', () => {
  it('collects a multipart dump across datagrams until DONE', async () => {
    const t = new ReplayTransport([
      [Buffer.concat([linkMsg(1, 1, 'lo'), linkMsg(1, 2, 'eth0')]), Buffer.concat([linkMsg(1, 3, 'eth1'), done(1)])],
    ]);
    const sock = new NetlinkSocket({ transport: t, marshal: marshal() });
    const links = await sock.request(link, { type: RTM_GETLINK, flags: NLM_F_DUMP });
    assert.deepEqual(
      links.map((l) => l.getAttr('IFLA_IFNAME')!),
      ['lo', 'eth0', 'eth1'],
    );
    assert.equal(t.sent.length, 1);
    assert.equal(t.sent[0].readUInt16LE(6) & NLM_F_DUMP, NLM_F_DUMP);
    sock.close();
  });

  it('reads a dump as bytes: every answer where it lies, the end, an interruption, a failing reader', async () => {
    const names = (bufs: [Buffer, number][]): string[] =>
      bufs.map(([b, o]) => link.decode(b, o).getAttr('IFLA_IFNAME')!);
    const intr = linkMsg(2, 1, 'lo', NLM_F_MULTI | NLM_F_DUMP_INTR);
    const t = new ReplayTransport([
      [Buffer.concat([linkMsg(1, 1, 'lo'), linkMsg(1, 2, 'eth0')]), Buffer.concat([linkMsg(1, 3, 'eth1'), done(1)])],
      [intr, done(2)],
      [linkMsg(3, 1, 'lo'), done(3)],
      [ack(4, 1, 'not allowed')],
    ]);
    const sock = new NetlinkSocket({ transport: t, marshal: marshal() });
    const seen: [Buffer, number][] = [];
    await sock.dumpBytes(link, { type: RTM_GETLINK }, (b, o) => seen.push([b, o]));
    assert.deepEqual(names(seen), ['lo', 'eth0', 'eth1']);
    await assert.rejects(
      sock.dumpBytes(link, { type: RTM_GETLINK }, () => {}),
      DumpInterruptedError,
    );
    await assert.rejects(
      sock.dumpBytes(link, { type: RTM_GETLINK }, () => {
        throw new RangeError('reader failed');
      }),
      RangeError,
    );
    await assert.rejects(
      sock.dumpBytes(link, { type: RTM_GETLINK }, () => {}),
      NetlinkError,
    );
    sock.close();
  });

  it('turns an error with extended ACK into NetlinkError', async () => {
    const sock = new NetlinkSocket({
      transport: new ReplayTransport([[ack(1, 17, 'Address already assigned')]]),
      marshal: marshal(),
    });
    await assert.rejects(sock.request(link, { type: RTM_NEWLINK }), (e: unknown) => {
      assert.ok(e instanceof NetlinkError);
      assert.equal(e.errno, 17);
      assert.equal(e.code, 'EEXIST');
      assert.equal(e.extack.message, 'Address already assigned');
      assert.match(e.message, /File exists \(EEXIST\): Address already assigned/);
      return true;
    });
    sock.close();
  });

  it('resolves an ACK, and a reply followed by its ACK', async () => {
    const t = new ReplayTransport([[ack(0)], [linkMsg(0, 4, 'x', 0), ack(0)]]);
    const sock = new NetlinkSocket({ transport: t, marshal: marshal() });
    assert.deepEqual(await sock.request(link, { type: RTM_NEWLINK }), []);
    const r = await sock.request(link, { type: RTM_GETLINK, fields: { index: 4 } });
    assert.equal(r.length, 1);
    assert.equal(r[0].fields.index, 4);
    sock.close();
  });

  it('reports an interrupted dump with its partial result, or retries', async () => {
    const intr = linkMsg(1, 1, 'lo', NLM_F_MULTI | NLM_F_DUMP_INTR);
    const t = new ReplayTransport([
      [intr, done(1)],
      [intr, done(1)],
      [linkMsg(1, 1, 'lo'), done(1)],
    ]);
    const sock = new NetlinkSocket({ transport: t, marshal: marshal() });
    await assert.rejects(sock.request(link, { type: RTM_GETLINK, flags: NLM_F_DUMP }), (e: unknown) => {
      assert.ok(e instanceof DumpInterruptedError);
      assert.equal(e.partial.length, 1);
      return true;
    });
    const ok = await sock.request(link, { type: RTM_GETLINK, flags: NLM_F_DUMP }, { retryInterrupted: 3 });
    assert.equal(ok.length, 1);
    assert.equal(t.sent.length, 3);
    sock.close();
  });

  it('batches requests in one datagram and reports failures by index', async () => {
    // 'errors' mode: only failures and each chunk's last message are answered.
    const t = new ReplayTransport([[], [ack(0, 17, 'exists')], [], [ack(0)]]);
    const sock = new NetlinkSocket({ transport: t, marshal: marshal() });
    const items = [0, 1, 2, 3].map((i) => ({
      schema: link,
      spec: { type: RTM_NEWLINK, attrs: { IFLA_IFNAME: `v${i}` } },
    }));
    const res = await sock.batch(items);
    assert.equal(t.sent.length, 1, 'one datagram');
    assert.deepEqual(
      res.map((r) => r.ok),
      [true, false, true, true],
    );
    const bad = res[1];
    assert.ok(!bad.ok && bad.error.index === 1 && bad.error.code === 'EEXIST');
    sock.close();
  });

  it('fails pending requests on close', async () => {
    const sock = new NetlinkSocket({ transport: new FakeKernel(), marshal: marshal() });
    const p = sock.request(link, { type: RTM_GETLINK, flags: NLM_F_DUMP });
    sock.close();
    await assert.rejects(p, SocketClosedError);
    assert.throws(() => sock.put(link, { type: RTM_GETLINK }), SocketClosedError);
  });
});

describe('several requests in flight', () => {
  it('matches interleaved answers by sequence number, multicast goes to subscribers', async () => {
    const t = new FakeKernel();
    const sock = new NetlinkSocket({ transport: t, marshal: marshal() });
    const sub = sock.subscribe([1]);
    const a = sock.request(link, { type: RTM_GETLINK, flags: NLM_F_DUMP });
    const b = sock.request(link, { type: RTM_GETLINK, fields: { index: 20 } });
    const c = sock.request(link, { type: RTM_GETLINK, flags: NLM_F_DUMP });
    assert.equal(t.sent.length, 2, 'the second dump waits for the first');
    const [sa, sb] = t.sent.map((x) => x.readUInt32LE(8));
    t.deliver(linkMsg(sb, 20, 'b1', 0));
    t.deliver(linkMsg(sa, 10, 'a1'));
    t.deliver(linkMsg(0, 99, 'event', 0), { groups: 1 });
    t.deliver(Buffer.concat([linkMsg(sa, 11, 'a2'), ack(sb)]));
    t.deliver(done(sa));
    assert.deepEqual(
      (await a).map((m) => m.fields.index),
      [10, 11],
    );
    assert.deepEqual(
      (await b).map((m) => m.fields.index),
      [20],
    );
    assert.equal(t.sent.length, 3, 'then it is sent');
    const sc = t.sent[2].readUInt32LE(8);
    t.deliver(Buffer.concat([linkMsg(sc, 30, 'c'), done(sc)]));
    assert.deepEqual(
      (await c).map((m) => m.fields.index),
      [30],
    );
    const ev = await sub.next();
    assert.ok(!ev.done && !(ev.value instanceof Overrun) && ev.value.fields.index === 99);
    sub.close();
    sock.close();
  });

  it('reports an overrun to subscribers and keeps working', async () => {
    const t = new ReplayTransport([]);
    const sock = new NetlinkSocket({ transport: t, marshal: marshal() });
    const sub = sock.subscribe([1]);
    t.injectError('ENOBUFS');
    t.inject(linkMsg(0, 5, 'after'));
    const first = await sub.next();
    assert.ok(first.value instanceof Overrun);
    const second = await sub.next();
    assert.ok(!(second.value instanceof Overrun) && second.value!.fields.index === 5);
    assert.equal(sub.overruns, 1);
    sub.close();
    assert.deepEqual(await sub.next(), { value: undefined, done: true });
    sock.close();
  });
});

// ---- the real kernel ---------------------------------------------------------------------

const ns = `nlr-core-${process.pid}`;
const inNs = (cmd: string): string => execFileSync('ip', ['netns', 'exec', ns, 'sh', '-c', cmd], { encoding: 'utf8' });

describe('kernel socket in a test namespace', () => {
  before(() => {
    execFileSync('ip', ['netns', 'add', ns]);
  });
  after(() => {
    execFileSync('ip', ['netns', 'del', ns]);
  });

  it('dumps the links of a fresh namespace: only lo', async () => {
    await using sock = new NetlinkSocket({ protocol: 0, netns: ns, marshal: marshal() });
    const links = await sock.request(link, { type: RTM_GETLINK, flags: NLM_F_DUMP });
    assert.deepEqual(
      links.map((l) => l.getAttr('IFLA_IFNAME')!),
      ['lo'],
    );
    assert.ok(sock.portId > 0);
  });

  it('runs 100 concurrent requests on one socket without mixing answers', async () => {
    inNs('ip link add v0 type veth peer name v1');
    await using sock = new NetlinkSocket({ protocol: 0, netns: ns, marshal: marshal() });
    const names = new Map<number, string>();
    for (const l of await sock.request(link, { type: RTM_GETLINK, flags: NLM_F_DUMP }))
      names.set(l.fields.index, l.getAttr('IFLA_IFNAME')!);
    assert.equal(names.size, 3);
    const jobs = [];
    for (let i = 0; i < 100; i++) {
      const [index, name] = [...names][i % 3];
      jobs.push(
        i % 2
          ? sock
              .request(link, { type: RTM_GETLINK, fields: { index } })
              .then((r) => assert.equal(r[0].getAttr('IFLA_IFNAME')!, name))
          : sock.request(link, { type: RTM_GETLINK, flags: NLM_F_DUMP }).then((r) => assert.equal(r.length, 3)),
      );
    }
    await Promise.all(jobs);
    inNs('ip link del v0');
  });

  it('streams a dump as an async iterator', async () => {
    await using sock = new NetlinkSocket({ protocol: 0, netns: ns, marshal: marshal() });
    const seen: string[] = [];
    for await (const l of sock.dump(link, { type: RTM_GETLINK })) seen.push(l.getAttr('IFLA_IFNAME')!);
    assert.deepEqual(seen, ['lo']);
  });

  it("gives the kernel's errno and extended ACK text", async () => {
    await using sock = new NetlinkSocket({ protocol: 0, netns: ns, marshal: marshal() });
    await assert.rejects(
      sock.request(link, { type: RTM_GETLINK, fields: { index: 4242 } }),
      (e: unknown) => e instanceof NetlinkError && e.code === 'ENODEV',
    );
    // IFLA_LINKINFO { IFLA_INFO_KIND: 'no-such-kind' } as raw bytes: the kernel explains.
    const kind = Buffer.from('no-such-kind\0');
    const infoKind = Buffer.alloc(4 + 16);
    infoKind.writeUInt16LE(4 + kind.length, 0);
    infoKind.writeUInt16LE(1, 2);
    kind.copy(infoKind, 4);
    await assert.rejects(
      sock.request(link, {
        type: RTM_NEWLINK,
        flags: 0x400 | 0x200 | 4,
        attrs: [
          [3, Buffer.from('x\0')],
          [18, infoKind],
        ],
      }),
      (e: unknown) =>
        e instanceof NetlinkError && e.code === 'EOPNOTSUPP' && /Unknown device type/.test(e.extack.message ?? ''),
    );
  });

  it('delivers a link event to a subscription', async () => {
    await using sock = new NetlinkSocket({ protocol: 0, netns: ns, marshal: marshal() });
    const sub = sock.subscribe([1 /* RTNLGRP_LINK */]);
    inNs('ip link add ev0 type veth peer name ev1');
    try {
      const names = new Set<string>();
      const timer = setTimeout(() => sub.close(), 5000);
      for await (const ev of sub) {
        if (ev instanceof Overrun) continue;
        names.add(ev.getAttr('IFLA_IFNAME')!);
        if (names.has('ev0') && names.has('ev1')) break;
      }
      clearTimeout(timer);
      assert.ok(names.has('ev0') && names.has('ev1'), `saw ${[...names]}`);
    } finally {
      inNs('ip link del ev0');
    }
  });

  it('put/get and sendto/recv see answers nobody requested', async () => {
    await using sock = new NetlinkSocket({ protocol: 0, netns: ns, marshal: marshal() });
    const seq = sock.put(link, { type: RTM_GETLINK, flags: NLM_F_DUMP });
    const msgs = await sock.get();
    assert.equal(msgs[0].seq, seq);
    assert.equal(msgs[0].type, RTM_NEWLINK);
    let last = msgs[msgs.length - 1];
    while (last.type !== NLMSG_DONE) {
      const more = await sock.get();
      last = more[more.length - 1];
    }
    sock.sendto(link.encode({ type: RTM_GETLINK, flags: 1, seq: 4242, fields: { index: 1 } }));
    const raw = await sock.recv();
    assert.equal(raw.readUInt32LE(8), 4242);
  });
});
