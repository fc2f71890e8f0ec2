// Workload 5 needs two processes at once: a listener (nlroute, pyroute2 or `ip monitor`),
// measured as a whole process, and `ip -batch` making the changes once the listener is ready.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { lastJson, scratchDir, spawnTracked, type Impl, type ImplResult, type Sample } from './measure.js';
import { BenchNetns, ipIn } from './ns.js';
import { BENCH_DIR, DIST_BENCH } from './paths.js';
import { PYTHON } from './peers.js';
import type { Ctx } from './suite.js';
import { ipv4At } from './workloads/common.js';

const execFileP = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Epoch milliseconds with sub-millisecond precision (the listeners report the same clock). */
const nowMs = (): number => performance.timeOrigin + performance.now();
/** How long after the last change a listener may take before it is stopped and counted. */
const GRACE_MS = 5000;

interface Listener extends Impl {
  /** 'line': prints 'ready' and then one JSON result; 'monitor': ip monitor's lines are counted. */
  kind: 'line' | 'monitor';
}

/** ip -ts prints "[2026-11-23T19:28:04.859654] ..." in local time. */
function tsOf(line: string): number {
  const m = /^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)\]/.exec(line);
  return m ? new Date(m[1]).getTime() + Number(m[2]) * 1000 : NaN;
}

async function once(l: Listener, n: number, batchFile: string): Promise<Sample> {
  const ns = new BenchNetns('events');
  const dir = scratchDir();
  const tag = `ev-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const result = join(dir, `${tag}.json`),
    out = join(dir, `${tag}.out`),
    err = join(dir, `${tag}.err`);
  try {
    ipIn(ns.name, ['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1']);
    ipIn(ns.name, ['link', 'set', 'v0', 'up']);
    ipIn(ns.name, ['link', 'set', 'v1', 'up']);
    const p = spawnTracked([
      '--result',
      result,
      '--stdout',
      out,
      '--stderr',
      err,
      '--timeout',
      '120',
      '--netns',
      ns.path,
      '--',
      ...l.cmd,
    ]);
    const exited = new Promise<void>((resolve) => p.on('exit', () => resolve()));
    let done = false;
    void exited.then(() => {
      done = true;
    });
    const read = (): string => {
      try {
        return readFileSync(out, 'utf8');
      } catch {
        return '';
      }
    };
    if (l.kind === 'line') {
      for (let t = 0; !read().startsWith('ready'); t += 5) {
        if (done || t > 15000) throw new Error(`${l.id} did not get ready: ${readFileSync(err, 'utf8').slice(-300)}`);
        await sleep(5);
      }
    } else await sleep(300);
    const t0 = nowMs();
    await execFileP('ip', ['-n', ns.name, '-batch', batchFile]);
    const t1 = nowMs();
    // A listener that got everything exits by itself; ip monitor never does.
    const count = (s: string): number => s.split('\n').filter((x) => x.includes(' inet ')).length;
    for (let t = 0; !done && t < GRACE_MS; t += 5) {
      if (l.kind === 'monitor' && count(read()) >= n) break;
      await sleep(5);
    }
    if (!done) p.kill('SIGTERM');
    await exited;
    const r = JSON.parse(readFileSync(result, 'utf8')) as {
      wall_s: number;
      maxrss_kb: number;
      user_s: number;
      sys_s: number;
      status: number;
    };
    const text = read();
    let received: number, enobufs: number, last: number;
    if (l.kind === 'line') {
      const j = lastJson(text);
      received = Number(j.count);
      enobufs = Number(j.enobufs);
      last = Number(j.last_ms);
    } else {
      const lines = text.split('\n').filter((x) => x.includes(' inet '));
      received = lines.length;
      last = lines.length ? tsOf(lines[lines.length - 1]) : NaN;
      enobufs = readFileSync(err, 'utf8')
        .split('\n')
        .filter((x) => /No buffer space/i.test(x)).length;
    }
    const drain = Number.isFinite(last) && received > 0 ? Math.max(0, last - t1) / 1000 : NaN;
    const all = Number.isFinite(last) && received > 0 ? (last - t0) / 1000 : NaN;
    return {
      wall: drain,
      rssMB: r.maxrss_kb / 1024,
      cpu: r.user_s + r.sys_s,
      extra: { received, enobufs, batch_s: (t1 - t0) / 1000, all_s: all },
    };
  } finally {
    for (const f of [result, out, err]) rmSync(f, { force: true });
    ns.dispose();
  }
}

/** Alternate the listeners over warm-up + counted rounds; each run in a fresh namespace. */
export async function runEvents(n: number, ctx: Ctx): Promise<ImplResult[]> {
  const batchFile = join(scratchDir(), `events-${n}.batch`);
  writeFileSync(
    batchFile,
    Array.from({ length: n }, (_, i) => `address add ${ipv4At('10.96.0.0', i)}/32 dev v0`).join('\n') + '\n',
  );
  const none = (): Record<string, unknown> => ({});
  const listeners: Listener[] = [
    {
      id: 'nlroute',
      lib: 'nlroute',
      mode: 'process',
      kind: 'line',
      check: none,
      cmd: [process.execPath, join(DIST_BENCH, 'workloads', 'events.js'), '--n', String(n)],
    },
  ];
  if (ctx.peers.pyroute2)
    listeners.push({
      id: 'pyroute2 bind() + get()',
      lib: 'pyroute2',
      mode: 'process',
      kind: 'line',
      check: none,
      cmd: [PYTHON, join(BENCH_DIR, 'peers', 'pyroute2_events.py'), String(n)],
    });
  listeners.push({
    id: 'ip monitor',
    lib: 'iproute2',
    mode: 'process',
    kind: 'monitor',
    check: none,
    cmd: ['ip', '-ts', '-o', 'monitor', 'link', 'address'],
  });
  const results: ImplResult[] = listeners.map((impl) => ({ impl, samples: [] }));
  for (let round = 0; round < ctx.warmup + ctx.reps; round++) {
    for (const r of results) {
      if (r.error) continue;
      try {
        const s = await once(r.impl as Listener, n, batchFile);
        if (round >= ctx.warmup) r.samples.push(s);
        ctx.log(
          `  ${round < ctx.warmup ? 'warm-up' : `rep ${round - ctx.warmup + 1}/${ctx.reps}`} ${r.impl.id}: drain ${(s.wall * 1000).toFixed(2)} ms, last event ${(Number(s.extra.all_s) * 1000).toFixed(1)} ms after the first change, ${String(s.extra.received)}/${n} received, ENOBUFS ${String(s.extra.enobufs)}`,
        );
      } catch (e) {
        r.error = (e as Error).message;
        ctx.log(`  ${r.impl.id}: FAILED ${r.error}`);
      }
    }
  }
  return results;
}
