// Messages -> plain records of the view. They are the records of src/rtnl/records.ts (the
// same names and values: enums and flags by name, 'addr/len' prefixes, kind options flat),
// less what changes by itself (counters, timers, lifetimes counting down: a fresh dump never
// shows them twice alike), plus the source they come from. Routes, the bulk of any large
// table, are read by one walk over the attributes with the vocabulary's values precomputed.
import { enumNames, ipv6ToString, type AnyMessage } from '../core/index.js';
import { char, done, flat, ipv4, num, start, text } from './text.js';
import { AF_INET, AF_INET6, RTNH_F } from '../rtnl/constants.js';
import { NTF } from '../rtnl/ndmsg.js';
import {
  addrRecord as rtnlAddr,
  linkRecord as rtnlLink,
  neighRecord as rtnlNeigh,
  routeRecord as rtnlRoute,
  type AddrRecord as RtnlAddr,
  type LinkRecord as RtnlLink,
  type NeighRecord as RtnlNeigh,
  type NexthopRecord as RtnlNexthop,
  type RouteRecord as RtnlRoute,
} from '../rtnl/records.js';
import { ruleRecord as rtnlRule, type RuleRecord as RtnlRule } from '../rtnl/rule.js';
import { metricsVocab, routeVocab, rtaAttrs } from '../rtnl/rtmsg.js';
import type { IfinfMessage } from '../rtnl/ifinfmsg.js';
import type { IfaddrMessage } from '../rtnl/ifaddrmsg.js';
import type { NeighMessage } from '../rtnl/neigh.js';
import type { RuleMessage } from '../rtnl/rule.js';

/** The tables of the view. */
export type TableName = 'links' | 'addresses' | 'routes' | 'neighbours' | 'rules';
export const TABLES: readonly TableName[] = ['links', 'addresses', 'routes', 'neighbours', 'rules'];

/**
 * Fields of the rtnl records the view leaves out, by table: they change without a
 * configuration change (and mostly without an event), so a fresh dump would never equal it.
 */
export const EXCLUDED: { readonly [T in TableName]: ReadonlySet<string> } = {
  links: new Set([
    // Counters, and what ports and listeners raise and lower.
    'stats',
    'carrierChanges',
    'carrierUpCount',
    'carrierDownCount',
    'promiscuity',
    'allmulti',
    // Set as the link goes up and by tc, without a link event.
    'qdisc',
    // What one event changed (ifi_change): a dump says nothing of it.
    'change',
    // Kind and port timers and counters.
    'brHelloTimer',
    'brTcnTimer',
    'brTopologyChangeTimer',
    'brGcTimer',
    'brFdbNLearned',
    'brMcastQuerierState',
    'brportMessageAgeTimer',
    'brportForwardDelayTimer',
    'brportHoldTimer',
    'brportMcastEhtHostsCnt',
    'brportMcastNGroups',
    'bondSlaveLinkFailureCount',
  ]),
  addresses: new Set(['validLft', 'preferredLft']),
  routes: new Set(['expires']),
  neighbours: new Set(['probes']),
  rules: new Set(),
};

/** Where a record comes from: the name of its source. */
interface Sourced {
  source: string;
}

/** A link: the rtnl link record (kind options flat: `brStpState`, `vxlanId`), less EXCLUDED.links. */
export type LinkRecord = Sourced & RtnlLink & { index: number; ifname: string };

/** An address: `address` is ours (IFA_LOCAL), `peer` the other end of a point-to-point link. */
export type AddrRecord = Sourced &
  Omit<RtnlAddr, 'validLft' | 'preferredLft'> & { index: number; address: string; prefixlen: number };

export type NexthopRecord = RtnlNexthop;

/** A route: `dst` is 'addr/len' (absent for a default route, dstLen 0); `priority` absent when 0 (IPv4). */
export type RouteRecord = Sourced & Omit<RtnlRoute, 'expires'>;

export type NeighRecord = Sourced & Omit<RtnlNeigh, 'probes'> & { ifindex: number; dst: string };

export type RuleRecord = Sourced & RtnlRule;

export interface RecordOf {
  links: LinkRecord;
  addresses: AddrRecord;
  routes: RouteRecord;
  neighbours: NeighRecord;
  rules: RuleRecord;
}
export type AnyRecord = RecordOf[TableName];

/** A record of the rtnl reader as the view keeps it: its source first, EXCLUDED left out. */
function viewed<R>(table: TableName, rec: object, source: string): R {
  const out: Record<string, unknown> = { source };
  const skip = EXCLUDED[table];
  // Own enumerable keys only: the message the rtnl record keeps a link to stays behind.
  for (const k in rec) if (!skip.has(k)) out[k] = (rec as Record<string, unknown>)[k];
  return out as R;
}

/** An address of 4 or 16 bytes as text (undefined for another length). */
export function ipText(b: Buffer, o: number, len: number): string | undefined {
  if (len === 16) return flat(ipv6ToString(b, o));
  if (len !== 4) return undefined;
  start();
  ipv4(b, o);
  return done();
}

/** 'address/len', one flat string. */
function prefixText(b: Buffer, o: number, len: number, plen: number): string | undefined {
  if (len !== 4 && len !== 16) return undefined;
  start();
  if (len === 4) ipv4(b, o);
  else text(ipv6ToString(b, o));
  char(SLASH);
  num(plen);
  return done();
}

// ---- routes -----------------------------------------------------------------------------

const id = (name: string): number => {
  const info = rtaAttrs.byName.get(name as never);
  if (!info) throw new Error(`${rtaAttrs.name} has no ${name}`);
  return info.id;
};

const RTA_DST = id('RTA_DST'),
  RTA_SRC = id('RTA_SRC'),
  RTA_OIF = id('RTA_OIF');
const RTA_GATEWAY = id('RTA_GATEWAY'),
  RTA_PRIORITY = id('RTA_PRIORITY');
const RTA_PREFSRC = id('RTA_PREFSRC'),
  RTA_METRICS = id('RTA_METRICS');
const RTA_MULTIPATH = id('RTA_MULTIPATH'),
  RTA_TABLE = id('RTA_TABLE');
const RTA_MARK = id('RTA_MARK'),
  RTA_PREF = id('RTA_PREF');
const RTA_NH_ID = id('RTA_NH_ID');
/** Attributes of the route vocabulary the one-pass reader leaves to the full reader (encap, via...). */
const RARE: boolean[] = [];
{
  const fast = new Set([RTA_DST, RTA_SRC, RTA_OIF, RTA_GATEWAY, RTA_PRIORITY, RTA_PREFSRC, RTA_METRICS]);
  for (const x of [RTA_MULTIPATH, RTA_TABLE, RTA_MARK, RTA_PREF, RTA_NH_ID]) fast.add(x);
  for (const [key, wire] of routeVocab.wireOf) {
    const info = rtaAttrs.byName.get(wire as never);
    if (info && !fast.has(info.id) && !EXCLUDED.routes.has(key)) RARE[info.id] = true;
  }
}

/** Record values of a one-byte header field (or u8 attribute), by number: built once from the vocabulary. */
function byteValues(key: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (let n = 0; n < 256; n++) out.push(routeVocab.recordValue(key, n) as string | number);
  return out;
}
const FAMILY = byteValues('family'),
  TABLE = byteValues('table'),
  PROTO = byteValues('proto'),
  SCOPE = byteValues('scope'),
  TYPE = byteValues('type'),
  PREF = byteValues('pref');
const BYTES = Array.from({ length: 256 }, (_, n) => n);
/**
 * Record values of struct rtmsg's one-byte fields by their byte, with each field's offset in
 * the struct: what a route record says of them without reading it.
 */
export const ROUTE_HEADER_BYTES: { readonly [field: string]: { at: number; values: readonly (string | number)[] } } = {
  family: { at: 0, values: FAMILY },
  dstLen: { at: 1, values: BYTES },
  srcLen: { at: 2, values: BYTES },
  tos: { at: 3, values: BYTES },
  proto: { at: 5, values: PROTO },
  scope: { at: 6, values: SCOPE },
  type: { at: 7, values: TYPE },
};
/** A routing table's id as records name it ('main', or the number). */
export const routeTableValue = (t: number): string | number => (t < TABLE.length ? TABLE[t] : t);
const nhNames = enumNames(RTNH_F);
/** Next-hop flags by their byte (shared, frozen: most are 'absent' or one of a few sets). */
const NH_FLAGS: (readonly string[] | undefined)[] = [];
for (let n = 0; n < 256; n++) NH_FLAGS.push(n ? Object.freeze(nhNames.flags(n)) : undefined);

/** struct rtmsg after the netlink header: attributes start 12 bytes later. */
const RTMSG_LEN = 12,
  NLMSG_HDRLEN = 16,
  RTNH_LEN = 8;
const SLASH = 0x2f,
  BAR = 0x7c,
  GT = 0x3e,
  COMMA = 0x2c;
const NLA_TYPE_MASK = 0x3fff;

/** RTA_MULTIPATH's next hops, or undefined when one carries more than a gateway (the full reader's job). */
function nexthops(b: Buffer, o: number, end: number): NexthopRecord[] | undefined {
  const out: NexthopRecord[] = [];
  for (let p = o; p + RTNH_LEN <= end; ) {
    const len = b.readUInt16LE(p);
    if (len < RTNH_LEN) break;
    const nh = {} as { gateway?: string; oif?: number; weight: number; flags?: string[] };
    for (let q = p + RTNH_LEN; q + 4 <= p + len; ) {
      const alen = b.readUInt16LE(q),
        type = b.readUInt16LE(q + 2) & NLA_TYPE_MASK;
      if (alen < 4) break;
      if (type !== RTA_GATEWAY) return undefined;
      nh.gateway = ipText(b, q + 4, alen - 4);
      q += (alen + 3) & ~3;
    }
    const oif = b.readInt32LE(p + 4);
    if (oif) nh.oif = oif;
    nh.weight = b[p + 3] + 1;
    const flags = NH_FLAGS[b[p + 2]];
    if (flags) nh.flags = flags as string[];
    out.push(nh);
    p += (len + 3) & ~3;
  }
  return out;
}

/**
 * A route message as a record, in one pass over the attributes: the rtnl route record
 * (less `expires`). Fields most routes lack are added only when present: a large table
 * holds fewer, smaller objects. A route with a rare attribute (encap, via...) is read whole.
 */
export function routeRecord(m: AnyMessage, source: string): RouteRecord {
  const b = m.buf,
    o = m.offset,
    end = o + b.readUInt32LE(o),
    h = o + NLMSG_HDRLEN;
  const dstLen = b[h + 1],
    srcLen = b[h + 2];
  let table: string | number = TABLE[b[h + 4]],
    priority: number | undefined,
    oif: number | undefined,
    dst: string | undefined,
    src: string | undefined;
  let gateway: string | undefined, prefsrc: string | undefined, multipath: NexthopRecord[] | undefined;
  let rtMetrics: Record<string, unknown> | undefined, pref: string | number | undefined, mark: number | undefined;
  let nhId: number | undefined;
  for (let p = h + RTMSG_LEN; p + 4 <= end; ) {
    const len = b[p] | (b[p + 1] << 8),
      type = (b[p + 2] | (b[p + 3] << 8)) & NLA_TYPE_MASK;
    if (len < 4 || p + len > end) break;
    const v = p + 4,
      vl = len - 4;
    switch (type) {
      case RTA_DST:
        dst = prefixText(b, v, vl, dstLen);
        break;
      case RTA_SRC:
        src = prefixText(b, v, vl, srcLen);
        break;
      case RTA_OIF:
        oif = b.readUInt32LE(v);
        break;
      case RTA_GATEWAY:
        gateway = ipText(b, v, vl);
        break;
      case RTA_PRIORITY:
        priority = b.readUInt32LE(v);
        break;
      case RTA_PREFSRC:
        prefsrc = ipText(b, v, vl);
        break;
      case RTA_TABLE: {
        const t = b.readUInt32LE(v);
        table = t < TABLE.length ? TABLE[t] : t;
        break;
      }
      case RTA_MARK:
        mark = b.readUInt32LE(v);
        break;
      case RTA_PREF:
        pref = PREF[b[v]];
        break;
      case RTA_NH_ID:
        nhId = b.readUInt32LE(v);
        break;
      case RTA_MULTIPATH:
        multipath = nexthops(b, v, v + vl);
        if (!multipath) return viewed('routes', rtnlRoute(m as never), source);
        break;
      case RTA_METRICS:
        rtMetrics = metricsVocab.readNest(b, v, v + vl, null);
        break;
      default:
        if (RARE[type]) return viewed('routes', rtnlRoute(m as never), source);
    }
    p += (len + 3) & ~3;
  }
  const r: Record<string, unknown> = {
    source,
    family: FAMILY[b[h]],
    dstLen,
    srcLen,
    tos: b[h + 3],
    table,
    proto: PROTO[b[h + 5]],
    scope: SCOPE[b[h + 6]],
    type: TYPE[b[h + 7]],
  };
  const flags = b.readUInt32LE(h + 8);
  if (flags) r.flags = routeVocab.recordValue('flags', flags);
  if (dst !== undefined) r.dst = dst;
  if (src !== undefined) r.src = src;
  if (oif !== undefined) r.oif = oif;
  if (gateway !== undefined) r.gateway = gateway;
  if (priority !== undefined) r.priority = priority;
  if (prefsrc !== undefined) r.prefsrc = prefsrc;
  if (multipath !== undefined) r.multipath = multipath;
  if (rtMetrics !== undefined) r.metrics = rtMetrics;
  if (pref !== undefined) r.pref = pref;
  if (mark !== undefined) r.mark = mark;
  if (nhId !== undefined) r.nhId = nhId;
  return r as unknown as RouteRecord;
}

/** The interfaces a route leaves through (its oif and every next hop's). */
export function routeDevs(r: RouteRecord): number[] {
  if (!r.multipath) return r.oif === undefined ? [] : [r.oif];
  const out: number[] = [];
  for (const nh of r.multipath) if (nh.oif !== undefined) out.push(nh.oif);
  return out;
}

/** The metric of a route: RTA_PRIORITY, which IPv4 leaves out when 0. */
export const metricOf = (r: { priority?: number }): number => r.priority ?? 0;

/** A number or a name into the key being built. */
function word(v: string | number | undefined): void {
  if (typeof v === 'number') num(v);
  else if (v !== undefined) text(v);
}

function baseInto(r: RouteRecord): void {
  start();
  word(r.family);
  char(BAR);
  word(r.table);
  char(BAR);
  text(r.dst ?? DEFAULT_DST);
  char(BAR);
  if (r.src !== undefined) text(r.src);
  char(BAR);
  num(r.tos ?? 0);
  char(BAR);
  num(r.priority ?? 0);
}

/** What a route with no `dst` (dstLen 0) is found under in the view's `dst` index and keys. */
export const DEFAULT_DST = 'default';

/** What the kernel tells routes of one prefix apart by: family, table, prefix, tos, metric. */
export function routeBaseKey(r: RouteRecord): string {
  baseInto(r);
  return done();
}

/** Route key: the base plus the next hops, since several routes may share a prefix and metric. */
export function routeKey(r: RouteRecord): string {
  baseInto(r);
  char(BAR);
  if (r.multipath) {
    r.multipath.forEach((nh, i) => {
      if (i) char(COMMA);
      if (nh.oif !== undefined) num(nh.oif);
      char(GT);
      if (nh.gateway !== undefined) text(nh.gateway);
    });
  } else {
    if (r.oif !== undefined) num(r.oif);
    char(GT);
    if (r.gateway !== undefined) text(r.gateway);
    char(BAR);
    word(r.type);
  }
  return done();
}

// ---- links ------------------------------------------------------------------------------

/** A link message as a record. */
export function linkRecord(m: AnyMessage, source: string): LinkRecord {
  return viewed('links', rtnlLink(m as IfinfMessage), source);
}

/** The namespace id a link left for (RTM_DELLINK of a move), if any. */
export function linkNewNetnsid(m: AnyMessage): number | undefined {
  return m.getAttr('IFLA_NEW_NETNSID') as number | undefined;
}

// ---- addresses --------------------------------------------------------------------------

/** An address message as a record. */
export function addrRecord(m: AnyMessage, source: string): AddrRecord {
  return viewed('addresses', rtnlAddr(m as IfaddrMessage), source);
}

/** Address key: the interface, our address and the prefix length. */
export function addrKey(a: Pick<AddrRecord, 'index' | 'address' | 'prefixlen'>): string {
  return `${a.index}|${a.address}/${a.prefixlen}`;
}

// ---- neighbours -------------------------------------------------------------------------

/** A neighbour message as a record. */
export function neighRecord(m: AnyMessage, source: string): NeighRecord {
  return viewed('neighbours', rtnlNeigh(m as NeighMessage), source);
}

/** Whether a neighbour is a proxy entry (a table of its own). */
export const isProxy = (n: { flags?: readonly string[] }): boolean => n.flags?.includes(PROXY) ?? false;
const PROXY = enumNames(NTF).short(NTF.NTF_PROXY) as string;

/** Neighbour key: interface and protocol address (the proxy flag makes a separate table). */
export function neighKey(n: NeighRecord): string {
  return `${n.ifindex}|${n.dst}|${isProxy(n) ? PROXY : ''}`;
}

// ---- rules ------------------------------------------------------------------------------

/** A rule message as a record. */
export function ruleRecord(m: AnyMessage, source: string): RuleRecord {
  return viewed('rules', rtnlRule(m as RuleMessage), source);
}

/** Rule key: every selector and the action (the kernel tells rules apart by all of them). */
export function ruleKey(r: RuleRecord): string {
  return [
    r.family,
    r.priority ?? 0,
    r.table,
    r.action,
    r.src,
    r.dst,
    r.tos ?? 0,
    r.fwmark,
    r.fwmask,
    r.iif,
    r.oif,
    r.goto,
    r.invert ? 'not' : '',
  ].join('|');
}

// ---- shared -----------------------------------------------------------------------------

/** Key of a record of a table. */
export function keyOf(table: TableName, r: AnyRecord): string | number {
  switch (table) {
    case 'links':
      return (r as LinkRecord).index;
    case 'addresses':
      return addrKey(r as AddrRecord);
    case 'routes':
      return routeKey(r as RouteRecord);
    case 'neighbours':
      return neighKey(r as NeighRecord);
    case 'rules':
      return ruleKey(r as RuleRecord);
  }
}

/** Records as JSON: undefined fields dropped, so two equal records print equally. */
export function recordJSON<R extends object>(r: R): Partial<R> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = v;
  return out as Partial<R>;
}

/** The main routing table, as records name it. */
export const MAIN_TABLE = 'main';
export { AF_INET, AF_INET6 };
