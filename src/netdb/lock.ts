// Transactions touching the same objects run one after the other; others run at once.
import type { Desired } from './desired.js';
import { routeTarget } from './plan.js';
import { MAIN_TABLE } from './records.js';
import { enumValue } from './vocab.js';

/** FIFO per key; a holder of several keys queues on all of them at once, so none deadlock. */
export class KeyLock {
  private readonly tails = new Map<string, Promise<void>>();

  async acquire(keys: readonly string[]): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((r) => {
      release = r;
    });
    const before = [...new Set(keys)].map((k) => {
      const prev = this.tails.get(k);
      this.tails.set(k, mine);
      return prev;
    });
    await Promise.all(before);
    return () => {
      release();
      for (const k of keys) if (this.tails.get(k) === mine) this.tails.delete(k);
    };
  }
}

/** What a desired state touches: its links (by name), addresses and route prefixes. */
export function lockKeys(source: string, d: Desired): string[] {
  const keys: string[] = [];
  const link = (n: unknown): void => {
    if (n !== undefined && n !== null) keys.push(`${source}:link:${String(n)}`);
  };
  for (const l of d.links ?? []) {
    link(l.ifname);
    link(l.peer);
    link(l.master);
    // New links take an index from a shared pool.
    if (l.kind) keys.push(`${source}:create`);
  }
  for (const a of d.addresses ?? []) link(a.ifname ?? a.index);
  for (const r of d.routes ?? []) {
    let dst = String(r.dst),
      table = String(r.table ?? MAIN_TABLE);
    try {
      dst = routeTarget(r).dst;
      table = String(enumValue('routes', 'table', table));
    } catch {
      /* reported by the planner */
    }
    keys.push(`${source}:route:${table}:${dst}`);
    link(r.oif);
    for (const nh of r.multipath ?? []) link(nh.oif);
  }
  for (const n of d.neighbours ?? []) link(n.ifname ?? n.ifindex);
  if (d.rules?.length) keys.push(`${source}:rules`);
  return keys;
}
