// `nlroute route add|del|change|append|replace|get|show|flush`: `ip route` grammar over IPRoute.route().
import { RTM_F } from '../rtnl/constants.js';
import type { RtMessage } from '../rtnl/rtmsg.js';
import type { NexthopSpec, RouteFilter, RouteSpec } from '../rtnl/route.js';
import { tableOf } from '../rtnl/route.js';
import { AF_INET, AF_INET6, UsageError, Words, pick } from './cli-args.js';
import type { CliContext } from './cli-context.js';
import { routeText } from './cli-text.js';
import { routeJSON } from '../rtnl/ipjson.js';

// ip names scope 0 "global" as well as "universe" (rt_scopes).
const scopeWord = (w: string): string => (w === 'global' ? 'universe' : w);

const VERBS = [
  'add',
  'change',
  'replace',
  'prepend',
  'append',
  'test',
  'delete',
  'list',
  'flush',
  'get',
  'save',
  'restore',
  'show',
  'showdump',
  'lst',
  'help',
] as const;
const TYPES = ['unicast', 'local', 'broadcast', 'multicast', 'throw', 'unreachable', 'prohibit', 'blackhole', 'nat'];
// Route metrics by ip's names: RTAX_* in camelCase for the library.
const METRICS: Record<string, string> = {
  mtu: 'mtu',
  advmss: 'advmss',
  rtt: 'rtt',
  rttvar: 'rttvar',
  reordering: 'reordering',
  window: 'window',
  cwnd: 'cwnd',
  initcwnd: 'initcwnd',
  initrwnd: 'initrwnd',
  ssthresh: 'ssthresh',
  hoplimit: 'hoplimit',
  rto_min: 'rtoMin',
  features: 'features',
  quickack: 'quickack',
  fastopen_no_cookie: 'fastopenNoCookie',
};
const MAIN_TABLE = 254;

const familyOfAddr = (a: string | undefined): number | undefined =>
  a === undefined || a === 'default' || a === 'all' || a === 'any' ? undefined : a.includes(':') ? AF_INET6 : AF_INET;

/** `via [inet|inet6] ADDR dev DEV weight N onlink` of a next hop. */
function nexthop(w: Words, nh: NexthopSpec): void {
  while (!w.done) {
    const word = w.take()!;
    if (word === 'via') {
      let a = w.next(word);
      if (a === 'inet' || a === 'inet6') a = w.next(word);
      nh.gateway = a;
    } else if (word === 'dev' || word === 'oif') nh.oif = w.next(word);
    else if (word === 'weight') nh.weight = w.number(word, 256);
    else if (word === 'onlink' || word === 'pervasive') nh.flags = [...((nh.flags as string[]) ?? []), word];
    else {
      w.back();
      return;
    }
  }
}

/** A route's node and info spec (`ip route add ...`). */
function parseRoute(words: string[], verb: string, family: number): RouteSpec {
  const w = new Words(words, `route ${verb}`);
  const spec: RouteSpec = {};
  const metrics: Record<string, number | string | string[]> = {};
  const lock: string[] = [];
  const flags: string[] = [];
  while (!w.done) {
    const word = w.take()!;
    const metric = METRICS[word];
    if (metric) {
      if (w.peek() === 'lock') {
        w.take();
        lock.push(metric);
      }
      metrics[metric] = w.number(word);
      continue;
    }
    switch (word) {
      case 'via': {
        let a = w.next(word);
        if (a === 'inet' || a === 'inet6') a = w.next(word);
        spec.gateway = a;
        break;
      }
      case 'dev':
      case 'oif':
        spec.oif = w.next(word);
        break;
      case 'table':
      case 'lookup':
        spec.table = w.next(word);
        break;
      case 'proto':
      case 'protocol':
        spec.proto = w.next(word);
        break;
      case 'scope':
        spec.scope = scopeWord(w.next(word));
        break;
      case 'metric':
      case 'priority':
      case 'preference':
        spec.priority = w.number(word);
        break;
      case 'src':
        spec.prefsrc = w.next(word);
        break;
      case 'from':
        spec.src = w.next(word);
        break;
      case 'tos':
      case 'dsfield':
        spec.tos = w.number(word, 0xff);
        break;
      case 'realm':
      case 'realms':
        spec.flow = w.number(word);
        break;
      case 'pref':
        spec.pref = w.next(word);
        break;
      case 'expires':
        spec.expires = w.number(word);
        break;
      case 'onlink':
      case 'pervasive':
        flags.push(word);
        break;
      case 'congctl':
        metrics.congctl = w.next(word);
        break;
      case 'nexthop': {
        const nh: NexthopSpec = {};
        nexthop(w, nh);
        (spec.multipath ??= []).push(nh);
        break;
      }
      case 'to':
        spec.dst = w.next(word);
        break;
      default:
        if (TYPES.includes(word) && spec.type === undefined && spec.dst === undefined) spec.type = word;
        else if (spec.dst === undefined) spec.dst = word;
        else w.unsupported(word);
    }
  }
  if (spec.dst === undefined) throw new UsageError(`route ${verb}: which destination? (a prefix or "default")`);
  if (Object.keys(metrics).length) spec.metrics = lock.length ? { ...metrics, lock } : metrics;
  if (flags.length) spec.flags = flags;
  spec.family =
    family ||
    familyOfAddr(spec.dst) ||
    familyOfAddr(spec.gateway) ||
    familyOfAddr(spec.multipath?.[0]?.gateway) ||
    AF_INET;
  return spec;
}

interface ShowFilter {
  filter: RouteFilter;
  table: number | 'all';
  root?: string;
  match?: string;
}

function parseShow(words: string[], what: string, family: number): ShowFilter {
  const w = new Words(words, `route ${what}`);
  const filter: RouteFilter = {};
  let table: number | 'all' = MAIN_TABLE;
  let root: string | undefined, match: string | undefined;
  while (!w.done) {
    const word = w.take()!;
    switch (word) {
      case 'table': {
        const t = w.next(word);
        if (t === 'all' || t === '0') table = 'all';
        else if (t === 'cache') throw new UsageError(`route ${what}: "table cache" is not supported`);
        else table = ({ main: MAIN_TABLE, local: 255, default: 253 } as Record<string, number>)[t] ?? numberOr(t, what);
        break;
      }
      case 'dev':
      case 'oif':
        filter.oif = w.next(word);
        break;
      case 'proto':
      case 'protocol':
        filter.proto = w.next(word);
        break;
      case 'type':
        filter.type = w.next(word);
        break;
      case 'scope':
        filter.scope = scopeWord(w.next(word));
        break;
      case 'via':
        filter.gateway = w.next(word);
        break;
      case 'src':
        filter.prefsrc = w.next(word);
        break;
      case 'metric':
      case 'priority':
      case 'preference':
        filter.priority = w.number(word);
        break;
      case 'root':
        root = w.next(word);
        break;
      case 'match':
        match = w.next(word);
        break;
      case 'exact':
        filter.dst = w.next(word);
        break;
      default:
        if (TYPES.includes(word) && filter.type === undefined) filter.type = word;
        else if (filter.dst === undefined && root === undefined) filter.dst = word;
        else w.unsupported(word);
    }
  }
  // As ip: one table shows IPv4 unless told otherwise; "table all" shows every family.
  const fam = family || familyOfAddr(filter.dst) || (table === 'all' ? 0 : AF_INET);
  if (fam) filter.family = fam;
  if (table !== 'all') filter.table = table;
  return { filter, table, root, match };
}

function numberOr(t: string, what: string): number {
  if (!/^\d+$/.test(t)) throw new UsageError(`route ${what}: unknown table "${t}"`);
  return Number(t);
}

async function select(ctx: CliContext, s: ShowFilter): Promise<{ routes: RtMessage[]; names: Map<number, string> }> {
  const ipr = ctx.route();
  const links = await ipr.getLinks();
  const names = new Map<number, string>(links.map((l) => [l.fields.index, l.getAttr('IFLA_IFNAME') ?? '']));
  const oif = s.filter.oif === undefined ? undefined : await ipr.ifindex(s.filter.oif);
  let routes = (await ipr.getRoutes({ ...s.filter, oif })).filter((r) => !(r.fields.flags & RTM_F.RTM_F_CLONED));
  if (s.table !== 'all') routes = routes.filter((r) => tableOf(r) === s.table);
  if (s.root !== undefined) routes = routes.filter(within(s.root, true));
  if (s.match !== undefined) routes = routes.filter(within(s.match, false));
  return { routes, names };
}

/** `root P`: routes inside P; `match P`: routes that contain P. */
function within(prefix: string, inside: boolean): (r: RtMessage) => boolean {
  const [addr, lenText] = prefix.split('/');
  const bits = (a: string): bigint =>
    a.includes(':') ? v6(a) : a.split('.').reduce((n, x) => (n << 8n) | BigInt(x), 0n);
  const width = addr.includes(':') ? 128 : 32;
  const len = lenText === undefined ? width : Number(lenText);
  const p = bits(addr);
  return (r) => {
    const d = r.getAttr('RTA_DST') as string | undefined;
    const dlen = r.fields.dst_len;
    if ((d ?? '').includes(':') !== addr.includes(':') && d !== undefined) return false;
    const dv = d === undefined ? 0n : bits(d);
    const short = inside ? len : dlen;
    if (inside ? dlen < len : dlen > len) return false;
    const shift = BigInt(width - short);
    return dv >> shift === p >> shift;
  };
}

function v6(a: string): bigint {
  const [head, tail] = a.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail ? tail.split(':') : [];
  const parts = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return parts.reduce((n, x) => (n << 16n) | BigInt(parseInt(x || '0', 16)), 0n);
}

async function show(ctx: CliContext, words: string[]): Promise<number> {
  const s = parseShow(words, 'show', ctx.opts.family);
  const { routes, names } = await select(ctx, s);
  ctx.print(
    routes.map((r) => routeJSON(r, names, { table: s.table === 'all' })),
    routeText,
  );
  return 0;
}

async function flush(ctx: CliContext, words: string[]): Promise<number> {
  if (!words.length) throw new UsageError('route flush: give a selector (table, dev, proto, a prefix...), as ip does');
  const s = parseShow(words, 'flush', ctx.opts.family);
  const { routes } = await select(ctx, s);
  const ipr = ctx.route();
  for (const r of routes) {
    const dst = r.getAttr('RTA_DST') as string | undefined;
    await ipr.route('del', {
      family: r.fields.family,
      dst: dst === undefined ? 'default' : `${dst}/${r.fields.dst_len}`,
      table: tableOf(r),
      type: r.fields.type,
      proto: r.fields.proto,
      scope: r.fields.scope,
      tos: r.fields.tos,
      priority: r.getAttr('RTA_PRIORITY'),
      oif: r.getAttr('RTA_OIF'),
    });
  }
  return 0;
}

async function get(ctx: CliContext, words: string[]): Promise<number> {
  const w = new Words(words, 'route get');
  const spec: RouteSpec = {};
  while (!w.done) {
    const word = w.take()!;
    switch (word) {
      case 'from':
        spec.src = w.next(word);
        break;
      case 'iif':
        spec.iif = w.next(word);
        break;
      case 'oif':
      case 'dev':
        spec.oif = w.next(word);
        break;
      case 'mark':
        spec.mark = w.number(word);
        break;
      case 'tos':
      case 'dsfield':
        spec.tos = w.number(word, 0xff);
        break;
      case 'ipproto':
        spec.ipProto = w.number(word, 0xff);
        break;
      case 'sport':
        spec.sport = w.number(word, 0xffff);
        break;
      case 'dport':
        spec.dport = w.number(word, 0xffff);
        break;
      case 'fibmatch':
        spec.fibMatch = true;
        break;
      case 'to':
        spec.dst = w.next(word);
        break;
      default:
        if (spec.dst === undefined) spec.dst = word;
        else w.unsupported(word);
    }
  }
  if (spec.dst === undefined) throw new UsageError('route get: which address?');
  spec.family = ctx.opts.family || familyOfAddr(spec.dst);
  const ipr = ctx.route();
  const names = new Map<number, string>(
    (await ipr.getLinks()).map((l) => [l.fields.index, l.getAttr('IFLA_IFNAME') ?? '']),
  );
  const rows = (await ipr.route('get', spec)).map((r) => {
    const j = routeJSON(r, names);
    if (spec.fibMatch) return j;
    // A looked-up route prints as ip prints it: no protocol or scope, the uid and the cache.
    const { protocol: _p, scope: _s, table: _t, metric: _m, ...rest } = j;
    return { ...rest, uid: r.getAttr('RTA_UID') ?? 0, cache: [] };
  });
  ctx.print(rows, routeText);
  return 0;
}

export async function routeCommand(ctx: CliContext, words: string[]): Promise<number> {
  const [first, ...rest] = words;
  const verb = first === undefined ? 'show' : pick(first, VERBS);
  const family = ctx.opts.family;
  switch (verb) {
    case 'add':
    case 'replace':
    case 'append':
      await ctx.route().route(verb, parseRoute(rest, verb, family));
      return 0;
    case 'change':
      await ctx.route().route('change', parseRoute(rest, verb, family));
      return 0;
    case 'delete':
      await ctx.route().route('del', parseRoute(rest, 'del', family));
      return 0;
    case 'get':
      return get(ctx, rest);
    case 'flush':
      return flush(ctx, rest);
    case 'show':
    case 'list':
    case 'lst':
      return show(ctx, rest);
    case 'help':
      ctx.write(ROUTE_USAGE);
      return 0;
    default:
      throw new UsageError(`route: "${first}" is not supported (add, change, append, replace, del, get, show, flush)`);
  }
}

export const ROUTE_USAGE = `\
usage: nlroute route {add|change|append|replace|del} [TYPE] PREFIX [tos N] [table T] [proto P]
                        [scope S] [metric N] [via ADDR] [dev DEV] [src ADDR] [onlink] [mtu [lock] N] [advmss N] ...
                        [nexthop via ADDR dev DEV weight N]...
       nlroute route get ADDR [from ADDR] [iif DEV] [oif DEV] [mark N] [fibmatch]
       nlroute route show [table T|all] [dev DEV] [proto P] [type T] [scope S] [PREFIX|root P|match P|exact P]
       nlroute route flush SELECTOR
`;
