// Changes: N address adds, then N route adds, on one interface, through IPRoute.batch:
// pipelined (many requests in flight), every request ACKed and its answer checked (acks 'all',
// or --acks errors for the library's default).
import { IPRoute, type BatchRequest } from 'nlroute/rtnl';
import { intArg, ipv4At, nsOpt, runIfMain, type Args, type Result } from './common.js';

export async function run(args: Args): Promise<Result> {
  const n = intArg(args, 'n');
  const ifname = args.ifname ?? 'v0';
  const addrBase = args['addr-base'] ?? '10.64.0.0',
    routeBase = args['route-base'] ?? '10.128.0.0';
  const acks = args.acks === 'errors' ? 'errors' : 'all';
  const ipr = new IPRoute(nsOpt(args));
  try {
    const index = await ipr.ifindex(ifname);
    const addrs: BatchRequest[] = Array.from({ length: n }, (_, i) => [
      'addr',
      'add',
      { index, address: `${ipv4At(addrBase, i)}/32` },
    ]);
    const routes: BatchRequest[] = Array.from({ length: n }, (_, i) => [
      'route',
      'add',
      { dst: `${ipv4At(routeBase, i)}/32`, oif: index },
    ]);
    let failed = 0;
    let first: string | undefined;
    for (const reqs of [addrs, routes]) {
      for (const r of await ipr.batch(reqs, { acks })) {
        if (!r.ok) {
          failed++;
          first ??= r.error.message;
        }
      }
    }
    if (failed) throw new Error(`${failed} requests failed, first: ${first}`);
    return { count: 2 * n };
  } finally {
    ipr.close();
  }
}

runIfMain(import.meta.url, run);
