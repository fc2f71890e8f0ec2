// Splits received bytes into messages and picks each message's class from a policy.
import { NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN, NLMSG_NOOP, NLMSG_OVERRUN } from './constants.js';
import { nlmsgdone, nlmsgempty, nlmsgerr, nlmsgraw } from './control.js';
import { NetlinkDecodeError } from './errors.js';
import { Message, type AnyMessage, type AnySchema } from './message.js';

/** A class for a type, or a function choosing one from the bytes (e.g. by genl command). */
export type SchemaSelector = AnySchema | ((buf: Buffer, off: number) => AnySchema | undefined);

export interface MarshalOptions {
  /** Run on every parsed message (pyroute2's fix_message): protocol quirks go here. */
  fixup?: (msg: AnyMessage) => void;
  /** Class for types the policy does not know; default shows the payload as hex. */
  fallback?: AnySchema;
}

/**
 * `new Marshal({ [RTM_NEWLINK]: ifinfmsg, ... })` — the message-type policy of one protocol.
 * Policies are registrable at run time (generic netlink family ids are dynamic).
 */
export class Marshal {
  private readonly policy = new Map<number, SchemaSelector>();
  readonly fixup?: (msg: AnyMessage) => void;
  readonly fallback: AnySchema;

  constructor(
    policy: Record<number, SchemaSelector> | Iterable<readonly [number, SchemaSelector]> = {},
    opts: MarshalOptions = {},
  ) {
    const entries =
      Symbol.iterator in policy
        ? (policy as Iterable<readonly [number, SchemaSelector]>)
        : Object.entries(policy).map(([k, v]) => [Number(k), v] as const);
    for (const [k, v] of entries) this.policy.set(k, v);
    this.fixup = opts.fixup;
    this.fallback = opts.fallback ?? nlmsgraw;
  }

  /** Use `schema` for messages of `type`. */
  register(type: number, schema: SchemaSelector): void {
    this.policy.set(type, schema);
  }

  /** The class of the message at `off`. */
  schemaFor(buf: Buffer, off: number): AnySchema {
    const type = buf[off + 4] | (buf[off + 5] << 8);
    if (type === NLMSG_ERROR) return nlmsgerr;
    if (type === NLMSG_DONE) return nlmsgdone;
    if (type === NLMSG_NOOP || type === NLMSG_OVERRUN) return nlmsgempty;
    const sel = this.policy.get(type);
    if (!sel) return this.fallback;
    return (typeof sel === 'function' ? sel(buf, off) : sel) ?? this.fallback;
  }

  /**
   * Split `buf[start, end)` into messages. A malformed length stops the split: strict mode
   * throws NetlinkDecodeError, lenient mode reports it to `onError` and returns what came before.
   */
  parse(
    buf: Buffer,
    start = 0,
    end = buf.length,
    strict = true,
    onError?: (e: NetlinkDecodeError) => void,
  ): AnyMessage[] {
    const out: AnyMessage[] = [];
    this.each(
      buf,
      start,
      end,
      (m) => {
        out.push(m);
      },
      strict
        ? (e) => {
            throw e;
          }
        : onError,
    );
    return out;
  }

  /**
   * Hand each message of `buf[start, end)` to `visit` as it is split off (no array in
   * between). A malformed length stops the split and goes to `onError`.
   */
  each(
    buf: Buffer,
    start: number,
    end: number,
    visit: (m: AnyMessage) => void,
    onError?: (e: NetlinkDecodeError) => void,
  ): void {
    const fixup = this.fixup;
    let p = start;
    while (p < end) {
      const len =
        p + NLMSG_HDRLEN <= end ? (buf[p] | (buf[p + 1] << 8) | (buf[p + 2] << 16) | (buf[p + 3] << 24)) >>> 0 : 0;
      if (len < NLMSG_HDRLEN || p + len > end) {
        onError?.(checkLength(buf, p, end)!);
        return;
      }
      const msg = new Message(buf, p, this.schemaFor(buf, p));
      if (fixup) fixup(msg);
      visit(msg);
      p += (len + 3) & ~3;
    }
  }
}

/** Why the message header at p is unusable, or undefined if it is fine. */
export function checkLength(buf: Buffer, p: number, end: number): NetlinkDecodeError | undefined {
  if (p + NLMSG_HDRLEN > end) return new NetlinkDecodeError(`truncated netlink header (${end - p} bytes)`, p);
  const len = buf.readUInt32LE(p);
  if (len < NLMSG_HDRLEN) return new NetlinkDecodeError(`nlmsg_len ${len} under the header size`, p);
  if (p + len > end) return new NetlinkDecodeError(`nlmsg_len ${len} runs past the buffer (${end - p} bytes left)`, p);
  return undefined;
}
