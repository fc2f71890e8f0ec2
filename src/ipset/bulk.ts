// Bulk adds and deletes: elements packed into IPSET_ATTR_ADT containers, as ipset(8)'s
// restore does, each element tagged with IPSET_ATTR_LINENO = its index + 1 so that the
// kernel's answer to a failed element names it.
import {
  MessageSchema,
  NLA_F_NESTED,
  NLA_F_NET_BYTEORDER,
  NLMSG_HDRLEN,
  Writer,
  type MessageSpec,
} from '../core/index.js';
import {
  IPSET_ATTR_ADT,
  IPSET_ATTR_DATA,
  IPSET_ATTR_LINENO,
  IPSET_ATTR_PROTOCOL,
  IPSET_ATTR_SETNAME,
  NFPROTO_IPV4,
} from './constants.js';
import {
  parseEntry,
  entryOptionsOf,
  wireOptions,
  type EntryInput,
  type EntryOptions,
  type ParseContext,
  type WireOptions,
} from './entries.js';
import { writeEntry, writePlainIPv4 } from './encode.js';
import { IPSetSyntaxError } from './errors.js';
import { ipsetAdtMsg } from './ipset_msg.js';
import type { Dim } from './types.js';

/** Container payload size that closes a message (IPSET_ATTR_ADT's length is 16 bits). */
const MAX_CONTAINER = 16 * 1024;
/** Messages per datagram. */
export const MSG_PER_DATAGRAM = 32;
/** Elements encoded per round of sends. */
export const BULK_WINDOW = 65536;

/** What to encode: the elements and how to read them. */
export interface BulkPlan {
  list: readonly EntryInput[];
  dims: readonly Dim[];
  ctx: ParseContext;
  /** Options of the call, for every element. */
  common: WireOptions;
  /** Every element may be a plain IPv4 string: try the fast path first. */
  plain: boolean;
  /** Options of each element (restore lines), by index. */
  perEntry?: readonly (EntryOptions | undefined)[];
  /** Encoded start of every message: header, nfgenmsg, PROTOCOL, SETNAME, LINENO. */
  prefix: Buffer;
}

/** Encoded messages: byte spans, and which elements (by position in `order`) each holds. */
export interface Containers {
  bytes: Buffer;
  /** [start, end) of message k at 2k, 2k+1. */
  spans: Int32Array;
  /** [first, last) positions in `order` of message k's elements. */
  ranges: Int32Array;
  /** Element indices in the order they were placed. */
  order: Int32Array;
}

/** The constant start of every container message of a set. */
export function containerPrefix(name: string, protocol: number, type: number): Buffer {
  const nameBuf = Buffer.from(`${name}\0`);
  const w = new Writer(64);
  w.zeros(NLMSG_HDRLEN);
  w.buf.writeUInt16LE(type, 4);
  w.u8(NFPROTO_IPV4);
  w.u8(0);
  w.u16(0);
  w.u16(5);
  w.u16(IPSET_ATTR_PROTOCOL);
  w.u8(protocol);
  w.zeros(3);
  w.u16(4 + nameBuf.length);
  w.u16(IPSET_ATTR_SETNAME);
  w.bytes(nameBuf);
  w.pad4();
  // The kernel wants a command-level LINENO with IPSET_ATTR_ADT (and reports errors through it).
  w.u16(8);
  w.u16(IPSET_ATTR_LINENO | NLA_F_NET_BYTEORDER);
  w.u32(0);
  return w.toBuffer();
}

/**
 * Encode `count` elements (indices[j], or base + j) into container messages of at most
 * `cap` elements. An element that does not parse goes to `fail` and is left out.
 */
export function encodeContainers(
  plan: BulkPlan,
  indices: ArrayLike<number> | null,
  base: number,
  count: number,
  cap: number,
  fail: (index: number, error: IPSetSyntaxError) => void,
): Containers {
  const { list, dims, ctx, common, plain, perEntry, prefix } = plan;
  const w = new Writer(Math.max(4096, count * 28 + 1024));
  const spans: number[] = [];
  const ranges: number[] = [];
  const order = new Int32Array(count);
  let placed = 0;
  let msgStart = -1,
    adtAt = 0,
    inMsg = 0,
    firstPlaced = 0;
  const close = (): void => {
    if (msgStart < 0) return;
    w.buf.writeUInt16LE(w.pos - adtAt, adtAt);
    w.buf.writeUInt32LE(w.pos - msgStart, msgStart);
    spans.push(msgStart, w.pos);
    ranges.push(firstPlaced, placed);
    msgStart = -1;
  };
  for (let j = 0; j < count; j++) {
    const i = indices ? indices[j] : base + j;
    if (msgStart < 0) {
      msgStart = w.pos;
      w.bytes(prefix);
      adtAt = w.pos;
      w.u16(0);
      w.u16(IPSET_ATTR_ADT | NLA_F_NESTED);
      inMsg = 0;
      firstPlaced = placed;
    }
    const at = w.pos;
    w.u32(0);
    const x = list[i];
    if (!(plain && typeof x === 'string' && writePlainIPv4(w, x))) {
      try {
        const eo: EntryOptions = { ...perEntry?.[i] };
        const e = parseEntry(x, dims, ctx, eo);
        const own = entryOptionsOf(x);
        writeEntry(w, e, own || hasEntryOptions(eo) ? wireOptions(own, wireOptions(eo, common)) : common);
      } catch (err) {
        w.pos = at;
        if (err instanceof IPSetSyntaxError) {
          fail(i, err);
          continue;
        }
        throw err;
      }
    }
    w.ensure(8);
    w.buf.writeUInt32LE((((IPSET_ATTR_LINENO | NLA_F_NET_BYTEORDER) << 16) | 8) >>> 0, w.pos);
    w.buf.writeUInt32BE(i + 1, w.pos + 4);
    w.pos += 8;
    w.buf.writeUInt32LE((((IPSET_ATTR_DATA | NLA_F_NESTED) << 16) | (w.pos - at)) >>> 0, at);
    order[placed++] = i;
    inMsg++;
    if (w.pos - adtAt >= MAX_CONTAINER || inMsg >= cap) close();
  }
  close();
  return { bytes: w.buf, spans: Int32Array.from(spans), ranges: Int32Array.from(ranges), order };
}

/**
 * A message class whose messages are already encoded: encodeInto copies the bytes of
 * one container and sets its flags and sequence number (sock.batch drives it).
 */
export class PreEncoded extends MessageSchema<any, any> {
  /** Sequence number each container went out with, by container index. */
  readonly seqs: number[] = [];
  constructor(
    private readonly bytes: Buffer,
    private readonly spans: Int32Array,
  ) {
    super('ipset.ipset_adt_msg', ipsetAdtMsg.header, ipsetAdtMsg.attrs, ipsetAdtMsg.opts);
  }

  override encodeInto(w: Writer, spec: MessageSpec<any, any>, flags = spec.flags ?? 0, seq = spec.seq ?? 0): number {
    const k = (spec as unknown as { k: number }).k;
    const from = this.spans[2 * k],
      to = this.spans[2 * k + 1];
    const at = w.pos;
    w.bytes(this.bytes.subarray(from, to));
    w.buf.writeUInt16LE(flags, at + 6);
    w.buf.writeUInt32LE(seq, at + 8);
    this.seqs[k] = seq;
    return at;
  }
}

/** Whether options put anything on the wire (the plain-IPv4 fast path needs none). */
export function hasWireOptions(o: WireOptions): boolean {
  return (
    o.cadtFlags !== 0 ||
    o.timeout !== undefined ||
    o.packets !== undefined ||
    o.bytes !== undefined ||
    o.comment !== undefined ||
    o.skbmark !== undefined ||
    o.skbprio !== undefined ||
    o.skbqueue !== undefined ||
    o.nameref !== undefined
  );
}

function hasEntryOptions(o: EntryOptions): boolean {
  for (const k in o) if ((o as Record<string, unknown>)[k] !== undefined) return true;
  return false;
}
