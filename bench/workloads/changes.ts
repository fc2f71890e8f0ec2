// Changes: N address adds, then N route adds, on one interface, pipelined (many requests in
// flight, every request's answer checked: acks 'all').
import { NETLINK_ROUTE, NLM_F_DUMP, NetlinkSocket } from '../../src/core/index.js';
import { ifaddrmsg } from '../../src/rtnl/ifaddrmsg.js';
import { ifinfmsg } from '../../src/rtnl/ifinfmsg.js';
import { rtnlMarshal } from '../../src/rtnl/marshal.js';
import { rtmsg } from '../../src/rtnl/rtmsg.js';
import { intArg, ipv4At, nsOpt, runIfMain, type Args, type Result } from './common.js';

const RTM_NEWADDR = 20, RTM_NEWROUTE = 24, RTM_GETLINK = 18;
const NLM_F_CREATE = 0x400, NLM_F_EXCL = 0x200;

export async function run(args: Args): Promise<Result> {
  const n = intArg(args, 'n');
  const ifname = args.ifname ?? 'v0';
  const addrBase = args['addr-base'] ?? '10.64.0.0', routeBase = args['route-base'] ?? '10.128.0.0';
  const sock = new NetlinkSocket({ protocol: NETLINK_ROUTE, marshal: rtnlMarshal(), ...nsOpt(args) });
  try {
    const links = await sock.request(ifinfmsg, { type: RTM_GETLINK, flags: NLM_F_DUMP });
    const link = links.find((l) => l.getAttr('IFLA_IFNAME') === ifname);
    if (!link) throw new Error(`no interface ${ifname}`);
    const index = link.field('index');
    const flags = NLM_F_CREATE | NLM_F_EXCL;
    const addrs = Array.from({ length: n }, (_, i) => {
      const a = ipv4At(addrBase, i);
      return { schema: ifaddrmsg, spec: { type: RTM_NEWADDR, flags, fields: { family: 2, prefixlen: 32, index }, attrs: { IFA_LOCAL: a, IFA_ADDRESS: a } } };
    });
    const routes = Array.from({ length: n }, (_, i) => ({
      schema: rtmsg,
      spec: {
        type: RTM_NEWROUTE, flags,
        fields: { family: 2, dst_len: 32, table: 254, proto: 3, scope: 253, type: 1 },
        attrs: { RTA_DST: ipv4At(routeBase, i), RTA_OIF: index },
      },
    }));
    let failed = 0;
    for (const items of [addrs, routes]) {
      const results = await sock.batch(items, { acks: 'all' });
      for (const r of results) if (!r.ok) failed++;
    }
    if (failed) throw new Error(`${failed} requests failed`);
    return { count: 2 * n };
  } finally {
    sock.close();
  }
}

runIfMain(import.meta.url, run);
