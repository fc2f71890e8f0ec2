// Policy routing rules: ipr.rule(cmd, spec) and getRules(filter), encoded the way `ip rule` does.
import {
  AF_INET,
  AF_UNSPEC,
  NLM_F_DUMP,
  NetlinkEncodeError,
  attachMessage,
  boolCheck,
  enumNames,
  checkSpec,
  eitherCheck,
  ifRefCheck,
  intCheck,
  nestedCheck,
  objectCheck,
  oneOfCheck,
  stringCheck,
  type Check,
  type Message,
  type NetlinkSocket,
  type SpecRules,
  type VocabRecord,
  type VocabSpec,
} from '../core/index.js';
import { ask, command, type Req, type Verb, WRITE_AND_DUMP } from './commands.js';
import { RTPROT, RT_TABLE } from './constants.js';
import type { RouteTable } from './records.js';
import { enumValue, type IfRef } from './spec.js';
import {
  FIB_RULE,
  FR_ACT,
  IP_PROTO,
  RTM_DELRULE,
  RTM_GETRULE,
  RTM_NEWRULE,
  fibmsg,
  frActByName,
  ruleVocab,
} from './fibrulemsg.js';
import { familyOf } from './neigh.js';

export type RuleMessage = Message<typeof fibmsg.header.fields, typeof fibmsg.attrs.decl>;

/** Command words of rule(). */
export type RuleCmd =
  | 'add'
  | 'create'
  | 'append'
  | 'replace'
  | 'set'
  | 'change'
  | 'del'
  | 'delete'
  | 'remove'
  | 'dump'
  | 'show';

/** A port, uid or other range: { start, end }, '1000-2000', or one number. */
export type RuleRange = { start: number; end: number } | string | number;
/** A routing table: its id, or 'main', 'local', 'default'. */
export type TableRef = number | 'main' | 'local' | 'default' | (string & {});
/** What a rule does (fib_rule_hdr.action). */
export type RuleAction = 'table' | 'goto' | 'nop' | 'blackhole' | 'unreachable' | 'prohibit';

/** Keys of the rule vocabulary (fibrulemsg.ts) whose spec form is wider than the wire's. */
type Widened =
  | 'srcLen'
  | 'dstLen'
  | 'family'
  | 'table'
  | 'action'
  | 'iif'
  | 'oif'
  | 'uidRange'
  | 'sportRange'
  | 'dportRange'
  | 'ipProto'
  | 'protocol'
  | 'l3mdev'
  | 'tunId';

/**
 * A policy routing rule, as rule() takes it and ruleRecord() gives it back: the names of
 * ruleVocab (fibrulemsg.ts). pyroute2's keys (`src_len`, `iifname`, `ip_proto`...) and the
 * FRA_* names are accepted as aliases.
 */
type Writable<T> = { -readonly [K in keyof T]: T[K] };
type RuleVocabSpec = Writable<Omit<VocabSpec<typeof ruleVocab>, Widened>>;

export interface RuleSpec extends RuleVocabSpec {
  family?: number | 'inet' | 'inet6';
  /** Prefix length of `src`/`dst` given without one. */
  srcLen?: number;
  dstLen?: number;
  /** Routing table (any u32; ids over 255 travel in FRA_TABLE, as `ip rule` sends them). */
  table?: TableRef;
  /** 'table' (to_tbl), 'goto', 'nop', 'blackhole', 'unreachable', 'prohibit', or FR_ACT_*. */
  action?: RuleAction | (string & {}) | number;
  /** Incoming interface, by name (or index through IPRoute). */
  iif?: IfRef;
  /** Outgoing interface (of locally generated packets), by name (or index through IPRoute). */
  oif?: IfRef;
  /** Negate the selector (`ip rule add not ...`). */
  invert?: boolean;
  /** fib_rule_hdr.flags bits beyond invert. */
  flags?: number;
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
  // pyroute2's names, so its code ports line by line.
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

/** A rule read back: the spec's names, enums as names, 'addr/len' prefixes, ranges as 'a-b'. Feeds back to rule('add'). */
export type RuleRecord = Omit<
  VocabRecord<typeof ruleVocab>,
  'srcLen' | 'dstLen' | 'family' | 'table' | 'action' | 'uidRange' | 'sportRange' | 'dportRange' | 'ipProto' | 'l3mdev'
> & {
  /** A number for the multicast routing families (RTNL_FAMILY_IPMR 128, RTNL_FAMILY_IP6MR 129). */
  family: 'inet' | 'inet6' | number;
  priority: number;
  /** A number for the reserved actions (0, 4, 5), which have no name. */
  action: RuleAction | number;
  table?: RouteTable;
  invert?: true;
  uidRange?: string;
  sportRange?: string;
  dportRange?: string;
  ipProto?: string | number;
  l3mdev?: boolean;
};

const u32 = intCheck(0, 0xffffffff);
const rangeC: Check = nestedCheck(eitherCheck(u32, stringCheck(), objectCheck), { keys: { start: u32, end: u32 } });

/** Checks of the keys whose spec form is wider than their attribute's (the rest come from the vocabulary). */
const EXTRA: Readonly<Record<string, Check>> = {
  family: eitherCheck(intCheck(0, 0xff), oneOfCheck('inet', 'inet6')),
  table: eitherCheck(u32, oneOfCheck('main', 'local', 'default')),
  action: eitherCheck(intCheck(0, 0xff), stringCheck()),
  iif: ifRefCheck,
  oif: ifRefCheck,
  invert: boolCheck,
  flags: u32,
  uidRange: rangeC,
  sportRange: rangeC,
  dportRange: rangeC,
  ipProto: eitherCheck(intCheck(0, 0xff), stringCheck()),
  l3mdev: boolCheck,
};
const RULES: SpecRules = ruleVocab.rules(EXTRA);

/** A rule spec with aliases replaced by the vocabulary's keys; SpecError for an unknown key or a bad value. */
export function checkRuleSpec(spec: RuleSpec, what = 'rule'): RuleSpec {
  return checkSpec(what, spec, RULES);
}

const TABLES = enumNames(RT_TABLE);

function tableId(t: TableRef): number {
  const id = typeof t === 'number' ? t : TABLES.byName(t);
  if (id === undefined)
    throw new NetlinkEncodeError(`rule: unknown table ${JSON.stringify(t)} (a number, main, local, default)`);
  return id;
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
  const n = l !== undefined ? Number(l) : (len ?? max);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new NetlinkEncodeError(`rule: bad prefix length in ${addr}`);
  return [a, n];
}

/**
 * `rule(sock, 'add'|'del'|'dump', { priority, table, src: '10.0.0.0/8', fwmark, iif, action })`.
 * Adding defaults to action 'table' and table main; deleting matches only the fields given.
 * Interfaces are names here (IPRoute.rule also takes indexes).
 */
export async function rule(sock: NetlinkSocket, cmd: RuleCmd, spec: RuleSpec = {}): Promise<RuleMessage[]> {
  const { verb, flags } = command(cmd, WRITE_AND_DUMP);
  const s = checkRuleSpec(spec);
  if (verb === 'dump') return getRules(sock, s);
  return ask(sock, fibmsg, ruleRequest(verb, flags, s));
}

function ifname(v: IfRef, key: string): string {
  if (typeof v !== 'string')
    throw new NetlinkEncodeError(`rule: ${key} ${v} must be an interface name here (IPRoute.rule takes indexes)`);
  return v;
}

/** The request for a checked spec (aliases already replaced). */
function ruleRequest(verb: Verb, flags: number, spec: RuleSpec): Req {
  const family = familyOf(spec, AF_INET);
  const fields: Record<string, unknown> = {
    family,
    tos: spec.tos ?? 0,
    flags: (spec.flags ?? 0) | (spec.invert ? FIB_RULE.FIB_RULE_INVERT : 0),
  };
  const attrs: [string, unknown][] = [];
  let action =
    spec.action === undefined ? undefined : typeof spec.action === 'number' ? spec.action : frActByName(spec.action);
  if (action === undefined && spec.action !== undefined)
    throw new NetlinkEncodeError(`rule: unknown action ${JSON.stringify(spec.action)}`);
  if (action === undefined && verb === 'new')
    action = spec.goto !== undefined ? FR_ACT.FR_ACT_GOTO : FR_ACT.FR_ACT_TO_TBL;
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
  if (spec.protocol !== undefined)
    attrs.push(['FRA_PROTOCOL', enumValue(RTPROT, 'RTPROT_', spec.protocol, 'rule protocol')]);
  if (spec.table !== undefined) {
    const t = tableId(spec.table);
    if (t < 256) fields.table = t;
    else attrs.push(['FRA_TABLE', t]);
  } else if (verb === 'new' && fields.action === FR_ACT.FR_ACT_TO_TBL && !spec.l3mdev)
    // An l3mdev rule looks up the table of the packet's VRF, and the kernel refuses a table with it.
    fields.table = RT_TABLE.RT_TABLE_MAIN;
  if (spec.suppressPrefixlength !== undefined) attrs.push(['FRA_SUPPRESS_PREFIXLEN', spec.suppressPrefixlength]);
  if (spec.suppressIfgroup !== undefined) attrs.push(['FRA_SUPPRESS_IFGROUP', spec.suppressIfgroup]);
  if (spec.goto !== undefined) attrs.push(['FRA_GOTO', spec.goto]);
  return { type: verb === 'new' ? RTM_NEWRULE : RTM_DELRULE, flags, fields, attrs };
}

function ipProtoOf(v: number | string): number {
  const p = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : IP_PROTO[v.toLowerCase()];
  if (p === undefined)
    throw new NetlinkEncodeError(
      `rule: unknown ipProto ${JSON.stringify(v)} (${Object.keys(IP_PROTO).join(', ')} or a number)`,
    );
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

/** A rule as a plain record: what rule('add') takes, with enums as names. */
export function ruleRecord(m: RuleMessage): RuleRecord {
  const f = m.fields;
  // Keys set (undefined) up front lead the record, in the order people read a rule.
  const r: Record<string, unknown> = { family: undefined, priority: undefined, action: undefined, table: undefined };
  ruleVocab.readFields(f, r);
  ruleVocab.readAttrs(m, r);
  r.priority ??= 0;
  // The table travels in the header byte, or in FRA_TABLE when above 255.
  if (r.table === undefined && f.table !== 0) r.table = ruleVocab.recordValue('table', f.table);
  // Rules that look up no table (blackhole, goto...) report table 0.
  if (r.table === 'unspec' || r.table === undefined) delete r.table;
  // The prefixes carry their lengths: 'addr/len'.
  if (r.src !== undefined) r.src = `${r.src}/${f.src_len}`;
  if (r.dst !== undefined) r.dst = `${r.dst}/${f.dst_len}`;
  delete r.srcLen;
  delete r.dstLen;
  if (!r.tos) delete r.tos;
  if (f.flags & FIB_RULE.FIB_RULE_INVERT) r.invert = true;
  // A full mask is what a fwmark alone means (the kernel fills it in), as ip prints it.
  if (r.fwmask === 0xffffffff) delete r.fwmask;
  // The kernel reports "no suppression" as 0xffffffff.
  if (r.suppressPrefixlength === 0xffffffff) delete r.suppressPrefixlength;
  if (r.suppressIfgroup === 0xffffffff) delete r.suppressIfgroup;
  if (r.protocol === 'unspec') delete r.protocol;
  if (!r.dscp) delete r.dscp;
  return attachMessage(r, m) as RuleRecord;
}
