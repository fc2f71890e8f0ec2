// Test helper: snapshot a namespace with NetDB, restore the snapshot into another, and compare
// both with `ip -j -d link show` (less what differs by itself: counters, timers, carrier state).
import { NetDB } from '../../src/netdb/index.js';
import { stripKeys } from './netdb.js';
import type { TestNetns } from './netns.js';

// Keys of `ip -j -d link show` that change without a configuration change.
const VOLATILE = new Set([
  'stats',
  'stats64',
  'operstate',
  'linkinfo_timers',
  'carrier_changes',
  'carrier_up_count',
  'carrier_down_count',
  'promiscuity',
  'allmulti',
  'qdisc',
  'mcast_n_groups',
  // Random per namespace: the kernel's fallback tunnel devices (ip6tnl0, ip6gre0...) that every
  // namespace gets once their module is loaded, and which no snapshot makes.
  'permaddr',
]);

const strip = (v: unknown): unknown => stripKeys(v, VOLATILE);

/** `ip -j -d link show` of a namespace, one line per link, by name, less the volatile keys. */
export async function linkLines(ns: TestNetns): Promise<Map<string, string>> {
  const rows = (await ns.json('-d link show')) as { ifname: string }[];
  return new Map(rows.map((r) => [r.ifname, JSON.stringify(strip(r))]));
}

/** Per link, the keys whose values differ between two linkLines() (empty: the same links). */
export function linkDiff(a: Map<string, string>, b: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [name, line] of a) {
    const other = b.get(name);
    if (other === undefined) out.push(`${name}: missing`);
    else if (other !== line) out.push(`${name}: ${keyDiff(JSON.parse(line), JSON.parse(other)).join('; ')}`);
  }
  for (const name of b.keys()) if (!a.has(name)) out.push(`${name}: extra`);
  return out;
}

function keyDiff(a: Record<string, unknown>, b: Record<string, unknown>, at = ''): string[] {
  const out: string[] = [];
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[k],
      y = b[k];
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    if (x && y && typeof x === 'object' && typeof y === 'object' && !Array.isArray(x))
      out.push(...keyDiff(x as Record<string, unknown>, y as Record<string, unknown>, `${at}${k}.`));
    else out.push(`${at}${k}: ${JSON.stringify(x)} != ${JSON.stringify(y)}`);
  }
  return out;
}

/**
 * Snapshot `from` (as JSON text, as a file would hold it), restore it into `to`, and return
 * the differences of their links as ip shows them, with the restore's result.
 */
export async function snapshotRoundTrip(
  from: TestNetns,
  to: TestNetns,
): Promise<{ diff: string[]; ok: boolean; error?: string; snapshot: unknown }> {
  let text: string;
  {
    await using src = await NetDB.open({ netns: from.name });
    text = JSON.stringify(src.snapshot());
  }
  await using dst = await NetDB.open({ netns: to.name });
  const r = await dst.restore(JSON.parse(text));
  // A bridge's carrier follows its ports by a deferred worker: compare once both settled.
  let diff: string[] = [];
  for (const until = Date.now() + 3000; ; ) {
    diff = linkDiff(await linkLines(from), await linkLines(to));
    if (!diff.length || Date.now() > until) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  return {
    diff,
    ok: r.ok,
    error: r.failed && `${r.failed.step.what}: ${r.failed.error.message}`,
    snapshot: JSON.parse(text),
  };
}
