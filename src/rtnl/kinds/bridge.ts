// bridge: IFLA_BR_* (linux/if_link.h), ids up to 6.18.
import {
  attrMap, binary, be16, flag, ipv4, ipv6, l2addr, mac, nested, struct, bytes, u16, u32, u64, u8, vocab,
} from '../../core/index.js';
import type { LinkKind } from './registry.js';

/** struct ifla_bridge_id: 2 priority bytes and a MAC. */
export const bridgeId = struct('ifla_bridge_id', { prio: bytes(2), addr: mac });

const querierState = attrMap('bridge_querier', {
  BRIDGE_QUERIER_IP_ADDRESS: [1, ipv4],
  BRIDGE_QUERIER_IP_PORT: [2, u32],
  BRIDGE_QUERIER_IP_OTHER_TIMER: [3, u64],
  BRIDGE_QUERIER_PAD: [4, binary],
  BRIDGE_QUERIER_IPV6_ADDRESS: [5, ipv6],
  BRIDGE_QUERIER_IPV6_PORT: [6, u32],
  BRIDGE_QUERIER_IPV6_OTHER_TIMER: [7, u64],
});

export const bridgeAttrs = attrMap('ifla_br', {
  IFLA_BR_FORWARD_DELAY: [1, u32],
  IFLA_BR_HELLO_TIME: [2, u32],
  IFLA_BR_MAX_AGE: [3, u32],
  IFLA_BR_AGEING_TIME: [4, u32],
  IFLA_BR_STP_STATE: [5, u32],
  IFLA_BR_PRIORITY: [6, u16],
  IFLA_BR_VLAN_FILTERING: [7, u8],
  IFLA_BR_VLAN_PROTOCOL: [8, be16],
  IFLA_BR_GROUP_FWD_MASK: [9, u16],
  IFLA_BR_ROOT_ID: [10, bridgeId],
  IFLA_BR_BRIDGE_ID: [11, bridgeId],
  IFLA_BR_ROOT_PORT: [12, u16],
  IFLA_BR_ROOT_PATH_COST: [13, u32],
  IFLA_BR_TOPOLOGY_CHANGE: [14, u8],
  IFLA_BR_TOPOLOGY_CHANGE_DETECTED: [15, u8],
  IFLA_BR_HELLO_TIMER: [16, u64],
  IFLA_BR_TCN_TIMER: [17, u64],
  IFLA_BR_TOPOLOGY_CHANGE_TIMER: [18, u64],
  IFLA_BR_GC_TIMER: [19, u64],
  IFLA_BR_GROUP_ADDR: [20, l2addr],
  IFLA_BR_FDB_FLUSH: [21, flag],
  IFLA_BR_MCAST_ROUTER: [22, u8],
  IFLA_BR_MCAST_SNOOPING: [23, u8],
  IFLA_BR_MCAST_QUERY_USE_IFADDR: [24, u8],
  IFLA_BR_MCAST_QUERIER: [25, u8],
  IFLA_BR_MCAST_HASH_ELASTICITY: [26, u32],
  IFLA_BR_MCAST_HASH_MAX: [27, u32],
  IFLA_BR_MCAST_LAST_MEMBER_CNT: [28, u32],
  IFLA_BR_MCAST_STARTUP_QUERY_CNT: [29, u32],
  IFLA_BR_MCAST_LAST_MEMBER_INTVL: [30, u64],
  IFLA_BR_MCAST_MEMBERSHIP_INTVL: [31, u64],
  IFLA_BR_MCAST_QUERIER_INTVL: [32, u64],
  IFLA_BR_MCAST_QUERY_INTVL: [33, u64],
  IFLA_BR_MCAST_QUERY_RESPONSE_INTVL: [34, u64],
  IFLA_BR_MCAST_STARTUP_QUERY_INTVL: [35, u64],
  IFLA_BR_NF_CALL_IPTABLES: [36, u8],
  IFLA_BR_NF_CALL_IP6TABLES: [37, u8],
  IFLA_BR_NF_CALL_ARPTABLES: [38, u8],
  IFLA_BR_VLAN_DEFAULT_PVID: [39, u16],
  IFLA_BR_PAD: [40, binary],
  IFLA_BR_VLAN_STATS_ENABLED: [41, u8],
  IFLA_BR_MCAST_STATS_ENABLED: [42, u8],
  IFLA_BR_MCAST_IGMP_VERSION: [43, u8],
  IFLA_BR_MCAST_MLD_VERSION: [44, u8],
  IFLA_BR_VLAN_STATS_PER_PORT: [45, u8],
  IFLA_BR_MULTI_BOOLOPT: [46, struct('br_boolopt_multi', { optval: u32, optmask: u32 })],
  IFLA_BR_MCAST_QUERIER_STATE: [47, nested(querierState)],
  IFLA_BR_FDB_N_LEARNED: [48, u32],
  IFLA_BR_FDB_MAX_LEARNED: [49, u32],
});

/** The friendly names of the bridge options, flat in a link spec or record. */
export const bridgeVocab = vocab('bridge options', bridgeAttrs, undefined, {
  attrs: {
    brForwardDelay: 'IFLA_BR_FORWARD_DELAY', brHelloTime: 'IFLA_BR_HELLO_TIME', brMaxAge: 'IFLA_BR_MAX_AGE',
    brAgeingTime: 'IFLA_BR_AGEING_TIME', brStpState: 'IFLA_BR_STP_STATE', brPriority: 'IFLA_BR_PRIORITY',
    brVlanFiltering: 'IFLA_BR_VLAN_FILTERING', brVlanProtocol: 'IFLA_BR_VLAN_PROTOCOL',
    brGroupFwdMask: 'IFLA_BR_GROUP_FWD_MASK', brRootId: 'IFLA_BR_ROOT_ID', brBridgeId: 'IFLA_BR_BRIDGE_ID',
    brRootPort: 'IFLA_BR_ROOT_PORT', brRootPathCost: 'IFLA_BR_ROOT_PATH_COST',
    brTopologyChange: 'IFLA_BR_TOPOLOGY_CHANGE', brTopologyChangeDetected: 'IFLA_BR_TOPOLOGY_CHANGE_DETECTED',
    brHelloTimer: 'IFLA_BR_HELLO_TIMER', brTcnTimer: 'IFLA_BR_TCN_TIMER',
    brTopologyChangeTimer: 'IFLA_BR_TOPOLOGY_CHANGE_TIMER', brGcTimer: 'IFLA_BR_GC_TIMER',
    brGroupAddr: 'IFLA_BR_GROUP_ADDR', brFdbFlush: 'IFLA_BR_FDB_FLUSH', brMcastRouter: 'IFLA_BR_MCAST_ROUTER',
    brMcastSnooping: 'IFLA_BR_MCAST_SNOOPING', brMcastQueryUseIfaddr: 'IFLA_BR_MCAST_QUERY_USE_IFADDR',
    brMcastQuerier: 'IFLA_BR_MCAST_QUERIER', brMcastHashElasticity: 'IFLA_BR_MCAST_HASH_ELASTICITY',
    brMcastHashMax: 'IFLA_BR_MCAST_HASH_MAX', brMcastLastMemberCnt: 'IFLA_BR_MCAST_LAST_MEMBER_CNT',
    brMcastStartupQueryCnt: 'IFLA_BR_MCAST_STARTUP_QUERY_CNT',
    brMcastLastMemberIntvl: 'IFLA_BR_MCAST_LAST_MEMBER_INTVL',
    brMcastMembershipIntvl: 'IFLA_BR_MCAST_MEMBERSHIP_INTVL', brMcastQuerierIntvl: 'IFLA_BR_MCAST_QUERIER_INTVL',
    brMcastQueryIntvl: 'IFLA_BR_MCAST_QUERY_INTVL', brMcastQueryResponseIntvl: 'IFLA_BR_MCAST_QUERY_RESPONSE_INTVL',
    brMcastStartupQueryIntvl: 'IFLA_BR_MCAST_STARTUP_QUERY_INTVL', brNfCallIptables: 'IFLA_BR_NF_CALL_IPTABLES',
    brNfCallIp6tables: 'IFLA_BR_NF_CALL_IP6TABLES', brNfCallArptables: 'IFLA_BR_NF_CALL_ARPTABLES',
    brVlanDefaultPvid: 'IFLA_BR_VLAN_DEFAULT_PVID', brVlanStatsEnabled: 'IFLA_BR_VLAN_STATS_ENABLED',
    brMcastStatsEnabled: 'IFLA_BR_MCAST_STATS_ENABLED', brMcastIgmpVersion: 'IFLA_BR_MCAST_IGMP_VERSION',
    brMcastMldVersion: 'IFLA_BR_MCAST_MLD_VERSION', brVlanStatsPerPort: 'IFLA_BR_VLAN_STATS_PER_PORT',
    brMultiBoolopt: 'IFLA_BR_MULTI_BOOLOPT', brMcastQuerierState: 'IFLA_BR_MCAST_QUERIER_STATE',
    brFdbNLearned: 'IFLA_BR_FDB_N_LEARNED', brFdbMaxLearned: 'IFLA_BR_FDB_MAX_LEARNED',
  },
});

export const bridge: LinkKind = { kind: 'bridge', data: nested(bridgeAttrs), dataMap: bridgeAttrs, vocab: bridgeVocab };
