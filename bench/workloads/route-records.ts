// Route dump as records: every IPv4 route listed as a record (IPRoute.routes), the destination
// read from each: the same work as route-dump, through the record API.
import { IPRoute } from 'nlroute/rtnl';
import { nsOpt, runIfMain, type Args, type Result } from './common.js';

export async function run(args: Args): Promise<Result> {
  const ipr = new IPRoute(nsOpt(args));
  try {
    const routes = await ipr.routes({ family: 'inet' });
    let dst = 0;
    for (const r of routes) if (r.dst !== undefined) dst++;
    return { count: routes.length, dst };
  } finally {
    ipr.close();
  }
}

runIfMain(import.meta.url, run);
