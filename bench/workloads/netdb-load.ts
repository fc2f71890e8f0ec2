// NetDB load: open a view of a namespace (subscribe, then dump every table) and report the
// memory it holds per route: RSS and V8 heap after load minus before, after a full GC.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { NetDB } from 'nlroute/netdb';
import { intArg, nsOpt, runIfMain, type Args, type Result } from './common.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

export async function run(args: Args): Promise<Result> {
  const min = intArg(args, 'min-routes', 0);
  gc();
  const rss0 = process.memoryUsage().rss,
    heap0 = process.memoryUsage().heapUsed;
  const db = await NetDB.open({ ...nsOpt(args), neighbours: false });
  try {
    const routes = db.source().tables.routes.size,
      links = db.source().tables.links.size;
    if (routes < min) throw new Error(`${routes} routes loaded, expected at least ${min}`);
    gc();
    const m = process.memoryUsage();
    return {
      count: routes,
      links,
      bytes_per_route_rss: Math.round((m.rss - rss0) / routes),
      bytes_per_route_heap: Math.round((m.heapUsed - heap0) / routes),
    };
  } finally {
    db.close();
  }
}

runIfMain(import.meta.url, run);
