// Route dump: every IPv4 route listed completely as parsed messages, the destination read
// from each (as an application walking a routing table would).
import { NETLINK_ROUTE, NLM_F_DUMP, NetlinkSocket } from '../../src/core/index.js';
import { rtnlMarshal } from '../../src/rtnl/marshal.js';
import { rtmsg } from '../../src/rtnl/rtmsg.js';
import { nsOpt, runIfMain, type Args, type Result } from './common.js';

const RTM_GETROUTE = 26;

export async function run(args: Args): Promise<Result> {
  const sock = new NetlinkSocket({ protocol: NETLINK_ROUTE, marshal: rtnlMarshal(), ...nsOpt(args) });
  try {
    const routes = await sock.request(rtmsg, { type: RTM_GETROUTE, flags: NLM_F_DUMP, fields: { family: 2 } });
    let dst = 0;
    for (const r of routes) if (r.getAttr('RTA_DST') !== undefined) dst++;
    return { count: routes.length, dst };
  } finally {
    sock.close();
  }
}

runIfMain(import.meta.url, run);
