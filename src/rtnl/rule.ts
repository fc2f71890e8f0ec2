// Policy routing rules: ipr.rule(cmd, spec) and getRules(filter), encoded the way `ip rule` does.
import {
  AF_INET, AF_INET6, AF_UNSPEC, NLM_F_DUMP, NetlinkEncodeError, type Message, type NetlinkSocket,
} from '../core/index.js';
import {
  boolCheck, checkSpec, eitherCheck, ifRefCheck, intCheck, objectCheck, oneOfCheck, stringCheck, u64Check,
  type Check, type SpecRules,
} from '../core/strict.js';
import { ask, command, type Req, type Verb } from './commands.js';
import { RTPROT, RT_TABLE } from './constants.js';
import { enumValue, type IfRef } from './spec.js';
import { FIB_RULE, FR_ACT, RTM_DELRULE, RTM_GETRULE, RTM_NEWRULE, fibmsg, frActByName } from './fibrulemsg.js';
import { familyOf } from './neigh.js';

export type RuleMessage = Message<typeof fibmsg.header.fields, typeof fibmsg.attrs.decl>;

/** Command words of rule(). */
export type RuleCmd = 'add' | 'create' | 'append' | 'replace' | 'set' | 'change' | 'del' | 'delete' | 'remove' | 'dump' | 'show';

/** A port, uid or other range: { start, end }, '1000-2000', or one number. */
export type RuleRange = { start: number; end: number } | string | number;
/** A routing table: its id, or 'main', 'local', 'default'. */
export type TableRef = number | 'main' | 'local' | 'default';
/** What a rule does (fib_rule_hdr.action). */
export type RuleAction = 'table' | 'goto' | 'nop' | 'blackhole' | 'unreachable' | 'prohibit';

/**
 * A policy routing rule, as rule() takes it and ruleRecord() gives it back. Keys are the
 * names below; pyroute2's (`src_len`, `iifname`, `ip_proto`...) and the FRA_* names are
 * accepted as aliases (RULE_ALIASES).
 */
export interface RuleSpec {
  family?: number | 'inet' | 'inet6';
  priority?: number;
  /** Routing table (any u32; ids over 255 travel in FRA_TABLE, as `ip rule` sends them). */
  table?: TableRef;
  /** 'table' (to_tbl), 'goto', 'nop', 'blackhole', 'unreachable', 'prohibit', or FR_ACT_*. */
  action?: RuleAction | (string & {}) | number;
  /** Target priority of a 'goto' rule. */
  goto?: number;
  /** Source prefix: '10.0.0.0/8', or an address with srcLen. */
  src?: string;
  srcLen?: number;
  dst?: string;
  dstLen?: number;
  tos?: number;
  fwmark?: number;
  fwmask?: number;
  /** Incoming interface, by name or index. */
  iif?: IfRef;
  /** Outgoing interface (of locally generated packets), by name or index. */
  oif?: IfRef;
  /** Negate the selector (`ip rule add not ...`). */
  invert?: boolean;
  /** fib_rule_hdr.flags bits beyond invert. */
  flags?: number;
  suppressPrefixlength?: number;
  suppressIfgroup?: number;
  /** FRA_UID_RANGE: { start, end } or '1000-2000'. */
  uidRange?: RuleRange;
  sportRange?: RuleRange;
  dportRange?: RuleRange;
  /** IP protocol number or 'tcp' | 'udp' | 'icmp' | 'sctp' | 'icmpv6'... */
  ipProto?: number | string;
  /** Who installed the rule (FRA_PROTOCOL): 'static', 'boot', 'kernel'... or a number. */
  protocol?: number | string;
  l3mdev?: boolean;
  tunId?: number | bigint | string;
  /** FRA_FLOW realms. */
  flow?: number;
  dscp?: number;
  // pyroute2's names, kept so its code ports line by line.
  /** @deprecated alias of srcLen */ src_len?: number;
  /** @deprecated alias of dstLen */ dst_len?: number;
  /** @deprecated alias of iif */ iifname?: IfRef;
  /** @deprecated alias of oif */ oifname?: IfRef;
  /** @deprecated alias of suppressPrefixlength */ suppress_prefixlength?: number;
  /** @deprecated alias of suppressIfgroup */ suppress_ifgroup?: number;
  /** @deprecated alias of uidRange */ uid_range?: RuleRange;
  /** @deprecated alias of sportRange */ sport_range?: RuleRange;
  /** @deprecated alias of dportRange */ dport_range?: RuleRange;
  /** @deprecated alias of ipProto */ ip_proto?: number | string;
  /** @deprecated alias of tunId */ tun_id?: number | bigint | string;
}

/** A rule read back: the spec's names, enums as names, ranges as 'a-b'. Feed it to rule('add'). */
export interface RuleRecord {
  family: 'inet' | 'inet6' | number;
  priority: number;
  action: RuleAction | number;
  table?: TableRef;
  goto?: number;
  /** 'address/len'. */
  src?: string;
  dst?: string;
  tos?: number;
  fwmark?: number;
  fwmask?: number;
  iif?: string;
  oif?: string;
  invert?: true;
  suppressPrefixlength?: number;
  suppressIfgroup?: number;
  uidRange?: string;
  sportRange?: string;
  dportRange?: string;
  ipProto?: string | number;
  protocol?: string | number;
  l3mdev?: true;
  /** u64: a number while exact, else a decimal string. */
  tunId?: number | string;
  flow?: number;
  dscp?: number;
}

const u8 = intCheck(0, 0xff), u32 = intCheck(0, 0xffffffff);
const rangeC: Check = eitherCheck(intCheck(0, 0xffffffff), stringCheck(), objectCheck);
const nameOrNum: Check = eitherCheck(u8, stringCheck());

/**
 * The rule vocabulary: each friendly key with its check, beside fraMap (fibrulemsg.ts).
 * Header fields: family, action, tos, flags, src/dst lengths; the rest are FRA_* attributes.
 */
export const RULE_KEYS = {
  family: eitherCheck(u8, oneOfCheck('inet', 'inet6')),
  priority: u32, // FRA_PRIORITY
  table: eitherCheck(u32, oneOfCheck('main', 'local', 'default')), // FRA_TABLE or the header byte
  action: eitherCheck(u8, stringCheck()),
  goto: u32, // FRA_GOTO
  src: stringCheck(), // FRA_SRC
  srcLen: u8,
  dst: stringCheck(), // FRA_DST
  dstLen: u8,
  tos: u8,
  fwmark: u32, // FRA_FWMARK
  fwmask: u32, // FRA_FWMASK
  iif: ifRefCheck, // FRA_IIFNAME
  oif: ifRefCheck, // FRA_OIFNAME
  invert: boolCheck,
  flags: u32,
  suppressPrefixlength: u32, // FRA_SUPPRESS_PREFIXLEN
  suppressIfgroup: u32, // FRA_SUPPRESS_IFGROUP
  uidRange: rangeC, // FRA_UID_RANGE
  sportRange: rangeC, // FRA_SPORT_RANGE
  dportRange: rangeC, // FRA_DPORT_RANGE
  ipProto: nameOrNum, // FRA_IP_PROTO
  protocol: nameOrNum, // FRA_PROTOCOL
  l3mdev: boolCheck, // FRA_L3MDEV
  tunId: u64Check(), // FRA_TUN_ID
  flow: u32, // FRA_FLOW
  dscp: intCheck(0, 63), // FRA_DSCP
} as const satisfies Record<string, Check>;

/** pyroute2's keys and the FRA_* names, accepted for the keys above. */
export const RULE_ALIASES: Readonly<Record<string, keyof typeof RULE_KEYS>> = {
  src_len: 'srcLen', dst_len: 'dstLen', iifname: 'iif', oifname: 'oif', suppress_prefixlength: 'suppressPrefixlength',
  suppress_prefixlen: 'suppressPrefixlength', suppress_ifgroup: 'suppressIfgroup', uid_range: 'uidRange',
  sport_range: 'sportRange', dport_range: 'dportRange', ip_proto: 'ipProto', tun_id: 'tunId',
  FRA_PRIORITY: 'priority', FRA_TABLE: 'table', FRA_GOTO: 'goto', FRA_SRC: 'src', FRA_DST: 'dst', FRA_FWMARK: 'fwmark',
  FRA_FWMASK: 'fwmask', FRA_IIFNAME: 'iif', FRA_OIFNAME: 'oif', FRA_SUPPRESS_PREFIXLEN: 'suppressPrefixlength',
  FRA_SUPPRESS_IFGROUP: 'suppressIfgroup', FRA_UID_RANGE: 'uidRange', FRA_SPORT_RANGE: 'sportRange',
  FRA_DPORT_RANGE: 'dportRange', FRA_IP_PROTO: 'ipProto', FRA_PROTOCOL: 'protocol', FRA_L3MDEV: 'l3mdev',
  FRA_TUN_ID: 'tunId', FRA_FLOW: 'flow', FRA_DSCP: 'dscp',
};

const RULES: SpecRules = { keys: RULE_KEYS, aliases: RULE_ALIASES };

/** A rule spec with aliases replaced by the keys above; SpecError for an unknown key or a bad value. */
export function checkRuleSpec(spec: RuleSpec, what = 'rule'): RuleSpec {
  return checkSpec(what, spec, RULES);
}

const IP_PROTO: Readonly<Record<string, number>> = { icmp: 1, igmp: 2, tcp: 6, udp: 17, gre: 47, esp: 50, ah: 51, icmpv6: 58, ipv6_icmp: 58, sctp: 132 };
const TABLES: Readonly<Record<string, number>> = { default: RT_TABLE.RT_TABLE_DEFAULT, main: RT_TABLE.RT_TABLE_MAIN, local: RT_TABLE.RT_TABLE_LOCAL };

function tableId(t: TableRef): number {
  return typeof t === 'number' ? t : TABLES[t];
}

function range(v: RuleRange, what: string): { start: number; end: number } {
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
  if (l !== undefined && len !== undefined && Number(l) !== len) {
    throw new NetlinkEncodeError(`rule: ${addr} has prefix length ${l}, but a length of ${len} is given too`);
  }
  const n = l !== undefined ? Number(l) : len ?? max;
  if (!Number.isInteger(n) || n < 0 || n > max) throw new NetlinkEncodeError(`rule: bad prefix length in ${addr}`);
  return [a, n];
}

/**
 * `rule(sock, 'add'|'del'|'dump', { priority, table, src: '10.0.0.0/8', fwmark, iif, action })`.
 * Adding defaults to action 'table' and table main; deleting matches only the fields given.
 * Interfaces are names here (IPRoute.rule also takes indexes).
 */
export async function rule(sock: NetlinkSocket, cmd: RuleCmd, spec: RuleSpec = {}): Promise<RuleMessage[]> {
  const { verb, flags } = command(cmd, ['add', 'create', 'append', 'replace', 'set', 'change', 'del', 'delete', 'remove', 'dump', 'show']);
  const s = checkRuleSpec(spec);
  if (verb === 'dump') return getRules(sock, s);
  return ask(sock, fibmsg, ruleRequest(verb, flags, s));
}

function ifname(v: IfRef, key: string): string {
  if (typeof v !== 'string') throw new NetlinkEncodeError(`rule: ${key} ${v} must be an interface name here (IPRoute.rule takes indexes)`);
  return v;
}

/** The request for a checked spec (aliases already replaced). */
function ruleRequest(verb: Verb, flags: number, spec: RuleSpec): Req {
  const family = familyOf(spec, AF_INET);
  const fields: Record<string, unknown> = { family, tos: spec.tos ?? 0, flags: (spec.flags ?? 0) | (spec.invert ? FIB_RULE.FIB_RULE_INVERT : 0) };
  const attrs: [string, unknown][] = [];
  let action = spec.action === undefined ? undefined : typeof spec.action === 'number' ? spec.action : frActByName(spec.action);
  if (action === undefined && spec.action !== undefined) throw new NetlinkEncodeError(`rule: unknown action ${JSON.stringify(spec.action)}`);
  if (action === undefined && verb === 'new') action = spec.goto !== undefined ? FR_ACT.FR_ACT_GOTO : FR_ACT.FR_ACT_TO_TBL;
  fields.action = action ?? FR_ACT.FR_ACT_UNSPEC;
  if (spec.priority !== undefined) attrs.push(['FRA_PRIORITY', spec.priority]);
  if (spec.src !== undefined) {
    const [a, n] = prefix(spec.src, spec.srcLen, family);
    fields.src_len = n;
    attrs.push(['FRA_SRC', a]);
  }
  if (spec.dst !== undefined) {
    const [a, n] = prefix(spec.dst, spec.dstLen, family);
    fields.dst_len = n;
    attrs.push(['FRA_DST', a]);
  }
  if (spec.fwmark !== undefined) attrs.push(['FRA_FWMARK', spec.fwmark]);
  if (spec.fwmask !== undefined) attrs.push(['FRA_FWMASK', spec.fwmask]);
  if (spec.flow !== undefined) attrs.push(['FRA_FLOW', spec.flow]);
  if (spec.iif !== undefined) attrs.push(['FRA_IIFNAME', ifname(spec.iif, 'iif')]);
  if (spec.oif !== undefined) attrs.push(['FRA_OIFNAME', ifname(spec.oif, 'oif')]);
  if (spec.l3mdev) attrs.push(['FRA_L3MDEV', 1]);
  if (spec.uidRange !== undefined) attrs.push(['FRA_UID_RANGE', range(spec.uidRange, 'uidRange')]);
  if (spec.ipProto !== undefined) attrs.push(['FRA_IP_PROTO', ipProtoOf(spec.ipProto)]);
  if (spec.sportRange !== undefined) attrs.push(['FRA_SPORT_RANGE', range(spec.sportRange, 'sportRange')]);
  if (spec.dportRange !== undefined) attrs.push(['FRA_DPORT_RANGE', range(spec.dportRange, 'dportRange')]);
  if (spec.tunId !== undefined) attrs.push(['FRA_TUN_ID', BigInt(spec.tunId)]);
  if (spec.dscp !== undefined) attrs.push(['FRA_DSCP', spec.dscp]);
  if (spec.protocol !== undefined) attrs.push(['FRA_PROTOCOL', enumValue(RTPROT, 'RTPROT_', spec.protocol, 'rule protocol')]);
  if (spec.table !== undefined) {
    const t = tableId(spec.table);
    if (t < 256) fields.table = t;
    else attrs.push(['FRA_TABLE', t]);
  } else if (verb === 'new' && fields.action === FR_ACT.FR_ACT_TO_TBL) fields.table = RT_TABLE.RT_TABLE_MAIN;
  if (spec.suppressPrefixlength !== undefined) attrs.push(['FRA_SUPPRESS_PREFIXLEN', spec.suppressPrefixlength]);
  if (spec.suppressIfgroup !== undefined) attrs.push(['FRA_SUPPRESS_IFGROUP', spec.suppressIfgroup]);
  if (spec.goto !== undefined) attrs.push(['FRA_GOTO', spec.goto]);
  return { type: verb === 'new' ? RTM_NEWRULE : RTM_DELRULE, flags, fields, attrs };
}

function ipProtoOf(v: number | string): number {
  const p = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : IP_PROTO[v.toLowerCase()];
  if (p === undefined) throw new NetlinkEncodeError(`rule: unknown ipProto ${JSON.stringify(v)} (${Object.keys(IP_PROTO).join(', ')} or a number)`);
  return p;
}

/** The table of a rule: FRA_TABLE when present, else the header byte. */
export function ruleTable(m: RuleMessage): number {
  return m.getAttr('FRA_TABLE') ?? m.fields.table;
}

/** Every rule (of a family, or all), filtered by priority, table, fwmark, iif, oif, src and dst. */
export async function getRules(sock: NetlinkSocket, filter: RuleSpec = {}): Promise<RuleMessage[]> {
  const f = checkRuleSpec(filter, 'rule filter');
  const family = familyOf(f, AF_UNSPEC);
  const table = f.table === undefined ? undefined : tableId(f.table);
  const all = await ask(sock, fibmsg, { type: RTM_GETRULE, flags: NLM_F_DUMP, fields: { family } });
  return all.filter((m) => {
    if (f.priority !== undefined && (m.getAttr('FRA_PRIORITY') ?? 0) !== f.priority) return false;
    if (table !== undefined && ruleTable(m) !== table) return false;
    if (f.fwmark !== undefined && m.getAttr('FRA_FWMARK') !== f.fwmark) return false;
    if (f.iif !== undefined && m.getAttr('FRA_IIFNAME') !== f.iif) return false;
    if (f.oif !== undefined && m.getAttr('FRA_OIFNAME') !== f.oif) return false;
    if (f.src !== undefined && m.getAttr('FRA_SRC') !== f.src.split('/')[0]) return false;
    if (f.dst !== undefined && m.getAttr('FRA_DST') !== f.dst.split('/')[0]) return false;
    return true;
  });
}

// ---- records -------------------------------------------------------------------------------

const FR_ACT_NAMES: Readonly<Record<number, RuleAction>> = {
  [FR_ACT.FR_ACT_TO_TBL]: 'table', [FR_ACT.FR_ACT_GOTO]: 'goto', [FR_ACT.FR_ACT_NOP]: 'nop',
  [FR_ACT.FR_ACT_BLACKHOLE]: 'blackhole', [FR_ACT.FR_ACT_UNREACHABLE]: 'unreachable', [FR_ACT.FR_ACT_PROHIBIT]: 'prohibit',
};
const TABLE_NAMES: Readonly<Record<number, TableRef>> = { 253: 'default', 254: 'main', 255: 'local' };

function rangeText(r: { start: number; end: number } | undefined): string | undefined {
  return r === undefined ? undefined : r.start === r.end ? String(r.start) : `${r.start}-${r.end}`;
}

function nameOf(table: Readonly<Record<string, number>>, prefix: string, v: number): string | number {
  for (const [k, x] of Object.entries(table)) if (x === v) return k.slice(prefix.length).toLowerCase();
  return v;
}

/** A rule as a plain record: what rule('add') takes, with enums as names. */
export function ruleRecord(m: RuleMessage): RuleRecord {
  const f = m.fields;
  const family = f.family === AF_INET ? 'inet' : f.family === AF_INET6 ? 'inet6' : f.family;
  const r: RuleRecord = { family, priority: m.getAttr('FRA_PRIORITY') ?? 0, action: FR_ACT_NAMES[f.action] ?? f.action };
  const put = <K extends keyof RuleRecord>(k: K, v: RuleRecord[K] | undefined): void => { if (v !== undefined) r[k] = v; };
  const t = ruleTable(m);
  if (t !== 0) r.table = TABLE_NAMES[t] ?? t;
  put('goto', m.getAttr('FRA_GOTO'));
  const src = m.getAttr('FRA_SRC'), dst = m.getAttr('FRA_DST');
  if (src !== undefined) r.src = `${src}/${f.src_len}`;
  if (dst !== undefined) r.dst = `${dst}/${f.dst_len}`;
  if (f.tos) r.tos = f.tos;
  put('fwmark', m.getAttr('FRA_FWMARK'));
  put('fwmask', m.getAttr('FRA_FWMASK'));
  put('iif', m.getAttr('FRA_IIFNAME'));
  put('oif', m.getAttr('FRA_OIFNAME'));
  if (f.flags & FIB_RULE.FIB_RULE_INVERT) r.invert = true;
  const spl = m.getAttr('FRA_SUPPRESS_PREFIXLEN');
  // The kernel reports "no suppression" as 0xffffffff (-1).
  if (spl !== undefined && spl !== 0xffffffff) r.suppressPrefixlength = spl;
  const sig = m.getAttr('FRA_SUPPRESS_IFGROUP');
  if (sig !== undefined && sig !== 0xffffffff) r.suppressIfgroup = sig;
  put('uidRange', rangeText(m.getAttr('FRA_UID_RANGE')));
  put('sportRange', rangeText(m.getAttr('FRA_SPORT_RANGE')));
  put('dportRange', rangeText(m.getAttr('FRA_DPORT_RANGE')));
  const ipp = m.getAttr('FRA_IP_PROTO');
  if (ipp !== undefined) r.ipProto = Object.keys(IP_PROTO).find((k) => IP_PROTO[k] === ipp) ?? ipp;
  const proto = m.getAttr('FRA_PROTOCOL');
  if (proto !== undefined && proto !== 0) r.protocol = nameOf(RTPROT, 'RTPROT_', proto);
  if (m.getAttr('FRA_L3MDEV')) r.l3mdev = true;
  const tun = m.getAttr('FRA_TUN_ID');
  if (tun !== undefined) r.tunId = exactNumber(tun);
  put('flow', m.getAttr('FRA_FLOW'));
  const dscp = m.getAttr('FRA_DSCP');
  if (dscp) r.dscp = dscp;
  return r;
}

/** A u64 as a number while exact, else its decimal string. */
function exactNumber(v: bigint): number | string {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}
