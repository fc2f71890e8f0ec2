// nl80211-specific attribute types: flag nests keyed by enum value, bitmaps of feature
// indexes, SSIDs, and the helper that builds a typed attribute map from a generated id table.
import {
  AttrMap,
  NLA_F_NESTED,
  NetlinkDecodeError,
  NetlinkEncodeError,
  align4,
  hex,
  type NlaType,
} from '../core/index.js';
import { ssidText } from './ies.js';

/**
 * An attribute map from a generated id table and a table of types: every id gets a name
 * (unlisted ones decode as hex: not modelled yet); aliases share their member's type.
 */
export function typedMap<
  I extends Readonly<Record<string, number>>,
  T extends { readonly [K in keyof I]?: NlaType<any, any> },
>(
  name: string,
  ids: I,
  types: T,
): AttrMap<{
  readonly [K in keyof I & string]: readonly [number, K extends keyof T ? NonNullable<T[K]> : typeof hex];
}> {
  const byId = new Map<number, NlaType<any, any>>();
  for (const [k, t] of Object.entries(types)) if (t) byId.set(ids[k], t as NlaType<any, any>);
  const decl: Record<string, readonly [number, NlaType<any, any>]> = {};
  for (const [k, id] of Object.entries(ids))
    decl[k] = [id, (types as Record<string, NlaType<any, any>>)[k] ?? byId.get(id) ?? hex];
  return new AttrMap(name, decl) as never;
}

/**
 * A nest of zero-length flag attributes whose ids are enum values (NL80211_ATTR_SUPPORTED_IFTYPES,
 * NL80211_ATTR_MNTR_FLAGS): decodes to the list of values, encodes from values or names.
 */
export function flagNest<N extends Readonly<Record<string, number>>>(
  names: N,
  opts: { flag?: boolean } = {},
): NlaType<number[], readonly (number | (keyof N & string))[]> & { names: N } {
  const byValue = new Map<number, string>();
  for (const [k, v] of Object.entries(names)) if (!byValue.has(v)) byValue.set(v, k);
  return {
    kind: 'flagnest',
    size: 0,
    nlaFlags: opts.flag ? NLA_F_NESTED : 0,
    names,
    decode(b, o, len) {
      const out: number[] = [];
      const end = o + len;
      for (let p = o; p + 4 <= end; ) {
        const l = b.readUInt16LE(p);
        if (l < 4 || p + l > end) throw new NetlinkDecodeError(`attribute length ${l} invalid in flag nest`, p);
        out.push(b.readUInt16LE(p + 2) & 0x3fff);
        p += align4(l);
      }
      return out;
    },
    encode(w, v, ctx) {
      if (!Array.isArray(v)) throw new NetlinkEncodeError('flag nest needs a list of values or names', ctx.path);
      for (const x of v) {
        const id = typeof x === 'string' ? names[x] : x;
        if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > 0x3fff)
          throw new NetlinkEncodeError(`unknown value ${String(x)}`, ctx.path);
        w.u16(4);
        w.u16(id);
      }
    },
    pretty: (v) => v.map((x) => byValue.get(x) ?? x),
  };
}

/** A little-endian bitmap of feature indexes (NL80211_ATTR_EXT_FEATURES): decodes to the set bits. */
export function bitIndexes<N extends Readonly<Record<string, number>>>(
  names: N,
): NlaType<number[], readonly (number | (keyof N & string))[]> & { names: N } {
  const byValue = new Map<number, string>();
  for (const [k, v] of Object.entries(names)) if (!byValue.has(v)) byValue.set(v, k);
  return {
    kind: 'bitmap',
    size: 0,
    nlaFlags: 0,
    names,
    decode(b, o, len) {
      const out: number[] = [];
      for (let i = 0; i < len * 8; i++) if (b[o + (i >> 3)] & (1 << (i & 7))) out.push(i);
      return out;
    },
    encode(w, v, ctx) {
      if (!Array.isArray(v)) throw new NetlinkEncodeError('bitmap needs a list of bit indexes or names', ctx.path);
      const bits = v.map((x) => (typeof x === 'string' ? names[x] : x));
      if (bits.some((x) => typeof x !== 'number' || x < 0 || x > 4095))
        throw new NetlinkEncodeError('unknown bit in bitmap', ctx.path);
      const out = Buffer.alloc(bits.length ? (Math.max(...(bits as number[])) >> 3) + 1 : 0);
      for (const x of bits as number[]) out[x >> 3] |= 1 << (x & 7);
      w.bytes(out);
    },
    pretty: (v) => v.map((x) => byValue.get(x) ?? x),
  };
}

/** An SSID: up to 32 bytes; text (UTF-8, or \xNN escapes like iw for other bytes); encodes text or bytes. */
export const ssid: NlaType<string, string | Uint8Array> = {
  kind: 'ssid',
  size: 0,
  nlaFlags: 0,
  decode: (b, o, len) => ssidText(b.subarray(o, o + len)),
  encode(w, v, ctx) {
    const bytes = typeof v === 'string' ? Buffer.from(v) : v instanceof Uint8Array ? Buffer.from(v) : undefined;
    if (!bytes) throw new NetlinkEncodeError('SSID needs a string or bytes', ctx.path);
    if (bytes.length > 32) throw new NetlinkEncodeError(`SSID is ${bytes.length} bytes, over 32`, ctx.path);
    w.bytes(bytes);
  },
  pretty: (v) => v,
};

/** A signed value carried in an unsigned attribute (dBm in a u8): `signedAs(u8)` decodes -60. */
export function signedByte(): NlaType<number> {
  return {
    kind: 's8',
    size: 1,
    nlaFlags: 0,
    decode(b, o, len) {
      if (len < 1) throw new NetlinkDecodeError('s8 needs 1 byte, has 0', o);
      return b.readInt8(o);
    },
    encode(w, v, ctx) {
      if (!Number.isInteger(v) || v < -128 || v > 255)
        throw new NetlinkEncodeError(`value ${v} out of range -128..255`, ctx.path);
      w.u8(v & 0xff);
    },
    pretty: (v) => v,
  };
}

/**
 * A u16 that the kernel also sends empty, as a capability flag (NL80211_ATTR_CONTROL_PORT_ETHERTYPE:
 * a u16 ethertype in requests, a flag in wiphy answers). Decodes to true or the number.
 */
export const u16OrFlag: NlaType<number | true, number | true> = {
  kind: 'u16|flag',
  size: 0,
  nlaFlags: 0,
  decode(b, o, len) {
    if (len === 0) return true;
    if (len < 2) throw new NetlinkDecodeError(`u16 needs 2 bytes, has ${len}`, o);
    return b.readUInt16LE(o);
  },
  encode(w, v, ctx) {
    if (v === true) return;
    if (!Number.isInteger(v) || v < 0 || v > 0xffff)
      throw new NetlinkEncodeError(`u16 value ${String(v)} out of range 0..65535`, ctx.path);
    w.u16(v);
  },
  pretty: (v) => v,
};
