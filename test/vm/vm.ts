import assert from 'node:assert/strict';
import { parseGlobals } from '../../src/tools/cli-args.js';
import { CliContext } from '../../src/tools/cli-context.js';
import { tcCommand } from '../../src/tools/cmd-tc.js';
import { withNetns } from '../helpers/netns.js';

// What the VM suite's tests share: they run only inside the test VM (scripts/vm/run-tests.sh),
// whose Debian kernel has the modules this host lacks; elsewhere they are skipped with a reason.
export const inVm = process.env['NLROUTE_VM'] === '1';
export const vmOnly = { skip: inVm ? false : 'needs the VM kernel: npm run test:vm' } as const;

/** Poll `cond` (kernel state that settles asynchronously) until true, at most ~10 s. */
export async function until(cond: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

// `nlroute [-s] [-d] -j tc X show` against `tc [-s] [-d] -j X show`, and the text, for kinds only the VM has.

/**
 * `nlroute [flags] -batch` of `tc` lines, run in this process: what the command prints. A node
 * start costs seconds in the emulated guest; the command line itself is tested on the host.
 */
export async function nlrouteTc(netns: string, flags: string[], lines: readonly string[]): Promise<string> {
  let out = '';
  const write = (s: string): boolean => {
    out += s;
    return true;
  };
  const sink = { write } as unknown as NodeJS.WritableStream;
  const ctx = new CliContext(parseGlobals(['-n', netns, ...flags]).opts, sink);
  try {
    for (const l of lines) await tcCommand(ctx.fork(), l.split(' '));
  } finally {
    ctx.close();
  }
  return out;
}

// Seconds since an action was installed or used: they tick between the two tools' reads.
const TC_VOLATILE = new Set(['installed', 'last_used', 'first_used']);
export const stableJson = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(stableJson)
    : v && typeof v === 'object'
      ? Object.fromEntries(Object.entries(v).flatMap(([k, x]) => (TC_VOLATILE.has(k) ? [] : [[k, stableJson(x)]])))
      : v;
export const stableText = (t: string): string => t.replace(/ (installed|used|firstused) \d+ sec/g, ' $1 N sec');

/**
 * Sets up `links` and `setup` with tc, then each show line through both tools, -j and text, under
 * each set of `flags` (default: without and with -s). `textOnly` lines are compared as text only.
 */
export async function sameShows(
  links: string[],
  setup: string[],
  shows: string[],
  textOnly = new Set<string>(),
  flags: string[][] = [[], ['-s']],
): Promise<void> {
  await withNetns(async (ns) => {
    await ns.batch(links.map((l) => `link add ${l} type dummy`));
    await ns.exec('tc', ['-batch', '-'], { input: setup.join('\n') + '\n' });
    // One batch per output form.
    const both = async (opts: string[], lines: string[]): Promise<[string, string]> => [
      await ns.exec('tc', [...opts, '-batch', '-'], { input: lines.join('\n') + '\n' }),
      await nlrouteTc(ns.name, opts, lines),
    ];
    const jsonShows = shows.filter((x) => !textOnly.has(x));
    for (const opts of flags) {
      if (jsonShows.length) {
        const [ref, ours] = await both(['-j', ...opts], jsonShows);
        const lines = (out: string): unknown[] =>
          out
            .trim()
            .split('\n')
            .map((l) => stableJson(JSON.parse(l)));
        assert.deepEqual(lines(ours), lines(ref), `-j ${opts.join(' ')}`);
      }
      const [tref, tours] = await both(opts, shows);
      assert.equal(stableText(tours), stableText(tref), `text ${opts.join(' ')}`);
    }
  });
}
