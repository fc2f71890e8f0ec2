// Start-up: import the library, open a socket, list links; meant to be timed as a whole process.
import { NETLINK_ROUTE, NLM_F_DUMP, NetlinkSocket } from '../../src/core/index.js';
import { ifinfmsg, rtnlMarshal } from '../../src/rtnl/index.js';
import { nsOpt, runIfMain, type Args, type Result } from './common.js';

export async function run(args: Args): Promise<Result> {
  const sock = new NetlinkSocket({ protocol: NETLINK_ROUTE, marshal: rtnlMarshal(), ...nsOpt(args) });
  try {
    const links = await sock.request(ifinfmsg, { type: 18, flags: NLM_F_DUMP });
    return { count: links.length, first: links[0]?.getAttr('IFLA_IFNAME') };
  } finally {
    sock.close();
  }
}

runIfMain(import.meta.url, run);
