// rtgenmsg + NETNSA_*: ids of peer network namespaces (RTM_*NSID), linux/net_namespace.h.
import { MessageSchema, attrMap, registerMessageClass, s32, struct, u32, u8, vocab } from '../core/index.js';

export const RTM_NEWNSID = 88;
export const RTM_DELNSID = 89;
export const RTM_GETNSID = 90;
/** Multicast group of nsid changes. */
export const RTNLGRP_NSID = 28;
/** NETNSA_NSID of a peer that has no id in this namespace. */
export const NETNSA_NSID_NOT_ASSIGNED = -1;

export const netnsaMap = attrMap('netnsa', {
  NETNSA_NSID: [1, s32],
  NETNSA_PID: [2, u32],
  NETNSA_FD: [3, u32],
  NETNSA_TARGET_NSID: [4, s32],
  NETNSA_CURRENT_NSID: [5, s32],
});

/** Peer namespace ids: the header is a bare rtgenmsg (family, padded to 4 bytes). */
export const nsidmsg = new MessageSchema('rtnl.nsidmsg', struct('rtgenmsg', { family: u8 }), netnsaMap, {
  familyField: 'family',
  types: { RTM_NEWNSID, RTM_DELNSID, RTM_GETNSID },
});
registerMessageClass(nsidmsg);

/** Marshal policy entries of this file (spread by marshal.ts). */
export const policy: Record<number, MessageSchema<any, any>> = {
  [RTM_NEWNSID]: nsidmsg,
  [RTM_DELNSID]: nsidmsg,
  [RTM_GETNSID]: nsidmsg,
};

/** Peer namespace ids: `{ nsid: 5, netns: 'blue' }` (the name is looked up by IPRoute.nsids). */
export const nsidVocab = vocab('nsid', netnsaMap, nsidmsg.header, {
  attrs: {
    nsid: 'NETNSA_NSID',
    pid: 'NETNSA_PID',
    fd: 'NETNSA_FD',
    targetNsid: 'NETNSA_TARGET_NSID',
    currentNsid: 'NETNSA_CURRENT_NSID',
  },
  aliases: { target_nsid: 'targetNsid' },
});
