// One table of the view: records by key, plus indexes so lookups by the common fields
// (interface, name, routing table, prefix) do not scan.

/** Values a record is found under in one index (a route leaves through several interfaces). */
export type IndexFn<R> = (r: R) => unknown;

/** value -> the one record, or a Set when several share it (most prefixes have one route). */
class Index<R> {
  private readonly map = new Map<unknown, R | Set<R>>();
  constructor(
    readonly name: string,
    private readonly values: IndexFn<R>,
    private readonly multi: boolean,
  ) {}

  // No closures or iterators per call: a load inserts every record through here.
  add(r: R): void {
    const v = this.values(r);
    if (v === undefined) return;
    if (this.multi && Array.isArray(v)) for (let i = 0; i < v.length; i++) this.addOne(v[i], r);
    else this.addOne(v, r);
  }

  delete(r: R): void {
    const v = this.values(r);
    if (v === undefined) return;
    if (this.multi && Array.isArray(v)) for (let i = 0; i < v.length; i++) this.deleteOne(v[i], r);
    else this.deleteOne(v, r);
  }

  private addOne(v: unknown, r: R): void {
    const cur = this.map.get(v);
    if (cur === undefined) this.map.set(v, r);
    else if (cur instanceof Set) cur.add(r);
    else if (cur !== r) this.map.set(v, new Set([cur, r]));
  }

  private deleteOne(v: unknown, r: R): void {
    const cur = this.map.get(v);
    if (cur === r) this.map.delete(v);
    else if (cur instanceof Set) {
      cur.delete(r);
      if (cur.size === 1) this.map.set(v, cur.values().next().value as R);
      else if (cur.size === 0) this.map.delete(v);
    }
  }

  /** Whether r is found under v. */
  holds(r: R, v: unknown): boolean {
    const x = this.values(r);
    return this.multi && Array.isArray(x) ? x.includes(v) : x === v;
  }

  count(v: unknown): number {
    const cur = this.map.get(v);
    return cur === undefined ? 0 : cur instanceof Set ? cur.size : 1;
  }

  find(v: unknown): Iterable<R> {
    const cur = this.map.get(v);
    if (cur === undefined) return [];
    return cur instanceof Set ? cur : [cur];
  }

  clear(): void {
    this.map.clear();
  }
}

export interface IndexDecl<R> {
  /** The query field this index answers (`filter({ oif: 3 })` uses the 'oif' index). */
  field: string;
  values: IndexFn<R>;
  /** values() returns a list: the record is found under each. */
  multi?: boolean;
}

export class Table<R extends object> {
  private readonly rows = new Map<string | number, R>();
  private readonly indexes = new Map<string, Index<R>>();
  private readonly list: Index<R>[] = [];

  constructor(
    readonly name: string,
    readonly keyOf: (r: R) => string | number,
    indexes: readonly IndexDecl<R>[] = [],
  ) {
    for (const d of indexes) {
      const ix = new Index(d.field, d.values, d.multi ?? false);
      this.indexes.set(d.field, ix);
      this.list.push(ix);
    }
  }

  get size(): number {
    return this.rows.size;
  }

  get(key: string | number): R | undefined {
    return this.rows.get(key);
  }

  values(): IterableIterator<R> {
    return this.rows.values();
  }

  entries(): IterableIterator<[string | number, R]> {
    return this.rows.entries();
  }

  /** Insert or replace; returns the record it replaced. */
  put(r: R): R | undefined {
    return this.putKeyed(this.keyOf(r), r);
  }

  /** put() with the key already computed. */
  putKeyed(key: string | number, r: R): R | undefined {
    const old = this.rows.get(key);
    const list = this.list;
    if (old) for (let i = 0; i < list.length; i++) list[i].delete(old);
    this.rows.set(key, r);
    for (let i = 0; i < list.length; i++) list[i].add(r);
    return old;
  }

  /** Remove by key; returns the record removed. */
  delete(key: string | number): R | undefined {
    const old = this.rows.get(key);
    if (!old) return undefined;
    this.rows.delete(key);
    for (const ix of this.list) ix.delete(old);
    return old;
  }

  clear(): void {
    this.rows.clear();
    for (const ix of this.indexes.values()) ix.clear();
  }

  /** Whether `field` has an index. */
  indexed(field: string): boolean {
    return this.indexes.has(field);
  }

  /** Records under an indexed value. */
  lookup(field: string, value: unknown): Iterable<R> {
    const ix = this.indexes.get(field);
    if (!ix) throw new TypeError(`${this.name} has no index on ${field}`);
    return ix.find(value);
  }

  /**
   * Records whose fields equal every field of the query; an indexed field (the one with the
   * fewest matches) narrows the candidates first.
   */
  filter(query: Readonly<Record<string, unknown>>): R[] {
    let best: Index<R> | undefined,
      bestValue: unknown,
      bestCount = Infinity;
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined) continue;
      const ix = this.indexes.get(k);
      if (!ix) continue;
      const n = ix.count(v);
      if (n < bestCount) {
        best = ix;
        bestValue = v;
        bestCount = n;
      }
    }
    const from = best ? best.find(bestValue) : this.rows.values();
    // Fields that are an index but no record field ('dev': any next hop's interface).
    const virtual = Object.keys(query).filter((k) => query[k] !== undefined && this.indexes.has(k));
    const out: R[] = [];
    for (const r of from) {
      if (!matches(r, query)) continue;
      if (virtual.every((k) => k in r || this.indexes.get(k)!.holds(r, query[k]))) out.push(r);
    }
    return out;
  }
}

/** Whether a record's fields equal the query's (an index-only field such as 'dev' is skipped). */
export function matches(r: object, query: Readonly<Record<string, unknown>>): boolean {
  const rec = r as Record<string, unknown>;
  for (const k in query) {
    const want = query[k];
    if (want === undefined || !(k in rec)) continue;
    if (!sameValue(rec[k], want)) return false;
  }
  return true;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
