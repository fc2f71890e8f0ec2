// `nlroute link|addr|route|neigh|rule show [-n NETNS] [--json]`: read-only views whose JSON
// has the shape of `ip -j -d` for the same objects.
import { NLM_F_DUMP, NetlinkSocket, type AnyMessage, type AnySchema } from '../core/index.js';
import { fibmsg } from '../rtnl/fibrulemsg.js';
import { ifaddrmsg } from '../rtnl/ifaddrmsg.js';
import { ifinfmsg } from '../rtnl/ifinfmsg.js';
import { rtnlMarshal } from '../rtnl/marshal.js';
import { ndmsg } from '../rtnl/ndmsg.js';
import { rtmsg } from '../rtnl/rtmsg.js';
import { stringify } from './format.js';
import { addrInfoJSON, linkJSON, neighJSON, routeJSON, ruleJSON } from '../rtnl/ipjson.js';

const RTM_GETLINK = 18, RTM_GETADDR = 22, RTM_GETROUTE = 26, RTM_GETNEIGH = 30, RTM_GETRULE = 34;

interface ShowArgs { netns?: string; json: boolean; stats: boolean; family: number; table?: number }

function parseArgs(args: string[]): ShowArgs {
  const out: ShowArgs = { json: false, stats: false, family: 0 };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === 'show' || a === 'list' || a === 'ls' || a === '-d' || a === '--details') continue;
    if (a === '-n' || a === '--netns') out.netns = args[++i];
    else if (a === '-j' || a === '--json') out.json = true;
    else if (a === '-s' || a === '--stats') out.stats = true;
    else if (a === '-4') out.family = 2;
    else if (a === '-6') out.family = 10;
    else if (a === 'table') out.table = args[++i] === 'all' ? 0 : Number(args[i]);
    else throw new Error(`unknown argument ${JSON.stringify(a)}`);
  }
  return out;
}

async function dump(sock: NetlinkSocket, schema: AnySchema, type: number, fields: Record<string, unknown> = {}): Promise<AnyMessage[]> {
  return sock.request(schema, { type, flags: NLM_F_DUMP, fields }, { retryInterrupted: 3 });
}

/** Print one kind of object of a namespace (or of this host): a read-only view. */
export async function showObjects(object: string, args: string[]): Promise<number> {
  const o = parseArgs(args);
  await using sock = new NetlinkSocket({ protocol: 0, netns: o.netns, marshal: rtnlMarshal() });
  const links = await dump(sock, ifinfmsg, RTM_GETLINK);
  const names = new Map<number, string>(links.map((l) => [l.fields.index, l.getAttr('IFLA_IFNAME') ?? '']));
  let rows: Record<string, unknown>[];
  if (object === 'link') {
    rows = links.map((l) => linkJSON(l, names, { details: true, stats: o.stats }));
  } else if (object === 'addr') {
    const addrs = await dump(sock, ifaddrmsg, RTM_GETADDR, { family: o.family });
    rows = links.map((l) => ({
      ...linkJSON(l, names, { linkmode: false }),
      addr_info: addrs.filter((a) => a.fields.index === l.fields.index).map(addrInfoJSON),
    }));
  } else if (object === 'route') {
    const routes = await dump(sock, rtmsg, RTM_GETROUTE, { family: o.family || 2 });
    const table = o.table ?? 254;
    rows = routes
      .filter((r) => table === 0 || (r.getAttr('RTA_TABLE') ?? r.fields.table) === table)
      .filter((r) => r.fields.flags === 0 || !(r.fields.flags & 0x200)) // no cloned routes, as ip
      .map((r) => routeJSON(r, names, { table: table === 0 }));
  } else if (object === 'neigh') {
    // As ip: no NOARP or NONE entries unless proxy or externally learned.
    rows = (await dump(sock, ndmsg, RTM_GETNEIGH, { family: o.family }))
      .filter((n) => n.fields.family !== 7 && ((n.fields.state & ~0x40 & 0xff) !== 0 || (n.fields.flags & 0x18) !== 0))
      .map((n) => neighJSON(n, names));
  } else if (object === 'rule') {
    rows = (await dump(sock, fibmsg, RTM_GETRULE, { family: o.family || 2 })).map(ruleJSON);
  } else {
    throw new Error(`unknown object ${object}`);
  }
  if (o.json) process.stdout.write(stringify(rows).replace(/\n\s*/g, (m) => (m.length > 1 ? '\n' + m.slice(1) : m)) + '\n');
  else for (const r of rows) process.stdout.write(textLine(object, r) + '\n');
  return 0;
}

/** A compact one-line text form, close to `ip -br`. */
function textLine(object: string, r: Record<string, any>): string {
  if (object === 'link') return `${r.ifindex}: ${r.ifname}${r.link ? '@' + r.link : ''}: <${r.flags.join(',')}> mtu ${r.mtu} state ${r.operstate ?? '?'} ${r.link_type} ${r.address ?? ''}${r.linkinfo?.info_kind ? ' ' + r.linkinfo.info_kind : ''}`;
  if (object === 'addr') return `${r.ifindex}: ${r.ifname} ${r.addr_info.map((a: any) => `${a.local}/${a.prefixlen}`).join(' ')}`;
  if (object === 'route') return [r.type, r.dst, r.gateway && `via ${r.gateway}`, r.dev && `dev ${r.dev}`, r.protocol && `proto ${r.protocol}`, r.scope && `scope ${r.scope}`, r.prefsrc && `src ${r.prefsrc}`, r.metric !== undefined && `metric ${r.metric}`].filter(Boolean).join(' ');
  if (object === 'neigh') return `${r.dst} dev ${r.dev}${r.lladdr ? ' lladdr ' + r.lladdr : ''} ${r.state.join(',')}`;
  return `${r.priority}:\tfrom ${r.src}${r.dst ? ' to ' + r.dst : ''} ${r.table ? 'lookup ' + r.table : r.action}`;
}
