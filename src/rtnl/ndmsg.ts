// ndmsg: neighbour (ARP/NDP) entries and bridge FDB entries (RTM_*NEIGH), linux/neighbour.h.
import {
  MessageSchema,
  attrMap,
  enumOf,
  flag,
  flagsOf,
  ipaddr,
  l2addr,
  nested,
  pad,
  registerMessageClass,
  s32,
  struct,
  u16,
  u32,
  u8,
  be16,
  vocab,
  enumNames,
} from '../core/index.js';
import { AF, RTM, RTN } from './constants.js';

/** Neighbour states (ndm_state), a bit mask. */
export const NUD = {
  NUD_INCOMPLETE: 0x01,
  NUD_REACHABLE: 0x02,
  NUD_STALE: 0x04,
  NUD_DELAY: 0x08,
  NUD_PROBE: 0x10,
  NUD_FAILED: 0x20,
  NUD_NOARP: 0x40,
  NUD_PERMANENT: 0x80,
} as const;
export const NUD_NONE = 0;

/** Neighbour flags (ndm_flags). */
export const NTF = {
  NTF_USE: 0x01,
  NTF_SELF: 0x02,
  NTF_MASTER: 0x04,
  NTF_PROXY: 0x08,
  NTF_EXT_LEARNED: 0x10,
  NTF_OFFLOADED: 0x20,
  NTF_STICKY: 0x40,
  NTF_ROUTER: 0x80,
} as const;

/** Extended flags (NDA_FLAGS_EXT); LOCKED is 6.2, EXT_VALIDATED 6.16. */
export const NTF_EXT = { NTF_EXT_MANAGED: 0x1, NTF_EXT_LOCKED: 0x2, NTF_EXT_EXT_VALIDATED: 0x4 } as const;

/** Lower-case state names accepted by the API ('permanent', 'reachable', ...). */
export function nudByName(name: string): number | undefined {
  const key = `NUD_${name.toUpperCase()}`;
  if (key === 'NUD_NONE') return 0;
  return (NUD as Record<string, number>)[key];
}

export const ndaCacheinfo = struct('nda_cacheinfo', {
  ndm_confirmed: u32,
  ndm_used: u32,
  ndm_updated: u32,
  ndm_refcnt: u32,
});

const nfeaMap = attrMap('nfea', {
  NFEA_ACTIVITY_NOTIFY: [1, u8],
  NFEA_DONT_REFRESH: [2, flag],
});

export const ndaMap = attrMap('nda', {
  NDA_DST: [1, ipaddr],
  NDA_LLADDR: [2, l2addr],
  NDA_CACHEINFO: [3, ndaCacheinfo],
  NDA_PROBES: [4, u32],
  NDA_VLAN: [5, u16],
  NDA_PORT: [6, be16],
  NDA_VNI: [7, u32],
  NDA_IFINDEX: [8, u32],
  NDA_MASTER: [9, u32],
  NDA_LINK_NETNSID: [10, s32],
  NDA_SRC_VNI: [11, u32],
  NDA_PROTOCOL: [12, u8],
  NDA_NH_ID: [13, u32],
  NDA_FDB_EXT_ATTRS: [14, nested(nfeaMap)],
  NDA_FLAGS_EXT: [15, flagsOf(u32, NTF_EXT)],
  NDA_NDM_STATE_MASK: [16, flagsOf(u16, NUD)],
  NDA_NDM_FLAGS_MASK: [17, flagsOf(u8, NTF)],
});

export const ndmsgHeader = struct('ndmsg', {
  family: u8,
  __pad1: pad(1),
  __pad2: pad(2),
  ifindex: s32,
  state: flagsOf(u16, NUD),
  flags: flagsOf(u8, NTF),
  // ndm_type carries a route type.
  ndm_type: enumOf(u8, RTN),
});

/** Neighbours and bridge FDB entries (family AF_BRIDGE). */
export const ndmsg = new MessageSchema('rtnl.ndmsg', ndmsgHeader, ndaMap, {
  familyField: 'family',
  types: { RTM_NEWNEIGH: RTM.RTM_NEWNEIGH, RTM_DELNEIGH: RTM.RTM_DELNEIGH, RTM_GETNEIGH: RTM.RTM_GETNEIGH },
});
registerMessageClass(ndmsg);

/** Marshal policy entries of this file (spread by marshal.ts). */
export const policy: Record<number, MessageSchema<any, any>> = {
  [RTM.RTM_NEWNEIGH]: ndmsg,
  [RTM.RTM_DELNEIGH]: ndmsg,
  [RTM.RTM_GETNEIGH]: ndmsg,
};

// ---- vocabularies: the friendly names of neighbours and FDB entries ------------------------

const familyNames = enumNames(AF);

/** Neighbours: `{ ifindex, dst: '10.0.0.2', lladdr, state: ['permanent'], flags: ['router'] }`. */
export const neighVocab = vocab('neigh', ndaMap, ndmsgHeader, {
  fields: { family: 'family', ifindex: 'ifindex', state: 'state', flags: 'flags', ndmType: 'ndm_type' },
  attrs: {
    dst: 'NDA_DST',
    lladdr: 'NDA_LLADDR',
    probes: 'NDA_PROBES',
    master: 'NDA_MASTER',
    protocol: 'NDA_PROTOCOL',
    linkNetnsid: 'NDA_LINK_NETNSID',
    flagsExt: 'NDA_FLAGS_EXT',
  },
  aliases: {
    ndm_ifindex: 'ifindex',
    ndm_state: 'state',
    ndm_flags: 'flags',
    ndm_family: 'family',
    ndm_type: 'ndmType',
  },
  // ndm_family is a plain u8 on the wire; records name it as the other objects do ('inet').
  convert: { family: (v: number) => familyNames.short(v) },
});

/** Bridge FDB entries (AF_BRIDGE ndmsg): `{ ifindex, lladdr, vlan, master, dst, vni, state, flags }`. */
export const fdbVocab = vocab('fdb', ndaMap, ndmsgHeader, {
  fields: { ifindex: 'ifindex', state: 'state', flags: 'flags' },
  attrs: {
    lladdr: 'NDA_LLADDR',
    dst: 'NDA_DST',
    vlan: 'NDA_VLAN',
    port: 'NDA_PORT',
    vni: 'NDA_VNI',
    via: 'NDA_IFINDEX',
    master: 'NDA_MASTER',
    srcVni: 'NDA_SRC_VNI',
    nhId: 'NDA_NH_ID',
    linkNetnsid: 'NDA_LINK_NETNSID',
    flagsExt: 'NDA_FLAGS_EXT',
  },
  // The names this API took before, and pyroute2's.
  aliases: { src_vni: 'srcVni', nh_id: 'nhId', ndm_ifindex: 'ifindex', ndm_state: 'state', ndm_flags: 'flags' },
});
