// Whole-process measurement: each run is one process, started by a tiny C wrapper (runstat)
// that reports wall time and peak RSS; implementations alternate A B A B after a warm-up.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onInterrupt } from './ns.js';
import { BENCH_DIR, PEERS_DIR } from './paths.js';

/** Processes running now: stopped (runstat passes the signal on) if the benchmark is interrupted. */
const running = new Set<ChildProcess>();
onInterrupt(() => {
  for (const p of running) p.kill('SIGTERM');
});

/** Spawn runstat and keep track of it until it exits. */
export function spawnTracked(args: string[]): ChildProcess {
  const p = spawn(runstat(), args, { stdio: ['ignore', 'inherit', 'inherit'] });
  running.add(p);
  p.on('exit', () => running.delete(p));
  return p;
}

/** One measured run. */
export interface Sample {
  /** Seconds: the whole process, or the in-process figure the process reported. */
  wall: number;
  /** Peak resident set of the whole process, MB. */
  rssMB: number;
  /** CPU seconds (user + system) of the process, or of the timed span for in-process runs. */
  cpu: number;
  /** Extra figures the process reported (counts, events, ENOBUFS...). */
  extra: Record<string, unknown>;
}

/** One implementation of a workload, as a command to run. */
export interface Impl {
  /** Short id, e.g. 'nlroute', 'nlroute (in-process)', 'pyroute2', 'netlink', 'ip -j'. */
  id: string;
  /** nlroute, pyroute2, netlink, iproute2, ipset: for versions and ratios. */
  lib: string;
  mode: 'process' | 'in-process';
  cmd: string[];
  /** Namespace file to enter before the spawn (whole-process runs). */
  netns?: string;
  stdin?: string;
  /** Untimed preparation before each run (fresh state for write workloads). */
  before?: () => Promise<void> | void;
  /** Untimed clean-up after each run. */
  after?: () => Promise<void> | void;
  /** Check the run's stdout; return its figures (e.g. { count }) or throw. */
  check: (stdout: string) => Record<string, unknown>;
  /** The process prints its own timing as JSON { wall_s } (in-process runs). */
  selfTimed?: boolean;
  timeoutS?: number;
}

export interface ImplResult {
  impl: Impl;
  samples: Sample[];
  error?: string;
}

let runstatPath: string | undefined;

/** Build the runstat wrapper once (needs a C compiler, as the native addon does). */
export function runstat(): string {
  if (runstatPath) return runstatPath;
  const src = join(BENCH_DIR, 'tools', 'runstat.c');
  const bin = join(PEERS_DIR, 'runstat');
  if (!existsSync(bin) || statSync(bin).mtimeMs < statSync(src).mtimeMs) {
    execFileSync('cc', ['-O2', '-Wall', '-o', bin, src], { stdio: 'inherit' });
  }
  runstatPath = bin;
  return bin;
}

let scratch: string | undefined;

/** A temp directory for outputs of this run, removed at exit. */
export function scratchDir(): string {
  if (!scratch) {
    // /dev/shm keeps output files off the disk: a peer writing 10 MB of JSON is not timed on I/O.
    scratch = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'nlr-bench-'));
    const dir = scratch;
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return scratch;
}

let seq = 0;

/** Run one implementation once as a whole process. */
export async function runOnce(impl: Impl): Promise<Sample> {
  const dir = scratchDir();
  const n = seq++;
  const result = join(dir, `r${n}.json`),
    out = join(dir, `o${n}.txt`),
    err = join(dir, `e${n}.txt`);
  const args = ['--result', result, '--stdout', out, '--stderr', err, '--timeout', String(impl.timeoutS ?? 300)];
  if (impl.netns) args.push('--netns', impl.netns);
  if (impl.stdin) args.push('--stdin', impl.stdin);
  await impl.before?.();
  try {
    await new Promise<void>((resolve, reject) => {
      const p = spawnTracked([...args, '--', ...impl.cmd]);
      p.on('error', reject);
      p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`runstat exited ${code}`))));
    });
    const r = JSON.parse(readFileSync(result, 'utf8')) as {
      wall_s: number;
      maxrss_kb: number;
      user_s: number;
      sys_s: number;
      status: number;
    };
    const stdout = readFileSync(out, 'utf8');
    if (r.status !== 0) {
      const msg = readFileSync(err, 'utf8').trim().split('\n').slice(-5).join(' | ');
      throw new Error(`${impl.cmd.join(' ')} exited ${r.status}: ${msg}`);
    }
    const extra = impl.check(stdout);
    let wall = r.wall_s,
      cpu = r.user_s + r.sys_s;
    if (impl.selfTimed) {
      if (typeof extra.wall_s !== 'number') throw new Error(`${impl.id}: no wall_s in its output`);
      wall = extra.wall_s;
      cpu = typeof extra.cpu_s === 'number' ? extra.cpu_s : NaN;
    }
    return { wall, rssMB: r.maxrss_kb / 1024, cpu, extra };
  } finally {
    rmSync(out, { force: true });
    rmSync(err, { force: true });
    rmSync(result, { force: true });
    await impl.after?.();
  }
}

export interface AlternateOptions {
  reps: number;
  warmup: number;
  log?: (line: string) => void;
}

/**
 * Run every implementation `warmup` times uncounted, then `reps` rounds of A B C ... so that
 * a slow phase of the machine touches each alike. An implementation that fails is dropped
 * from the rounds and reported with its error.
 */
export async function alternate(impls: Impl[], opts: AlternateOptions): Promise<ImplResult[]> {
  const results = impls.map((impl) => ({ impl, samples: [] as Sample[], error: undefined as string | undefined }));
  const total = opts.warmup + opts.reps;
  for (let round = 0; round < total; round++) {
    for (const r of results) {
      if (r.error) continue;
      try {
        const s = await runOnce(r.impl);
        if (round >= opts.warmup) r.samples.push(s);
        opts.log?.(
          `  ${round < opts.warmup ? 'warm-up' : `rep ${round - opts.warmup + 1}/${opts.reps}`} ${r.impl.id}: ${s.wall.toFixed(4)} s, ${s.rssMB.toFixed(1)} MB`,
        );
      } catch (e) {
        r.error = (e as Error).message;
        opts.log?.(`  ${r.impl.id}: FAILED ${r.error}`);
      }
    }
  }
  return results;
}

/** Median, min and max of a list of numbers. */
export function stats(xs: number[]): { median: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  const median = s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  return { median, min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN };
}

/** Parse the last JSON line a process printed (our workloads and peers print one). */
export function lastJson(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i].trim();
    if (l.startsWith('{')) return JSON.parse(l) as Record<string, unknown>;
  }
  throw new Error(`no JSON result in output: ${stdout.slice(-200)}`);
}

/** A check for processes that print { count } (and maybe more): count must be at least `min`. */
export function expectCount(min: number): (stdout: string) => Record<string, unknown> {
  return (stdout) => {
    const r = lastJson(stdout);
    if (typeof r.count !== 'number' || r.count < min) throw new Error(`count ${String(r.count)} < expected ${min}`);
    return r;
  };
}
