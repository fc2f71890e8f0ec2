// NetDB transaction: N routes and M addresses on one interface in one verified transaction
// (planned, pipelined, verified against the events). With --fail-last, a last route the
// kernel refuses makes it roll back; the figures are the transaction's own timings.
import { NetDB, type Desired } from 'nlroute/netdb';
import { intArg, ipv4At, nsOpt, runIfMain, type Args, type Result } from './common.js';

export function desired(routes: number, addrs: number, ifname: string, failLast: boolean): Desired {
  const d: Desired = {
    addresses: Array.from({ length: addrs }, (_, i) => ({ ifname, address: `${ipv4At('10.64.0.0', i)}/32` })),
    routes: Array.from({ length: routes }, (_, i) => ({ dst: `${ipv4At('10.128.0.0', i)}/32`, oif: ifname })),
  };
  // A gateway no interface reaches: the kernel answers ENETUNREACH.
  if (failLast) d.routes!.push({ dst: '10.200.0.0/16', gateway: '10.201.0.1' });
  return d;
}

export async function run(args: Args): Promise<Result> {
  const routes = intArg(args, 'routes'),
    addrs = intArg(args, 'addrs');
  const failLast = args['fail-last'] === 'true';
  const db = await NetDB.open({ ...nsOpt(args), neighbours: false });
  try {
    const r = await db.apply(desired(routes, addrs, args.ifname ?? 'v0', failLast));
    if (failLast) {
      if (r.ok || !r.rolledBack || r.rollbackErrors?.length)
        throw new Error(`expected a clean rollback: ${r.rollbackErrors}`);
      if (db.filter('routes', { dst: '10.128.0.0/32' }).length) throw new Error('rollback left routes behind');
    } else if (!r.ok) throw new Error(`transaction failed at ${r.failed?.step.what}: ${r.failed?.error.message}`);
    const t = r.timings;
    return {
      count: routes + addrs,
      steps: r.plan.steps.length,
      plan_s: t.plan / 1000,
      apply_s: t.apply / 1000,
      verify_s: t.verify / 1000,
      rollback_s: t.rollback / 1000,
    };
  } finally {
    db.close();
  }
}

runIfMain(import.meta.url, run);
