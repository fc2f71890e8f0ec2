// CREATE: the options the API takes, checked and turned into IPSET_ATTR_DATA in ipset(8)'s
// order, and the address families by name.
import { parseIPv4, parseIPv6 } from '../core/index.js';
import {
  IPSET_FLAG_WITH_COMMENT,
  IPSET_FLAG_WITH_COUNTERS,
  IPSET_FLAG_WITH_FORCEADD,
  IPSET_FLAG_WITH_SKBINFO,
  NFPROTO_IPV4,
  NFPROTO_IPV6,
  NFPROTO_UNSPEC,
} from './constants.js';
import { ipv6Text } from './entry.js';
import { parseNumber } from './entries.js';
import { IPSetSyntaxError } from './errors.js';
import type { CreateOption, SetType, SetTypeName } from './types.js';

/** An address family as the API takes it. */
export type Family = 'inet' | 'inet6' | 'ipv4' | 'ipv6' | 'any' | 'unspec' | number;

export interface CreateOptions {
  /** Set type, default 'hash:ip'. */
  stype?: SetTypeName;
  family?: Family;
  /** Fail if the set exists (default true); false makes create idempotent for an identical set. */
  exclusive?: boolean;
  counters?: boolean;
  comment?: boolean;
  skbinfo?: boolean;
  forceadd?: boolean;
  hashsize?: number;
  maxelem?: number;
  bucketsize?: number;
  initval?: number;
  /** Default timeout of elements, seconds. */
  timeout?: number;
  /** bitmap:port: [first, last]. */
  bitmapPortsRange?: readonly [number, number];
  /** bitmap:ip, bitmap:ip,mac: 'FROM-TO', 'IP/CIDR' or [from, to] (bitmap:port: 'FROM-TO' too). */
  range?: string | readonly [string, string] | readonly [number, number];
  /** Prefix length stored (hash:ip, hash:ip,port, hash:net,net, bitmap:ip). */
  netmask?: number;
  /** Address mask stored (hash:ip, hash:ip,port, hash:net,net). */
  bitmask?: string;
  /** hash:ip,mark. */
  markmask?: number;
  /** list:set: member count. */
  size?: number;
}

/** 'inet'/'inet6' by NFPROTO number. */
export const FAMILY_NAMES: Readonly<Record<number, 'inet' | 'inet6'>> = {
  [NFPROTO_IPV4]: 'inet',
  [NFPROTO_IPV6]: 'inet6',
};

/** NFPROTO number of a family given by name or number. */
export function familyNumber(f: Family | undefined, fallback: number): number {
  if (f === undefined) return fallback;
  if (typeof f === 'number') {
    if (f === NFPROTO_IPV4 || f === NFPROTO_IPV6 || f === NFPROTO_UNSPEC) return f;
    throw new IPSetSyntaxError(`unknown inet family ${f}`);
  }
  switch (f) {
    case 'inet':
    case 'ipv4':
      return NFPROTO_IPV4;
    case 'inet6':
    case 'ipv6':
      return NFPROTO_IPV6;
    case 'any':
    case 'unspec':
      return NFPROTO_UNSPEC;
    default:
      throw new IPSetSyntaxError(`unknown inet family ${String(f)}`);
  }
}

function uint(v: unknown, what: string, max = 0xffffffff): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max)
    throw new IPSetSyntaxError(`'${String(v)}' is out of range 0-${max} (${what})`);
  return v;
}

/** The create options given, by their table names. */
export function createOptionsUsed(o: CreateOptions): CreateOption[] {
  const used: CreateOption[] = [];
  const add = (k: CreateOption, v: unknown): void => {
    if (v !== undefined && v !== null && v !== false) used.push(k);
  };
  add('range', o.range ?? o.bitmapPortsRange);
  add('hashsize', o.hashsize);
  add('maxelem', o.maxelem);
  add('netmask', o.netmask);
  add('bitmask', o.bitmask);
  add('markmask', o.markmask);
  add('size', o.size);
  add('timeout', o.timeout);
  add('counters', o.counters);
  add('comment', o.comment);
  add('skbinfo', o.skbinfo);
  add('forceadd', o.forceadd);
  add('bucketsize', o.bucketsize);
  add('initval', o.initval);
  return used;
}

function ipAttrValue(a: Uint8Array): [string, string][] {
  return a.length === 4
    ? [['IPSET_ATTR_IPADDR_IPV4', `${a[0]}.${a[1]}.${a[2]}.${a[3]}`]]
    : [['IPSET_ATTR_IPADDR_IPV6', ipv6Text(a, 0)]];
}

function addrOf(s: string): Uint8Array {
  const a = parseIPv4(s.trim()) ?? parseIPv6(s.trim());
  if (!a) throw new IPSetSyntaxError(`cannot parse ${s}: not an IPv4 or IPv6 address`);
  return a;
}

/** IPSET_ATTR_DATA of a CREATE, in ipset(8)'s order (ascending attribute id). */
export function createData(t: SetType, o: CreateOptions, family: number): [string, unknown][] {
  const d: [string, unknown][] = [];
  if (t.name === 'bitmap:port') {
    let r = o.bitmapPortsRange;
    if (!r && o.range !== undefined) {
      if (Array.isArray(o.range)) r = [Number(o.range[0]), Number(o.range[1])];
      else {
        const m = /^\s*(\w+)\s*-\s*(\w+)\s*$/.exec(String(o.range));
        if (!m) throw new IPSetSyntaxError(`range ${String(o.range)} is not FROM-TO`);
        r = [parseNumber(m[1], 65535), parseNumber(m[2], 65535)];
      }
    }
    if (r) {
      d.push(['IPSET_ATTR_PORT', uint(r[0], 'range', 65535)], ['IPSET_ATTR_PORT_TO', uint(r[1], 'range', 65535)]);
    }
  } else if (o.range !== undefined) {
    let from: Uint8Array, to: Uint8Array | undefined, cidr: number | undefined;
    if (Array.isArray(o.range)) {
      from = addrOf(String(o.range[0]));
      to = addrOf(String(o.range[1]));
    } else {
      const s = String(o.range).trim();
      const slash = s.indexOf('/');
      const dash = s.indexOf('-');
      if (slash > 0) {
        from = addrOf(s.slice(0, slash));
        cidr = parseNumber(s.slice(slash + 1), 32);
      } else if (dash > 0) {
        from = addrOf(s.slice(0, dash));
        to = addrOf(s.slice(dash + 1));
      } else throw new IPSetSyntaxError(`range ${s} is not FROM-TO or IP/CIDR`);
    }
    if (from.length !== 4 || (to && to.length !== 4)) throw new IPSetSyntaxError(`${t.name} takes IPv4 ranges only`);
    d.push(['IPSET_ATTR_IP', ipAttrValue(from)]);
    if (to) d.push(['IPSET_ATTR_IP_TO', ipAttrValue(to)]);
    if (cidr !== undefined) d.push(['IPSET_ATTR_CIDR', cidr]);
  }
  if (o.timeout !== undefined) d.push(['IPSET_ATTR_TIMEOUT', uint(o.timeout, 'timeout', 2147483)]);
  let cadt = 0;
  if (o.counters) cadt |= IPSET_FLAG_WITH_COUNTERS;
  if (o.comment) cadt |= IPSET_FLAG_WITH_COMMENT;
  if (o.forceadd) cadt |= IPSET_FLAG_WITH_FORCEADD;
  if (o.skbinfo) cadt |= IPSET_FLAG_WITH_SKBINFO;
  if (cadt) d.push(['IPSET_ATTR_CADT_FLAGS', cadt]);
  if (o.markmask !== undefined) d.push(['IPSET_ATTR_MARKMASK', uint(o.markmask, 'markmask')]);
  if (o.bitmask !== undefined) {
    const a = addrOf(o.bitmask);
    if ((family === NFPROTO_IPV6) !== (a.length === 16))
      throw new IPSetSyntaxError(`bitmask is not valid for family = ${FAMILY_NAMES[family] ?? 'unspec'}`);
    d.push(['IPSET_ATTR_BITMASK', ipAttrValue(a)]);
  }
  if (o.initval !== undefined) d.push(['IPSET_ATTR_INITVAL', uint(o.initval, 'initval')]);
  if (o.hashsize !== undefined) d.push(['IPSET_ATTR_HASHSIZE', uint(o.hashsize, 'hashsize')]);
  if (o.maxelem !== undefined) d.push(['IPSET_ATTR_MAXELEM', uint(o.maxelem, 'maxelem')]);
  if (o.netmask !== undefined) {
    const max = family === NFPROTO_IPV6 ? 128 : 32;
    if (!Number.isInteger(o.netmask) || o.netmask < 1 || o.netmask > max)
      throw new IPSetSyntaxError(`netmask is out of the inclusive range of 1-${max}`);
    if (o.bitmask !== undefined)
      throw new IPSetSyntaxError('bitmask and netmask are mutually exclusive, provide only one');
    d.push(['IPSET_ATTR_NETMASK', o.netmask]);
  }
  if (o.bucketsize !== undefined) d.push(['IPSET_ATTR_BUCKETSIZE', uint(o.bucketsize, 'bucketsize', 255)]);
  if (o.size !== undefined) d.push(['IPSET_ATTR_SIZE', uint(o.size, 'size')]);
  return d;
}
