// Messages -> plain records of the view: friendly camelCase names, only the state a fresh
// dump shows the same way (no counters, timers or cache ages), and each table's key.
// Routes, the bulk of any large table, are read by one walk over the attributes.
import { ipv6ToString, macToString, type AnyMessage, type AttrMap } from '../core/index.js';
import { char, done, flat, ipv4, num, start, text } from './text.js';
import { AF_INET, AF_INET6, IFF_UP, RT_TABLE } from '../rtnl/constants.js';
import { iflaAttrs } from '../rtnl/ifinfmsg.js';
import { rtaAttrs, rtaxAttrs } from '../rtnl/rtmsg.js';

/** The tables of the view. */
export type TableName = 'links' | 'addresses' | 'routes' | 'neighbours' | 'rules';
export const TABLES: readonly TableName[] = ['links', 'addresses', 'routes', 'neighbours', 'rules'];

export interface LinkRecord {
  source: string;
  index: number;
  ifname: string;
  kind?: string;
  /** IFF_UP: what the administrator set. */
  state: 'up' | 'down';
  flags: number;
  operstate?: string;
  mtu?: number;
  address?: string;
  broadcast?: string;
  master?: number;
  /** The parent (veth peer, macvlan lower...) index, in the namespace of linkNetnsid if given. */
  link?: number;
  linkNetnsid?: number;
  txqlen?: number;
  group?: number;
  ifalias?: string;
  altnames?: string[];
  slaveKind?: string;
  /** Kind options (IFLA_INFO_DATA), names as the kernel's, timers left out. */
  data?: Record<string, unknown>;
}

export interface AddrRecord {
  source: string;
  family: number;
  index: number;
  /** IFA_ADDRESS: the peer for point-to-point addresses, else the local one. */
  address: string;
  local?: string;
  prefixlen: number;
  broadcast?: string;
  label?: string;
  scope: number;
  flags: number;
  proto?: number;
}

export interface NexthopRecord {
  oif: number;
  gateway?: string;
  weight: number;
  flags: number;
}

export interface RouteRecord {
  source: string;
  family: number;
  table: number;
  /** 'default' or 'prefix/len'. */
  dst: string;
  src?: string;
  tos: number;
  priority: number;
  type: number;
  proto: number;
  scope: number;
  flags: number;
  oif?: number;
  gateway?: string;
  prefsrc?: string;
  multipath?: NexthopRecord[];
  metrics?: Record<string, number>;
  pref?: number;
  mark?: number;
  encapType?: number;
  nhId?: number;
}

export interface NeighRecord {
  source: string;
  family: number;
  ifindex: number;
  dst: string;
  lladdr?: string;
  state: number;
  flags: number;
  proto?: number;
}

export interface RuleRecord {
  source: string;
  family: number;
  priority: number;
  table: number;
  action: number;
  src?: string;
  dst?: string;
  tos: number;
  flags: number;
  fwmark?: number;
  fwmask?: number;
  iifname?: string;
  oifname?: string;
  goto?: number;
  proto?: number;
  suppressPrefixlen?: number;
}

export interface RecordOf {
  links: LinkRecord;
  addresses: AddrRecord;
  routes: RouteRecord;
  neighbours: NeighRecord;
  rules: RuleRecord;
}
export type AnyRecord = RecordOf[TableName];

const id = (map: AttrMap<any>, name: string): number => {
  const info = map.byName.get(name);
  if (!info) throw new Error(`${map.name} has no ${name}`);
  return info.id;
};

function ipText(b: Buffer, o: number, len: number): string | undefined {
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

const RTA_DST = id(rtaAttrs, 'RTA_DST'),
  RTA_SRC = id(rtaAttrs, 'RTA_SRC'),
  RTA_OIF = id(rtaAttrs, 'RTA_OIF');
const RTA_GATEWAY = id(rtaAttrs, 'RTA_GATEWAY'),
  RTA_PRIORITY = id(rtaAttrs, 'RTA_PRIORITY');
const RTA_PREFSRC = id(rtaAttrs, 'RTA_PREFSRC'),
  RTA_METRICS = id(rtaAttrs, 'RTA_METRICS');
const RTA_MULTIPATH = id(rtaAttrs, 'RTA_MULTIPATH'),
  RTA_TABLE = id(rtaAttrs, 'RTA_TABLE');
const RTA_MARK = id(rtaAttrs, 'RTA_MARK'),
  RTA_PREF = id(rtaAttrs, 'RTA_PREF');
const RTA_ENCAP_TYPE = id(rtaAttrs, 'RTA_ENCAP_TYPE'),
  RTA_NH_ID = id(rtaAttrs, 'RTA_NH_ID');
const RTAX_NAMES = new Map<number, string>();
for (const [name, info] of rtaxAttrs.byName) {
  RTAX_NAMES.set(info.id, name.slice('RTAX_'.length).toLowerCase());
}
/** struct rtmsg after the netlink header: attributes start 12 bytes later. */
const RTMSG_LEN = 12,
  NLMSG_HDRLEN = 16,
  RTNH_LEN = 8;
const SLASH = 0x2f,
  BAR = 0x7c,
  GT = 0x3e,
  COMMA = 0x2c;

function nexthops(b: Buffer, o: number, end: number): NexthopRecord[] {
  const out: NexthopRecord[] = [];
  for (let p = o; p + RTNH_LEN <= end; ) {
    const len = b.readUInt16LE(p);
    if (len < RTNH_LEN) break;
    const nh: NexthopRecord = { oif: b.readInt32LE(p + 4), gateway: undefined, weight: b[p + 3] + 1, flags: b[p + 2] };
    for (let q = p + RTNH_LEN; q + 4 <= p + len; ) {
      const alen = b.readUInt16LE(q),
        type = b.readUInt16LE(q + 2) & 0x3fff;
      if (alen < 4) break;
      if (type === RTA_GATEWAY) nh.gateway = ipText(b, q + 4, alen - 4);
      q += (alen + 3) & ~3;
    }
    out.push(nh);
    p += (len + 3) & ~3;
  }
  return out;
}

/**
 * A route message as a record (one pass over the attributes). Fields most routes lack are
 * added only when present: a large table holds fewer, smaller objects.
 */
export function routeRecord(m: AnyMessage, source: string): RouteRecord {
  const b = m.buf,
    o = m.offset,
    end = o + b.readUInt32LE(o),
    h = o + NLMSG_HDRLEN;
  const family = b[h],
    dstLen = b[h + 1],
    srcLen = b[h + 2];
  let table = b[h + 4],
    priority = 0,
    oif: number | undefined,
    dst: string | undefined,
    src: string | undefined;
  let gateway: string | undefined, prefsrc: string | undefined, multipath: NexthopRecord[] | undefined;
  let rtMetrics: Record<string, number> | undefined, pref: number | undefined, mark: number | undefined;
  let encapType: number | undefined, nhId: number | undefined;
  for (let p = h + RTMSG_LEN; p + 4 <= end; ) {
    const len = b[p] | (b[p + 1] << 8),
      type = (b[p + 2] | (b[p + 3] << 8)) & 0x3fff;
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
      case RTA_TABLE:
        table = b.readUInt32LE(v);
        break;
      case RTA_MARK:
        mark = b.readUInt32LE(v);
        break;
      case RTA_PREF:
        pref = b[v];
        break;
      case RTA_ENCAP_TYPE:
        encapType = b.readUInt16LE(v);
        break;
      case RTA_NH_ID:
        nhId = b.readUInt32LE(v);
        break;
      case RTA_MULTIPATH:
        multipath = nexthops(b, v, v + vl);
        break;
      case RTA_METRICS:
        rtMetrics = metrics(b, v, v + vl);
        break;
    }
    p += (len + 3) & ~3;
  }
  const r: RouteRecord = {
    source,
    family,
    table,
    dst: dst ?? (dstLen === 0 ? 'default' : `?/${dstLen}`),
    tos: b[h + 3],
    priority,
    type: b[h + 7],
    proto: b[h + 5],
    scope: b[h + 6],
    flags: b.readUInt32LE(h + 8),
    oif,
  };
  if (src !== undefined) r.src = src;
  if (gateway !== undefined) r.gateway = gateway;
  if (prefsrc !== undefined) r.prefsrc = prefsrc;
  if (multipath !== undefined) r.multipath = multipath;
  if (rtMetrics !== undefined) r.metrics = rtMetrics;
  if (pref !== undefined) r.pref = pref;
  if (mark !== undefined) r.mark = mark;
  if (encapType !== undefined) r.encapType = encapType;
  if (nhId !== undefined) r.nhId = nhId;
  return r;
}

function metrics(b: Buffer, o: number, end: number): Record<string, number> | undefined {
  let out: Record<string, number> | undefined;
  for (let p = o; p + 4 <= end; ) {
    const len = b.readUInt16LE(p),
      type = b.readUInt16LE(p + 2) & 0x3fff;
    if (len < 4) break;
    if (len >= 8) (out ??= {})[RTAX_NAMES.get(type) ?? String(type)] = b.readUInt32LE(p + 4);
    p += (len + 3) & ~3;
  }
  return out;
}

/** The interfaces a route leaves through (its oif and every next hop's). */
export function routeDevs(r: RouteRecord): number[] {
  if (!r.multipath) return r.oif === undefined ? [] : [r.oif];
  return r.multipath.map((nh) => nh.oif);
}

function baseInto(r: RouteRecord): void {
  start();
  char(r.family === AF_INET6 ? 54 : 52);
  char(BAR);
  num(r.table);
  char(BAR);
  text(r.dst);
  char(BAR);
  if (r.src !== undefined) text(r.src);
  char(BAR);
  num(r.tos);
  char(BAR);
  num(r.priority);
}

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
      num(nh.oif);
      char(GT);
      if (nh.gateway !== undefined) text(nh.gateway);
    });
  } else {
    if (r.oif !== undefined) num(r.oif);
    char(GT);
    if (r.gateway !== undefined) text(r.gateway);
    char(BAR);
    num(r.type);
  }
  return done();
}

// ---- links ------------------------------------------------------------------------------

const OPERSTATES = ['UNKNOWN', 'NOTPRESENT', 'DOWN', 'LOWERLAYERDOWN', 'TESTING', 'DORMANT', 'UP'];
// Kind options that count time or traffic: a fresh dump never shows the same value twice.
const VOLATILE = /TIMER|_STATS|_COUNT|_N_LEARNED/;

function plain(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return typeof v === 'bigint' ? v.toString() : v;
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (Array.isArray(v)) return v.map(plain);
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return plain((v as { toJSON(): unknown }).toJSON());
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = plain(x);
  return out;
}

function kindData(info: any): Record<string, unknown> | undefined {
  const data = info?.getAttr('IFLA_INFO_DATA');
  if (!data || typeof data.attrsJSON !== 'function') return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of data.attrsJSON() as [string | number, unknown][]) {
    if (typeof k === 'string' && VOLATILE.test(k)) continue;
    out[String(k)] = plain(v);
  }
  return Object.keys(out).length ? out : undefined;
}

/** A link message as a record. */
export function linkRecord(m: AnyMessage, source: string): LinkRecord {
  const flags = m.fields.flags as number;
  const info = m.getAttr('IFLA_LINKINFO') as any;
  const l2 = (name: 'IFLA_ADDRESS' | 'IFLA_BROADCAST'): string | undefined => {
    const raw = m.raw(name);
    return raw && raw.length ? macToString(raw, 0, raw.length) : undefined;
  };
  const alt = m.getAttr('IFLA_PROP_LIST') as any;
  const altnames = alt ? (alt.getAttrs('IFLA_ALT_IFNAME') as string[]) : undefined;
  const op = m.raw('IFLA_OPERSTATE');
  const ifalias = m.getAttr('IFLA_IFALIAS') as string | undefined;
  return {
    source,
    index: m.fields.index as number,
    ifname: m.getAttr('IFLA_IFNAME') as string,
    kind: info?.getAttr('IFLA_INFO_KIND') as string | undefined,
    state: flags & IFF_UP ? 'up' : 'down',
    flags,
    operstate: op ? (OPERSTATES[op[0]] ?? String(op[0])) : undefined,
    mtu: m.getAttr('IFLA_MTU') as number | undefined,
    address: l2('IFLA_ADDRESS'),
    broadcast: l2('IFLA_BROADCAST'),
    master: m.getAttr('IFLA_MASTER') as number | undefined,
    link: m.getAttr('IFLA_LINK') as number | undefined,
    linkNetnsid: m.getAttr('IFLA_LINK_NETNSID') as number | undefined,
    txqlen: m.getAttr('IFLA_TXQLEN') as number | undefined,
    group: m.getAttr('IFLA_GROUP') as number | undefined,
    ifalias: ifalias || undefined,
    altnames: altnames?.length ? altnames : undefined,
    slaveKind: info?.getAttr('IFLA_INFO_SLAVE_KIND') as string | undefined,
    data: kindData(info),
  };
}

/** The namespace id a link left for (RTM_DELLINK of a move), if any. */
export function linkNewNetnsid(m: AnyMessage): number | undefined {
  return m.getAttr('IFLA_NEW_NETNSID') as number | undefined;
}

// ---- addresses --------------------------------------------------------------------------

/** An address message as a record. */
export function addrRecord(m: AnyMessage, source: string): AddrRecord {
  const f = m.fields as Record<string, number>;
  const flags = m.raw('IFA_FLAGS');
  const label = m.getAttr('IFA_LABEL') as string | undefined;
  return {
    source,
    family: f.family,
    index: f.index,
    address: String(m.getAttr('IFA_ADDRESS') ?? m.getAttr('IFA_LOCAL')),
    local: m.getAttr('IFA_LOCAL') as string | undefined,
    prefixlen: f.prefixlen,
    broadcast: m.getAttr('IFA_BROADCAST') as string | undefined,
    label,
    scope: f.scope,
    flags: flags ? flags.readUInt32LE(0) : f.flags,
    proto: m.has('IFA_PROTO') ? (m.getAttr('IFA_PROTO') as number) : undefined,
  };
}

/** Address key: the interface, the local address and the prefix length. */
export function addrKey(a: AddrRecord): string {
  return `${a.index}|${a.local ?? a.address}/${a.prefixlen}`;
}

// ---- neighbours -------------------------------------------------------------------------

/** A neighbour message as a record. */
export function neighRecord(m: AnyMessage, source: string): NeighRecord {
  const f = m.fields as Record<string, number>;
  const ll = m.raw('NDA_LLADDR');
  return {
    source,
    family: f.family,
    ifindex: f.ifindex,
    dst: String(m.getAttr('NDA_DST')),
    lladdr: ll && ll.length ? macToString(ll, 0, ll.length) : undefined,
    state: f.state,
    flags: f.flags,
    proto: m.getAttr('NDA_PROTOCOL') as number | undefined,
  };
}

/** Neighbour key: interface and protocol address (the proxy flag makes a separate table). */
export function neighKey(n: NeighRecord): string {
  return `${n.ifindex}|${n.dst}|${n.flags & 0x08 ? 'proxy' : ''}`;
}

// ---- rules ------------------------------------------------------------------------------

/** A rule message as a record. */
export function ruleRecord(m: AnyMessage, source: string): RuleRecord {
  const f = m.fields as Record<string, number>;
  const pre = (name: string, len: number): string | undefined => {
    const v = m.getAttr(name as never) as string | undefined;
    return v === undefined ? undefined : `${v}/${len}`;
  };
  const table = m.getAttr('FRA_TABLE') as number | undefined;
  return {
    source,
    family: f.family,
    priority: (m.getAttr('FRA_PRIORITY') as number | undefined) ?? 0,
    table: table ?? f.table,
    action: f.action,
    src: pre('FRA_SRC', f.src_len),
    dst: pre('FRA_DST', f.dst_len),
    tos: f.tos,
    flags: f.flags,
    fwmark: m.getAttr('FRA_FWMARK') as number | undefined,
    fwmask: m.getAttr('FRA_FWMASK') as number | undefined,
    iifname: m.getAttr('FRA_IIFNAME') as string | undefined,
    oifname: m.getAttr('FRA_OIFNAME') as string | undefined,
    goto: m.getAttr('FRA_GOTO') as number | undefined,
    proto: m.getAttr('FRA_PROTOCOL') as number | undefined,
    suppressPrefixlen: m.getAttr('FRA_SUPPRESS_PREFIXLEN') as number | undefined,
  };
}

/** Rule key: every selector and the action (the kernel tells rules apart by all of them). */
export function ruleKey(r: RuleRecord): string {
  return [
    r.family,
    r.priority,
    r.table,
    r.action,
    r.src,
    r.dst,
    r.tos,
    r.fwmark,
    r.fwmask,
    r.iifname,
    r.oifname,
    r.goto,
    r.flags & 0x2,
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

export const MAIN_TABLE = RT_TABLE.RT_TABLE_MAIN;
export { AF_INET, AF_INET6 };
