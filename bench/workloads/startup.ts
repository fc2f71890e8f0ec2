// Start-up: import the library as a user does (the package's nlroute/rtnl export, the bundle),
// open a socket, list links; timed as a whole process.
import { IPRoute } from 'nlroute/rtnl';
import { nsOpt, runIfMain, type Args, type Result } from './common.js';

export async function run(args: Args): Promise<Result> {
  const ipr = new IPRoute(nsOpt(args));
  try {
    const links = await ipr.getLinks();
    return { count: links.length, first: links[0]?.getAttr('IFLA_IFNAME') };
  } finally {
    ipr.close();
  }
}

runIfMain(import.meta.url, run);
