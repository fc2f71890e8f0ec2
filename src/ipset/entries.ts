// Elements of sets as the API takes them: text as ipset(8) reads it, tuples for composite
// types, PortEntry/PortRange/IPRange, field objects; parsed and checked into wire-ready
// form (encode.ts writes it, entry.ts reads listed elements back).
import { parseIPv4, parseIPv6 } from '../core/index.js';
import {
  IFNAMSIZ,
  IPPROTO_ICMP,
  IPPROTO_ICMPV6,
  IPPROTO_SCTP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IPPROTO_UDPLITE,
  IPSET_FLAG_BEFORE,
  IPSET_FLAG_IFACE_WILDCARD,
  IPSET_FLAG_NOMATCH,
  IPSET_FLAG_PHYSDEV,
  IPSET_MAXNAMELEN,
  IPSET_MAX_COMMENT_SIZE,
} from './constants.js';
import { IPSetSyntaxError } from './errors.js';
import { protoName, serviceByName } from './names.js';
import { IPRange, PortEntry, PortRange, protoNumber, type Protocol } from './parts.js';
import { checkElementFields } from './specs.js';
import type { Dim } from './types.js';

// ---- ICMP names (as ipset(8) spells them) ------------------------------------------------

/** ICMP type/code names ipset(8) accepts and prints: [name, type, code]. */
export const ICMP_NAMES: readonly (readonly [string, number, number])[] = [
  ['echo-reply', 0, 0],
  ['pong', 0, 0],
  ['network-unreachable', 3, 0],
  ['host-unreachable', 3, 1],
  ['protocol-unreachable', 3, 2],
  ['port-unreachable', 3, 3],
  ['fragmentation-needed', 3, 4],
  ['source-route-failed', 3, 5],
  ['network-unknown', 3, 6],
  ['host-unknown', 3, 7],
  ['network-prohibited', 3, 9],
  ['host-prohibited', 3, 10],
  ['TOS-network-unreachable', 3, 11],
  ['TOS-host-unreachable', 3, 12],
  ['communication-prohibited', 3, 13],
  ['host-precedence-violation', 3, 14],
  ['precedence-cutoff', 3, 15],
  ['source-quench', 4, 0],
  ['network-redirect', 5, 0],
  ['host-redirect', 5, 1],
  ['TOS-network-redirect', 5, 2],
  ['TOS-host-redirect', 5, 3],
  ['echo-request', 8, 0],
  ['ping', 8, 0],
  ['router-advertisement', 9, 0],
  ['router-solicitation', 10, 0],
  ['ttl-zero-during-transit', 11, 0],
  ['ttl-zero-during-reassembly', 11, 1],
  ['ip-header-bad', 12, 0],
  ['required-option-missing', 12, 1],
  ['timestamp-request', 13, 0],
  ['timestamp-reply', 14, 0],
  ['address-mask-request', 17, 0],
  ['address-mask-reply', 18, 0],
];

/** ICMPv6 type/code names ipset(8) accepts and prints. */
export const ICMPV6_NAMES: readonly (readonly [string, number, number])[] = [
  ['no-route', 1, 0],
  ['communication-prohibited', 1, 1],
  ['address-unreachable', 1, 3],
  ['port-unreachable', 1, 4],
  ['packet-too-big', 2, 0],
  ['ttl-zero-during-transit', 3, 0],
  ['ttl-zero-during-reassembly', 3, 1],
  ['bad-header', 4, 0],
  ['unknown-header-type', 4, 1],
  ['unknown-option', 4, 2],
  ['echo-request', 128, 0],
  ['ping', 128, 0],
  ['echo-reply', 129, 0],
  ['pong', 129, 0],
  ['router-solicitation', 133, 0],
  ['router-advertisement', 134, 0],
  ['neighbour-solicitation', 135, 0],
  ['neigbour-solicitation', 135, 0],
  ['neighbour-advertisement', 136, 0],
  ['neigbour-advertisement', 136, 0],
  ['redirect', 137, 0],
];

/**
 * The type/code (type << 8 | code) of an ICMP or ICMPv6 name. Like ipset(8), a leading part
 * of a name is enough ('echo-req'); the first match in table order wins.
 */
export function icmpTypeCode(name: string, v6 = false): number | undefined {
  if (!name) return undefined;
  for (const [n, t, c] of v6 ? ICMPV6_NAMES : ICMP_NAMES) if (n.startsWith(name)) return (t << 8) | c;
  return undefined;
}

/** The name of an ICMP or ICMPv6 type/code, or undefined. */
export function icmpName(typecode: number, v6 = false): string | undefined {
  const t = typecode >> 8,
    c = typecode & 0xff;
  for (const [n, tt, cc] of v6 ? ICMPV6_NAMES : ICMP_NAMES) if (tt === t && cc === c) return n;
  return undefined;
}

// ---- friendly element parts -----------------------------------------------------------------

export { IPRange, PortEntry, PortRange, type Protocol } from './parts.js';

/** One part of a composite element. */
export type EntryPart = string | number | PortEntry | PortRange | IPRange;

/** Per-element options (ipset(8)'s ADD/DEL/TEST arguments). */
export interface EntryOptions {
  /** Seconds; 0 = permanent in a set with a default timeout. */
  timeout?: number;
  /** Counters; a decimal string too, as records hold counters beyond 2^53. */
  packets?: bigint | number | string;
  bytes?: bigint | number | string;
  comment?: string;
  /** skb mark to set: a number, 'MARK' / 'MARK/MASK' in hex as ipset(8) takes it, or [mark, mask]. */
  skbmark?: number | string | readonly [number, number];
  /** 'MAJOR:MINOR' (hex, as ipset(8)) or the raw 32-bit value. */
  skbprio?: string | number;
  skbqueue?: number;
  nomatch?: boolean;
  /** hash:net,iface: the name is a prefix ('eth' matches eth0, eth1...). */
  wildcard?: boolean;
  /** hash:net,iface: match the bridge port (also `physdev:` in the element text). */
  physdev?: boolean;
  /** list:set: place the element before / after this member. */
  before?: string;
  after?: string;
}

/** An element as fields (what list() gives back is accepted too). */
export interface EntryFields extends EntryOptions {
  ip?: string;
  cidr?: number;
  ipTo?: string;
  ip2?: string;
  cidr2?: number;
  ip2To?: string;
  port?: number | string;
  portTo?: number | string;
  proto?: Protocol;
  mac?: string;
  /** hash:net,iface: an interface name, or (through IPSet) an index resolved in the set's namespace. */
  iface?: string | number;
  mark?: number | string;
  /** list:set: the member set's name. */
  name?: string;
}

/** Anything add/delete/test accept as an element. */
export type EntryInput = EntryPart | readonly EntryPart[] | EntryFields;

/** An element parsed and checked, ready to encode. */
export interface Elem {
  ip?: Uint8Array;
  ipTo?: Uint8Array;
  cidr?: number;
  ip2?: Uint8Array;
  ip2To?: Uint8Array;
  cidr2?: number;
  port?: number;
  portTo?: number;
  proto?: number;
  ether?: Uint8Array;
  iface?: string;
  mark?: number;
  name?: string;
  /** Flags that come with the element itself (physdev: prefix). */
  cadtFlags: number;
}

/** Element options in wire form. */
export interface WireOptions {
  timeout?: number;
  packets?: bigint;
  bytes?: bigint;
  comment?: string;
  skbmark?: bigint;
  skbprio?: number;
  skbqueue?: number;
  nameref?: string;
  cadtFlags: number;
}

/** What parsing needs to know about the set. */
export interface ParseContext {
  /** Kind of set: bitmap:port takes no protocol, hash types default to tcp. */
  kind?: 'bitmap' | 'hash' | 'list';
  /** Family of the set (2, 10, or 0 when not known). */
  family?: number;
  /** For messages: the set type's name. */
  typeName?: string;
  /** How many leading dims are required (bitmap:ip,mac: 1). */
  required?: number;
}

// ---- parsing -----------------------------------------------------------------------------------

const ESC = /^\[(.*)\]$/;
// biome-ignore lint/suspicious/noShadowRestrictedNames: module-local, the global is never used here
const unescape = (s: string): string => ESC.exec(s)?.[1] ?? s;

/** Index of a separator that is neither the first nor the last character, like ipset's. */
function sepAt(s: string, sep: string): number {
  const i = s.indexOf(sep);
  return i > 0 && !s.endsWith(sep) && !s.startsWith(sep) ? i : -1;
}

function parseAddr(s: string, whole: string, family = 0): Uint8Array {
  const t = unescape(s.trim());
  const a = parseIPv4(t) ?? (t.includes(':') ? parseIPv6(t) : undefined);
  // Same words as ipset(8), which resolves the text in the set's family.
  if (!a || (family === 2 && a.length !== 4) || (family === 10 && a.length !== 16)) {
    if (family === 2 || family === 10)
      throw new IPSetSyntaxError(
        `cannot parse ${t}: resolving to ${family === 2 ? 'IPv4' : 'IPv6'} address failed`,
        whole,
      );
    throw new IPSetSyntaxError(`cannot parse ${t}: not an IPv4 or IPv6 address`, whole);
  }
  return a;
}

/** Integer as strtoull(str, 0) reads it: 0x.. hex, 0.. octal, else decimal. */
export function parseNumber(s: string, max: number, what = s): number {
  const t = s.trim();
  let v: number;
  if (/^0x[0-9a-f]+$/i.test(t)) v = parseInt(t.slice(2), 16);
  else if (/^0[0-7]+$/.test(t)) v = parseInt(t.slice(1), 8);
  else if (/^\d+$/.test(t)) v = Number(t);
  else throw new IPSetSyntaxError(`'${what}' is invalid as number`);
  if (v > max) throw new IPSetSyntaxError(`'${what}' is out of range 0-${max}`);
  return v;
}

function setAddr(
  e: Elem,
  second: boolean,
  addr: Uint8Array,
  cidr: number | undefined,
  to: Uint8Array | undefined,
): void {
  if (second) {
    e.ip2 = addr;
    e.cidr2 = cidr;
    e.ip2To = to;
  } else {
    e.ip = addr;
    e.cidr = cidr;
    e.ipTo = to;
  }
}

function parseAddrPart(v: EntryPart, second: boolean, e: Elem, whole: string, fam: number): void {
  if (v instanceof IPRange) {
    const a = parseAddr(v.from, whole, fam),
      b = parseAddr(v.to, whole, fam);
    if (a.length !== b.length) throw new IPSetSyntaxError(`range ${v} mixes IPv4 and IPv6`, whole);
    return setAddr(e, second, a, undefined, b);
  }
  if (typeof v !== 'string') throw new IPSetSyntaxError(`an IP address is expected, got ${String(v)}`, whole);
  const s = v.trim();
  const slash = sepAt(s, '/');
  if (slash > 0) {
    const a = parseAddr(s.slice(0, slash), whole, fam);
    const max = a.length * 8;
    const cidr = parseNumber(s.slice(slash + 1), 255);
    if (cidr > max) throw new IPSetSyntaxError(`'${s.slice(slash + 1)}' is out of range 0-${max}`, whole);
    return setAddr(e, second, a, cidr, undefined);
  }
  // An escaped address [..] may itself contain '-'; the range separator follows it.
  const dash = s.startsWith('[') ? (s.indexOf(']-') >= 0 ? s.indexOf(']-') + 1 : -1) : sepAt(s, '-');
  if (dash > 0) {
    const a = parseAddr(s.slice(0, dash), whole, fam),
      b = parseAddr(s.slice(dash + 1), whole, fam);
    if (a.length !== b.length) throw new IPSetSyntaxError(`range ${s} mixes IPv4 and IPv6`, whole);
    return setAddr(e, second, a, undefined, b);
  }
  setAddr(e, second, parseAddr(s, whole, fam), undefined, undefined);
}

function portNumber(p: number | string, proto: string, whole: string): number {
  if (typeof p === 'number') {
    if (!Number.isInteger(p) || p < 0 || p > 65535) throw new IPSetSyntaxError(`'${p}' is out of range 0-65535`, whole);
    return p;
  }
  const t = unescape(p.trim());
  if (/^(0x[0-9a-f]+|\d+)$/i.test(t)) return parseNumber(t, 65535);
  const svc = serviceByName(t, proto);
  if (svc === undefined) throw new IPSetSyntaxError(`cannot parse '${t}' as a ${proto} port`, whole);
  return svc;
}

function icmpPort(p: number | string, v6: boolean, whole: string): number {
  if (typeof p === 'number') return portNumber(p, 'icmp', whole);
  const t = p.trim();
  const named = icmpTypeCode(t, v6);
  if (named !== undefined) return named;
  const slash = t.indexOf('/');
  if (slash < 0) throw new IPSetSyntaxError(`Cannot parse ${t} as an ${v6 ? 'ICMPv6' : 'ICMP'} type/code.`, whole);
  return (parseNumber(t.slice(0, slash), 255) << 8) | parseNumber(t.slice(slash + 1), 255);
}

/** Fill port/portTo/proto from (proto, port text or numbers). */
function setPort(
  e: Elem,
  proto: number | undefined,
  from: number | string,
  to: number | string | undefined,
  ctx: ParseContext,
  whole: string,
): void {
  const bitmap = ctx.kind === 'bitmap';
  const p = proto ?? IPPROTO_TCP;
  const fam = e.ip ? (e.ip.length === 16 ? 10 : 2) : (ctx.family ?? 0);
  if (bitmap) {
    if (p !== IPPROTO_TCP && p !== IPPROTO_UDP)
      throw new IPSetSyntaxError('Only protocols TCP and UDP are valid', whole);
  } else {
    e.proto = p;
  }
  const pname = p === IPPROTO_UDP ? 'udp' : p === IPPROTO_SCTP ? 'sctp' : p === IPPROTO_UDPLITE ? 'udplite' : 'tcp';
  switch (p) {
    case IPPROTO_TCP:
    case IPPROTO_UDP:
    case IPPROTO_SCTP:
    case IPPROTO_UDPLITE:
      e.port = portNumber(from, pname, whole);
      if (to !== undefined) e.portTo = portNumber(to, pname, whole);
      return;
    case IPPROTO_ICMP:
      if (fam === 10) throw new IPSetSyntaxError('Protocol ICMP can be used with family inet only', whole);
      e.port = icmpPort(from, false, whole);
      return;
    case IPPROTO_ICMPV6:
      if (fam === 2) throw new IPSetSyntaxError('Protocol ICMPv6 can be used with family inet6 only', whole);
      e.port = icmpPort(from, true, whole);
      return;
    default:
      if (String(from).trim() !== '0' || to !== undefined) {
        throw new IPSetSyntaxError(`Protocol ${protoName(p) ?? p} can be used with pseudo port value 0 only.`, whole);
      }
      e.port = 0;
  }
}

function parsePortPart(v: EntryPart, e: Elem, ctx: ParseContext, whole: string): void {
  if (v instanceof PortEntry) return setPort(e, v.protocol, v.port, undefined, ctx, whole);
  if (v instanceof PortRange) return setPort(e, v.protocol, v.begin, v.end, ctx, whole);
  if (typeof v === 'number') return setPort(e, undefined, v, undefined, ctx, whole);
  if (typeof v !== 'string') throw new IPSetSyntaxError(`a port is expected, got ${String(v)}`, whole);
  let s = v.trim();
  let proto: number | undefined;
  const colon = sepAt(s, ':');
  if (colon > 0) {
    proto = protoNumber(s.slice(0, colon));
    s = s.slice(colon + 1);
  }
  if (proto === IPPROTO_ICMP || proto === IPPROTO_ICMPV6) return setPort(e, proto, s, undefined, ctx, whole);
  const dash = sepAt(s, '-');
  if (dash > 0) return setPort(e, proto, s.slice(0, dash), s.slice(dash + 1), ctx, whole);
  setPort(e, proto, s, undefined, ctx, whole);
}

/** 6 bytes of a MAC written as ipset(8) takes it (1-2 hex digits per byte). */
export function parseEther(s: string, whole = s): Uint8Array {
  const t = s.trim();
  if (!/^[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}$/i.test(t))
    throw new IPSetSyntaxError(`cannot parse '${t}' as ethernet address`, whole);
  return Uint8Array.from(t.split(':').map((x) => parseInt(x, 16)));
}

function checkSetName(s: string, whole: string): string {
  if (!s) throw new IPSetSyntaxError('empty setname', whole);
  if (Buffer.byteLength(s) > IPSET_MAXNAMELEN - 1)
    throw new IPSetSyntaxError(`setname '${s}' is longer than ${IPSET_MAXNAMELEN - 1} characters`, whole);
  return s;
}

function parsePart(dim: Dim, v: EntryPart, secondAddr: boolean, e: Elem, ctx: ParseContext, whole: string): void {
  switch (dim) {
    case 'ip':
    case 'net':
      return parseAddrPart(v, secondAddr, e, whole, ctx.family ?? 0);
    case 'port':
      return parsePortPart(v, e, ctx, whole);
    case 'mac':
      if (typeof v !== 'string') throw new IPSetSyntaxError(`a MAC address is expected, got ${String(v)}`, whole);
      e.ether = parseEther(v, whole);
      return;
    case 'iface': {
      if (typeof v !== 'string') throw new IPSetSyntaxError(`an interface name is expected, got ${String(v)}`, whole);
      let s = v.trim();
      if (s.startsWith('physdev:')) {
        e.cadtFlags |= IPSET_FLAG_PHYSDEV;
        s = s.slice(8);
      }
      if (!s) throw new IPSetSyntaxError('empty interface name', whole);
      if (Buffer.byteLength(s) > IFNAMSIZ - 1)
        throw new IPSetSyntaxError(`interface name '${s}' is longer than ${IFNAMSIZ - 1} characters`, whole);
      e.iface = s;
      return;
    }
    case 'mark':
      if (typeof v === 'number') {
        if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
          throw new IPSetSyntaxError(`'${v}' is out of range 0-4294967295`, whole);
        e.mark = v;
      } else if (typeof v === 'string') e.mark = parseNumber(v, 0xffffffff);
      else throw new IPSetSyntaxError(`a mark is expected, got ${String(v)}`, whole);
      return;
    case 'set':
      if (typeof v !== 'string') throw new IPSetSyntaxError(`a set name is expected, got ${String(v)}`, whole);
      e.name = checkSetName(v.trim(), whole);
      return;
  }
}

const ORDINAL = ['First', 'Second', 'Third'];

/** Split an element text into its parts, with ipset(8)'s complaints about the count. */
function splitParts(s: string, dims: readonly Dim[], ctx: ParseContext): string[] {
  // A set name (list:set) is taken whole: the before/after compat form is handled by the caller.
  if (dims.length === 1) {
    if (dims[0] !== 'set' && sepAt(s, ',') > 0) {
      throw new IPSetSyntaxError(
        `Elem separator in ${s}, but settype ${ctx.typeName ?? dims.join(',')} supports none.`,
        s,
      );
    }
    return [s];
  }
  const parts = s.split(',');
  const required = ctx.required ?? dims.length;
  if (parts.length > dims.length) {
    const n = parts.length - 1;
    throw new IPSetSyntaxError(
      `${n === 2 ? 'Two' : n === 3 ? 'Three' : String(n)} elem separators in ${s}, but settype ${ctx.typeName ?? dims.join(',')} supports ${dims.length - 1 === 1 ? 'one' : 'two'}.`,
      s,
    );
  }
  if (parts.length < required)
    throw new IPSetSyntaxError(`${ORDINAL[parts.length] ?? 'An'} element is missing from ${s}.`, s);
  return parts;
}

function isFields(v: unknown): v is EntryFields {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof PortEntry) &&
    !(v instanceof PortRange) &&
    !(v instanceof IPRange)
  );
}

function fromFields(f: EntryFields, dims: readonly Dim[], e: Elem, ctx: ParseContext, whole: string): void {
  let addrSeen = false;
  for (const dim of dims) {
    switch (dim) {
      case 'ip':
      case 'net': {
        const second = addrSeen;
        addrSeen = true;
        const ip = second ? f.ip2 : f.ip;
        if (ip === undefined) throw new IPSetSyntaxError(`${second ? 'ip2' : 'ip'} is missing from the element`, whole);
        const cidr = second ? f.cidr2 : f.cidr;
        const to = second ? f.ip2To : f.ipTo;
        const a = parseAddr(ip, whole, ctx.family ?? 0);
        if (cidr !== undefined && cidr !== null) {
          if (!Number.isInteger(cidr) || cidr < 0 || cidr > a.length * 8)
            throw new IPSetSyntaxError(`'${cidr}' is out of range 0-${a.length * 8}`, whole);
        }
        setAddr(e, second, a, cidr ?? undefined, to ? parseAddr(to, whole, ctx.family ?? 0) : undefined);
        break;
      }
      case 'port':
        if (f.port === undefined) throw new IPSetSyntaxError('port is missing from the element', whole);
        setPort(e, f.proto === undefined ? undefined : protoNumber(f.proto), f.port, f.portTo ?? undefined, ctx, whole);
        break;
      case 'mac':
        if (f.mac === undefined) {
          if ((ctx.required ?? dims.length) > dims.indexOf('mac'))
            throw new IPSetSyntaxError('mac is missing from the element', whole);
        } else e.ether = parseEther(f.mac, whole);
        break;
      case 'iface':
        if (f.iface === undefined) throw new IPSetSyntaxError('iface is missing from the element', whole);
        parsePart('iface', f.iface, false, e, ctx, whole);
        break;
      case 'mark':
        if (f.mark === undefined) throw new IPSetSyntaxError('mark is missing from the element', whole);
        parsePart('mark', f.mark, false, e, ctx, whole);
        break;
      case 'set':
        if (f.name === undefined) throw new IPSetSyntaxError('name is missing from the element', whole);
        parsePart('set', f.name, false, e, ctx, whole);
        break;
    }
  }
}

/**
 * Parse an element for a set whose elements have these dimensions. Accepts the text
 * ipset(8) takes ('192.0.2.0/24,tcp:80'), a tuple (['192.0.2.0/24', new PortEntry(80)]),
 * a single part (a PortRange, a number) or an object of fields. Extra options found in
 * the input (list:set's 'a,before,b', a fields object's timeout...) go to `opts`.
 */
export function parseEntry(input: EntryInput, dims: readonly Dim[], ctx: ParseContext = {}, opts?: EntryOptions): Elem {
  const e: Elem = { cadtFlags: 0 };
  if (isFields(input)) {
    checkElementFields(input);
    fromFields(input, dims, e, ctx, 'element fields');
    if (input.physdev) e.cadtFlags |= IPSET_FLAG_PHYSDEV;
    return e;
  }
  let parts: EntryPart[];
  const whole = Array.isArray(input) ? input.map(String).join(',') : String(input);
  if (Array.isArray(input)) {
    parts = [...input];
    const required = ctx.required ?? dims.length;
    if (parts.length > dims.length || parts.length < required) {
      throw new IPSetSyntaxError(
        `element ${whole} has ${parts.length} parts, type ${ctx.typeName ?? dims.join(',')} takes ${dims.length}`,
        whole,
      );
    }
  } else if (typeof input === 'string') {
    let s = input.trim();
    if (dims.length === 1 && dims[0] === 'set') {
      // ipset(8)'s compat form: 'a,before,b' / 'a,after,b'.
      const m = /^([^,]+),(before|after),([^,]+)$/.exec(s);
      if (m) {
        s = m[1];
        if (opts) opts[m[2] as 'before' | 'after'] = m[3];
      } else if (s.includes(',')) {
        throw new IPSetSyntaxError('you must specify elements as setname,[before|after],setname', s);
      }
    }
    if (!s) throw new IPSetSyntaxError('empty element', input);
    parts = splitParts(s, dims, ctx);
  } else {
    parts = [input as EntryPart];
    if (dims.length > 1 && (ctx.required ?? dims.length) > 1) {
      throw new IPSetSyntaxError(
        `element ${whole} has 1 part, type ${ctx.typeName ?? dims.join(',')} takes ${dims.length}`,
        whole,
      );
    }
  }
  let addrSeen = false;
  for (let i = 0; i < parts.length; i++) {
    const dim = dims[i];
    const isAddr = dim === 'ip' || dim === 'net';
    parsePart(dim, parts[i], isAddr && addrSeen, e, ctx, whole);
    if (isAddr) addrSeen = true;
  }
  return e;
}

// ---- options --------------------------------------------------------------------------------

function u64(v: bigint | number | string, what: string): bigint {
  let x: bigint;
  try {
    x = BigInt(v);
  } catch {
    throw new IPSetSyntaxError(`'${v}' is invalid as number (${what})`);
  }
  if (x < 0n || x > 0xfffffffffffffffen) throw new IPSetSyntaxError(`'${v}' is out of range 0-18446744073709551614`);
  return x;
}

function skbmarkValue(v: NonNullable<EntryOptions['skbmark']>): bigint {
  let mark: number,
    mask = 0xffffffff;
  if (Array.isArray(v)) [mark, mask] = v as [number, number];
  else if (typeof v === 'number') mark = v;
  else {
    const m = /^0x([0-9a-f]+)(?:\/0x([0-9a-f]+))?$/i.exec(String(v).trim());
    if (!m) throw new IPSetSyntaxError('Invalid skbmark format, it should be:  MARK/MASK or MARK (see manpage)');
    mark = parseInt(m[1], 16);
    if (m[2] !== undefined) mask = parseInt(m[2], 16);
  }
  for (const x of [mark, mask]) {
    if (!Number.isInteger(x) || x < 0 || x > 0xffffffff)
      throw new IPSetSyntaxError('Invalid skbmark format, it should be:  MARK/MASK or MARK (see manpage)');
  }
  return (BigInt(mark) << 32n) | BigInt(mask);
}

function skbprioValue(v: string | number): number {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
      throw new IPSetSyntaxError('Invalid skbprio format, it should be:MAJOR:MINOR (see manpage)');
    return v;
  }
  const m = /^([0-9a-f]+):([0-9a-f]+)$/i.exec(v.trim());
  if (!m) throw new IPSetSyntaxError('Invalid skbprio format, it should be:MAJOR:MINOR (see manpage)');
  return ((parseInt(m[1], 16) << 16) | (parseInt(m[2], 16) & 0xffff)) >>> 0;
}

/** Options in wire form; `onto` merges over an earlier result (per-entry over per-call). */
export function wireOptions(o: EntryOptions | undefined, onto?: WireOptions): WireOptions {
  const w: WireOptions = onto ? { ...onto } : { cadtFlags: 0 };
  if (!o) return w;
  if (o.timeout !== undefined && o.timeout !== null) {
    if (!Number.isInteger(o.timeout) || o.timeout < 0 || o.timeout > 2147483)
      throw new IPSetSyntaxError(`'${o.timeout}' is out of range 0-2147483`);
    w.timeout = o.timeout;
  }
  if (o.packets !== undefined && o.packets !== null) w.packets = u64(o.packets, 'packets');
  if (o.bytes !== undefined && o.bytes !== null) w.bytes = u64(o.bytes, 'bytes');
  if (o.comment !== undefined && o.comment !== null) {
    if (o.comment.includes('"')) throw new IPSetSyntaxError('" character is not permitted in comments');
    if (Buffer.byteLength(o.comment) > IPSET_MAX_COMMENT_SIZE)
      throw new IPSetSyntaxError(`Comment is longer than the maximum allowed ${IPSET_MAX_COMMENT_SIZE} characters`);
    w.comment = o.comment;
  }
  if (o.skbmark !== undefined && o.skbmark !== null) w.skbmark = skbmarkValue(o.skbmark);
  if (o.skbprio !== undefined && o.skbprio !== null) w.skbprio = skbprioValue(o.skbprio);
  if (o.skbqueue !== undefined && o.skbqueue !== null) {
    if (!Number.isInteger(o.skbqueue) || o.skbqueue < 0 || o.skbqueue > 65535)
      throw new IPSetSyntaxError(`'${o.skbqueue}' is out of range 0-65535`);
    w.skbqueue = o.skbqueue;
  }
  if (o.nomatch) w.cadtFlags |= IPSET_FLAG_NOMATCH;
  if (o.wildcard) w.cadtFlags |= IPSET_FLAG_IFACE_WILDCARD;
  if (o.physdev) w.cadtFlags |= IPSET_FLAG_PHYSDEV;
  if (o.before !== undefined && o.after !== undefined)
    throw new IPSetSyntaxError('mixed syntax, before|after option already used');
  if (o.before !== undefined) {
    w.nameref = checkSetName(o.before, o.before);
    w.cadtFlags |= IPSET_FLAG_BEFORE;
  }
  if (o.after !== undefined) w.nameref = checkSetName(o.after, o.after);
  return w;
}

/** Options carried by a fields object (e.g. an entry from list()), or undefined. */
export function entryOptionsOf(input: EntryInput): EntryOptions | undefined {
  if (!isFields(input)) return undefined;
  const f = input;
  if (
    f.timeout === undefined &&
    f.packets === undefined &&
    f.bytes === undefined &&
    f.comment === undefined &&
    f.skbmark === undefined &&
    f.skbprio === undefined &&
    f.skbqueue === undefined &&
    !f.nomatch &&
    !f.wildcard &&
    f.before === undefined &&
    f.after === undefined
  )
    return undefined;
  return f;
}
