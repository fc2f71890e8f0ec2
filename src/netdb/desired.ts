// The desired-state format (also what snapshot() returns, and a daemon's config file):
// records of the view, partial, with interfaces named instead of numbered, and
// `state: 'absent'` for what must not exist.
import { canonicalIP, networkBytes, parsePrefix } from '../rtnl/spec.js';
import { ipv4ToString, ipv6ToString } from '../core/index.js';
import { AF_INET, AF_INET6, RT_TABLE, RTN, RTPROT } from '../rtnl/constants.js';
import type { AddrRecord, LinkRecord, NeighRecord, RouteRecord, RuleRecord } from './records.js';
import type { Source } from './source.js';

/** An interface: its name, or its index in the source. */
export type IfName = string | number;

export interface DesiredLink {
  ifname: string;
  /** 'up' | 'down' set IFF_UP; 'absent' deletes the link. */
  state?: 'up' | 'down' | 'absent';
  kind?: string;
  /** Index to create the link with (default: the next free one). */
  index?: number;
  mtu?: number;
  address?: string;
  /** The bridge (or other master) to join; null leaves it. */
  master?: IfName | null;
  /** veth: the other end's name. */
  peer?: string;
  txqlen?: number;
  group?: number;
  ifalias?: string;
}

export interface DesiredAddress {
  /** The interface (or `index`). */
  ifname?: IfName;
  index?: number;
  /** 'a.b.c.d/len' (or with `prefixlen`). */
  address: string;
  prefixlen?: number;
  local?: string;
  broadcast?: string;
  label?: string;
  scope?: number;
  flags?: number;
  proto?: number;
  state?: 'absent';
}

export interface DesiredNexthop {
  oif?: IfName;
  gateway?: string;
  weight?: number;
}

export interface DesiredRoute {
  /** 'default' or a prefix; host bits are cleared, as the kernel needs. */
  dst: string;
  family?: number;
  table?: number;
  priority?: number;
  tos?: number;
  type?: number;
  proto?: number;
  scope?: number;
  oif?: IfName;
  gateway?: string;
  prefsrc?: string;
  src?: string;
  multipath?: DesiredNexthop[];
  metrics?: Record<string, number>;
  state?: 'absent';
}

export interface DesiredNeighbour {
  ifname?: IfName;
  ifindex?: number;
  dst: string;
  lladdr?: string;
  /** NUD_* number (default permanent), or 'absent'. */
  state?: number | 'absent';
  flags?: number;
  proto?: number;
}

export interface DesiredRule extends Partial<Omit<RuleRecord, 'source'>> {
  state?: 'absent';
}

export interface Desired {
  links?: DesiredLink[];
  addresses?: DesiredAddress[];
  routes?: DesiredRoute[];
  neighbours?: DesiredNeighbour[];
  rules?: DesiredRule[];
}

// ---- normalisation: what the kernel will show for what was asked ---------------------------

/** 'default' or 'network/len' with host bits cleared and the address in canonical form. */
export function canonicalPrefix(dst: string, family?: number): { dst: string; family: number } {
  if (dst === 'default') return { dst, family: family ?? AF_INET };
  const p = parsePrefix(dst, 'dst', family);
  const len = p.len ?? (p.family === AF_INET6 ? 128 : 32);
  const net = networkBytes(p.addr, len);
  const text = p.family === AF_INET6 ? ipv6ToString(net, 0) : ipv4ToString(net, 0);
  return { dst: len === 0 ? 'default' : `${text}/${len}`, family: p.family };
}

/** The metric the kernel gives a route that names none. */
export const defaultPriority = (family: number): number => (family === AF_INET6 ? 1024 : 0);

/** An address and prefix length from 'a/len' or address + prefixlen, canonical. */
export function addrParts(a: DesiredAddress): { local: string; prefixlen: number; family: number } {
  const p = parsePrefix(a.local ?? a.address, 'address');
  const prefixlen = a.prefixlen ?? p.len ?? parsePrefix(a.address, 'address').len ?? (p.family === AF_INET6 ? 128 : 32);
  return { local: canonicalIP(p.addr), prefixlen, family: p.family };
}

// ---- snapshots --------------------------------------------------------------------------

/** Whether the kernel made this route by itself (it comes back with its address or link). */
export function kernelRoute(r: RouteRecord): boolean {
  return r.proto === RTPROT.RTPROT_KERNEL || r.table === RT_TABLE.RT_TABLE_LOCAL || r.type === RTN.RTN_MULTICAST;
}

/** Whether the kernel made this address by itself (IPv6 link-local, loopback). */
export function kernelAddress(a: AddrRecord, links: Source['tables']['links']): boolean {
  if (a.family === AF_INET6 && a.address.startsWith('fe80:')) return true;
  return links.get(a.index)?.ifname === 'lo';
}

const nameOf = (s: Source, index: number | undefined): IfName | undefined =>
  index === undefined || index === 0 ? undefined : (s.tables.links.get(index)?.ifname ?? index);

export function linkDesired(s: Source, l: LinkRecord): DesiredLink {
  const out: DesiredLink = { ifname: l.ifname, state: l.state };
  if (l.kind) out.kind = l.kind;
  out.index = l.index;
  if (l.mtu !== undefined) out.mtu = l.mtu;
  if (l.address !== undefined && l.kind !== 'lo') out.address = l.address;
  if (l.master) out.master = nameOf(s, l.master) ?? null;
  if (l.kind === 'veth' && l.link && l.linkNetnsid === undefined) {
    const peer = nameOf(s, l.link);
    if (typeof peer === 'string') out.peer = peer;
  }
  if (l.txqlen !== undefined) out.txqlen = l.txqlen;
  if (l.group) out.group = l.group;
  if (l.ifalias) out.ifalias = l.ifalias;
  return out;
}

export function addrDesired(s: Source, a: AddrRecord): DesiredAddress {
  const out: DesiredAddress = { ifname: nameOf(s, a.index), address: `${a.local ?? a.address}/${a.prefixlen}` };
  if (a.local !== undefined && a.local !== a.address) out.local = a.local;
  if (a.broadcast) out.broadcast = a.broadcast;
  if (a.label && a.label !== s.tables.links.get(a.index)?.ifname) out.label = a.label;
  out.scope = a.scope;
  out.flags = a.flags;
  if (a.proto !== undefined) out.proto = a.proto;
  return out;
}

export function routeDesired(s: Source, r: RouteRecord): DesiredRoute {
  const out: DesiredRoute = {
    dst: r.dst,
    family: r.family,
    table: r.table,
    priority: r.priority,
    type: r.type,
    proto: r.proto,
    scope: r.scope,
  };
  if (r.tos) out.tos = r.tos;
  if (r.src) out.src = r.src;
  if (r.oif !== undefined) out.oif = nameOf(s, r.oif);
  if (r.gateway) out.gateway = r.gateway;
  if (r.prefsrc) out.prefsrc = r.prefsrc;
  if (r.multipath)
    out.multipath = r.multipath.map((nh) => ({ oif: nameOf(s, nh.oif), gateway: nh.gateway, weight: nh.weight }));
  if (r.metrics) out.metrics = r.metrics;
  return out;
}

export function neighDesired(s: Source, n: NeighRecord): DesiredNeighbour {
  return { ifname: nameOf(s, n.ifindex), dst: n.dst, lladdr: n.lladdr, state: n.state, flags: n.flags, proto: n.proto };
}

export function ruleDesired(r: RuleRecord): DesiredRule {
  const { source: _source, ...rest } = r;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) out[k] = v;
  return out as DesiredRule;
}

/** A source as a desired state: what restore() needs to rebuild it, kernel-made objects left out. */
export function snapshotOf(s: Source): Desired {
  const t = s.tables;
  return {
    links: [...t.links.values()].filter((l) => l.ifname !== 'lo').map((l) => linkDesired(s, l)),
    addresses: [...t.addresses.values()].filter((a) => !kernelAddress(a, t.links)).map((a) => addrDesired(s, a)),
    routes: [...t.routes.values()].filter((r) => !kernelRoute(r)).map((r) => routeDesired(s, r)),
    neighbours: [...t.neighbours.values()].map((n) => neighDesired(s, n)),
    rules: [...t.rules.values()].map(ruleDesired),
  };
}

export { AF_INET, AF_INET6 };
