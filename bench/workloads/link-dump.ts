// Link dump: every interface with details and stats (IPRoute.getLinks), listed completely as
// parsed messages; name, kind and rx bytes read from each.
import { IPRoute } from 'nlroute/rtnl';
import { nsOpt, runIfMain, type Args, type Result } from './common.js';

export async function run(args: Args): Promise<Result> {
  const ipr = new IPRoute(nsOpt(args));
  try {
    const links = await ipr.getLinks();
    let kinds = 0,
      named = 0;
    let rx = 0n;
    for (const l of links) {
      if (l.getAttr('IFLA_IFNAME') !== undefined) named++;
      const stats = l.getAttr('IFLA_STATS64');
      if (stats) rx += stats.rx_bytes;
      if (l.getAttr('IFLA_LINKINFO')?.getAttr('IFLA_INFO_KIND') !== undefined) kinds++;
    }
    return { count: links.length, named, kinds, rx_bytes: Number(rx) };
  } finally {
    ipr.close();
  }
}

runIfMain(import.meta.url, run);
