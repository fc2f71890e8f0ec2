// NetlinkSocket: every level of talking to the kernel, from raw datagrams to requests,
// streamed dumps, pipelined batches and multicast subscriptions.
import {
  NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, NLMSG_OVERRUN, NLM_F_ACK, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_MULTI, NLM_F_REQUEST,
  SO_RCVBUF, SO_RCVBUFFORCE, SO_SNDBUF, SO_SNDBUFFORCE,
} from './constants.js';
import { readAck } from './control.js';
import { DumpInterruptedError, NetlinkError, NetlinkTimeoutError, SocketClosedError } from './errors.js';
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
  /** Per datagram, while it is split: unicast or multicast, and unclaimed messages. */
  private dataGroups = 0;
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

  // ---- receiving ---------------------------------------------------------------

  private onData(buf: Buffer, start: number, end: number, _pid: number, groups: number): void {
    this.dataGroups = groups;
    this.stray = undefined;
    this.marshal.each(buf, start, end, this.route, this.onDecodeError);
    const stray = this.stray;
    if (stray) {
      this.stray = undefined;
      this.queueUnclaimed({ buf: buf.subarray(start, end), messages: stray });
    }
  }

  /** Where one received message goes: its request, subscribers, or get(). */
  private readonly route = (m: AnyMessage): void => {
    const seq = m.seq;
    if (this.dataGroups !== 0 || seq === 0) {
      for (const s of this.subs) s.push(m);
      return;
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

  /** Fail every request still waiting. */
  private failAll(err: Error): void {
    for (const p of [...this.pending.values()]) this.finish(p, err);
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
    this.sendto(schema.encode({ ...spec, seq, flags: (spec.flags ?? 0) | NLM_F_REQUEST }));
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
    const buf = schema.encode({ ...spec, flags, seq });
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
    this.sendTracked(p, schema.encode({ ...spec, flags, seq }));
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
    const results = new Array<BatchResult>(items.length);
    this.sizeForBatches();
    let open = 0;
    let wake: (() => void) | undefined;
    let fatal: Error | undefined;
    const settle = (): void => { open--; const w = wake; wake = undefined; w?.(); };
    const w = new Writer(64 * 1024);
    for (let i = 0; i < items.length && !fatal; ) {
      w.pos = 0;
      const first = i;
      const last = Math.min(items.length, i + chunk) - 1;
      const seqs: number[] = [];
      for (; i <= last; i++) {
        const { schema, spec } = items[i];
        const ack = all || i === last;
        const flags = (spec.flags ?? 0) | NLM_F_REQUEST | (ack ? NLM_F_ACK : 0);
        const seq = this.nextSeq();
        seqs.push(seq);
        const index = i;
        schema.encodeInto(w, { ...spec, flags, seq });
        open++;
        this.track(seq, flags, 0, (err, p) => {
          if (err instanceof NetlinkError) {
            const e = new NetlinkError(err.errno, err.extack, index);
            results[index] = { index, ok: false, error: e };
            opts.onError?.(e, index);
          } else if (err) fatal ??= err;
          else results[index] = { index, ok: true, messages: p.messages };
          settle();
          // The chunk's last ACK: every earlier message of it that did not fail succeeded.
          if (!all && index === last) {
            for (let k = first; k < last; k++) {
              const q = this.pending.get(seqs[k - first]);
              if (q) this.finish(q, undefined);
            }
          }
        });
      }
      try {
        this.transport.send(w.buf.subarray(0, w.pos));
      } catch (e) {
        for (const s of seqs) { const q = this.pending.get(s); if (q) this.finish(q, e as Error); }
      }
      while (open > 0 && Math.ceil(open / chunk) >= inflight && !fatal) await new Promise<void>((r) => { wake = r; });
    }
    while (open > 0) await new Promise<void>((r) => { wake = r; });
    if (fatal) throw fatal;
    return results;
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
