// The five tables of one source, with their keys and indexes.
import {
  addrKey,
  neighKey,
  ruleKey,
  type AddrRecord,
  type AnyRecord,
  type LinkRecord,
  type NeighRecord,
  type RecordOf,
  type RuleRecord,
  type TableName,
} from './records.js';
import { Table } from './table.js';
import { RouteStore } from './routestore.js';

/** The tables of a source; routes, the bulk of a large one, are kept as message bytes. */
export type Tables = { [T in Exclude<TableName, 'routes'>]: Table<RecordOf[T]> } & { routes: RouteStore };

/**
 * Empty tables, indexed by interface, name, routing table and prefix (routes by 'table', 'dst'
 * ('default' for a default route), 'dev' (any interface a route leaves through) and 'prefsrc').
 */
export function makeTables(source: string): Tables {
  return {
    links: new Table<LinkRecord>('links', (l) => l.index, [
      { field: 'ifname', values: (l) => l.ifname },
      { field: 'master', values: (l) => l.master },
    ]),
    addresses: new Table<AddrRecord>('addresses', addrKey, [{ field: 'index', values: (a) => a.index }]),
    routes: new RouteStore(source),
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
