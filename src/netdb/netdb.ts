// NetDB: a live, exact, typed view of one or more network namespaces, with declarative,
// planned, batched, verified and reversible changes.
import { EventEmitter } from 'node:events';
import { NetlinkTimeoutError } from '../core/index.js';
import { TABLES, type AnyRecord, type RecordOf, type TableName } from './records.js';
import { Source, type Change, type SourceOptions } from './source.js';
import { matches } from './table.js';
import { recordForm } from './vocab.js';
import { Watch } from './watch.js';
import { snapshotOf, type Desired } from './desired.js';
import { Transactions, type ApplyOptions, type ApplyResult, type Tx } from './apply.js';

export interface NetDBOptions extends SourceOptions {
  /** Name of the first source (default 'main'). */
  source?: string;
  /** Route protocol and address protocol (IFA_PROTO) marking what NetDB creates (default 78). */
  proto?: number;
}

/** What watch() and waitFor() select: tables, sources, and record fields or a predicate. */
export interface WatchFilter {
  table?: TableName | readonly TableName[];
  source?: string;
  /** Record fields that old or new must equal. */
  match?: Readonly<Record<string, unknown>>;
  /** Watch queue bound (default 65536). */
  limit?: number;
}

/** Owner mark of NetDB's routes and addresses: 78, 'N', not among the assigned protocols. */
export const NETDB_PROTO = 78;

/**
 * The view:
 *
 *     await using db = await NetDB.open({ netns: 'blue' });
 *     db.get('links', 'eth0'); db.filter('routes', { table: 'main', dev: 3 });
 *     for await (const c of db.watch({ table: 'addresses' })) console.log(c.type, c.old, c.new);
 */
export class NetDB extends EventEmitter {
  private readonly sources = new Map<string, Source>();
  private readonly watches = new Set<Watch>();
  readonly main: string;
  readonly proto: number;
  private readonly tx: Transactions;

  private constructor(opts: NetDBOptions) {
    super();
    this.main = opts.source ?? 'main';
    this.proto = opts.proto ?? NETDB_PROTO;
    this.tx = new Transactions(this);
  }

  /** Open a view of the current namespace (or opts.netns) and load it. */
  static async open(opts: NetDBOptions = {}): Promise<NetDB> {
    const db = new NetDB(opts);
    try {
      await db.attach(db.main, opts);
    } catch (e) {
      db.close();
      throw e;
    }
    return db;
  }

  /** Add a source (a namespace name, path or fd) and load it. */
  async attach(name: string, opts: SourceOptions = {}): Promise<Source> {
    if (typeof name !== 'string' || !name) throw new TypeError('attach: a source needs a non-empty name');
    if (this.sources.has(name)) throw new TypeError(`attach: source ${JSON.stringify(name)} exists`);
    const s = new Source(
      name,
      opts,
      (c) => this.changed(c),
      () => this.watches.size > 0 || this.listenerCount('change') > 0,
      (src, changes) => this.emit('resync', { source: src, changes }),
    );
    this.sources.set(name, s);
    try {
      await s.start();
    } catch (e) {
      this.sources.delete(name);
      s.close();
      throw e;
    }
    return s;
  }

  /** Remove a source from the view. */
  detach(name: string): void {
    this.sources.get(name)?.close();
    this.sources.delete(name);
  }

  /** A source by name (default: the first). */
  source(name: string = this.main): Source {
    const s = this.sources.get(name);
    if (!s) throw new TypeError(`no source ${JSON.stringify(name)} (have: ${[...this.sources.keys()].join(', ')})`);
    return s;
  }

  /** Names of the sources. */
  get sourceNames(): string[] {
    return [...this.sources.keys()];
  }

  private changed(c: Change): void {
    for (const w of this.watches) w.push(c);
    if (this.listenerCount('change')) this.emit('change', c);
  }

  // ---- queries --------------------------------------------------------------------------

  /**
   * One record by key: links by index or name, other tables by their key string or by a
   * partial record (`get('routes', { dst: '10.0.0.0/24', table: 254 })`). Routes are kept as
   * message bytes and made into a record on each read: compare them by value, not identity.
   */
  get<T extends TableName>(
    table: T,
    key: string | number | Partial<RecordOf[T]>,
    source: string = this.main,
  ): RecordOf[T] | undefined {
    checkTable(table);
    const t = this.source(source).tables[table] as unknown as {
      get(k: string | number): RecordOf[T] | undefined;
      filter(q: object): RecordOf[T][];
    };
    if (typeof key === 'object') return t.filter(recordForm(table, key as Record<string, unknown>))[0];
    if (table === 'links' && typeof key === 'string') return t.filter({ ifname: key })[0];
    return t.get(key);
  }

  /**
   * Records whose fields equal the query's, from one source or all: indexed by ifindex
   * (`index`, `ifindex`, `dev` for any next hop), name, routing table and prefix (`dst`).
   */
  filter<T extends TableName>(table: T, query: Readonly<Record<string, unknown>> = {}, source?: string): RecordOf[T][] {
    checkTable(table);
    const out: RecordOf[T][] = [];
    const q = recordForm(table, query);
    for (const s of source === undefined ? this.sources.values() : [this.source(source)]) {
      out.push(...(s.tables[table] as unknown as { filter(q: object): RecordOf[T][] }).filter(q));
    }
    return out;
  }

  /** Changes as `{ type, table, source, key, old, new }`, until `close()` or `break`. */
  watch(filter: WatchFilter = {}): Watch {
    const match = changeMatcher(filter);
    const w = new Watch(match, filter.limit ?? 65536, (x) => this.watches.delete(x));
    this.watches.add(w);
    return w;
  }

  /**
   * The first record (now, or when it appears) satisfying the predicate; NetlinkTimeoutError
   * after `timeout` ms (default 5000).
   */
  async waitFor<T extends TableName>(
    table: T,
    pred: ((r: RecordOf[T]) => boolean) | Readonly<Record<string, unknown>>,
    opts: { timeout?: number; source?: string } = {},
  ): Promise<RecordOf[T]> {
    checkTable(table);
    const q = typeof pred === 'function' ? undefined : recordForm(table, pred);
    const test = q === undefined ? (pred as (r: RecordOf[T]) => boolean) : (r: RecordOf[T]) => matches(r, q);
    const now = this.filter(table, q ?? {}, opts.source).find(test);
    if (now) return now;
    const timeout = opts.timeout ?? 5000;
    const w = this.watch({ table, source: opts.source });
    let timer: NodeJS.Timeout | undefined;
    try {
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new NetlinkTimeoutError(`waitFor ${table}`, timeout)), timeout);
      });
      const search = async (): Promise<RecordOf[T]> => {
        for await (const c of w) if (c.new && test(c.new as RecordOf[T])) return c.new as RecordOf[T];
        throw new Error('waitFor: the view was closed');
      };
      return await Promise.race([search(), expired]);
    } finally {
      if (timer) clearTimeout(timer);
      w.close();
    }
  }

  /**
   * Resolves when every change the kernel made before the call is in the view. Work the kernel
   * defers past the request that caused it is not yet made at that moment: a carrier change is
   * published by a worker (up to a second later, with the routes' linkdown marks), and IPv6 adds
   * a link-local address and ends duplicate address detection later still. A dump can show such
   * a change before its event; the view follows once the event comes. So a quiet point, where the
   * view equals a fresh dump, is after that work too: wait for it with `waitFor`, or compare again
   * after a short while.
   */
  async sync(source?: string): Promise<void> {
    await Promise.all((source === undefined ? [...this.sources.values()] : [this.source(source)]).map((s) => s.sync()));
  }

  // ---- snapshots and changes ----------------------------------------------------------------

  /** The state of a source in the desired-state format: what `apply()` and `restore()` take. */
  snapshot(source: string = this.main): Desired {
    return snapshotOf(this.source(source));
  }

  /** Make a source equal to a snapshot: what it lacks is added, what it has beyond is removed. */
  restore(snapshot: Desired, opts: ApplyOptions = {}): Promise<ApplyResult> {
    return this.tx.apply(snapshot, { ...opts, prune: true });
  }

  /**
   * Make the state match a partial desired state (only what is mentioned is managed;
   * `state: 'absent'` removes): planned, sent as pipelined batches, verified against the
   * events, and rolled back on any failure.
   */
  apply(desired: Desired, opts: ApplyOptions = {}): Promise<ApplyResult> {
    return this.tx.apply(desired, opts);
  }

  /** The imperative form: `db.transaction(async (tx) => { tx.link({...}); tx.route({...}); })`. */
  transaction(body: (tx: Tx) => void | Promise<void>, opts: ApplyOptions = {}): Promise<ApplyResult> {
    return this.tx.transaction(body, opts);
  }

  /** Finish the rollback a journal file describes (a process that crashed before confirm). */
  recover(journal: string): Promise<ApplyResult | undefined> {
    return this.tx.recover(journal);
  }

  // ---- life cycle -----------------------------------------------------------------------

  close(): void {
    this.tx.close();
    for (const w of [...this.watches]) w.close();
    for (const s of this.sources.values()) s.close();
    this.sources.clear();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
  [Symbol.dispose](): void {
    this.close();
  }
}

function checkTable(table: string): void {
  if (!(TABLES as readonly string[]).includes(table)) {
    throw new TypeError(`unknown table ${JSON.stringify(table)} (${TABLES.join(', ')})`);
  }
}

function changeMatcher(f: WatchFilter): (c: Change) => boolean {
  const tables = f.table === undefined ? undefined : typeof f.table === 'string' ? [f.table] : [...f.table];
  tables?.forEach(checkTable);
  // Enum values of the match in record form, for each table watched.
  const match = new Map<string, Readonly<Record<string, unknown>>>();
  const matchOf = (t: TableName): Readonly<Record<string, unknown>> | undefined => {
    if (!f.match) return undefined;
    let m = match.get(t);
    if (!m) match.set(t, (m = recordForm(t, f.match)));
    return m;
  };
  for (const t of tables ?? TABLES) matchOf(t);
  return (c) => {
    if (tables && !tables.includes(c.table)) return false;
    if (f.source !== undefined && c.source !== f.source) return false;
    const m = matchOf(c.table);
    if (m && !((c.old && matches(c.old as AnyRecord, m)) || (c.new && matches(c.new as AnyRecord, m)))) return false;
    return true;
  };
}

export type { Change };
