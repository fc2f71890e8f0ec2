// Performance sanity check (not a timed test): a fresh namespace with 100,000 routes, dumped
// with IPRoute.getRoutes and dumpRoutes, reading RTA_DST of each; prints times and RSS.
//
//   npx tsc -p tsconfig.json && node dist/bench/route-dump-quick.js [routes] [--fill=ip|nlroute] [--runs=N]
//   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/route-dump-quick.js
import { execFileSync, spawnSync } from 'node:child_process';
import { IPRoute } from '../src/rtnl/index.js';

const args = process.argv.slice(2);
const N = Number(args.find((a) => /^\d+$/.test(a)) ?? 100_000);
const fill = args.find((a) => a.startsWith('--fill='))?.slice(7) ?? 'ip';
const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3);
const ns = `nlr-bench-routes-${process.pid}`;
const mb = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;
const dst = (i: number): string => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

async function main(): Promise<void> {
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    const ipr = new IPRoute({ netns: ns });
    try {
      let t = performance.now();
      if (fill === 'ip') {
        const lines = Array.from({ length: N }, (_, i) => `route add ${dst(i)}/32 dev lo`).join('\n') + '\n';
        const r = spawnSync('ip', ['-n', ns, '-batch', '-'], { input: lines, maxBuffer: 1 << 26 });
        if (r.status !== 0) throw new Error(`ip -batch failed: ${r.stderr}`);
      } else {
        const res = await ipr.batch(
          Array.from({ length: N }, (_, i) => ['route', 'add', { dst: `${dst(i)}/32`, oif: 1 }] as const),
        );
        const bad = res.filter((x) => !x.ok).length;
        if (bad) throw new Error(`${bad} adds failed`);
      }
      console.log(`fill (${fill}): ${N} routes in ${(performance.now() - t).toFixed(0)} ms`);

      for (let run = 1; run <= runs; run++) {
        global.gc?.();
        const rss0 = process.memoryUsage().rss;
        t = performance.now();
        const routes = await ipr.getRoutes({ family: 'inet', table: 'main' });
        const tDump = performance.now() - t;
        let n = 0;
        for (const r of routes) if (r.getAttr('RTA_DST') !== undefined) n++;
        const tAll = performance.now() - t;
        const rss1 = process.memoryUsage().rss;
        console.log(
          `run ${run}: getRoutes ${routes.length} routes in ${tDump.toFixed(0)} ms, + RTA_DST of each: ${tAll.toFixed(0)} ms ` +
            `(${(routes.length / (tAll / 1000) / 1000).toFixed(0)}k routes/s), ${n} with dst; RSS ${mb(rss0)} -> ${mb(rss1)}`,
        );
      }
      // Records: the same dump read as records (ipr.routes(), r.dst of each) against the message
      // dump (getRoutes(), getAttr('RTA_DST')): CPU time, steadier than wall time on a busy machine.
      const cpu = (): number => {
        const u = process.cpuUsage();
        return (u.user + u.system) / 1000;
      };
      const tm: number[] = [],
        tr: number[] = [];
      // Each pass in a function of its own, so that neither holds the other's dump while it runs,
      // and the order alternates, so that neither always runs on the heap the other left.
      const messagesPass = async (): Promise<[number, number]> => {
        global.gc?.();
        const c = cpu();
        const msgs = await ipr.getRoutes({ family: 'inet', table: 'main' });
        let n = 0;
        for (const r of msgs) if (r.getAttr('RTA_DST') !== undefined) n++;
        return [cpu() - c, n];
      };
      const recordsPass = async (): Promise<[number, number]> => {
        global.gc?.();
        const c = cpu();
        const recs = await ipr.routes({ family: 'inet', table: 'main' });
        let k = 0;
        for (const r of recs) if (r.dst !== undefined) k++;
        return [cpu() - c, k];
      };
      for (let run = 1; run <= runs; run++) {
        let m: [number, number], r: [number, number];
        if (run % 2) (m = await messagesPass()), (r = await recordsPass());
        else (r = await recordsPass()), (m = await messagesPass());
        tm.push(m[0]);
        tr.push(r[0]);
        console.log(
          `run ${run}: messages ${m[0].toFixed(0)} ms CPU, records ${r[0].toFixed(0)} ms CPU (${m[1]}/${r[1]} with dst)`,
        );
      }
      const med = (a: number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1];
      console.log(`records/messages CPU ratio (medians): ${(med(tr) / med(tm)).toFixed(2)}`);
      global.gc?.();
      const rss0 = process.memoryUsage().rss;
      let peak = rss0;
      t = performance.now();
      let n = 0;
      for await (const r of ipr.dumpRoutes({ family: 'inet', table: 'main' })) {
        if (r.getAttr('RTA_DST') !== undefined) n++;
        if ((n & 8191) === 0) peak = Math.max(peak, process.memoryUsage().rss);
      }
      console.log(
        `dumpRoutes (streamed): ${n} routes in ${(performance.now() - t).toFixed(0)} ms; RSS ${mb(rss0)}, peak ${mb(peak)}`,
      );
    } finally {
      ipr.close();
    }
  } finally {
    execFileSync('ip', ['netns', 'del', ns]);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
