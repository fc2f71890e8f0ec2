// Transactions: lock, plan, send as pipelined batches, verify once against the events, and
// on any failure or timeout put every object the plan touched back as it was.
import { NetlinkError, NetlinkTimeoutError } from '../core/index.js';
import type { BatchRequest } from '../rtnl/iproute.js';
import { makePlan, type Plan, type Step } from './plan.js';
import { differences, restoreSteps } from './restore.js';
import { scopeOf, stateIn, type Scope, type ScopeState } from './scope.js';
import type { Desired, DesiredAddress, DesiredLink, DesiredNeighbour, DesiredRoute, DesiredRule } from './desired.js';
import type { Source } from './source.js';
import { KeyLock, lockKeys } from './lock.js';
import { readJournal, removeJournal, writeJournal as writeJournalFile } from './journal.js';

export interface ApplyOptions {
  /** Source to change (default: the first). */
  source?: string;
  /** Only plan: nothing is sent. */
  dryRun?: boolean;
  /** Also remove what the desired state does not mention (restore). */
  prune?: boolean;
  /** ms to wait for the view to show every step (default 5000). */
  timeout?: number;
  /** Roll back by itself unless confirm() comes within this many ms. */
  confirmWithin?: number;
  /** Write the rollback record to this file until the change is confirmed or rolled back. */
  journal?: string;
  /** Testing: make the k-th step (1-based) fail in the kernel. */
  failAt?: number;
}

/** What apply() did. */
export interface ApplyResult {
  ok: boolean;
  plan: Plan;
  dryRun?: boolean;
  /** Steps the kernel accepted. */
  applied: number;
  /** The first step that failed (or did not show in time) and why. */
  failed?: { step: Step; error: Error };
  /** Whether a rollback ran, and what it could not put back. */
  rolledBack?: boolean;
  rollbackErrors?: string[];
  /** ms spent planning, applying, verifying and rolling back. */
  timings: { plan: number; apply: number; verify: number; rollback: number };
  /** With confirmWithin: keep the change. */
  confirm?: () => Promise<void>;
  /**
   * With confirmWithin: 'confirmed', 'rolled back' when the time ran out, or 'closed' when
   * the view closed first (the journal, if any, stays for recover()).
   */
  settled?: Promise<'confirmed' | 'rolled back' | 'closed'>;
}

export class VerifyError extends Error {
  override name = 'VerifyError';
}

/** The view as transactions need it. */
export interface TxHost {
  source(name?: string): Source;
  readonly proto: number;
}

/** The imperative form of a desired state. */
export class Tx {
  readonly desired: Required<Desired> = { links: [], addresses: [], routes: [], neighbours: [], rules: [] };
  link(d: DesiredLink): this {
    this.desired.links.push(d);
    return this;
  }
  addr(d: DesiredAddress): this {
    this.desired.addresses.push(d);
    return this;
  }
  route(d: DesiredRoute): this {
    this.desired.routes.push(d);
    return this;
  }
  neigh(d: DesiredNeighbour): this {
    this.desired.neighbours.push(d);
    return this;
  }
  rule(d: DesiredRule): this {
    this.desired.rules.push(d);
    return this;
  }
}

const now = (): number => performance.now();
// Errors a rollback step may meet because the kernel already did it (a link took its
// routes with it, a veth its peer).
const ALREADY = new Set(['ENODEV', 'ESRCH', 'ENOENT', 'EADDRNOTAVAIL', 'EEXIST']);

export class Transactions {
  private readonly locks = new KeyLock();
  /** Changes waiting for confirm(): closing the view abandons them to their journal. */
  private readonly pendingConfirm = new Set<() => void>();

  constructor(private readonly db: TxHost) {}

  async transaction(body: (tx: Tx) => void | Promise<void>, opts: ApplyOptions): Promise<ApplyResult> {
    const tx = new Tx();
    await body(tx);
    return this.apply(tx.desired, opts);
  }

  async apply(desired: Desired, opts: ApplyOptions): Promise<ApplyResult> {
    const s = this.db.source(opts.source);
    const release = await this.locks.acquire(lockKeys(s.name, desired));
    let keep = false;
    try {
      const r = await this.applyLocked(s, desired, opts);
      if (r.settled) {
        // The objects stay locked until confirmed or rolled back.
        keep = true;
        void r.settled.finally(release);
      }
      return r;
    } finally {
      if (!keep) release();
    }
  }

  private async applyLocked(s: Source, desired: Desired, opts: ApplyOptions): Promise<ApplyResult> {
    const t0 = now();
    await s.sync();
    const plan = makePlan(s, desired, { proto: this.db.proto, prune: opts.prune });
    const timings = { plan: now() - t0, apply: 0, verify: 0, rollback: 0 };
    if (opts.dryRun) return { ok: true, dryRun: true, plan, applied: 0, timings };
    if (!plan.steps.length) return { ok: true, plan, applied: 0, timings };
    const scope = scopeOf(plan);
    const pre = stateIn(s, scope);
    if (opts.journal) writeJournal(opts.journal, s, scope, pre, opts.confirmWithin);
    const t1 = now();
    const results = await runSteps(s, plan.steps, opts.failAt);
    timings.apply = now() - t1;
    let applied = 0,
      failed: ApplyResult['failed'];
    for (const [i, e] of results.entries()) {
      if (!e) applied++;
      else failed ??= { step: plan.steps[i], error: e };
    }
    if (!failed) {
      const t2 = now();
      failed = await verify(s, plan.steps, opts.timeout ?? 5000);
      timings.verify = now() - t2;
    }
    if (failed) {
      const t3 = now();
      const rollbackErrors = await rollback(s, scope, pre);
      timings.rollback = now() - t3;
      if (opts.journal && !rollbackErrors.length) removeJournal(opts.journal);
      return { ok: false, plan, applied, failed, rolledBack: true, rollbackErrors, timings };
    }
    if (opts.confirmWithin === undefined) {
      if (opts.journal) removeJournal(opts.journal);
      return { ok: true, plan, applied, timings };
    }
    return this.tryAndConfirm(s, scope, pre, { ok: true, plan, applied, timings }, opts.confirmWithin, opts.journal);
  }

  private tryAndConfirm(
    s: Source,
    scope: Scope,
    pre: ScopeState,
    r: ApplyResult,
    ms: number,
    journal?: string,
  ): ApplyResult {
    let settle!: (v: 'confirmed' | 'rolled back' | 'closed') => void;
    let done: string | undefined;
    r.settled = new Promise((resolve) => {
      settle = resolve;
    });
    const abandon = (): void => {
      if (done) return;
      done = 'closed';
      clearTimeout(timer);
      settle('closed');
    };
    this.pendingConfirm.add(abandon);
    const timer = setTimeout(() => {
      if (done) return;
      done = 'rolled back';
      this.pendingConfirm.delete(abandon);
      void rollback(s, scope, pre)
        .then(
          (errors) => {
            r.rolledBack = true;
            r.rollbackErrors = errors;
            if (journal && !errors.length) removeJournal(journal);
          },
          (e: Error) => {
            r.rolledBack = false;
            r.rollbackErrors = [e.message];
          },
        )
        .finally(() => settle('rolled back'));
    }, ms);
    r.confirm = async () => {
      if (done === 'rolled back') throw new Error('confirm: too late, the change was rolled back');
      if (done) throw new Error(`confirm: the change was already ${done}`);
      done = 'confirmed';
      this.pendingConfirm.delete(abandon);
      clearTimeout(timer);
      if (journal) removeJournal(journal);
      settle('confirmed');
    };
    return r;
  }

  /** Abandon changes waiting for confirm() (their journals stay, for recover()). */
  close(): void {
    for (const abandon of [...this.pendingConfirm]) abandon();
    this.pendingConfirm.clear();
  }

  /** Finish the rollback a journal describes; undefined when there is no journal. */
  async recover(path: string): Promise<ApplyResult | undefined> {
    const j = readJournal(path);
    if (!j) return undefined;
    const s = this.db.source(j.source);
    const release = await this.locks.acquire([`${s.name}:recover`]);
    try {
      const t0 = now();
      const errors = await rollback(s, j.scope, j.pre);
      if (!errors.length) removeJournal(path);
      const plan = {
        steps: [],
        links: new Set<number>(),
        created: new Set<number>(),
        addrs: new Set<string>(),
        routes: new Set<string>(),
        rules: new Set<string>(),
        toString: () => '',
      };
      return {
        ok: !errors.length,
        plan,
        applied: 0,
        rolledBack: true,
        rollbackErrors: errors,
        timings: { plan: 0, apply: 0, verify: 0, rollback: now() - t0 },
      };
    } finally {
      release();
    }
  }
}

// ---- sending ---------------------------------------------------------------------------------

/**
 * Send steps in order: links, addresses and routes as pipelined batches, neighbours and rules
 * one by one between them. Returns each step's error (undefined: done).
 */
export async function runSteps(
  s: Source,
  steps: readonly Step[],
  failAt?: number,
  tolerate?: Set<string>,
): Promise<(Error | undefined)[]> {
  const out: (Error | undefined)[] = new Array(steps.length).fill(undefined);
  let batch: { i: number; req: BatchRequest }[] = [];
  const flush = async (): Promise<void> => {
    if (!batch.length) return;
    const res = await s.ipr.batch(batch.map((b) => b.req));
    for (const r of res) if (!r.ok) out[batch[r.index].i] = r.error;
    batch = [];
  };
  for (const [i, st] of steps.entries()) {
    let req = st.request;
    // A link that cannot exist: the kernel answers ENODEV.
    if (failAt === i + 1) req = { kind: 'link', cmd: 'set', spec: { index: 0x7ffffff0, mtu: 1500 } };
    if (req.kind === 'link' || req.kind === 'addr' || req.kind === 'route') {
      batch.push({ i, req: [req.kind, req.cmd, req.spec] as BatchRequest });
      continue;
    }
    await flush();
    try {
      if (req.kind === 'neigh') await s.ipr.neigh(req.cmd, req.spec);
      else await s.ipr.rule(req.cmd, req.spec);
    } catch (e) {
      out[i] = e as Error;
    }
  }
  await flush();
  if (tolerate)
    for (const [i, e] of out.entries()) if (e instanceof NetlinkError && tolerate.has(e.code)) out[i] = undefined;
  return out;
}

/** Wait until the view shows every step (events only; no re-reading), or report the first that does not. */
async function verify(s: Source, steps: readonly Step[], timeout: number): Promise<ApplyResult['failed']> {
  const deadline = now() + timeout;
  for (;;) {
    await s.sync();
    let bad: { step: Step; why: string } | undefined;
    for (const st of steps) {
      const why = st.verify(s);
      if (why) {
        bad = { step: st, why };
        break;
      }
    }
    if (!bad) return undefined;
    if (now() >= deadline)
      return {
        step: bad.step,
        error: new VerifyError(`step ${bad.step.id} (${bad.step.what}) did not take effect: ${bad.why}`),
      };
    // The kernel may still be working (DAD, a carrier): look again shortly.
    await new Promise((r) => setTimeout(r, Math.min(50, Math.max(1, deadline - now()))));
  }
}

/**
 * Put a scope back as `pre` had it; returns what could not be put back. Objects the kernel
 * makes by itself (link-local addresses, prefix and local routes) are waited for first: a
 * link's carrier is published by a deferred worker, up to a second later.
 */
export async function rollback(s: Source, scope: Scope, pre: ScopeState, settleMs = 3000): Promise<string[]> {
  const errors: string[] = [];
  const deadline = now() + settleMs;
  for (let rounds = 0; rounds < 8; ) {
    await s.sync();
    const cur = stateIn(s, scope);
    let steps = restoreSteps(pre, cur, false);
    if (!steps.length) {
      if (!differences(pre, cur).length) return [];
      if (now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      steps = restoreSteps(pre, cur, true);
      if (!steps.length) break;
    }
    rounds++;
    const res = await runSteps(s, steps, undefined, ALREADY);
    errors.length = 0;
    for (const [i, e] of res.entries()) if (e) errors.push(`${steps[i].what}: ${e.message}`);
  }
  await s.sync();
  const left = differences(pre, stateIn(s, scope));
  return left.length ? [...errors, ...left] : [];
}

// ---- journal -----------------------------------------------------------------------------------

function writeJournal(path: string, s: Source, scope: Scope, pre: ScopeState, confirmWithin?: number): void {
  writeJournalFile(path, {
    version: 1,
    source: s.name,
    netns: s.opts.netns,
    written: new Date().toISOString(),
    deadline: confirmWithin === undefined ? undefined : new Date(Date.now() + confirmWithin).toISOString(),
    scope,
    pre,
  });
}

export { NetlinkTimeoutError };
