// Joins byte pieces (hex lines, strace buffers, pcap packets) into whole netlink messages
// by their nlmsg_len, holding at most one message at a time: the decoder's constant-memory
// input stage. A message may span lines and blank lines; a hard break (a datagram ended)
// inside a message is a truncation.
import { NLMSG_HDRLEN, NetlinkDecodeError } from '../core/index.js';

/** What the assembler hands on, in input order. */
export interface AssemblerSink {
  /** One whole message, in its own buffer. */
  message(buf: Buffer): void;
  /** Bytes that could not be split into messages (dropped up to the next break). */
  error(err: NetlinkDecodeError): void;
  /** Trailing zero bytes at a break (some tools pad requests). */
  padding(bytes: number): void;
  /** A buffer ended on a message boundary. */
  boundary(): void;
}

/** Larger than any netlink message a kernel sends: a length above it is garbage, not a wait. */
export const MAX_MESSAGE_BYTES = 16 << 20;

export class MessageAssembler {
  private parts: Buffer[] = [];
  private size = 0;
  /** Bytes consumed so far, for error offsets. */
  private offset = 0;
  /** After an error: drop bytes up to the next break. */
  private skipping = false;
  /** Bytes dropped because they could not be split into messages. */
  bytesSkipped = 0;
  /** Alignment bytes still to drop after the last message. */
  private align = 0;

  constructor(private readonly sink: AssemblerSink) {}

  push(bytes: Buffer): void {
    if (this.skipping) {
      this.bytesSkipped += bytes.length;
      this.offset += bytes.length;
      return;
    }
    if (this.align) {
      const n = Math.min(this.align, bytes.length);
      this.align -= n;
      this.offset += n;
      bytes = bytes.subarray(n);
      if (!bytes.length) return;
    }
    this.parts.push(bytes);
    this.size += bytes.length;
    this.split();
  }

  /** The input may end a buffer here; `hard` when it certainly does (a datagram ended). */
  brk(hard: boolean): void {
    this.align = 0;
    if (this.skipping) {
      this.skipping = false;
      this.sink.boundary();
      return;
    }
    if (this.size === 0) {
      this.sink.boundary();
      return;
    }
    const pending = this.take(this.size);
    if (isZero(pending)) {
      this.sink.padding(pending.length);
      this.sink.boundary();
    } else if (hard) {
      this.fail(truncation(pending, this.offset - pending.length), pending.length);
      this.skipping = false;
      this.sink.boundary();
    } else {
      // A blank line inside a message: keep going.
      this.parts = [pending];
      this.size = pending.length;
      this.offset -= pending.length;
    }
  }

  /** The input ended. */
  end(): void {
    this.brk(true);
  }

  private split(): void {
    while (this.size >= 4) {
      const head = this.peek(4);
      const len = head.readUInt32LE(0);
      if (len === 0 && isZero(this.peek(this.size))) return; // padding, or a message not yet begun
      if (len < NLMSG_HDRLEN || len > MAX_MESSAGE_BYTES) {
        const at = this.offset;
        const bad = len < NLMSG_HDRLEN ? `nlmsg_len ${len} under the header size` : `nlmsg_len ${len} is implausible`;
        const n = this.size;
        this.take(n);
        this.fail(new NetlinkDecodeError(bad, at), n);
        return;
      }
      if (this.size < len) return;
      const msg = this.take(len);
      this.sink.message(msg);
      const pad = ((len + 3) & ~3) - len;
      const now = Math.min(pad, this.size);
      if (now) this.take(now);
      this.align = pad - now;
    }
  }

  private fail(err: NetlinkDecodeError, dropped: number): void {
    this.skipping = true;
    this.bytesSkipped += dropped;
    this.sink.error(err);
  }

  /** The first `n` bytes without consuming them (n <= size). */
  private peek(n: number): Buffer {
    if (this.parts[0]!.length >= n) return this.parts[0]!;
    const joined = Buffer.concat(this.parts);
    this.parts = [joined];
    return joined;
  }

  /** Remove and return the first `n` bytes as one buffer of their own. */
  private take(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let done = 0;
    while (done < n) {
      const p = this.parts[0]!;
      const k = Math.min(p.length, n - done);
      p.copy(out, done, 0, k);
      done += k;
      if (k === p.length) this.parts.shift();
      else this.parts[0] = p.subarray(k);
    }
    this.size -= n;
    this.offset += n;
    return out;
  }
}

function isZero(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

function truncation(pending: Buffer, at: number): NetlinkDecodeError {
  const n = pending.length;
  if (n < NLMSG_HDRLEN) return new NetlinkDecodeError(`truncated netlink header (${n} bytes)`, at);
  return new NetlinkDecodeError(`nlmsg_len ${pending.readUInt32LE(0)} runs past the buffer (${n} bytes left)`, at);
}
