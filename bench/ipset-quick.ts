// Quick ipset figures against ipset(8), in a throw-away namespace (not a timed test):
//   addMany of N hash:ip entries  vs  `ipset restore` of the same N add lines
//   list of the N-entry set       vs  `ipset list`
// Run: npx tsc -p tsconfig.json && node dist/bench/ipset-quick.js [N] [rounds]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IPSet } from '../src/ipset/index.js';

const N = Number(process.argv[2] ?? 100_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const NS = `nlr-bench-ipset-${process.pid}`;

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const min = (xs: number[]): number => Math.min(...xs);

/** Wall time of a whole ipset(8) process in the namespace. */
function timeIpset(args: string[], input?: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('ip', ['netns', 'exec', NS, 'ipset', ...args], { input, maxBuffer: 1 << 28 });
  const t = ms(t0);
  if (r.status !== 0) throw new Error(`ipset ${args.join(' ')}: ${r.stderr}`);
  return t;
}

/** Time of `ip netns exec NS true`, to subtract the wrapper from ipset(8)'s figures. */
function timeWrapper(): number {
  const t0 = process.hrtime.bigint();
  spawnSync('ip', ['netns', 'exec', NS, 'true']);
  return ms(t0);
}

async function main(): Promise<void> {
  execFileSync('ip', ['netns', 'add', NS]);
  const ipset = new IPSet({ netns: NS });
  try {
    const entries: string[] = [];
    for (let i = 0; i < N; i++) entries.push(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    const create = `create b hash:ip hashsize 65536 maxelem ${N * 2}\n`;
    const restoreText = create + entries.map((e) => `add b ${e}`).join('\n') + '\n';

    const wrap = median(Array.from({ length: 5 }, timeWrapper));
    // Whole-process figures for nlroute too: node startup, module load, then the work.
    const dir = mkdtempSync(join(tmpdir(), 'nlr-ipset-bench-'));
    const file = join(dir, 'restore.txt');
    writeFileSync(file, restoreText);
    const cliJs = new URL('../src/ipset/cli.js', import.meta.url).pathname;
    const ipsetJs = new URL('../src/ipset/index.js', import.meta.url).pathname;
    const wholeRestore = `import { runIpsetCli } from '${cliJs}'; process.exitCode = await runIpsetCli(['--netns', '${NS}', 'restore', '-f', '${file}'], process.stdout);`;
    const wholeAdd = `import { IPSet } from '${ipsetJs}'; const s = new IPSet({ netns: '${NS}' });
      await s.create('b', { hashsize: 65536, maxelem: ${N * 2} }); const e = [];
      for (let i = 0; i < ${N}; i++) e.push('10.' + ((i >> 16) & 255) + '.' + ((i >> 8) & 255) + '.' + (i & 255));
      const r = await s.addMany('b', e); s.close(); if (r.done !== ${N}) process.exitCode = 1;`;
    const whole = (code: string): number => {
      spawnSync('ip', ['netns', 'exec', NS, 'ipset', 'destroy']);
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', code]);
      const t = ms(t0);
      if (r.status !== 0) throw new Error(`whole-process run failed: ${r.stderr}`);
      return t;
    };
    const tWholeRestore: number[] = [],
      tWholeAdd: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      tWholeRestore.push(whole(wholeRestore));
      tWholeAdd.push(whole(wholeAdd));
    }
    rmSync(dir, { recursive: true, force: true });
    const tRestore: number[] = [],
      tAdd: number[] = [],
      tListIpset: number[] = [],
      tList: number[] = [],
      tStream: number[] = [];
    // A warm-up round for the JIT, not counted.
    for (let round = -1; round < ROUNDS; round++) {
      spawnSync('ip', ['netns', 'exec', NS, 'ipset', 'destroy']);
      const r = timeIpset(['restore'], restoreText);
      const l = timeIpset(['list', 'b'], undefined);
      spawnSync('ip', ['netns', 'exec', NS, 'ipset', 'destroy']);

      await ipset.create('b', { hashsize: 65536, maxelem: N * 2 });
      let t0 = process.hrtime.bigint();
      const res = await ipset.addMany('b', entries);
      const a = ms(t0);
      if (res.done !== N || res.errors.length)
        throw new Error(`addMany: ${res.done} done, ${res.errors.length} errors`);

      t0 = process.hrtime.bigint();
      const sets = await ipset.list('b');
      let chars = 0;
      for (const e of sets[0].entries) chars += e.toString().length;
      const li = ms(t0);
      if (sets[0].entries.length !== N || chars === 0) throw new Error('list: wrong count');

      t0 = process.hrtime.bigint();
      let n = 0;
      for await (const e of ipset.list('b')) {
        if (e.ip) n++;
      }
      const st = ms(t0);
      if (n !== N) throw new Error('stream: wrong count');
      if (round >= 0) {
        tRestore.push(r);
        tAdd.push(a);
        tListIpset.push(l);
        tList.push(li);
        tStream.push(st);
      }
    }
    const f = (xs: number[], minus = 0): string =>
      `${(median(xs) - minus).toFixed(1).padStart(7)} ms (min ${(min(xs) - minus).toFixed(1).padStart(6)})`;
    console.log(`ipset bench, ${N} hash:ip entries, median (and min) of ${ROUNDS} rounds`);
    console.log(
      `  ipset restore, whole process, less the ip netns exec wrapper (${wrap.toFixed(1)} ms)  ${f(tRestore, wrap)}`,
    );
    console.log(`  nlroute addMany, in process                                          ${f(tAdd)}`);
    console.log(`  nlroute: node process creating the set and running addMany           ${f(tWholeAdd)}`);
    console.log(`  nlroute ipset restore -f (CLI module, same text file), whole process  ${f(tWholeRestore)}`);
    console.log(`  ipset list, whole process, less the wrapper                          ${f(tListIpset, wrap)}`);
    console.log(`  nlroute list, all entries + toString() of each                       ${f(tList)}`);
    console.log(`  nlroute list, streamed (for await), .ip of each                      ${f(tStream)}`);
    console.log(
      `  ratios: addMany/restore ${(median(tAdd) / (median(tRestore) - wrap)).toFixed(2)}, list/ipset list ${(median(tList) / (median(tListIpset) - wrap)).toFixed(2)}`,
    );
  } finally {
    ipset.close();
    execFileSync('ip', ['netns', 'del', NS]);
  }
}

await main();
