// `nlroute monitor [link|address|route|neigh|rule|all]`: changes as they happen, as `ip monitor`
// prints them; with -j one JSON object per line.
import { Overrun, type AnyMessage } from '../core/index.js';
import { RTM } from '../rtnl/constants.js';
import { UsageError, AF_INET, AF_INET6, pick } from './cli-args.js';
import type { CliContext } from './cli-context.js';
import { addrEventText, linkEventText, neighText, routeText, ruleText } from './cli-text.js';
import { addrInfoJSON, linkJSON, neighJSON, routeJSON, ruleJSON } from '../rtnl/ipjson.js';

const OBJECTS = ['link', 'address', 'route', 'neigh', 'rule', 'all'] as const;
type Obj = Exclude<(typeof OBJECTS)[number], 'all'>;

function groupsOf(obj: Obj, family: number): string[] {
  const v4 = family !== AF_INET6,
    v6 = family !== AF_INET;
  switch (obj) {
    case 'link':
      return ['link'];
    case 'address':
      return [...(v4 ? ['ipv4_ifaddr'] : []), ...(v6 ? ['ipv6_ifaddr'] : [])];
    case 'route':
      return [...(v4 ? ['ipv4_route'] : []), ...(v6 ? ['ipv6_route'] : [])];
    case 'neigh':
      return ['neigh'];
    case 'rule':
      return [...(v4 ? ['ipv4_rule'] : []), ...(v6 ? ['ipv6_rule'] : [])];
  }
}

/** The object and printable row of an event, or undefined for a kind we do not print. */
function eventRow(
  m: AnyMessage,
  names: Map<number, string>,
): { obj: Obj; row: Record<string, unknown>; deleted: boolean } | undefined {
  switch (m.type) {
    case RTM.RTM_NEWLINK:
    case RTM.RTM_DELLINK: {
      const name = m.getAttr('IFLA_IFNAME') as string | undefined;
      if (m.type === RTM.RTM_NEWLINK && name !== undefined) names.set(m.fields.index, name);
      return { obj: 'link', row: linkJSON(m, names, {}), deleted: m.type === RTM.RTM_DELLINK };
    }
    case RTM.RTM_NEWADDR:
    case RTM.RTM_DELADDR: {
      const index = m.fields.index as number;
      return {
        obj: 'address',
        deleted: m.type === RTM.RTM_DELADDR,
        row: { ifindex: index, ifname: names.get(index) ?? index, addr_info: [addrInfoJSON(m)] },
      };
    }
    case RTM.RTM_NEWROUTE:
    case RTM.RTM_DELROUTE:
      return { obj: 'route', row: routeJSON(m, names, { table: true }), deleted: m.type === RTM.RTM_DELROUTE };
    case RTM.RTM_NEWNEIGH:
    case RTM.RTM_DELNEIGH:
      return { obj: 'neigh', row: neighJSON(m, names), deleted: m.type === RTM.RTM_DELNEIGH };
    case RTM.RTM_NEWRULE:
    case RTM.RTM_DELRULE:
      return { obj: 'rule', row: ruleJSON(m), deleted: m.type === RTM.RTM_DELRULE };
    default:
      return undefined;
  }
}

function text(obj: Obj, row: Record<string, any>): string {
  switch (obj) {
    case 'link':
      return linkEventText(row);
    case 'address':
      return addrEventText(row.ifindex, row.ifname, row.addr_info[0]);
    case 'route':
      return routeText(row);
    case 'neigh':
      return neighText(row);
    case 'rule':
      return ruleText(row);
  }
}

export async function monitorCommand(ctx: CliContext, words: string[]): Promise<number> {
  const objs = new Set<Obj>();
  for (const w of words) {
    const o = pick(w, OBJECTS) ?? (w === 'addr' ? 'address' : undefined);
    if (!o) throw new UsageError(`monitor: "${w}" is not supported (link, address, route, neigh, rule, all)`);
    if (o === 'all')
      for (const x of OBJECTS) {
        if (x !== 'all') objs.add(x);
      }
    else objs.add(o);
  }
  if (!objs.size) for (const x of OBJECTS) if (x !== 'all') objs.add(x);
  const ipr = ctx.route();
  const sub = ipr.events([...new Set([...objs].flatMap((o) => groupsOf(o, ctx.opts.family)))]);
  const names = new Map<number, string>(
    (await ipr.getLinks()).map((l) => [l.fields.index, l.getAttr('IFLA_IFNAME') ?? '']),
  );
  const stop = (): void => {
    sub.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  for await (const m of sub) {
    if (m instanceof Overrun) {
      process.stderr.write('nlroute monitor: events were lost (the receive buffer overflowed)\n');
      continue;
    }
    const ev = eventRow(m, names);
    if (!ev || !objs.has(ev.obj)) continue;
    if (ctx.opts.json) ctx.write(JSON.stringify(ev.deleted ? { deleted: true, ...ev.row } : ev.row) + '\n');
    else ctx.write((ev.deleted ? 'Deleted ' : '') + text(ev.obj, ev.row));
  }
  return 0;
}
