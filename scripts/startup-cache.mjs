// Start-up of `nlroute link show` with and without Node's module compile cache, for the Node
// binary given (default: this one). Median wall time of N runs each, alternating; the cache is
// warmed first. Usage: node scripts/startup-cache.mjs [NODE] [N]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const node = process.argv[2] ?? process.execPath;
const runs = Number(process.argv[3] ?? 21);
const cli = fileURLToPath(new URL('../dist/bundle/tools/cli.js', import.meta.url));
const cacheDir = mkdtempSync(join(tmpdir(), 'nlroute-cc-'));

function time(env, args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(node, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const cases = {
  'node -e 0': [{}, ['-e', '0']],
  'nlroute link show, no compile cache': [{ NODE_DISABLE_COMPILE_CACHE: '1' }, [cli, 'link', 'show']],
  'nlroute link show, compile cache': [{ NODE_COMPILE_CACHE: cacheDir }, [cli, 'link', 'show']],
};
time(cases['nlroute link show, compile cache'][0], cases['nlroute link show, compile cache'][1]);
const out = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < runs; i++) for (const [k, [env, args]] of Object.entries(cases)) out[k].push(time(env, args));
rmSync(cacheDir, { recursive: true, force: true });
const v = spawnSync(node, ['-v'], { encoding: 'utf8' }).stdout.trim();
for (const [k, xs] of Object.entries(out)) console.log(`${v}  ${k.padEnd(40)} median ${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)})`);
