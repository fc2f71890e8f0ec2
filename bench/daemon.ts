// `npm run bench:daemon`: nlrouted's figures in namespaces this script makes and removes.
//  1. reconcile from empty: 100 links (50 veth pairs), 1,000 addresses, 10,000 routes, from
//     start to READY=1, against `ip -batch` making the same state in another namespace;
//  2. a reload with one route changed: the plan's length (must be 1);
//  3. drift: 100 injected changes (links down, routes and addresses deleted by `ip`), the
//     time until the daemon reports each corrected: median and p99;
//  4. idle: the daemon's RSS and CPU over 10 s with nothing to do.
//  5. --empty instead: start-up alone with an empty configuration, CPU to READY=1 over
//     --runs N starts (default 5), and one start under /usr/bin/time stopped at READY=1.
// Options: --small (10 links, 100 addresses, 1,000 routes; for a quick look), --json FILE,
// --cpu-prof DIR (the daemon writes V8 CPU profiles there).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VarlinkClient } from '../src/varlink/client.js';
import { BenchNetns, ipBatch, ipIn } from './ns.js';
import { startDaemon, type DaemonStart, type RunningDaemon } from '../test/helpers/daemon.js';

const small = process.argv.includes('--small');
const PAIRS = small ? 5 : 50;
const ADDRS_PER_LINK = 10;
const ROUTES = small ? 1000 : 10_000;
const DRIFTS = small ? 20 : 100;

const opt = (name: string): string | undefined =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
const jsonOut = opt('--json');
const empty = process.argv.includes('--empty');
const RUNS = Number(opt('--runs') ?? 5);
const cpuProf = opt('--cpu-prof');
const work = mkdtempSync(join(tmpdir(), 'nlroute-bench-daemon-'));

/** The daemon on a bench namespace, with the configuration directory given. */
const daemonAt = (netns: string, configDir: string, socket: string): DaemonStart => ({
  netns,
  configDir,
  runtimeDir: join(work, 'run'),
  socket,
  notifyDir: work,
  logLevel: 'warning',
  stderr: 'inherit',
  nodeArgs: cpuProf ? ['--cpu-prof', '--cpu-prof-dir', cpuProf] : [],
});

interface Setup {
  yaml: string;
  batch: string[];
  links: string[];
}

/** The same state as a configuration and as `ip -batch` lines. */
function setup(): Setup {
  const links: string[] = [];
  const y: string[] = ['links:'];
  const b: string[] = [];
  for (let i = 0; i < PAIRS; i++) {
    y.push(`  - { ifname: va${i}, kind: veth, peer: vb${i}, state: up }`, `  - { ifname: vb${i}, state: up }`);
    b.push(`link add va${i} type veth peer name vb${i}`, `link set va${i} up`, `link set vb${i} up`);
    links.push(`va${i}`, `vb${i}`);
  }
  y.push('addresses:');
  links.forEach((l, li) => {
    for (let k = 0; k < ADDRS_PER_LINK; k++) {
      y.push(`  - { ifname: ${l}, address: 10.${100 + Math.floor(li / 2)}.${(li % 2) * 100 + k}.1/24 }`);
      b.push(`addr add 10.${100 + Math.floor(li / 2)}.${(li % 2) * 100 + k}.1/24 dev ${l}`);
    }
  });
  y.push('routes:');
  for (let r = 0; r < ROUTES; r++) {
    const li = r % links.length;
    const gw = `10.${100 + Math.floor(li / 2)}.${(li % 2) * 100}.2`;
    const dst = `172.${16 + Math.floor(r / 65536)}.${Math.floor(r / 256) % 256}.${r % 256}/32`;
    y.push(`  - { dst: ${dst}, gateway: ${gw} }`);
    b.push(`route add ${dst} via ${gw}`);
  }
  return { yaml: `${y.join('\n')}\n`, batch: b, links };
}

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
/** Fields of /proc/PID/stat after the command name: utime, stime, cutime, cstime at 11..14. */
const statFields = (pid: number | 'self'): number[] =>
  readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ').map(Number);
const TICKS = 100;
/** User + system seconds of a process. */
const procCpu = (pid: number): number => {
  const f = statFields(pid);
  return (f[11] + f[12]) / TICKS;
};
/** User + system ms of this process's finished children. */
const childrenCpu = (): number => {
  const f = statFields('self');
  return ((f[13] + f[14]) / TICKS) * 1000;
};
const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

/**
 * --empty: start-up alone. An empty configuration, RUNS times: the daemon's CPU time at
 * READY=1 (from /proc), and its whole life under /usr/bin/time when stopped right then.
 */
async function startup(): Promise<void> {
  const cfg = join(work, 'etc-empty');
  mkdirSync(cfg, { recursive: true });
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const ns = new BenchNetns('daemon-start');
    try {
      const d = await startDaemon(daemonAt(ns.name, cfg, join(work, `start-${i}.sock`)));
      wall.push(ms(d.spawnedAt));
      cpu.push(procCpu(d.child.pid!) * 1000);
      await d.stop();
    } finally {
      ns.dispose();
    }
  }
  const timed = await underTime(cfg);
  const load = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  const out = {
    runs: RUNS,
    readyCpuMsMedian: pct(cpu, 50),
    readyCpuMsMin: Math.min(...cpu),
    readyWallMsMedian: pct(wall, 50),
    timeUserSec: timed[0],
    timeSysSec: timed[1],
    timeMaxRssKB: timed[2],
    loadAvg: load,
  };
  console.log(JSON.stringify(out, null, 2));
  console.log(
    `start-up, empty configuration: CPU to READY=1 median ${fmt(out.readyCpuMsMedian)} ms ` +
      `(min ${fmt(out.readyCpuMsMin)}, ${RUNS} runs), wall ${fmt(out.readyWallMsMedian)} ms at load ${fmt(load)}; ` +
      `/usr/bin/time (start, READY, SIGTERM): user ${timed[0]} s, sys ${timed[1]} s, max RSS ${timed[2]} KB`,
  );
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(out, null, 2));
}

/** One start under /usr/bin/time, stopped at READY=1: user s, sys s, max RSS KB. */
async function underTime(cfg: string): Promise<number[]> {
  const ns = new BenchNetns('daemon-time');
  const report = join(work, 'time.txt');
  try {
    const d = await startDaemon({
      ...daemonAt(ns.name, cfg, join(work, 'time.sock')),
      wrap: ['/usr/bin/time', '-o', report, '-f', '%U %S %M'],
    });
    // SIGTERM to node itself (time's only child): time then reports and exits.
    const node = Number(readFileSync(`/proc/${d.child.pid}/task/${d.child.pid}/children`, 'utf8').trim());
    const exited = new Promise((r) => d.child.once('close', r));
    process.kill(node, 'SIGTERM');
    await exited;
    await d.stop();
    // The last line: time may print 'Command exited with non-zero status' before it.
    return readFileSync(report, 'utf8').trim().split('\n').pop()!.split(/\s+/).map(Number);
  } finally {
    ns.dispose();
  }
}

const fmt = (x: unknown): string =>
  typeof x === 'number' ? (Number.isInteger(x) ? String(x) : x.toFixed(2)) : String(x);

async function main(): Promise<void> {
  const s = setup();
  const out: Record<string, unknown> = {
    links: s.links.length,
    addresses: s.links.length * ADDRS_PER_LINK,
    routes: ROUTES,
  };

  // ip -batch, best of 3 fresh namespaces; its CPU time from this process's waited-for children.
  const ipTimes: number[] = [];
  const ipCpu: number[] = [];
  for (let i = 0; i < 3; i++) {
    const ns = new BenchNetns('daemon-ip');
    const c0 = childrenCpu();
    const t0 = process.hrtime.bigint();
    ipBatch(ns.name, s.batch, work);
    ipTimes.push(ms(t0));
    ipCpu.push(childrenCpu() - c0);
    ns.dispose();
  }
  out.ipBatchMs = Math.min(...ipTimes);
  // The mean: a small batch takes less than the kernel's 10 ms accounting tick.
  out.ipBatchCpuMs = ipCpu.reduce((a, b) => a + b, 0) / ipCpu.length;

  const ns = new BenchNetns('daemon');
  const cfg = join(work, 'etc');
  mkdirSync(cfg, { recursive: true });
  writeFileSync(join(cfg, '10-bench.yaml'), s.yaml);
  const socket = join(work, 'api.sock');
  let d: RunningDaemon | undefined;
  try {
    d = await startDaemon({ ...daemonAt(ns.name, cfg, socket), readyTimeout: 600_000 });
    const child = d.child;
    out.reconcileMs = ms(d.spawnedAt);
    out.reconcileVsIpBatch = (out.reconcileMs as number) / (out.ipBatchMs as number);
    // CPU time is what a busy machine leaves steady: the daemon's own (start-up included) at READY.
    out.reconcileCpuMs = procCpu(child.pid!) * 1000;
    const routesNow = Number(
      spawnSync('sh', ['-c', `ip -n ${ns.name} route show | wc -l`], { encoding: 'utf8' }).stdout,
    );
    out.routesInKernel = routesNow;

    const c = await VarlinkClient.connect(`unix:${socket}`);
    // One route changed: exactly one step.
    writeFileSync(
      join(cfg, '10-bench.yaml'),
      s.yaml.replace(/(dst: 172\.16\.0\.0\/32, gateway: )[\d.]+/, '$110.100.0.3'),
    );
    const t1 = process.hrtime.bigint();
    const rl = await c.call<{ changes: number }>('io.nlroute.Network.Reload');
    out.reloadOneRouteMs = ms(t1);
    out.reloadOneRouteChanges = rl.changes;

    // Drift: a monitor sees each correction; each injected drift waits for the correction of
    // its own object (an extra or early event of another object cannot end its wait).
    const mon = await VarlinkClient.connect(`unix:${socket}`);
    const corrections: { key: string; at: bigint }[] = [];
    let wake: (() => void) | undefined;
    const subscribed = new Promise<void>((resolve) => {
      void (async () => {
        for await (const m of mon.stream<{ drift?: { action: string; key: string } }>('io.nlroute.Network.Monitor')) {
          if (!m.drift) resolve();
          else if (m.drift.action === 'corrected') {
            corrections.push({ key: m.drift.key, at: process.hrtime.bigint() });
            wake?.();
          }
        }
      })().catch(() => undefined);
    });
    await subscribed;
    const lat: number[] = [];
    let matched = 0;
    const cpuDrift0 = procCpu(child.pid!);
    const load = (): number => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
    const loads: number[] = [load()];
    for (let i = 0; i < DRIFTS; i++) {
      const kind = i % 3;
      const li = (i * 7) % s.links.length;
      const l = s.links[li];
      const route = `172.16.${Math.floor((i * 13) / 256) % 256}.${(i * 13) % 256}/32`;
      const addr = `10.${100 + Math.floor(li / 2)}.${(li % 2) * 100 + 5}.1/24`;
      const [args, key] =
        kind === 0
          ? [['link', 'set', l, 'down'], l]
          : kind === 1
            ? [['route', 'del', route], route]
            : [['addr', 'del', addr, 'dev', l], `${addr} dev ${l}`];
      const from = corrections.length;
      const t = process.hrtime.bigint();
      ipIn(ns.name, args);
      const end = Date.now() + 10_000;
      let hit: { at: bigint } | undefined;
      while (!(hit = corrections.slice(from).find((c) => c.key === key)) && Date.now() < end)
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 100);
        });
      if (hit) matched++;
      lat.push(Number((hit?.at ?? process.hrtime.bigint()) - t) / 1e6);
      if (i % 10 === 9) loads.push(load());
      await new Promise((r) => setTimeout(r, 20));
    }
    out.driftInjected = DRIFTS;
    out.driftCorrected = matched;
    out.driftEvents = corrections.length;
    out.driftMedianMs = pct(lat, 50);
    out.driftP99Ms = pct(lat, 99);
    out.driftLoadAvg = loads.reduce((a, b) => a + b, 0) / loads.length;
    out.driftCpuPerCorrectionMs = ((procCpu(child.pid!) - cpuDrift0) * 1000) / DRIFTS;
    // Restored means the kernel has it all again: every route, every link up.
    out.routesAfterDrift = Number(
      spawnSync('sh', ['-c', `ip -n ${ns.name} route show | wc -l`], { encoding: 'utf8' }).stdout,
    );
    out.linksDownAfterDrift = Number(
      spawnSync('sh', ['-c', `ip -n ${ns.name} link show | grep -c 'state DOWN' || true`], { encoding: 'utf8' }).stdout,
    );
    mon.close();

    // Idle.
    const stat = (): number => procCpu(child.pid!);
    const cpu0 = stat();
    await new Promise((r) => setTimeout(r, 10_000));
    out.idleCpuPercent = ((stat() - cpu0) / 10) * 100;
    out.idleRssMB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024;
    c.close();
  } finally {
    await d?.stop();
    ns.dispose();
  }
  console.log(JSON.stringify(out, null, 2));
  console.log(
    `\nreconcile ${out.links} links, ${out.addresses} addresses, ${out.routes} routes from empty: ` +
      `${fmt(out.reconcileMs)} ms vs ip -batch ${fmt(out.ipBatchMs)} ms = ${fmt(out.reconcileVsIpBatch)}x (target <= 1.5x); ` +
      `CPU ${fmt(out.reconcileCpuMs)} ms vs ${fmt(out.ipBatchCpuMs)} ms`,
  );
  console.log(
    `reload with one route changed: ${out.reloadOneRouteChanges} change(s) in ${fmt(out.reloadOneRouteMs)} ms (target: exactly 1)`,
  );
  console.log(
    `drift: ${out.driftCorrected}/${out.driftInjected} corrected (${out.driftEvents} drift events); ` +
      `median ${fmt(out.driftMedianMs)} ms, p99 ${fmt(out.driftP99Ms)} ms (target <= 1000 ms) at load ${fmt(out.driftLoadAvg)}; ` +
      `CPU ${fmt(out.driftCpuPerCorrectionMs)} ms per correction; afterwards ${out.routesAfterDrift} routes ` +
      `(${out.routesInKernel} before), ${out.linksDownAfterDrift} links down`,
  );
  console.log(`idle: RSS ${fmt(out.idleRssMB)} MB, CPU ${fmt(out.idleCpuPercent)} %`);
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(out, null, 2));
}

(empty ? startup() : main())
  .finally(() => rmSync(work, { recursive: true, force: true }))
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
