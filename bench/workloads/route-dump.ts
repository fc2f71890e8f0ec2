// Route dump: every IPv4 route listed completely as parsed messages (IPRoute.getRoutes), the
// destination read from each, as an application walking a routing table would.
import { IPRoute } from 'nlroute/rtnl';
import { nsOpt, runIfMain, type Args, type Result } from './common.js';

export async function run(args: Args): Promise<Result> {
  const ipr = new IPRoute(nsOpt(args));
  try {
    const routes = await ipr.getRoutes({ family: 'inet' });
    let dst = 0;
    for (const r of routes) if (r.getAttr('RTA_DST') !== undefined) dst++;
    return { count: routes.length, dst };
  } finally {
    ipr.close();
  }
}

runIfMain(import.meta.url, run);
