// What a transaction may touch, and the records it had before: the state a rollback returns
// to. Besides the objects a plan names, the scope holds what the kernel changes with them
// (the addresses, routes and neighbours of a link it sets down or deletes, the IPv4 routes
// using an address it removes), and nothing else, so foreign objects stay untouched.
import {
  addrKey,
  neighKey,
  routeBaseKey,
  routeDevs,
  routeKey,
  ruleKey,
  type AddrRecord,
  type LinkRecord,
  type NeighRecord,
  type RouteRecord,
  type RuleRecord,
} from './records.js';
import type { Plan } from './plan.js';
import type { Source } from './source.js';

export interface Scope {
  links: number[];
  addrs: string[];
  routes: string[];
  rules: string[];
}

export interface ScopeState {
  links: LinkRecord[];
  addresses: AddrRecord[];
  routes: RouteRecord[];
  neighbours: NeighRecord[];
  rules: RuleRecord[];
}

export function scopeOf(plan: Plan): Scope {
  return { links: [...plan.links], addrs: [...plan.addrs], routes: [...plan.routes], rules: [...plan.rules] };
}

/** The records of a source inside a scope. */
export function stateIn(s: Source, scope: Scope): ScopeState {
  const t = s.tables;
  const links = new Set(scope.links),
    addrs = new Set(scope.addrs),
    routes = new Set(scope.routes),
    rules = new Set(scope.rules);
  const addresses = [...t.addresses.values()].filter((a) => links.has(a.index) || addrs.has(addrKey(a)));
  const locals = new Set(addresses.map((a) => a.address));
  for (const k of addrs) locals.add(k.slice(k.indexOf('|') + 1, k.lastIndexOf('/')));
  const rs: RouteRecord[] = [];
  // Only routes found under the scope's prefixes, interfaces and addresses can be in it: the
  // route table's indexes find them without making a record of every route.
  const near = new Set<number>();
  for (const k of routes) for (const slot of t.routes.slotsOf('dst', k.split('|')[2])) near.add(slot);
  for (const i of links) for (const slot of t.routes.slotsOf('dev', i)) near.add(slot);
  for (const a of locals) for (const slot of t.routes.slotsOf('prefsrc', a)) near.add(slot);
  for (const slot of [...near].sort((x, y) => x - y)) {
    const r = t.routes.record(slot);
    if (
      routes.has(routeBaseKey(r)) ||
      routeDevs(r).some((d) => links.has(d)) ||
      (r.prefsrc !== undefined && locals.has(r.prefsrc))
    )
      rs.push(r);
  }
  return {
    links: [...t.links.values()].filter((l) => links.has(l.index)),
    addresses,
    routes: rs,
    neighbours: [...t.neighbours.values()].filter((n) => links.has(n.ifindex)),
    rules: [...t.rules.values()].filter((r) => rules.has(ruleKey(r))),
  };
}

/** Keys of a scope state, per table, for comparisons. */
export function keysOf(st: ScopeState): Record<keyof ScopeState, Map<string | number, unknown>> {
  return {
    links: new Map(st.links.map((l) => [l.index, l])),
    addresses: new Map(st.addresses.map((a) => [addrKey(a), a])),
    routes: new Map(st.routes.map((r) => [routeKey(r), r])),
    neighbours: new Map(st.neighbours.map((n) => [neighKey(n), n])),
    rules: new Map(st.rules.map((r) => [ruleKey(r), r])),
  };
}
