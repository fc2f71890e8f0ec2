// Routes: friendly specs -> RTM_*ROUTE requests, and dump filters (kernel side where it can).
import {
  SpecError,
  anyCheck,
  arrayCheck,
  boolCheck,
  checkSpec,
  eitherCheck,
  encoderValue,
  ifRefCheck,
  intCheck,
  nestedCheck,
  objectCheck,
  stringCheck,
  type Check,
  type MessageSpec,
  type SpecRules,
  type VocabSpec,
} from '../core/index.js';
import {
  AF_INET,
  AF_INET6,
  AF_MPLS,
  ICMPV6_ROUTER_PREF,
  LWTUNNEL_ENCAP,
  RTAX,
  RTM,
  RTM_F,
  RTN,
  RTPROT,
  RT_SCOPE,
  RT_TABLE,
} from './constants.js';
import { requestHead } from './commands.js';
import { metricsVocab, nexthopVocab, routeVocab, rtmsg, SEG6_IPTUN_MODE, type RtMessage } from './rtmsg.js';
import { canonicalIP, enumValue, familyValue, mergeAttrs, parsePrefix, type IfRef, type RawAttrs } from './spec.js';
import type { RtVia } from './types.js';

export type RouteCmd = 'add' | 'set' | 'replace' | 'append' | 'change' | 'del' | 'get' | 'dump';

/** A light-weight tunnel encapsulation. */
export type EncapSpec =
  | { type: 'mpls'; labels: string | number[]; ttl?: number }
  | { type: 'seg6'; mode?: string | number; segs: string[]; tlvs?: Uint8Array }
  | { type: string | number; attrs: RawAttrs };

/** One next hop of a multipath route. */
export interface NexthopSpec {
  gateway?: string;
  via?: string | RtVia;
  oif?: IfRef;
  /** 1..256; sent as rtnh_hops = weight - 1. */
  weight?: number;
  /** rtnh_hops, raw (weight - 1). */
  hops?: number;
  flags?: number | string[];
  encap?: EncapSpec;
  newdst?: string | number[];
  attrs?: RawAttrs;
}

/** A route, pyroute2-style in camelCase. */
export interface RouteSpec {
  family?: number | string;
  /** 'a.b.c.d/len', 'default', an address (full length), or an MPLS label. */
  dst?: string;
  dstLen?: number;
  /** Source prefix (RTA_SRC; IPv6 source routing). */
  src?: string;
  srcLen?: number;
  gateway?: string;
  /** A gateway of another family: 'fe80::1' or { family, addr }. */
  via?: string | RtVia;
  oif?: IfRef;
  iif?: IfRef;
  /** A number (ids above 255 go in RTA_TABLE) or 'main' / 'local' / 'default'. */
  table?: number | string;
  priority?: number;
  /** pyroute2's other name for priority. */
  metric?: number;
  type?: number | string;
  scope?: number | string;
  proto?: number | string;
  prefsrc?: string;
  tos?: number;
  /** rtm_flags: a mask or names ('onlink', 'RTM_F_NOTIFY'). */
  flags?: number | string[];
  multipath?: NexthopSpec[];
  /** Route metrics by their names in metricsVocab: { mtu: 1400, advmss: 1300, lock: ['mtu'] }. */
  metrics?: Omit<VocabSpec<typeof metricsVocab>, 'lock'> & { lock?: number | string | readonly string[] };
  encap?: EncapSpec;
  /** MPLS routes: the outgoing label stack. */
  newdst?: string | number[];
  pref?: number | string;
  expires?: number;
  mark?: number;
  uid?: number;
  nhId?: number;
  ttlPropagate?: number | boolean;
  /** Realm (RTA_FLOW). */
  flow?: number;
  /** route get: the flow's protocol and ports. */
  ipProto?: number;
  sport?: number;
  dport?: number;
  /** IPv6 flow label (route get). */
  flowlabel?: number;
  /** route get: return the FIB entry that matched (RTM_F_FIB_MATCH). */
  fibMatch?: boolean;
  attrs?: RawAttrs;
}

const FLAGS_NAMES: Record<string, number> = { ...RTM_F };
// Flags the kernel reports about a route and refuses in a request (a record lists them).
const STATE_FLAGS =
  RTM_F.RTNH_F_DEAD |
  RTM_F.RTNH_F_LINKDOWN |
  RTM_F.RTNH_F_OFFLOAD |
  RTM_F.RTNH_F_TRAP |
  RTM_F.RTNH_F_UNRESOLVED |
  RTM_F.RTM_F_OFFLOAD |
  RTM_F.RTM_F_TRAP |
  RTM_F.RTM_F_OFFLOAD_FAILED;

function rtFlags(v: RouteSpec['flags']): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  let n = 0;
  for (const f of v) {
    const up = f.toUpperCase();
    const bit = FLAGS_NAMES[f] ?? FLAGS_NAMES[`RTNH_F_${up}`] ?? FLAGS_NAMES[`RTM_F_${up}`];
    if (bit === undefined) throw new TypeError(`unknown route flag ${JSON.stringify(f)}`);
    n |= bit;
  }
  return (n & ~STATE_FLAGS) >>> 0;
}

/** A table id from a number or name. */
export function tableId(v: number | string): number {
  const n = enumValue(RT_TABLE, 'RT_TABLE_', v, 'table');
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new TypeError(`table ${v} out of range`);
  return n;
}

/** RTA_ENCAP and RTA_ENCAP_TYPE for an encap spec (also used for NHA_ENCAP). */
export function encapAttrs(e: EncapSpec, path: string): [string, unknown][] {
  if (typeof e !== 'object' || e === null) throw new TypeError(`${path} must be an object with a type`);
  if (e.type === 'mpls' && 'labels' in e) {
    const data: [string, unknown][] = [['MPLS_IPTUNNEL_DST', Array.isArray(e.labels) ? e.labels.join('/') : e.labels]];
    if (e.ttl !== undefined) data.push(['MPLS_IPTUNNEL_TTL', e.ttl]);
    return [
      ['RTA_ENCAP', data],
      ['RTA_ENCAP_TYPE', 'LWTUNNEL_ENCAP_MPLS'],
    ];
  }
  if (e.type === 'seg6' && 'segs' in e) {
    const mode = enumValue(SEG6_IPTUN_MODE, 'SEG6_IPTUN_MODE_', e.mode ?? 'encap', 'seg6 mode');
    // Given in travel order; the header lists them last-first.
    const segments = [...e.segs].reverse();
    return [
      ['RTA_ENCAP', [['SEG6_IPTUNNEL_SRH', { mode, segments, tlvs: e.tlvs }]]],
      ['RTA_ENCAP_TYPE', 'LWTUNNEL_ENCAP_SEG6'],
    ];
  }
  if ('attrs' in e) {
    const type = enumValue(LWTUNNEL_ENCAP, 'LWTUNNEL_ENCAP_', e.type, 'encap type');
    return [
      ['RTA_ENCAP', e.attrs],
      ['RTA_ENCAP_TYPE', type],
    ];
  }
  throw new TypeError(`${path}: encap needs { type: 'mpls', labels } or { type: 'seg6', segs } or { type, attrs }`);
}

function viaValue(v: string | RtVia, path: string): RtVia {
  if (typeof v === 'string') {
    const p = parsePrefix(v, path);
    return { family: p.family, addr: p.addr };
  }
  if (typeof v !== 'object' || v === null || typeof v.addr !== 'string')
    throw new TypeError(`${path} must be an address or { family, addr }`);
  return { family: familyValue(v.family)!, addr: v.addr };
}

function gatewayAttr(
  family: number,
  gateway: string | undefined,
  via: string | RtVia | undefined,
  path: string,
): [string, unknown] | undefined {
  if (gateway !== undefined) {
    const g = parsePrefix(gateway, `${path}.gateway`);
    // A gateway of another family travels as RTA_VIA (IPv4 via IPv6; MPLS routes always).
    if (family === AF_MPLS || g.family !== family) return ['RTA_VIA', { family: g.family, addr: g.addr }];
    return ['RTA_GATEWAY', g.addr];
  }
  if (via !== undefined) return ['RTA_VIA', viaValue(via, `${path}.via`)];
  return undefined;
}

function metricsAttr(m: RouteSpec['metrics']): [string, unknown][] {
  if (!m) return [];
  const spec = checkSpec('route metrics', m, (metricsRules ??= metricsVocab.rules({ lock: anyCheck })));
  const out: [string, unknown][] = [];
  let lock: unknown;
  for (const [k, v] of Object.entries(spec)) {
    if (v === undefined) continue;
    if (k === 'lock') {
      lock = v;
      continue;
    }
    const name = metricsVocab.wireOf.get(k)!;
    out.push([name, encoderValue(metricsVocab.typeOf(k)!, v)]);
  }
  // iproute2 adds the lock mask last.
  if (lock !== undefined) {
    const names = Array.isArray(lock) ? lock : [lock];
    let mask = 0;
    for (const n of names) {
      if (typeof n === 'number') {
        mask |= n;
        continue;
      }
      const wire = metricsVocab.wireOf.get(String(n)) ?? String(n);
      const id = (RTAX as Record<string, number>)[wire];
      if (id === undefined)
        throw new SpecError(
          `route metrics: cannot lock ${JSON.stringify(n)} (one of ${metricsVocab.keys().join(', ')})`,
          { object: 'route metrics', key: 'lock' },
        );
      mask |= 1 << id;
    }
    out.push(['RTAX_LOCK', mask >>> 0]);
  }
  return out;
}
let metricsRules: SpecRules | undefined;

function nexthop(family: number, nh: NexthopSpec, i: number): Record<string, unknown> {
  const path = `multipath[${i}]`;
  nh = checkSpec(`route ${path}`, nh, (nexthopRules ??= nexthopVocab.rules(NEXTHOP_EXTRA)));
  if (nh.oif !== undefined && typeof nh.oif !== 'number')
    throw new TypeError(`${path}.oif must be resolved to an index first`);
  let hops = nh.hops ?? 0;
  if (nh.weight !== undefined) {
    if (!Number.isInteger(nh.weight) || nh.weight < 1 || nh.weight > 256)
      throw new TypeError(`${path}.weight must be 1..256`);
    hops = nh.weight - 1;
  }
  const attrs: [string | number, unknown][] = [];
  if (nh.encap) attrs.push(...encapAttrs(nh.encap, `${path}.encap`));
  if (nh.newdst !== undefined) attrs.push(['RTA_NEWDST', Array.isArray(nh.newdst) ? nh.newdst.join('/') : nh.newdst]);
  const gw = gatewayAttr(family, nh.gateway, nh.via, path);
  if (gw) attrs.push(gw);
  return { flags: rtFlags(nh.flags), hops, ifindex: nh.oif ?? 0, attrs: mergeAttrs(attrs, nh.attrs) };
}

/** The family a route spec is about: explicit, else from its addresses, else IPv4. */
export function routeFamily(spec: RouteSpec): number {
  const f = familyValue(spec.family as number | string | undefined);
  if (f) return f;
  for (const a of [spec.dst, spec.gateway, spec.prefsrc, spec.src, spec.multipath?.[0]?.gateway]) {
    if (typeof a === 'string' && a !== 'default') return a.includes(':') ? AF_INET6 : AF_INET;
  }
  return AF_INET;
}

const viaCheck: Check = nestedCheck(eitherCheck(stringCheck(), objectCheck), {
  keys: { family: eitherCheck(intCheck(0, 255), stringCheck()), addr: stringCheck() },
});
const ENCAP_KEYS: Record<string, Record<string, Check>> = {
  mpls: { labels: anyCheck, ttl: intCheck(0, 255) },
  seg6: { mode: eitherCheck(intCheck(0, 0xffffffff), stringCheck()), segs: arrayCheck(stringCheck()), tlvs: anyCheck },
};
/** An encapsulation: its type's keys ({ type: 'mpls', labels, ttl }), or raw attributes ({ type, attrs }). */
export const encapCheck: Check = nestedCheck(objectCheck, (e) => {
  const type = (e as { type?: unknown }).type;
  const own = typeof type === 'string' ? ENCAP_KEYS[type] : undefined;
  return { keys: { type: eitherCheck(intCheck(0, 0xffff), stringCheck()), ...own, attrs: arrayCheck(anyCheck) } };
});
const flagsCheck: Check = eitherCheck(intCheck(0, 0xffffffff), arrayCheck(stringCheck()));
const NEXTHOP_EXTRA: Record<string, Check> = {
  oif: ifRefCheck,
  weight: intCheck(1, 256),
  hops: intCheck(0, 255),
  flags: flagsCheck,
  encap: encapCheck,
  via: viaCheck,
  newdst: eitherCheck(stringCheck(), arrayCheck(intCheck(0, 0xfffff))),
  attrs: arrayCheck(anyCheck),
};
const ROUTE_EXTRA: Record<string, Check> = {
  family: eitherCheck(intCheck(0, 255), stringCheck()),
  dst: stringCheck(),
  src: stringCheck(),
  gateway: stringCheck(),
  via: viaCheck,
  oif: ifRefCheck,
  iif: ifRefCheck,
  table: eitherCheck(intCheck(0, 0xffffffff), stringCheck()),
  flags: flagsCheck,
  multipath: arrayCheck(objectCheck),
  encap: encapCheck,
  metrics: objectCheck,
  newdst: NEXTHOP_EXTRA.newdst,
  ttlPropagate: eitherCheck(boolCheck, intCheck(0, 255)),
  fibMatch: boolCheck,
  attrs: arrayCheck(anyCheck),
};
let routeRules: SpecRules | undefined, nexthopRules: SpecRules | undefined;

/** A prefix length given in 'addr/len' and again as a number must agree. */
function samePrefix(object: string, key: string, v: string | undefined, lenKey: string, len: number | undefined): void {
  const slash = typeof v === 'string' ? v.indexOf('/') : -1;
  if (slash < 0 || len === undefined || Number(v!.slice(slash + 1)) === len) return;
  throw new SpecError(
    `${object}: ${key} ${JSON.stringify(v)} has prefix length ${v!.slice(slash + 1)}, but ${lenKey} is ${len}`,
    { object, key: lenKey },
  );
}

/**
 * Check a route spec before anything is sent: unknown keys (with a did-you-mean), wrong
 * values, prefix lengths given twice differently. pyroute2's `dst_len`, `metric`... are
 * aliases. Throws SpecError.
 */
export function checkRouteSpec<T extends object>(spec: T): T {
  const out = checkSpec('route', spec, (routeRules ??= routeVocab.rules(ROUTE_EXTRA))) as RouteSpec;
  samePrefix('route', 'dst', out.dst, 'dstLen', out.dstLen);
  samePrefix('route', 'src', out.src, 'srcLen', out.srcLen);
  return out as T;
}

/** Header fields and attributes of a route spec. */
export function routeBody(
  cmd: RouteCmd,
  spec: RouteSpec,
  checked = false,
): { fields: Record<string, unknown>; attrs: [string | number, unknown][] } {
  if (!checked) spec = checkRouteSpec(spec);
  const family = routeFamily(spec);
  const isNew = cmd !== 'del' && cmd !== 'get' && cmd !== 'dump';
  const fields: Record<string, unknown> = { family };
  const attrs: [string | number, unknown][] = [];
  const full = family === AF_INET6 ? 128 : family === AF_MPLS ? 20 : 32;

  if (spec.dst !== undefined && spec.dst !== 'default') {
    const d = parsePrefix(spec.dst, 'dst', family);
    fields.dst_len = spec.dstLen ?? d.len ?? full;
    attrs.push(['RTA_DST', d.addr]);
  } else if (spec.dstLen) throw new TypeError('dstLen needs dst');
  if (spec.src !== undefined) {
    const s = parsePrefix(spec.src, 'src', family);
    fields.src_len = spec.srcLen ?? s.len ?? full;
    attrs.push(['RTA_SRC', s.addr]);
  }
  if (spec.tos !== undefined) fields.tos = spec.tos;

  // iproute2's defaults, so that equal commands give equal bytes.
  const type = spec.type !== undefined ? enumValue(RTN, 'RTN_', spec.type, 'route type') : isNew ? RTN.RTN_UNICAST : 0;
  fields.type = type;
  const localType =
    type === RTN.RTN_LOCAL || type === RTN.RTN_BROADCAST || type === RTN.RTN_NAT || type === RTN.RTN_ANYCAST;
  let table = cmd === 'get' ? 0 : localType ? RT_TABLE.RT_TABLE_LOCAL : RT_TABLE.RT_TABLE_MAIN;
  if (spec.table !== undefined) table = tableId(spec.table);
  if (table < 256) fields.table = table;
  else {
    fields.table = RT_TABLE.RT_TABLE_UNSPEC;
    attrs.push(['RTA_TABLE', table]);
  }
  fields.proto =
    spec.proto !== undefined ? enumValue(RTPROT, 'RTPROT_', spec.proto, 'protocol') : isNew ? RTPROT.RTPROT_BOOT : 0;
  const hasNexthop =
    spec.gateway !== undefined || spec.via !== undefined || spec.multipath !== undefined || spec.nhId !== undefined;
  let scope: number;
  if (spec.scope !== undefined) scope = enumValue(RT_SCOPE, 'RT_SCOPE_', spec.scope, 'scope');
  // IPv6 and MPLS routes have no scopes.
  else if (family === AF_INET6 || family === AF_MPLS) scope = RT_SCOPE.RT_SCOPE_UNIVERSE;
  else if (cmd === 'del') scope = RT_SCOPE.RT_SCOPE_NOWHERE;
  else if (!isNew) scope = 0;
  else if (type === RTN.RTN_LOCAL || type === RTN.RTN_NAT) scope = RT_SCOPE.RT_SCOPE_HOST;
  else if (type === RTN.RTN_BROADCAST || type === RTN.RTN_MULTICAST || type === RTN.RTN_ANYCAST)
    scope = RT_SCOPE.RT_SCOPE_LINK;
  else if (type === RTN.RTN_UNICAST && !hasNexthop) scope = RT_SCOPE.RT_SCOPE_LINK;
  else scope = RT_SCOPE.RT_SCOPE_UNIVERSE;
  fields.scope = scope;
  let flags = rtFlags(spec.flags);
  // As iproute2: IPv4 lookups report the table (IPv6 refuses the flag in strict mode).
  if (cmd === 'get')
    flags |= (family === AF_INET ? RTM_F.RTM_F_LOOKUP_TABLE : 0) | (spec.fibMatch ? RTM_F.RTM_F_FIB_MATCH : 0);
  if (flags) fields.flags = flags;

  const prio = spec.priority ?? spec.metric;
  if (prio !== undefined) attrs.push(['RTA_PRIORITY', prio]);
  if (spec.prefsrc !== undefined)
    attrs.push(['RTA_PREFSRC', parsePrefix(spec.prefsrc, 'prefsrc', family === AF_MPLS ? undefined : family).addr]);
  if (spec.pref !== undefined)
    attrs.push(['RTA_PREF', enumValue(ICMPV6_ROUTER_PREF, 'ICMPV6_ROUTER_PREF_', spec.pref, 'route preference')]);
  if (spec.expires !== undefined) attrs.push(['RTA_EXPIRES', spec.expires]);
  if (spec.encap) attrs.push(...encapAttrs(spec.encap, 'encap'));
  if (spec.newdst !== undefined)
    attrs.push(['RTA_NEWDST', Array.isArray(spec.newdst) ? spec.newdst.join('/') : spec.newdst]);
  const gw = gatewayAttr(family, spec.gateway, spec.via, 'route');
  if (gw) attrs.push(gw);
  if (spec.flow !== undefined) attrs.push(['RTA_FLOW', spec.flow]);
  if (spec.mark !== undefined) attrs.push(['RTA_MARK', spec.mark]);
  if (spec.nhId !== undefined) attrs.push(['RTA_NH_ID', spec.nhId]);
  for (const k of ['oif', 'iif'] as const) {
    const v = spec[k];
    if (v === undefined) continue;
    if (typeof v !== 'number') throw new TypeError(`${k} ${JSON.stringify(v)} must be resolved to an index first`);
    attrs.push([k === 'oif' ? 'RTA_OIF' : 'RTA_IIF', v]);
  }
  const metrics = metricsAttr(spec.metrics);
  if (metrics.length) attrs.push(['RTA_METRICS', metrics]);
  if (spec.multipath !== undefined) {
    if (!Array.isArray(spec.multipath) || !spec.multipath.length)
      throw new TypeError('multipath must be a non-empty array of next hops');
    attrs.push(['RTA_MULTIPATH', spec.multipath.map((nh, i) => nexthop(family, nh, i))]);
  }
  if (spec.ttlPropagate !== undefined) attrs.push(['RTA_TTL_PROPAGATE', Number(spec.ttlPropagate)]);
  if (spec.uid !== undefined) attrs.push(['RTA_UID', spec.uid]);
  if (spec.ipProto !== undefined) attrs.push(['RTA_IP_PROTO', spec.ipProto]);
  if (spec.sport !== undefined) attrs.push(['RTA_SPORT', spec.sport]);
  if (spec.dport !== undefined) attrs.push(['RTA_DPORT', spec.dport]);
  if (spec.flowlabel !== undefined) attrs.push(['RTA_FLOWLABEL', spec.flowlabel]);
  return { fields, attrs: mergeAttrs(attrs, spec.attrs) };
}

/**
 * The request for `ipr.route(cmd, spec)`. `checked`: the caller has just passed this very
 * object through checkRouteSpec (a batch checks each spec once, not twice).
 */
export function routeRequest(
  cmd: RouteCmd,
  spec: RouteSpec,
  checked = false,
): { schema: typeof rtmsg; spec: MessageSpec<any, any> } {
  const { fields, attrs } = routeBody(cmd, spec, checked);
  const { type, flags } = requestHead('route', cmd, ['add', 'replace', 'append', 'set', 'change', 'del', 'get'], {
    new: RTM.RTM_NEWROUTE,
    del: RTM.RTM_DELROUTE,
    get: RTM.RTM_GETROUTE,
  });
  return { schema: rtmsg, spec: { type, flags, fields, attrs } };
}

// ---- dumps ---------------------------------------------------------------------------

// `table: 'all'` filters nothing, as `ip route show table all`.
const ALL_TABLES = 'all';

/** What getRoutes() keeps: the kernel filters family, table, protocol, type and oif. */
export interface RouteFilter {
  family?: number | string;
  /** A table by name or number; 'all' (as ip) or nothing for every table. */
  table?: number | string;
  proto?: number | string;
  type?: number | string;
  oif?: IfRef;
  /** 'a/len' (exact prefix), an address (any length), or 'default'. */
  dst?: string;
  dstLen?: number;
  gateway?: string;
  priority?: number;
  scope?: number | string;
  prefsrc?: string;
  /** Any other check, run last. */
  match?: (route: RtMessage) => boolean;
}

/** The dump request: family, table, protocol, type and oif go to the kernel. */
export function routeDumpRequest(filter: RouteFilter = {}): MessageSpec<any, any> {
  const fields: Record<string, unknown> = { family: familyValue(filter.family as number | string | undefined) ?? 0 };
  const attrs: [string, unknown][] = [];
  if (filter.table !== undefined && filter.table !== ALL_TABLES) {
    const t = tableId(filter.table);
    if (t < 256) fields.table = t;
    else attrs.push(['RTA_TABLE', t]);
  }
  if (filter.proto !== undefined) fields.proto = enumValue(RTPROT, 'RTPROT_', filter.proto, 'protocol');
  if (filter.type !== undefined) fields.type = enumValue(RTN, 'RTN_', filter.type, 'route type');
  if (typeof filter.oif === 'number') attrs.push(['RTA_OIF', filter.oif]);
  return { type: RTM.RTM_GETROUTE, fields, attrs };
}

/** The table a route is in: RTA_TABLE when present (ids > 255), else rtm_table. */
export function tableOf(m: RtMessage): number {
  return m.getAttr('RTA_TABLE') ?? m.field('table');
}

/**
 * What the kernel leaves to us: `kernelFiltered` says whether the socket's strict mode made
 * the kernel apply family/table/proto/type/oif (then they are not checked again).
 */
export function routeMatcher(filter: RouteFilter = {}, kernelFiltered = true): ((m: RtMessage) => boolean) | undefined {
  const checks: ((m: RtMessage) => boolean)[] = [];
  // A family without a dump handler gets everything (the kernel falls back to AF_UNSPEC).
  const family = familyValue(filter.family as number | string | undefined);
  if (family && family !== AF_INET && family !== AF_INET6) checks.push((m) => m.family === family);
  if (!kernelFiltered) {
    if (filter.table !== undefined && filter.table !== ALL_TABLES) {
      const t = tableId(filter.table);
      checks.push((m) => tableOf(m) === t);
    }
    if (filter.proto !== undefined) {
      const p = enumValue(RTPROT, 'RTPROT_', filter.proto, 'protocol');
      checks.push((m) => m.field('proto') === p);
    }
    if (filter.type !== undefined) {
      const t = enumValue(RTN, 'RTN_', filter.type, 'route type');
      checks.push((m) => m.field('type') === t);
    }
    if (typeof filter.oif === 'number') {
      const o = filter.oif;
      checks.push(
        (m) => m.getAttr('RTA_OIF') === o || (m.getAttr('RTA_MULTIPATH') ?? []).some((nh) => nh.ifindex === o),
      );
    }
  }
  if (filter.dst !== undefined) {
    if (filter.dst === 'default') checks.push((m) => m.field('dst_len') === 0);
    else {
      const d = parsePrefix(filter.dst, 'dst filter');
      const a = canonicalIP(d.addr);
      const len = filter.dstLen ?? d.len;
      checks.push((m) => m.getAttr('RTA_DST') === a && (len === undefined || m.field('dst_len') === len));
    }
  } else if (filter.dstLen !== undefined) checks.push((m) => m.field('dst_len') === filter.dstLen);
  if (filter.gateway !== undefined) {
    const g = canonicalIP(filter.gateway);
    checks.push(
      (m) =>
        m.getAttr('RTA_GATEWAY') === g ||
        (m.getAttr('RTA_MULTIPATH') ?? []).some((nh) => nh.attrs.getAttr('RTA_GATEWAY') === g),
    );
  }
  if (filter.priority !== undefined) checks.push((m) => (m.getAttr('RTA_PRIORITY') ?? 0) === filter.priority);
  if (filter.scope !== undefined) {
    const s = enumValue(RT_SCOPE, 'RT_SCOPE_', filter.scope, 'scope');
    checks.push((m) => m.field('scope') === s);
  }
  if (filter.prefsrc !== undefined) {
    const p = canonicalIP(filter.prefsrc);
    checks.push((m) => m.getAttr('RTA_PREFSRC') === p);
  }
  if (filter.match) checks.push(filter.match);
  if (!checks.length) return undefined;
  return (m) => checks.every((c) => c(m));
}
