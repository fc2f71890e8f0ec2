// Attribute and field types: each knows how to read and write one value.
// A schema is made of these; the codec itself never special-cases a protocol.
import { AF_INET, AF_INET6, AF_MPLS, NLA_F_NET_BYTEORDER } from './constants.js';
import {
  ipv4ToString,
  ipv6ToString,
  macToString,
  mplsToString,
  parseIP,
  parseIPv4,
  parseIPv6,
  parseMac,
  parseMpls,
} from './addr.js';
import { NetlinkDecodeError, NetlinkEncodeError } from './errors.js';
import type { Writer } from './writer.js';

/** What a decoder may ask of the message or nest an attribute sits in. */
export interface Owner {
  /** Address family of the enclosing message (for 'addr' types). */
  readonly family: number;
  /** A sibling attribute, e.g. IFLA_INFO_KIND when decoding IFLA_INFO_DATA. */
  getAttr(name: string): unknown;
}

/** What an encoder may ask of the message being built. */
export interface EncodeCtx {
  family: number;
  /** The attributes at the same level, for types that depend on a sibling. */
  siblings: unknown;
  path: string;
}

/**
 * The context of one part of what is being encoded (a struct field, an attribute), reused
 * from part to part: its path is only built when an error asks for it.
 */
export class PartCtx implements EncodeCtx {
  /** The current part's name. */
  declare name: string | number;
  declare family: number;
  declare siblings: unknown;
  declare private readonly parent: string | { readonly path: string };
  constructor(parent: string | { readonly path: string }, family: number, siblings: unknown) {
    this.parent = parent;
    this.family = family;
    this.siblings = siblings;
    this.name = '';
  }
  get path(): string {
    const p = this.parent;
    return `${typeof p === 'string' ? p : p.path}.${this.name}`;
  }
}

/** One type: decode `len` bytes at `off`, encode a value, show it. */
export interface NlaType<T = unknown, In = T> {
  readonly kind: string;
  /** Fixed payload size in bytes; 0 for variable. */
  readonly size: number;
  /** Flag bits set on nla_type when this type is sent (NLA_F_NESTED, NLA_F_NET_BYTEORDER). */
  readonly nlaFlags: number;
  decode(buf: Buffer, off: number, len: number, owner: Owner): T;
  encode(w: Writer, value: In, ctx: EncodeCtx): void;
  /** JSON-friendly form for printing: names for enums, text for bytes. */
  pretty(value: T): unknown;
}

const ident = <T>(v: T): unknown => v;

function short(kind: string, need: number, len: number, off: number): never {
  throw new NetlinkDecodeError(`${kind} needs ${need} bytes, has ${len}`, off);
}

function intRange(kind: string, v: number, lo: number, hi: number, ctx: EncodeCtx): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new NetlinkEncodeError(`${kind} value ${String(v)} out of range ${lo}..${hi}`, ctx.path);
  }
  return v;
}

function int(kind: string, size: number, signed: boolean, be: boolean): NlaType<number> {
  const bits = size * 8;
  const lo = signed ? -(2 ** (bits - 1)) : 0;
  const hi = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  const read = (b: Buffer, o: number): number =>
    size === 1
      ? signed
        ? b.readInt8(o)
        : b[o]
      : size === 2
        ? be
          ? signed
            ? b.readInt16BE(o)
            : b.readUInt16BE(o)
          : signed
            ? b.readInt16LE(o)
            : b.readUInt16LE(o)
        : be
          ? signed
            ? b.readInt32BE(o)
            : b.readUInt32BE(o)
          : signed
            ? b.readInt32LE(o)
            : b.readUInt32LE(o);
  return {
    kind,
    size,
    nlaFlags: 0,
    decode(b, o, len) {
      if (len < size) short(kind, size, len, o);
      return read(b, o);
    },
    encode(w, v, ctx) {
      // A u8 often holds an on/off option: true and false are 1 and 0.
      if (typeof v === 'boolean' && size === 1) v = v ? 1 : 0;
      intRange(kind, v, lo, hi, ctx);
      w.ensure(size);
      const b = w.buf,
        o = w.pos;
      if (size === 1) b[o] = v & 0xff;
      else if (size === 2) be ? b.writeUInt16BE(v & 0xffff, o) : b.writeUInt16LE(v & 0xffff, o);
      else be ? b.writeUInt32BE(v >>> 0, o) : b.writeUInt32LE(v >>> 0, o);
      w.pos += size;
    },
    pretty: ident,
  };
}

function int64(kind: string, signed: boolean, be: boolean): NlaType<bigint, bigint | number> {
  return {
    kind,
    size: 8,
    nlaFlags: 0,
    decode(b, o, len) {
      if (len < 8) short(kind, 8, len, o);
      return be
        ? signed
          ? b.readBigInt64BE(o)
          : b.readBigUInt64BE(o)
        : signed
          ? b.readBigInt64LE(o)
          : b.readBigUInt64LE(o);
    },
    encode(w, v, ctx) {
      let x: bigint;
      try {
        x = BigInt(v);
      } catch {
        throw new NetlinkEncodeError(`${kind} value ${String(v)} is not an integer`, ctx.path);
      }
      const lo = signed ? -(1n << 63n) : 0n,
        hi = signed ? (1n << 63n) - 1n : (1n << 64n) - 1n;
      if (x < lo || x > hi) throw new NetlinkEncodeError(`${kind} value ${x} out of range`, ctx.path);
      w.ensure(8);
      if (be) signed ? w.buf.writeBigInt64BE(x, w.pos) : w.buf.writeBigUInt64BE(x, w.pos);
      else signed ? w.buf.writeBigInt64LE(x, w.pos) : w.buf.writeBigUInt64LE(x, w.pos);
      w.pos += 8;
    },
    // JSON has no bigint: a number while exact, else a string.
    pretty: (v) =>
      v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString(),
  };
}

/** An 8-bit unsigned integer; true and false encode as 1 and 0 (on/off options). */
export const u8: NlaType<number, number | boolean> = int('u8', 1, false, false);
export const u16 = int('u16', 2, false, false);
export const u32 = int('u32', 4, false, false);
export const s8 = int('s8', 1, true, false);
export const s16 = int('s16', 2, true, false);
export const s32 = int('s32', 4, true, false);
export const be16 = int('be16', 2, false, true);
export const be32 = int('be32', 4, false, true);
export const u64 = int64('u64', false, false);
export const s64 = int64('s64', true, false);
export const be64 = int64('be64', false, true);

/** The same type, sent with NLA_F_NET_BYTEORDER set (ipset marks big-endian values so). */
export function netorder<T, I>(t: NlaType<T, I>): NlaType<T, I> {
  return { ...t, nlaFlags: t.nlaFlags | NLA_F_NET_BYTEORDER };
}

/** The third argument of enumOf for a value the kernel takes unchecked: `enumOf(u8, RT_TABLE, OPEN)`. */
export const OPEN = { open: true } as const;

/**
 * Values shown by name: `enumOf(u8, {RTN_UNICAST: 1, ...})`. Decodes to the number.
 * `open` marks a value the kernel passes through unchecked (a route table, a protocol), so a
 * record may hold a number with no name: record types then add `number` to the names.
 */
export function enumOf<N extends Record<string, number>, O extends boolean = false>(
  base: NlaType<number>,
  names: N,
  open?: { open: O },
): NlaType<number, number | (keyof N & string)> & { names: N; mode: 'enum'; open: O } {
  const byValue = new Map<number, string>();
  for (const [k, v] of Object.entries(names)) if (!byValue.has(v)) byValue.set(v, k);
  return {
    kind: `enum(${base.kind})`,
    size: base.size,
    nlaFlags: base.nlaFlags,
    names,
    mode: 'enum',
    open: (open?.open ?? false) as O,
    decode: base.decode,
    encode(w, v, ctx) {
      if (typeof v === 'string') {
        const n = names[v];
        if (n === undefined)
          throw new NetlinkEncodeError(`unknown name ${v} (one of ${Object.keys(names).join(', ')})`, ctx.path);
        base.encode(w, n, ctx);
      } else base.encode(w, v, ctx);
    },
    pretty: (v) => byValue.get(v) ?? v,
  };
}

/** A bit mask shown as flag names: `flagsOf(u32, {IFF_UP: 1, ...})`. Decodes to the number. */
export function flagsOf<N extends Record<string, number>>(
  base: NlaType<number>,
  names: N,
): NlaType<number, number | readonly (keyof N & string)[]> & { names: N; mode: 'flags' } {
  return {
    kind: `flags(${base.kind})`,
    size: base.size,
    nlaFlags: base.nlaFlags,
    names,
    mode: 'flags',
    decode: base.decode,
    encode(w, v, ctx) {
      if (Array.isArray(v)) {
        let n = 0;
        for (const name of v) {
          const bit = names[name];
          if (bit === undefined) throw new NetlinkEncodeError(`unknown flag ${name}`, ctx.path);
          n |= bit;
        }
        base.encode(w, n >>> 0, ctx);
      } else base.encode(w, v as number, ctx);
    },
    pretty: (v) => flagNames(v, names),
  };
}

/** ['IFF_UP', 'IFF_LOOPBACK', '0x10000'] for a mask. */
export function flagNames(v: number, names: Record<string, number>): string[] {
  const out: string[] = [];
  let rest = v >>> 0;
  for (const [k, bit] of Object.entries(names)) {
    // `>>> 0` on both sides: with bit 31 set, `&` gives a negative number.
    if (bit && (rest & bit) >>> 0 === bit >>> 0) {
      out.push(k);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest) out.push(`0x${rest.toString(16)}`);
  return out;
}

function bytesIn(v: unknown, ctx: EncodeCtx, kind: string): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') {
    const hex = v.replace(/[\s:]/g, '');
    if (hex.length % 2 || /[^0-9a-fA-F]/.test(hex))
      throw new NetlinkEncodeError(`${kind}: not hex: ${JSON.stringify(v)}`, ctx.path);
    return Buffer.from(hex, 'hex');
  }
  throw new NetlinkEncodeError(`${kind} needs a Buffer or a hex string`, ctx.path);
}

/** Opaque bytes. */
export const binary: NlaType<Buffer, Uint8Array | string> = {
  kind: 'binary',
  size: 0,
  nlaFlags: 0,
  decode: (b, o, len) => b.subarray(o, o + len),
  encode(w, v, ctx) {
    w.bytes(bytesIn(v, ctx, 'binary'));
  },
  pretty: (v) => v.toString('hex'),
};

/** Not modelled yet: kept as bytes and shown as a hex dump. */
export const hex: NlaType<Buffer, Uint8Array | string> = { ...binary, kind: 'hex' };

/** Zero-length presence flag. */
export const flag: NlaType<true, boolean> = {
  kind: 'flag',
  size: 0,
  nlaFlags: 0,
  decode: () => true,
  encode() {
    /* presence is the value */
  },
  pretty: ident,
};

/** NUL-terminated string; a missing NUL is a decode error. */
export const asciiz: NlaType<string> = {
  kind: 'asciiz',
  size: 0,
  nlaFlags: 0,
  decode(b, o, len) {
    const nul = b.indexOf(0, o);
    if (nul < 0 || nul >= o + len) throw new NetlinkDecodeError('string without NUL terminator', o);
    return b.toString('utf8', o, nul);
  },
  encode(w, v, ctx) {
    if (typeof v !== 'string') throw new NetlinkEncodeError('asciiz needs a string', ctx.path);
    const n = Buffer.byteLength(v);
    w.ensure(n + 1);
    w.buf.write(v, w.pos);
    w.buf[w.pos + n] = 0;
    w.pos += n + 1;
  },
  pretty: ident,
};

/** String that may or may not be NUL-terminated (trailing NULs dropped); sent without NUL. */
export const string: NlaType<string> = {
  kind: 'string',
  size: 0,
  nlaFlags: 0,
  decode(b, o, len) {
    let end = o + len;
    while (end > o && b[end - 1] === 0) end--;
    return b.toString('utf8', o, end);
  },
  encode(w, v, ctx) {
    if (typeof v !== 'string') throw new NetlinkEncodeError('string needs a string', ctx.path);
    const n = Buffer.byteLength(v);
    w.ensure(n);
    w.buf.write(v, w.pos);
    w.pos += n;
  },
  pretty: ident,
};

/** Fixed-size text field of a struct (e.g. char name[16]). */
export function cstring(size: number): NlaType<string> {
  return {
    kind: `char[${size}]`,
    size,
    nlaFlags: 0,
    decode(b, o, len) {
      if (len < size) short('cstring', size, len, o);
      const nul = b.indexOf(0, o);
      return b.toString('utf8', o, nul < 0 || nul > o + size ? o + size : nul);
    },
    encode(w, v, ctx) {
      const s = Buffer.from(String(v ?? ''));
      if (s.length > size) throw new NetlinkEncodeError(`text longer than ${size} bytes`, ctx.path);
      w.bytes(s);
      w.zeros(size - s.length);
    },
    pretty: ident,
  };
}

/** Fixed-size bytes inside a struct. */
export function bytes(size: number): NlaType<Buffer, Uint8Array | string> {
  return {
    kind: `bytes[${size}]`,
    size,
    nlaFlags: 0,
    decode(b, o, len) {
      if (len < size) short('bytes', size, len, o);
      return b.subarray(o, o + size);
    },
    encode(w, v, ctx) {
      const x = bytesIn(v ?? Buffer.alloc(size), ctx, 'bytes');
      if (x.length > size) throw new NetlinkEncodeError(`more than ${size} bytes`, ctx.path);
      w.bytes(x);
      w.zeros(size - x.length);
    },
    pretty: (v) => v.toString('hex'),
  };
}

/** Struct padding: read nothing, write zeros, never shown. */
export function pad(size: number): NlaType<undefined, undefined> {
  return {
    kind: 'pad',
    size,
    nlaFlags: 0,
    decode: () => undefined,
    encode(w) {
      w.zeros(size);
    },
    pretty: () => undefined,
  };
}

export const ipv4: NlaType<string> = {
  kind: 'ipv4',
  size: 4,
  nlaFlags: 0,
  decode(b, o, len) {
    if (len < 4) short('ipv4', 4, len, o);
    return ipv4ToString(b, o);
  },
  encode(w, v, ctx) {
    const a = typeof v === 'string' ? parseIPv4(v) : undefined;
    if (!a) throw new NetlinkEncodeError(`not an IPv4 address: ${JSON.stringify(v)}`, ctx.path);
    w.bytes(a);
  },
  pretty: ident,
};

export const ipv6: NlaType<string> = {
  kind: 'ipv6',
  size: 16,
  nlaFlags: 0,
  decode(b, o, len) {
    if (len < 16) short('ipv6', 16, len, o);
    return ipv6ToString(b, o);
  },
  encode(w, v, ctx) {
    const a = typeof v === 'string' ? parseIPv6(v) : undefined;
    if (!a) throw new NetlinkEncodeError(`not an IPv6 address: ${JSON.stringify(v)}`, ctx.path);
    w.bytes(a);
  },
  pretty: ident,
};

/**
 * An address of the message's family: IPv4 or IPv6 by length, an MPLS label stack
 * for AF_MPLS, otherwise hex (e.g. AF_BRIDGE or AF_PACKET addresses).
 */
export const ipaddr: NlaType<string> = {
  kind: 'ipaddr',
  size: 0,
  nlaFlags: 0,
  decode(b, o, len, owner) {
    if (owner.family === AF_MPLS) return mplsToString(b, o, len);
    if (len === 4) return ipv4ToString(b, o);
    if (len === 16) return ipv6ToString(b, o);
    return macToString(b, o, len);
  },
  encode(w, v, ctx) {
    if (typeof v !== 'string') throw new NetlinkEncodeError('address needs a string', ctx.path);
    if (ctx.family === AF_MPLS) return w.bytes(parseMpls(v));
    const a = parseIP(v);
    if ((ctx.family === AF_INET && a.length !== 4) || (ctx.family === AF_INET6 && a.length !== 16)) {
      throw new NetlinkEncodeError(`address ${v} does not match the message family`, ctx.path);
    }
    w.bytes(a);
  },
  pretty: ident,
};

/** Link-layer address of any length: 'aa:bb:cc:dd:ee:ff'. */
export const l2addr: NlaType<string> = {
  kind: 'l2addr',
  size: 0,
  nlaFlags: 0,
  decode: (b, o, len) => macToString(b, o, len),
  encode(w, v, ctx) {
    if (typeof v !== 'string') throw new NetlinkEncodeError('link-layer address needs a string', ctx.path);
    w.bytes(parseMac(v));
  },
  pretty: ident,
};

/** A 6-byte MAC inside a struct. */
export const mac: NlaType<string> = {
  ...l2addr,
  kind: 'mac',
  size: 6,
  decode(b, o, len) {
    if (len < 6) short('mac', 6, len, o);
    return macToString(b, o, 6);
  },
  encode(w, v, ctx) {
    const a = parseMac(String(v));
    if (a.length !== 6) throw new NetlinkEncodeError(`MAC needs 6 bytes: ${v}`, ctx.path);
    w.bytes(a);
  },
};

// ---- fixed C structs --------------------------------------------------------

export type StructFields = Readonly<Record<string, NlaType<any, any>>>;
type Out<T> = T extends NlaType<infer V, any> ? V : never;
type In<T> = T extends NlaType<any, infer V> ? V : never;
type PadKeys<F extends StructFields> = {
  [K in keyof F]: F[K] extends NlaType<undefined, undefined> ? K : never;
}[keyof F];

/** Decoded struct: its fields, plus `_tail` when the kernel sent more than we know. */
export type StructValue<F extends StructFields> = 0 extends 1 & F
  ? Record<string, any>
  : { [K in Exclude<keyof F, PadKeys<F>>]: Out<F[K]> } & { _tail?: Buffer };
export type StructInput<F extends StructFields> = { [K in Exclude<keyof F, PadKeys<F>>]?: In<F[K]> } & {
  _tail?: Uint8Array;
};

export interface StructType<F extends StructFields> extends NlaType<StructValue<F>, StructInput<F>> {
  readonly fields: F;
  /** Offset of each field inside the struct. */
  readonly offsets: Readonly<Record<string, number>>;
  /** Bytes that must be present; fields past it are undefined when the kernel sends less. */
  readonly minSize: number;
}

/**
 * A C struct of fixed-size fields, in order, padding included explicitly with pad(n).
 * Decoding needs at least `minSize` bytes (default: all) and keeps any longer tail, since
 * kernels grow structs.
 */
export function struct<F extends StructFields>(
  name: string,
  fields: F,
  opts: { minSize?: number } = {},
): StructType<F> {
  const offsets: Record<string, number> = {};
  let size = 0;
  for (const [k, t] of Object.entries(fields)) {
    if (!t.size) throw new Error(`struct ${name}: field ${k} has no fixed size`);
    offsets[k] = size;
    size += t.size;
  }
  const minSize = opts.minSize ?? size;
  const entries = Object.entries(fields).filter(([, t]) => t.kind !== 'pad');
  // For encoding, every field in order (pads too), as plain arrays: no pair per field per call.
  const names = Object.keys(fields),
    types = Object.values(fields);
  return {
    kind: `struct ${name}`,
    size,
    nlaFlags: 0,
    fields,
    offsets,
    minSize,
    decode(b, o, len, owner) {
      if (len < minSize) short(`struct ${name}`, minSize, len, o);
      const v: Record<string, unknown> = {};
      for (const [k, t] of entries) {
        const fo = offsets[k];
        v[k] = fo + t.size <= len ? t.decode(b, o + fo, t.size, owner) : undefined;
      }
      if (len > size) v._tail = b.subarray(o + size, o + len);
      return v as StructValue<F>;
    },
    encode(w, v, ctx) {
      const input = (v ?? {}) as Record<string, unknown>;
      for (const k in input) {
        if (k !== '_tail' && !(k in fields) && Object.hasOwn(input, k))
          throw new NetlinkEncodeError(`struct ${name} has no field ${k}`, ctx.path);
      }
      const part = new PartCtx(ctx, ctx.family, ctx.siblings);
      for (let i = 0; i < names.length; i++) {
        const k = names[i],
          t = types[i],
          x = input[k];
        if (x === undefined && t.kind !== 'pad') w.zeros(t.size);
        else {
          part.name = k;
          t.encode(w, x, part);
        }
      }
      if (input._tail) w.bytes(input._tail as Uint8Array);
    },
    pretty(v) {
      const out: Record<string, unknown> = {};
      for (const [k, t] of entries) if (v[k as keyof typeof v] !== undefined) out[k] = t.pretty(v[k as keyof typeof v]);
      if (v._tail) out._tail = v._tail.toString('hex');
      return out;
    },
  };
}

/** Repeated fixed-size items filling the attribute (e.g. an array of u32). */
export function arrayOf<T, I>(item: NlaType<T, I>): NlaType<T[], readonly I[]> {
  if (!item.size) throw new Error('arrayOf needs a fixed-size item type');
  return {
    kind: `${item.kind}[]`,
    size: 0,
    nlaFlags: 0,
    decode(b, o, len, owner) {
      const out: T[] = [];
      for (let p = 0; p + item.size <= len; p += item.size) out.push(item.decode(b, o + p, item.size, owner));
      return out;
    },
    encode(w, v, ctx) {
      if (!Array.isArray(v)) throw new NetlinkEncodeError('array needs an array', ctx.path);
      v.forEach((x, i) => item.encode(w, x, { ...ctx, path: `${ctx.path}[${i}]` }));
    },
    pretty: (v) => v.map((x) => item.pretty(x)),
  };
}
