// NetlinkSocket: every level of talking to the kernel, from raw datagrams to requests,
// streamed dumps, pipelined batches and multicast subscriptions.
import { EventEmitter } from 'node:events';
import { BatchChunk, BatchRun, type BatchOptions, type BatchResult } from './batch.js';
import {
  NLMSG_DONE,
  NLMSG_ERROR,
  NLMSG_HDRLEN,
  NLMSG_MIN_TYPE,
  NLMSG_NOOP,
  NLMSG_OVERRUN,
  NLM_F_ACK,
  NLM_F_DUMP,
  NLM_F_DUMP_INTR,
  NLM_F_MULTI,
  NLM_F_REQUEST,
  SO_RCVBUF,
  SO_RCVBUFFORCE,
  SO_SNDBUF,
  SO_SNDBUFFORCE,
} from './constants.js';
import { checkAck, readAck } from './control.js';
import { DumpStream, STREAM_HIGH } from './dumpstream.js';
import {
  AnswersLostError,
  DumpInterruptedError,
  NetlinkDecodeError,
  NetlinkError,
  NetlinkTimeoutError,
  NetlinkTransportError,
  SocketClosedError,
} from './errors.js';
import { Marshal } from './marshal.js';
import type { AnyMessage, AnySchema, Message, MessageSchema, MessageSpec } from './message.js';
import type { AttrDecl } from './attrs.js';
import { Pending } from './pending.js';
import { SendGate } from './sendgate.js';
import type { StructFields } from './types.js';
import { Subscription, Overrun, type SubscriptionOptions } from './subscription.js';
import { NativeTransport, setBufferSize, type NativeTransportOptions, type Transport } from './transport.js';
import { Writer } from './writer.js';

export type { BatchOptions, BatchResult } from './batch.js';

/** Default request timeout (ms): the kernel answers at once, so this only catches a lost answer. */
export const DEFAULT_REQUEST_TIMEOUT = 30_000;
/** Default longest silence (ms) between the parts of a dump. */
export const DEFAULT_DUMP_IDLE_TIMEOUT = 30_000;
/** Default number of unclaimed datagrams kept for recv()/get(). */
export const DEFAULT_MAX_STRAYS = 1024;
const DEFAULT_MAX_IN_FLIGHT = 128;
const DEFAULT_EVENT_RCVBUF = 16 << 20;
const BATCH_RCVBUF = 8 << 20;
const BATCH_SNDBUF = 4 << 20;
const BATCH_CHUNK_ERRORS = 1024;
const BATCH_CHUNK_ALL = 128;
const BATCH_INFLIGHT = 2;
const WRITER_SIZE = 64 * 1024;

export interface NetlinkSocketOptions extends NativeTransportOptions {
  /** NETLINK_ROUTE, NETLINK_GENERIC, ... (needed unless a transport is given). */
  protocol?: number;
  /** Message classes of the protocol; default: everything shown as raw. */
  marshal?: Marshal;
  /** Use this transport instead of a kernel socket (replay, custom). */
  transport?: Transport;
  /** Default timeout of a request in ms (default 30000; 0: none). Dumps use dumpIdleTimeout. */
  timeout?: number;
  /** Longest silence in ms between the parts of a dump (default 30000; 0: none). */
  dumpIdleTimeout?: number;
  /**
   * Requests (not dumps, not batches) in flight at once; more wait their turn, so a burst of
   * concurrent calls cannot overflow the receive buffer with answers (default 128).
   */
  maxInFlight?: number;
  /** Receive buffer for sockets with subscriptions (default 16 MiB). */
  eventRcvbuf?: number;
  /** Unclaimed datagrams kept for recv()/get() (default 1024); more are dropped and counted. */
  maxStrays?: number;
  /** Default queue bound of subscriptions (see SubscriptionOptions.maxQueue). */
  subscriptionQueue?: number;
}

export interface RequestOptions {
  /** Timeout in ms; overrides the socket's default (for a dump: of the whole dump). */
  timeout?: number;
  /** Retry a dump interrupted by a concurrent change this many times. */
  retryInterrupted?: number;
  /** Retry a dump interrupted by a concurrent change for up to this many ms (then throw). */
  retryInterruptedFor?: number;
  /** Resolve with the partial result of an interrupted dump instead of throwing. */
  allowInterrupted?: boolean;
}

/** Why a datagram or message was dropped (see the socket's 'drop' event and `stats`). */
export type DropReason = 'malformed' | 'foreign' | 'stray';

/** Counters of what the socket dropped instead of failing innocent requests. */
export interface SocketStats {
  /** Bytes that could not be split into messages and named no waiting request. */
  malformed: number;
  /** Unicast datagrams from a port other than the kernel's. */
  foreign: number;
  /** Unclaimed datagrams dropped because recv()/get() did not keep up. */
  strays: number;
  /** Receive buffer overruns (ENOBUFS) reported by the transport. */
  overruns: number;
}

/** The 'drop' event's argument. */
export interface DropInfo {
  reason: DropReason;
  /** The dropped bytes (a view: copy to keep). */
  bytes: Buffer;
  /** Sender port id. */
  pid: number;
  error?: NetlinkDecodeError;
}

interface Datagram {
  buf: Buffer;
  messages: AnyMessage[];
}
/** One request of a batch. */
type BatchItem = { schema: AnySchema; spec: MessageSpec<any, any> };

/** A failed send as a typed error: a syscall's errno becomes NetlinkTransportError. */
function sendError(e: unknown): Error {
  const err = e as Error & { code?: unknown };
  const typed = err instanceof SocketClosedError || err instanceof NetlinkTransportError;
  if (typed || typeof err?.code !== 'string') return err;
  return new NetlinkTransportError(err as Error & { code: string });
}

/**
 * A netlink socket speaking one protocol. Levels, lowest first: `sendto`/`recv` (bytes),
 * `put`/`get` (messages), `request` (sequence-tracked answer, errors as NetlinkError),
 * `dump` (streamed), `batch` (pipelined), `subscribe` (multicast).
 *
 * The process may exit while the socket is idle (like an unref'd net.Socket); it is held
 * open while a request, dump, batch, recv()/get() or iterated subscription waits.
 * Emits 'drop' (DropInfo) for what it discards.
 *
 *     await using sock = new NetlinkSocket({ protocol: NETLINK_ROUTE, marshal });
 *     const links = await sock.request(ifinfmsg, { type: RTM_GETLINK, flags: NLM_F_DUMP });
 */
export class NetlinkSocket extends EventEmitter {
  readonly transport: Transport;
  readonly marshal: Marshal;
  readonly stats: SocketStats = { malformed: 0, foreign: 0, strays: 0, overruns: 0 };
  readonly timeout: number;
  readonly dumpIdleTimeout: number;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  /** The request last looked up: a dump's answers all carry the same seq. */
  private lastPending: Pending | undefined;
  /** Batch datagrams awaiting answers (few: a batch keeps `inflight` of them). */
  private readonly chunks: BatchChunk[] = [];
  /** Unclaimed messages of the unicast datagram being split. */
  private stray: AnyMessage[] | undefined;
  /** The datagram being split, for errors that must find their request. */
  private current: { buf: Buffer; end: number; pid: number; groups: number } | undefined;
  private readonly subs = new Set<Subscription<AnyMessage>>();
  private readonly groupRefs = new Map<number, number>();
  private readonly unclaimed: Datagram[] = [];
  private readonly waiters: { resolve: (d: Datagram) => void; reject: (e: Error) => void }[] = [];
  private keepUnclaimed = false;
  private closed = false;
  private readonly pausedBy = new Set<DumpStream>();
  private eventBufferSet = false;
  private batchBuffersSet = false;
  private readonly eventRcvbuf: number;
  private readonly maxStrays: number;
  private readonly subscriptionQueue: number | undefined;
  private readonly gate: SendGate;
  /** Things waiting on this socket; while there are none, it does not hold the process. */
  private busy = 0;
  private readonly anyPort: boolean;
  /** Requests read as bytes (dumpBytes) now pending. */
  private byteReaders = 0;

  constructor(opts: NetlinkSocketOptions) {
    super();
    if (opts.transport) this.transport = opts.transport;
    else {
      if (opts.protocol === undefined) throw new TypeError('NetlinkSocket needs a protocol or a transport');
      this.transport = new NativeTransport(opts.protocol, opts);
    }
    this.marshal = opts.marshal ?? new Marshal();
    this.timeout = opts.timeout ?? DEFAULT_REQUEST_TIMEOUT;
    this.dumpIdleTimeout = opts.dumpIdleTimeout ?? DEFAULT_DUMP_IDLE_TIMEOUT;
    this.gate = new SendGate(Math.max(1, opts.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT));
    this.eventRcvbuf = opts.eventRcvbuf ?? DEFAULT_EVENT_RCVBUF;
    this.maxStrays = Math.max(0, opts.maxStrays ?? DEFAULT_MAX_STRAYS);
    this.subscriptionQueue = opts.subscriptionQueue;
    this.anyPort = this.transport.anyPort === true;
    this.transport.start({
      data: (buf, start, end, pid, groups) => this.onData(buf, start, end, pid, groups),
      error: (err) => this.onError(err),
    });
    this.transport.unref?.();
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

  // ---- holding the process -----------------------------------------------------------

  /** Keep the process alive until the matching release(): something waits on this socket. */
  retain(): void {
    if (this.busy++ === 0 && !this.closed) this.transport.ref?.();
  }

  release(): void {
    if (--this.busy === 0 && !this.closed) this.transport.unref?.();
  }

  // ---- receiving ---------------------------------------------------------------

  private onData(buf: Buffer, start: number, end: number, pid: number, groups: number): void {
    if (groups !== 0) {
      this.current = { buf, end, pid, groups };
      this.marshal.each(buf, start, end, this.toSubscribers, this.onDecodeError);
      this.current = undefined;
      return;
    }
    // Only the kernel answers requests: another process could forge an ACK.
    if (pid !== 0 && !this.anyPort) return this.drop('foreign', buf.subarray(start, end), pid);
    if (this.byteReaders > 0 && this.feedBytes(buf, start, end)) return;
    // Saved and restored: a callback may make a transport deliver another datagram at once.
    const outer = this.stray,
      outerCurrent = this.current;
    this.stray = undefined;
    this.current = { buf, end, pid, groups };
    let stray: AnyMessage[] | undefined;
    try {
      this.marshal.each(buf, start, end, this.route, this.onDecodeError);
    } finally {
      stray = this.stray;
      this.stray = outer;
      this.current = outerCurrent;
    }
    if (stray) this.queueUnclaimed({ buf: buf.subarray(start, end), messages: stray });
  }

  /**
   * Hand a datagram's messages to a dump read as bytes (dumpBytes) where they lie, if the
   * datagram holds only its answers: well formed, its sequence number, no control message.
   * Otherwise false: the datagram takes the ordinary path (the dump's end among them).
   */
  private feedBytes(buf: Buffer, start: number, end: number): boolean {
    if (start + NLMSG_HDRLEN > end) return false;
    const p = this.pendingOf(buf.readUInt32LE(start + 8));
    const visit = p?.onBytes;
    if (!p || !visit) return false;
    for (let q = start; q < end; ) {
      const len = q + NLMSG_HDRLEN <= end ? buf.readUInt32LE(q) : 0;
      if (len < NLMSG_HDRLEN || q + len > end) return false;
      if (buf.readUInt16LE(q + 4) < NLMSG_MIN_TYPE || buf.readUInt32LE(q + 8) !== p.seq) return false;
      q += (len + 3) & ~3;
    }
    p.active = true;
    try {
      for (let q = start; q < end && this.pending.get(p.seq) === p; q += (buf.readUInt32LE(q) + 3) & ~3) {
        if (buf.readUInt16LE(q + 6) & NLM_F_DUMP_INTR) p.interrupted = true;
        visit(buf, q);
      }
    } catch (e) {
      this.finish(p, e as Error);
    }
    return true;
  }

  private drop(reason: DropReason, bytes: Buffer, pid: number, error?: NetlinkDecodeError): void {
    this.stats[reason === 'stray' ? 'strays' : reason]++;
    if (this.listenerCount('drop')) this.emit('drop', { reason, bytes, pid, error } satisfies DropInfo);
  }

  private readonly toSubscribers = (m: AnyMessage): void => {
    for (const s of this.subs) s.push(m);
  };

  /** Where one unicast message goes: its request, its batch item, subscribers (seq 0), or get(). */
  private readonly route = (m: AnyMessage): void => {
    const seq = m.seq;
    if (seq === 0) return this.toSubscribers(m);
    const c = this.chunkOf(seq);
    if (c) return this.feedChunk(c, seq - c.firstSeq, m);
    const p = this.pendingOf(seq);
    if (p) this.feed(p, m);
    else if (this.keepUnclaimed) (this.stray ??= []).push(m);
  };

  private chunkOf(seq: number): BatchChunk | undefined {
    const chunks = this.chunks;
    for (let i = 0; i < chunks.length; i++) {
      const c = chunks[i],
        k = seq - c.firstSeq;
      if (k >= 0 && k < c.count) return c;
    }
    return undefined;
  }

  private pendingOf(seq: number): Pending | undefined {
    let p = this.lastPending;
    if (!p || p.seq !== seq) {
      p = this.pending.get(seq);
      if (p) this.lastPending = p;
    }
    return p;
  }

  /**
   * Bytes the splitter cannot read. If their header names a waiting request, that request
   * fails; otherwise nobody can claim them: they are dropped and counted.
   */
  private readonly onDecodeError = (e: NetlinkDecodeError): void => {
    const cur = this.current!,
      at = e.offset,
      buf = cur.buf;
    const seq = cur.groups === 0 && at + NLMSG_HDRLEN <= cur.end ? buf.readUInt32LE(at + 8) : 0;
    const c = seq ? this.chunkOf(seq) : undefined;
    const p = seq && !c ? this.pendingOf(seq) : undefined;
    if (c) this.failChunk(c, e);
    else if (p) this.finish(p, e);
    else this.drop('malformed', buf.subarray(at, cur.end), cur.pid, e);
  };

  private onError(err: Error & { code?: string }): void {
    if (err.code === 'ENOBUFS') return this.onOverrun();
    // The transport itself failed: what was sent may never be answered.
    const e = new NetlinkTransportError(err);
    for (const p of [...this.pending.values()]) if (p.sent) this.finish(p, e);
    for (const c of [...this.chunks]) this.failChunk(c, e);
  }

  /**
   * The kernel dropped messages. Subscribers must resync. Answers to requests in flight may
   * be among the losses; a dump's parts are not (the kernel waits for room), and requests
   * sent from now on are unaffected.
   */
  private onOverrun(): void {
    this.stats.overruns++;
    for (const s of this.subs) s.overrun();
    for (const p of [...this.pending.values()]) if (p.sent && !p.isDump) this.finish(p, new AnswersLostError());
    for (const c of [...this.chunks]) this.failChunk(c, new AnswersLostError());
  }

  private feed(p: Pending, m: AnyMessage): void {
    const type = m.type;
    p.active = true;
    if (type === NLMSG_ERROR || type === NLMSG_DONE) {
      const bad = checkAck(m.buf, m.offset);
      if (bad) return this.finish(p, bad);
      const { error, extack } = readAck(m.buf, m.offset);
      if (type === NLMSG_DONE && m.flags & NLM_F_DUMP_INTR) p.interrupted = true;
      this.finish(p, error < 0 ? new NetlinkError(-error, extack) : undefined);
      return;
    }
    if (type === NLMSG_NOOP || type === NLMSG_OVERRUN) return;
    const flags = m.flags;
    if (flags & NLM_F_DUMP_INTR) p.interrupted = true;
    if (p.onMessage) p.onMessage(m);
    else p.messages.push(m);
    // A single answer without an ACK asked for ends the request.
    if (!(flags & NLM_F_MULTI) && !(p.flags & NLM_F_ACK) && !p.isDump) this.finish(p, undefined);
  }

  /** An answer to item k of a batch datagram. */
  private feedChunk(c: BatchChunk, k: number, m: AnyMessage): void {
    if (!c.open(k)) return;
    const run = c.run,
      index = c.first + k,
      type = m.type;
    if (type === NLMSG_ERROR || type === NLMSG_DONE) {
      const b = m.buf,
        o = m.offset;
      const bad = checkAck(b, o);
      if (bad) return this.failChunk(c, bad);
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
    const single = !(m.flags & NLM_F_MULTI) && !(flags & NLM_F_ACK) && (flags & NLM_F_DUMP) !== NLM_F_DUMP;
    if (single && c.answer(k)) this.settle(c);
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
    if (err instanceof AnswersLostError) for (const i of c.openItems()) run.failWith(i, new AnswersLostError(i));
    else if (err instanceof NetlinkError) for (const i of c.openItems()) run.fail(i, err.errno, err.extack);
    else run.fatal ??= err;
    c.answerRest();
    this.settle(c);
  }

  private finish(p: Pending, err: Error | undefined): void {
    if (this.pending.get(p.seq) !== p) return;
    this.pending.delete(p.seq);
    if (p.onBytes) this.byteReaders--;
    if (this.lastPending === p) this.lastPending = undefined;
    p.clearTimers();
    p.done(err, p);
    if (p.counted) {
      p.counted = false;
      if (p.isDump) this.gate.dumpDone();
      else this.gate.requestDone();
    }
    this.release();
  }

  /** Send a tracked request when the gate lets it go; a failed send fails it. */
  private sendTracked(p: Pending, buf: Buffer): void {
    const job = (): boolean => {
      if (this.closed || this.pending.get(p.seq) !== p) return false;
      p.counted = true;
      p.sent = true;
      if (p.isDump) this.armIdle(p);
      try {
        this.transport.send(buf);
      } catch (e) {
        this.finish(p, sendError(e));
      }
      return true;
    };
    if (p.isDump) this.gate.dump(job);
    else this.gate.request(job);
  }

  /** A dump fails when no part arrives for dumpIdleTimeout, unless its reader holds it back. */
  private armIdle(p: Pending): void {
    const ms = this.dumpIdleTimeout;
    if (!(ms > 0)) return;
    p.idleTimer = setTimeout(() => {
      if (p.active || this.pausedBy.size) {
        p.active = false;
        p.idleTimer!.refresh();
      } else this.finish(p, new NetlinkTimeoutError(`netlink dump seq ${p.seq}: no answer for`, ms));
    }, ms);
  }

  private queueUnclaimed(d: Datagram): void {
    const w = this.waiters.shift();
    if (w) {
      this.release();
      w.resolve(d);
    } else if (this.unclaimed.length < this.maxStrays) this.unclaimed.push(d);
    else this.drop('stray', d.buf, 0);
  }

  private nextUnclaimed(): Promise<Datagram> {
    this.keepUnclaimed = true;
    if (this.closed) return Promise.reject(new SocketClosedError());
    const d = this.unclaimed.shift();
    if (d) return Promise.resolve(d);
    this.retain();
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

  private track(
    seq: number,
    flags: number,
    timeout: number,
    done: (err: Error | undefined, p: Pending) => void,
    onMessage?: (m: AnyMessage) => void,
    onBytes?: (buf: Buffer, offset: number) => void,
  ): Pending {
    if (this.closed) throw new SocketClosedError();
    const p = new Pending(seq, flags, (flags & NLM_F_DUMP) === NLM_F_DUMP, done, onMessage, onBytes);
    if (onBytes) this.byteReaders++;
    this.pending.set(seq, p);
    this.retain();
    if (timeout > 0) {
      const expire = (): void => this.finish(p, new NetlinkTimeoutError(`netlink request seq ${seq}`, timeout));
      p.timer = setTimeout(expire, timeout);
    }
    return p;
  }

  /**
   * Send a request and collect its answer: every message of a dump until NLMSG_DONE, or the
   * reply and ACK. A negative answer throws NetlinkError with the kernel's extended-ACK text.
   * Default flags: NLM_F_ACK (NLM_F_REQUEST is always set).
   */
  async request<H extends StructFields, D extends AttrDecl>(
    schema: MessageSchema<H, D>,
    spec: MessageSpec<H, D>,
    opts: RequestOptions = {},
  ): Promise<Message<H, D>[]> {
    const until = opts.retryInterruptedFor !== undefined ? performance.now() + opts.retryInterruptedFor : 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return (await this.requestOnce(schema, spec, opts)) as Message<H, D>[];
      } catch (e) {
        const again = attempt < (opts.retryInterrupted ?? 0) || performance.now() < until;
        if (e instanceof DumpInterruptedError && again) continue;
        throw e;
      }
    }
  }

  /**
   * A dump taken whole, for callers that want the current state: retried while the kernel
   * reports it was interrupted by a change (NLM_F_DUMP_INTR), for up to `retryFor` ms (default:
   * the socket's request timeout), so a busy system slows it down rather than failing it.
   */
  snapshot<H extends StructFields, D extends AttrDecl>(
    schema: MessageSchema<H, D>,
    spec: MessageSpec<H, D>,
    retryFor = this.timeout || DEFAULT_REQUEST_TIMEOUT,
  ): Promise<Message<H, D>[]> {
    return this.request(schema, { ...spec, flags: (spec.flags ?? 0) | NLM_F_DUMP }, { retryInterruptedFor: retryFor });
  }

  private requestOnce(schema: AnySchema, spec: MessageSpec<any, any>, opts: RequestOptions): Promise<AnyMessage[]> {
    const flags = (spec.flags ?? NLM_F_ACK) | NLM_F_REQUEST;
    const seq = this.nextSeq();
    const buf = schema.encode(spec, flags, seq);
    const isDump = (flags & NLM_F_DUMP) === NLM_F_DUMP;
    return new Promise((resolve, reject) => {
      const p = this.track(seq, flags, opts.timeout ?? (isDump ? 0 : this.timeout), (err, p) => {
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
  dump<H extends StructFields, D extends AttrDecl>(
    schema: MessageSchema<H, D>,
    spec: MessageSpec<H, D>,
    opts: RequestOptions = {},
  ): AsyncIterableIterator<Message<H, D>> {
    const flags = (spec.flags ?? 0) | NLM_F_DUMP | NLM_F_REQUEST;
    const seq = this.nextSeq();
    const unpause = (): void => {
      if (this.pausedBy.delete(stream) && this.pausedBy.size === 0) this.transport.resume();
    };
    const stream: DumpStream = new DumpStream(unpause, unpause);
    const p = this.track(
      seq,
      flags,
      opts.timeout ?? 0,
      (err, p) => {
        unpause();
        if (!err && p.interrupted && !opts.allowInterrupted) err = new DumpInterruptedError([]);
        stream.end(err);
      },
      (m) => {
        stream.push(m);
        if (stream.size > STREAM_HIGH && !this.pausedBy.has(stream)) {
          if (this.pausedBy.size === 0) this.transport.pause();
          this.pausedBy.add(stream);
        }
      },
    );
    this.sendTracked(p, schema.encode(spec, flags, seq));
    return stream as unknown as AsyncIterableIterator<Message<H, D>>;
  }

  /**
   * A dump read as bytes: each answer goes to `visit(buf, offset)` where it lies in the
   * received datagram, before the next is read, with no message object made: for a caller
   * that copies or keeps what it needs of the bytes. Resolves when the dump is complete and
   * fails as request() does; an exception from `visit` fails it too.
   */
  dumpBytes<H extends StructFields, D extends AttrDecl>(
    schema: MessageSchema<H, D>,
    spec: MessageSpec<H, D>,
    visit: (buf: Buffer, offset: number) => void,
    opts: RequestOptions = {},
  ): Promise<void> {
    const flags = (spec.flags ?? 0) | NLM_F_DUMP | NLM_F_REQUEST;
    const seq = this.nextSeq();
    return new Promise((resolve, reject) => {
      const p: Pending = this.track(
        seq,
        flags,
        opts.timeout ?? 0,
        (err, p) => {
          if (!err && p.interrupted && !opts.allowInterrupted) err = new DumpInterruptedError([]);
          if (err) reject(err);
          else resolve();
        },
        (m) => {
          try {
            visit(m.buf, m.offset);
          } catch (e) {
            this.finish(p, e as Error);
          }
        },
        visit,
      );
      this.sendTracked(p, schema.encode(spec, flags, seq));
    });
  }

  /** Raise the buffers once so a batch's answers and datagrams fit. */
  private sizeForBatches(): void {
    if (this.batchBuffersSet || !this.transport.setOption) return;
    this.batchBuffersSet = true;
    this.tryBufferSize(SO_RCVBUFFORCE, SO_RCVBUF, BATCH_RCVBUF);
    this.tryBufferSize(SO_SNDBUFFORCE, SO_SNDBUF, BATCH_SNDBUF);
  }

  /** A bigger buffer where the transport allows one; otherwise the default stays. */
  private tryBufferSize(force: number, plain: number, bytes: number): void {
    try {
      setBufferSize(this.transport, force, plain, bytes);
    } catch {
      /* keep default */
    }
  }

  /**
   * Pipeline many requests: several per datagram, several datagrams in flight, every
   * failure reported with its index. Resolves when all are answered; never throws for a
   * failed item (see each result).
   */
  async batch(items: readonly BatchItem[], opts: BatchOptions = {}): Promise<BatchResult[]> {
    if (this.closed) throw new SocketClosedError();
    this.retain();
    try {
      return await this.runBatch(items, opts);
    } finally {
      this.release();
    }
  }

  private async runBatch(items: readonly BatchItem[], opts: BatchOptions): Promise<BatchResult[]> {
    const all = opts.acks === 'all';
    const chunk = Math.max(1, opts.chunk ?? (all ? BATCH_CHUNK_ALL : BATCH_CHUNK_ERRORS));
    const inflight = Math.max(1, opts.inflight ?? BATCH_INFLIGHT);
    const run = new BatchRun(items, all, opts.onError);
    this.sizeForBatches();
    const w = new Writer(WRITER_SIZE);
    const wait = (): Promise<void> =>
      new Promise<void>((r) => {
        run.wake = r;
      });
    for (let i = 0; i < items.length && !run.fatal; ) {
      if (this.closed) throw new SocketClosedError();
      const first = i,
        count = Math.min(items.length - i, chunk);
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
        this.failChunk(c, sendError(e));
      }
      while (run.inFlight >= inflight && !run.fatal) await wait();
    }
    while (run.inFlight > 0) await wait();
    if (run.fatal) throw run.fatal;
    return run.results();
  }

  // ---- multicast -----------------------------------------------------------------------

  /**
   * Join multicast groups and stream their messages until `close()`. An overrun (the
   * kernel's ENOBUFS, or the reader falling `maxQueue` behind) arrives as an Overrun marker
   * (re-read the state), and the subscription keeps working.
   */
  subscribe<M extends AnyMessage = AnyMessage>(
    groups: readonly number[],
    filter?: (m: M) => boolean,
    opts: SubscriptionOptions = {},
  ): Subscription<M> {
    if (this.closed) throw new SocketClosedError();
    if (!this.eventBufferSet && this.transport.setOption) {
      this.eventBufferSet = true;
      this.tryBufferSize(SO_RCVBUFFORCE, SO_RCVBUF, this.eventRcvbuf);
    }
    for (const g of groups) {
      const n = this.groupRefs.get(g) ?? 0;
      if (n === 0) this.transport.addMembership(g);
      this.groupRefs.set(g, n + 1);
    }
    const sub: Subscription<M> = new Subscription<M>(
      () => {
        this.subs.delete(sub as unknown as Subscription<AnyMessage>);
        for (const g of groups) {
          const n = (this.groupRefs.get(g) ?? 1) - 1;
          if (n === 0) {
            this.groupRefs.delete(g);
            if (!this.closed)
              try {
                this.transport.dropMembership(g);
              } catch {
                /* socket going away */
              }
          } else this.groupRefs.set(g, n);
        }
      },
      filter,
      { maxQueue: this.subscriptionQueue, ...opts },
    );
    sub.watchWaiting((waiting) => (waiting ? this.retain() : this.release()));
    this.subs.add(sub as unknown as Subscription<AnyMessage>);
    return sub;
  }

  // ---- life cycle ------------------------------------------------------------------------

  /** Close the socket: pending requests fail with SocketClosedError, subscriptions end. Nothing more is sent. */
  close(): void {
    if (this.closed) return;
    for (const s of [...this.subs]) s.close();
    this.closed = true;
    this.gate.close();
    const err = new SocketClosedError();
    for (const p of [...this.pending.values()]) this.finish(p, err);
    for (const c of [...this.chunks]) this.failChunk(c, err);
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
