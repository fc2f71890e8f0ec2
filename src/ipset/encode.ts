// Element encoding: the inside of IPSET_ATTR_DATA, written straight into a Writer in
// ipset(8)'s attribute order.
import { NLA_F_NESTED, NLA_F_NET_BYTEORDER, type Writer } from '../core/index.js';
import {
  IPSET_ATTR_BYTES,
  IPSET_ATTR_CADT_FLAGS,
  IPSET_ATTR_CIDR,
  IPSET_ATTR_CIDR2,
  IPSET_ATTR_COMMENT,
  IPSET_ATTR_ETHER,
  IPSET_ATTR_IFACE,
  IPSET_ATTR_IP,
  IPSET_ATTR_IP2,
  IPSET_ATTR_IP2_TO,
  IPSET_ATTR_IP_TO,
  IPSET_ATTR_LINENO,
  IPSET_ATTR_MARK,
  IPSET_ATTR_NAME,
  IPSET_ATTR_NAMEREF,
  IPSET_ATTR_PACKETS,
  IPSET_ATTR_PORT,
  IPSET_ATTR_PORT_TO,
  IPSET_ATTR_PROTO,
  IPSET_ATTR_SKBMARK,
  IPSET_ATTR_SKBPRIO,
  IPSET_ATTR_SKBQUEUE,
  IPSET_ATTR_TIMEOUT,
} from './constants.js';
import type { Elem, WireOptions } from './entries.js';

const NET = NLA_F_NET_BYTEORDER;

function hdr(b: Buffer, o: number, len: number, type: number): void {
  b[o] = len & 0xff;
  b[o + 1] = len >> 8;
  b[o + 2] = type & 0xff;
  b[o + 3] = type >> 8;
}

function putIp(w: Writer, type: number, a: Uint8Array): void {
  const n = a.length;
  w.ensure(8 + n);
  const b = w.buf,
    o = w.pos;
  hdr(b, o, 8 + n, type | NLA_F_NESTED);
  hdr(b, o + 4, 4 + n, (n === 4 ? 1 : 2) | NET);
  b.set(a, o + 8);
  w.pos = o + 8 + n;
}

function putU8(w: Writer, type: number, v: number): void {
  w.ensure(8);
  const b = w.buf,
    o = w.pos;
  hdr(b, o, 5, type);
  b[o + 4] = v;
  b[o + 5] = 0;
  b[o + 6] = 0;
  b[o + 7] = 0;
  w.pos = o + 8;
}

function putBe16(w: Writer, type: number, v: number): void {
  w.ensure(8);
  const b = w.buf,
    o = w.pos;
  hdr(b, o, 6, type | NET);
  b[o + 4] = v >> 8;
  b[o + 5] = v & 0xff;
  b[o + 6] = 0;
  b[o + 7] = 0;
  w.pos = o + 8;
}

function putBe32(w: Writer, type: number, v: number): void {
  w.ensure(8);
  hdr(w.buf, w.pos, 8, type | NET);
  w.buf.writeUInt32BE(v >>> 0, w.pos + 4);
  w.pos += 8;
}

function putBe64(w: Writer, type: number, v: bigint): void {
  w.ensure(12);
  hdr(w.buf, w.pos, 12, type | NET);
  w.buf.writeBigUInt64BE(v, w.pos + 4);
  w.pos += 12;
}

function putStr(w: Writer, type: number, s: string): void {
  const n = Buffer.byteLength(s);
  const len = 4 + n + 1;
  w.ensure(len + 3);
  const b = w.buf,
    o = w.pos;
  hdr(b, o, len, type);
  b.write(s, o + 4);
  b.fill(0, o + 4 + n, o + ((len + 3) & ~3));
  w.pos = o + ((len + 3) & ~3);
}

function putBytes(w: Writer, type: number, a: Uint8Array): void {
  const len = 4 + a.length;
  w.ensure(len + 3);
  const b = w.buf,
    o = w.pos;
  hdr(b, o, len, type);
  b.set(a, o + 4);
  b.fill(0, o + len, o + ((len + 3) & ~3));
  w.pos = o + ((len + 3) & ~3);
}

/**
 * Write an element's attributes (the inside of IPSET_ATTR_DATA) in ipset(8)'s order:
 * ascending attribute id, IPSET_ATTR_LINENO last.
 */
export function writeEntry(w: Writer, e: Elem, o: WireOptions | undefined, lineno?: number): void {
  if (e.ip) putIp(w, IPSET_ATTR_IP, e.ip);
  if (e.ipTo) putIp(w, IPSET_ATTR_IP_TO, e.ipTo);
  if (e.cidr !== undefined) putU8(w, IPSET_ATTR_CIDR, e.cidr);
  if (e.port !== undefined) putBe16(w, IPSET_ATTR_PORT, e.port);
  if (e.portTo !== undefined) putBe16(w, IPSET_ATTR_PORT_TO, e.portTo);
  if (o?.timeout !== undefined) putBe32(w, IPSET_ATTR_TIMEOUT, o.timeout);
  if (e.proto !== undefined) putU8(w, IPSET_ATTR_PROTO, e.proto);
  const flags = (e.cadtFlags | (o?.cadtFlags ?? 0)) >>> 0;
  if (flags) putBe32(w, IPSET_ATTR_CADT_FLAGS, flags);
  if (e.mark !== undefined) putBe32(w, IPSET_ATTR_MARK, e.mark);
  if (e.ether) putBytes(w, IPSET_ATTR_ETHER, e.ether);
  if (e.name !== undefined) putStr(w, IPSET_ATTR_NAME, e.name);
  if (o?.nameref !== undefined) putStr(w, IPSET_ATTR_NAMEREF, o.nameref);
  if (e.ip2) putIp(w, IPSET_ATTR_IP2, e.ip2);
  if (e.cidr2 !== undefined) putU8(w, IPSET_ATTR_CIDR2, e.cidr2);
  if (e.ip2To) putIp(w, IPSET_ATTR_IP2_TO, e.ip2To);
  if (e.iface !== undefined) putStr(w, IPSET_ATTR_IFACE, e.iface);
  if (o) {
    if (o.bytes !== undefined) putBe64(w, IPSET_ATTR_BYTES, o.bytes);
    if (o.packets !== undefined) putBe64(w, IPSET_ATTR_PACKETS, o.packets);
    if (o.comment !== undefined) putStr(w, IPSET_ATTR_COMMENT, o.comment);
    if (o.skbmark !== undefined) putBe64(w, IPSET_ATTR_SKBMARK, o.skbmark);
    if (o.skbprio !== undefined) putBe32(w, IPSET_ATTR_SKBPRIO, o.skbprio);
    if (o.skbqueue !== undefined) putBe16(w, IPSET_ATTR_SKBQUEUE, o.skbqueue);
  }
  if (lineno !== undefined) putBe32(w, IPSET_ATTR_LINENO, lineno);
}

/**
 * Fast path for the commonest bulk element, a plain dotted IPv4 address: writes
 * IPSET_ATTR_IP straight from the text. Returns false (writing nothing) for anything else.
 */
export function writePlainIPv4(w: Writer, s: string): boolean {
  const n = s.length;
  if (n < 7 || n > 15) return false;
  w.ensure(12);
  const b = w.buf,
    o = w.pos;
  let k = o + 8,
    v = -1,
    dots = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (v < 0 || dots === 3) return false;
      b[k++] = v;
      v = -1;
      dots++;
    } else if (c >= 48 && c <= 57) {
      // Leading zeros are refused (ambiguous octal in some tools): the slow path decides.
      if (v === 0) return false;
      v = v < 0 ? c - 48 : v * 10 + c - 48;
      if (v > 255) return false;
    } else return false;
  }
  if (v < 0 || dots !== 3) return false;
  b[k] = v;
  hdr(b, o, 12, IPSET_ATTR_IP | NLA_F_NESTED);
  hdr(b, o + 4, 8, 1 | NET);
  w.pos = o + 12;
  return true;
}
