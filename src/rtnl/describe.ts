// How an IPRoute call is named in its errors, in ip(8)'s words: `route add 10.40.0.0/16 via
// 10.0.0.9 table main`, `link set v0`, `addr add 10.0.0.1/24 dev v0`. Specs are read loosely
// (camelCase and pyroute2's snake_case keys alike): a description must never throw.
import { callerError, describeCall, type BatchResult, type CallDescription, type CallTable } from '../core/index.js';
import type { BatchRequest, IPRoute } from './iproute.js';

type Loose = Record<string, unknown>;

const TABLE_NAMES: Readonly<Record<number, string>> = { 253: 'default', 254: 'main', 255: 'local' };

/** Words joined, empty ones left out. */
function words(...parts: unknown[]): string {
  return parts.filter((p) => p !== undefined && p !== null && p !== false && p !== '').join(' ');
}

/** A value as it reads in a message: strings plain, the rest as JSON. */
function show(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return `${v}`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** An interface reference: a name as it is, an index as `index N`. */
function dev(ref: unknown): string | undefined {
  if (ref === undefined || ref === null) return undefined;
  return typeof ref === 'number' ? `index ${ref}` : show(ref);
}

/** An address with its prefix length, from `10.0.0.0/8` or an address plus a length key. */
function prefixed(addr: unknown, len: unknown): string | undefined {
  if (addr === undefined || addr === null) return undefined;
  const a = show(addr);
  return len !== undefined && len !== null && !a.includes('/') ? `${a}/${show(len)}` : a;
}

function pick(s: Loose, ...keys: string[]): unknown {
  for (const k of keys) if (s[k] !== undefined) return s[k];
  return undefined;
}

/** A dump filter: its keys and values. */
export function describeFilter(filter: unknown): string {
  if (typeof filter !== 'object' || filter === null) return '';
  const given = Object.entries(filter as Loose).filter(([, v]) => v !== undefined);
  return words(...given.map(([k, v]) => `${k} ${show(v)}`));
}

/** `v0`, `index 5`, `v0 type veth`, `index 5 name v1` (a rename). */
export function describeLink(cmd: string, spec: unknown): string {
  const s = (spec ?? {}) as Loose;
  const index = s.index !== undefined ? dev(s.index) : undefined;
  const name = s.ifname !== undefined ? show(s.ifname) : undefined;
  const who = cmd === 'set' && index && name ? `${index} name ${name}` : (name ?? index);
  return words(who, cmd === 'add' && s.kind !== undefined ? `type ${show(s.kind)}` : undefined);
}

/** `10.0.0.1/24 dev v0`. */
export function describeAddr(spec: unknown): string {
  const s = (spec ?? {}) as Loose;
  const addr = prefixed(pick(s, 'local', 'address'), pick(s, 'prefixlen', 'mask'));
  return words(addr, s.index !== undefined ? `dev ${dev(s.index)}` : undefined);
}

/** `10.40.0.0/16 via 10.0.0.9 dev v0 table main`, `blackhole 10.1.0.0/16 table main`. */
export function describeRoute(spec: unknown): string {
  const s = (spec ?? {}) as Loose;
  const type = s.type !== undefined && s.type !== 'unicast' && s.type !== 1 ? show(s.type) : undefined;
  const dst = prefixed(s.dst, pick(s, 'dstLen', 'dst_len')) ?? 'default';
  const via = pick(s, 'gateway', 'via');
  const gw = typeof via === 'object' && via !== null ? ((via as Loose).addr ?? (via as Loose).address) : via;
  const hop = (h: Loose): string =>
    words('nexthop', h?.gateway !== undefined && `via ${show(h.gateway)}`, h?.oif !== undefined && `dev ${dev(h.oif)}`);
  const hops = Array.isArray(s.multipath) ? s.multipath.map(hop) : [];
  const family = s.family;
  const table = family === 'mpls' || family === 28 ? undefined : (s.table ?? 254);
  const tableName = typeof table === 'number' ? (TABLE_NAMES[table] ?? String(table)) : table;
  return words(
    type,
    dst,
    gw !== undefined && `via ${show(gw)}`,
    s.oif !== undefined && `dev ${dev(s.oif)}`,
    ...hops,
    tableName !== undefined && `table ${show(tableName)}`,
  );
}

/** `10.0.0.2 lladdr 02:00:00:00:00:01 dev v0`. */
export function describeNeigh(spec: unknown): string {
  const s = (spec ?? {}) as Loose;
  return words(
    s.dst !== undefined && show(s.dst),
    s.lladdr !== undefined && `lladdr ${show(s.lladdr)}`,
    pick(s, 'ifindex', 'index') !== undefined && `dev ${dev(pick(s, 'ifindex', 'index'))}`,
  );
}

/** `02:00:00:00:00:01 dev v0 vlan 10 dst 192.0.2.1`. */
export function describeFdb(spec: unknown): string {
  const s = (spec ?? {}) as Loose;
  return words(
    s.lladdr !== undefined && show(s.lladdr),
    pick(s, 'ifindex', 'index') !== undefined && `dev ${dev(pick(s, 'ifindex', 'index'))}`,
    s.vlan !== undefined && `vlan ${show(s.vlan)}`,
    s.dst !== undefined && `dst ${show(s.dst)}`,
  );
}

/** `from 10.0.0.0/8 iif v0 lookup 100 pref 1000`, as `ip rule` prints one. */
export function describeRule(spec: unknown): string {
  const s = (spec ?? {}) as Loose;
  const from = prefixed(s.src, pick(s, 'srcLen', 'src_len'));
  const to = prefixed(s.dst, pick(s, 'dstLen', 'dst_len'));
  const iif = pick(s, 'iifname', 'iif'),
    oif = pick(s, 'oifname', 'oif');
  return words(
    s.invert && 'not',
    `from ${from ?? 'all'}`,
    to !== undefined && `to ${to}`,
    s.fwmark !== undefined && `fwmark ${show(s.fwmark)}`,
    iif !== undefined && `iif ${show(iif)}`,
    oif !== undefined && `oif ${show(oif)}`,
    s.table !== undefined && `lookup ${show(s.table)}`,
    s.priority !== undefined && `pref ${show(s.priority)}`,
  );
}

/** tc's command ('add', 'del-class', 'dump-filter') as `tc qdisc add`, `tc class del`, `tc filter dump`. */
export function tcOperation(cmd: string): string {
  const m = /^([a-z]+)-(class|filter)$/.exec(String(cmd));
  return m ? `tc ${m[2]} ${m[1]}` : `tc qdisc ${show(cmd)}`;
}

/** `htb dev index 5 parent root handle 1:`. */
export function describeTc(kind: unknown, spec: unknown): string {
  const s = (spec ?? {}) as Loose;
  return words(
    typeof kind === 'string' && kind,
    s.index !== undefined && `dev ${dev(s.index)}`,
    s.parent !== undefined && `parent ${show(s.parent)}`,
    s.handle !== undefined && `handle ${show(s.handle)}`,
  );
}

/** The peer of an nsid request: `netns blue`, `fd 7`, `pid 42`. */
export function describeNsid(spec: unknown): string {
  const s = (spec ?? {}) as Loose;
  return words(
    s.netns !== undefined && `netns ${show(s.netns)}`,
    s.fd !== undefined && `fd ${show(s.fd)}`,
    s.pid !== undefined && `pid ${show(s.pid)}`,
    s.nsid !== undefined && `nsid ${show(s.nsid)}`,
  );
}

/** One request of IPRoute.batch(), described like the single call. */
export function describeBatchRequest(r: BatchRequest): CallDescription {
  const [kind, cmd, spec] = r;
  const object = kind === 'link' ? describeLink(cmd, spec) : kind === 'addr' ? describeAddr(spec) : describeRoute(spec);
  return { operation: `${kind} ${cmd}`, object, request: spec };
}

/** Batch results whose failures name their requests. */
export function describeBatchResults(requests: readonly BatchRequest[], results: BatchResult[]): BatchResult[] {
  for (const r of results) {
    if (!r.ok) r.error = callerError(r.error, describeBatchRequest(requests[r.index])) as typeof r.error;
  }
  return results;
}

const call = describeCall;

/** Every public IPRoute call that talks to the kernel, and how its errors name it. */
export const IPROUTE_CALLS: CallTable<IPRoute> = {
  ifindex: (ref) => call('link lookup', show(ref)),
  ifname: (ref) => call('link lookup', dev(ref)),
  linkLookup: (filter) => call('link lookup', describeFilter(filter), filter),
  link: (cmd, spec) => call(`link ${cmd}`, cmd === 'dump' ? describeFilter(spec) : describeLink(cmd, spec), spec),
  getLinks: (filter) => call('link dump', describeFilter(filter), filter),
  dumpLinks: (filter) => call('link dump', describeFilter(filter), filter),
  addr: (cmd, spec) => {
    const one = cmd === 'add' || cmd === 'del' || cmd === 'replace';
    return call(`addr ${cmd}`, one ? describeAddr(spec) : describeFilter(spec), spec);
  },
  getAddr: (filter) => call('addr dump', describeFilter(filter), filter),
  dumpAddr: (filter) => call('addr dump', describeFilter(filter), filter),
  flushAddr: (filter) => call('addr flush', describeFilter(filter), filter),
  route: (cmd, spec) => call(`route ${cmd}`, cmd === 'dump' ? describeFilter(spec) : describeRoute(spec), spec),
  getRoutes: (filter) => call('route dump', describeFilter(filter), filter),
  dumpRoutes: (filter) => call('route dump', describeFilter(filter), filter),
  links: (filter) => call('link dump', describeFilter(filter), filter),
  addresses: (filter) => call('addr dump', describeFilter(filter), filter),
  routes: (filter) => call('route dump', describeFilter(filter), filter),
  neighbours: (filter) => call('neigh dump', describeFilter(filter), filter),
  fdbEntries: (filter) => call('fdb dump', describeFilter(filter), filter),
  batch: (requests) => call('batch', `of ${requests.length} requests`),
  events: null,
  waitFor: (kind, match) => call(`wait for ${kind}`, typeof match === 'function' ? undefined : describeFilter(match)),
  neigh: (cmd, spec) => call(`neigh ${cmd}`, describeNeigh(spec), spec),
  getNeighbours: (filter) => call('neigh dump', describeFilter(filter), filter),
  fdb: (cmd, spec) => call(`fdb ${cmd}`, describeFdb(spec), spec),
  rule: (cmd, spec) => call(`rule ${cmd}`, describeRule(spec), spec),
  getRules: (filter) => call('rule dump', describeFilter(filter), filter),
  tc: (cmd, kind, spec) => call(tcOperation(cmd), describeTc(kind, spec), spec),
  getQdiscs: (filter) => call('tc qdisc dump', describeFilter(filter), filter),
  getClasses: (index, parent) => call('tc class dump', describeTc(undefined, { index, parent })),
  getFilters: (index, parent) => call('tc filter dump', describeTc(undefined, { index, parent })),
  rules: (filter) => call('rule dump', describeFilter(filter), filter),
  qdiscs: (filter) => call('tc qdisc dump', describeFilter(filter), filter),
  classes: (index, parent) => call('tc class dump', describeTc(undefined, { index, parent })),
  filters: (index, parent) => call('tc filter dump', describeTc(undefined, { index, parent })),
  netconf: (filter) => call('netconf dump', describeFilter(filter), filter),
  getNetconf: (filter) => call('netconf dump', describeFilter(filter), filter),
  nsids: () => call('nsid dump'),
  nsid: (cmd, spec) => call(`nsid ${cmd}`, describeNsid(spec), spec),
  getNsids: () => call('nsid dump'),
  nexthop: (cmd, spec) => call(`nexthop ${cmd}`, describeFilter(spec), spec),
  getNexthops: (filter) => call('nexthop dump', describeFilter(filter), filter),
  bridgeVlan: (cmd, spec) => call(`bridge vlan ${cmd}`, describeFilter(spec), spec),
  getBridgeVlans: (filter) => call('bridge vlan dump', describeFilter(filter), filter),
  brvlan: (cmd, spec) => call(`bridge vlan ${cmd}`, describeFilter(spec), spec),
  brvlans: (filter) => call('bridge vlan dump', describeFilter(filter), filter),
  brvlanGlobal: (cmd, spec) => call(`bridge vlan global ${cmd}`, describeFilter(spec), spec),
  brvlanGlobals: (filter) => call('bridge vlan global dump', describeFilter(filter), filter),
  mdb: (cmd, spec) => call(`bridge mdb ${cmd}`, describeFilter(spec), spec),
  mdbEntries: (filter) => call('bridge mdb dump', describeFilter(filter), filter),
  mdbRouters: (filter) => call('bridge mdb dump', describeFilter(filter), filter),
  tcAction: (cmd, spec) => call(`tc action ${cmd}`, undefined, spec),
};
