// Link dump: every interface with details and stats, listed completely as parsed messages;
// name, kind and rx bytes read from each.
import { NETLINK_ROUTE, NLM_F_DUMP, NetlinkSocket } from '../../src/core/index.js';
import { ifinfmsg } from '../../src/rtnl/ifinfmsg.js';
import { rtnlMarshal } from '../../src/rtnl/marshal.js';
import { nsOpt, runIfMain, type Args, type Result } from './common.js';

const RTM_GETLINK = 18;

export async function run(args: Args): Promise<Result> {
  const sock = new NetlinkSocket({ protocol: NETLINK_ROUTE, marshal: rtnlMarshal(), ...nsOpt(args) });
  try {
    const links = await sock.request(ifinfmsg, { type: RTM_GETLINK, flags: NLM_F_DUMP });
    let kinds = 0, named = 0;
    let rx = 0n;
    for (const l of links) {
      if (l.getAttr('IFLA_IFNAME') !== undefined) named++;
      const stats = l.getAttr('IFLA_STATS64');
      if (stats) rx += stats.rx_bytes;
      if (l.getAttr('IFLA_LINKINFO')?.getAttr('IFLA_INFO_KIND') !== undefined) kinds++;
    }
    return { count: links.length, named, kinds, rx_bytes: Number(rx) };
  } finally {
    sock.close();
  }
}

runIfMain(import.meta.url, run);
