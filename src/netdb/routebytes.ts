// Route messages read where they lie: the fields a route is keyed and indexed by, found by
// one walk over the attributes, and its key written as bytes. A large table is loaded and
// kept as message bytes; these readers let it be keyed and indexed without a record.
// The key bytes tell routes apart exactly as the record key (routeKey) does: family, table,
// prefix, source prefix, tos, metric, and the next hops (with the type for a single path).
import { NLMSG_HDRLEN } from '../core/index.js';
import { rtaAttrs } from '../rtnl/rtmsg.js';

const id = (name: string): number => {
  const info = rtaAttrs.byName.get(name as never);
  if (!info) throw new Error(`${rtaAttrs.name} has no ${name}`);
  return info.id;
};
const RTA_DST = id('RTA_DST'),
  RTA_SRC = id('RTA_SRC'),
  RTA_OIF = id('RTA_OIF'),
  RTA_GATEWAY = id('RTA_GATEWAY'),
  RTA_PRIORITY = id('RTA_PRIORITY'),
  RTA_PREFSRC = id('RTA_PREFSRC'),
  RTA_MULTIPATH = id('RTA_MULTIPATH'),
  RTA_TABLE = id('RTA_TABLE');

/** struct rtmsg, struct rtnexthop and an attribute header, in bytes. */
const RTMSG_LEN = 12,
  RTNH_LEN = 8,
  NLA_HDRLEN = 4;
const NLA_TYPE_MASK = 0x3fff;
const IPV4_LEN = 4,
  IPV6_LEN = 16;

const EMPTY: Buffer = Buffer.alloc(0);

/** The fields of the message last scanned (module state: a scan allocates nothing). */
export const scanned = {
  /** The message scanned: its buffer and offset. */
  buf: EMPTY,
  at: -1,
  family: 0,
  table: 0,
  tos: 0,
  type: 0,
  priority: 0,
  dstLen: 0,
  /** Offset of the destination address, or -1 when absent (a default route). */
  dstAt: -1,
  dstBytes: 0,
  srcLen: 0,
  srcAt: -1,
  srcBytes: 0,
  /** RTA_OIF, or -1 when absent. */
  oif: -1,
  gwAt: -1,
  gwBytes: 0,
  prefsrcAt: -1,
  prefsrcBytes: 0,
  /** RTA_MULTIPATH's payload, or -1 when absent. */
  mpAt: -1,
  mpEnd: 0,
};

/** An address attribute's length if the record reader would read it (4 or 16 bytes), else 0. */
const addrLen = (n: number): number => (n === IPV4_LEN || n === IPV6_LEN ? n : 0);

/** Read the keyed and indexed fields of the route message at `o` into `scanned`. */
export function scan(b: Buffer, o: number): void {
  const s = scanned,
    end = o + ((b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0),
    h = o + NLMSG_HDRLEN;
  s.buf = b;
  s.at = o;
  s.family = b[h];
  s.dstLen = b[h + 1];
  s.srcLen = b[h + 2];
  s.tos = b[h + 3];
  s.table = b[h + 4];
  s.type = b[h + 7];
  s.priority = 0;
  s.dstAt = s.srcAt = s.gwAt = s.prefsrcAt = s.mpAt = s.oif = -1;
  for (let p = h + RTMSG_LEN; p + NLA_HDRLEN <= end; ) {
    const len = b[p] | (b[p + 1] << 8),
      type = (b[p + 2] | (b[p + 3] << 8)) & NLA_TYPE_MASK;
    if (len < NLA_HDRLEN || p + len > end) break;
    const v = p + NLA_HDRLEN,
      vl = len - NLA_HDRLEN;
    switch (type) {
      case RTA_DST:
        s.dstBytes = addrLen(vl);
        s.dstAt = s.dstBytes ? v : -1;
        break;
      case RTA_SRC:
        s.srcBytes = addrLen(vl);
        s.srcAt = s.srcBytes ? v : -1;
        break;
      case RTA_OIF:
        s.oif = b.readUInt32LE(v);
        break;
      case RTA_GATEWAY:
        s.gwBytes = addrLen(vl);
        s.gwAt = s.gwBytes ? v : -1;
        break;
      case RTA_PREFSRC:
        s.prefsrcBytes = addrLen(vl);
        s.prefsrcAt = s.prefsrcBytes ? v : -1;
        break;
      case RTA_PRIORITY:
        s.priority = b.readUInt32LE(v);
        break;
      case RTA_TABLE:
        s.table = b.readUInt32LE(v);
        break;
      case RTA_MULTIPATH:
        s.mpAt = v;
        s.mpEnd = v + vl;
        break;
    }
    p += (len + 3) & ~3;
  }
}

// ---- key bytes ------------------------------------------------------------------------

/** Where key bytes are written: a route's key is far shorter (next hops included). */
const KEY_MAX = 4096;
export const keyA = Buffer.alloc(KEY_MAX);
export const keyB = Buffer.alloc(KEY_MAX);

function u32(out: Buffer, p: number, v: number): number {
  out[p] = v;
  out[p + 1] = v >>> 8;
  out[p + 2] = v >>> 16;
  out[p + 3] = v >>> 24;
  return p + 4;
}

/** An optional address: its length (0: absent), then its bytes. */
function addr(out: Buffer, p: number, b: Buffer, at: number, n: number): number {
  if (at < 0) {
    out[p] = 0;
    return p + 1;
  }
  out[p++] = n;
  for (let i = 0; i < n; i++) out[p++] = b[at + i];
  return p;
}

/**
 * The base key (what the kernel tells routes of one prefix apart by) of the message last
 * scanned, written to `out`; returns its length.
 */
export function baseKeyBytes(b: Buffer, out: Buffer): number {
  const s = scanned;
  out[0] = s.family;
  let p = u32(out, 1, s.table);
  p = addr(out, p, b, s.dstAt, s.dstBytes);
  if (s.dstAt >= 0) out[p++] = s.dstLen;
  p = addr(out, p, b, s.srcAt, s.srcBytes);
  if (s.srcAt >= 0) out[p++] = s.srcLen;
  out[p++] = s.tos;
  return u32(out, p, s.priority);
}

/** The whole key of the message last scanned (base, then next hops), written to `out`; its length. */
export function keyBytes(b: Buffer, out: Buffer): number {
  const s = scanned;
  let p = baseKeyBytes(b, out);
  if (s.mpAt < 0) {
    out[p++] = 1;
    out[p++] = s.oif >= 0 ? 1 : 0;
    p = u32(out, p, s.oif >= 0 ? s.oif : 0);
    p = addr(out, p, b, s.gwAt, s.gwBytes);
    out[p++] = s.type;
    return p;
  }
  out[p++] = 2;
  for (let q = s.mpAt; q + RTNH_LEN <= s.mpEnd && p + 32 < KEY_MAX; ) {
    const len = b[q] | (b[q + 1] << 8);
    if (len < RTNH_LEN) break;
    p = u32(out, p, b.readUInt32LE(q + 4));
    let gwAt = -1,
      gwBytes = 0;
    for (let a = q + RTNH_LEN; a + NLA_HDRLEN <= q + len; ) {
      const alen = b[a] | (b[a + 1] << 8),
        type = (b[a + 2] | (b[a + 3] << 8)) & NLA_TYPE_MASK;
      if (alen < NLA_HDRLEN) break;
      if (type === RTA_GATEWAY) {
        gwBytes = addrLen(alen - NLA_HDRLEN);
        gwAt = gwBytes ? a + NLA_HDRLEN : -1;
      }
      a += (alen + 3) & ~3;
    }
    p = addr(out, p, b, gwAt, gwBytes);
    q += (len + 3) & ~3;
  }
  return p;
}

/** FNV-1a over `n` bytes of `k`. */
export function hashBytes(k: Buffer, from: number, n: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < from + n; i++) h = Math.imul(h ^ k[i], 0x01000193);
  return h >>> 0;
}

/** Hash of a destination: its presence, length and address (a default route has none). */
export function dstHash(b: Buffer, at: number, n: number, dstLen: number): number {
  if (at < 0) return 0x9e3779b9;
  let h = Math.imul(0x811c9dc5 ^ (n * 256 + dstLen), 0x01000193);
  for (let i = at; i < at + n; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return h >>> 0;
}

/** The interfaces of the multipath route last scanned (each next hop's, 0 left out), in order. */
export function nexthopDevs(b: Buffer): number[] {
  const s = scanned,
    out: number[] = [];
  for (let q = s.mpAt; q + RTNH_LEN <= s.mpEnd; ) {
    const len = b[q] | (b[q + 1] << 8);
    if (len < RTNH_LEN) break;
    const oif = b.readUInt32LE(q + 4);
    if (oif && !out.includes(oif)) out.push(oif);
    q += (len + 3) & ~3;
  }
  return out;
}
