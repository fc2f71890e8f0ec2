// In-process timing of one nlroute workload: `node dist/bench/inproc.js WORKLOAD --warm K
// [--netns NAME] ...args`. Runs the workload K times untimed (JIT warm-up), then once timed,
// in the same process, with sockets opened through { netns }; prints the result and wall_s.
import { performance } from 'node:perf_hooks';
import { parseArgs, type Workload } from './workloads/common.js';

async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  if (!name || !/^[a-z0-9-]+$/.test(name)) throw new Error('usage: inproc.js WORKLOAD [--warm K] [--netns NAME] ...');
  const args = parseArgs(rest);
  const warm = Number(args.warm ?? 1);
  delete args.warm;
  const mod = (await import(`./workloads/${name}.js`)) as { run: Workload };
  for (let i = 0; i < warm; i++) await mod.run(args);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await mod.run(args);
  const wall_s = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  // CPU time (user + system: the kernel's dump work runs in our recvmsg calls) is steadier than
  // wall time on a busy machine.
  process.stdout.write(JSON.stringify({ ...r, wall_s, cpu_s: (c.user + c.system) / 1e6 }) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
