// Drift: a managed object changed behind the daemon's back. A change of the view marks the
// configuration entries it touches as suspect, at once; a correction round then plans only
// those entries against the view, and puts back (or reports) the ones that really differ,
// in one transaction. What the kernel removed along with a link (its routes, addresses and
// neighbours) is restored with that link and reported as part of its drift, not on its own.
import type { NetDB, Change } from '../netdb/index.js';
import type { Desired, DesiredRoute } from '../netdb/desired.js';
import { makePlan, routeTarget } from '../netdb/plan.js';
import { DEFAULT_DST, MAIN_TABLE, routeDevs, type TableName } from '../netdb/records.js';
import { enumValue } from '../netdb/vocab.js';
import { canonicalIP } from '../rtnl/spec.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import { LIST_KEYS, type Config, type ListKey, type NamespaceConfig } from './schema.js';

export type DriftPolicy = 'correct' | 'report';

export interface DriftEvent {
  netns: string;
  object: string;
  key: string;
  what: string;
  action: 'corrected' | 'reported' | 'failed';
}

export interface DriftOptions {
  db: () => NetDB;
  /** The configuration now in force, and the name of the daemon's own namespace in it. */
  config: () => Config;
  main: string;
  log: Logger;
  metrics?: Metrics;
  /** Runs a correction between the daemon's other changes. */
  serial: <T>(fn: () => Promise<T>) => Promise<T>;
  /** True while the daemon applies its configuration: that puts everything in place itself. */
  busy: () => boolean;
  emit: (d: DriftEvent) => void;
  /** Counted once per corrected object (its dependents are not counted). */
  corrected: () => void;
  /** Repeated drift of one object: first delay and cap, in ms (doubling in between). */
  backoffMs?: number;
  backoffMaxMs?: number;
}

/** A configuration entry. */
interface Entry {
  uid: string;
  source: string;
  list: ListKey;
  entry: Record<string, unknown>;
  policy: DriftPolicy;
}

interface Suspect {
  e: Entry;
  type: Change['type'];
  /** The link entry whose drift took this object with it. */
  cause?: string;
  /** Its backoff has run out: corrected now. */
  due?: boolean;
  /** When the change that made it suspect arrived (performance.now()). */
  at: number;
}

interface Backoff {
  delay: number;
  last: number;
  timer?: NodeJS.Timeout;
}

const DEFAULT_BACKOFF_MS = 1000;
const DEFAULT_BACKOFF_MAX_MS = 30_000;
const SINGULAR: Record<ListKey, string> = {
  links: 'link',
  addresses: 'address',
  routes: 'route',
  rules: 'rule',
  neighbours: 'neighbour',
};

export class DriftWatch {
  private indexed: Config | undefined;
  /** Entries by source, then by the identity a record of the view has (see recordKeys). */
  private index = new Map<string, Map<string, Entry[]>>();
  private suspects = new Map<string, Suspect>();
  /** Links that drifted in this round, by source|ifindex: their dependents are theirs. */
  private readonly roundLinks = new Map<string, string>();
  /** Names of links removed in this round: their addresses are removed after them. */
  private readonly goneNames = new Map<string, string>();
  private readonly reported = new Set<string>();
  /** Objects a reported (not corrected) link took along: looked at again when it is back. */
  private readonly waiting = new Map<string, Suspect[]>();
  private readonly backoff = new Map<string, Backoff>();
  private scheduled = false;
  private running = false;
  private stopped = false;
  private readonly onChange = (c: Change): void => this.changed(c);

  constructor(private readonly o: DriftOptions) {}

  start(): void {
    this.o.db().on('change', this.onChange);
  }

  stop(): void {
    this.stopped = true;
    this.o.db().off('change', this.onChange);
    for (const b of this.backoff.values()) clearTimeout(b.timer);
  }

  /** Called for every change of the view, as it happens. */
  private changed(c: Change): void {
    if (this.o.busy()) return;
    const byKey = this.entries().get(c.source);
    if (!byKey) return;
    const rec = fields(c.old ?? c.new);
    if (c.table === 'links' && c.type === 'removed') this.goneNames.set(`${c.source}|${rec.index}`, String(rec.ifname));
    let hit = false;
    for (const r of [c.old, c.new]) {
      if (!r) continue;
      for (const k of this.recordKeys(c.source, c.table, fields(r)))
        for (const e of byKey.get(k) ?? []) hit = this.suspect(e, c) || hit;
    }
    if (hit) this.schedule();
  }

  private suspect(e: Entry, c: Change): boolean {
    if (this.backoff.get(e.uid)?.timer) return false;
    const prev = this.suspects.get(e.uid);
    const s: Suspect = prev ?? { e, type: c.type, cause: this.causeOf(c), at: performance.now() };
    this.suspects.set(e.uid, s);
    if (e.list === 'links') {
      const index = ((c.old ?? c.new) as { index?: number }).index;
      if (index !== undefined) this.roundLinks.set(`${c.source}|${index}`, e.uid);
    }
    return true;
  }

  /** The drifted link that took a removed route, address or neighbour with it. */
  private causeOf(c: Change): string | undefined {
    if (c.type !== 'removed' || !c.old) return undefined;
    const r = fields(c.old);
    const devs =
      c.table === 'routes'
        ? routeDevs(c.old as Parameters<typeof routeDevs>[0])
        : [(r.index ?? r.ifindex) as number | undefined];
    for (const d of devs) {
      const link = this.roundLinks.get(`${c.source}|${d}`);
      if (link) return link;
    }
    return undefined;
  }

  /** A round runs as soon as the current event batch is read: no delay on a first drift. */
  private schedule(): void {
    if (this.scheduled || this.running || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.o
        .serial(() => this.round())
        .catch((e) => this.o.log('err', `drift correction: ${(e as Error).message}`));
    });
  }

  private async round(): Promise<void> {
    this.running = true;
    try {
      while (this.suspects.size && !this.stopped) {
        const source = this.suspects.values().next().value!.e.source;
        // The kernel's silent changes that came with these (a link's routes) join this batch.
        await this.o.db().sync(source);
        const batch = [...this.suspects.values()].filter((s) => s.e.source === source);
        for (const s of batch) this.suspects.delete(s.e.uid);
        if (!this.o.busy()) await this.settle(source, batch);
      }
    } finally {
      this.running = false;
      this.roundLinks.clear();
      this.goneNames.clear();
      // Changes that came while the last batch was applied.
      if (this.suspects.size) this.schedule();
    }
  }

  /** Puts back what differs among the suspects of one source (or reports it). */
  private async settle(source: string, batch: Suspect[]): Promise<void> {
    const db = this.o.db();
    const s = db.source(source);
    const drifted: Suspect[] = [];
    for (const x of batch) {
      try {
        if (makePlan(s, desiredOf([x.e]), { proto: db.proto }).steps.length) {
          drifted.push(x);
          continue;
        }
      } catch (e) {
        this.o.log('err', `drift in ${source}: ${describe(x)}: cannot plan it back: ${(e as Error).message}`);
        continue;
      }
      // In place again: what waited for it (it was only reported) is looked at anew.
      if (this.reported.delete(x.e.uid))
        for (const w of this.waiting.get(x.e.uid)?.splice(0) ?? []) this.suspects.set(w.e.uid, w);
    }
    const byUid = new Map(drifted.map((x) => [x.e.uid, x]));
    const fix: Suspect[] = [];
    const roots: Suspect[] = [];
    for (const x of drifted) {
      const cause = x.cause === undefined ? undefined : byUid.get(x.cause);
      if (cause) continue;
      roots.push(x);
      x.cause = undefined;
      if (x.e.policy === 'report') this.report(x);
      else if (x.due || !this.defer(x)) fix.push(x);
    }
    // Dependents follow the link that took them: put back with it, or left as they are.
    for (const x of drifted) {
      if (x.cause === undefined) continue;
      const cause = byUid.get(x.cause)!;
      if (fix.includes(cause)) fix.push(x);
      else this.waiting.set(cause.e.uid, [...(this.waiting.get(cause.e.uid) ?? []), x]);
    }
    if (!fix.length) return;
    const t0 = performance.now();
    const r = await db.apply(desiredOf(fix.map((x) => x.e)), { source });
    const action = r.ok ? 'corrected' : 'failed';
    const now = performance.now();
    for (const x of roots) {
      if (!fix.includes(x)) continue;
      const what = describe(x) + dependents(fix.filter((d) => d.cause === x.e.uid));
      const t = r.timings;
      const took =
        `${(now - x.at).toFixed(0)} ms after the event: check ${(t0 - x.at).toFixed(0)} ms, ` +
        `plan ${t.plan.toFixed(0)} ms, send ${t.apply.toFixed(0)} ms, verify ${t.verify.toFixed(0)} ms`;
      this.o.log(
        r.ok ? 'notice' : 'err',
        `drift in ${source}: ${what}: ${action}${r.ok ? '' : ` (${r.failed?.error.message})`} (${took})`,
      );
      if (r.ok) this.o.corrected();
      this.o.metrics?.drift.inc({ outcome: action });
      this.o.emit({ netns: source, object: x.e.list, key: describeEntry(x.e.list, x.e.entry), what, action });
    }
    // Only what drifted by itself backs off: what a link took along follows the link.
    for (const x of roots) {
      if (!fix.includes(x)) continue;
      const b = this.backoff.get(x.e.uid) ?? { delay: 0, last: now };
      b.last = now;
      this.backoff.set(x.e.uid, b);
      // A correction that failed is tried again after the backoff.
      if (!r.ok)
        this.retryLater(
          x,
          b,
          fix.filter((d) => d.cause === x.e.uid),
        );
    }
  }

  private report(x: Suspect): void {
    if (this.reported.has(x.e.uid)) return;
    this.reported.add(x.e.uid);
    const what = describe(x);
    this.o.log('warning', `drift in ${x.e.source}: ${what} (policy: report)`);
    this.o.emit({
      netns: x.e.source,
      object: x.e.list,
      key: describeEntry(x.e.list, x.e.entry),
      what,
      action: 'reported',
    });
    this.o.metrics?.drift.inc({ outcome: 'reported' });
  }

  /**
   * Whether an object drifting again soon after it was put back waits first: another hand
   * fighting the daemon gets slower answers, doubling up to the cap, until it stops.
   */
  private defer(x: Suspect): boolean {
    const b = this.backoff.get(x.e.uid);
    if (!b) return false;
    const base = this.o.backoffMs ?? DEFAULT_BACKOFF_MS;
    const since = performance.now() - b.last;
    if (since >= Math.max(base, b.delay * 2)) {
      this.backoff.delete(x.e.uid);
      return false;
    }
    b.delay = Math.min(Math.max(base, b.delay * 2), this.o.backoffMaxMs ?? DEFAULT_BACKOFF_MAX_MS);
    const wait = b.delay - since;
    if (wait <= 0) return false;
    this.o.log('info', `drift in ${x.e.source}: ${describe(x)} again: correcting in ${wait.toFixed(0)} ms`);
    this.later(x, b, wait);
    return true;
  }

  private retryLater(x: Suspect, b: Backoff, deps: Suspect[]): void {
    const base = this.o.backoffMs ?? DEFAULT_BACKOFF_MS;
    b.delay = Math.min(Math.max(base, b.delay * 2), this.o.backoffMaxMs ?? DEFAULT_BACKOFF_MAX_MS);
    this.later(x, b, b.delay, deps);
  }

  private later(x: Suspect, b: Backoff, ms: number, deps: Suspect[] = []): void {
    clearTimeout(b.timer);
    b.timer = setTimeout(() => {
      b.timer = undefined;
      if (this.stopped) return;
      this.suspects.set(x.e.uid, { e: x.e, type: x.type, due: true, at: performance.now() });
      for (const d of deps) this.suspects.set(d.e.uid, { ...d, cause: x.e.uid, at: performance.now() });
      this.schedule();
    }, ms);
    b.timer.unref();
  }

  // ---- the configuration's entries, by the identity records have -------------------------------

  private entries(): Map<string, Map<string, Entry[]>> {
    const cfg = this.o.config();
    if (this.indexed === cfg) return this.index;
    this.indexed = cfg;
    this.index = new Map();
    this.add(this.o.main, cfg, cfg);
    for (const [name, ns] of Object.entries(cfg.namespaces ?? {})) this.add(name, ns, cfg);
    // Objects the old configuration named are no longer the daemon's to correct.
    for (const b of this.backoff.values()) clearTimeout(b.timer);
    this.backoff.clear();
    this.reported.clear();
    this.waiting.clear();
    this.suspects.clear();
    return this.index;
  }

  private add(source: string, part: Config | NamespaceConfig, cfg: Config): void {
    const byKey = new Map<string, Entry[]>();
    for (const list of LIST_KEYS) {
      for (const entry of ((part as Record<string, unknown>)[list] as Record<string, unknown>[] | undefined) ?? []) {
        const key = entryKey(list, entry);
        if (key === undefined) continue;
        const policy = (entry.drift as DriftPolicy | undefined) ?? cfg.policy?.drift ?? 'correct';
        const e: Entry = { uid: `${source}|${list}|${JSON.stringify(entry)}`, source, list, entry, policy };
        const at = byKey.get(key);
        if (at) at.push(e);
        else byKey.set(key, [e]);
      }
    }
    this.index.set(source, byKey);
  }

  /** The identities a record of the view matches: by interface name and by index. */
  private recordKeys(source: string, table: TableName, r: Record<string, unknown>): string[] {
    const names = (ref: unknown): string[] => {
      if (typeof ref !== 'number') return ref === undefined ? [] : [String(ref)];
      const name =
        (this.o.db().get('links', ref, source) as { ifname?: string } | undefined)?.ifname ??
        this.goneNames.get(`${source}|${ref}`);
      return name === undefined ? [`#${ref}`] : [`#${ref}`, name];
    };
    switch (table) {
      case 'links':
        return [`links|${r.ifname}`];
      case 'addresses':
        return names(r.index ?? r.ifname).map((n) => `addresses|${canonical(r.address)}|${n}`);
      case 'routes':
        return [`routes|${r.dst ?? DEFAULT_DST}|${r.table}`];
      case 'rules':
        return [`rules|${r.priority}`];
      case 'neighbours':
        return names(r.ifindex ?? r.ifname).map((n) => `neighbours|${canonical(r.dst)}|${n}`);
    }
    return [];
  }
}

/** The identity of a configuration entry, as recordKeys spells it for the record it describes. */
function entryKey(list: ListKey, e: Record<string, unknown>): string | undefined {
  const ifname = (ref: unknown): string => (typeof ref === 'number' ? `#${ref}` : String(ref));
  switch (list) {
    case 'links':
      return `links|${e.ifname}`;
    case 'addresses':
      return `addresses|${canonical(String(e.address).split('/')[0])}|${ifname(e.ifname ?? e.index)}`;
    case 'routes':
      try {
        const dst = routeTarget(e as DesiredRoute).dst;
        return `routes|${dst}|${enumValue('routes', 'table', (e.table as string | number | undefined) ?? MAIN_TABLE)}`;
      } catch {
        return undefined;
      }
    case 'rules':
      return `rules|${e.priority}`;
    case 'neighbours':
      return `neighbours|${canonical(e.dst)}|${ifname(e.ifname)}`;
  }
}

/** A record's fields, read by name. */
const fields = (r: unknown): Record<string, unknown> => r as Record<string, unknown>;

function canonical(a: unknown): string {
  return typeof a === 'string' ? canonicalIP(a) : String(a);
}

/** The NetDB desired state of some entries (without the daemon's own keys). */
export function desiredOf(entries: readonly { list: ListKey; entry: Record<string, unknown> }[]): Desired {
  const out: Record<string, unknown[]> = {};
  for (const { list, entry } of entries) {
    const { drift: _drift, ...rest } = entry;
    (out[list] ??= []).push(rest);
  }
  return out as Desired;
}

function describe(x: Suspect): string {
  return `${x.type} ${SINGULAR[x.e.list]} ${describeEntry(x.e.list, x.e.entry)}`;
}

/** ' (with 100 routes and 2 addresses it took along)' */
function dependents(deps: readonly Suspect[]): string {
  if (!deps.length) return '';
  const n = new Map<ListKey, number>();
  for (const d of deps) n.set(d.e.list, (n.get(d.e.list) ?? 0) + 1);
  const parts = [...n].map(([list, k]) => `${k} ${k === 1 ? SINGULAR[list] : list}`);
  return ` (with ${parts.join(' and ')} it took along)`;
}

export function describeEntry(list: ListKey, e: Record<string, unknown>): string {
  switch (list) {
    case 'links':
      return String(e.ifname);
    case 'addresses':
      return `${e.address} dev ${e.ifname}`;
    case 'routes':
      return `${e.dst}${e.table ? ` table ${e.table}` : ''}`;
    case 'rules':
      return `priority ${e.priority}`;
    case 'neighbours':
      return `${e.dst} dev ${e.ifname}`;
  }
}
