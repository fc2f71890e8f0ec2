// Start-up of `nlroute link show` with and without Node's module compile cache, for the Node
// binary given (default: this one). Median wall and CPU (user + system, from bash's `time`,
// the steadier figure on a busy machine) of N runs each, alternating; the cache is warmed
// first. Usage: node scripts/startup-cache.mjs [NODE] [N]
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
  const quoted = [node, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const r = spawnSync('bash', ['-c', `TIMEFORMAT='%U %S'; time ${quoted} >/dev/null`], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const [user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { wall: Number(process.hrtime.bigint() - t) / 1e6, cpu: (user + sys) * 1000 };
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
for (const [k, xs] of Object.entries(out)) {
  const wall = xs.map((x) => x.wall),
    cpu = xs.map((x) => x.cpu);
  console.log(
    `${v}  ${k.padEnd(38)} wall median ${median(wall).toFixed(1)} ms (min ${Math.min(...wall).toFixed(1)}), ` +
      `CPU median ${median(cpu).toFixed(0)} ms (min ${Math.min(...cpu).toFixed(0)})`,
  );
}
