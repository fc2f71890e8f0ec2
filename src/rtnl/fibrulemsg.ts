// fib_rule_hdr: policy routing rules (RTM_*RULE), linux/fib_rules.h.
import {
  MessageSchema,
  attrMap,
  asciiz,
  enumOf,
  OPEN,
  flagsOf,
  ipaddr,
  pad,
  registerMessageClass,
  struct,
  vocab,
  be32,
  u16,
  u32,
  u64,
  u8,
} from '../core/index.js';
import { AF, RTPROT, RT_TABLE } from './constants.js';

export const RTM_NEWRULE = 32;
export const RTM_DELRULE = 33;
export const RTM_GETRULE = 34;

/** Rule actions (fib_rule_hdr.action). */
export const FR_ACT = {
  FR_ACT_UNSPEC: 0,
  FR_ACT_TO_TBL: 1,
  FR_ACT_GOTO: 2,
  FR_ACT_NOP: 3,
  FR_ACT_RES3: 4,
  FR_ACT_RES4: 5,
  FR_ACT_BLACKHOLE: 6,
  FR_ACT_UNREACHABLE: 7,
  FR_ACT_PROHIBIT: 8,
} as const;

/** Rule flags (fib_rule_hdr.flags). */
export const FIB_RULE = {
  FIB_RULE_PERMANENT: 0x1,
  FIB_RULE_INVERT: 0x2,
  FIB_RULE_UNRESOLVED: 0x4,
  FIB_RULE_IIF_DETACHED: 0x8,
  FIB_RULE_OIF_DETACHED: 0x10,
  FIB_RULE_FIND_SADDR: 0x10000,
} as const;

/** Action by the names `ip rule` uses ('table', 'goto', 'blackhole', ...) or FR_ACT_* names. */
export function frActByName(name: string): number | undefined {
  const alias: Record<string, string> = {
    table: 'TO_TBL',
    lookup: 'TO_TBL',
    to_tbl: 'TO_TBL',
    blackhole: 'BLACKHOLE',
    unreachable: 'UNREACHABLE',
    prohibit: 'PROHIBIT',
    goto: 'GOTO',
    nop: 'NOP',
  };
  const key = name.startsWith('FR_ACT_') ? name : `FR_ACT_${alias[name.toLowerCase()] ?? name.toUpperCase()}`;
  return (FR_ACT as Record<string, number>)[key];
}

export const uidRange = struct('fib_rule_uid_range', { start: u32, end: u32 });
export const portRange = struct('fib_rule_port_range', { start: u16, end: u16 });

export const fraMap = attrMap('fra', {
  FRA_DST: [1, ipaddr],
  FRA_SRC: [2, ipaddr],
  FRA_IIFNAME: [3, asciiz],
  FRA_GOTO: [4, u32],
  FRA_UNUSED2: [5, u32],
  FRA_PRIORITY: [6, u32],
  FRA_UNUSED3: [7, u32],
  FRA_UNUSED4: [8, u32],
  FRA_UNUSED5: [9, u32],
  FRA_FWMARK: [10, u32],
  FRA_FLOW: [11, u32],
  FRA_TUN_ID: [12, u64],
  FRA_SUPPRESS_IFGROUP: [13, u32],
  FRA_SUPPRESS_PREFIXLEN: [14, u32],
  FRA_TABLE: [15, enumOf(u32, RT_TABLE, OPEN)],
  FRA_FWMASK: [16, u32],
  FRA_OIFNAME: [17, asciiz],
  FRA_PAD: [18, pad(0)],
  FRA_L3MDEV: [19, u8],
  FRA_UID_RANGE: [20, uidRange],
  FRA_PROTOCOL: [21, enumOf(u8, RTPROT, OPEN)],
  FRA_IP_PROTO: [22, u8],
  FRA_SPORT_RANGE: [23, portRange],
  FRA_DPORT_RANGE: [24, portRange],
  // Newer than the 6.1 headers: DSCP (6.11), flow label (6.13), port masks (6.15), DSCP mask (6.16).
  FRA_DSCP: [25, u8],
  FRA_FLOWLABEL: [26, be32],
  FRA_FLOWLABEL_MASK: [27, be32],
  FRA_SPORT_MASK: [28, u16],
  FRA_DPORT_MASK: [29, u16],
  FRA_DSCP_MASK: [30, u8],
});

export const fibRuleHeader = struct('fib_rule_hdr', {
  family: enumOf(u8, AF, OPEN),
  dst_len: u8,
  src_len: u8,
  tos: u8,
  table: enumOf(u8, RT_TABLE, OPEN),
  __res1: pad(1),
  __res2: pad(1),
  action: enumOf(u8, FR_ACT),
  flags: flagsOf(u32, FIB_RULE),
});

/** Policy routing rules. */
export const fibmsg = new MessageSchema('rtnl.fibmsg', fibRuleHeader, fraMap, {
  familyField: 'family',
  types: { RTM_NEWRULE, RTM_DELRULE, RTM_GETRULE },
});
registerMessageClass(fibmsg);

/** Marshal policy entries of this file (spread by marshal.ts). */
export const policy: Record<number, MessageSchema<any, any>> = {
  [RTM_NEWRULE]: fibmsg,
  [RTM_DELRULE]: fibmsg,
  [RTM_GETRULE]: fibmsg,
};

// ---- vocabulary: the friendly names of rules in specs and records --------------------------

/** IP protocols by the names `ip rule ... ipproto` takes. */
export const IP_PROTO: Readonly<Record<string, number>> = {
  icmp: 1,
  igmp: 2,
  tcp: 6,
  udp: 17,
  gre: 47,
  esp: 50,
  ah: 51,
  icmpv6: 58,
  sctp: 132,
};

const ACTION_NAMES: Readonly<Record<number, string>> = {
  [FR_ACT.FR_ACT_TO_TBL]: 'table',
  [FR_ACT.FR_ACT_GOTO]: 'goto',
  [FR_ACT.FR_ACT_NOP]: 'nop',
  [FR_ACT.FR_ACT_BLACKHOLE]: 'blackhole',
  [FR_ACT.FR_ACT_UNREACHABLE]: 'unreachable',
  [FR_ACT.FR_ACT_PROHIBIT]: 'prohibit',
};

/** A uid or port range in records: '1000-2000', or one number as text. */
function rangeText(r: { start: number; end: number }): string {
  return r.start === r.end ? String(r.start) : `${r.start}-${r.end}`;
}

/**
 * Rules: `{ priority, table: 'main', src: '10.0.0.0/8', fwmark, iif: 'eth0', action: 'table' }`.
 * The header's table byte is read with FRA_TABLE (ruleRecord); `src`/`dst` carry their lengths.
 */
export const ruleVocab = vocab('rule', fraMap, fibRuleHeader, {
  fields: { family: 'family', srcLen: 'src_len', dstLen: 'dst_len', tos: 'tos', action: 'action' },
  attrs: {
    priority: 'FRA_PRIORITY',
    table: 'FRA_TABLE',
    goto: 'FRA_GOTO',
    src: 'FRA_SRC',
    dst: 'FRA_DST',
    fwmark: 'FRA_FWMARK',
    fwmask: 'FRA_FWMASK',
    iif: 'FRA_IIFNAME',
    oif: 'FRA_OIFNAME',
    suppressPrefixlength: 'FRA_SUPPRESS_PREFIXLEN',
    suppressIfgroup: 'FRA_SUPPRESS_IFGROUP',
    uidRange: 'FRA_UID_RANGE',
    sportRange: 'FRA_SPORT_RANGE',
    dportRange: 'FRA_DPORT_RANGE',
    ipProto: 'FRA_IP_PROTO',
    protocol: 'FRA_PROTOCOL',
    l3mdev: 'FRA_L3MDEV',
    tunId: 'FRA_TUN_ID',
    flow: 'FRA_FLOW',
    dscp: 'FRA_DSCP',
  },
  // pyroute2's keys.
  aliases: {
    src_len: 'srcLen',
    dst_len: 'dstLen',
    iifname: 'iif',
    oifname: 'oif',
    suppress_prefixlength: 'suppressPrefixlength',
    suppress_prefixlen: 'suppressPrefixlength',
    suppress_ifgroup: 'suppressIfgroup',
    uid_range: 'uidRange',
    sport_range: 'sportRange',
    dport_range: 'dportRange',
    ip_proto: 'ipProto',
    tun_id: 'tunId',
  },
  convert: {
    action: (v: number) => ACTION_NAMES[v] ?? v,
    uidRange: rangeText,
    sportRange: rangeText,
    dportRange: rangeText,
    ipProto: (v: number) => Object.keys(IP_PROTO).find((k) => IP_PROTO[k] === v) ?? v,
    l3mdev: (v: number) => v !== 0,
  },
});
