// `nlroute neigh add|del|change|replace|show|flush`: `ip neigh` grammar over IPRoute.neigh().
import { NTF, NUD } from '../rtnl/ndmsg.js';
import type { NeighSpec } from '../rtnl/neigh.js';
import { AF_INET, AF_INET6, UsageError, Words, pick } from './cli-args.js';
import type { CliContext } from './cli-context.js';
import { neighText } from './cli-text.js';
import { neighJSON } from '../rtnl/ipjson.js';

const VERBS = ['add', 'change', 'replace', 'delete', 'show', 'list', 'lst', 'flush', 'get', 'help'] as const;
const AF_BRIDGE = 7;

interface Parsed {
  spec: NeighSpec;
  dev?: string;
}

function parse(words: string[], verb: string, family: number): Parsed {
  const w = new Words(words, `neigh ${verb}`);
  const spec: NeighSpec = {};
  let dev: string | undefined;
  const flags: string[] = [];
  while (!w.done) {
    const word = w.take()!;
    switch (word) {
      case 'lladdr':
        spec.lladdr = w.next(word);
        break;
      case 'nud':
        spec.state = w.next(word);
        break;
      case 'dev':
        dev = w.next(word);
        break;
      case 'proxy':
        spec.proxy = true;
        // In a view `proxy` only selects the proxy table (ip neigh show proxy); a change names its address.
        if (verb !== 'show' && verb !== 'flush' && spec.dst === undefined) spec.dst = w.next(word);
        break;
      case 'router':
        flags.push('router');
        break;
      case 'extern_learn':
        flags.push('extern_learn');
        break;
      case 'use':
        flags.push('use');
        break;
      case 'protocol':
        spec.protocol = w.number(word, 0xff);
        break;
      case 'to':
        spec.dst = w.next(word);
        break;
      default:
        if (spec.dst === undefined) spec.dst = word;
        else w.unsupported(word);
    }
  }
  if (flags.length) spec.flags = flags;
  if (family) spec.family = family === AF_INET ? 'inet' : family === AF_INET6 ? 'inet6' : family;
  return { spec, dev };
}

async function list(ctx: CliContext, words: string[], verb: string): Promise<number> {
  const { spec, dev } = parse(words, verb, ctx.opts.family);
  const ipr = ctx.route();
  const names = new Map<number, string>(
    (await ipr.getLinks()).map((l) => [l.fields.index, l.getAttr('IFLA_IFNAME') ?? '']),
  );
  const filter: NeighSpec = { ...spec };
  if (dev !== undefined) filter.ifindex = await ipr.ifindex(dev);
  // As ip: no NOARP or NONE entries unless they are proxies or learned externally; no bridge FDB.
  const rows = (await ipr.getNeighbours(filter)).filter(
    (n) =>
      n.fields.family !== AF_BRIDGE &&
      ((n.fields.state & ~NUD.NUD_NOARP & 0xff) !== 0 ||
        (n.fields.flags & (NTF.NTF_PROXY | NTF.NTF_EXT_LEARNED)) !== 0),
  );
  if (verb === 'flush') {
    if (dev === undefined && spec.dst === undefined) throw new UsageError('neigh flush: give dev DEV or an address');
    for (const n of rows) {
      if (n.fields.state & NUD.NUD_PERMANENT && spec.state === undefined) continue; // ip keeps them unless "nud all"
      await ipr.neigh('del', { dst: n.getAttr('NDA_DST') as string, ifindex: n.fields.ifindex });
    }
    return 0;
  }
  ctx.print(
    rows.map((n) => neighJSON(n, names)),
    neighText,
  );
  return 0;
}

export async function neighCommand(ctx: CliContext, words: string[]): Promise<number> {
  const [first, ...rest] = words;
  const verb = first === undefined ? 'show' : pick(first, VERBS);
  switch (verb) {
    case 'add':
    case 'change':
    case 'replace':
    case 'delete': {
      const { spec, dev } = parse(rest, verb, ctx.opts.family);
      if (spec.dst === undefined) throw new UsageError(`neigh ${verb}: which address?`);
      if (dev === undefined) throw new UsageError(`neigh ${verb}: "dev" is required`);
      const ipr = ctx.route();
      await ipr.neigh(verb === 'delete' ? 'del' : verb, { ...spec, ifindex: await ipr.ifindex(dev) });
      return 0;
    }
    case 'show':
    case 'list':
    case 'lst':
      return list(ctx, rest, 'show');
    case 'flush':
      return list(ctx, rest, 'flush');
    case 'help':
      ctx.write(NEIGH_USAGE);
      return 0;
    default:
      throw new UsageError(`neigh: "${first}" is not supported (add, change, replace, del, show, flush)`);
  }
}

export const NEIGH_USAGE = `\
usage: nlroute neigh {add|change|replace|del} {ADDR [lladdr LLADDR] [nud STATE] | proxy ADDR}
                        [router] [extern_learn] dev DEV
       nlroute neigh {show|flush} [ADDR] [dev DEV] [nud STATE]
`;
