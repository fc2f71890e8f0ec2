// Steps that bring the objects of a scope back to recorded records: the rollback of a
// transaction (or the recovery of one from its journal). Kernel-made objects (prefix and
// local routes, IPv6 link-local addresses) are left to the kernel in the first pass and
// only made by hand if they have not come back by the next.
import type { LinkSpec } from '../rtnl/link.js';
import type { RouteSpec } from '../rtnl/route.js';
import { enumNames } from '../core/index.js';
import { IFA_F } from '../rtnl/constants.js';
import {
  DEFAULT_DST,
  addrKey,
  neighKey,
  routeKey,
  ruleKey,
  type AddrRecord,
  type LinkRecord,
  type NeighRecord,
  type RouteRecord,
  type RuleRecord,
} from './records.js';
import { kernelRoute } from './desired.js';
import { keysOf, type ScopeState } from './scope.js';
import { routeDelSpec, type Step, type StepRequest } from './plan.js';
import { sameRecord } from './tables.js';
import { hasLowerLink, recordKindOptions } from './kindopts.js';

// Specs are built key by key here; IPRoute's strict checks validate them whole.
type SpecBuilder = Record<string, any>;

const kernelAddr = (a: AddrRecord): boolean => a.family === 'inet6' && a.address.startsWith('fe80:');

let ids = 0;
function step(table: Step['table'], what: string, request: StepRequest): Step {
  return { id: ++ids, table, what, request, after: [], verify: () => undefined };
}

export function routeSpec(r: RouteRecord): RouteSpec {
  const spec: RouteSpec = {
    family: r.family,
    dst: r.dst ?? DEFAULT_DST,
    table: r.table,
    priority: r.priority ?? 0,
    tos: r.tos,
    type: r.type,
    proto: r.proto,
    scope: r.scope,
  };
  if (r.src) spec.src = r.src;
  if (r.oif !== undefined) spec.oif = r.oif;
  if (r.gateway) spec.gateway = r.gateway;
  if (r.prefsrc) spec.prefsrc = r.prefsrc;
  if (r.multipath) spec.multipath = r.multipath.map((nh) => ({ oif: nh.oif, gateway: nh.gateway, weight: nh.weight }));
  if (r.metrics) spec.metrics = r.metrics as RouteSpec['metrics'];
  return spec;
}

const routeDel = routeDelSpec;

// Address flags a user sets; the rest (tentative, secondary, permanent...) are the kernel's.
const addrFlagNames = enumNames(IFA_F);
const SETTABLE = new Set(
  [IFA_F.IFA_F_NODAD, IFA_F.IFA_F_MANAGETEMPADDR, IFA_F.IFA_F_NOPREFIXROUTE, IFA_F.IFA_F_MCAUTOJOIN].map(
    (f) => addrFlagNames.short(f) as string,
  ),
);

function addrSpec(a: AddrRecord): Record<string, unknown> {
  const spec: Record<string, unknown> = {
    index: a.index,
    address: a.address,
    prefixlen: a.prefixlen,
    family: a.family,
    scope: a.scope,
  };
  if (a.peer !== undefined) spec.peer = a.peer;
  if (a.broadcast) spec.broadcast = a.broadcast;
  if (a.label) spec.label = a.label;
  const settable = a.flags?.filter((f) => SETTABLE.has(f));
  if (settable?.length) spec.flags = settable;
  if (a.proto !== undefined) spec.proto = a.proto;
  return spec;
}

function linkAdd(l: LinkRecord, peer: LinkRecord | undefined): LinkSpec | undefined {
  if (!l.kind) return undefined;
  const spec: SpecBuilder = { ifname: l.ifname, index: l.index, kind: l.kind };
  if (l.mtu !== undefined) spec.mtu = l.mtu;
  if (l.address && l.kind !== 'bridge') spec.address = l.address;
  if (l.txqlen !== undefined) spec.txqlen = l.txqlen;
  if (hasLowerLink(l)) spec.link = l.link;
  for (const [k, v] of recordKindOptions(l)) spec[k] = v;
  if (peer) {
    const p: SpecBuilder = { ifname: peer.ifname, index: peer.index };
    if (peer.mtu !== undefined) p.mtu = peer.mtu;
    if (peer.address) p.address = peer.address;
    if (peer.txqlen !== undefined) p.txqlen = peer.txqlen;
    spec.peer = p;
  }
  return spec;
}

/** The settable differences of a link, as a 'set' spec (undefined: none). */
function linkSet(want: LinkRecord, cur: LinkRecord | undefined, recreated: boolean): LinkSpec | undefined {
  const spec: SpecBuilder = { index: want.index };
  let n = 0;
  if (cur && cur.ifname !== want.ifname) {
    spec.ifname = want.ifname;
    n++;
  }
  if (cur && want.mtu !== undefined && cur.mtu !== want.mtu) {
    spec.mtu = want.mtu;
    n++;
  }
  if (cur && want.txqlen !== undefined && cur.txqlen !== want.txqlen) {
    spec.txqlen = want.txqlen;
    n++;
  }
  const addressSettable = want.address && (cur ? cur.address !== want.address : recreated && want.kind === 'bridge');
  if (addressSettable) {
    spec.address = want.address;
    n++;
  }
  if ((cur?.master ?? 0) !== (want.master ?? 0)) {
    spec.master = want.master ?? 0;
    n++;
  }
  return n ? spec : undefined;
}

/**
 * Steps turning `cur` into `pre` (both the records of one scope). `final` also makes and
 * removes the kernel's own objects (the pass after the kernel has had its chance).
 */
export function restoreSteps(pre: ScopeState, cur: ScopeState, final: boolean): Step[] {
  const P = keysOf(pre),
    C = keysOf(cur);
  const out: Step[] = [];
  // 1. What was not there before goes, most dependent first.
  for (const [k, r] of C.routes) {
    const rr = r as RouteRecord;
    // The kernel's own objects that appeared meanwhile (a link-local address finishing its
    // detection) are left to it: they go with the address or link that made them.
    if (!P.routes.has(k) && !kernelRoute(rr))
      out.push(step('routes', `route del ${rr.dst ?? DEFAULT_DST}`, { kind: 'route', cmd: 'del', spec: routeDel(rr) }));
  }
  for (const [k, a] of C.addresses) {
    const aa = a as AddrRecord;
    if (!P.addresses.has(k) && !kernelAddr(aa)) {
      out.push(
        step('addresses', `addr del ${aa.address}/${aa.prefixlen}`, {
          kind: 'addr',
          cmd: 'del',
          spec: addrSpec(aa),
        }),
      );
    }
  }
  for (const [k, n] of C.neighbours) {
    const nn = n as NeighRecord;
    if (!P.neighbours.has(k))
      out.push(
        step('neighbours', `neigh del ${nn.dst}`, {
          kind: 'neigh',
          cmd: 'del',
          spec: { ifindex: nn.ifindex, dst: nn.dst },
        }),
      );
  }
  for (const [k, l] of C.links) {
    const ll = l as LinkRecord;
    if (!P.links.has(k))
      out.push(step('links', `link del ${ll.ifname}`, { kind: 'link', cmd: 'del', spec: { index: ll.index } }));
  }
  for (const [k, r] of C.rules) {
    if (!P.rules.has(k))
      out.push(step('rules', 'rule del', { kind: 'rule', cmd: 'del', spec: ruleSpec(r as RuleRecord) }));
  }
  // 2. Links that went come back (a veth pair together), then settings, then states.
  const recreated = new Set<number>();
  for (const [k, l] of P.links) {
    const ll = l as LinkRecord;
    if (C.links.has(k) || recreated.has(ll.index)) continue;
    const peerRec =
      ll.kind === 'veth' && ll.link && ll.linkNetnsid === undefined
        ? (P.links.get(ll.link) as LinkRecord | undefined)
        : undefined;
    const peer = peerRec && !C.links.has(peerRec.index) ? peerRec : undefined;
    const spec = linkAdd(ll, peer);
    if (!spec) throw new Error(`cannot recreate link ${ll.ifname}: it has no kind`);
    out.push(step('links', `link add ${ll.ifname} (${ll.kind})`, { kind: 'link', cmd: 'add', spec }));
    recreated.add(ll.index);
    if (peer) recreated.add(peer.index);
  }
  const states: Step[] = [];
  for (const [k, l] of P.links) {
    const ll = l as LinkRecord,
      cl = C.links.get(k) as LinkRecord | undefined;
    const set = linkSet(ll, cl, recreated.has(ll.index));
    if (set) out.push(step('links', `link set ${ll.ifname}`, { kind: 'link', cmd: 'set', spec: set }));
    const upNow = cl?.state === 'up';
    if ((ll.state === 'up') !== upNow) {
      states.push(
        step('links', `link set ${ll.ifname} ${ll.state}`, {
          kind: 'link',
          cmd: 'set',
          spec: { index: ll.index, state: ll.state },
        }),
      );
    }
  }
  out.push(...states);
  // 3. Addresses, routes, neighbours and rules that went come back.
  for (const [k, a] of P.addresses) {
    const aa = a as AddrRecord;
    if (!C.addresses.has(k) && (final || !kernelAddr(aa))) {
      out.push(
        step('addresses', `addr add ${aa.address}/${aa.prefixlen}`, {
          kind: 'addr',
          cmd: 'replace',
          spec: addrSpec(aa),
        }),
      );
    }
  }
  for (const [k, r] of P.routes) {
    const rr = r as RouteRecord;
    const c = C.routes.get(k) as RouteRecord | undefined;
    if (
      c &&
      (c.metrics === rr.metrics || JSON.stringify(c.metrics) === JSON.stringify(rr.metrics)) &&
      c.proto === rr.proto &&
      c.prefsrc === rr.prefsrc
    )
      continue;
    if (!c && !final && kernelRoute(rr)) continue;
    // Never 'replace': the kernel replaces the first route of that prefix and metric, which
    // may be another interface's. Delete the one that differs, then append exactly this one.
    if (c)
      out.push(step('routes', `route del ${c.dst ?? DEFAULT_DST}`, { kind: 'route', cmd: 'del', spec: routeDel(c) }));
    out.push(
      step('routes', `route append ${rr.dst ?? DEFAULT_DST}`, { kind: 'route', cmd: 'append', spec: routeSpec(rr) }),
    );
  }
  for (const [k, n] of P.neighbours) {
    const nn = n as NeighRecord,
      c = C.neighbours.get(k) as NeighRecord | undefined;
    if (c && sameRecord(c, nn)) continue;
    out.push(
      step('neighbours', `neigh replace ${nn.dst}`, {
        kind: 'neigh',
        cmd: 'replace',
        spec: { ifindex: nn.ifindex, dst: nn.dst, lladdr: nn.lladdr, state: nn.state, protocol: nn.protocol },
      }),
    );
  }
  for (const [k, r] of P.rules) {
    if (!C.rules.has(k))
      out.push(step('rules', 'rule add', { kind: 'rule', cmd: 'add', spec: ruleSpec(r as RuleRecord) }));
  }
  return out;
}

/** A rule record as the spec that makes (or deletes) it: records feed back as specs. */
export function ruleSpec(r: RuleRecord): Record<string, unknown> {
  const { source: _source, ...spec } = r;
  return spec;
}

/** Differences left between a scope's records and what they should be (empty: restored). */
export function differences(pre: ScopeState, cur: ScopeState): string[] {
  const P = keysOf(pre),
    C = keysOf(cur),
    out: string[] = [];
  for (const table of ['links', 'addresses', 'routes', 'neighbours', 'rules'] as const) {
    for (const [k, r] of P[table]) {
      const c = C[table].get(k);
      if (!c) out.push(`${table} ${k} missing`);
      else if (table === 'links' && !sameLink(r as LinkRecord, c as LinkRecord)) out.push(`${table} ${k} differs`);
    }
    for (const [k, r] of C[table]) if (!P[table].has(k) && !kernelMade(table, r)) out.push(`${table} ${k} extra`);
  }
  return out;
}

function kernelMade(table: string, r: unknown): boolean {
  return (
    (table === 'routes' && kernelRoute(r as RouteRecord)) || (table === 'addresses' && kernelAddr(r as AddrRecord))
  );
}

function sameLink(a: LinkRecord, b: LinkRecord): boolean {
  return (
    a.ifname === b.ifname &&
    a.mtu === b.mtu &&
    a.state === b.state &&
    (a.master ?? 0) === (b.master ?? 0) &&
    a.kind === b.kind
  );
}

export { addrKey, neighKey, routeKey, ruleKey };
