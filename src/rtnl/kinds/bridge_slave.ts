// bridge ports: IFLA_BRPORT_* in IFLA_INFO_SLAVE_DATA (slave kind 'bridge') and in
// IFLA_PROTINFO of AF_BRIDGE link messages.
import { attrMap, binary, flag, nested, u16, u32, u64, u8, enumOf, vocab } from '../../core/index.js';
import { bridgeId } from './bridge.js';
import type { LinkKind } from './registry.js';
import { bool, bridgeIdText, centiseconds, hex0x, interfaceName, type IpJsonTable } from './ipjson.js';

/** Port STP states (BR_STATE_*). */
export const BR_STATE = {
  BR_STATE_DISABLED: 0,
  BR_STATE_LISTENING: 1,
  BR_STATE_LEARNING: 2,
  BR_STATE_FORWARDING: 3,
  BR_STATE_BLOCKING: 4,
} as const;

export const brportAttrs = attrMap('ifla_brport', {
  IFLA_BRPORT_STATE: [1, enumOf(u8, BR_STATE)],
  IFLA_BRPORT_PRIORITY: [2, u16],
  IFLA_BRPORT_COST: [3, u32],
  IFLA_BRPORT_MODE: [4, u8],
  IFLA_BRPORT_GUARD: [5, u8],
  IFLA_BRPORT_PROTECT: [6, u8],
  IFLA_BRPORT_FAST_LEAVE: [7, u8],
  IFLA_BRPORT_LEARNING: [8, u8],
  IFLA_BRPORT_UNICAST_FLOOD: [9, u8],
  IFLA_BRPORT_PROXYARP: [10, u8],
  IFLA_BRPORT_LEARNING_SYNC: [11, u8],
  IFLA_BRPORT_PROXYARP_WIFI: [12, u8],
  IFLA_BRPORT_ROOT_ID: [13, bridgeId],
  IFLA_BRPORT_BRIDGE_ID: [14, bridgeId],
  IFLA_BRPORT_DESIGNATED_PORT: [15, u16],
  IFLA_BRPORT_DESIGNATED_COST: [16, u16],
  IFLA_BRPORT_ID: [17, u16],
  IFLA_BRPORT_NO: [18, u16],
  IFLA_BRPORT_TOPOLOGY_CHANGE_ACK: [19, u8],
  IFLA_BRPORT_CONFIG_PENDING: [20, u8],
  IFLA_BRPORT_MESSAGE_AGE_TIMER: [21, u64],
  IFLA_BRPORT_FORWARD_DELAY_TIMER: [22, u64],
  IFLA_BRPORT_HOLD_TIMER: [23, u64],
  IFLA_BRPORT_FLUSH: [24, flag],
  IFLA_BRPORT_MULTICAST_ROUTER: [25, u8],
  IFLA_BRPORT_PAD: [26, binary],
  IFLA_BRPORT_MCAST_FLOOD: [27, u8],
  IFLA_BRPORT_MCAST_TO_UCAST: [28, u8],
  IFLA_BRPORT_VLAN_TUNNEL: [29, u8],
  IFLA_BRPORT_BCAST_FLOOD: [30, u8],
  IFLA_BRPORT_GROUP_FWD_MASK: [31, u16],
  IFLA_BRPORT_NEIGH_SUPPRESS: [32, u8],
  IFLA_BRPORT_ISOLATED: [33, u8],
  IFLA_BRPORT_BACKUP_PORT: [34, u32],
  IFLA_BRPORT_MRP_RING_OPEN: [35, u8],
  IFLA_BRPORT_MRP_IN_OPEN: [36, u8],
  IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT: [37, u32],
  IFLA_BRPORT_MCAST_EHT_HOSTS_CNT: [38, u32],
  IFLA_BRPORT_LOCKED: [39, u8],
  IFLA_BRPORT_MAB: [40, u8],
  IFLA_BRPORT_MCAST_N_GROUPS: [41, u32],
  IFLA_BRPORT_MCAST_MAX_GROUPS: [42, u32],
  IFLA_BRPORT_NEIGH_VLAN_SUPPRESS: [43, u8],
  IFLA_BRPORT_BACKUP_NHID: [44, u32],
});

/** The friendly names of the bridge port options, flat in a link spec or record. */
export const brportVocab = vocab('bridge port options', brportAttrs, undefined, {
  attrs: {
    brportState: 'IFLA_BRPORT_STATE',
    brportPriority: 'IFLA_BRPORT_PRIORITY',
    brportCost: 'IFLA_BRPORT_COST',
    brportMode: 'IFLA_BRPORT_MODE',
    brportGuard: 'IFLA_BRPORT_GUARD',
    brportProtect: 'IFLA_BRPORT_PROTECT',
    brportFastLeave: 'IFLA_BRPORT_FAST_LEAVE',
    brportLearning: 'IFLA_BRPORT_LEARNING',
    brportUnicastFlood: 'IFLA_BRPORT_UNICAST_FLOOD',
    brportProxyarp: 'IFLA_BRPORT_PROXYARP',
    brportLearningSync: 'IFLA_BRPORT_LEARNING_SYNC',
    brportProxyarpWifi: 'IFLA_BRPORT_PROXYARP_WIFI',
    brportRootId: 'IFLA_BRPORT_ROOT_ID',
    brportBridgeId: 'IFLA_BRPORT_BRIDGE_ID',
    brportDesignatedPort: 'IFLA_BRPORT_DESIGNATED_PORT',
    brportDesignatedCost: 'IFLA_BRPORT_DESIGNATED_COST',
    brportId: 'IFLA_BRPORT_ID',
    brportNo: 'IFLA_BRPORT_NO',
    brportTopologyChangeAck: 'IFLA_BRPORT_TOPOLOGY_CHANGE_ACK',
    brportConfigPending: 'IFLA_BRPORT_CONFIG_PENDING',
    brportMessageAgeTimer: 'IFLA_BRPORT_MESSAGE_AGE_TIMER',
    brportForwardDelayTimer: 'IFLA_BRPORT_FORWARD_DELAY_TIMER',
    brportHoldTimer: 'IFLA_BRPORT_HOLD_TIMER',
    brportFlush: 'IFLA_BRPORT_FLUSH',
    brportMulticastRouter: 'IFLA_BRPORT_MULTICAST_ROUTER',
    brportMcastFlood: 'IFLA_BRPORT_MCAST_FLOOD',
    brportMcastToUcast: 'IFLA_BRPORT_MCAST_TO_UCAST',
    brportVlanTunnel: 'IFLA_BRPORT_VLAN_TUNNEL',
    brportBcastFlood: 'IFLA_BRPORT_BCAST_FLOOD',
    brportGroupFwdMask: 'IFLA_BRPORT_GROUP_FWD_MASK',
    brportNeighSuppress: 'IFLA_BRPORT_NEIGH_SUPPRESS',
    brportIsolated: 'IFLA_BRPORT_ISOLATED',
    brportBackupPort: 'IFLA_BRPORT_BACKUP_PORT',
    brportMrpRingOpen: 'IFLA_BRPORT_MRP_RING_OPEN',
    brportMrpInOpen: 'IFLA_BRPORT_MRP_IN_OPEN',
    brportMcastEhtHostsLimit: 'IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT',
    brportMcastEhtHostsCnt: 'IFLA_BRPORT_MCAST_EHT_HOSTS_CNT',
    brportLocked: 'IFLA_BRPORT_LOCKED',
    brportMab: 'IFLA_BRPORT_MAB',
    brportMcastNGroups: 'IFLA_BRPORT_MCAST_N_GROUPS',
    brportMcastMaxGroups: 'IFLA_BRPORT_MCAST_MAX_GROUPS',
    brportNeighVlanSuppress: 'IFLA_BRPORT_NEIGH_VLAN_SUPPRESS',
    brportBackupNhid: 'IFLA_BRPORT_BACKUP_NHID',
  },
  readOnly: [
    'brportRootId',
    'brportBridgeId',
    'brportDesignatedPort',
    'brportDesignatedCost',
    'brportId',
    'brportNo',
    'brportTopologyChangeAck',
    'brportConfigPending',
    'brportMessageAgeTimer',
    'brportForwardDelayTimer',
    'brportHoldTimer',
    'brportMcastEhtHostsCnt',
    'brportMcastNGroups',
  ],
});

const PORT_STATES = ['disabled', 'listening', 'learning', 'forwarding', 'blocking'];
// Names ip gives to bits of a port's group_fwd_mask.
const FWD_MASK_NAMES: Readonly<Record<number, string>> = { 0: 'stp', 2: 'lacp', 14: 'lldp' };

/** "stp,0x2,lldp": each set bit by name, else as its value; "0x0" when none. */
function fwdMaskText(mask: number): string {
  const parts: string[] = [];
  for (let i = 0; i < 16; i++) if (mask & (1 << i)) parts.push(FWD_MASK_NAMES[i] ?? `0x${(1 << i).toString(16)}`);
  return parts.length ? parts.join(',') : '0x0';
}

/** `ip -j -d` keys of a bridge port's options, in ip's order. */
export const bridgeSlaveIpJson: IpJsonTable = [
  ['IFLA_BRPORT_STATE', '', (v: number) => (v < PORT_STATES.length ? { state: PORT_STATES[v] } : { state_index: v })],
  ['IFLA_BRPORT_PRIORITY', 'priority'],
  ['IFLA_BRPORT_COST', 'cost'],
  ['IFLA_BRPORT_MODE', 'hairpin', bool],
  ['IFLA_BRPORT_GUARD', 'guard', bool],
  ['IFLA_BRPORT_PROTECT', 'root_block', bool],
  ['IFLA_BRPORT_FAST_LEAVE', 'fastleave', bool],
  ['IFLA_BRPORT_LEARNING', 'learning', bool],
  ['IFLA_BRPORT_UNICAST_FLOOD', 'flood', bool],
  ['IFLA_BRPORT_ID', 'id', hex0x],
  ['IFLA_BRPORT_NO', 'no', hex0x],
  ['IFLA_BRPORT_DESIGNATED_PORT', 'designated_port'],
  ['IFLA_BRPORT_DESIGNATED_COST', 'designated_cost'],
  ['IFLA_BRPORT_BRIDGE_ID', 'bridge_id', bridgeIdText],
  ['IFLA_BRPORT_ROOT_ID', 'root_id', bridgeIdText],
  ['IFLA_BRPORT_HOLD_TIMER', 'hold_timer', centiseconds],
  ['IFLA_BRPORT_MESSAGE_AGE_TIMER', 'message_age_timer', centiseconds],
  ['IFLA_BRPORT_FORWARD_DELAY_TIMER', 'forward_delay_timer', centiseconds],
  ['IFLA_BRPORT_TOPOLOGY_CHANGE_ACK', 'topology_change_ack'],
  ['IFLA_BRPORT_CONFIG_PENDING', 'config_pending'],
  ['IFLA_BRPORT_PROXYARP', 'proxy_arp', bool],
  ['IFLA_BRPORT_PROXYARP_WIFI', 'proxy_arp_wifi', bool],
  ['IFLA_BRPORT_MULTICAST_ROUTER', 'multicast_router'],
  ['IFLA_BRPORT_MCAST_FLOOD', 'mcast_flood', bool],
  ['IFLA_BRPORT_BCAST_FLOOD', 'bcast_flood', bool],
  ['IFLA_BRPORT_MCAST_TO_UCAST', 'mcast_to_unicast', bool],
  ['IFLA_BRPORT_NEIGH_SUPPRESS', 'neigh_suppress', bool],
  ['IFLA_BRPORT_GROUP_FWD_MASK', '', (v: number) => ({ group_fwd_mask: hex0x(v), group_fwd_mask_str: fwdMaskText(v) })],
  ['IFLA_BRPORT_VLAN_TUNNEL', 'vlan_tunnel', bool],
  ['IFLA_BRPORT_ISOLATED', 'isolated', bool],
  ['IFLA_BRPORT_LOCKED', 'locked', bool],
  ['IFLA_BRPORT_BACKUP_PORT', 'backup_port', interfaceName],
];

export const bridgeSlave: LinkKind = {
  kind: 'bridge_slave',
  slaveOf: 'bridge',
  slaveData: nested(brportAttrs),
  slaveDataMap: brportAttrs,
  vocab: brportVocab,
  ipJson: bridgeSlaveIpJson,
};
