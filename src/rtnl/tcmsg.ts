// tcmsg: qdiscs, classes, filters and chains (RTM_*QDISC/TCLASS/TFILTER/CHAIN), linux/rtnetlink.h
// and pkt_sched.h. TCA_OPTIONS and TCA_XSTATS are typed by TCA_KIND through the tc/ registry.
import {
  MessageSchema,
  asciiz,
  attrMap,
  flag,
  hex,
  nested,
  pad,
  registerMessageClass,
  s8,
  select,
  struct,
  s16,
  s32,
  u32,
  u8,
  vocab,
} from '../core/index.js';
import { stats2, tcStats } from './tc/stats.js';
import { formatHandle, optionsByKind, tcHandle, xstatsByKind } from './tc/index.js';

export const RTM_NEWQDISC = 36;
export const RTM_DELQDISC = 37;
export const RTM_GETQDISC = 38;
export const RTM_NEWTCLASS = 40;
export const RTM_DELTCLASS = 41;
export const RTM_GETTCLASS = 42;
export const RTM_NEWTFILTER = 44;
export const RTM_DELTFILTER = 45;
export const RTM_GETTFILTER = 46;
export const RTM_NEWCHAIN = 100;
export const RTM_DELCHAIN = 101;
export const RTM_GETCHAIN = 102;
/** Multicast group of traffic-control changes. */
export const RTNLGRP_TC = 4;

const tcEstimator = struct('tc_estimator', { interval: s8, ewma_log: u8 });
const bitfield32 = struct('nla_bitfield32', { value: u32, selector: u32 });

const stabMap = attrMap('tca_stab', {
  TCA_STAB_BASE: [
    1,
    struct('tc_sizespec', {
      cell_log: u8,
      size_log: u8,
      cell_align: s16,
      overhead: s32,
      linklayer: u32,
      mpu: u32,
      mtu: u32,
      tsize: u32,
    }),
  ],
  TCA_STAB_DATA: [2, hex],
});

export const tcaMap = attrMap('tca', {
  TCA_KIND: [1, asciiz],
  TCA_OPTIONS: [2, select('TCA_KIND', optionsByKind())],
  TCA_STATS: [3, tcStats],
  TCA_XSTATS: [4, select('TCA_KIND', xstatsByKind())],
  TCA_RATE: [5, tcEstimator],
  TCA_FCNT: [6, u32],
  TCA_STATS2: [7, stats2(xstatsByKind)],
  TCA_STAB: [8, nested(stabMap)],
  TCA_PAD: [9, pad(0)],
  TCA_DUMP_INVISIBLE: [10, flag],
  TCA_CHAIN: [11, u32],
  TCA_HW_OFFLOAD: [12, u8],
  TCA_INGRESS_BLOCK: [13, u32],
  TCA_EGRESS_BLOCK: [14, u32],
  TCA_DUMP_FLAGS: [15, bitfield32],
  TCA_EXT_WARN_MSG: [16, asciiz],
});

/**
 * struct tcmsg. `handle` and `parent` print like tc ('1:10', 'root', 'ingress'); for filters
 * `info` is prio << 16 | protocol in network byte order (see filterInfo / splitFilterInfo).
 */
export const tcmsgHeader = struct('tcmsg', {
  family: u8,
  __pad1: pad(1),
  __pad2: pad(2),
  ifindex: s32,
  handle: tcHandle,
  parent: tcHandle,
  info: u32,
});

/** Qdiscs, classes, filters and chains share one message class. */
export const tcmsg = new MessageSchema('rtnl.tcmsg', tcmsgHeader, tcaMap, {
  familyField: 'family',
  types: {
    RTM_NEWQDISC,
    RTM_DELQDISC,
    RTM_GETQDISC,
    RTM_NEWTCLASS,
    RTM_DELTCLASS,
    RTM_GETTCLASS,
    RTM_NEWTFILTER,
    RTM_DELTFILTER,
    RTM_GETTFILTER,
    RTM_NEWCHAIN,
    RTM_DELCHAIN,
    RTM_GETCHAIN,
  },
});
registerMessageClass(tcmsg);

/** Marshal policy entries of this file (spread by marshal.ts). */
export const policy: Record<number, MessageSchema<any, any>> = {
  [RTM_NEWQDISC]: tcmsg,
  [RTM_DELQDISC]: tcmsg,
  [RTM_GETQDISC]: tcmsg,
  [RTM_NEWTCLASS]: tcmsg,
  [RTM_DELTCLASS]: tcmsg,
  [RTM_GETTCLASS]: tcmsg,
  [RTM_NEWTFILTER]: tcmsg,
  [RTM_DELTFILTER]: tcmsg,
  [RTM_GETTFILTER]: tcmsg,
  [RTM_NEWCHAIN]: tcmsg,
  [RTM_DELCHAIN]: tcmsg,
  [RTM_GETCHAIN]: tcmsg,
};

/**
 * The keys every qdisc, class and filter has, beside its kind's options (tc/*.ts `keys`):
 * `{ index, handle: '1:10', parent: 'root', kind, chain, ingressBlock, egressBlock }`.
 * A filter's prio and protocol share tcm_info (tcRecord reads them).
 */
export const tcVocab = vocab('tc', tcaMap, tcmsgHeader, {
  fields: { index: 'ifindex', handle: 'handle', parent: 'parent' },
  attrs: { kind: 'TCA_KIND', chain: 'TCA_CHAIN', ingressBlock: 'TCA_INGRESS_BLOCK', egressBlock: 'TCA_EGRESS_BLOCK' },
  aliases: { ingress_block: 'ingressBlock', egress_block: 'egressBlock', ifindex: 'index' },
  convert: { handle: formatHandle, parent: formatHandle },
});
