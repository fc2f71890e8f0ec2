// rtnl.ifaddrmsg: addresses (RTM_NEWADDR/DELADDR/GETADDR). struct ifaddrmsg + IFA_*.
import {
  MessageSchema,
  asciiz,
  attrMap,
  enumOf,
  OPEN,
  flagsOf,
  ipaddr,
  registerMessageClass,
  s32,
  struct,
  u32,
  u8,
  vocab,
} from '../core/index.js';
import { AF, IFAPROT, IFA_F, RTM, RT_SCOPE } from './constants.js';

/** struct ifaddrmsg. ifa_flags holds only the low 8 flag bits; IFA_FLAGS has all 32. */
export const ifaddrmsgHeader = struct('ifaddrmsg', {
  family: enumOf(u8, AF),
  prefixlen: u8,
  flags: flagsOf(u8, IFA_F),
  scope: enumOf(u8, RT_SCOPE, OPEN),
  index: u32,
});

/** struct ifa_cacheinfo: lifetimes in seconds (0xffffffff = forever), stamps in 1/100 s. */
export const ifaCacheinfo = struct('ifa_cacheinfo', { ifa_prefered: u32, ifa_valid: u32, cstamp: u32, tstamp: u32 });

export const ifaAttrs = attrMap('ifa', {
  IFA_ADDRESS: [1, ipaddr],
  IFA_LOCAL: [2, ipaddr],
  IFA_LABEL: [3, asciiz],
  IFA_BROADCAST: [4, ipaddr],
  IFA_ANYCAST: [5, ipaddr],
  IFA_CACHEINFO: [6, ifaCacheinfo],
  IFA_MULTICAST: [7, ipaddr],
  IFA_FLAGS: [8, flagsOf(u32, IFA_F)],
  IFA_RT_PRIORITY: [9, u32],
  IFA_TARGET_NETNSID: [10, s32],
  IFA_PROTO: [11, enumOf(u8, IFAPROT, OPEN)],
});

/** The address message class. */
export const ifaddrmsg = new MessageSchema('rtnl.ifaddrmsg', ifaddrmsgHeader, ifaAttrs, {
  familyField: 'family',
  types: { RTM_NEWADDR: RTM.RTM_NEWADDR, RTM_DELADDR: RTM.RTM_DELADDR, RTM_GETADDR: RTM.RTM_GETADDR },
});
registerMessageClass(ifaddrmsg);

/** Marshal policy entries of this file (spread by marshal.ts). */
export const policy: Record<number, MessageSchema<any, any>> = {
  [RTM.RTM_NEWADDR]: ifaddrmsg,
  [RTM.RTM_DELADDR]: ifaddrmsg,
  [RTM.RTM_GETADDR]: ifaddrmsg,
};

export type IfaddrMessage = ReturnType<typeof ifaddrmsg.decode>;

// ---- vocabulary: the friendly names of addresses in specs and records --------------------

/**
 * Addresses: `{ index, address: '10.0.0.1', prefixlen: 24, broadcast, label, ... }`. The
 * address a spec names is IFA_LOCAL (ours); `peer` is the other end (IFA_ADDRESS). `local`,
 * `validLft`, `preferredLft` have a meaning of their own (addr.ts).
 */
export const addrVocab = vocab('address', ifaAttrs, ifaddrmsgHeader, {
  fields: { family: 'family', prefixlen: 'prefixlen', scope: 'scope', index: 'index' },
  attrs: {
    address: 'IFA_LOCAL',
    peer: 'IFA_ADDRESS',
    label: 'IFA_LABEL',
    broadcast: 'IFA_BROADCAST',
    anycast: 'IFA_ANYCAST',
    multicast: 'IFA_MULTICAST',
    flags: 'IFA_FLAGS',
    metric: 'IFA_RT_PRIORITY',
    proto: 'IFA_PROTO',
  },
  // pyroute2's names.
  aliases: {
    mask: 'prefixlen',
    ifa_index: 'index',
    ifa_prefixlen: 'prefixlen',
    ifa_scope: 'scope',
    ifa_family: 'family',
  },
});
