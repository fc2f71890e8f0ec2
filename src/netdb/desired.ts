// The desired-state format (also what snapshot() returns, and a daemon's config file):
// records of the view, partial, with interfaces named instead of numbered, and
// `state: 'absent'` for what must not exist.
import { canonicalIP, networkBytes, parsePrefix } from '../rtnl/spec.js';
import { ipv4ToString, ipv6ToString } from '../core/index.js';
import { AF_INET, AF_INET6 } from '../rtnl/constants.js';
import type { KindRecord } from '../rtnl/kinds/types.js';
import {
  DEFAULT_DST,
  type AddrRecord,
  type LinkRecord,
  type NeighRecord,
  type RouteRecord,
  type RuleRecord,
} from './records.js';
import { enumValue } from './vocab.js';
import { hasLowerLink, isLinkRef, recordKindOptions, recordPortOptions } from './kindopts.js';
import type { Source } from './source.js';

/** An interface: its name, or its index in the source. */
export type IfName = string | number;
/** An enumeration value: its name ('main', 'static', 'link'; any case, short or full) or number. */
export type EnumIn = string | number;
/** A flag set: names (['permanent']), one name, or a number (a mask). */
export type FlagsIn = string | number | readonly (string | number)[];

type KeysOf<U> = U extends unknown ? keyof U : never;
/**
 * Every kind's options, flat, as link records carry them (`brStpState`, `vxlanId`); IPRoute
 * checks each against its kind when the plan sends it.
 */
type KindOptions = { [K in Exclude<KeysOf<KindRecord>, 'kind'>]?: unknown };

export interface DesiredLink extends KindOptions {
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
  /** The lower device a link is made on (macvlan, vlan, ipvlan...): its name or index. */
  link?: IfName;
  txqlen?: number;
  group?: number;
  ifalias?: string;
}

export interface DesiredAddress {
  /** The interface (or `index`). */
  ifname?: IfName;
  index?: number;
  /** Our address: 'a.b.c.d/len' (or with `prefixlen`). */
  address: string;
  prefixlen?: number;
  /** The other end of a point-to-point link. */
  peer?: string;
  /** @deprecated our address, as `address` is; kept so older desired states still read. */
  local?: string;
  broadcast?: string;
  label?: string;
  scope?: EnumIn;
  flags?: FlagsIn;
  proto?: EnumIn;
  state?: 'absent';
}

export interface DesiredNexthop {
  oif?: IfName;
  gateway?: string;
  weight?: number;
}

export interface DesiredRoute {
  /** 'addr/len', or 'default' (or absent with `dstLen: 0`); host bits are cleared, as the kernel needs. */
  dst?: string;
  dstLen?: number;
  family?: EnumIn;
  table?: EnumIn;
  priority?: number;
  tos?: number;
  type?: EnumIn;
  proto?: EnumIn;
  scope?: EnumIn;
  oif?: IfName;
  gateway?: string;
  prefsrc?: string;
  src?: string;
  multipath?: DesiredNexthop[];
  metrics?: Record<string, unknown>;
  state?: 'absent';
}

export interface DesiredNeighbour {
  ifname?: IfName;
  ifindex?: number;
  dst: string;
  lladdr?: string;
  /** NUD states (default ['permanent']), or 'absent'. */
  state?: FlagsIn | 'absent';
  flags?: FlagsIn;
  protocol?: EnumIn;
  /** @deprecated alias of protocol */
  proto?: EnumIn;
}

export interface DesiredRule
  extends Partial<Omit<RuleRecord, 'source' | 'family' | 'table' | 'protocol' | 'action' | 'priority'>> {
  /** Required to create a rule (the kernel would pick one; a desired state names it). */
  priority?: number;
  family?: EnumIn;
  table?: EnumIn;
  action?: EnumIn;
  protocol?: EnumIn;
  /** @deprecated aliases of iif, oif, protocol */
  iifname?: string;
  oifname?: string;
  proto?: EnumIn;
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
  if (dst === DEFAULT_DST) return { dst, family: family ?? AF_INET };
  const p = parsePrefix(dst, 'dst', family);
  const len = p.len ?? (p.family === AF_INET6 ? 128 : 32);
  const net = networkBytes(p.addr, len);
  const text = p.family === AF_INET6 ? ipv6ToString(net, 0) : ipv4ToString(net, 0);
  return { dst: len === 0 ? DEFAULT_DST : `${text}/${len}`, family: p.family };
}

/** The metric the kernel gives a route that names none. */
export const defaultPriority = (family: number): number => (family === AF_INET6 ? 1024 : 0);

/** Our address and prefix length from 'a/len' or address + prefixlen, canonical. */
export function addrParts(a: DesiredAddress): { address: string; prefixlen: number; family: number } {
  const p = parsePrefix(a.local ?? a.address, 'address');
  const prefixlen = a.prefixlen ?? p.len ?? parsePrefix(a.address, 'address').len ?? (p.family === AF_INET6 ? 128 : 32);
  return { address: canonicalIP(p.addr), prefixlen, family: p.family };
}

/** The number of a family given by name or number ('inet6', 10). */
export const familyNumber = (f: EnumIn | undefined): number | undefined =>
  f === undefined ? undefined : enumValue('routes', 'family', f) === 'inet6' ? AF_INET6 : AF_INET;

/** A family number as records name it. */
export const familyName = (f: number): 'inet' | 'inet6' => (f === AF_INET6 ? 'inet6' : 'inet');

// ---- snapshots --------------------------------------------------------------------------

/** Whether the kernel made this route by itself (it comes back with its address or link). */
export function kernelRoute(r: RouteRecord): boolean {
  return r.proto === 'kernel' || r.table === 'local' || r.type === 'multicast';
}

/** Whether the kernel made this rule (the default ones, a VRF's l3mdev rule): it comes back with its maker. */
export const kernelRule = (r: RuleRecord): boolean => r.protocol === 'kernel';

/** Whether the kernel made this address by itself (IPv6 link-local, loopback). */
export function kernelAddress(a: AddrRecord, links: Source['tables']['links']): boolean {
  if (a.family === 'inet6' && a.address.startsWith('fe80:')) return true;
  return links.get(a.index)?.ifname === 'lo';
}

const nameOf = (s: Source, index: number | undefined): IfName | undefined =>
  index === undefined || index === 0 ? undefined : (s.tables.links.get(index)?.ifname ?? index);

export function linkDesired(s: Source, l: LinkRecord): DesiredLink {
  const out: DesiredLink = { ifname: l.ifname, state: l.state };
  if (l.kind) out.kind = l.kind;
  out.index = l.index;
  if (l.mtu !== undefined) out.mtu = l.mtu;
  if (l.address !== undefined && l.ifname !== 'lo') out.address = l.address;
  if (l.master) out.master = nameOf(s, l.master) ?? null;
  if (l.kind === 'veth' && l.link && l.linkNetnsid === undefined) {
    const peer = nameOf(s, l.link);
    if (typeof peer === 'string') out.peer = peer;
  }
  if (hasLowerLink(l)) out.link = nameOf(s, l.link);
  if (l.txqlen !== undefined) out.txqlen = l.txqlen;
  if (l.group) out.group = l.group;
  if (l.ifalias) out.ifalias = l.ifalias;
  // The kind's options, so a restore makes the same device; links they name, by name.
  const opts = out as unknown as Record<string, unknown>;
  for (const [k, v] of recordKindOptions(l)) opts[k] = isLinkRef(k) && typeof v === 'number' ? nameOf(s, v) : v;
  // And its options as a port of its master (a bridge port's cost...), set once it has joined.
  if (l.master) for (const [k, v] of recordPortOptions(l)) opts[k] = v;
  return out;
}

export function addrDesired(s: Source, a: AddrRecord): DesiredAddress {
  const out: DesiredAddress = { ifname: nameOf(s, a.index), address: `${a.address}/${a.prefixlen}` };
  if (a.peer !== undefined) out.peer = a.peer;
  if (a.broadcast) out.broadcast = a.broadcast;
  if (a.label && a.label !== s.tables.links.get(a.index)?.ifname) out.label = a.label;
  if (a.scope !== undefined) out.scope = a.scope;
  if (a.flags !== undefined) out.flags = a.flags;
  if (a.proto !== undefined) out.proto = a.proto;
  return out;
}

export function routeDesired(s: Source, r: RouteRecord): DesiredRoute {
  const out: DesiredRoute = {
    dst: r.dst ?? DEFAULT_DST,
    family: r.family,
    table: r.table,
    priority: r.priority ?? 0,
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
  const out: DesiredNeighbour = { ifname: nameOf(s, n.ifindex), dst: n.dst };
  if (n.lladdr !== undefined) out.lladdr = n.lladdr;
  if (n.state !== undefined) out.state = n.state;
  if (n.flags !== undefined) out.flags = n.flags;
  if (n.protocol !== undefined) out.protocol = n.protocol;
  return out;
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
    rules: [...t.rules.values()].filter((r) => !kernelRule(r)).map(ruleDesired),
  };
}

export { AF_INET, AF_INET6 };
