// `nlroute addr add|del|replace|change|flush|show`: `ip address` grammar over IPRoute.addr().
import type { AddrFilter, AddrSpec } from '../rtnl/addr.js';
import { IFF } from '../rtnl/constants.js';
import { UsageError, Words, pick } from './cli-args.js';
import type { CliContext } from './cli-context.js';
import { addrText, briefRow, briefText } from './cli-text.js';
import { linkRows } from './cmd-link.js';
import { addrInfoJSON } from '../rtnl/ipjson.js';

const VERBS = ['add', 'change', 'replace', 'delete', 'list', 'flush', 'show', 'lst', 'help'] as const;
const FLAGS = ['home', 'nodad', 'mngtmpaddr', 'noprefixroute', 'autojoin', 'optimistic'];

function lifetime(w: Words, what: string): number | 'forever' {
  if (w.peek() === 'forever') {
    w.take();
    return 'forever';
  }
  return w.number(what);
}

function parseChange(words: string[], verb: string): AddrSpec {
  const w = new Words(words, `addr ${verb}`);
  const spec: AddrSpec = {};
  const flags: string[] = [];
  while (!w.done) {
    const word = w.take()!;
    switch (word) {
      case 'local':
        spec.address = w.next(word);
        break;
      case 'peer':
      case 'remote':
        spec.peer = w.next(word);
        break;
      case 'broadcast':
      case 'brd': {
        const b = w.next(word);
        if (b !== '-') spec.broadcast = b === '+' ? true : b;
        break;
      }
      case 'anycast':
        spec.anycast = w.next(word);
        break;
      case 'label':
        spec.label = w.next(word);
        break;
      case 'scope':
        spec.scope = w.next(word);
        break;
      case 'dev':
        spec.index = w.next(word);
        break;
      case 'valid_lft':
        spec.validLft = lifetime(w, word);
        break;
      case 'preferred_lft':
        spec.preferredLft = lifetime(w, word);
        break;
      case 'metric':
      case 'priority':
      case 'preference':
        spec.metric = w.number(word);
        break;
      case 'proto':
        spec.proto = w.next(word);
        break;
      default:
        if (FLAGS.includes(word)) flags.push(word);
        else if (spec.address === undefined) spec.address = word;
        else w.unsupported(word);
    }
  }
  if (spec.index === undefined) throw new UsageError(`addr ${verb}: "dev" is required`);
  if (spec.address === undefined) throw new UsageError(`addr ${verb}: which address?`);
  if (flags.length) spec.flags = flags;
  return spec;
}

function parseFilter(words: string[], what: string, family: number): { filter: AddrFilter; up: boolean } {
  const w = new Words(words, `addr ${what}`);
  const filter: AddrFilter = {};
  let up = false;
  if (family) filter.family = family;
  while (!w.done) {
    const word = w.take()!;
    if (word === 'dev') filter.index = w.next(word);
    else if (word === 'scope') filter.scope = w.next(word);
    else if (word === 'label') filter.label = w.next(word);
    else if (word === 'up') up = true;
    else if (word === 'to') filter.address = w.next(word);
    else if (filter.index === undefined && !word.startsWith('-')) filter.index = word;
    else w.unsupported(word);
  }
  return { filter, up };
}

async function show(ctx: CliContext, words: string[]): Promise<number> {
  const { filter, up } = parseFilter(words, 'show', ctx.opts.family);
  const ipr = ctx.route();
  const links = await ipr.getLinks();
  const names = new Map<number, string>(links.map((l) => [l.fields.index, l.getAttr('IFLA_IFNAME') ?? '']));
  const index = filter.index === undefined ? undefined : await ipr.ifindex(filter.index);
  const addrs = await ipr.getAddr({ ...filter, index });
  // As ip: every link is listed, also without addresses, unless a filter narrows the addresses.
  const narrowed =
    filter.scope !== undefined ||
    filter.label !== undefined ||
    filter.address !== undefined ||
    filter.family !== undefined;
  const linkRow = linkRows(links, names, { linkmode: false, details: ctx.opts.details, stats: ctx.opts.stats });
  const rows = links
    .map((l, i) => ({ link: l, row: linkRow[i], addrs: addrs.filter((a) => a.fields.index === l.fields.index) }))
    .filter((x) => index === undefined || x.link.fields.index === index)
    .filter((x) => !up || x.link.fields.flags & IFF.IFF_UP)
    .filter((x) => !narrowed || x.addrs.length)
    .map((x) => {
      // ip's address view leaves out the IPv6 address generation mode of its link details.
      const { inet6_addr_gen_mode: _mode, ...row } = x.row;
      return { ...row, addr_info: x.addrs.map(addrInfoJSON) };
    });
  if (ctx.opts.brief)
    ctx.print(
      rows.map((r) => briefRow(r, true)),
      briefText,
    );
  else ctx.print(rows, addrText);
  return 0;
}

export async function addrCommand(ctx: CliContext, words: string[]): Promise<number> {
  const [first, ...rest] = words;
  const verb = first === undefined ? 'show' : pick(first, VERBS);
  switch (verb) {
    case 'add':
    case 'replace':
      await ctx.route().addr(verb, parseChange(rest, verb));
      return 0;
    case 'change':
      await ctx.route().addr('set', parseChange(rest, verb));
      return 0;
    case 'delete':
      await ctx.route().addr('del', parseChange(rest, 'del'));
      return 0;
    case 'flush': {
      const { filter } = parseFilter(rest, 'flush', ctx.opts.family);
      if (filter.index === undefined && filter.label === undefined && filter.scope === undefined) {
        throw new UsageError('addr flush: give a selector (dev DEV, label, scope), as ip does');
      }
      await ctx.route().flushAddr(filter);
      return 0;
    }
    case 'show':
    case 'list':
    case 'lst':
      return show(ctx, rest);
    case 'help':
      ctx.write(ADDR_USAGE);
      return 0;
    default:
      throw new UsageError(`addr: unknown command "${first}" (add, change, replace, del, flush, show)`);
  }
}

export const ADDR_USAGE = `\
usage: nlroute addr {add|change|replace|del} [local] ADDR[/LEN] [peer PREFIX] [broadcast ADDR|+|-]
                        [anycast ADDR] [label LABEL] [scope SCOPE] dev DEV [valid_lft N|forever]
                        [preferred_lft N|forever] [home|nodad|mngtmpaddr|noprefixroute|autojoin] [metric N]
       nlroute addr flush {dev DEV | label LABEL | scope SCOPE}
       nlroute addr show [[dev] DEV] [scope SCOPE] [label LABEL] [up]
`;
