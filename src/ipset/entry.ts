// Listed elements: views over the kernel's bytes, each field read when asked for, printed
// as ipset(8) prints them.
import { INSPECT, attachMessage, ipv6ToString, u64Value } from '../core/index.js';
import {
  IPPROTO_ICMP,
  IPPROTO_ICMPV6,
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
  IPSET_ATTR_IPADDR_IPV4,
  IPSET_ATTR_IP_TO,
  IPSET_ATTR_MARK,
  IPSET_ATTR_NAME,
  IPSET_ATTR_PACKETS,
  IPSET_ATTR_PORT,
  IPSET_ATTR_PORT_TO,
  IPSET_ATTR_PROTO,
  IPSET_ATTR_SKBMARK,
  IPSET_ATTR_SKBPRIO,
  IPSET_ATTR_SKBQUEUE,
  IPSET_ATTR_TIMEOUT,
  IPSET_FLAG_IFACE_WILDCARD,
  IPSET_FLAG_NOMATCH,
  IPSET_FLAG_PHYSDEV,
} from './constants.js';
import { icmpName, type EntryFields } from './entries.js';
import { protoName } from './names.js';
import { inspectRecord, type IPSetEntryRecord } from './record.js';
import type { Dim } from './types.js';

/** What an entry view needs to know about its set. */
export interface EntrySetInfo {
  readonly name: string;
  readonly type: string;
  readonly kind: 'bitmap' | 'hash' | 'list';
  readonly dims: readonly Dim[];
  /** 'inet', 'inet6' or undefined. */
  readonly family?: string;
  readonly adtOrder: readonly string[];
}

/** '0'..'255', and the same with a dot: dotted quads from a table beat number formatting. */
const DEC: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i));
const DEC_DOT: readonly string[] = DEC.map((d) => `${d}.`);
/** '00'..'FF', as ipset(8) prints MAC addresses. */
const HEX2: readonly string[] = Array.from(
  { length: 256 },
  (_, i) => (i < 16 ? '0' : '') + i.toString(16).toUpperCase(),
);

/** Text of a nested IPSET_ATTR_IPADDR_IPV4/IPV6 (payload at o, n bytes). */
export function ipText(b: Buffer, o: number, n: number): string | undefined {
  if (n < 4) return undefined;
  const l = b[o] | (b[o + 1] << 8);
  const t = (b[o + 2] | (b[o + 3] << 8)) & 0x3fff;
  if (t === 1 && l >= 8 && n >= 8) return DEC_DOT[b[o + 4]] + DEC_DOT[b[o + 5]] + DEC_DOT[b[o + 6]] + DEC[b[o + 7]];
  if (t === 2 && l >= 20 && n >= 20) return ipv6Text(b, o + 4);
  return undefined;
}

/** 'inet' or 'inet6' for a nested address that ipText can print. */
function ipFamily(b: Buffer, o: number, n: number): 'inet' | 'inet6' | undefined {
  if (n < 4) return undefined;
  const l = b[o] | (b[o + 1] << 8);
  const t = (b[o + 2] | (b[o + 3] << 8)) & 0x3fff;
  if (t === 1 && l >= 8 && n >= 8) return 'inet';
  if (t === 2 && l >= 20 && n >= 20) return 'inet6';
  return undefined;
}

/** IPv6 text as inet_ntop(3) writes it (IPv4-compatible and -mapped tails dotted). */
export function ipv6Text(b: Uint8Array, o: number): string {
  let zero6 = true;
  for (let i = 0; i < 10; i++)
    if (b[o + i]) {
      zero6 = false;
      break;
    }
  if (zero6) {
    const w5 = (b[o + 10] << 8) | b[o + 11];
    const tail = `${b[o + 12]}.${b[o + 13]}.${b[o + 14]}.${b[o + 15]}`;
    if (w5 === 0xffff) return `::ffff:${tail}`;
    if (w5 === 0 && (b[o + 12] || b[o + 13])) return `::${tail}`;
  }
  return ipv6ToString(b, o);
}

/** A NUL-terminated string in [o, o + n), read no further than n bytes. */
export function cstr(b: Buffer, o: number, n: number): string {
  let e = o;
  const end = o + n;
  while (e < end && b[e] !== 0) e++;
  return b.toString('utf8', o, e);
}

// Reading an entry: attributes are found in the kernel's bytes each time a field is asked
// for, nothing is kept. Methods that need several fields scan once into AT, one table
// shared by every entry: reads are synchronous, so no two scans interleave.

/** Offset of the first attribute `id` in [start, end), or -1. */
function find(b: Buffer, start: number, end: number, id: number): number {
  for (let p = start; p + 4 <= end; ) {
    const len = b[p] | (b[p + 1] << 8);
    if (len < 4 || p + len > end) break;
    if (((b[p + 2] | (b[p + 3] << 8)) & 0x3fff) === id) return p;
    p += (len + 3) & ~3;
  }
  return -1;
}

/** Attribute offsets of the entry scanned last, by id (0: absent; an attribute never starts at 0). */
const AT = new Int32Array(32);

function scan(b: Buffer, start: number, end: number): void {
  AT.fill(0);
  for (let p = start; p + 4 <= end; ) {
    const len = b[p] | (b[p + 1] << 8);
    if (len < 4 || p + len > end) break;
    const id = (b[p + 2] | (b[p + 3] << 8)) & 0x3fff;
    if (id < 32) AT[id] = p;
    p += (len + 3) & ~3;
  }
}

/** Payload size of the attribute at p. */
const size = (b: Buffer, p: number): number => (b[p] | (b[p + 1] << 8)) - 4;

// Typed reads of one attribute (at p, 0 or -1 when absent): undefined when absent or short.
function ipOf(b: Buffer, p: number): string | undefined {
  return p > 0 ? ipText(b, p + 4, size(b, p)) : undefined;
}
function u8Of(b: Buffer, p: number): number | undefined {
  return p > 0 && size(b, p) >= 1 ? b[p + 4] : undefined;
}
function be16Of(b: Buffer, p: number): number | undefined {
  return p > 0 && size(b, p) >= 2 ? (b[p + 4] << 8) | b[p + 5] : undefined;
}
function be32Of(b: Buffer, p: number): number | undefined {
  return p > 0 && size(b, p) >= 4 ? b.readUInt32BE(p + 4) : undefined;
}
function be64Of(b: Buffer, p: number): bigint | undefined {
  return p > 0 && size(b, p) >= 8 ? b.readBigUInt64BE(p + 4) : undefined;
}
function strOf(b: Buffer, p: number): string | undefined {
  return p > 0 ? cstr(b, p + 4, size(b, p)) : undefined;
}
function macOf(b: Buffer, p: number): string | undefined {
  if (!(p > 0 && size(b, p) >= 6)) return undefined;
  const o = p + 4;
  return `${HEX2[b[o]]}:${HEX2[b[o + 1]]}:${HEX2[b[o + 2]]}:${HEX2[b[o + 3]]}:${HEX2[b[o + 4]]}:${HEX2[b[o + 5]]}`;
}
function skbmarkOf(b: Buffer, p: number): [mark: number, mask: number] | undefined {
  return p > 0 && size(b, p) >= 8 ? [b.readUInt32BE(p + 4), b.readUInt32BE(p + 8)] : undefined;
}
function skbprioOf(b: Buffer, p: number): string | undefined {
  const v = be32Of(b, p);
  return v === undefined ? undefined : `${(v >>> 16).toString(16)}:${(v & 0xffff).toString(16)}`;
}
function skbmarkText(m: readonly [number, number]): string {
  return m[1] === 0xffffffff ? `0x${m[0].toString(16)}` : `0x${m[0].toString(16)}/0x${m[1].toString(16)}`;
}

function portText(port: number, proto: number | undefined, bitmap: boolean, portTo?: number): string {
  const range = portTo !== undefined && portTo !== port ? `${port}-${portTo}` : String(port);
  if (bitmap || proto === undefined) return range;
  const pname = protoName(proto) ?? String(proto);
  if (proto === IPPROTO_ICMP || proto === IPPROTO_ICMPV6) {
    const n = icmpName(port, proto === IPPROTO_ICMPV6);
    return `${pname}:${n ?? `${port >> 8}/${port & 0xff}`}`;
  }
  return `${pname}:${range}`;
}

/** What the entries of one dump message share: their set and the bytes they are read from. */
export class EntrySource {
  constructor(
    readonly set: EntrySetInfo,
    readonly buf: Buffer,
  ) {}
}

/**
 * One element of a listed set, read lazily from the kernel's bytes: an entry holds only
 * where its IPSET_ATTR_DATA nest is, and each field is read from there when asked for
 * (nothing is cached). Field names match what add() accepts, so an entry can be passed
 * back to add/delete/test (of this or another set).
 */
export class IPSetEntry implements EntryFields {
  /** Made by listings: `off` is where the entry's IPSET_ATTR_DATA attribute starts in `src.buf`. */
  constructor(
    private readonly src: EntrySource,
    private readonly off: number,
  ) {}

  /** The set this element was listed from. */
  get set(): EntrySetInfo {
    return this.src.set;
  }

  /** Offset of attribute `id` in this entry's nest, or -1. */
  private at(id: number): number {
    const b = this.src.buf,
      o = this.off;
    return find(b, o + 4, o + (b[o] | (b[o + 1] << 8)), id);
  }

  /** Fill AT with this entry's attributes. */
  private scan(): Buffer {
    const b = this.src.buf,
      o = this.off;
    scan(b, o + 4, o + (b[o] | (b[o + 1] << 8)));
    return b;
  }

  get ip(): string | undefined {
    const b = this.src.buf,
      o = this.off;
    // The commonest layout first, with no calls (a cold process reads 100k of these once):
    // IPSET_ATTR_IP leads the nest and holds an IPv4 address.
    if (
      (b[o] | (b[o + 1] << 8)) >= 16 &&
      b[o + 4] === 12 &&
      b[o + 5] === 0 &&
      (b[o + 6] | ((b[o + 7] & 0x3f) << 8)) === IPSET_ATTR_IP &&
      b[o + 8] === 8 &&
      b[o + 9] === 0 &&
      (b[o + 10] | ((b[o + 11] & 0x3f) << 8)) === IPSET_ATTR_IPADDR_IPV4
    ) {
      return DEC_DOT[b[o + 12]] + DEC_DOT[b[o + 13]] + DEC_DOT[b[o + 14]] + DEC[b[o + 15]];
    }
    return ipOf(b, this.at(IPSET_ATTR_IP));
  }
  get cidr(): number | undefined {
    return u8Of(this.src.buf, this.at(IPSET_ATTR_CIDR));
  }
  get ipTo(): string | undefined {
    return ipOf(this.src.buf, this.at(IPSET_ATTR_IP_TO));
  }
  get ip2(): string | undefined {
    return ipOf(this.src.buf, this.at(IPSET_ATTR_IP2));
  }
  get cidr2(): number | undefined {
    return u8Of(this.src.buf, this.at(IPSET_ATTR_CIDR2));
  }
  get ip2To(): string | undefined {
    return ipOf(this.src.buf, this.at(IPSET_ATTR_IP2_TO));
  }
  get port(): number | undefined {
    return be16Of(this.src.buf, this.at(IPSET_ATTR_PORT));
  }
  get portTo(): number | undefined {
    return be16Of(this.src.buf, this.at(IPSET_ATTR_PORT_TO));
  }
  /** Protocol number of the port part. */
  get proto(): number | undefined {
    return u8Of(this.src.buf, this.at(IPSET_ATTR_PROTO));
  }
  /** Uppercase, as ipset(8) prints it. */
  get mac(): string | undefined {
    return macOf(this.src.buf, this.at(IPSET_ATTR_ETHER));
  }
  get iface(): string | undefined {
    return strOf(this.src.buf, this.at(IPSET_ATTR_IFACE));
  }
  get physdev(): boolean {
    return !!(this.cadtFlags() & IPSET_FLAG_PHYSDEV);
  }
  get wildcard(): boolean {
    return !!(this.cadtFlags() & IPSET_FLAG_IFACE_WILDCARD);
  }
  get nomatch(): boolean {
    return !!(this.cadtFlags() & IPSET_FLAG_NOMATCH);
  }
  get mark(): number | undefined {
    return be32Of(this.src.buf, this.at(IPSET_ATTR_MARK));
  }
  /** list:set: the member's name. */
  get name(): string | undefined {
    return strOf(this.src.buf, this.at(IPSET_ATTR_NAME));
  }
  get timeout(): number | undefined {
    return be32Of(this.src.buf, this.at(IPSET_ATTR_TIMEOUT));
  }
  get packets(): bigint | undefined {
    return be64Of(this.src.buf, this.at(IPSET_ATTR_PACKETS));
  }
  get bytes(): bigint | undefined {
    return be64Of(this.src.buf, this.at(IPSET_ATTR_BYTES));
  }
  get comment(): string | undefined {
    return strOf(this.src.buf, this.at(IPSET_ATTR_COMMENT));
  }
  /** skb mark and mask, when set. */
  get skbmark(): readonly [mark: number, mask: number] | undefined {
    return skbmarkOf(this.src.buf, this.at(IPSET_ATTR_SKBMARK));
  }
  /** 'MAJOR:MINOR' in hex, as ipset(8) prints it. */
  get skbprio(): string | undefined {
    return skbprioOf(this.src.buf, this.at(IPSET_ATTR_SKBPRIO));
  }
  get skbqueue(): number | undefined {
    return be16Of(this.src.buf, this.at(IPSET_ATTR_SKBQUEUE));
  }
  /** 'inet' or 'inet6' for elements with an address. */
  get family(): 'inet' | 'inet6' | undefined {
    const b = this.src.buf,
      p = this.at(IPSET_ATTR_IP);
    return p > 0 ? ipFamily(b, p + 4, size(b, p)) : undefined;
  }

  private cadtFlags(): number {
    return be32Of(this.src.buf, this.at(IPSET_ATTR_CADT_FLAGS)) ?? 0;
  }

  /** The element as ipset(8) writes it: '192.0.2.0/24,tcp:80'. */
  toString(): string {
    const set = this.src.set;
    const b = this.src.buf;
    if (set.dims.length === 1 && (set.dims[0] === 'ip' || set.dims[0] === 'net')) {
      // The commonest listing: IP and CIDR in one pass, no table.
      let ip: string | undefined, cidr: number | undefined;
      const o = this.off,
        end = o + (b[o] | (b[o + 1] << 8));
      for (let p = o + 4; p + 4 <= end; ) {
        const len = b[p] | (b[p + 1] << 8);
        if (len < 4 || p + len > end) break;
        const id = (b[p + 2] | (b[p + 3] << 8)) & 0x3fff;
        if (id === IPSET_ATTR_IP) ip = ipText(b, p + 4, len - 4);
        else if (id === IPSET_ATTR_CIDR && len > 4) cidr = b[p + 4];
        p += (len + 3) & ~3;
      }
      if (ip !== undefined) return cidr === undefined || cidr === (ip.includes(':') ? 128 : 32) ? ip : `${ip}/${cidr}`;
    }
    this.scan();
    const out: string[] = [];
    let addrSeen = false;
    for (const dim of set.dims) {
      switch (dim) {
        case 'ip':
        case 'net': {
          const ip = ipOf(b, addrSeen ? AT[IPSET_ATTR_IP2] : AT[IPSET_ATTR_IP]);
          const cidr = u8Of(b, addrSeen ? AT[IPSET_ATTR_CIDR2] : AT[IPSET_ATTR_CIDR]);
          addrSeen = true;
          if (ip === undefined) break;
          const host = ip.includes(':') ? 128 : 32;
          out.push(cidr !== undefined && cidr !== host ? `${ip}/${cidr}` : ip);
          break;
        }
        case 'port': {
          const port = be16Of(b, AT[IPSET_ATTR_PORT]);
          if (port !== undefined)
            out.push(
              portText(port, u8Of(b, AT[IPSET_ATTR_PROTO]), set.kind === 'bitmap', be16Of(b, AT[IPSET_ATTR_PORT_TO])),
            );
          break;
        }
        case 'mac': {
          const mac = macOf(b, AT[IPSET_ATTR_ETHER]);
          if (mac !== undefined) out.push(mac);
          break;
        }
        case 'iface': {
          const iface = strOf(b, AT[IPSET_ATTR_IFACE]);
          const physdev = ((be32Of(b, AT[IPSET_ATTR_CADT_FLAGS]) ?? 0) & IPSET_FLAG_PHYSDEV) !== 0;
          if (iface !== undefined) out.push(physdev ? `physdev:${iface}` : iface);
          break;
        }
        case 'mark': {
          const mark = be32Of(b, AT[IPSET_ATTR_MARK]);
          if (mark !== undefined) out.push(`0x${mark.toString(16).padStart(8, '0')}`);
          break;
        }
        case 'set': {
          const name = strOf(b, AT[IPSET_ATTR_NAME]);
          if (name !== undefined) out.push(name);
          break;
        }
      }
    }
    return out.join(',');
  }

  /** The element's options as ipset(8) appends them: ' timeout 5 packets 0 bytes 0 comment "x"'. */
  optionsText(): string {
    const b = this.scan();
    const flags = be32Of(b, AT[IPSET_ATTR_CADT_FLAGS]) ?? 0;
    let s = '';
    for (const opt of this.src.set.adtOrder) {
      switch (opt) {
        case 'timeout': {
          const v = be32Of(b, AT[IPSET_ATTR_TIMEOUT]);
          if (v !== undefined) s += ` timeout ${v}`;
          break;
        }
        case 'nomatch':
          if (flags & IPSET_FLAG_NOMATCH) s += ' nomatch';
          break;
        case 'wildcard':
          if (flags & IPSET_FLAG_IFACE_WILDCARD) s += ' wildcard';
          break;
        case 'packets': {
          const v = be64Of(b, AT[IPSET_ATTR_PACKETS]);
          if (v !== undefined) s += ` packets ${v}`;
          break;
        }
        case 'bytes': {
          const v = be64Of(b, AT[IPSET_ATTR_BYTES]);
          if (v !== undefined) s += ` bytes ${v}`;
          break;
        }
        case 'comment': {
          const v = strOf(b, AT[IPSET_ATTR_COMMENT]);
          if (v !== undefined) s += ` comment "${v}"`;
          break;
        }
        case 'skbmark': {
          const m = skbmarkOf(b, AT[IPSET_ATTR_SKBMARK]);
          if (m) s += ` skbmark ${skbmarkText(m)}`;
          break;
        }
        case 'skbprio': {
          const v = skbprioOf(b, AT[IPSET_ATTR_SKBPRIO]);
          if (v !== undefined) s += ` skbprio ${v}`;
          break;
        }
        case 'skbqueue': {
          const v = be16Of(b, AT[IPSET_ATTR_SKBQUEUE]);
          if (v !== undefined) s += ` skbqueue ${v}`;
          break;
        }
        default:
          break;
      }
    }
    return s;
  }

  /** The entry as a record: its element, parts and options (counters as numbers while exact). */
  toJSON(): IPSetEntryRecord {
    return this.record();
  }

  /** util.inspect: the record, not the bytes behind it. */
  [INSPECT](depth: number, opts: unknown, inspect: (v: unknown, o: unknown) => string): string {
    return inspectRecord('IPSetEntry', this.record(), depth, opts, inspect);
  }

  /** Every present field as a plain record (record.ts); the entry stays reachable with messageOf(). */
  record(): IPSetEntryRecord {
    const out: Record<string, unknown> = { elem: this.toString() };
    const b = this.scan();
    const flags = be32Of(b, AT[IPSET_ATTR_CADT_FLAGS]) ?? 0;
    const put = (k: string, v: unknown): void => {
      if (v !== undefined && v !== false) out[k] = v;
    };
    const big = (v: bigint | undefined): unknown => (v === undefined ? undefined : u64Value(v));
    put('ip', ipOf(b, AT[IPSET_ATTR_IP]));
    put('cidr', u8Of(b, AT[IPSET_ATTR_CIDR]));
    put('ipTo', ipOf(b, AT[IPSET_ATTR_IP_TO]));
    put('ip2', ipOf(b, AT[IPSET_ATTR_IP2]));
    put('cidr2', u8Of(b, AT[IPSET_ATTR_CIDR2]));
    put('ip2To', ipOf(b, AT[IPSET_ATTR_IP2_TO]));
    put('port', be16Of(b, AT[IPSET_ATTR_PORT]));
    put('portTo', be16Of(b, AT[IPSET_ATTR_PORT_TO]));
    const proto = u8Of(b, AT[IPSET_ATTR_PROTO]);
    if (proto !== undefined) out.proto = protoName(proto) ?? proto;
    put('mac', macOf(b, AT[IPSET_ATTR_ETHER]));
    put('iface', strOf(b, AT[IPSET_ATTR_IFACE]));
    put('physdev', (flags & IPSET_FLAG_PHYSDEV) !== 0);
    put('wildcard', (flags & IPSET_FLAG_IFACE_WILDCARD) !== 0);
    put('mark', be32Of(b, AT[IPSET_ATTR_MARK]));
    put('name', strOf(b, AT[IPSET_ATTR_NAME]));
    put('nomatch', (flags & IPSET_FLAG_NOMATCH) !== 0);
    put('timeout', be32Of(b, AT[IPSET_ATTR_TIMEOUT]));
    put('packets', big(be64Of(b, AT[IPSET_ATTR_PACKETS])));
    put('bytes', big(be64Of(b, AT[IPSET_ATTR_BYTES])));
    put('comment', strOf(b, AT[IPSET_ATTR_COMMENT]));
    const m = skbmarkOf(b, AT[IPSET_ATTR_SKBMARK]);
    if (m) out.skbmark = skbmarkText(m);
    put('skbprio', skbprioOf(b, AT[IPSET_ATTR_SKBPRIO]));
    put('skbqueue', be16Of(b, AT[IPSET_ATTR_SKBQUEUE]));
    return attachMessage(out, this) as unknown as IPSetEntryRecord;
  }
}
