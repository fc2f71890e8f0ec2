// netconfmsg + NETCONFA_*: per-device IP configuration (RTM_*NETCONF), linux/netconf.h.
import { MessageSchema, attrMap, registerMessageClass, s32, struct, u8 } from '../core/index.js';

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
export const netconfmsg = new MessageSchema('rtnl.netconfmsg', struct('netconfmsg', { family: u8 }), netconfaMap, {
  familyField: 'family',
  types: { RTM_NEWNETCONF, RTM_DELNETCONF, RTM_GETNETCONF },
});
registerMessageClass(netconfmsg);

/** Marshal policy entries of this file (spread by marshal.ts). */
export const policy: Record<number, MessageSchema<any, any>> = {
  [RTM_NEWNETCONF]: netconfmsg,
  [RTM_DELNETCONF]: netconfmsg,
  [RTM_GETNETCONF]: netconfmsg,
};
