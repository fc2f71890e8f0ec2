// `npm run bench [-- --quick] [--json FILE] [--only W1,W2] [--reps N]`: installs the peers
// where missing, runs every workload for nlroute and its peers in namespaces it creates and
// removes, and prints the table and the targets. Exits 0 when targets miss (they print MISS);
// non-zero only when the benchmark itself could not run.
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { runstat } from './measure.js';
import { removeAll } from './ns.js';
import { ROOT } from './paths.js';
import { ensurePeers, versions } from './peers.js';
import { json, markdown } from './report.js';
import { GROUPS, measureNodeBaseline, suite, type WorkloadResult } from './suite.js';

interface Options {
  quick: boolean;
  json?: string;
  only?: string[];
  reps?: number;
}

function usage(msg?: string): never {
  if (msg) process.stderr.write(`bench: ${msg}\n`);
  process.stderr.write(`usage: npm run bench -- [--quick] [--json FILE] [--only ${GROUPS.join(',')}] [--reps N]\n`);
  process.exit(2);
}

function parse(argv: string[]): Options {
  const o: Options = { quick: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') o.quick = true;
    else if (a === '--json') o.json = argv[++i] ?? usage('--json needs a file');
    else if (a === '--only') {
      o.only = (argv[++i] ?? usage('--only needs workload names')).split(',');
      for (const w of o.only) if (!GROUPS.includes(w)) usage(`unknown workload ${w}`);
    } else if (a === '--reps') {
      o.reps = Number(argv[++i]);
      if (!Number.isInteger(o.reps) || o.reps < 1) usage('--reps needs a positive integer');
    } else if (a === '--help' || a === '-h') usage();
    else usage(`unknown option ${a}`);
  }
  return o;
}

async function main(): Promise<void> {
  const opts = parse(process.argv.slice(2));
  const log = (s: string): void => void process.stderr.write(s + '\n');
  if (process.getuid?.() !== 0) usage('must run as root (it creates network namespaces)');
  if (!existsSync(join(ROOT, 'build', 'Release', 'nlroute_native.node'))) {
    usage('the native addon is not built: run `npm install` (or `npx node-gyp rebuild`) first');
  }
  const started = Date.now();
  const loadStart = loadavg()[0];
  const peers = ensurePeers(log);
  for (const n of peers.notes) log(`note: ${n}`);
  runstat();
  const reps = opts.reps ?? (opts.quick ? 3 : 5);
  const ctx = { quick: opts.quick, reps, warmup: 1, peers, log };
  const results: WorkloadResult[] = [];
  try {
    log(`node -e 0 (this run's baseline): ${(await measureNodeBaseline(ctx)).toFixed(4)} s`);
    for (const w of suite(opts.quick)) {
      if (opts.only && !opts.only.includes(w.group)) continue;
      results.push(...(await w.run(ctx)));
    }
  } finally {
    removeAll();
  }
  // Other work on the machine inflates wall times: the load average says how busy it was.
  const load = `${loadStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end`;
  const meta = {
    quick: opts.quick,
    reps,
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    load,
  };
  const v = versions();
  const table = markdown(results, v, meta);
  process.stdout.write('\n' + table + '\n');
  log(`\nbench finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (opts.json) writeFileSync(opts.json, json(results, v, { ...meta, notes: peers.notes }));
  // A peer that fails is a note; nlroute failing is a regression.
  const broken = results.flatMap((w) =>
    w.rows
      .filter((r) => (r.lib === 'nlroute' || r.lib === 'floor') && r.error)
      .map((r) => `${w.key}: ${r.id} (${r.mode})`),
  );
  if (broken.length) {
    log(`nlroute failed in: ${broken.join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  removeAll();
  process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
