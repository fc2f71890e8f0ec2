// NetlinkSocket: every level of talking to the kernel, from raw datagrams to requests,
// streamed dumps, pipelined batches and multicast subscriptions.
import {
  NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN, NLMSG_NOOP, NLMSG_OVERRUN, NLM_F_ACK, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_MULTI, NLM_F_REQUEST,
  SO_RCVBUF, SO_RCVBUFFORCE, SO_SNDBUF, SO_SNDBUFFORCE,
} from './constants.js';
import { readAck } from './control.js';
import { DumpInterruptedError, NetlinkError, NetlinkTimeoutError, SocketClosedError, type ExtAck } from './errors.js';
import { Marshal } from './marshal.js';
import type { AnyMessage, AnySchema, Message, MessageSchema, MessageSpec } from './message.js';
import type { AttrDecl } from './attrs.js';
import type { StructFields } from './types.js';
import { Subscription, Overrun } from './subscription.js';
import { NativeTransport, type NativeTransportOptions, type Transport } from './transport.js';
import { Writer } from './writer.js';

export interface NetlinkSocketOptions extends NativeTransportOptions {
  /** NETLINK_ROUTE, NETLINK_GENERIC, ... (needed unless a transport is given). */
  protocol?: number;
  /** Message classes of the protocol; default: everything shown as raw. */
  marshal?: Marshal;
  /** Use this transport instead of a kernel socket (replay, custom). */
  transport?: Transport;
  /** Default timeout of a request in ms (0: none; the kernel answers synchronously). */
  timeout?: number;
  /**
   * Requests (not dumps, not batches) in flight at once; more wait their turn, so a burst of
   * concurrent calls cannot overflow the receive buffer with answers (default 128).
   */
  maxInFlight?: number;
  /** Receive buffer for sockets with subscriptions (default 16 MiB). */
  eventRcvbuf?: number;
}

export interface RequestOptions {
  /** Timeout in ms; overrides the socket's default. */
  timeout?: number;
  /** Retry a dump interrupted by a concurrent change this many times. */
  retryInterrupted?: number;
  /** Resolve with the partial result of an interrupted dump instead of throwing. */
  allowInterrupted?: boolean;
}

/** What a batched request ended with. */
export type BatchResult =
  | { index: number; ok: true; messages: AnyMessage[] }
  | { index: number; ok: false; error: NetlinkError };

export interface BatchOptions {
  /**
   * 'errors' (default): only the last message of each chunk asks for an ACK; the kernel
   * still answers every failure, and handles a datagram in order, so the chunk's final ACK
   * proves the others succeeded. 'all': every message asks for its ACK.
   */
  acks?: 'errors' | 'all';
  /** Messages per datagram (default 1024 in 'errors' mode, 128 in 'all' mode). */
  chunk?: number;
  /** Datagrams in flight at once (default 2). */
  inflight?: number;
  /** Called for each failure as it arrives. */
  onError?: (err: NetlinkError, index: number) => void;
}

/** One outstanding request: collects its answer until ACK, error or end of dump. */
class Pending {
  readonly messages: AnyMessage[] = [];
  interrupted = false;
  /** Counted against the socket's in-flight limit. */
  counted = false;
  timer: NodeJS.Timeout | undefined;
  constructor(
    readonly seq: number,
    readonly flags: number,
    readonly done: (err: Error | undefined, p: Pending) => void,
    /** Streaming consumer: gets messages instead of collecting them. */
    readonly onMessage?: (m: AnyMessage) => void,
  ) {}
}

/**
 * One datagram of a batch: its items have consecutive sequence numbers, so an answer finds
 * its item by subtraction, and one object tracks them all (no per-item request state).
 */
class BatchChunk {
  /** Items answered (or given up on); the chunk settles when all are. */
  private readonly answered: Uint8Array;
  private left: number;
  constructor(
    readonly run: BatchRun,
    readonly firstSeq: number,
    /** Index (in the batch) of the chunk's first item. */
    readonly first: number,
    readonly count: number,
  ) {
    this.answered = new Uint8Array(count);
    this.left = count;
  }

  /** Whether item k is still waiting for its answer. */
  open(k: number): boolean {
    return this.answered[k] === 0;
  }

  /** Item k is answered; returns true when that settles the chunk. */
  answer(k: number): boolean {
    if (this.answered[k]) return false;
    this.answered[k] = 1;
    return --this.left === 0;
  }

  /** Every item still open is done, successfully. */
  answerRest(): void {
    this.answered.fill(1);
    this.left = 0;
  }

  /** Items still open, by index in the batch. */
  *openItems(): Generator<number> {
    for (let k = 0; k < this.count; k++) if (!this.answered[k]) yield this.first + k;
  }
}

/** The state of one batch() call: failures and replies by item index, chunks in flight. */
class BatchRun {
  readonly failed = new Map<number, NetlinkError>();
  /** Messages answered to items (NLM_F_ECHO, a get): rare, so kept only when there are some. */
  replies: Map<number, AnyMessage[]> | undefined;
  fatal: Error | undefined;
  /** Chunks sent and not yet settled. */
  inFlight = 0;
  wake: (() => void) | undefined;
  constructor(
    readonly items: readonly { schema: AnySchema; spec: MessageSpec<any, any> }[],
    readonly all: boolean,
    readonly onError: ((err: NetlinkError, index: number) => void) | undefined,
  ) {}

  fail(index: number, errno: number, extack: ExtAck): void {
    const e = new NetlinkError(errno, extack, index);
    this.failed.set(index, e);
    this.onError?.(e, index);
  }

  /** Results in the public shape, built once every item is answered. */
  results(): BatchResult[] {
    const n = this.items.length, out = new Array<BatchResult>(n), failed = this.failed, replies = this.replies;
    for (let i = 0; i < n; i++) {
      const error = failed.size ? failed.get(i) : undefined;
      out[i] = error ? { index: i, ok: false, error } : { index: i, ok: true, messages: replies?.get(i) ?? [] };
    }
    return out;
  }
}

/** A stream of dump messages with backpressure on the socket. */
class DumpStream implements AsyncIterableIterator<AnyMessage> {
  private readonly queue: AnyMessage[] = [];
  private head = 0;
  private waiter: { resolve: (r: IteratorResult<AnyMessage>) => void; reject: (e: Error) => void } | undefined;
  private ended = false;
  private error: Error | undefined;
  discard = false;

  constructor(private readonly onDrain: () => void, private readonly onAbandon: () => void) {}

  get size(): number { return this.queue.length - this.head; }

  push(m: AnyMessage): void {
    if (this.discard) return;
    const w = this.waiter;
    if (w) { this.waiter = undefined; w.resolve({ value: m, done: false }); } else this.queue.push(m);
  }

  end(err?: Error): void {
    this.ended = true;
    this.error = err;
    const w = this.waiter;
    this.waiter = undefined;
    if (w) (err ? w.reject(err) : w.resolve({ value: undefined, done: true }));
  }

  next(): Promise<IteratorResult<AnyMessage>> {
    if (this.head < this.queue.length) {
      const value = this.queue[this.head++];
      if (this.head >= 4096) { this.queue.splice(0, this.head); this.head = 0; this.onDrain(); }
      return Promise.resolve({ value, done: false });
    }
    this.onDrain();
    if (this.ended) return this.error ? Promise.reject(this.error) : Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => { this.waiter = { resolve, reject }; });
  }

  return(): Promise<IteratorResult<AnyMessage>> {
    // The kernel keeps sending the rest of the dump: drop it as it comes.
    this.discard = true;
    this.queue.length = 0;
    this.head = 0;
    this.onAbandon();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this { return this; }
}

const STREAM_HIGH = 16384;

/**
 * A netlink socket speaking one protocol. Levels, lowest first: `sendto`/`recv` (bytes),
 * `put`/`get` (messages), `request` (sequence-tracked answer, errors as NetlinkError),
 * `dump` (streamed), `batch` (pipelined), `subscribe` (multicast).
 *
 *     await using sock = new NetlinkSocket({ protocol: NETLINK_ROUTE, marshal });
 *     const links = await sock.request(ifinfmsg, { type: RTM_GETLINK, flags: NLM_F_DUMP });
 */
export class NetlinkSocket {
  readonly transport: Transport;
  readonly marshal: Marshal;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  /** The request last looked up: a dump's answers all carry the same seq. */
  private lastPending: Pending | undefined;
  /** Batch datagrams awaiting answers (few: a batch keeps `inflight` of them). */
  private readonly chunks: BatchChunk[] = [];
  /** Unclaimed messages of the unicast datagram being split. */
  private stray: AnyMessage[] | undefined;
  private readonly subs = new Set<Subscription<AnyMessage>>();
  private readonly groupRefs = new Map<number, number>();
  private readonly unclaimed: { buf: Buffer; messages: AnyMessage[] }[] = [];
  private readonly waiters: { resolve: (d: { buf: Buffer; messages: AnyMessage[] }) => void; reject: (e: Error) => void }[] = [];
  private keepUnclaimed = false;
  private closed = false;
  private streams = 0;
  private pausedBy = new Set<DumpStream>();
  private eventBufferSet = false;
  private batchBuffersSet = false;
  readonly timeout: number;
  private readonly eventRcvbuf: number;
  private readonly maxInFlight: number;
  private inFlight = 0;
  private readonly requestQueue: (() => void)[] = [];

  constructor(opts: NetlinkSocketOptions) {
    if (opts.transport) this.transport = opts.transport;
    else {
      if (opts.protocol === undefined) throw new TypeError('NetlinkSocket needs a protocol or a transport');
      this.transport = new NativeTransport(opts.protocol, opts);
    }
    this.marshal = opts.marshal ?? new Marshal();
    this.timeout = opts.timeout ?? 0;
    this.maxInFlight = Math.max(1, opts.maxInFlight ?? 128);
    this.eventRcvbuf = opts.eventRcvbuf ?? 16 << 20;
    this.transport.start({
      data: (buf, start, end, pid, groups) => this.onData(buf, start, end, pid, groups),
      error: (err) => this.onError(err),
    });
  }

  /** Our netlink port id. */
  get portId(): number {
    return this.transport.portId;
  }

  /** The next sequence number (never 0: 0 marks notifications). */
  nextSeq(): number {
    this.seq = (this.seq + 1) >>> 0 || 1;
    return this.seq;
  }

  /** `n` consecutive sequence numbers (not wrapping through 0); returns the first. */
  private reserveSeqs(n: number): number {
    if (this.seq + n > 0xffffffff) this.seq = 0;
    const first = this.seq + 1;
    this.seq += n;
    return first;
  }

  // ---- receiving ---------------------------------------------------------------

  private onData(buf: Buffer, start: number, end: number, _pid: number, groups: number): void {
    if (groups !== 0) return this.marshal.each(buf, start, end, this.toSubscribers, this.onDecodeError);
    // Saved and restored: a callback may make a transport deliver another datagram at once.
    const outer = this.stray;
    this.stray = undefined;
    let stray: AnyMessage[] | undefined;
    try {
      this.marshal.each(buf, start, end, this.route, this.onDecodeError);
    } finally {
      stray = this.stray;
      this.stray = outer;
    }
    if (stray) this.queueUnclaimed({ buf: buf.subarray(start, end), messages: stray });
  }

  private readonly toSubscribers = (m: AnyMessage): void => {
    for (const s of this.subs) s.push(m);
  };

  /** Where one unicast message goes: its request, its batch item, subscribers (seq 0), or get(). */
  private readonly route = (m: AnyMessage): void => {
    const seq = m.seq;
    if (seq === 0) return this.toSubscribers(m);
    const chunks = this.chunks;
    for (let i = 0; i < chunks.length; i++) {
      const c = chunks[i], k = seq - c.firstSeq;
      if (k >= 0 && k < c.count) return this.feedChunk(c, k, m);
    }
    let p = this.lastPending;
    if (!p || p.seq !== seq) {
      p = this.pending.get(seq);
      if (p) this.lastPending = p;
    }
    if (p) this.feed(p, m);
    else if (this.keepUnclaimed) (this.stray ??= []).push(m);
  };

  private readonly onDecodeError = (e: Error): void => {
    // The kernel sent bytes we cannot split: fail what was waiting rather than hang.
    this.failAll(e);
  };

  /** Fail every request and batch item still waiting. */
  private failAll(err: Error): void {
    for (const p of [...this.pending.values()]) this.finish(p, err);
    for (const c of [...this.chunks]) this.failChunk(c, err);
  }

  private onError(err: Error & { code?: string }): void {
    if (err.code === 'ENOBUFS') {
      // Messages were dropped: subscribers must resync; answers to requests may be lost.
      for (const s of this.subs) s.overrun();
      this.failAll(new NetlinkError(105, { message: 'receive buffer overrun: answers were lost' }));
      return;
    }
    this.failAll(err);
  }

  private feed(p: Pending, m: AnyMessage): void {
    const type = m.type;
    if (type === NLMSG_ERROR) {
      const { error, extack } = readAck(m.buf, m.offset);
      this.finish(p, error < 0 ? new NetlinkError(-error, extack) : undefined);
      return;
    }
    if (type === NLMSG_DONE) {
      const { error, extack } = readAck(m.buf, m.offset);
      if (m.flags & NLM_F_DUMP_INTR) p.interrupted = true;
      this.finish(p, error < 0 ? new NetlinkError(-error, extack) : undefined);
      return;
    }
    if (type === NLMSG_NOOP || type === NLMSG_OVERRUN) return;
    const flags = m.flags;
    if (flags & NLM_F_DUMP_INTR) p.interrupted = true;
    if (p.onMessage) p.onMessage(m);
    else p.messages.push(m);
    // A single answer without an ACK asked for ends the request.
    if (!(flags & NLM_F_MULTI) && !(p.flags & NLM_F_ACK) && (p.flags & NLM_F_DUMP) !== NLM_F_DUMP) this.finish(p, undefined);
  }

  /** An answer to item k of a batch datagram. */
  private feedChunk(c: BatchChunk, k: number, m: AnyMessage): void {
    if (!c.open(k)) return;
    const run = c.run, index = c.first + k, type = m.type;
    if (type === NLMSG_ERROR || type === NLMSG_DONE) {
      const b = m.buf, o = m.offset;
      const error = b.readUInt32LE(o) >= NLMSG_HDRLEN + 4 ? b.readInt32LE(o + NLMSG_HDRLEN) : 0;
      if (error < 0) run.fail(index, -error, readAck(b, o).extack);
      if (!run.all && k === c.count - 1) {
        // The chunk's ACK: the kernel handles a datagram in order, so every earlier item
        // that did not fail has succeeded.
        c.answerRest();
        this.settle(c);
      } else if (c.answer(k)) this.settle(c);
      return;
    }
    if (type === NLMSG_NOOP || type === NLMSG_OVERRUN) return;
    const replies = (run.replies ??= new Map());
    const list = replies.get(index);
    if (list) list.push(m);
    else replies.set(index, [m]);
    // A single answer without an ACK asked for ends the item.
    const flags = (run.items[index].spec.flags ?? 0) | (run.all || k === c.count - 1 ? NLM_F_ACK : 0);
    if (!(m.flags & NLM_F_MULTI) && !(flags & NLM_F_ACK) && (flags & NLM_F_DUMP) !== NLM_F_DUMP && c.answer(k)) this.settle(c);
  }

  /** A batch datagram is done with: let the batch send the next one. */
  private settle(c: BatchChunk): void {
    const i = this.chunks.indexOf(c);
    if (i < 0) return;
    this.chunks.splice(i, 1);
    const run = c.run;
    run.inFlight--;
    const w = run.wake;
    run.wake = undefined;
    w?.();
  }

  /** Every open item of a chunk fails: kernel errors per item, anything else ends the batch. */
  private failChunk(c: BatchChunk, err: Error): void {
    const run = c.run;
    if (err instanceof NetlinkError) for (const i of c.openItems()) run.fail(i, err.errno, err.extack);
    else run.fatal ??= err;
    c.answerRest();
    this.settle(c);
  }

  private finish(p: Pending, err: Error | undefined): void {
    if (this.pending.get(p.seq) !== p) return;
    this.pending.delete(p.seq);
    if (this.lastPending === p) this.lastPending = undefined;
    if (p.timer) clearTimeout(p.timer);
    p.done(err, p);
    if ((p.flags & NLM_F_DUMP) === NLM_F_DUMP) this.nextDump();
    else if (p.counted) {
      this.inFlight--;
      this.requestQueue.shift()?.();
    }
  }

  // The kernel runs one dump per socket at a time (EBUSY otherwise), and a burst of dumps
  // would overflow the receive buffer: dumps wait their turn here.
  private dumping = false;
  private readonly dumpQueue: (() => void)[] = [];

  private sendDump(send: () => void): void {
    if (this.dumping) this.dumpQueue.push(send);
    else {
      this.dumping = true;
      send();
    }
  }

  private nextDump(): void {
    const next = this.dumpQueue.shift();
    if (next) next();
    else this.dumping = false;
  }

  /** Send a tracked request now, or when the running dump ends; a failed send fails it. */
  private sendTracked(p: Pending, buf: Buffer): void {
    const send = (): void => {
      if (this.pending.get(p.seq) !== p) return this.nextDump();
      try {
        this.transport.send(buf);
      } catch (e) {
        this.finish(p, e as Error);
      }
    };
    if ((p.flags & NLM_F_DUMP) === NLM_F_DUMP) this.sendDump(send);
    else {
      const go = (): void => { p.counted = true; this.inFlight++; send(); };
      if (this.inFlight < this.maxInFlight) go();
      else this.requestQueue.push(() => { if (this.pending.get(p.seq) === p) go(); else this.requestQueue.shift()?.(); });
    }
  }

  private queueUnclaimed(d: { buf: Buffer; messages: AnyMessage[] }): void {
    const w = this.waiters.shift();
    if (w) w.resolve(d);
    else this.unclaimed.push(d);
  }

  private nextUnclaimed(): Promise<{ buf: Buffer; messages: AnyMessage[] }> {
    this.keepUnclaimed = true;
    if (this.closed) return Promise.reject(new SocketClosedError());
    const d = this.unclaimed.shift();
    if (d) return Promise.resolve(d);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  // ---- raw and message level -------------------------------------------------------

  /** Send bytes as one datagram (one or several messages). */
  sendto(bufs: Buffer | readonly Buffer[]): void {
    if (this.closed) throw new SocketClosedError();
    this.keepUnclaimed = true;
    this.transport.send(bufs);
  }

  /** The next datagram not claimed by a request or a subscription, as bytes. */
  async recv(): Promise<Buffer> {
    return (await this.nextUnclaimed()).buf;
  }

  /** Encode and send a message; returns its sequence number. Answers arrive through get(). */
  put<H extends StructFields, D extends AttrDecl>(schema: MessageSchema<H, D>, spec: MessageSpec<H, D>): number {
    const seq = spec.seq ?? this.nextSeq();
    this.sendto(schema.encode(spec, (spec.flags ?? 0) | NLM_F_REQUEST, seq));
    return seq;
  }

  /** The messages of the next datagram not claimed by a request or subscription. */
  async get(): Promise<AnyMessage[]> {
    return (await this.nextUnclaimed()).messages;
  }

  // ---- requests ----------------------------------------------------------------------

  private track(seq: number, flags: number, timeout: number, done: (err: Error | undefined, p: Pending) => void, onMessage?: (m: AnyMessage) => void): Pending {
    if (this.closed) throw new SocketClosedError();
    const p = new Pending(seq, flags, done, onMessage);
    this.pending.set(seq, p);
    if (timeout > 0) p.timer = setTimeout(() => this.finish(p, new NetlinkTimeoutError(`netlink request seq ${seq}`, timeout)), timeout);
    return p;
  }

  /**
   * Send a request and collect its answer: every message of a dump until NLMSG_DONE, or the
   * reply and ACK. A negative answer throws NetlinkError with the kernel's extended-ACK text.
   * Default flags: NLM_F_ACK (NLM_F_REQUEST is always set).
   */
  async request<H extends StructFields, D extends AttrDecl>(schema: MessageSchema<H, D>, spec: MessageSpec<H, D>, opts: RequestOptions = {}): Promise<Message<H, D>[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return (await this.requestOnce(schema, spec, opts)) as Message<H, D>[];
      } catch (e) {
        if (e instanceof DumpInterruptedError && attempt < (opts.retryInterrupted ?? 0)) continue;
        throw e;
      }
    }
  }

  private requestOnce(schema: AnySchema, spec: MessageSpec<any, any>, opts: RequestOptions): Promise<AnyMessage[]> {
    const flags = (spec.flags ?? NLM_F_ACK) | NLM_F_REQUEST;
    const seq = this.nextSeq();
    const buf = schema.encode(spec, flags, seq);
    return new Promise((resolve, reject) => {
      const p = this.track(seq, flags, opts.timeout ?? this.timeout, (err, p) => {
        if (err) reject(err);
        else if (p.interrupted && !opts.allowInterrupted) reject(new DumpInterruptedError(p.messages));
        else resolve(p.messages);
      });
      this.sendTracked(p, buf);
    });
  }

  /**
   * A dump as an async iterator: messages are yielded as they arrive, and reading pauses
   * while the consumer lags, so memory stays bounded for huge dumps.
   *
   *     for await (const route of sock.dump(rtmsg, { type: RTM_GETROUTE, fields: { family: 2 } })) ...
   */
  dump<H extends StructFields, D extends AttrDecl>(schema: MessageSchema<H, D>, spec: MessageSpec<H, D>, opts: RequestOptions = {}): AsyncIterableIterator<Message<H, D>> {
    const flags = (spec.flags ?? 0) | NLM_F_DUMP | NLM_F_REQUEST;
    const seq = this.nextSeq();
    const stream: DumpStream = new DumpStream(
      () => { if (this.pausedBy.delete(stream) && this.pausedBy.size === 0) this.transport.resume(); },
      () => { if (this.pausedBy.delete(stream) && this.pausedBy.size === 0) this.transport.resume(); },
    );
    const p = this.track(seq, flags, opts.timeout ?? this.timeout, (err, p) => {
      this.streams--;
      if (this.pausedBy.delete(stream) && this.pausedBy.size === 0) this.transport.resume();
      if (!err && p.interrupted && !opts.allowInterrupted) err = new DumpInterruptedError([]);
      stream.end(err);
    }, (m) => {
      stream.push(m);
      if (stream.size > STREAM_HIGH && !this.pausedBy.has(stream)) {
        if (this.pausedBy.size === 0) this.transport.pause();
        this.pausedBy.add(stream);
      }
    });
    this.streams++;
    this.sendTracked(p, schema.encode(spec, flags, seq));
    return stream as unknown as AsyncIterableIterator<Message<H, D>>;
  }

  /** Raise the buffers once so a batch's answers and datagrams fit. */
  private sizeForBatches(): void {
    if (this.batchBuffersSet || !this.transport.setOption) return;
    this.batchBuffersSet = true;
    const set = (force: number, plain: number, bytes: number): void => {
      try { this.transport.setOption!(1, force, bytes); } catch { try { this.transport.setOption!(1, plain, bytes); } catch { /* keep default */ } }
    };
    set(SO_RCVBUFFORCE, SO_RCVBUF, 8 << 20);
    set(SO_SNDBUFFORCE, SO_SNDBUF, 4 << 20);
  }

  /**
   * Pipeline many requests: several per datagram, several datagrams in flight, every
   * failure reported with its index. Resolves when all are answered; never throws for a
   * failed item (see each result).
   */
  async batch(items: readonly { schema: AnySchema; spec: MessageSpec<any, any> }[], opts: BatchOptions = {}): Promise<BatchResult[]> {
    const all = opts.acks === 'all';
    const chunk = Math.max(1, opts.chunk ?? (all ? 128 : 1024));
    const inflight = Math.max(1, opts.inflight ?? 2);
    const run = new BatchRun(items, all, opts.onError);
    this.sizeForBatches();
    const w = new Writer(64 * 1024);
    const wait = (): Promise<void> => new Promise<void>((r) => { run.wake = r; });
    for (let i = 0; i < items.length && !run.fatal; ) {
      if (this.closed) throw new SocketClosedError();
      const first = i, count = Math.min(items.length - i, chunk);
      const firstSeq = this.reserveSeqs(count);
      w.pos = 0;
      for (let k = 0; k < count; k++, i++) {
        const { schema, spec } = items[i];
        const ack = all || k === count - 1;
        schema.encodeInto(w, spec, (spec.flags ?? 0) | NLM_F_REQUEST | (ack ? NLM_F_ACK : 0), firstSeq + k);
      }
      // Tracked before it is sent: a transport may answer from inside send().
      const c = new BatchChunk(run, firstSeq, first, count);
      this.chunks.push(c);
      run.inFlight++;
      try {
        this.transport.send(w.buf.subarray(0, w.pos));
      } catch (e) {
        this.failChunk(c, e as Error);
      }
      while (run.inFlight >= inflight && !run.fatal) await wait();
    }
    while (run.inFlight > 0) await wait();
    if (run.fatal) throw run.fatal;
    return run.results();
  }

  // ---- multicast -----------------------------------------------------------------------

  /**
   * Join multicast groups and stream their messages until `close()`. An ENOBUFS overrun
   * arrives as an Overrun marker (re-read the state), and the subscription keeps working.
   */
  subscribe<M extends AnyMessage = AnyMessage>(groups: readonly number[], filter?: (m: M) => boolean): Subscription<M> {
    if (this.closed) throw new SocketClosedError();
    if (!this.eventBufferSet && this.transport.setOption) {
      this.eventBufferSet = true;
      try { this.transport.setOption(1, SO_RCVBUFFORCE, this.eventRcvbuf); } catch {
        try { this.transport.setOption(1, SO_RCVBUF, this.eventRcvbuf); } catch { /* keep default */ }
      }
    }
    for (const g of groups) {
      const n = this.groupRefs.get(g) ?? 0;
      if (n === 0) this.transport.addMembership(g);
      this.groupRefs.set(g, n + 1);
    }
    const sub: Subscription<M> = new Subscription<M>(() => {
      this.subs.delete(sub as unknown as Subscription<AnyMessage>);
      for (const g of groups) {
        const n = (this.groupRefs.get(g) ?? 1) - 1;
        if (n === 0) {
          this.groupRefs.delete(g);
          if (!this.closed) try { this.transport.dropMembership(g); } catch { /* socket going away */ }
        } else this.groupRefs.set(g, n);
      }
    }, filter);
    this.subs.add(sub as unknown as Subscription<AnyMessage>);
    return sub;
  }

  // ---- life cycle ------------------------------------------------------------------------

  /** Close the socket: pending requests fail with SocketClosedError, subscriptions end. */
  close(): void {
    if (this.closed) return;
    for (const s of [...this.subs]) s.close();
    this.closed = true;
    const err = new SocketClosedError();
    this.failAll(err);
    for (const w of this.waiters.splice(0)) w.reject(err);
    this.transport.close();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  [Symbol.dispose](): void {
    this.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}

export { Overrun };
