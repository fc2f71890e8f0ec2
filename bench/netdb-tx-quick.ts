// Performance check of one verified NetDB transaction (not a timed test): CPU and wall time of
// the first transaction in a fresh process (cold), of one after a warm-up transaction in
// another namespace (warm), of a rollback after a failing last step, and of `ip -batch` making
// the same changes (its own CPU, from getrusage of the child).
//
//   npx tsc -p tsconfig.json && node scripts/bundle.mjs
//   node dist/bench/netdb-tx-quick.js [--routes 1000] [--addrs 100] [--warm] [--runs 3]
//   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/netdb-tx-quick.js --warm
import { execFileSync, spawnSync } from 'node:child_process';
import { NetDB, type Desired } from 'nlroute/netdb';
import { desired } from './workloads/netdb-tx.js';
import { intArg, ipv4At, parseArgs } from './workloads/common.js';

const args = parseArgs(process.argv.slice(2));
const routes = intArg(args, 'routes', 1000),
  addrs = intArg(args, 'addrs', 100),
  runs = intArg(args, 'runs', 3);
// --shape daemon: the daemon bench's set-up (veth pairs up, 10 addresses each, routes via gateways).
const daemonShape = args.shape === 'daemon';

function daemonDesired(pairs: number, routeCount: number): Desired {
  const d: Required<Pick<Desired, 'links' | 'addresses' | 'routes'>> = { links: [], addresses: [], routes: [] };
  const names: string[] = [];
  for (let i = 0; i < pairs; i++) {
    d.links.push({ ifname: `va${i}`, kind: 'veth', peer: `vb${i}`, state: 'up' }, { ifname: `vb${i}`, state: 'up' });
    names.push(`va${i}`, `vb${i}`);
  }
  names.forEach((l, li) => {
    for (let k = 0; k < 10; k++)
      d.addresses.push({ ifname: l, address: `10.${100 + Math.floor(li / 2)}.${(li % 2) * 100 + k}.1/24` });
  });
  for (let r = 0; r < routeCount; r++) {
    const li = r % names.length;
    const gateway = `10.${100 + Math.floor(li / 2)}.${(li % 2) * 100}.2`;
    d.routes.push({ dst: `172.${16 + Math.floor(r / 65536)}.${Math.floor(r / 256) % 256}.${r % 256}/32`, gateway });
  }
  return d;
}
let seq = 0;

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function freshNs(): string {
  const name = `nlr-bench-txq-${process.pid}-${seq++}`;
  execFileSync('ip', ['netns', 'add', name]);
  const ip = (...a: string[]): void => void execFileSync('ip', ['-n', name, ...a]);
  ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
  ip('link', 'set', 'v0', 'up');
  ip('link', 'set', 'v1', 'up');
  return name;
}
const dropNs = (name: string): void => void execFileSync('ip', ['netns', 'del', name]);

async function tx(failLast: boolean): Promise<string> {
  const ns = freshNs();
  try {
    const c0 = cpuMs(),
      w0 = performance.now();
    const db = await NetDB.open({ netns: ns, neighbours: false });
    const c1 = cpuMs(),
      w1 = performance.now();
    const want = daemonShape ? daemonDesired(addrs / 20, routes) : desired(routes, addrs, 'v0', failLast);
    if (daemonShape && failLast) want.routes!.push({ dst: '10.250.0.0/16', gateway: '10.251.0.1' });
    const r = await db.apply(want);
    const c2 = cpuMs(),
      w2 = performance.now();
    db.close();
    if (failLast ? r.ok || r.rollbackErrors?.length : !r.ok)
      throw new Error(`unexpected result: ${r.failed?.error.message} ${r.rollbackErrors}`);
    const t = r.timings;
    return (
      `open cpu ${(c1 - c0).toFixed(1)} wall ${(w1 - w0).toFixed(1)} ms; ` +
      `apply cpu ${(c2 - c1).toFixed(1)} wall ${(w2 - w1).toFixed(1)} ms ` +
      `(plan ${t.plan.toFixed(1)} send ${t.apply.toFixed(1)} verify ${t.verify.toFixed(1)} rollback ${t.rollback.toFixed(1)})`
    );
  } finally {
    dropNs(ns);
  }
}

function ipBatch(): string {
  const ns = freshNs();
  try {
    const lines = [
      ...Array.from({ length: addrs }, (_, i) => `address add ${ipv4At('10.64.0.0', i)}/32 dev v0`),
      ...Array.from({ length: routes }, (_, i) => `route add ${ipv4At('10.128.0.0', i)}/32 dev v0`),
    ];
    const r = spawnSync('/usr/bin/time', ['-f', '%U %S %e', 'ip', '-n', ns, '-batch', '-'], {
      input: lines.join('\n') + '\n',
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`ip -batch: ${r.stderr}`);
    const [u, s, e] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
    return `ip -batch cpu ${((u + s) * 1000).toFixed(0)} wall ${(e * 1000).toFixed(0)} ms (10 ms resolution)`;
  } finally {
    dropNs(ns);
  }
}

async function main(): Promise<void> {
  console.log(`cold: ${await tx(false)}`);
  if (args.warm === 'true') for (let i = 0; i < runs; i++) console.log(`warm: ${await tx(false)}`);
  console.log(`rollback: ${await tx(true)}`);
  console.log(ipBatch());
}

await main();
