// Parsed rtnetlink messages in the JSON shape `ip -j -d` prints, so scripts can switch tools.
import { AttrSet, flagNames, ipv4ToString, ipv6ToString, messageOf, parseMac, type AnyMessage } from '../core/index.js';
import { AF_INET, ARPHRD, IFF, RTM_F, RTNH_F, RTPROT, RT_SCOPE, RT_TABLE, RTN } from './constants.js';
import { FIB_RULE, FR_ACT, IP_PROTO, fibmsg } from './fibrulemsg.js';
import { ifaddrmsg } from './ifaddrmsg.js';
import { ifinfmsg } from './ifinfmsg.js';
import { ndmsg } from './ndmsg.js';
import { rtmsg } from './rtmsg.js';
import { ipJsonOf } from './kinds/ipjson.js';
import { linkKinds, type LinkKind } from './kinds/registry.js';

type Json = Record<string, unknown>;

// iproute2 prints link flags in this order, without the IFF_ prefix.
const LINK_FLAG_ORDER = [
  'LOOPBACK',
  'BROADCAST',
  'POINTOPOINT',
  'MULTICAST',
  'NOARP',
  'ALLMULTI',
  'PROMISC',
  'MASTER',
  'SLAVE',
  'DEBUG',
  'DYNAMIC',
  'AUTOMEDIA',
  'PORTSEL',
  'NOTRAILERS',
  'UP',
  'LOWER_UP',
  'DORMANT',
  'ECHO',
];

// ll_type_n2a names of the ARPHRD types iproute2 prints.
const LINK_TYPES: Record<number, string> = {
  0: 'netrom',
  1: 'ether',
  2: 'eether',
  3: 'ax25',
  4: 'pronet',
  5: 'chaos',
  6: 'ieee802',
  7: 'arcnet',
  8: 'atalk',
  15: 'dlci',
  19: 'atm',
  23: 'metricom',
  24: 'ieee1394',
  27: 'eui64',
  32: 'infiniband',
  256: 'slip',
  257: 'cslip',
  258: 'slip6',
  259: 'cslip6',
  260: 'rsrvd',
  264: 'adapt',
  270: 'rose',
  271: 'x25',
  272: 'hwx25',
  280: 'can',
  512: 'ppp',
  513: 'hdlc',
  516: 'lapb',
  517: 'ddcmp',
  518: 'rawhdlc',
  519: 'rawip',
  768: 'ipip',
  769: 'tunnel6',
  770: 'frad',
  771: 'skip',
  772: 'loopback',
  773: 'localtlk',
  774: 'fddi',
  775: 'bif',
  776: 'sit',
  777: 'ip/ddp',
  778: 'gre',
  779: 'pimreg',
  780: 'hippi',
  781: 'ash',
  782: 'econet',
  783: 'irda',
  784: 'fcpp',
  785: 'fcal',
  786: 'fcpl',
  787: 'fcfb',
  788: 'tr',
  789: 'tr+rif',
  800: 'ieee802.11',
  801: 'ieee802.11/prism',
  802: 'ieee802.11/radiotap',
  803: 'ieee802.15.4',
  804: 'ieee802.15.4/monitor',
  820: 'phonet',
  821: 'phonet_pipe',
  822: 'caif',
  823: 'gre6',
  824: 'netlink',
  825: '6lowpan',
  826: 'vsockmon',
  0xfffe: 'none',
  0xffff: 'void',
};

const OPERSTATES = ['UNKNOWN', 'NOTPRESENT', 'DOWN', 'LOWERLAYERDOWN', 'TESTING', 'DORMANT', 'UP'];
const LINKMODES = ['DEFAULT', 'DORMANT', 'TESTING'];
const ADDR_GEN_MODES = ['eui64', 'none', 'stable_secret', 'random'];

// Tunnel devices whose hardware address is their IPv4 or IPv6 endpoint, which ip prints as an address.
const V4_ADDR_TYPES = new Set<number>([ARPHRD.ARPHRD_TUNNEL, ARPHRD.ARPHRD_SIT, ARPHRD.ARPHRD_IPGRE]);
const V6_ADDR_TYPES = new Set<number>([ARPHRD.ARPHRD_TUNNEL6, ARPHRD.ARPHRD_IP6GRE]);
const IPV4_LEN = 4;
const IPV6_LEN = 16;

/** A link-layer address as ip prints it: tunnel endpoints as IP addresses, others as MAC-style hex. */
function hwAddrText(mac: string, type: number): string {
  const b = parseMac(mac);
  if (b.length === IPV4_LEN && V4_ADDR_TYPES.has(type)) return ipv4ToString(b, 0);
  if (b.length === IPV6_LEN && V6_ADDR_TYPES.has(type)) return ipv6ToString(b, 0);
  return mac;
}

/** Link flag names as `ip` prints them (NO-CARRIER when up without carrier). */
export function linkFlags(flags: number): string[] {
  const names = new Set(flagNames(flags, IFF).map((n) => n.replace(/^IFF_/, '')));
  const out = LINK_FLAG_ORDER.filter((n) => names.has(n));
  if (flags & IFF.IFF_UP && !(flags & IFF.IFF_RUNNING)) out.unshift('NO-CARRIER');
  return out;
}

/** A nest's attributes as an object with `ip`-style names (prefix dropped, lower case). */
function nestJSON(set: AttrSet, prefix: RegExp): Json {
  const out: Json = {};
  for (const [k, v] of set.attrsJSON()) {
    const key = typeof k === 'number' ? String(k) : k.replace(prefix, '').toLowerCase();
    out[key] = v;
  }
  return out;
}

/** A kind's data as ip prints it: by the kind's table, else attribute names lower-cased. */
function kindJSON(kind: LinkKind | undefined, data: AttrSet, names: ReadonlyMap<number, string>): Json {
  return kind?.ipJson ? (ipJsonOf(kind.ipJson, data, names) as Json) : nestJSON(data, /^IFLA_[A-Z0-9]+?_/);
}

/** The port kind whose data a master of kind `master` gives its ports ('bridge' -> 'bridge_slave'). */
function portKind(master: string): LinkKind | undefined {
  for (const k of linkKinds.values()) if (k.slaveOf === master) return k;
  return undefined;
}

/** One link as `ip -j -d [-s] link show` prints it; `names` maps ifindex to name. */
export function linkJSON(
  m: AnyMessage,
  names: Map<number, string>,
  opts: { details?: boolean; stats?: boolean; linkmode?: boolean } = {},
): Json {
  const f = m.fields;
  const a = (n: string): any => m.getAttr(n);
  const j: Json = { ifindex: f.index, ifname: a('IFLA_IFNAME') };
  const link = a('IFLA_LINK');
  if (link !== undefined && link !== f.index) {
    if (a('IFLA_LINK_NETNSID') !== undefined) j.link_index = link;
    else j.link = names.get(link) ?? null;
  }
  j.flags = linkFlags(f.flags);
  j.mtu = a('IFLA_MTU');
  if (a('IFLA_QDISC') !== undefined) j.qdisc = a('IFLA_QDISC');
  if (a('IFLA_MASTER') !== undefined) j.master = names.get(a('IFLA_MASTER')) ?? a('IFLA_MASTER');
  if (a('IFLA_OPERSTATE') !== undefined) j.operstate = OPERSTATES[a('IFLA_OPERSTATE')] ?? a('IFLA_OPERSTATE');
  if (opts.linkmode !== false && a('IFLA_LINKMODE') !== undefined)
    j.linkmode = LINKMODES[a('IFLA_LINKMODE')] ?? a('IFLA_LINKMODE');
  if (a('IFLA_GROUP') !== undefined) j.group = a('IFLA_GROUP') === 0 ? 'default' : a('IFLA_GROUP');
  if (a('IFLA_TXQLEN') !== undefined) j.txqlen = a('IFLA_TXQLEN');
  j.link_type = LINK_TYPES[f.ifi_type] ?? `[${f.ifi_type}]`;
  if (a('IFLA_ADDRESS') !== undefined) j.address = hwAddrText(a('IFLA_ADDRESS'), f.ifi_type);
  if (a('IFLA_BROADCAST') !== undefined) {
    // ip calls a point-to-point link's broadcast address its peer.
    if (f.flags & IFF.IFF_POINTOPOINT) j.link_pointtopoint = true;
    j.broadcast = hwAddrText(a('IFLA_BROADCAST'), f.ifi_type);
  }
  if (a('IFLA_PERM_ADDRESS') !== undefined && a('IFLA_PERM_ADDRESS') !== a('IFLA_ADDRESS'))
    j.permaddr = hwAddrText(a('IFLA_PERM_ADDRESS'), f.ifi_type);
  if (a('IFLA_LINK_NETNSID') !== undefined) j.link_netnsid = a('IFLA_LINK_NETNSID');
  if (opts.details) {
    j.promiscuity = a('IFLA_PROMISCUITY');
    if (a('IFLA_ALLMULTI') !== undefined) j.allmulti = a('IFLA_ALLMULTI');
    j.min_mtu = a('IFLA_MIN_MTU');
    j.max_mtu = a('IFLA_MAX_MTU');
    const info = a('IFLA_LINKINFO') as AttrSet | undefined;
    if (info) {
      const li: Json = {};
      const kind = info.getAttr('IFLA_INFO_KIND' as never);
      if (kind !== undefined) li.info_kind = kind;
      const data = info.getAttr('IFLA_INFO_DATA' as never) as unknown;
      if (data instanceof AttrSet && data.start < data.end) li.info_data = kindJSON(linkKinds.get(kind), data, names);
      const skind = info.getAttr('IFLA_INFO_SLAVE_KIND' as never);
      if (skind !== undefined) li.info_slave_kind = skind;
      const sdata = info.getAttr('IFLA_INFO_SLAVE_DATA' as never) as unknown;
      if (sdata instanceof AttrSet && sdata.start < sdata.end) {
        li.info_slave_data = kindJSON(portKind(skind as string), sdata, names);
      }
      j.linkinfo = li;
    }
    const af = a('IFLA_AF_SPEC') as AttrSet | undefined;
    const inet6 = af instanceof AttrSet ? (af.getAttr('AF_INET6' as never) as AttrSet | undefined) : undefined;
    const mode = inet6 instanceof AttrSet ? inet6.getAttr('IFLA_INET6_ADDR_GEN_MODE' as never) : undefined;
    if (mode !== undefined) j.inet6_addr_gen_mode = ADDR_GEN_MODES[mode as number] ?? mode;
    for (const [attr, key] of [
      ['IFLA_NUM_TX_QUEUES', 'num_tx_queues'],
      ['IFLA_NUM_RX_QUEUES', 'num_rx_queues'],
      ['IFLA_GSO_MAX_SIZE', 'gso_max_size'],
      ['IFLA_GSO_MAX_SEGS', 'gso_max_segs'],
      ['IFLA_TSO_MAX_SIZE', 'tso_max_size'],
      ['IFLA_TSO_MAX_SEGS', 'tso_max_segs'],
      ['IFLA_GRO_MAX_SIZE', 'gro_max_size'],
    ] as const) {
      if (a(attr) !== undefined) j[key] = a(attr);
    }
    if (a('IFLA_PARENT_DEV_BUS_NAME') !== undefined) j.parentbus = a('IFLA_PARENT_DEV_BUS_NAME');
    if (a('IFLA_PARENT_DEV_NAME') !== undefined) j.parentdev = a('IFLA_PARENT_DEV_NAME');
  }
  const props = a('IFLA_PROP_LIST') as AttrSet | undefined;
  if (props) {
    const alt = props.getAttrs('IFLA_ALT_IFNAME' as never);
    if (alt.length) j.altnames = alt;
  }
  if (opts.stats) {
    const s = a('IFLA_STATS64');
    if (s) {
      const n = (x: bigint | undefined): number => Number(x ?? 0n);
      j.stats64 = {
        rx: {
          bytes: n(s.rx_bytes),
          packets: n(s.rx_packets),
          errors: n(s.rx_errors),
          dropped: n(s.rx_dropped),
          over_errors: n(s.rx_over_errors),
          multicast: n(s.multicast),
        },
        tx: {
          bytes: n(s.tx_bytes),
          packets: n(s.tx_packets),
          errors: n(s.tx_errors),
          dropped: n(s.tx_dropped),
          carrier_errors: n(s.tx_carrier_errors),
          collisions: n(s.collisions),
        },
      };
    }
  }
  return j;
}

const SCOPES: Record<number, string> = { 0: 'global', 200: 'site', 253: 'link', 254: 'host', 255: 'nowhere' };
const scopeName = (s: number): string | number => SCOPES[s] ?? s;
const FAMILIES: Record<number, string> = { 2: 'inet', 10: 'inet6', 7: 'bridge', 28: 'mpls', 17: 'link' };

/** One address as an `addr_info` entry of `ip -j addr show`. */
export function addrInfoJSON(m: AnyMessage): Json {
  const f = m.fields;
  const a = (n: string): any => m.getAttr(n);
  const j: Json = { family: FAMILIES[f.family] ?? f.family };
  const local = a('IFA_LOCAL'),
    address = a('IFA_ADDRESS');
  j.local = local ?? address;
  if (local !== undefined && address !== undefined && local !== address) j.address = address;
  j.prefixlen = f.prefixlen;
  if (a('IFA_BROADCAST') !== undefined) j.broadcast = a('IFA_BROADCAST');
  j.scope = scopeName(f.scope);
  const flags = a('IFA_FLAGS') ?? f.flags;
  const names: Record<number, string> = {
    0x01: 'temporary',
    0x02: 'nodad',
    0x04: 'optimistic',
    0x08: 'dadfailed',
    0x10: 'home',
    0x20: 'deprecated',
    0x40: 'tentative',
    0x80: 'permanent',
    0x100: 'mngtmpaddr',
    0x200: 'noprefixroute',
    0x400: 'autojoin',
    0x800: 'stable-privacy',
  };
  for (const [bit, name] of Object.entries(names)) {
    // `ip` prints "dynamic" for addresses that are not permanent, and no "permanent" key.
    if (Number(bit) === 0x80) continue;
    if (flags & Number(bit)) j[name] = true;
  }
  if (f.family === 2 || f.family === 10) {
    if (!(flags & 0x80)) j.dynamic = true;
  }
  if (a('IFA_LABEL') !== undefined) j.label = a('IFA_LABEL');
  const ci = a('IFA_CACHEINFO');
  if (ci) {
    j.valid_life_time = ci.ifa_valid;
    j.preferred_life_time = ci.ifa_prefered;
  }
  return j;
}

const PROTOS: Record<number, string> = {
  0: 'unspec',
  1: 'redirect',
  2: 'kernel',
  3: 'boot',
  4: 'static',
  8: 'gated',
  9: 'ra',
  10: 'mrt',
  11: 'zebra',
  12: 'bird',
  13: 'dnrouted',
  14: 'xorp',
  15: 'ntk',
  16: 'dhcp',
  18: 'keepalived',
  42: 'babel',
  99: 'openr',
  186: 'bgp',
  187: 'isis',
  188: 'ospf',
  189: 'rip',
  192: 'eigrp',
};
const TYPES = [
  'unspec',
  'unicast',
  'local',
  'broadcast',
  'anycast',
  'multicast',
  'blackhole',
  'unreachable',
  'prohibit',
  'throw',
  'nat',
  'xresolve',
];
const TABLES: Record<number, string> = { 0: 'unspec', 252: 'compat', 253: 'default', 254: 'main', 255: 'local' };

// Route and next-hop flags in the order ip prints them (RTNH_F_* in the low byte, RTM_F_* above).
const ROUTE_FLAGS: [number, string][] = [
  [RTNH_F.RTNH_F_DEAD, 'dead'],
  [RTNH_F.RTNH_F_ONLINK, 'onlink'],
  [RTNH_F.RTNH_F_PERVASIVE, 'pervasive'],
  [RTNH_F.RTNH_F_OFFLOAD, 'offload'],
  [RTNH_F.RTNH_F_TRAP, 'trap'],
  [RTM_F.RTM_F_NOTIFY, 'notify'],
  [RTNH_F.RTNH_F_LINKDOWN, 'linkdown'],
  [RTNH_F.RTNH_F_UNRESOLVED, 'unresolved'],
  [RTM_F.RTM_F_OFFLOAD, 'rt_offload'],
  [RTM_F.RTM_F_TRAP, 'rt_trap'],
  [RTM_F.RTM_F_OFFLOAD_FAILED, 'rt_offload_failed'],
];
const ROUTER_PREFS: Record<number, string> = { 0: 'medium', 1: 'high', 3: 'low' };

/** Route or next-hop flag names as `ip -j` lists them. */
export function routeFlags(flags: number): string[] {
  return ROUTE_FLAGS.filter(([bit]) => flags & bit).map(([, name]) => name);
}

/** One route as `ip -j route show` prints it. */
export function routeJSON(m: AnyMessage, names: Map<number, string>, opts: { table?: boolean } = {}): Json {
  const f = m.fields;
  const a = (n: string): any => m.getAttr(n);
  const j: Json = {};
  if (f.type !== 1) j.type = TYPES[f.type] ?? f.type;
  const dst = a('RTA_DST');
  const full = f.family === 2 ? 32 : 128;
  j.dst = dst === undefined ? 'default' : f.dst_len === full ? dst : `${dst}/${f.dst_len}`;
  // As ip: a host-length source prints without its length.
  if (a('RTA_SRC') !== undefined) j.from = f.src_len === full ? a('RTA_SRC') : `${a('RTA_SRC')}/${f.src_len}`;
  const table = a('RTA_TABLE') ?? f.table;
  // ip -j prints a table without a name as a string too ("100").
  if (opts.table && table !== 254) j.table = TABLES[table] ?? String(table);
  if (a('RTA_GATEWAY') !== undefined) j.gateway = a('RTA_GATEWAY');
  if (a('RTA_VIA') !== undefined)
    j.via = { family: FAMILIES[a('RTA_VIA').family] ?? a('RTA_VIA').family, host: a('RTA_VIA').addr };
  if (a('RTA_OIF') !== undefined) j.dev = names.get(a('RTA_OIF')) ?? a('RTA_OIF');
  if (f.proto !== 3) j.protocol = PROTOS[f.proto] ?? f.proto;
  if (f.scope !== 0) j.scope = scopeName(f.scope);
  if (a('RTA_PRIORITY') !== undefined) j.metric = a('RTA_PRIORITY');
  if (a('RTA_PREFSRC') !== undefined) j.prefsrc = a('RTA_PREFSRC');
  j.flags = routeFlags(f.flags);
  const pref = a('RTA_PREF');
  if (pref !== undefined) j.pref = ROUTER_PREFS[pref] ?? pref;
  const metrics = a('RTA_METRICS') as AttrSet | undefined;
  if (metrics instanceof AttrSet) {
    const mj: Json = {};
    for (const [k, v] of metrics.attrsJSON()) if (typeof k === 'string') mj[k.replace(/^RTAX_/, '').toLowerCase()] = v;
    if (Object.keys(mj).length) j.metrics = [mj];
  }
  const mp = a('RTA_MULTIPATH') as { ifindex: number; hops: number; attrs: AttrSet }[] | undefined;
  if (Array.isArray(mp)) {
    j.nexthops = mp.map((nh: any) => {
      const o: Json = {};
      const gw = nh.attrs instanceof AttrSet ? nh.attrs.getAttr('RTA_GATEWAY') : undefined;
      if (gw !== undefined) o.gateway = gw;
      if (nh.ifindex) o.dev = names.get(nh.ifindex) ?? nh.ifindex;
      o.weight = (nh.hops ?? 0) + 1;
      o.flags = routeFlags(nh.flags ?? 0);
      return o;
    });
  }
  return j;
}

const NUD_NAMES: [number, string][] = [
  [0x01, 'INCOMPLETE'],
  [0x02, 'REACHABLE'],
  [0x04, 'STALE'],
  [0x08, 'DELAY'],
  [0x10, 'PROBE'],
  [0x20, 'FAILED'],
  [0x40, 'NOARP'],
  [0x80, 'PERMANENT'],
];

/** One neighbour as `ip -j neigh show` prints it. */
export function neighJSON(m: AnyMessage, names: Map<number, string>): Json {
  const f = m.fields;
  const a = (n: string): any => m.getAttr(n);
  const j: Json = { dst: a('NDA_DST'), dev: names.get(f.ifindex) ?? f.ifindex };
  if (a('NDA_LLADDR') !== undefined) j.lladdr = a('NDA_LLADDR');
  if (f.flags & 0x80) j.router = null;
  if (f.flags & 0x08) j.proxy = null;
  // ip prints no state for an entry without one (a proxy entry).
  if (f.state) j.state = NUD_NAMES.filter(([bit]) => f.state & bit).map(([, n]) => n);
  return j;
}

/** One rule as `ip -j rule show` prints it (iproute2's print_rule, in its order). */
export function ruleJSON(m: AnyMessage): Json {
  const f = m.fields;
  const a = (n: string): any => m.getAttr(n);
  const host = f.family === AF_INET ? 32 : 128;
  const hex = (v: number): string => `0x${v.toString(16)}`;
  const j: Json = { priority: a('FRA_PRIORITY') ?? 0 };
  if (f.flags & FIB_RULE.FIB_RULE_INVERT) j.not = null;
  j.src = a('FRA_SRC') !== undefined ? a('FRA_SRC') : 'all';
  if (a('FRA_SRC') !== undefined && f.src_len !== host) j.srclen = f.src_len;
  if (a('FRA_DST') !== undefined) {
    j.dst = a('FRA_DST');
    if (f.dst_len !== host) j.dstlen = f.dst_len;
  }
  if (f.tos) j.tos = hex(f.tos);
  const mark = a('FRA_FWMARK'),
    mask = a('FRA_FWMASK');
  if (mark || mask) {
    j.fwmark = hex(mark ?? 0);
    if (mask !== undefined && mask !== 0xffffffff) j.fwmask = hex(mask);
  }
  if (a('FRA_IIFNAME') !== undefined) j.iif = a('FRA_IIFNAME');
  if (a('FRA_OIFNAME') !== undefined) j.oif = a('FRA_OIFNAME');
  if (a('FRA_L3MDEV')) j.l3mdev = null;
  const uid = a('FRA_UID_RANGE');
  if (uid) Object.assign(j, { uid_start: uid.start, uid_end: uid.end });
  const proto = a('FRA_IP_PROTO');
  if (proto !== undefined) j.ipproto = IP_PROTO_NAMES[proto] ?? `ipproto-${proto}`;
  for (const [k, n] of [
    ['sport', 'FRA_SPORT_RANGE'],
    ['dport', 'FRA_DPORT_RANGE'],
  ] as const) {
    const r = a(n);
    if (!r) continue;
    if (r.start === r.end) j[k] = r.start;
    else Object.assign(j, { [`${k}_start`]: r.start, [`${k}_end`]: r.end });
  }
  if (a('FRA_TUN_ID') !== undefined) j.tun_id = Number(a('FRA_TUN_ID'));
  const table = a('FRA_TABLE') ?? f.table;
  if (table) {
    j.table = TABLES[table] ?? String(table);
    const spl = a('FRA_SUPPRESS_PREFIXLEN');
    if (spl !== undefined && spl !== 0xffffffff) j.suppress_prefixlen = spl;
    const sig = a('FRA_SUPPRESS_IFGROUP');
    if (sig !== undefined && sig !== 0xffffffff) j.suppress_ifgroup = String(sig);
  }
  const flow = a('FRA_FLOW') as number | undefined;
  if (flow !== undefined) {
    // ip splits the realms: the source realm in the high 16 bits, the destination in the low.
    if (flow >>> 16) j.flow_from = String(flow >>> 16);
    j.flow_to = String(flow & 0xffff);
  }
  if (f.action === FR_ACT.FR_ACT_GOTO) {
    j.goto = a('FRA_GOTO') ?? 'none';
    if (f.flags & FIB_RULE.FIB_RULE_UNRESOLVED) j.unresolved = null;
  } else if (f.action === FR_ACT.FR_ACT_NOP) j.nop = null;
  else if (f.action !== FR_ACT.FR_ACT_TO_TBL) j.action = RULE_ACTIONS[f.action] ?? String(f.action);
  const rp = a('FRA_PROTOCOL');
  // ip names who installed a rule unless it was the kernel.
  if (rp && rp !== RTPROT.RTPROT_KERNEL) j.protocol = PROTOS[rp] ?? String(rp);
  return j;
}

const IP_PROTO_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(IP_PROTO).map(([k, v]) => [v, k]),
);
const RULE_ACTIONS: Readonly<Record<number, string>> = { 6: 'blackhole', 7: 'unreachable', 8: 'prohibit' };

/** Options of toIpJson: interface names by index (for `dev`, `master`, `link`), `ip -d` / `-s` detail. */
export interface IpJsonOptions {
  names?: ReadonlyMap<number, string>;
  details?: boolean;
  stats?: boolean;
}

/**
 * A record (or a message) in the JSON shape `ip -j` prints for it, so scripts can switch
 * between nlroute and `ip`: a link as `ip -j [-d] [-s] link show`, an address as one
 * `addr_info` entry, a route as `ip -j route show`, a neighbour as `ip -j neigh show`, a rule
 * as `ip -j rule show`. Pass `names` (index -> name) to get `dev` names instead of indexes.
 */
export function toIpJson(recordOrMessage: object, opts: IpJsonOptions = {}): Record<string, unknown> {
  const m = (recordOrMessage instanceof AttrSet ? recordOrMessage : messageOf(recordOrMessage)) as
    | AnyMessage
    | undefined;
  if (!m || !('schema' in m)) throw new TypeError('toIpJson needs a record read by nlroute (or its message)');
  const names = new Map(opts.names ?? []);
  switch (m.schema) {
    case ifinfmsg:
      return linkJSON(m, names, { details: opts.details, stats: opts.stats });
    case ifaddrmsg:
      return addrInfoJSON(m);
    case rtmsg:
      return routeJSON(m, names, { table: true });
    case ndmsg:
      return neighJSON(m, names);
    case fibmsg:
      return ruleJSON(m);
    default:
      throw new TypeError(`toIpJson: no ip -j shape for ${m.schema.name}`);
  }
}

// Kept for callers that want the raw tables.
export { ARPHRD, RTN, RTPROT, RT_SCOPE, RT_TABLE };
