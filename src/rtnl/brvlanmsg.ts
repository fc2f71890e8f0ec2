// br_vlan_msg + BRIDGE_VLANDB_*: the bridge VLAN database (RTM_*VLAN, `bridge vlan set`,
// `bridge -d vlan show`, `bridge vlan global`), linux/if_bridge.h.
import {
  MessageSchema,
  attrMap,
  ipv4,
  ipv6,
  enumOf,
  flagsOf,
  nested,
  pad,
  registerMessageClass,
  struct,
  u16,
  u32,
  u64,
  u8,
  vocab,
} from '../core/index.js';
import { AF, BRIDGE_VLAN_INFO, RTM } from './constants.js';
import { BR_STATE } from './kinds/bridge_slave.js';
import { MDB_RTR_TYPE, mdbAttrs } from './mdbmsg.js';

/** Flags of BRIDGE_VLANDB_DUMP_FLAGS: what a RTM_GETVLAN dump includes. */
export const BRIDGE_VLANDB_DUMPF = { BRIDGE_VLANDB_DUMPF_STATS: 1, BRIDGE_VLANDB_DUMPF_GLOBAL: 2 } as const;

/** struct br_vlan_msg. */
export const brVlanMsgHeader = struct('br_vlan_msg', {
  family: enumOf(u8, AF),
  reserved1: pad(1),
  reserved2: pad(2),
  ifindex: u32,
});

export const bridgeVlanInfo = struct('bridge_vlan_info', { flags: flagsOf(u16, BRIDGE_VLAN_INFO), vid: u16 });

const tunnelInfoAttrs = attrMap('bridge_vlandb_tinfo', {
  BRIDGE_VLANDB_TINFO_ID: [1, u32],
  // RTM_SETLINK or RTM_DELLINK: add or remove the mapping.
  BRIDGE_VLANDB_TINFO_CMD: [2, u32],
});

const vlanStatsAttrs = attrMap('bridge_vlandb_stats', {
  BRIDGE_VLANDB_STATS_RX_BYTES: [1, u64],
  BRIDGE_VLANDB_STATS_RX_PACKETS: [2, u64],
  BRIDGE_VLANDB_STATS_TX_BYTES: [3, u64],
  BRIDGE_VLANDB_STATS_TX_PACKETS: [4, u64],
  BRIDGE_VLANDB_STATS_PAD: [5, pad(0)],
});

/** One VLAN (or range of VLANs with equal options) of a port or bridge. */
export const vlanEntryAttrs = attrMap('bridge_vlandb_entry', {
  BRIDGE_VLANDB_ENTRY_INFO: [1, bridgeVlanInfo],
  BRIDGE_VLANDB_ENTRY_RANGE: [2, u16],
  BRIDGE_VLANDB_ENTRY_STATE: [3, enumOf(u8, BR_STATE)],
  BRIDGE_VLANDB_ENTRY_TUNNEL_INFO: [4, nested(tunnelInfoAttrs, { flag: true })],
  BRIDGE_VLANDB_ENTRY_STATS: [5, nested(vlanStatsAttrs, { flag: true })],
  BRIDGE_VLANDB_ENTRY_MCAST_ROUTER: [6, enumOf(u8, MDB_RTR_TYPE)],
  BRIDGE_VLANDB_ENTRY_MCAST_N_GROUPS: [7, u32],
  BRIDGE_VLANDB_ENTRY_MCAST_MAX_GROUPS: [8, u32],
  BRIDGE_VLANDB_ENTRY_NEIGH_SUPPRESS: [9, u8],
});

const querierStateAttrs = attrMap('bridge_querier', {
  BRIDGE_QUERIER_IP_ADDRESS: [1, ipv4],
  BRIDGE_QUERIER_IP_PORT: [2, u32],
  BRIDGE_QUERIER_IP_OTHER_TIMER: [3, u64],
  BRIDGE_QUERIER_PAD: [4, pad(0)],
  BRIDGE_QUERIER_IPV6_ADDRESS: [5, ipv6],
  BRIDGE_QUERIER_IPV6_PORT: [6, u32],
  BRIDGE_QUERIER_IPV6_OTHER_TIMER: [7, u64],
});

/** Options of a bridge's VLAN (or range) that hold for every port: multicast snooping, MSTI. */
export const vlanGlobalAttrs = attrMap('bridge_vlandb_gopts', {
  BRIDGE_VLANDB_GOPTS_ID: [1, u16],
  BRIDGE_VLANDB_GOPTS_RANGE: [2, u16],
  BRIDGE_VLANDB_GOPTS_MCAST_SNOOPING: [3, u8],
  BRIDGE_VLANDB_GOPTS_MCAST_IGMP_VERSION: [4, u8],
  BRIDGE_VLANDB_GOPTS_MCAST_MLD_VERSION: [5, u8],
  BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_CNT: [6, u32],
  BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_CNT: [7, u32],
  BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_INTVL: [8, u64],
  BRIDGE_VLANDB_GOPTS_PAD: [9, pad(0)],
  BRIDGE_VLANDB_GOPTS_MCAST_MEMBERSHIP_INTVL: [10, u64],
  BRIDGE_VLANDB_GOPTS_MCAST_QUERIER_INTVL: [11, u64],
  BRIDGE_VLANDB_GOPTS_MCAST_QUERY_INTVL: [12, u64],
  BRIDGE_VLANDB_GOPTS_MCAST_QUERY_RESPONSE_INTVL: [13, u64],
  BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_INTVL: [14, u64],
  BRIDGE_VLANDB_GOPTS_MCAST_QUERIER: [15, u8],
  // An MDBA_ROUTER nest inside, as in MDB dumps.
  BRIDGE_VLANDB_GOPTS_MCAST_ROUTER_PORTS: [16, nested(mdbAttrs, { flag: true })],
  BRIDGE_VLANDB_GOPTS_MCAST_QUERIER_STATE: [17, nested(querierStateAttrs, { flag: true })],
  BRIDGE_VLANDB_GOPTS_MSTI: [18, u16],
});

export const brvlanAttrs = attrMap('bridge_vlandb', {
  BRIDGE_VLANDB_ENTRY: [1, nested(vlanEntryAttrs, { flag: true })],
  BRIDGE_VLANDB_GLOBAL_OPTIONS: [2, nested(vlanGlobalAttrs, { flag: true })],
});

/** Attributes of a RTM_GETVLAN dump request (the same ids mean other things there). */
export const brvlanDumpAttrs = attrMap('bridge_vlandb_dump', {
  BRIDGE_VLANDB_DUMP_FLAGS: [1, flagsOf(u32, BRIDGE_VLANDB_DUMPF)],
});

const types = { RTM_NEWVLAN: RTM.RTM_NEWVLAN, RTM_DELVLAN: RTM.RTM_DELVLAN, RTM_GETVLAN: RTM.RTM_GETVLAN };

/** RTM_NEWVLAN/RTM_DELVLAN requests, dump answers and events. */
export const brvlanmsg = new MessageSchema('rtnl.br_vlan_msg', brVlanMsgHeader, brvlanAttrs, {
  familyField: 'family',
  types,
});
/** RTM_GETVLAN dump requests. */
export const brvlanDumpMsg = new MessageSchema('rtnl.br_vlan_msg.dump', brVlanMsgHeader, brvlanDumpAttrs, {
  familyField: 'family',
  types,
});
registerMessageClass(brvlanmsg, brvlanDumpMsg);

/** Marshal policy entries of this file (spread by marshal.ts). */
export const policy: Record<number, MessageSchema<any, any>> = {
  [RTM.RTM_NEWVLAN]: brvlanmsg,
  [RTM.RTM_DELVLAN]: brvlanmsg,
  [RTM.RTM_GETVLAN]: brvlanDumpMsg,
};

// ---- vocabularies --------------------------------------------------------------------------

const vlanStatsVocab = vocab('vlan stats', vlanStatsAttrs, undefined, {
  attrs: {
    rxBytes: 'BRIDGE_VLANDB_STATS_RX_BYTES',
    rxPackets: 'BRIDGE_VLANDB_STATS_RX_PACKETS',
    txBytes: 'BRIDGE_VLANDB_STATS_TX_BYTES',
    txPackets: 'BRIDGE_VLANDB_STATS_TX_PACKETS',
  },
});

/**
 * A VLAN of a port or bridge: `{ ifindex, vid, vidEnd, flags: ['pvid', 'untagged'], state: 'forwarding',
 * mcastRouter: 'temp_query' }`. `vid`/`flags` come from BRIDGE_VLANDB_ENTRY_INFO (read by hand).
 */
export const vlanEntryVocab = vocab('brvlan', vlanEntryAttrs, brVlanMsgHeader, {
  fields: { ifindex: 'ifindex' },
  attrs: {
    vidEnd: 'BRIDGE_VLANDB_ENTRY_RANGE',
    state: 'BRIDGE_VLANDB_ENTRY_STATE',
    tunnelId: 'BRIDGE_VLANDB_ENTRY_TUNNEL_INFO',
    stats: 'BRIDGE_VLANDB_ENTRY_STATS',
    mcastRouter: 'BRIDGE_VLANDB_ENTRY_MCAST_ROUTER',
    mcastNGroups: 'BRIDGE_VLANDB_ENTRY_MCAST_N_GROUPS',
    mcastMaxGroups: 'BRIDGE_VLANDB_ENTRY_MCAST_MAX_GROUPS',
    neighSuppress: 'BRIDGE_VLANDB_ENTRY_NEIGH_SUPPRESS',
  },
  // `bridge vlan` spells them so.
  aliases: {
    vid_end: 'vidEnd',
    mcast_router: 'mcastRouter',
    mcast_max_groups: 'mcastMaxGroups',
    neigh_suppress: 'neighSuppress',
    tunnel_id: 'tunnelId',
  },
  nests: { stats: vlanStatsVocab },
  readOnly: ['stats', 'mcastNGroups'],
  convert: {
    tunnelId: (v: { getAttr(n: string): unknown }) => v.getAttr('BRIDGE_VLANDB_TINFO_ID'),
  },
});

/** Global options of a bridge's VLAN: `{ ifindex, vid, vidEnd, mcastSnooping: 1, mcastIgmpVersion: 3, ... }`. */
export const vlanGlobalVocab = vocab('brvlan global', vlanGlobalAttrs, brVlanMsgHeader, {
  fields: { ifindex: 'ifindex' },
  attrs: {
    vid: 'BRIDGE_VLANDB_GOPTS_ID',
    vidEnd: 'BRIDGE_VLANDB_GOPTS_RANGE',
    mcastSnooping: 'BRIDGE_VLANDB_GOPTS_MCAST_SNOOPING',
    mcastIgmpVersion: 'BRIDGE_VLANDB_GOPTS_MCAST_IGMP_VERSION',
    mcastMldVersion: 'BRIDGE_VLANDB_GOPTS_MCAST_MLD_VERSION',
    mcastLastMemberCount: 'BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_CNT',
    mcastStartupQueryCount: 'BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_CNT',
    mcastLastMemberInterval: 'BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_INTVL',
    mcastMembershipInterval: 'BRIDGE_VLANDB_GOPTS_MCAST_MEMBERSHIP_INTVL',
    mcastQuerierInterval: 'BRIDGE_VLANDB_GOPTS_MCAST_QUERIER_INTVL',
    mcastQueryInterval: 'BRIDGE_VLANDB_GOPTS_MCAST_QUERY_INTVL',
    mcastQueryResponseInterval: 'BRIDGE_VLANDB_GOPTS_MCAST_QUERY_RESPONSE_INTVL',
    mcastStartupQueryInterval: 'BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_INTVL',
    mcastQuerier: 'BRIDGE_VLANDB_GOPTS_MCAST_QUERIER',
    msti: 'BRIDGE_VLANDB_GOPTS_MSTI',
  },
  // `bridge vlan global` spells them so.
  aliases: {
    vid_end: 'vidEnd',
    mcast_snooping: 'mcastSnooping',
    mcast_igmp_version: 'mcastIgmpVersion',
    mcast_mld_version: 'mcastMldVersion',
    mcast_last_member_count: 'mcastLastMemberCount',
    mcast_startup_query_count: 'mcastStartupQueryCount',
    mcast_last_member_interval: 'mcastLastMemberInterval',
    mcast_membership_interval: 'mcastMembershipInterval',
    mcast_querier_interval: 'mcastQuerierInterval',
    mcast_query_interval: 'mcastQueryInterval',
    mcast_query_response_interval: 'mcastQueryResponseInterval',
    mcast_startup_query_interval: 'mcastStartupQueryInterval',
    mcast_querier: 'mcastQuerier',
  },
});
