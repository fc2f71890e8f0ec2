// Listed elements: a lazy view over the kernel's bytes, decoded on first use, printed as
// ipset(8) prints them.
import { ipv6ToString } from '../core/index.js';
import {
  IPPROTO_ICMP, IPPROTO_ICMPV6, IPSET_ATTR_BYTES, IPSET_ATTR_CADT_FLAGS, IPSET_ATTR_CIDR, IPSET_ATTR_CIDR2,
  IPSET_ATTR_COMMENT, IPSET_ATTR_ETHER, IPSET_ATTR_IFACE, IPSET_ATTR_IP, IPSET_ATTR_IP2, IPSET_ATTR_IP2_TO,
  IPSET_ATTR_IP_TO, IPSET_ATTR_LINENO, IPSET_ATTR_MARK, IPSET_ATTR_NAME, IPSET_ATTR_NAMEREF, IPSET_ATTR_PACKETS,
  IPSET_ATTR_PORT, IPSET_ATTR_PORT_TO, IPSET_ATTR_PROTO, IPSET_ATTR_SKBMARK, IPSET_ATTR_SKBPRIO, IPSET_ATTR_SKBQUEUE,
  IPSET_ATTR_TIMEOUT, IPSET_FLAG_IFACE_WILDCARD, IPSET_FLAG_NOMATCH, IPSET_FLAG_PHYSDEV,
} from './constants.js';
import { icmpName, type EntryFields } from './entries.js';
import { protoName } from './names.js';
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

/** '0'..'255': building dotted quads from a table beats number formatting. */
const DEC: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i));

function ipText(b: Buffer, o: number, len: number): string | undefined {
  // A nested IPSET_ATTR_IPADDR_IPV4/IPV6.
  if (len < 4) return undefined;
  const l = b[o] | (b[o + 1] << 8);
  const t = (b[o + 2] | (b[o + 3] << 8)) & 0x3fff;
  if (t === 1 && l >= 8) return DEC[b[o + 4]] + '.' + DEC[b[o + 5]] + '.' + DEC[b[o + 6]] + '.' + DEC[b[o + 7]];
  if (t === 2 && l >= 20) return ipv6Text(b, o + 4);
  return undefined;
}

/** IPv6 text as inet_ntop(3) writes it (IPv4-compatible and -mapped tails dotted). */
export function ipv6Text(b: Uint8Array, o: number): string {
  let zero6 = true;
  for (let i = 0; i < 10; i++) if (b[o + i]) { zero6 = false; break; }
  if (zero6) {
    const w5 = (b[o + 10] << 8) | b[o + 11];
    const tail = `${b[o + 12]}.${b[o + 13]}.${b[o + 14]}.${b[o + 15]}`;
    if (w5 === 0xffff) return `::ffff:${tail}`;
    if (w5 === 0 && (b[o + 12] || b[o + 13])) return `::${tail}`;
  }
  return ipv6ToString(b, o);
}

/** Decoded fields; every property declared up front so all instances share one shape. */
class Fields {
  ip: string | undefined = undefined; ipTo: string | undefined = undefined; cidr: number | undefined = undefined;
  ip2: string | undefined = undefined; ip2To: string | undefined = undefined; cidr2: number | undefined = undefined;
  port: number | undefined = undefined; portTo: number | undefined = undefined; proto: number | undefined = undefined;
  timeout: number | undefined = undefined; cadtFlags: number | undefined = undefined; mark: number | undefined = undefined;
  mac: string | undefined = undefined; name: string | undefined = undefined; nameref: string | undefined = undefined;
  iface: string | undefined = undefined; bytes: bigint | undefined = undefined; packets: bigint | undefined = undefined;
  comment: string | undefined = undefined; skbmark: bigint | undefined = undefined; skbprio: number | undefined = undefined;
  skbqueue: number | undefined = undefined; lineno: number | undefined = undefined;
}

function hex2(n: number): string {
  return (n < 16 ? '0' : '') + n.toString(16).toUpperCase();
}

function decodeFields(b: Buffer, start: number, end: number): Fields {
  const f = new Fields();
  for (let p = start; p + 4 <= end; ) {
    const len = b[p] | (b[p + 1] << 8);
    if (len < 4 || p + len > end) break;
    const id = (b[p + 2] | (b[p + 3] << 8)) & 0x3fff;
    const o = p + 4, n = len - 4;
    switch (id) {
      case IPSET_ATTR_IP: f.ip = ipText(b, o, n); break;
      case IPSET_ATTR_IP_TO: f.ipTo = ipText(b, o, n); break;
      case IPSET_ATTR_CIDR: if (n >= 1) f.cidr = b[o]; break;
      case IPSET_ATTR_PORT: if (n >= 2) f.port = b.readUInt16BE(o); break;
      case IPSET_ATTR_PORT_TO: if (n >= 2) f.portTo = b.readUInt16BE(o); break;
      case IPSET_ATTR_TIMEOUT: if (n >= 4) f.timeout = b.readUInt32BE(o); break;
      case IPSET_ATTR_PROTO: if (n >= 1) f.proto = b[o]; break;
      case IPSET_ATTR_CADT_FLAGS: if (n >= 4) f.cadtFlags = b.readUInt32BE(o); break;
      case IPSET_ATTR_LINENO: if (n >= 4) f.lineno = b.readUInt32BE(o); break;
      case IPSET_ATTR_MARK: if (n >= 4) f.mark = b.readUInt32BE(o); break;
      case IPSET_ATTR_ETHER:
        if (n >= 6) f.mac = `${hex2(b[o])}:${hex2(b[o + 1])}:${hex2(b[o + 2])}:${hex2(b[o + 3])}:${hex2(b[o + 4])}:${hex2(b[o + 5])}`;
        break;
      case IPSET_ATTR_NAME: f.name = cstr(b, o, n); break;
      case IPSET_ATTR_NAMEREF: f.nameref = cstr(b, o, n); break;
      case IPSET_ATTR_IP2: f.ip2 = ipText(b, o, n); break;
      case IPSET_ATTR_CIDR2: if (n >= 1) f.cidr2 = b[o]; break;
      case IPSET_ATTR_IP2_TO: f.ip2To = ipText(b, o, n); break;
      case IPSET_ATTR_IFACE: f.iface = cstr(b, o, n); break;
      case IPSET_ATTR_BYTES: if (n >= 8) f.bytes = b.readBigUInt64BE(o); break;
      case IPSET_ATTR_PACKETS: if (n >= 8) f.packets = b.readBigUInt64BE(o); break;
      case IPSET_ATTR_COMMENT: f.comment = cstr(b, o, n); break;
      case IPSET_ATTR_SKBMARK: if (n >= 8) f.skbmark = b.readBigUInt64BE(o); break;
      case IPSET_ATTR_SKBPRIO: if (n >= 4) f.skbprio = b.readUInt32BE(o); break;
      case IPSET_ATTR_SKBQUEUE: if (n >= 2) f.skbqueue = b.readUInt16BE(o); break;
      default: break;
    }
    p += (len + 3) & ~3;
  }
  return f;
}

function cstr(b: Buffer, o: number, n: number): string {
  let e = o + n;
  const nul = b.indexOf(0, o);
  if (nul >= 0 && nul < e) e = nul;
  return b.toString('utf8', o, e);
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

/**
 * One element of a listed set, decoded lazily from the kernel's bytes: nothing is read
 * until a field is asked for. Field names match what add() accepts, so an entry can be
 * passed back to add/delete/test (of this or another set).
 */
export class IPSetEntry implements EntryFields {
  private f: Fields | undefined;

  constructor(
    /** The set this element was listed from. */
    readonly set: EntrySetInfo,
    private readonly buf: Buffer,
    private readonly start: number,
    private readonly end: number,
  ) {}

  private get fields(): Fields {
    return (this.f ??= decodeFields(this.buf, this.start, this.end));
  }

  get ip(): string | undefined { return this.fields.ip; }
  get cidr(): number | undefined { return this.fields.cidr; }
  get ipTo(): string | undefined { return this.fields.ipTo; }
  get ip2(): string | undefined { return this.fields.ip2; }
  get cidr2(): number | undefined { return this.fields.cidr2; }
  get ip2To(): string | undefined { return this.fields.ip2To; }
  get port(): number | undefined { return this.fields.port; }
  get portTo(): number | undefined { return this.fields.portTo; }
  /** Protocol number of the port part. */
  get proto(): number | undefined { return this.fields.proto; }
  /** Uppercase, as ipset(8) prints it. */
  get mac(): string | undefined { return this.fields.mac; }
  get iface(): string | undefined { return this.fields.iface; }
  get physdev(): boolean { return !!((this.fields.cadtFlags ?? 0) & IPSET_FLAG_PHYSDEV); }
  get wildcard(): boolean { return !!((this.fields.cadtFlags ?? 0) & IPSET_FLAG_IFACE_WILDCARD); }
  get nomatch(): boolean { return !!((this.fields.cadtFlags ?? 0) & IPSET_FLAG_NOMATCH); }
  get mark(): number | undefined { return this.fields.mark; }
  /** list:set: the member's name. */
  get name(): string | undefined { return this.fields.name; }
  get timeout(): number | undefined { return this.fields.timeout; }
  get packets(): bigint | undefined { return this.fields.packets; }
  get bytes(): bigint | undefined { return this.fields.bytes; }
  get comment(): string | undefined { return this.fields.comment; }
  /** skb mark and mask, when set. */
  get skbmark(): readonly [mark: number, mask: number] | undefined {
    const v = this.fields.skbmark;
    return v === undefined ? undefined : [Number(v >> 32n), Number(v & 0xffffffffn)];
  }
  /** 'MAJOR:MINOR' in hex, as ipset(8) prints it. */
  get skbprio(): string | undefined {
    const v = this.fields.skbprio;
    return v === undefined ? undefined : `${(v >>> 16).toString(16)}:${(v & 0xffff).toString(16)}`;
  }
  get skbqueue(): number | undefined { return this.fields.skbqueue; }
  /** 'inet' or 'inet6' for elements with an address. */
  get family(): 'inet' | 'inet6' | undefined {
    const ip = this.fields.ip;
    return ip === undefined ? undefined : ip.includes(':') ? 'inet6' : 'inet';
  }

  /** The element as ipset(8) writes it: '192.0.2.0/24,tcp:80'. */
  toString(): string {
    const set = this.set;
    if (set.dims.length === 1 && (set.dims[0] === 'ip' || set.dims[0] === 'net')) {
      // The commonest listing: read IP and CIDR straight from the bytes, no full decode.
      let ip: string | undefined, cidr: number | undefined;
      if (this.f) { ip = this.f.ip; cidr = this.f.cidr; } else {
        const b = this.buf, end = this.end;
        for (let p = this.start; p + 4 <= end; ) {
          const len = b[p] | (b[p + 1] << 8);
          if (len < 4 || p + len > end) break;
          const id = b[p + 2] | ((b[p + 3] & 0x3f) << 8);
          if (id === IPSET_ATTR_IP) ip = ipText(b, p + 4, len - 4);
          else if (id === IPSET_ATTR_CIDR) cidr = b[p + 4];
          p += (len + 3) & ~3;
        }
      }
      if (ip !== undefined) return cidr === undefined || cidr === (ip.includes(':') ? 128 : 32) ? ip : `${ip}/${cidr}`;
    }
    const f = this.fields;
    const out: string[] = [];
    let addrSeen = false;
    for (const dim of set.dims) {
      switch (dim) {
        case 'ip': case 'net': {
          const ip = addrSeen ? f.ip2 : f.ip;
          const cidr = addrSeen ? f.cidr2 : f.cidr;
          addrSeen = true;
          if (ip === undefined) break;
          const host = ip.includes(':') ? 128 : 32;
          out.push(cidr !== undefined && cidr !== host ? `${ip}/${cidr}` : ip);
          break;
        }
        case 'port':
          if (f.port !== undefined) out.push(portText(f.port, f.proto, set.kind === 'bitmap', f.portTo));
          break;
        case 'mac':
          if (f.mac !== undefined) out.push(f.mac);
          break;
        case 'iface':
          if (f.iface !== undefined) out.push(this.physdev ? `physdev:${f.iface}` : f.iface);
          break;
        case 'mark':
          if (f.mark !== undefined) out.push(`0x${f.mark.toString(16).padStart(8, '0')}`);
          break;
        case 'set':
          if (f.name !== undefined) out.push(f.name);
          break;
      }
    }
    return out.join(',');
  }

  /** The element's options as ipset(8) appends them: ' timeout 5 packets 0 bytes 0 comment "x"'. */
  optionsText(): string {
    const f = this.fields;
    let s = '';
    for (const opt of this.set.adtOrder) {
      switch (opt) {
        case 'timeout': if (f.timeout !== undefined) s += ` timeout ${f.timeout}`; break;
        case 'nomatch': if (this.nomatch) s += ' nomatch'; break;
        case 'wildcard': if (this.wildcard) s += ' wildcard'; break;
        case 'packets': if (f.packets !== undefined) s += ` packets ${f.packets}`; break;
        case 'bytes': if (f.bytes !== undefined) s += ` bytes ${f.bytes}`; break;
        case 'comment': if (f.comment !== undefined) s += ` comment "${f.comment}"`; break;
        case 'skbmark': {
          const m = this.skbmark;
          if (m) s += m[1] === 0xffffffff ? ` skbmark 0x${m[0].toString(16)}` : ` skbmark 0x${m[0].toString(16)}/0x${m[1].toString(16)}`;
          break;
        }
        case 'skbprio': if (f.skbprio !== undefined) s += ` skbprio ${this.skbprio}`; break;
        case 'skbqueue': if (f.skbqueue !== undefined) s += ` skbqueue ${f.skbqueue}`; break;
        default: break;
      }
    }
    return s;
  }

  /** Every present field, JSON-friendly (counters as numbers while exact). */
  toJSON(): Record<string, unknown> {
    const f = this.fields;
    const out: Record<string, unknown> = { elem: this.toString() };
    const put = (k: string, v: unknown): void => { if (v !== undefined && v !== false) out[k] = v; };
    put('ip', f.ip); put('cidr', f.cidr); put('ipTo', f.ipTo); put('ip2', f.ip2); put('cidr2', f.cidr2); put('ip2To', f.ip2To);
    put('port', f.port); put('portTo', f.portTo);
    if (f.proto !== undefined) out.proto = protoName(f.proto) ?? f.proto;
    put('mac', f.mac); put('iface', f.iface); put('physdev', this.physdev); put('wildcard', this.wildcard);
    put('mark', f.mark); put('name', f.name); put('nomatch', this.nomatch); put('timeout', f.timeout);
    const big = (v: bigint | undefined): unknown => (v === undefined ? undefined : v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString());
    put('packets', big(f.packets)); put('bytes', big(f.bytes)); put('comment', f.comment);
    const m = this.skbmark;
    if (m) out.skbmark = m[1] === 0xffffffff ? `0x${m[0].toString(16)}` : `0x${m[0].toString(16)}/0x${m[1].toString(16)}`;
    put('skbprio', this.skbprio); put('skbqueue', f.skbqueue);
    return out;
  }
}
