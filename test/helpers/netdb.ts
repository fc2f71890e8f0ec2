// Test helpers for NetDB: compare a view with a fresh load of the same namespace, a seeded
// random generator, and `ip -j -d` state with the fields that change by themselves removed.
import { spawn } from 'node:child_process';
import { NetDB } from '../../src/netdb/index.js';
import { TABLES, recordJSON } from '../../src/netdb/records.js';
import type { TestNetns } from './netns.js';

/** Differences between the view of a source and a fresh load of its namespace. */
export async function viewVsFresh(db: NetDB, netns: string, source?: string): Promise<string[]> {
  await db.sync(source);
  const fresh = await NetDB.open({ netns, source: source ?? db.main });
  try {
    const out: string[] = [];
    for (const table of TABLES) {
      const a = new Map<string | number, string>(),
        b = new Map<string | number, string>();
      const view = db.source(source).tables[table] as unknown as { entries(): Iterable<[string | number, object]> };
      const got = fresh.source().tables[table] as unknown as { entries(): Iterable<[string | number, object]> };
      for (const [k, r] of view.entries()) a.set(k, JSON.stringify(recordJSON(r)));
      for (const [k, r] of got.entries()) b.set(k, JSON.stringify(recordJSON(r)));
      for (const [k, v] of b) {
        if (!a.has(k)) out.push(`${table} ${k}: missing from the view: ${v}`);
        else if (a.get(k) !== v) out.push(`${table} ${k}: ${fieldDiff(JSON.parse(a.get(k)!), JSON.parse(v))}`);
      }
      for (const [k, v] of a) if (!b.has(k)) out.push(`${table} ${k}: in the view, not in the kernel: ${v}`);
    }
    return out;
  } finally {
    fresh.close();
  }
}

function fieldDiff(view: Record<string, unknown>, kernel: Record<string, unknown>): string {
  const keys = new Set([...Object.keys(view), ...Object.keys(kernel)]);
  const out: string[] = [];
  for (const k of keys) {
    const a = JSON.stringify(view[k]),
      b = JSON.stringify(kernel[k]);
    if (a === b) continue;
    if (view[k] && kernel[k] && typeof view[k] === 'object')
      out.push(`${k}: ${fieldDiff(view[k] as never, kernel[k] as never)}`);
    else out.push(`${k}: view ${a} != kernel ${b}`);
  }
  return out.join('; ');
}

/**
 * viewVsFresh, retried while the kernel finishes work it does later by itself (link state
 * is published by a deferred worker; dumps show the carrier at once): the view must catch
 * up by the events that work sends, within `ms`.
 */
export async function settledVsFresh(
  db: NetDB,
  netns: string,
  ms = 3000,
  source?: string,
): Promise<{ diff: string[]; retries: number }> {
  const until = Date.now() + ms;
  for (let retries = 0; ; retries++) {
    const diff = await viewVsFresh(db, netns, source);
    if (!diff.length || Date.now() > until) return { diff, retries };
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A small seeded generator (mulberry32): the same seed gives the same run. */
export function rng(seed: number): { next(): number; int(n: number): number; pick<T>(a: readonly T[]): T } {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n), pick: (a) => a[Math.floor(next() * a.length)] };
}

const VOLATILE = new Set([
  'stats',
  'stats64',
  'operstate',
  'linkinfo_timers',
  'hello_timer',
  'tcn_timer',
  'topology_change_timer',
  'gc_timer',
  'valid_life_time',
  'preferred_life_time',
  'expires',
  'used',
  'confirmed',
  'updated',
  'probes',
  'carrier_changes',
  'carrier_up_count',
  'carrier_down_count',
  'ifindex',
  'link_index',
]);

/** `ip -j` output less the `volatile` keys and every `*_timer`, at any depth. */
export function stripKeys(v: unknown, volatile: ReadonlySet<string>): unknown {
  if (Array.isArray(v)) return v.map((x) => stripKeys(x, volatile));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v))
    if (!volatile.has(k) && !k.endsWith('_timer')) out[k] = stripKeys(x, volatile);
  return out;
}
const strip = (v: unknown): unknown => stripKeys(v, VOLATILE);

/** `ip -j -d` of links, addresses, routes (all tables, both families) and rules: one sorted line per object. */
export async function ipState(ns: TestNetns): Promise<string[]> {
  const out: string[] = [];
  for (const cmd of [
    '-d link show',
    '-d addr show',
    '-d -4 route show table all',
    '-d -6 route show table all',
    '-4 rule show',
    '-6 rule show',
  ]) {
    const rows = (await ns.json(cmd)) as unknown[];
    for (const r of rows) out.push(`${cmd}: ${JSON.stringify(strip(r))}`);
  }
  return out.sort();
}

/**
 * ipState once the kernel has finished the work it defers after a change: every up link's
 * operstate agrees with its carrier (the link worker has run, and with it IPv6's address
 * configuration), no IPv6 address is tentative, and two reads in a row agree. Used for
 * state compared before and after, so that a link-local address the kernel adds late is not
 * taken for a difference.
 */
export async function settledIpState(ns: TestNetns, ms = 5000): Promise<string[]> {
  const until = Date.now() + ms;
  let last: string[] | undefined;
  for (;;) {
    const links = (await ns.json('link show')) as { flags?: string[]; operstate?: string }[];
    const addrs = JSON.stringify(await ns.json('-6 addr show'));
    const operUp = (l: { operstate?: string }): boolean => l.operstate === 'UP' || l.operstate === 'UNKNOWN';
    const pending = links.some((l) => l.flags?.includes('UP') && l.flags.includes('LOWER_UP') !== operUp(l));
    const state = await ipState(ns);
    const same = last !== undefined && JSON.stringify(last) === JSON.stringify(state);
    if ((!pending && !addrs.includes('"tentative"') && same) || Date.now() > until) return state;
    last = state;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Lines of `a` missing from `b` and the other way round: a readable difference of two ipState()s. */
export function stateDiff(before: string[], after: string[]): { gone: string[]; extra: string[] } {
  const b = new Set(after),
    a = new Set(before);
  return { gone: before.filter((l) => !b.has(l)), extra: after.filter((l) => !a.has(l)) };
}

/** Turn off IPv6 duplicate address detection in a test namespace, so addresses settle at once. */
export async function noDad(ns: TestNetns): Promise<void> {
  await ns.exec('sysctl', ['-qw', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0']);
}

/** `ip -force -batch` in the namespace: every line is tried, failures (a route to a link that is gone) ignored. */
export function ipForce(ns: string, lines: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('ip', ['-n', ns, '-force', '-batch', '-'], { stdio: ['pipe', 'ignore', 'ignore'] });
    p.on('error', reject);
    p.on('close', () => resolve());
    p.stdin.end(`${lines.join('\n')}\n`);
  });
}

/** The seed of a randomized test: NETDB_SEED=n replays one, NETDB_SEED=random draws one. */
export function seedFromEnv(fallback: number): number {
  const env = process.env.NETDB_SEED ?? String(fallback);
  return env === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(env);
}
