// nlrouted's engine: keeps the namespaces its configuration names in the desired state with
// NetDB transactions, reloads on demand, corrects (or reports) drift, and runs try/confirm
// with a journal so a pending rollback survives a crash of the daemon or of its client.
import { existsSync, mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { NetDB, type ApplyResult } from '../netdb/index.js';
import type { Desired } from '../netdb/desired.js';
import { ConfigError, readConfigDir } from './config-files.js';
import { DriftWatch, type DriftEvent } from './drift.js';
import type { Logger } from './log.js';
import type { NetnsCreator } from './namespaces.js';
import type { Metrics } from './metrics.js';
import { LIST_KEYS } from './lists.js';
import type { Config, NamespaceConfig } from './schema.js';

export type { DriftEvent };

/** The source name of the daemon's own namespace (top-level objects of the configuration). */
export const MAIN = 'main';

export type DaemonState = 'starting' | 'ready' | 'applying' | 'pending_confirm' | 'reloading' | 'failed';

export interface DaemonOptions {
  configDir: string;
  /** Where try/confirm journals live (default /run/nlroute). */
  runtimeDir: string;
  /** The namespace top-level objects go to (default: the daemon's own). */
  netns?: string;
  log: Logger;
  metrics?: Metrics;
  /** Repeated drift of one object: its first delay and the cap, in ms (doubling in between). */
  driftBackoffMs?: number;
  driftBackoffMaxMs?: number;
  /** How namespaces with `create` are made (see NetnsCreator; default 'self'). */
  netnsCreator?: NetnsCreator;
}

/** A step as the API shows it. */
export interface StepView {
  id: number;
  netns: string;
  op: string;
  object: string;
  key: string;
  after: number[];
}

/** An apply that failed; the state was rolled back. */
export class ApplyFailedError extends Error {
  override readonly name = 'ApplyFailedError';
  constructor(
    message: string,
    readonly step: StepView | undefined,
    readonly errno: number | undefined,
    readonly rolledBack: boolean,
  ) {
    super(message);
  }
}

interface Pending {
  results: { source: string; result: ApplyResult }[];
  deadline: number;
}

export class Daemon {
  state: DaemonState = 'starting';
  config: Config = {};
  files: string[] = [];
  configError: string | undefined;
  /** Why the last apply of the configuration failed; cleared by the next one that succeeds. */
  applyError: string | undefined;
  lastApplyUsec: number | undefined;
  readonly counters = { applies: 0, failures: 0, driftCorrections: 0, rollbacks: 0 };
  private db: NetDB | undefined;
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly driftListeners = new Set<(d: DriftEvent) => void>();
  private drift: DriftWatch | undefined;

  constructor(private readonly opts: DaemonOptions) {}

  get netdb(): NetDB {
    if (!this.db) throw new Error('the daemon is not started');
    return this.db;
  }

  /** Opens the view, finishes rollbacks left by a crash, then applies the configuration. */
  async start(): Promise<void> {
    const t0 = performance.now();
    const took = (what: string): void =>
      this.opts.log('debug', `${what} after ${(performance.now() - t0).toFixed(0)} ms`);
    mkdirSync(this.opts.runtimeDir, { recursive: true, mode: 0o750 });
    this.db = await NetDB.open({ source: MAIN, netns: this.opts.netns });
    took('view loaded');
    await this.recoverJournals();
    const loaded = await this.tryLoad();
    took('configuration read');
    if (loaded) {
      this.config = loaded.config;
      this.files = loaded.files;
    }
    await this.applyConfig();
    took('configuration applied');
    this.drift = new DriftWatch({
      db: () => this.netdb,
      config: () => this.config,
      main: MAIN,
      log: this.opts.log,
      metrics: this.opts.metrics,
      serial: (fn) => this.serial(fn),
      busy: () => this.state === 'applying' || this.state === 'reloading',
      emit: (d) => this.emitDrift(d),
      corrected: () => this.counters.driftCorrections++,
      backoffMs: this.opts.driftBackoffMs,
      backoffMaxMs: this.opts.driftBackoffMaxMs,
    });
    this.drift.start();
  }

  async close(): Promise<void> {
    this.drift?.stop();
    this.db?.close();
  }

  /** Runs changes one at a time. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async tryLoad(): Promise<{ config: Config; files: string[] } | undefined> {
    try {
      const r = await readConfigDir(this.opts.configDir);
      this.configError = undefined;
      this.opts.metrics?.configOk.set(1);
      return r;
    } catch (e) {
      this.configError = e instanceof ConfigError ? e.message : String(e);
      this.opts.metrics?.configOk.set(0);
      this.opts.log('err', `configuration rejected, the previous one stays in force: ${this.configError}`);
      if (!(e instanceof ConfigError)) throw e;
      return undefined;
    }
  }

  /** Re-reads the configuration; applies only what changed. A bad configuration changes nothing. */
  reload(): Promise<{ plan: StepView[]; changes: number }> {
    return this.serial(async () => {
      const prev = this.state;
      this.state = 'reloading';
      try {
        const loaded = await this.tryLoad();
        if (!loaded) throw new ConfigError(this.configError ?? 'invalid configuration');
        this.config = loaded.config;
        this.files = loaded.files;
        return await this.applyConfigNow();
      } finally {
        // Still 'reloading': the new configuration was rejected and the previous one stays,
        // with the state it had. Otherwise the apply itself set the state.
        if (this.state === 'reloading')
          this.state = this.pending ? 'pending_confirm' : prev === 'failed' ? 'failed' : 'ready';
      }
    });
  }

  private applyConfig(): Promise<{ plan: StepView[]; changes: number }> {
    return this.serial(() => this.applyConfigNow());
  }

  private async applyConfigNow(): Promise<{ plan: StepView[]; changes: number }> {
    const plan: StepView[] = [];
    try {
      for (const [source, desired] of await this.desiredBySource(this.config)) {
        const r = await this.run(source, desired, {});
        plan.push(...stepsOf(source, r));
      }
    } catch (e) {
      this.applyError = (e as Error).message;
      if (this.state !== 'pending_confirm') this.state = 'failed';
      throw e;
    }
    this.applyError = undefined;
    if (this.state !== 'pending_confirm') this.state = 'ready';
    return { plan, changes: plan.length };
  }

  /** The configuration split by source, attaching (and creating) namespaces as needed. */
  private async desiredBySource(cfg: Config): Promise<[string, Desired][]> {
    const out: [string, Desired][] = [[MAIN, toDesired(cfg)]];
    for (const [name, ns] of Object.entries(cfg.namespaces ?? {})) {
      await this.ensureSource(name, ns);
      out.push([name, toDesired(ns)]);
    }
    return out;
  }

  private async ensureSource(name: string, ns: NamespaceConfig): Promise<void> {
    const db = this.netdb;
    if (db.sourceNames.includes(name)) return;
    if (ns.create !== false) {
      const { ensureNamespace } = await import('./namespaces.js');
      if (await ensureNamespace(name, this.opts.netnsCreator)) this.opts.log('notice', `created namespace ${name}`);
    }
    await db.attach(name, { netns: name });
  }

  private async run(
    source: string,
    desired: Desired,
    o: { dryRun?: boolean; confirmWithin?: number },
  ): Promise<ApplyResult> {
    const journal = o.confirmWithin
      ? join(this.opts.runtimeDir, `pending-${encodeURIComponent(source)}.json`)
      : undefined;
    const r = await this.netdb.apply(desired, { source, dryRun: o.dryRun, confirmWithin: o.confirmWithin, journal });
    if (o.dryRun) return r;
    if (!r.ok) {
      this.counters.failures++;
      this.opts.metrics?.failures.inc();
      if (r.rolledBack) {
        this.counters.rollbacks++;
        this.opts.metrics?.rollbacks.inc();
      }
      const step = r.failed ? stepView(source, r.failed.step) : undefined;
      const err = r.failed?.error as (Error & { errno?: number }) | undefined;
      this.opts.log(
        'err',
        `apply failed${step ? ` at step ${step.id} (${step.op} ${step.key})` : ''}: ${err?.message ?? 'unknown'}`,
      );
      throw new ApplyFailedError(err?.message ?? 'apply failed', step, err?.errno, !!r.rolledBack);
    }
    if (r.applied > 0) {
      this.counters.applies++;
      this.lastApplyUsec = Date.now() * 1000;
      this.opts.metrics?.applies.inc();
      this.opts.metrics?.lastApply.set(Date.now() / 1000);
      const t = r.timings;
      this.opts.log(
        'notice',
        `applied ${r.applied} change(s) to ${source} ` +
          `(plan ${t.plan.toFixed(0)} ms, send ${t.apply.toFixed(0)} ms, verify ${t.verify.toFixed(0)} ms)`,
      );
    }
    this.opts.metrics?.managed.set(this.objectsManaged());
    void this.opts.metrics?.flush();
    return r;
  }

  objectsManaged(): number {
    const count = (d: Record<string, unknown>): number =>
      LIST_KEYS.reduce((n, k) => n + ((d[k] as unknown[] | undefined)?.length ?? 0), 0);
    return (
      count(this.config as Record<string, unknown>) +
      Object.values(this.config.namespaces ?? {}).reduce((n, ns) => n + count(ns as Record<string, unknown>), 0)
    );
  }

  /** What applying `desired` (default: the configuration) would do. */
  diff(desired?: Config): Promise<{ plan: StepView[]; changes: number }> {
    return this.serial(async () => {
      const plan: StepView[] = [];
      for (const [source, d] of await this.desiredBySource(desired ?? this.config)) {
        const r = await this.netdb.apply(d, { source, dryRun: true });
        plan.push(...stepsOf(source, r));
      }
      return { plan, changes: plan.length };
    });
  }

  /** Applies a desired state given over the API; with trySeconds it must be confirmed. */
  apply(
    desired: Config,
    o: { dryRun?: boolean; trySeconds?: number },
  ): Promise<{ plan: StepView[]; applied: boolean; pendingConfirm: boolean }> {
    return this.serial(async () => {
      if (this.pending && !o.dryRun)
        throw new Error('a change is waiting for confirmation; confirm or roll it back first');
      const plan: StepView[] = [];
      const results: { source: string; result: ApplyResult }[] = [];
      const prev = this.state;
      if (!o.dryRun) this.state = 'applying';
      try {
        for (const [source, d] of await this.desiredBySource(desired)) {
          const r = await this.run(source, d, {
            dryRun: o.dryRun,
            confirmWithin: o.trySeconds ? o.trySeconds * 1000 : undefined,
          });
          plan.push(...stepsOf(source, r));
          results.push({ source, result: r });
        }
      } catch (e) {
        // An earlier namespace of this apply is put back too.
        for (const { result } of results) if (result.confirm) await result.settled?.catch(() => undefined);
        this.state = prev === 'applying' ? 'ready' : prev;
        throw e;
      }
      if (o.trySeconds && !o.dryRun) {
        this.pending = { results, deadline: Date.now() + o.trySeconds * 1000 };
        this.state = 'pending_confirm';
        void Promise.all(results.map((x) => x.result.settled)).then((outcomes) => {
          if (outcomes.includes('rolled back')) {
            this.counters.rollbacks++;
            this.opts.metrics?.rollbacks.inc();
            this.opts.log('warning', 'not confirmed in time: rolled back');
          }
          this.pending = undefined;
          if (this.state === 'pending_confirm') this.state = 'ready';
        });
      } else if (!o.dryRun) this.state = 'ready';
      return { plan, applied: !o.dryRun, pendingConfirm: !!this.pending };
    });
  }

  get pendingDeadline(): number | undefined {
    return this.pending?.deadline;
  }

  /** Keeps the pending try. */
  async confirm(): Promise<boolean> {
    const p = this.pending;
    if (!p) return false;
    for (const { result } of p.results) await result.confirm?.();
    this.pending = undefined;
    this.state = 'ready';
    return true;
  }

  /** Rolls the pending try back now (NetDB's journal-based recovery does the work). */
  async rollback(): Promise<boolean> {
    const p = this.pending;
    if (!p) return false;
    this.pending = undefined;
    await this.recoverJournals();
    this.counters.rollbacks++;
    this.opts.metrics?.rollbacks.inc();
    this.state = 'ready';
    return true;
  }

  /** Finishes every rollback a journal in the runtime directory describes. */
  private async recoverJournals(): Promise<void> {
    if (!existsSync(this.opts.runtimeDir)) return;
    for (const f of readdirSync(this.opts.runtimeDir)) {
      if (!/^pending-.*\.json$/.test(f)) continue;
      const path = join(this.opts.runtimeDir, f);
      const source = decodeURIComponent(f.slice('pending-'.length, -'.json'.length));
      try {
        if (source !== MAIN && !this.netdb.sourceNames.includes(source))
          await this.netdb.attach(source, { netns: source });
        const r = await this.netdb.recover(path);
        this.opts.log(
          'warning',
          `finished an unconfirmed change's rollback from ${path}${r?.rollbackErrors?.length ? `: ${r.rollbackErrors.join('; ')}` : ''}`,
        );
      } catch (e) {
        this.opts.log('err', `cannot finish the rollback in ${path}: ${(e as Error).message}`);
      } finally {
        try {
          unlinkSync(path);
        } catch {
          // recover() removed it.
        }
      }
    }
  }

  /** Subscribes to drift events. */
  onDrift(fn: (d: DriftEvent) => void): () => void {
    this.driftListeners.add(fn);
    return () => this.driftListeners.delete(fn);
  }

  private emitDrift(d: DriftEvent): void {
    for (const fn of this.driftListeners) fn(d);
  }
}

/**
 * The NetDB desired state of a configuration part: the configuration is already in NetDB's
 * vocabulary (names or numbers for enums), so only the daemon's own keys come off.
 */
export function toDesired(cfg: Config | NamespaceConfig): Desired {
  const out: Record<string, unknown[]> = {};
  for (const k of LIST_KEYS) {
    const list = (cfg as Record<string, unknown>)[k] as Record<string, unknown>[] | undefined;
    if (list) out[k] = list.map(({ drift: _drift, ...rest }) => rest);
  }
  return out as Desired;
}

function stepView(source: string, s: ApplyResult['plan']['steps'][number]): StepView {
  const [, ...rest] = s.what.split(' ');
  return {
    id: s.id,
    netns: source,
    op: `${s.request.kind} ${s.request.cmd}`,
    object: s.table,
    key: rest.slice(1).join(' ') || s.what,
    after: s.after,
  };
}

function stepsOf(source: string, r: ApplyResult): StepView[] {
  return r.plan.steps.map((s) => stepView(source, s));
}
