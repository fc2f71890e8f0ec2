// NLA types that only rtnetlink needs: MPLS label stacks, rtvia, rtnexthop lists, the
// family-dependent IFLA_AF_SPEC/IFLA_PROTINFO, named devconf arrays, seg6 SRH, and a whole
// ifinfomsg body inside an attribute (veth peers).
import {
  AttrSet,
  arrayOf,
  NLA_F_NESTED,
  NetlinkDecodeError,
  NetlinkEncodeError,
  encodeAttrs,
  flagNames,
  hex,
  siblingValue,
  ipv4ToString,
  ipv6ToString,
  mplsToString,
  parseIP,
  parseIPv6,
  parseMpls,
  type AttrDecl,
  type AttrInput,
  type AttrMap,
  type EncodeCtx,
  type NlaType,
  type Owner,
  type StructType,
  type Writer,
} from '../core/index.js';
import { AF_INET, AF_INET6, AF_MPLS, RTNH_F } from './constants.js';

/** An MPLS label stack '100/200' whatever the message family (MPLS_IPTUNNEL_DST, RTA_NEWDST). */
export const mplsLabels: NlaType<string> = {
  kind: 'mpls',
  size: 0,
  nlaFlags: 0,
  decode: (b, o, len) => mplsToString(b, o, len),
  encode(w, v, ctx) {
    try {
      w.bytes(parseMpls(Array.isArray(v) ? (v as number[]).join('/') : String(v)));
    } catch (e) {
      throw new NetlinkEncodeError((e as Error).message, ctx.path);
    }
  },
  pretty: (v) => v,
};

/** struct rtvia: a next hop of another family (IPv4 via IPv6, MPLS via IP). */
export interface RtVia {
  family: number;
  addr: string;
}
export const rtvia: NlaType<RtVia, RtVia | string> = {
  kind: 'rtvia',
  size: 0,
  nlaFlags: 0,
  decode(b, o, len) {
    if (len < 2) throw new NetlinkDecodeError('rtvia needs 2 bytes', o);
    const family = b.readUInt16LE(o);
    const n = len - 2;
    const addr =
      family === AF_INET && n >= 4
        ? ipv4ToString(b, o + 2)
        : family === AF_INET6 && n >= 16
          ? ipv6ToString(b, o + 2)
          : family === AF_MPLS
            ? mplsToString(b, o + 2, n)
            : b.toString('hex', o + 2, o + len);
    return { family, addr };
  },
  encode(w, v, ctx) {
    let family: number, addr: string;
    if (typeof v === 'string') {
      addr = v;
      family = v.includes(':') ? AF_INET6 : AF_INET;
    } else ({ family, addr } = v);
    let bytes: Uint8Array;
    try {
      bytes = family === AF_MPLS ? parseMpls(addr) : parseIP(addr);
    } catch (e) {
      throw new NetlinkEncodeError((e as Error).message, ctx.path);
    }
    w.u16(family);
    w.bytes(bytes);
  },
  pretty: (v) => v,
};

/** A u32/s32/u64 array whose indexes have names (IFLA_INET_CONF, IFLA_INET6_CONF, stats). */
export function namedArray<T>(item: NlaType<T, any>, names: readonly string[], first = 0): NlaType<T[], readonly T[]> {
  return {
    ...arrayOf(item),
    kind: `${item.kind}[named]`,
    pretty(v) {
      const out: Record<string, unknown> = {};
      v.forEach((x, i) => {
        out[names[i + first] ?? String(i + first)] = item.pretty(x);
      });
      return out;
    },
  };
}

/**
 * Nested attributes whose map depends on the message family: IFLA_AF_SPEC holds one nest per
 * family in AF_UNSPEC messages but bridge attributes directly in AF_BRIDGE ones.
 */
export function byFamily(
  maps: Readonly<Record<number, AttrMap<any>>>,
  fallback: AttrMap<any>,
): NlaType<AttrSet<any>, AttrInput<any> | AttrSet<any>> {
  const pick = (family: number): AttrMap<any> => maps[family] ?? fallback;
  return {
    kind: 'nested(by family)',
    size: 0,
    nlaFlags: 0,
    decode: (b, o, len, owner) => new AttrSet(b, o, o + len, pick(owner.family), owner),
    encode(w, v, ctx) {
      if (v instanceof AttrSet) return w.bytes(v.buf.subarray(v.start, v.end));
      if (typeof v !== 'object' || v === null)
        throw new NetlinkEncodeError('nested attribute needs an object or pairs', ctx.path);
      encodeAttrs(w, pick(ctx.family), v, ctx.family, ctx.path);
    },
    pretty: (v) => v.attrsJSON(),
  };
}

/** An AttrSet with a fixed header struct in front (an ifinfomsg inside VETH_INFO_PEER). */
export class HeaderedAttrSet<D extends AttrDecl = AttrDecl> extends AttrSet<D> {
  private _fields: Record<string, unknown> | undefined;
  constructor(
    buf: Buffer,
    readonly headerStart: number,
    start: number,
    end: number,
    map: AttrMap<D>,
    parent: Owner | null,
    readonly header: StructType<any>,
  ) {
    super(buf, start, end, map, parent);
  }

  /** The header struct, decoded. */
  get fields(): Record<string, unknown> {
    this._fields ??= this.header.decode(this.buf, this.headerStart, this.start - this.headerStart, this) as Record<
      string,
      unknown
    >;
    return this._fields;
  }

  override toJSON(): unknown {
    return { fields: this.header.pretty(this.fields), attrs: this.attrsJSON() };
  }
}

/** What a headered body is encoded from: `{ fields, attrs }`. */
export interface HeaderedInput {
  fields?: Record<string, unknown>;
  attrs?: AttrInput<any>;
}

/** A header struct followed by attributes, inside one attribute; maps by function for recursion. */
export function headered(
  header: () => StructType<any>,
  map: () => AttrMap<any>,
): NlaType<HeaderedAttrSet, HeaderedInput | HeaderedAttrSet> {
  return {
    kind: 'headered',
    size: 0,
    nlaFlags: 0,
    decode(b, o, len, owner) {
      const h = header();
      const hs = (h.size + 3) & ~3;
      if (len < h.size) throw new NetlinkDecodeError(`${h.kind} needs ${h.size} bytes, has ${len}`, o);
      return new HeaderedAttrSet(b, o, o + Math.min(hs, len), o + len, map(), owner, h);
    },
    encode(w, v, ctx) {
      if (v instanceof HeaderedAttrSet) return w.bytes(v.buf.subarray(v.headerStart, v.end));
      if (typeof v !== 'object' || v === null) throw new NetlinkEncodeError('needs { fields, attrs }', ctx.path);
      const h = header();
      h.encode(w, (v.fields ?? {}) as never, { ...ctx, path: `${ctx.path}.fields` });
      w.pad4();
      if (v.attrs) encodeAttrs(w, map(), v.attrs, ctx.family, ctx.path);
    },
    pretty: (v) => v.toJSON(),
  };
}

/** One next hop of RTA_MULTIPATH: struct rtnexthop plus its own RTA_* attributes. */
export interface RtNexthop {
  flags: number;
  hops: number;
  ifindex: number;
  attrs: AttrSet<any>;
}
export interface RtNexthopInput {
  flags?: number;
  /** rtnh_hops: weight - 1. */
  hops?: number;
  ifindex?: number;
  attrs?: AttrInput<any>;
}

/** RTA_MULTIPATH: a run of rtnexthop structs, each followed by attributes (RTA_GATEWAY...). */
export function multipath(map: () => AttrMap<any>): NlaType<RtNexthop[], RtNexthopInput[]> {
  return {
    kind: 'rtnexthop[]',
    size: 0,
    nlaFlags: 0,
    decode(b, o, len, owner) {
      const out: RtNexthop[] = [];
      const end = o + len;
      for (let p = o; p + 8 <= end; ) {
        const l = b.readUInt16LE(p);
        if (l < 8 || p + l > end) throw new NetlinkDecodeError(`rtnexthop length ${l} invalid`, p);
        out.push({
          flags: b[p + 2],
          hops: b[p + 3],
          ifindex: b.readInt32LE(p + 4),
          attrs: new AttrSet(b, p + 8, p + l, map(), owner),
        });
        p += (l + 3) & ~3;
      }
      if (out.length === 0 && len > 0) throw new NetlinkDecodeError(`${len} bytes are no rtnexthop`, o);
      return out;
    },
    encode(w, v, ctx: EncodeCtx) {
      if (!Array.isArray(v)) throw new NetlinkEncodeError('multipath needs an array of next hops', ctx.path);
      v.forEach((nh, i) => {
        const at = w.reserve(8);
        const hops = nh.hops ?? 0,
          flags = nh.flags ?? 0,
          ifindex = nh.ifindex ?? 0;
        if (!Number.isInteger(hops) || hops < 0 || hops > 255)
          throw new NetlinkEncodeError(`hops ${hops} out of range 0..255 (weight 1..256)`, `${ctx.path}[${i}]`);
        w.buf[at + 2] = flags;
        w.buf[at + 3] = hops;
        w.buf.writeInt32LE(ifindex, at + 4);
        if (nh.attrs) encodeAttrs(w, map(), nh.attrs, ctx.family, `${ctx.path}[${i}]`);
        w.buf.writeUInt16LE(w.pos - at, at);
        w.pad4();
      });
    },
    pretty: (v) =>
      v.map((nh) => ({
        flags: flagNames(nh.flags, RTNH_F),
        hops: nh.hops,
        ifindex: nh.ifindex,
        attrs: nh.attrs.attrsJSON(),
      })),
  };
}

/** An IPv6 segment routing header (struct ipv6_sr_hdr), decoded. */
export interface Srh {
  nexthdr: number;
  hdrlen: number;
  type: number;
  segmentsLeft: number;
  firstSegment: number;
  flags: number;
  tag: number;
  segments: string[];
  /** TLVs after the segment list, as bytes. */
  tlvs?: Buffer;
}
/** struct seg6_iptunnel_encap: an encapsulation mode, then the SRH. */
export interface Seg6Encap extends Srh {
  mode: number;
}
export type SrhInput = Partial<Srh> & { segments: string[]; tlvs?: Uint8Array };

function decodeSrh(b: Buffer, h: number, len: number): Srh {
  if (len < 8) throw new NetlinkDecodeError('ipv6_sr_hdr needs 8 bytes', h);
  const hdrlen = b[h + 1];
  const srhLen = (hdrlen + 1) * 8;
  if (srhLen > len) throw new NetlinkDecodeError(`SRH of ${srhLen} bytes does not fit ${len}`, h);
  const first = b[h + 4];
  const segments: string[] = [];
  for (let i = 0; i <= first && 8 + (i + 1) * 16 <= srhLen; i++) segments.push(ipv6ToString(b, h + 8 + i * 16));
  const segEnd = 8 + segments.length * 16;
  return {
    nexthdr: b[h],
    hdrlen,
    type: b[h + 2],
    segmentsLeft: b[h + 3],
    firstSegment: first,
    flags: b[h + 5],
    tag: b.readUInt16BE(h + 6),
    segments,
    ...(srhLen > segEnd ? { tlvs: b.subarray(h + segEnd, h + srhLen) } : {}),
  };
}

function encodeSrh(w: Writer, v: SrhInput, ctx: EncodeCtx): void {
  if (!v || !Array.isArray(v.segments) || !v.segments.length)
    throw new NetlinkEncodeError('an SRH needs at least one segment', ctx.path);
  const segs = v.segments.map((s) => {
    const a = typeof s === 'string' ? parseIPv6(s) : undefined;
    if (!a) throw new NetlinkEncodeError(`not an IPv6 segment: ${String(s)}`, ctx.path);
    return a;
  });
  const tlvLen = v.tlvs?.length ?? 0;
  if (tlvLen % 8) throw new NetlinkEncodeError('SRH TLVs must fill whole 8-byte units', ctx.path);
  w.u8(v.nexthdr ?? 0);
  w.u8(v.hdrlen ?? (segs.length * 16 + tlvLen) / 8);
  w.u8(v.type ?? 4);
  w.u8(v.segmentsLeft ?? segs.length - 1);
  w.u8(v.firstSegment ?? segs.length - 1);
  w.u8(v.flags ?? 0);
  w.u8(((v.tag ?? 0) >> 8) & 0xff);
  w.u8((v.tag ?? 0) & 0xff);
  for (const s of segs) w.bytes(s);
  if (v.tlvs) w.bytes(v.tlvs);
}

const srhPretty = (v: Srh): unknown => ({ ...v, tlvs: v.tlvs?.toString('hex') });

/** SEG6_LOCAL_SRH: a bare segment routing header. */
export const srh: NlaType<Srh, SrhInput> = {
  kind: 'ipv6_sr_hdr',
  size: 0,
  nlaFlags: 0,
  decode: (b, o, len) => decodeSrh(b, o, len),
  encode: encodeSrh,
  pretty: srhPretty,
};

/** SEG6_IPTUNNEL_SRH: struct seg6_iptunnel_encap (mode + SRH). */
export const seg6Encap: NlaType<Seg6Encap, SrhInput & { mode?: number }> = {
  kind: 'seg6_iptunnel_encap',
  size: 0,
  nlaFlags: 0,
  decode(b, o, len) {
    if (len < 12) throw new NetlinkDecodeError('seg6_iptunnel_encap needs 12 bytes', o);
    return { mode: b.readInt32LE(o), ...decodeSrh(b, o + 4, len - 4) };
  },
  encode(w, v, ctx) {
    w.s32(v?.mode ?? 0);
    encodeSrh(w, v, ctx);
  },
  pretty: srhPretty,
};

/**
 * Like the core's select(), but the choice key comes from a function of the siblings, and
 * the attribute may be sent with NLA_F_NESTED (RTA_ENCAP is, by iproute2 and the kernel).
 */
export function selectBy(
  key: (get: (name: string) => unknown) => unknown,
  choices: Readonly<Record<string, NlaType<any, any>>>,
  opts: { flag?: boolean; fallback?: NlaType<any, any> } = {},
): NlaType<unknown, unknown> {
  const fallback = opts.fallback ?? hex;
  const pick = (v: unknown): NlaType<any, any> => (v !== undefined && choices[String(v)]) || fallback;
  return {
    kind: 'select',
    size: 0,
    nlaFlags: opts.flag ? NLA_F_NESTED : 0,
    decode: (b, o, len, owner) => pick(key((n) => owner.getAttr(n))).decode(b, o, len, owner),
    encode(w, v, ctx) {
      pick(key((n) => siblingValue(ctx.siblings, n))).encode(w, v, ctx);
    },
    pretty: (v) => (v instanceof AttrSet ? v.attrsJSON() : Buffer.isBuffer(v) ? v.toString('hex') : v),
  };
}

/** The address family a spec's address implies (for headers that need one). */
export function familyOf(addr: string): number {
  return addr.includes(':') ? AF_INET6 : AF_INET;
}
