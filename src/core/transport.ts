// The protocol layer talks to a Transport; the kernel socket is one implementation.
import {
  NETLINK_ADD_MEMBERSHIP,
  NETLINK_CAP_ACK,
  NETLINK_DROP_MEMBERSHIP,
  NETLINK_EXT_ACK,
  NETLINK_GET_STRICT_CHK,
  SOL_NETLINK,
  SOL_SOCKET,
  SO_RCVBUF,
  SO_RCVBUFFORCE,
  SO_SNDBUF,
  SO_SNDBUFFORCE,
} from './constants.js';
import { SocketClosedError } from './errors.js';
import { RECV_EMPTY, RECV_TOO_SMALL, loadNative, type NativeBinding, type PollHandle } from './native.js';
import { netnsContext } from './nscontext.js';
import { netnsError, netnsLabel, netnsTarget } from './netnsref.js';

/**
 * Set a socket buffer size: past the sysctl limit with the FORCE option where allowed (root),
 * else with the plain one, which the kernel caps. Throws when neither can be set.
 */
export function setBufferSize(t: Pick<Transport, 'setOption'>, force: number, plain: number, bytes: number): void {
  if (!t.setOption) throw new TypeError('this transport has no socket options');
  try {
    t.setOption(SOL_SOCKET, force, bytes);
  } catch {
    t.setOption(SOL_SOCKET, plain, bytes);
  }
}

/** Where a transport delivers what it receives. */
export interface TransportSink {
  /** One datagram: bytes in buf[start, end), from port `pid`, multicast `groups` (0 if unicast). */
  data(buf: Buffer, start: number, end: number, pid: number, groups: number): void;
  /** A receive error, e.g. ENOBUFS when the kernel dropped messages; the transport keeps working. */
  error(err: Error & { code?: string }): void;
}

/** A netlink transport: the kernel socket, a replay of recorded answers, or your own. */
export interface Transport {
  /** Our port id (0 if the transport has none). */
  readonly portId: number;
  /**
   * Accept unicast answers from any port. A kernel transport leaves this unset: only the
   * kernel (port 0) may answer requests, so another process cannot forge an ACK.
   */
  readonly anyPort?: boolean;
  /** Send one datagram made of the buffers (a batch of messages, in one syscall). */
  send(bufs: Buffer | readonly Buffer[]): void;
  /** Start delivering datagrams to `sink`. Called once. */
  start(sink: TransportSink): void;
  /** Stop reading (backpressure); datagrams wait in the kernel queue. */
  pause(): void;
  resume(): void;
  addMembership(group: number): void;
  dropMembership(group: number): void;
  /** Integer socket options, where the transport has them. */
  setOption?(level: number, name: number, value: number): void;
  getOption?(level: number, name: number): number;
  /** Hold the process open while reading (like net.Socket#ref); the socket calls it while busy. */
  ref?(): void;
  /** Let the process exit while idle. */
  unref?(): void;
  close(): void;
}

/**
 * A transport that forwards everything to `inner`: wrappers (recording, taps) extend it and
 * override only what they change. The optional members exist exactly when `inner` has them, so
 * a socket over a wrapper sizes its buffers as it would over `inner`.
 */
export class ForwardingTransport implements Transport {
  setOption?: (level: number, name: number, value: number) => void;
  getOption?: (level: number, name: number) => number;

  constructor(readonly inner: Transport) {
    if (inner.setOption) this.setOption = (level, name, value) => inner.setOption?.(level, name, value);
    if (inner.getOption)
      this.getOption = (level, name) => (inner.getOption as (l: number, n: number) => number)(level, name);
  }

  get portId(): number {
    return this.inner.portId;
  }
  get anyPort(): boolean | undefined {
    return this.inner.anyPort;
  }
  send(bufs: Buffer | readonly Buffer[]): void {
    this.inner.send(bufs);
  }
  start(sink: TransportSink): void {
    this.inner.start(sink);
  }
  pause(): void {
    this.inner.pause();
  }
  resume(): void {
    this.inner.resume();
  }
  ref(): void {
    this.inner.ref?.();
  }
  unref(): void {
    this.inner.unref?.();
  }
  addMembership(group: number): void {
    this.inner.addMembership(group);
  }
  dropMembership(group: number): void {
    this.inner.dropMembership(group);
  }
  close(): void {
    this.inner.close();
  }
}

export interface NativeTransportOptions {
  /** A network namespace: a name under /var/run/netns, a path, or an open fd (default: the one netns.run() set for this async context, else the process's). */
  netns?: string | number;
  /** Receive buffer bytes; set with SO_RCVBUFFORCE when allowed, else SO_RCVBUF. */
  rcvbuf?: number;
  sndbuf?: number;
  /** Ask for extended ACK text (default true). */
  extAck?: boolean;
  /** Do not echo whole requests in error messages (default true). */
  capAck?: boolean;
  /** NETLINK_GET_STRICT_CHK: let the kernel filter dumps by header fields and attributes. */
  strictCheck?: boolean;
}

// Datagrams are received straight into a shared slab, and messages are views into it:
// no copy and no allocation per datagram. A slab is replaced when under MIN_ROOM is left.
const SLAB = 1 << 20;
const MIN_ROOM = 64 * 1024;

/** The kernel: an AF_NETLINK socket from the native addon, read through libuv polling. */
export class NativeTransport implements Transport {
  readonly fd: number;
  readonly portId: number;
  private readonly nat: NativeBinding;
  private sink: TransportSink | undefined;
  private handle: PollHandle | undefined;
  private slab = Buffer.allocUnsafeSlow(SLAB);
  private pos = 0;
  private readonly info = new Int32Array(4);
  private paused = false;
  private closed = false;
  private refed = true;

  constructor(
    readonly protocol: number,
    opts: NativeTransportOptions = {},
  ) {
    this.nat = loadNative();
    const want = opts.netns ?? netnsContext.getStore();
    const ns = want === undefined ? undefined : netnsTarget(want);
    try {
      this.fd = this.nat.open(protocol, ns ?? null);
    } catch (e) {
      // Opening or entering the namespace failed: say which one, as a NetnsError.
      const syscall = (e as { syscall?: unknown }).syscall;
      if (want === undefined || (syscall !== 'open' && syscall !== 'setns')) throw e;
      throw netnsError(e, 'open a socket in', netnsLabel(want), String(ns));
    }
    try {
      this.nat.bind(this.fd, 0, 0);
      this.portId = this.nat.getsockname(this.fd);
      // Optional features: older kernels may lack them, which is not an error.
      if (opts.extAck !== false) this.trySet(SOL_NETLINK, NETLINK_EXT_ACK, 1);
      if (opts.capAck !== false) this.trySet(SOL_NETLINK, NETLINK_CAP_ACK, 1);
      if (opts.strictCheck) this.trySet(SOL_NETLINK, NETLINK_GET_STRICT_CHK, 1);
      if (opts.rcvbuf) this.setBuffer(SO_RCVBUFFORCE, SO_RCVBUF, opts.rcvbuf);
      if (opts.sndbuf) this.setBuffer(SO_SNDBUFFORCE, SO_SNDBUF, opts.sndbuf);
    } catch (e) {
      this.nat.close(this.fd);
      throw e;
    }
  }

  private trySet(level: number, name: number, value: number): void {
    try {
      this.nat.setsockopt(this.fd, level, name, value);
    } catch {
      /* not supported here */
    }
  }

  /** Set a buffer size, forcing past the sysctl limit when we may (root). */
  setBuffer(force: number, plain: number, bytes: number): void {
    setBufferSize(this, force, plain, bytes);
  }

  send(bufs: Buffer | readonly Buffer[]): void {
    if (this.closed) throw new SocketClosedError();
    this.nat.send(this.fd, bufs, 0, 0);
  }

  start(sink: TransportSink): void {
    this.sink = sink;
    if (!this.paused) this.startPoll();
  }

  private startPoll(): void {
    this.handle = this.nat.poll(this.fd, this.onReadable);
    if (!this.refed) this.nat.pollRef(this.handle, false);
  }

  ref(): void {
    this.refed = true;
    if (this.handle) this.nat.pollRef(this.handle, true);
  }

  unref(): void {
    this.refed = false;
    if (this.handle) this.nat.pollRef(this.handle, false);
  }

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    if (this.handle) this.nat.pollStop(this.handle);
    this.handle = undefined;
  }

  resume(): void {
    if (!this.paused || this.closed) return;
    this.paused = false;
    if (this.sink) {
      this.startPoll();
      // Level-triggered polling would call us anyway; reading now keeps latency low.
      setImmediate(this.onReadable);
    }
  }

  /** Drain the socket: every queued datagram goes to the sink. */
  private readonly onReadable = (): void => {
    const sink = this.sink;
    while (sink && !this.paused && !this.closed) {
      if (this.slab.length - this.pos < MIN_ROOM) {
        this.slab = Buffer.allocUnsafeSlow(SLAB);
        this.pos = 0;
      }
      let n: number;
      try {
        n = this.nat.recv(this.fd, this.slab, this.pos, this.info);
      } catch (e) {
        sink.error(e as Error);
        if ((e as { code?: string }).code === 'ENOBUFS') continue;
        return;
      }
      if (n === RECV_EMPTY) return;
      if (n === RECV_TOO_SMALL) {
        this.slab = Buffer.allocUnsafeSlow(Math.max(SLAB, this.info[3] + MIN_ROOM));
        this.pos = 0;
        continue;
      }
      const start = this.pos;
      this.pos = (start + n + 7) & ~7;
      sink.data(this.slab, start, start + n, this.info[0] >>> 0, this.info[1] >>> 0);
    }
  };

  addMembership(group: number): void {
    this.nat.setsockopt(this.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group);
  }

  dropMembership(group: number): void {
    if (!this.closed) this.nat.setsockopt(this.fd, SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, group);
  }

  setOption(level: number, name: number, value: number): void {
    this.nat.setsockopt(this.fd, level, name, value);
  }

  getOption(level: number, name: number): number {
    return this.nat.getsockopt(this.fd, level, name);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.handle) this.nat.pollStop(this.handle);
    this.handle = undefined;
    this.sink = undefined;
    this.nat.close(this.fd);
  }
}
