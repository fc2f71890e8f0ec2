// The request engine against a hostile or broken peer: close while requests queue, bytes
// nobody can parse, overruns, forged ports, broken NLMSG_ERRORs, floods of strays and events.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AnswersLostError,
  NLMSG_ERROR,
  NLM_F_DUMP,
  NLM_F_MULTI,
  NetlinkDecodeError,
  NetlinkError,
  NetlinkSocket,
  NetlinkTimeoutError,
  NetlinkTransportError,
  Overrun,
  SocketClosedError,
} from '../src/core/index.js';
import { ack, done } from './helpers/acks.js';
import { FakeKernel } from './helpers/fake-kernel.js';
import { RTM_GETLINK, RTM_NEWLINK, link, linkMarshal as marshal } from './helpers/test-link.js';

const linkMsg = (seq: number, index: number, flags = NLM_F_MULTI): Buffer =>
  link.encode({ type: RTM_NEWLINK, flags, seq, fields: { index }, attrs: { IFLA_IFNAME: `if${index}` } });
const open = (k: FakeKernel, opts: object = {}): NetlinkSocket =>
  new NetlinkSocket({ transport: k, marshal: marshal(), ...opts });
const get = (sock: NetlinkSocket, index = 1): Promise<unknown> =>
  sock.request(link, { type: RTM_GETLINK, fields: { index } });
const seqs = (k: FakeKernel): number[] => k.messages.map((m) => m.seq);
/** Settles without an unhandled rejection; resolves to the error or 'ok'. */
const outcome = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => 'ok',
    (e: unknown) => e,
  );

describe('close()', () => {
  it('sends nothing more once it starts, queued requests and dumps included', async () => {
    const k = new FakeKernel();
    const sock = open(k, { maxInFlight: 4 });
    const all = [];
    for (let i = 0; i < 40; i++) all.push(outcome(get(sock, i + 1)));
    for (let i = 0; i < 3; i++) all.push(outcome(sock.request(link, { type: RTM_GETLINK, flags: NLM_F_DUMP })));
    const before = k.sent.length;
    assert.equal(before, 5, 'four requests and one dump in flight');
    sock.close();
    const results = await Promise.all(all);
    assert.equal(k.sent.length, before, 'no datagram sent during close');
    assert.ok(results.every((r) => r instanceof SocketClosedError));
  });
});

describe('errors go to the request whose seq they carry', () => {
  it('drops and counts a datagram nobody can claim; the neighbours get their answers', async () => {
    const k = new FakeKernel();
    const sock = open(k);
    const drops: string[] = [];
    sock.on('drop', (d) => drops.push(d.reason));
    const a = get(sock, 1),
      b = get(sock, 2);
    const [sa, sb] = seqs(k);
    k.deliver(Buffer.from([0xff, 0xff, 0, 0, 1, 2, 3]));
    k.deliver(Buffer.concat([linkMsg(sa, 1, 0), ack(sa)]));
    k.deliver(ack(sb));
    assert.equal(((await a) as unknown[]).length, 1);
    assert.deepEqual(await b, []);
    assert.equal(sock.stats.malformed, 1);
    assert.deepEqual(drops, ['malformed']);
    sock.close();
  });

  it('fails only the request named by a malformed message', async () => {
    const k = new FakeKernel();
    const sock = open(k);
    const a = outcome(get(sock, 1)),
      b = get(sock, 2);
    const [sa, sb] = seqs(k);
    const bad = linkMsg(sa, 1, 0);
    bad.writeUInt32LE(bad.length + 64, 0); // runs past the datagram
    k.deliver(bad);
    k.deliver(ack(sb));
    assert.ok((await a) instanceof NetlinkDecodeError);
    assert.deepEqual(await b, []);
    sock.close();
  });

  it('does not let a malformed multicast datagram fail a dump', async () => {
    const k = new FakeKernel();
    const sock = open(k);
    const sub = sock.subscribe([1]);
    const d = sock.request(link, { type: RTM_GETLINK, flags: NLM_F_DUMP });
    const [sd] = seqs(k);
    k.deliver(linkMsg(sd, 1));
    k.deliver(Buffer.from([9, 0, 0, 0]), { groups: 1 });
    k.deliver(done(sd));
    assert.equal((await d).length, 1);
    assert.equal(sock.stats.malformed, 1);
    sub.close();
    sock.close();
  });

  it('an overrun fails the requests in flight with AnswersLostError, not dumps nor later requests', async () => {
    const k = new FakeKernel();
    const sock = open(k);
    const sub = sock.subscribe([1]);
    const lost = outcome(get(sock, 1));
    const d = sock.request(link, { type: RTM_GETLINK, flags: NLM_F_DUMP });
    const [, sd] = seqs(k);
    k.fail('ENOBUFS');
    const later = get(sock, 2);
    const sl = seqs(k)[2];
    k.deliver(Buffer.concat([linkMsg(sd, 1), done(sd)]));
    k.deliver(ack(sl));
    const e = await lost;
    assert.ok(e instanceof AnswersLostError && e instanceof NetlinkError && e.code === 'ENOBUFS', String(e));
    assert.equal((await d).length, 1);
    assert.deepEqual(await later, []);
    assert.ok((await sub.next()).value instanceof Overrun);
    sub.close();
    sock.close();
  });

  it('hands other transport errors to requests as NetlinkTransportError', async () => {
    const k = new FakeKernel();
    const sock = open(k);
    const a = outcome(get(sock, 1));
    k.fail('EIO', 5);
    const e = await a;
    assert.ok(e instanceof NetlinkTransportError && e.code === 'EIO' && e.errno === 5, String(e));
    sock.close();
  });
});

describe('failed sends', () => {
  it('reject with NetlinkTransportError', async () => {
    const k = new FakeKernel();
    k.send = () => {
      throw Object.assign(new Error('sendmsg: EIO'), { code: 'EIO', errno: 5, syscall: 'sendmsg' });
    };
    const sock = open(k);
    await assert.rejects(get(sock), (e: unknown) => e instanceof NetlinkTransportError && e.syscall === 'sendmsg');
    await assert.rejects(sock.batch([{ schema: link, spec: { type: RTM_NEWLINK } }]), NetlinkTransportError);
    sock.close();
  });
});

describe('timeouts', () => {
  it('has finite defaults for requests and dump idle time', () => {
    const sock = open(new FakeKernel());
    assert.ok(sock.timeout > 0 && Number.isFinite(sock.timeout));
    assert.ok(sock.dumpIdleTimeout > 0 && Number.isFinite(sock.dumpIdleTimeout));
    sock.close();
  });

  it('fails an unanswered request with NetlinkTimeoutError by default', async () => {
    const sock = open(new FakeKernel(), { timeout: 20 });
    await assert.rejects(get(sock), NetlinkTimeoutError);
    sock.close();
  });

  it('fails a dump that stops between parts', async () => {
    const k = new FakeKernel();
    const sock = open(k, { timeout: 0, dumpIdleTimeout: 20 });
    const d = sock.request(link, { type: RTM_GETLINK, flags: NLM_F_DUMP });
    k.deliver(linkMsg(seqs(k)[0], 1));
    await assert.rejects(d, NetlinkTimeoutError);
    sock.close();
  });
});

describe('dump idle time', () => {
  it('does not count while the reader holds the dump back', async () => {
    const k = new FakeKernel();
    const sock = open(k, { dumpIdleTimeout: 20 });
    const stream = sock.dump(link, { type: RTM_GETLINK });
    const [sd] = seqs(k);
    const part = (d: number): Buffer =>
      Buffer.concat(Array.from({ length: 1000 }, (_, i) => linkMsg(sd, d * 1000 + i)));
    const parts = Array.from({ length: 20 }, (_, d) => part(d));
    for (const p of parts) k.deliver(p);
    k.deliver(done(sd));
    assert.ok(k.paused, 'reading stopped while the reader lags');
    // Several idle periods go by in turn (one long timer could fire in the same turn as the idle one).
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 30));
    let n = 0;
    for await (const m of stream) {
      void m;
      n++;
    }
    assert.equal(n, 20_000);
    sock.close();
  });
});

describe('subscriptions', () => {
  it('bound their queue and mark the loss with Overrun', async () => {
    const k = new FakeKernel();
    const sock = open(k);
    const sub = sock.subscribe([1], undefined, { maxQueue: 100 });
    for (let i = 0; i < 1000; i++) k.deliver(linkMsg(0, i, 0), { groups: 1 });
    assert.ok(sub.pending <= 101, `queued ${sub.pending}`);
    const got: unknown[] = [];
    for (let i = 0; i < 101; i++) got.push((await sub.next()).value);
    assert.ok(got.slice(0, 100).every((m) => !(m instanceof Overrun)));
    assert.ok(got[100] instanceof Overrun);
    assert.equal(sub.overruns, 1);
    k.deliver(linkMsg(0, 5000, 0), { groups: 1 });
    const next = (await sub.next()).value;
    assert.ok(!(next instanceof Overrun) && (next as { fields: { index: number } }).fields.index === 5000);
    sub.close();
    sock.close();
  });

  it('have a finite default queue', () => {
    const sock = open(new FakeKernel());
    const sub = sock.subscribe([1]);
    assert.ok(Number.isFinite(sub.maxQueue) && sub.maxQueue > 0);
    sock.close();
  });
});

describe('who may answer', () => {
  it('ignores unicast answers from a port other than the kernel', async () => {
    const k = new FakeKernel();
    const sock = open(k);
    const a = outcome(get(sock, 1));
    const [sa] = seqs(k);
    k.deliver(ack(sa), { pid: 31337 });
    k.deliver(ack(sa, 17));
    const e = await a;
    assert.ok(e instanceof NetlinkError && e.code === 'EEXIST', String(e));
    assert.equal(sock.stats.foreign, 1);
    sock.close();
  });

  it('accepts any port when the transport says so', async () => {
    const k = new FakeKernel({ anyPort: true });
    const sock = open(k);
    const a = get(sock, 1);
    k.deliver(ack(seqs(k)[0]), { pid: 31337 });
    assert.deepEqual(await a, []);
    sock.close();
  });

  it('reads a short or positive-errno NLMSG_ERROR as a decode error, never an ACK', async () => {
    const k = new FakeKernel();
    const sock = open(k);
    const a = outcome(get(sock, 1)),
      b = outcome(get(sock, 2));
    const [sa, sb] = seqs(k);
    const short = Buffer.alloc(18);
    short.writeUInt32LE(18, 0);
    short.writeUInt16LE(NLMSG_ERROR, 4);
    short.writeUInt32LE(sa, 8);
    const positive = ack(sb);
    positive.writeInt32LE(17, 16);
    k.deliver(short);
    k.deliver(positive);
    assert.ok((await a) instanceof NetlinkDecodeError, String(await a));
    assert.ok((await b) instanceof NetlinkDecodeError, String(await b));
    sock.close();
  });

  it('fails a batch whose NLMSG_ERROR is broken', async () => {
    const k = new FakeKernel({
      answer: (msgs) =>
        msgs.map((m) => {
          const x = ack(m.seq);
          x.writeInt32LE(3, 16);
          return x;
        }),
    });
    const sock = open(k);
    await assert.rejects(sock.batch([{ schema: link, spec: { type: RTM_NEWLINK } }]), NetlinkDecodeError);
    sock.close();
  });
});

describe('strays', () => {
  it('are kept in a bounded queue, and the drops counted', () => {
    const k = new FakeKernel();
    const sock = open(k, { maxStrays: 64 });
    sock.sendto(link.encode({ type: RTM_GETLINK, flags: 1, seq: 7 }));
    for (let i = 0; i < 1000; i++) k.deliver(linkMsg(100000 + i, i, 0));
    assert.equal(sock.stats.strays, 1000 - 64);
    sock.close();
  });
});
