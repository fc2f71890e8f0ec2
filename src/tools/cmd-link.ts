// `nlroute link add|set|del|show|property`: `ip link` grammar over IPRoute.link().
import type { IfinfMessage } from '../rtnl/ifinfmsg.js';

// The command line builds a spec key by key; the library's strict checks validate it whole.
type SpecBuilder = Record<string, any>;
import { IFF } from '../rtnl/constants.js';
import { UsageError, Words, pick } from './cli-args.js';
import type { CliContext } from './cli-context.js';
import { briefRow, briefText, linkText } from './cli-text.js';
import { linkJSON } from '../rtnl/ipjson.js';

const VERBS = ['add', 'set', 'change', 'delete', 'show', 'list', 'lst', 'replace', 'property', 'help'] as const;

const GRE_OPTIONS = { remote: 'greRemote', local: 'greLocal', ttl: 'greTtl', hoplimit: 'greTtl', tos: 'greTos' };
const IPTUN_OPTIONS = {
  remote: 'iptunRemote',
  local: 'iptunLocal',
  ttl: 'iptunTtl',
  hoplimit: 'iptunTtl',
  tos: 'iptunTos',
};

/** ip's link-type option names, mapped to the spec names of the kind (all numbers unless listed). */
const KIND_OPTIONS: Record<string, Record<string, string>> = {
  bridge: {
    forward_delay: 'brForwardDelay',
    hello_time: 'brHelloTime',
    max_age: 'brMaxAge',
    ageing_time: 'brAgeingTime',
    stp_state: 'brStpState',
    priority: 'brPriority',
    vlan_filtering: 'brVlanFiltering',
    vlan_default_pvid: 'brVlanDefaultPvid',
    mcast_snooping: 'brMcastSnooping',
    group_fwd_mask: 'brGroupFwdMask',
    vlan_protocol: 'brVlanProtocol',
  },
  vxlan: {
    id: 'vxlanId',
    vni: 'vxlanId',
    remote: 'vxlanGroup',
    group: 'vxlanGroup',
    local: 'vxlanLocal',
    dev: 'vxlanLink',
    dstport: 'vxlanPort',
    ttl: 'vxlanTtl',
    hoplimit: 'vxlanTtl',
    tos: 'vxlanTos',
    ageing: 'vxlanAgeing',
    maxaddress: 'vxlanLimit',
  },
  macvlan: { mode: 'macvlanMode', bcqueuelen: 'macvlanBcQueueLen' },
  macvtap: { mode: 'macvlanMode', bcqueuelen: 'macvlanBcQueueLen' },
  gre: GRE_OPTIONS,
  gretap: GRE_OPTIONS,
  ipip: IPTUN_OPTIONS,
  sit: IPTUN_OPTIONS,
  bridge_slave: {
    cost: 'brportCost',
    priority: 'brportPriority',
    state: 'brportState',
    guard: 'brportGuard',
    hairpin: 'brportMode',
    learning: 'brportLearning',
    flood: 'brportUnicastFlood',
  },
};
// Options whose value is a word, not a number.
const WORD_VALUES = new Set([
  ...['vxlanGroup', 'vxlanLocal', 'vxlanLink', 'macvlanMode'],
  ...['greRemote', 'greLocal', 'iptunRemote', 'iptunLocal'],
]);
// TTLs where ip takes `inherit` (0: the inner packet's TTL).
const TTL_VALUES = new Set(['greTtl', 'iptunTtl']);
// Tunnel TOS: ip reads it as hex (with or without 0x), `inherit` is 1.
const TOS_VALUES = new Set(['greTos', 'iptunTos']);
// The bridge's VLAN protocol by ip's names.
const VLAN_PROTOCOLS: Record<string, number> = { '802.1q': 0x8100, '802.1ad': 0x88a8 };
const ON_OFF = new Set(['brportGuard', 'brportMode', 'brportLearning', 'brportUnicastFlood']);
const VXLAN_FLAGS: Record<string, [string, number]> = {
  learning: ['vxlanLearning', 1],
  nolearning: ['vxlanLearning', 0],
  proxy: ['vxlanProxy', 1],
  noproxy: ['vxlanProxy', 0],
  udpcsum: ['vxlanUdpCsum', 1],
  noudpcsum: ['vxlanUdpCsum', 0],
  l2miss: ['vxlanL2miss', 1],
  l3miss: ['vxlanL3miss', 1],
  gbp: ['vxlanGbp', 1],
  external: ['vxlanCollectMetadata', 1],
  noexternal: ['vxlanCollectMetadata', 0],
};
// Tunnel flags: path MTU discovery on or off.
const PMTUDISC_FLAGS: Record<string, Record<string, [string, number]>> = {
  gre: { pmtudisc: ['grePmtudisc', 1], nopmtudisc: ['grePmtudisc', 0] },
  gretap: { pmtudisc: ['grePmtudisc', 1], nopmtudisc: ['grePmtudisc', 0] },
  ipip: { pmtudisc: ['iptunPmtudisc', 1], nopmtudisc: ['iptunPmtudisc', 0] },
  sit: { pmtudisc: ['iptunPmtudisc', 1], nopmtudisc: ['iptunPmtudisc', 0] },
};

/** A tunnel's `tos` as ip reads it: hex digits (optionally 0x) or `inherit`. */
function tunnelTos(v: string): number {
  if (v === 'inherit') return 1;
  const n = /^(0x)?[0-9a-f]{1,2}$/i.test(v) ? parseInt(v.replace(/^0x/i, ''), 16) : NaN;
  if (Number.isNaN(n)) throw new UsageError(`link: tos "${v}" is not a hex byte or inherit`);
  return n;
}

/** Words of one kind that set a value without taking one, or take two (vxlan srcport MIN MAX). */
function kindWord(w: Words, kind: string, word: string, spec: SpecBuilder): boolean {
  const flag = (kind === 'vxlan' ? VXLAN_FLAGS : (PMTUDISC_FLAGS[kind] ?? {}))[word];
  if (flag) {
    const [key, v] = flag;
    spec[key] = key === 'vxlanGbp' ? true : v;
    return true;
  }
  if (kind === 'vxlan' && word === 'srcport') {
    spec.vxlanPortRange = { low: w.number(word, 0xffff), high: w.number(word, 0xffff) };
    return true;
  }
  if ((kind === 'macvlan' || kind === 'macvtap') && word === 'nopromisc') {
    spec.macvlanFlags = ['MACVLAN_FLAG_NOPROMISC'];
    return true;
  }
  if (kind === 'vxlan' && (word === 'ttl' || word === 'hoplimit') && w.peek() === 'inherit') {
    w.take();
    spec.vxlanTtlInherit = true;
    return true;
  }
  return false;
}

/** `type KIND [options]` at the end of an add/set line. */
function kindOptions(w: Words, kind: string, spec: SpecBuilder): void {
  spec.kind = kind;
  const table = KIND_OPTIONS[kind] ?? {};
  while (!w.done) {
    const word = w.take()!;
    if (kind === 'veth' && word === 'peer') {
      const peer: SpecBuilder = {};
      commonOptions(w, peer, 'add', true);
      if (peer.ifname === undefined) throw new UsageError('link: veth peer needs a name');
      spec.peer = Object.keys(peer).length === 1 ? peer.ifname : peer;
      continue;
    }
    if (kindWord(w, kind, word, spec)) continue;
    const key = table[word];
    if (!key) throw new UsageError(`link: ${kind} option "${word}" is not supported`);
    if (WORD_VALUES.has(key)) spec[key] = w.next(word);
    else if (ON_OFF.has(key)) spec[key] = w.onOff(word) ? 1 : 0;
    else if (TTL_VALUES.has(key) && w.peek() === 'inherit') {
      w.take();
      spec[key] = 0;
    } else if (TOS_VALUES.has(key)) spec[key] = tunnelTos(w.next(word));
    else if (key === 'brVlanProtocol') {
      const name = w.next(word);
      const proto = VLAN_PROTOCOLS[name.toLowerCase()];
      if (proto === undefined) throw new UsageError(`link: bridge vlan_protocol "${name}" is not 802.1Q or 802.1ad`);
      spec[key] = proto;
    } else spec[key] = w.number(word);
  }
  // ip sends ipip's and sit's inner protocol as 0 (any) when no mode is given; the kernel's default differs.
  if ((kind === 'ipip' || kind === 'sit') && spec.iptunProto === undefined) spec.iptunProto = 0;
  // ip turns learning off for a metadata-collecting (external) vxlan unless told otherwise.
  if (kind === 'vxlan' && spec.vxlanCollectMetadata === 1 && spec.vxlanLearning === undefined) spec.vxlanLearning = 0;
}

const FLAG_WORDS: Record<string, [number, boolean]> = {
  arp: [IFF.IFF_NOARP, false],
  multicast: [IFF.IFF_MULTICAST, true],
  promisc: [IFF.IFF_PROMISC, true],
  allmulticast: [IFF.IFF_ALLMULTI, true],
  trailers: [IFF.IFF_NOTRAILERS, false],
  dynamic: [IFF.IFF_DYNAMIC, true],
};

/**
 * The options `ip link add` and `ip link set` share, read until `type` or the end. In a veth
 * peer, anything unknown ends them (the kind's options resume there).
 */
function commonOptions(w: Words, spec: SpecBuilder, verb: string, inPeer = false): void {
  while (!w.done) {
    const word = w.peek()!;
    if (word === 'type') return;
    w.take();
    switch (word) {
      case 'up':
      case 'down':
        spec.state = word;
        break;
      case 'name':
        spec.ifname = w.next(word);
        break;
      case 'dev':
        if (verb === 'set') spec.index = w.next(word) as never;
        else spec.ifname = w.next(word);
        break;
      case 'link':
        spec.link = w.next(word);
        break;
      case 'mtu':
        spec.mtu = w.number(word);
        break;
      case 'address':
        spec.address = w.next(word);
        break;
      case 'broadcast':
      case 'brd':
        spec.broadcast = w.next(word);
        break;
      case 'txqueuelen':
      case 'txqlen':
      case 'qlen':
        spec.txqlen = w.number(word);
        break;
      case 'numtxqueues':
        spec.numTxQueues = w.number(word);
        break;
      case 'numrxqueues':
        spec.numRxQueues = w.number(word);
        break;
      case 'master':
        spec.master = w.next(word);
        break;
      case 'nomaster':
        spec.master = 0;
        break;
      case 'alias':
        spec.ifalias = w.next(word);
        break;
      case 'group':
        spec.group = w.number(word);
        break;
      case 'netns': {
        const ns = w.next(word);
        if (/^\d+$/.test(ns)) spec.netNsPid = Number(ns);
        else spec.netns = ns;
        break;
      }
      default: {
        const flag = FLAG_WORDS[word];
        if (flag) {
          const on = w.onOff(word);
          const [bit, positive] = flag;
          spec.change = (spec.change ?? 0) | bit;
          if (on === positive) spec.flags = (spec.flags ?? 0) | bit;
          break;
        }
        if (inPeer && spec.ifname === undefined) {
          spec.ifname = word;
          break;
        }
        if (inPeer) {
          w.back();
          return;
        }
        // A bare word is the device name (ip link add NAME ..., ip link set NAME ...).
        if (verb === 'set' && spec.index === undefined) spec.index = word as never;
        else if (verb !== 'set' && spec.ifname === undefined) spec.ifname = word;
        else throw new UsageError(`link ${verb}: "${word}" is not supported`);
      }
    }
  }
}

async function change(ctx: CliContext, verb: 'add' | 'set' | 'del' | 'replace', words: string[]): Promise<number> {
  const w = new Words(words, `link ${verb}`);
  const spec: SpecBuilder = {};
  if (verb === 'del') {
    while (!w.done) {
      const word = w.take()!;
      if (word === 'dev') spec.ifname = w.next(word);
      else if (word === 'type')
        spec.kind = w.next(word); // ip only checks it; the kernel needs the name
      else if (word === 'group') throw new UsageError('link del: "group" is not supported');
      else if (spec.ifname === undefined) spec.ifname = word;
      else w.unsupported(word);
    }
    if (spec.ifname === undefined) throw new UsageError('link del: which device? (link del DEV)');
    await ctx.route().link('del', { ifname: spec.ifname });
    return 0;
  }
  commonOptions(w, spec, verb === 'set' ? 'set' : 'add');
  if (w.peek() === 'type') {
    w.take();
    kindOptions(w, w.next('type'), spec);
  }
  if (verb === 'set') {
    if (spec.index === undefined) throw new UsageError('link set: which device? (link set dev DEV ...)');
    // IPRoute takes the name itself, so a kernel refusal names the device, not its index.
    await ctx.route().link('set', spec);
    return 0;
  }
  if (spec.ifname === undefined && spec.kind === undefined) throw new UsageError(`link ${verb}: which device?`);
  if (spec.kind === undefined) throw new UsageError(`link ${verb}: a link type is required (type veth|bridge|...)`);
  await ctx.route().link(verb, spec);
  return 0;
}

/**
 * ip adds M-DOWN to a link whose lower link (IFLA_LINK, same namespace) is down, e.g. a veth
 * whose peer is down.
 */
export function linkRows(
  links: readonly IfinfMessage[],
  names: Map<number, string>,
  opts: Parameters<typeof linkJSON>[2],
): Record<string, unknown>[] {
  const up = new Map(links.map((l) => [l.fields.index, (l.fields.flags & IFF.IFF_UP) !== 0]));
  return links.map((l) => {
    const j = linkJSON(l, names, opts);
    const lower = l.getAttr('IFLA_LINK');
    if (
      lower !== undefined &&
      lower !== l.fields.index &&
      l.getAttr('IFLA_LINK_NETNSID') === undefined &&
      up.get(lower) === false
    )
      (j.flags as string[]).push('M-DOWN');
    return j;
  });
}

async function show(ctx: CliContext, words: string[]): Promise<number> {
  const w = new Words(words, 'link show');
  let dev: string | undefined,
    up = false,
    master: string | undefined,
    kind: string | undefined;
  while (!w.done) {
    const word = w.take()!;
    if (word === 'dev') dev = w.next(word);
    else if (word === 'up') up = true;
    else if (word === 'master') master = w.next(word);
    else if (word === 'type') kind = w.next(word);
    else if (dev === undefined && !word.startsWith('-')) dev = word;
    else w.unsupported(word);
  }
  const ipr = ctx.route();
  const all = await ipr.getLinks();
  const names = new Map<number, string>(all.map((l) => [l.fields.index, l.getAttr('IFLA_IFNAME') ?? '']));
  let links = all;
  const rowsOf = (keep: readonly IfinfMessage[]): Record<string, unknown>[] =>
    linkRows(all, names, { details: ctx.opts.details, stats: ctx.opts.stats }).filter((_, i) => keep.includes(all[i]));
  if (dev !== undefined) {
    const index = await ipr.ifindex(dev);
    links = links.filter((l) => l.fields.index === index);
  }
  if (up) links = links.filter((l) => l.fields.flags & IFF.IFF_UP);
  if (master !== undefined) {
    const m = await ipr.ifindex(master);
    links = links.filter((l) => l.getAttr('IFLA_MASTER') === m);
  }
  if (kind !== undefined) {
    links = links.filter((l) => (l.getAttr('IFLA_LINKINFO') as any)?.getAttr('IFLA_INFO_KIND') === kind);
  }
  if (ctx.opts.brief)
    ctx.print(
      rowsOf(links).map((r) => briefRow(r, false)),
      briefText,
    );
  else ctx.print(rowsOf(links), linkText);
  return 0;
}

async function property(ctx: CliContext, words: string[]): Promise<number> {
  const w = new Words(words, 'link property');
  const op = w.next('property');
  if (op !== 'add' && op !== 'del') throw new UsageError('link property: add or del');
  let dev: string | undefined;
  const altname: string[] = [];
  while (!w.done) {
    const word = w.take()!;
    if (word === 'dev') dev = w.next(word);
    else if (word === 'altname') altname.push(w.next(word));
    else if (dev === undefined) dev = word;
    else w.unsupported(word);
  }
  if (dev === undefined || !altname.length) throw new UsageError('link property add|del dev DEV altname NAME');
  const ipr = ctx.route();
  await ipr.link(op === 'add' ? 'property_add' : 'property_del', { index: await ipr.ifindex(dev), altname });
  return 0;
}

export async function linkCommand(ctx: CliContext, words: string[]): Promise<number> {
  const [first, ...rest] = words;
  const verb = first === undefined ? 'show' : pick(first, VERBS);
  switch (verb) {
    case 'add':
      return change(ctx, 'add', rest);
    case 'replace':
      return change(ctx, 'replace', rest);
    case 'set':
    case 'change':
      return change(ctx, 'set', rest);
    case 'delete':
      return change(ctx, 'del', rest);
    case 'show':
    case 'list':
    case 'lst':
      return show(ctx, rest);
    case 'property':
      return property(ctx, rest);
    case 'help':
      ctx.write(LINK_USAGE);
      return 0;
    default:
      throw new UsageError(`link: unknown command "${first}" (add, set, del, show, property)`);
  }
}

export const LINK_USAGE = `\
usage: nlroute link add [link DEV] [name] NAME [mtu N] [address LLADDR] [txqlen N] [master DEV]
                        [netns NS] type {veth [peer name NAME] | bridge [OPTS] | vxlan id ID ... | macvlan mode M | ifb
                                         | gre|gretap|ipip|sit remote A local A [ttl N|inherit] [tos T] ...}
       nlroute link set [dev] DEV [up|down] [name NEW] [mtu N] [address LLADDR] [master DEV|nomaster]
                        [netns NS|PID] [arp|multicast|promisc|allmulticast on|off] [alias TEXT] [group N]
       nlroute link del [dev] DEV
       nlroute link show [[dev] DEV] [up] [master DEV] [type KIND]
       nlroute link property add|del dev DEV altname NAME
`;
