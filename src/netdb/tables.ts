// The five tables of one source, with their keys and indexes.
import {
  DEFAULT_DST,
  addrKey,
  neighKey,
  routeDevs,
  routeKey,
  ruleKey,
  type AddrRecord,
  type AnyRecord,
  type LinkRecord,
  type NeighRecord,
  type RecordOf,
  type RouteRecord,
  type RuleRecord,
  type TableName,
} from './records.js';
import { Table } from './table.js';

export type Tables = { [T in TableName]: Table<RecordOf[T]> };

/** Empty tables, indexed by interface, name, routing table and prefix. */
export function makeTables(): Tables {
  return {
    links: new Table<LinkRecord>('links', (l) => l.index, [
      { field: 'ifname', values: (l) => l.ifname },
      { field: 'master', values: (l) => l.master },
    ]),
    addresses: new Table<AddrRecord>('addresses', addrKey, [{ field: 'index', values: (a) => a.index }]),
    routes: new Table<RouteRecord>('routes', routeKey, [
      { field: 'table', values: (r) => r.table },
      // A default route has no dst: `filter('routes', { dst: 'default' })` finds it.
      { field: 'dst', values: (r) => r.dst ?? DEFAULT_DST },
      // Any interface the route leaves through, next hops included (no list for one).
      { field: 'dev', values: (r) => (r.multipath ? routeDevs(r) : r.oif), multi: true },
      { field: 'prefsrc', values: (r) => r.prefsrc },
    ]),
    neighbours: new Table<NeighRecord>('neighbours', neighKey, [{ field: 'ifindex', values: (n) => n.ifindex }]),
    rules: new Table<RuleRecord>('rules', ruleKey, [{ field: 'table', values: (r) => r.table }]),
  };
}

/** Whether two records of a table hold the same state. */
export function sameRecord(a: AnyRecord, b: AnyRecord): boolean {
  const x = a as unknown as Record<string, unknown>,
    y = b as unknown as Record<string, unknown>;
  for (const k in x) {
    const u = x[k],
      v = y[k];
    if (u === v) continue;
    if (typeof u !== 'object' || typeof v !== 'object' || u === null || v === null) return false;
    if (JSON.stringify(u) !== JSON.stringify(v)) return false;
  }
  for (const k in y) if (!(k in x) && y[k] !== undefined) return false;
  return true;
}
