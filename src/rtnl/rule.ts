// Policy routing rules: ipr.rule(cmd, spec) and getRules(filter), encoded the way `ip rule` does.
import { AF_INET, AF_UNSPEC, NLM_F_DUMP, NetlinkEncodeError, type Message, type NetlinkSocket } from '../core/index.js';
import { ask, command } from './commands.js';
import { FIB_RULE, FR_ACT, RTM_DELRULE, RTM_GETRULE, RTM_NEWRULE, fibmsg, frActByName } from './fibrulemsg.js';
import { familyOf } from './neigh.js';

export type RuleMessage = Message<typeof fibmsg.header.fields, typeof fibmsg.attrs.decl>;

type Range = { start: number; end: number } | string | number;

export interface RuleSpec {
  family?: number | 'inet' | 'inet6';
  priority?: number;
  /** Routing table id (any u32; ids over 255 travel in FRA_TABLE, as `ip rule` sends them). */
  table?: number;
  /** 'table' (to_tbl), 'goto', 'nop', 'blackhole', 'unreachable', 'prohibit', or FR_ACT_*. */
  action?: string | number;
  /** Target priority of a 'goto' rule. */
  goto?: number;
  /** Source prefix: '10.0.0.0/8' or an address with src_len. */
  src?: string;
  src_len?: number;
  dst?: string;
  dst_len?: number;
  tos?: number;
  fwmark?: number;
  fwmask?: number;
  iifname?: string;
  oifname?: string;
  /** Negate the selector (`ip rule add not ...`). */
  invert?: boolean;
  flags?: number;
  suppress_prefixlength?: number;
  suppress_ifgroup?: number;
  /** FRA_UID_RANGE: { start, end } or '1000-2000'. */
  uid_range?: Range;
  sport_range?: Range;
  dport_range?: Range;
  /** IP protocol number or 'tcp' | 'udp' | 'icmp' | 'sctp' | 'icmpv6'. */
  ip_proto?: number | string;
  /** Who installed the rule (FRA_PROTOCOL). */
  protocol?: number;
  l3mdev?: boolean;
  tun_id?: number | bigint;
  /** FRA_FLOW realms. */
  flow?: number;
  dscp?: number;
}

const KNOWN = ['family', 'priority', 'table', 'action', 'goto', 'src', 'src_len', 'dst', 'dst_len', 'tos', 'fwmark', 'fwmask',
  'iifname', 'oifname', 'invert', 'flags', 'suppress_prefixlength', 'suppress_ifgroup', 'uid_range', 'sport_range',
  'dport_range', 'ip_proto', 'protocol', 'l3mdev', 'tun_id', 'flow', 'dscp'];

const IP_PROTO: Readonly<Record<string, number>> = { icmp: 1, igmp: 2, tcp: 6, udp: 17, gre: 47, esp: 50, ah: 51, icmpv6: 58, ipv6_icmp: 58, sctp: 132 };

function range(v: Range, what: string): { start: number; end: number } {
  if (typeof v === 'number') return { start: v, end: v };
  if (typeof v === 'string') {
    const m = /^(\d+)(?:-(\d+))?$/.exec(v.trim());
    if (!m) throw new NetlinkEncodeError(`rule: bad ${what} ${JSON.stringify(v)} (e.g. '1000-2000')`);
    return { start: Number(m[1]), end: Number(m[2] ?? m[1]) };
  }
  return v;
}

/** Address and prefix length from 'a/len' or an address plus an explicit length. */
function prefix(addr: string, len: number | undefined, family: number): [string, number] {
  const [a, l] = addr.split('/');
  const max = family === AF_INET ? 32 : 128;
  const n = l !== undefined ? Number(l) : len ?? max;
  if (!Number.isInteger(n) || n < 0 || n > max) throw new NetlinkEncodeError(`rule: bad prefix length in ${addr}`);
  return [a, n];
}

/**
 * `rule(sock, 'add'|'del'|'dump', { priority, table, src: '10.0.0.0/8', fwmark, iifname, action })`.
 * Adding defaults to action 'table' and table main; deleting matches only the fields given.
 */
export async function rule(sock: NetlinkSocket, cmd: string, spec: RuleSpec = {}): Promise<RuleMessage[]> {
  for (const k of Object.keys(spec)) if (!KNOWN.includes(k)) throw new NetlinkEncodeError(`rule: unknown option ${k}`);
  const { verb, flags } = command(cmd, ['add', 'create', 'append', 'replace', 'set', 'change', 'del', 'delete', 'remove', 'dump', 'show']);
  if (verb === 'dump') return getRules(sock, spec);
  const family = familyOf(spec, AF_INET);
  const fields: Record<string, unknown> = { family, tos: spec.tos ?? 0, flags: (spec.flags ?? 0) | (spec.invert ? FIB_RULE.FIB_RULE_INVERT : 0) };
  const attrs: [string, unknown][] = [];
  let action = spec.action === undefined ? undefined : typeof spec.action === 'number' ? spec.action : frActByName(spec.action);
  if (action === undefined && spec.action !== undefined) throw new NetlinkEncodeError(`rule: unknown action ${JSON.stringify(spec.action)}`);
  if (action === undefined && verb === 'new') action = spec.goto !== undefined ? FR_ACT.FR_ACT_GOTO : FR_ACT.FR_ACT_TO_TBL;
  fields.action = action ?? FR_ACT.FR_ACT_UNSPEC;
  if (spec.priority !== undefined) attrs.push(['FRA_PRIORITY', spec.priority]);
  if (spec.src !== undefined) {
    const [a, n] = prefix(spec.src, spec.src_len, family);
    fields.src_len = n;
    attrs.push(['FRA_SRC', a]);
  }
  if (spec.dst !== undefined) {
    const [a, n] = prefix(spec.dst, spec.dst_len, family);
    fields.dst_len = n;
    attrs.push(['FRA_DST', a]);
  }
  if (spec.fwmark !== undefined) attrs.push(['FRA_FWMARK', spec.fwmark]);
  if (spec.fwmask !== undefined) attrs.push(['FRA_FWMASK', spec.fwmask]);
  if (spec.flow !== undefined) attrs.push(['FRA_FLOW', spec.flow]);
  if (spec.iifname !== undefined) attrs.push(['FRA_IIFNAME', spec.iifname]);
  if (spec.oifname !== undefined) attrs.push(['FRA_OIFNAME', spec.oifname]);
  if (spec.l3mdev) attrs.push(['FRA_L3MDEV', 1]);
  if (spec.uid_range !== undefined) attrs.push(['FRA_UID_RANGE', range(spec.uid_range, 'uid_range')]);
  if (spec.ip_proto !== undefined) {
    const p = typeof spec.ip_proto === 'number' ? spec.ip_proto : IP_PROTO[spec.ip_proto.toLowerCase()];
    if (p === undefined) throw new NetlinkEncodeError(`rule: unknown ip_proto ${JSON.stringify(spec.ip_proto)}`);
    attrs.push(['FRA_IP_PROTO', p]);
  }
  if (spec.sport_range !== undefined) attrs.push(['FRA_SPORT_RANGE', range(spec.sport_range, 'sport_range')]);
  if (spec.dport_range !== undefined) attrs.push(['FRA_DPORT_RANGE', range(spec.dport_range, 'dport_range')]);
  if (spec.tun_id !== undefined) attrs.push(['FRA_TUN_ID', spec.tun_id]);
  if (spec.dscp !== undefined) attrs.push(['FRA_DSCP', spec.dscp]);
  if (spec.protocol !== undefined) attrs.push(['FRA_PROTOCOL', spec.protocol]);
  if (spec.table !== undefined) {
    if (spec.table < 256) fields.table = spec.table;
    else attrs.push(['FRA_TABLE', spec.table]);
  } else if (verb === 'new' && fields.action === FR_ACT.FR_ACT_TO_TBL) fields.table = 254;
  if (spec.suppress_prefixlength !== undefined) attrs.push(['FRA_SUPPRESS_PREFIXLEN', spec.suppress_prefixlength]);
  if (spec.suppress_ifgroup !== undefined) attrs.push(['FRA_SUPPRESS_IFGROUP', spec.suppress_ifgroup]);
  if (spec.goto !== undefined) attrs.push(['FRA_GOTO', spec.goto]);
  return ask(sock, fibmsg, { type: verb === 'new' ? RTM_NEWRULE : RTM_DELRULE, flags, fields, attrs });
}

/** The table of a rule: FRA_TABLE when present, else the header byte. */
export function ruleTable(m: RuleMessage): number {
  return m.getAttr('FRA_TABLE') ?? m.fields.table;
}

/** Every rule (of a family, or all), filtered by priority, table, fwmark, iifname, oifname, src and dst. */
export async function getRules(sock: NetlinkSocket, filter: RuleSpec = {}): Promise<RuleMessage[]> {
  const family = familyOf(filter, AF_UNSPEC);
  const all = await ask(sock, fibmsg, { type: RTM_GETRULE, flags: NLM_F_DUMP, fields: { family } });
  return all.filter((m) => {
    if (filter.priority !== undefined && (m.getAttr('FRA_PRIORITY') ?? 0) !== filter.priority) return false;
    if (filter.table !== undefined && ruleTable(m) !== filter.table) return false;
    if (filter.fwmark !== undefined && m.getAttr('FRA_FWMARK') !== filter.fwmark) return false;
    if (filter.iifname !== undefined && m.getAttr('FRA_IIFNAME') !== filter.iifname) return false;
    if (filter.oifname !== undefined && m.getAttr('FRA_OIFNAME') !== filter.oifname) return false;
    if (filter.src !== undefined && m.getAttr('FRA_SRC') !== filter.src.split('/')[0]) return false;
    if (filter.dst !== undefined && m.getAttr('FRA_DST') !== filter.dst.split('/')[0]) return false;
    return true;
  });
}
