// `nlroute [-s] [-j] tc X show` against `tc [-s] [-j] X show` on the same namespace: the check
// every tc VM test file shares (not a test file itself).
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { withNetns, type TestNetns } from '../helpers/netns.js';

export const cli = fileURLToPath(new URL('../../src/tools/cli.js', import.meta.url));

// Seconds since an action was installed or used: they tick between the two tools' reads.
const TC_VOLATILE = new Set(['installed', 'last_used', 'first_used']);
export const stableJson = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(stableJson)
    : v && typeof v === 'object'
      ? Object.fromEntries(Object.entries(v).flatMap(([k, x]) => (TC_VOLATILE.has(k) ? [] : [[k, stableJson(x)]])))
      : v;
export const stableText = (t: string): string => t.replace(/ (installed|used|firstused) \d+ sec/g, ' $1 N sec');

/** Each show line through both tools in `ns`, -j and text, with and without -s (and `extra` option sets). */
export async function sameShowsIn(
  ns: TestNetns,
  shows: string[],
  textOnly = new Set<string>(),
  extra: string[][] = [],
): Promise<void> {
  // One batch per tool and output form: node starts slowly in the emulated guest.
  const both = async (opts: string[], lines: string[]): Promise<[string, string]> => [
    await ns.exec('tc', [...opts, '-batch', '-'], { input: lines.join('\n') + '\n' }),
    await ns.exec('node', [cli, ...opts, '-batch', '-'], { input: lines.map((l) => `tc ${l}\n`).join('') }),
  ];
  const jsonShows = shows.filter((x) => !textOnly.has(x));
  for (const opts of [[], ['-s'], ...extra]) {
    const [ref, ours] = await both(['-j', ...opts], jsonShows);
    const lines = (out: string): unknown[] =>
      out
        .trim()
        .split('\n')
        .map((l) => stableJson(JSON.parse(l)));
    assert.deepEqual(lines(ours), lines(ref), `-j ${opts.join(' ')}`);
    const [tref, tours] = await both(opts, shows);
    assert.equal(stableText(tours), stableText(tref), `text ${opts.join(' ')}`);
  }
}

/** Sets up `links` (dummies) and `setup` with tc in a fresh namespace, then {@link sameShowsIn}. */
export async function sameShows(
  links: string[],
  setup: string[],
  shows: string[],
  textOnly = new Set<string>(),
  extra: string[][] = [],
): Promise<void> {
  await withNetns(async (ns) => {
    await ns.batch(links.map((l) => `link add ${l} type dummy`));
    await ns.exec('tc', ['-batch', '-'], { input: setup.join('\n') + '\n' });
    await sameShowsIn(ns, shows, textOnly, extra);
  });
}
