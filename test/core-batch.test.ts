// NetlinkSocket.batch on a scripted transport (no kernel): answers matched to items by
// sequence number, per-item failures, replies, overruns, close, and the lean message view.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AttrSet,
  Marshal,
  MessageSchema,
  NLM_F_ACK,
  NLM_F_REQUEST,
  NetlinkError,
  NetlinkSocket,
  SocketClosedError,
  asciiz,
  attrMap,
  nested,
  u32,
} from '../src/core/index.js';
import { ack } from './helpers/acks.js';
import { FakeKernel } from './helpers/fake-kernel.js';
import { RTM_NEWLINK, ifinfomsg } from './helpers/test-link.js';

const inner = attrMap('inner', { IN_A: [1, u32] });
const link = new MessageSchema(
  'test.ifinfmsg',
  ifinfomsg,
  attrMap('ifla', { IFLA_IFNAME: [3, asciiz], IFLA_MTU: [4, u32], IFLA_NEST: [5, nested(inner)] }),
  { familyField: 'family' },
);
const marshal = (): Marshal => new Marshal({ [RTM_NEWLINK]: link });

/** One sent message: its header fields. */
interface Sent {
  seq: number;
  flags: number;
  name: string | undefined;
}

function split(datagram: Buffer): Sent[] {
  const out: Sent[] = [];
  for (let p = 0; p + 16 <= datagram.length; p += (datagram.readUInt32LE(p) + 3) & ~3) {
    const m = link.decode(datagram, p);
    out.push({ seq: m.seq, flags: m.flags, name: m.getAttr('IFLA_IFNAME') });
  }
  return out;
}

/** The shared fake kernel, answering each sent datagram with `answer` (inside send() if `sync`). */
const scripted = (answer: (msgs: Sent[]) => Buffer[], sync = false): FakeKernel =>
  new FakeKernel({ portId: 5, sync, answer: (msgs) => answer(split(Buffer.concat(msgs.map((m) => m.bytes)))) });
/** What was sent, datagram by datagram. */
const datagrams = (t: FakeKernel): Sent[][] => t.sent.map(split);

/** Answers like the kernel: an ACK where asked, an error for the names in `fail`. */
const kernel =
  (fail: Record<string, number> = {}) =>
  (msgs: Sent[]): Buffer[] =>
    [
      Buffer.concat(
        msgs.flatMap((m) => {
          const errno = m.name !== undefined ? fail[m.name] : undefined;
          if (errno) return [ack(m.seq, errno, `${m.name} refused`)];
          return m.flags & NLM_F_ACK ? [ack(m.seq)] : [];
        }),
      ),
    ].filter((b) => b.length > 0);

const items = (n: number, extra: object = {}) =>
  Array.from({ length: n }, (_, i) => ({
    schema: link,
    spec: { type: RTM_NEWLINK, attrs: { IFLA_IFNAME: `v${i}` }, ...extra },
  }));

describe('batch', () => {
  it("'errors' mode: one ACK per datagram, consecutive seqs, failures by index", async () => {
    const t = scripted(kernel({ v1: 17, v4: 22 }));
    const sock = new NetlinkSocket({ transport: t, marshal: marshal() });
    const seen: [string, number][] = [];
    const res = await sock.batch(items(5), { chunk: 2, onError: (e, i) => seen.push([e.code, i]) });
    assert.equal(datagrams(t).length, 3);
    const all = datagrams(t).flat();
    for (let i = 1; i < all.length; i++) assert.equal(all[i].seq, all[i - 1].seq + 1);
    assert.deepEqual(
      all.map((m) => (m.flags & NLM_F_ACK) !== 0),
      [false, true, false, true, true],
    );
    assert.ok(all.every((m) => m.flags & NLM_F_REQUEST));
    assert.deepEqual(
      res.map((r) => r.ok),
      [true, false, true, true, false],
    );
    assert.deepEqual(
      res.map((r) => r.index),
      [0, 1, 2, 3, 4],
    );
    const bad = res[4];
    assert.ok(!bad.ok && bad.error instanceof NetlinkError && bad.error.code === 'EINVAL' && bad.error.index === 4);
    assert.equal(bad.error.extack.message, 'v4 refused');
    assert.deepEqual(seen, [
      ['EEXIST', 1],
      ['EINVAL', 4],
    ]);
    sock.close();
  });

  it("'all' mode: every item waits for its own ACK", async () => {
    const t = scripted(kernel({ v2: 1 }));
    const sock = new NetlinkSocket({ transport: t, marshal: marshal() });
    const res = await sock.batch(items(7), { acks: 'all', chunk: 3, inflight: 1 });
    assert.deepEqual(
      datagrams(t).map((d) => d.length),
      [3, 3, 1],
    );
    assert.ok(
      datagrams(t)
        .flat()
        .every((m) => m.flags & NLM_F_ACK),
    );
    assert.deepEqual(
      res.map((r) => r.ok),
      [true, true, false, true, true, true, true],
    );
    for (const r of res) if (r.ok) assert.deepEqual(r.messages, []);
    sock.close();
  });

  it('keeps replies sent to an item (e.g. NLM_F_ECHO) as its messages', async () => {
    const t = scripted((msgs) => [
      Buffer.concat(
        msgs.flatMap((m) => [
          link.encode({
            type: RTM_NEWLINK,
            seq: m.seq,
            fields: { index: 7 },
            attrs: { IFLA_IFNAME: `echo-${m.name}` },
          }),
          ...(m.flags & NLM_F_ACK ? [ack(m.seq)] : []),
        ]),
      ),
    ]);
    const sock = new NetlinkSocket({ transport: t, marshal: marshal() });
    const res = await sock.batch(items(3, { flags: NLM_F_ACK }), { acks: 'all' });
    assert.deepEqual(
      res.map((r) => (r.ok ? r.messages.map((m) => m.getAttr('IFLA_IFNAME' as never)) : [])),
      [['echo-v0'], ['echo-v1'], ['echo-v2']],
    );
    sock.close();
  });

  it('works with a transport that answers from inside send()', async () => {
    const t = scripted(kernel({ v0: 17 }), true);
    const sock = new NetlinkSocket({ transport: t, marshal: marshal() });
    const res = await sock.batch(items(300), { chunk: 64 });
    assert.equal(res.filter((r) => !r.ok).length, 1);
    assert.equal(res.length, 300);
    sock.close();
  });

  it('a receive overrun fails the open items with ENOBUFS; requests alongside a batch work', async () => {
    let first = true;
    const t = scripted((msgs) => {
      if (msgs.length === 1) return [ack(msgs[0].seq)];
      if (first) {
        first = false;
        setImmediate(() => t.fail('ENOBUFS'));
        return [];
      }
      return kernel()(msgs);
    });
    const sock = new NetlinkSocket({ transport: t, marshal: marshal() });
    const res = await sock.batch(items(4), { chunk: 2, inflight: 1 });
    assert.deepEqual(
      res.map((r) => (r.ok ? 'ok' : r.error.code)),
      ['ENOBUFS', 'ENOBUFS', 'ok', 'ok'],
    );
    // A request during a batch is answered by its own seq, not taken for a batch item.
    const [again, single] = await Promise.all([
      sock.batch(items(4), { chunk: 2, inflight: 1 }),
      sock.request(link, { type: RTM_NEWLINK, attrs: { IFLA_IFNAME: 'x' } }),
    ]);
    assert.deepEqual(single, []);
    assert.ok(again.every((r) => r.ok));
    sock.close();
  });

  it('rejects with SocketClosedError when the socket closes mid-batch, and with a send failure', async () => {
    const sock = new NetlinkSocket({ transport: scripted(() => []), marshal: marshal() });
    const p = sock.batch(items(3));
    setImmediate(() => sock.close());
    await assert.rejects(p, SocketClosedError);
    await assert.rejects(sock.batch(items(1)), SocketClosedError);

    const broken = scripted(() => []);
    broken.send = () => {
      throw Object.assign(new Error('EPERM'), { code: 'EPERM' });
    };
    const s2 = new NetlinkSocket({ transport: broken, marshal: marshal() });
    await assert.rejects(s2.batch(items(2)), /EPERM/);
    s2.close();
  });

  it('sequence numbers of a datagram never wrap through 0', async () => {
    const t = scripted(kernel());
    const sock = new NetlinkSocket({ transport: t, marshal: marshal() });
    (sock as unknown as { seq: number }).seq = 0xffffffff - 2;
    const res = await sock.batch(items(5));
    assert.ok(res.every((r) => r.ok));
    assert.deepEqual(
      datagrams(t)[0].map((m) => m.seq),
      [1, 2, 3, 4, 5],
    );
    sock.close();
  });
});

describe('receiving', () => {
  it('a datagram delivered from inside a listener does not disturb the one being split', async () => {
    const t = scripted(
      (msgs) => [link.encode({ type: RTM_NEWLINK, seq: msgs[0].seq, attrs: { IFLA_IFNAME: 'inner' } })],
      true,
    );
    const sock = new NetlinkSocket({ transport: t, marshal: marshal() });
    const sub = sock.subscribe([1]);
    let once = false;
    // Notifications (seq 0) reach subscribers synchronously; this one sends, and the answer comes at once.
    sub.on('message', () => {
      if (!once) {
        once = true;
        sock.put(link, { type: RTM_NEWLINK, seq: 500 });
      }
    });
    const outer = Buffer.concat([
      link.encode({ type: RTM_NEWLINK, seq: 77, attrs: { IFLA_IFNAME: 'outer-1' } }),
      link.encode({ type: RTM_NEWLINK, seq: 0, attrs: { IFLA_IFNAME: 'note' } }),
      link.encode({ type: RTM_NEWLINK, seq: 78, attrs: { IFLA_IFNAME: 'outer-2' } }),
    ]);
    sock.put(link, { type: RTM_NEWLINK, seq: 400 }); // from now on, unclaimed answers are kept for get()
    t.deliver(outer);
    const zero = await sock.get(),
      first = await sock.get(),
      second = await sock.get();
    assert.deepEqual(
      zero.map((m) => m.seq),
      [400],
    );
    assert.deepEqual(
      first.map((m) => [m.seq, m.getAttr('IFLA_IFNAME' as never)]),
      [[500, 'inner']],
    );
    assert.deepEqual(
      second.map((m) => [m.seq, m.getAttr('IFLA_IFNAME' as never)]),
      [
        [77, 'outer-1'],
        [78, 'outer-2'],
      ],
    );
    sub.close();
    sock.close();
  });
});

describe('message view', () => {
  it('keeps only buffer, offset, schema and the decoded header per message', () => {
    const buf = link.encode({
      type: RTM_NEWLINK,
      flags: 2,
      seq: 9,
      pid: 4,
      fields: { family: 7, index: 3 },
      attrs: { IFLA_IFNAME: 'eth0', IFLA_NEST: { IN_A: 5 } },
    });
    const twice = Buffer.concat([Buffer.alloc(8), buf]);
    const m = link.decode(twice, 8);
    assert.deepEqual(Object.keys(m).sort(), ['_fields', 'buf', 'offset', 'schema']);
    assert.ok(m instanceof AttrSet);
    assert.equal(m.length, buf.length);
    assert.equal(m.end, 8 + buf.length);
    assert.equal(m.start, 8 + 16 + 16);
    assert.equal(m.map, link.attrs);
    assert.equal(m.parent, null);
    assert.deepEqual([m.type, m.flags, m.seq, m.pid, m.family], [RTM_NEWLINK, 2, 9, 4, 7]);
    assert.equal(m.fields.index, 3);
    const n = m.getAttr('IFLA_NEST')!;
    assert.ok(n instanceof AttrSet);
    assert.equal(n.parent, m);
    assert.equal(n.family, 7);
    assert.equal(n.getAttr('IN_A'), 5);
    assert.deepEqual(m.bytes(), buf);
  });
});
