// Typed errors of the core. Every failure a user can meet has its own class.
import { errnoName, errnoNumber, errnoText } from './errno.js';

/** The kernel's extended ACK: why a request failed, in the kernel's words. */
export interface ExtAck {
  message?: string;
  /** Byte offset of the offending attribute in the request. */
  offset?: number;
  cookie?: Buffer;
  missingType?: number;
  missingNest?: number;
  policy?: Buffer;
}

const EPERM = 1;

/** A request the kernel answered with a negative errno. */
export class NetlinkError extends Error {
  override name = 'NetlinkError';
  /** Errno name, e.g. 'EEXIST'. */
  readonly code: string;
  /** What was asked, when a public method made the request: 'route add', 'link set'. */
  readonly operation?: string;
  /** What it was asked about: '10.40.0.0/16 via 10.0.0.9 table main', 'v0'. */
  readonly object?: string;
  /** The request as the caller gave it (the spec), when a public method made it. */
  readonly request?: unknown;
  constructor(
    /** Positive errno. */
    readonly errno: number,
    readonly extack: ExtAck = {},
    /** Index of the request in a batch, when it was one of many. */
    readonly index?: number,
    what?: string,
  ) {
    const text = errnoText(errno);
    const why = extack.message ? `: ${extack.message}` : '';
    const message = `${what ? what + ': ' : ''}${text} (${errnoName(errno)})${why}`;
    // Netlink changes need CAP_NET_ADMIN over the socket's network namespace; say so once.
    super(errno === EPERM && !message.includes('CAP_') ? `${message} (needs CAP_NET_ADMIN)` : message);
    this.code = errnoName(errno);
  }
}

/** Bytes that are not valid netlink: where, and why. */
export class NetlinkDecodeError extends Error {
  override name = 'NetlinkDecodeError';
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {
    super(`${reason} at offset ${offset}`);
  }
}

/** A value that cannot be encoded (bad address, unknown attribute name, out of range). */
export class NetlinkEncodeError extends Error {
  override name = 'NetlinkEncodeError';
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(path ? `${path}: ${message}` : message);
  }
}

/**
 * The kernel's dump changed while it was read (NLM_F_DUMP_INTR): the result may be
 * inconsistent. `partial` holds what was received; retry with `{ retryInterrupted: n }`.
 */
export class DumpInterruptedError<T = unknown> extends Error {
  override name = 'DumpInterruptedError';
  constructor(readonly partial: T[]) {
    super('netlink dump was interrupted by a concurrent change (NLM_F_DUMP_INTR); result may be inconsistent');
  }
}

/** A wait that did not finish in time. */
export class NetlinkTimeoutError extends Error {
  override name = 'NetlinkTimeoutError';
  constructor(
    what: string,
    readonly ms: number,
  ) {
    super(`${what} timed out after ${ms} ms`);
  }
}

/** An operation on a socket that was already closed. */
export class SocketClosedError extends Error {
  override name = 'SocketClosedError';
  constructor() {
    super('netlink socket is closed');
  }
}

/**
 * The receive buffer overran (ENOBUFS) while this request waited: the kernel may have
 * dropped its answer, so whether it took effect is unknown. Re-read the state to find out.
 */
export class AnswersLostError extends NetlinkError {
  override name = 'AnswersLostError';
  constructor(index?: number) {
    super(errnoNumber('ENOBUFS')!, { message: 'receive buffer overrun: the answer may have been lost' }, index);
  }
}

/** The transport failed (a recvmsg/sendmsg error such as EIO), not the request itself. */
export class NetlinkTransportError extends Error {
  override name = 'NetlinkTransportError';
  /** Errno name, e.g. 'EIO'. */
  readonly code: string;
  readonly errno: number | undefined;
  readonly syscall: string | undefined;
  constructor(cause: Error & { code?: string; errno?: number; syscall?: string }) {
    super(`netlink transport error: ${cause.message}`, { cause });
    this.code = cause.code ?? 'EIO';
    this.errno = cause.errno;
    this.syscall = cause.syscall;
  }
}
