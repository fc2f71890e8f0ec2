// netconfmsg + NETCONFA_*: per-device IP configuration (RTM_*NETCONF), linux/netconf.h.
import { MessageSchema, attrMap, enumOf, registerMessageClass, s32, struct, u8, vocab } from '../core/index.js';
import { AF } from './constants.js';

export const RTM_NEWNETCONF = 80;
export const RTM_DELNETCONF = 81;
export const RTM_GETNETCONF = 82;
/** NETCONFA_IFINDEX values for the 'all' and 'default' pseudo-devices. */
export const NETCONFA_IFINDEX_ALL = -1;
export const NETCONFA_IFINDEX_DEFAULT = -2;

export const netconfaMap = attrMap('netconfa', {
  NETCONFA_IFINDEX: [1, s32],
  NETCONFA_FORWARDING: [2, s32],
  NETCONFA_RP_FILTER: [3, s32],
  NETCONFA_MC_FORWARDING: [4, s32],
  NETCONFA_PROXY_NEIGH: [5, s32],
  NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN: [6, s32],
  NETCONFA_INPUT: [7, s32],
  NETCONFA_BC_FORWARDING: [8, s32],
});

/** Per-device IP settings; the header is the family byte, padded to 4. */
export const netconfmsg = new MessageSchema(
  'rtnl.netconfmsg',
  struct('netconfmsg', { family: enumOf(u8, AF) }),
  netconfaMap,
  {
    familyField: 'family',
    types: { RTM_NEWNETCONF, RTM_DELNETCONF, RTM_GETNETCONF },
  },
);
registerMessageClass(netconfmsg);

/** Marshal policy entries of this file (spread by marshal.ts). */
export const policy: Record<number, MessageSchema<any, any>> = {
  [RTM_NEWNETCONF]: netconfmsg,
  [RTM_DELNETCONF]: netconfmsg,
  [RTM_GETNETCONF]: netconfmsg,
};

/** Reverse path filter modes (NETCONFA_RP_FILTER), as `ip netconf` names them. */
export const RP_FILTER_NAMES: readonly string[] = ['off', 'strict', 'loose'];

const onOff = (v: number): boolean => v !== 0;

/**
 * Per-device IP settings: `{ family: 'inet', index: 2 | 'all' | 'default', forwarding: false,
 * rpFilter: 'strict', ... }`. Read only: the kernel takes these through sysctl, not netlink.
 */
export const netconfVocab = vocab('netconf', netconfaMap, netconfmsg.header, {
  fields: { family: 'family' },
  attrs: {
    index: 'NETCONFA_IFINDEX',
    forwarding: 'NETCONFA_FORWARDING',
    rpFilter: 'NETCONFA_RP_FILTER',
    mcForwarding: 'NETCONFA_MC_FORWARDING',
    proxyNeigh: 'NETCONFA_PROXY_NEIGH',
    ignoreRoutesWithLinkdown: 'NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN',
    input: 'NETCONFA_INPUT',
    bcForwarding: 'NETCONFA_BC_FORWARDING',
  },
  convert: {
    index: (v: number) => (v === NETCONFA_IFINDEX_ALL ? 'all' : v === NETCONFA_IFINDEX_DEFAULT ? 'default' : v),
    forwarding: onOff,
    mcForwarding: onOff,
    proxyNeigh: onOff,
    ignoreRoutesWithLinkdown: onOff,
    input: onOff,
    bcForwarding: onOff,
    rpFilter: (v: number) => RP_FILTER_NAMES[v] ?? v,
  },
});
