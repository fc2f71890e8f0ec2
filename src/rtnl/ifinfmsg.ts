// rtnl.ifinfmsg: links (RTM_NEWLINK/DELLINK/GETLINK/SETLINK and the LINKPROP messages).
// struct ifinfomsg + IFLA_* attributes, every id of linux/if_link.h up to Linux 6.18.
import {
  MessageSchema,
  asciiz,
  attrMap,
  binary,
  bytes,
  enumOf,
  OPEN,
  flagsOf,
  hex,
  ipv6,
  l2addr,
  nested,
  pad,
  registerMessageClass,
  s32,
  select,
  string,
  struct,
  u16,
  u32,
  u64,
  u8,
  vocab,
} from '../core/index.js';
import {
  AF,
  ARPHRD,
  AF_BRIDGE,
  AF_INET,
  AF_INET6,
  AF_MPLS,
  BRIDGE_FLAGS,
  BRIDGE_MODE,
  BRIDGE_VLAN_INFO,
  ICMP6_MIB,
  IFF,
  IFLA_EVENT,
  IF_LINK_MODE,
  IF_OPER,
  IF_RA,
  IN6_ADDR_GEN_MODE,
  IPSTATS_MIB,
  IPV4_DEVCONF,
  IPV6_DEVCONF,
  RTEXT_FILTER,
  RTM,
} from './constants.js';
import { brportAttrs } from './kinds/bridge_slave.js';
import { ifla, infoData, infoSlaveData, infoXstats } from './kinds/index.js';
import { byFamily, namedArray, selectBy } from './types.js';

const slaveOf = (kind: unknown): unknown =>
  typeof kind === 'string' && kind.endsWith('_slave') ? kind.slice(0, -6) : undefined;

/** struct ifinfomsg. */
export const ifinfomsgHeader = struct('ifinfomsg', {
  family: enumOf(u8, AF),
  __pad: pad(1),
  ifi_type: enumOf(u16, ARPHRD, OPEN),
  index: s32,
  flags: flagsOf(u32, IFF),
  change: flagsOf(u32, IFF),
});

/** struct rtnl_link_stats64: 24 counters in every kernel, rx_otherhost_dropped since 6.0; more may follow. */
const stats64Fields = [
  'rx_packets',
  'tx_packets',
  'rx_bytes',
  'tx_bytes',
  'rx_errors',
  'tx_errors',
  'rx_dropped',
  'tx_dropped',
  'multicast',
  'collisions',
  'rx_length_errors',
  'rx_over_errors',
  'rx_crc_errors',
  'rx_frame_errors',
  'rx_fifo_errors',
  'rx_missed_errors',
  'tx_aborted_errors',
  'tx_carrier_errors',
  'tx_fifo_errors',
  'tx_heartbeat_errors',
  'tx_window_errors',
  'rx_compressed',
  'tx_compressed',
  'rx_nohandler',
  'rx_otherhost_dropped',
] as const;
type StatsFields<T> = { [K in (typeof stats64Fields)[number]]: T };
const fieldsOf = <T>(t: T, n: number): StatsFields<T> =>
  Object.fromEntries(stats64Fields.slice(0, n).map((k) => [k, t])) as StatsFields<T>;

export const rtnlLinkStats64 = struct('rtnl_link_stats64', fieldsOf(u64, 25), { minSize: 192 });
/** struct rtnl_link_stats (32-bit counters): 23 in old kernels, rx_nohandler since 4.6. */
export const rtnlLinkStats = struct(
  'rtnl_link_stats',
  fieldsOf(u32, 24) as Omit<StatsFields<typeof u32>, 'rx_otherhost_dropped'>,
  { minSize: 92 },
);

/** struct rtnl_link_ifmap (u64 aligned: 4 bytes of tail padding). */
export const rtnlLinkIfmap = struct(
  'rtnl_link_ifmap',
  {
    mem_start: u64,
    mem_end: u64,
    base_addr: u64,
    irq: u16,
    dma: u8,
    port: u8,
    __pad: pad(4),
  },
  { minSize: 28 },
);

const linkinfo = attrMap('ifla_info', {
  IFLA_INFO_KIND: [1, string],
  IFLA_INFO_DATA: [2, select('IFLA_INFO_KIND', infoData)],
  IFLA_INFO_XSTATS: [3, select('IFLA_INFO_KIND', infoXstats)],
  IFLA_INFO_SLAVE_KIND: [4, string],
  // The kernel names the master's kind in IFLA_INFO_SLAVE_KIND; iproute2 instead sends
  // IFLA_INFO_KIND 'bridge_slave' when it sets port options.
  IFLA_INFO_SLAVE_DATA: [
    5,
    selectBy((get) => get('IFLA_INFO_SLAVE_KIND') ?? slaveOf(get('IFLA_INFO_KIND')), infoSlaveData),
  ],
});

// ---- IFLA_AF_SPEC ------------------------------------------------------------------

const inetAf = attrMap('ifla_inet', {
  IFLA_INET_CONF: [1, namedArray(u32, IPV4_DEVCONF)],
});

export const inet6Attrs = attrMap('ifla_inet6', {
  IFLA_INET6_FLAGS: [1, flagsOf(u32, IF_RA)],
  IFLA_INET6_CONF: [2, namedArray(s32, IPV6_DEVCONF)],
  IFLA_INET6_STATS: [3, namedArray(u64, IPSTATS_MIB)],
  IFLA_INET6_MCAST: [4, hex], // never filled by the kernel
  IFLA_INET6_CACHEINFO: [
    5,
    struct('ifla_cacheinfo', { max_reasm_len: u32, tstamp: u32, reachable_time: u32, retrans_time: u32 }),
  ],
  IFLA_INET6_ICMP6STATS: [6, namedArray(u64, ICMP6_MIB)],
  IFLA_INET6_TOKEN: [7, ipv6],
  IFLA_INET6_ADDR_GEN_MODE: [8, enumOf(u8, IN6_ADDR_GEN_MODE)],
  IFLA_INET6_RA_MTU: [9, u32],
});

const mplsAf = attrMap('mpls_af', {
  MPLS_STATS_LINK: [
    1,
    struct('mpls_link_stats', {
      rx_packets: u64,
      rx_bytes: u64,
      tx_packets: u64,
      tx_bytes: u64,
      rx_errors: u64,
      tx_errors: u64,
      rx_dropped: u64,
      tx_dropped: u64,
      rx_noroute: u64,
    }),
  ],
});

/** A nest of u32 values named from `names` (ids 1..n): MRP and CFM are all numbers. */
function u32s(name: string, names: readonly string[], types: Record<string, any> = {}) {
  return attrMap(
    name,
    Object.fromEntries(names.map((n, i) => [n, [i + 1, types[n] ?? u32]])) as Record<string, readonly [number, any]>,
  );
}
const P = (prefix: string, names: string[]) => names.map((n) => prefix + n);
const mrpAttrs = attrMap('ifla_bridge_mrp', {
  IFLA_BRIDGE_MRP_INSTANCE: [
    1,
    nested(u32s('mrp_instance', P('IFLA_BRIDGE_MRP_INSTANCE_', ['RING_ID', 'P_IFINDEX', 'S_IFINDEX', 'PRIO']))),
  ],
  IFLA_BRIDGE_MRP_PORT_STATE: [2, nested(u32s('mrp_port_state', ['IFLA_BRIDGE_MRP_PORT_STATE_STATE']))],
  IFLA_BRIDGE_MRP_PORT_ROLE: [3, nested(u32s('mrp_port_role', ['IFLA_BRIDGE_MRP_PORT_ROLE_ROLE']))],
  IFLA_BRIDGE_MRP_RING_STATE: [
    4,
    nested(u32s('mrp_ring_state', P('IFLA_BRIDGE_MRP_RING_STATE_', ['RING_ID', 'STATE']))),
  ],
  IFLA_BRIDGE_MRP_RING_ROLE: [5, nested(u32s('mrp_ring_role', P('IFLA_BRIDGE_MRP_RING_ROLE_', ['RING_ID', 'ROLE'])))],
  IFLA_BRIDGE_MRP_START_TEST: [
    6,
    nested(
      u32s(
        'mrp_start_test',
        P('IFLA_BRIDGE_MRP_START_TEST_', ['RING_ID', 'INTERVAL', 'MAX_MISS', 'PERIOD', 'MONITOR']),
      ),
    ),
  ],
  IFLA_BRIDGE_MRP_INFO: [
    7,
    nested(
      u32s(
        'mrp_info',
        P('IFLA_BRIDGE_MRP_INFO_', [
          'RING_ID',
          'P_IFINDEX',
          'S_IFINDEX',
          'PRIO',
          'RING_STATE',
          'RING_ROLE',
          'TEST_INTERVAL',
          'TEST_MAX_MISS',
          'TEST_MONITOR',
          'I_IFINDEX',
          'IN_STATE',
          'IN_ROLE',
          'IN_TEST_INTERVAL',
          'IN_TEST_MAX_MISS',
        ]),
      ),
    ),
  ],
  IFLA_BRIDGE_MRP_IN_ROLE: [
    8,
    nested(
      u32s('mrp_in_role', P('IFLA_BRIDGE_MRP_IN_ROLE_', ['RING_ID', 'IN_ID', 'ROLE', 'I_IFINDEX']), {
        IFLA_BRIDGE_MRP_IN_ROLE_IN_ID: u16,
      }),
    ),
  ],
  IFLA_BRIDGE_MRP_IN_STATE: [9, nested(u32s('mrp_in_state', P('IFLA_BRIDGE_MRP_IN_STATE_', ['IN_ID', 'STATE'])))],
  IFLA_BRIDGE_MRP_START_IN_TEST: [
    10,
    nested(u32s('mrp_start_in_test', P('IFLA_BRIDGE_MRP_START_IN_TEST_', ['IN_ID', 'INTERVAL', 'MAX_MISS', 'PERIOD']))),
  ],
});
const C = 'IFLA_BRIDGE_CFM_';
// Continuity-check RDI and CCM transmission: the same nests in a request and in a dump's info.
const cfmCcRdi = nested(u32s('cfm_cc_rdi', P(`${C}CC_RDI_`, ['INSTANCE', 'RDI'])));
const cfmCcCcmTx = nested(
  u32s(
    'cfm_cc_ccm_tx',
    P(`${C}CC_CCM_TX_`, [
      'INSTANCE',
      'DMAC',
      'SEQ_NO_UPDATE',
      'PERIOD',
      'IF_TLV',
      'IF_TLV_VALUE',
      'PORT_TLV',
      'PORT_TLV_VALUE',
    ]),
    { [`${C}CC_CCM_TX_DMAC`]: l2addr, [`${C}CC_CCM_TX_IF_TLV_VALUE`]: u8, [`${C}CC_CCM_TX_PORT_TLV_VALUE`]: u8 },
  ),
);

const cfmAttrs = attrMap('ifla_bridge_cfm', {
  IFLA_BRIDGE_CFM_MEP_CREATE: [
    1,
    nested(u32s('cfm_mep_create', P(`${C}MEP_CREATE_`, ['INSTANCE', 'DOMAIN', 'DIRECTION', 'IFINDEX']))),
  ],
  IFLA_BRIDGE_CFM_MEP_DELETE: [2, nested(u32s('cfm_mep_delete', [`${C}MEP_DELETE_INSTANCE`]))],
  IFLA_BRIDGE_CFM_MEP_CONFIG: [
    3,
    nested(
      u32s('cfm_mep_config', P(`${C}MEP_CONFIG_`, ['INSTANCE', 'UNICAST_MAC', 'MDLEVEL', 'MEPID']), {
        [`${C}MEP_CONFIG_UNICAST_MAC`]: l2addr,
      }),
    ),
  ],
  IFLA_BRIDGE_CFM_CC_CONFIG: [
    4,
    nested(
      u32s('cfm_cc_config', P(`${C}CC_CONFIG_`, ['INSTANCE', 'ENABLE', 'EXP_INTERVAL', 'EXP_MAID']), {
        [`${C}CC_CONFIG_EXP_MAID`]: binary,
      }),
    ),
  ],
  IFLA_BRIDGE_CFM_CC_PEER_MEP_ADD: [5, nested(u32s('cfm_cc_peer_mep', P(`${C}CC_PEER_`, ['MEP_INSTANCE', 'MEPID'])))],
  IFLA_BRIDGE_CFM_CC_PEER_MEP_REMOVE: [
    6,
    nested(u32s('cfm_cc_peer_mep', P(`${C}CC_PEER_`, ['MEP_INSTANCE', 'MEPID']))),
  ],
  IFLA_BRIDGE_CFM_CC_RDI: [7, cfmCcRdi],
  IFLA_BRIDGE_CFM_CC_CCM_TX: [8, cfmCcCcmTx],
  IFLA_BRIDGE_CFM_MEP_CREATE_INFO: [
    9,
    nested(u32s('cfm_mep_create', P(`${C}MEP_CREATE_`, ['INSTANCE', 'DOMAIN', 'DIRECTION', 'IFINDEX']))),
  ],
  IFLA_BRIDGE_CFM_MEP_CONFIG_INFO: [
    10,
    nested(
      u32s('cfm_mep_config', P(`${C}MEP_CONFIG_`, ['INSTANCE', 'UNICAST_MAC', 'MDLEVEL', 'MEPID']), {
        [`${C}MEP_CONFIG_UNICAST_MAC`]: l2addr,
      }),
    ),
  ],
  IFLA_BRIDGE_CFM_CC_CONFIG_INFO: [
    11,
    nested(
      u32s('cfm_cc_config', P(`${C}CC_CONFIG_`, ['INSTANCE', 'ENABLE', 'EXP_INTERVAL', 'EXP_MAID']), {
        [`${C}CC_CONFIG_EXP_MAID`]: binary,
      }),
    ),
  ],
  IFLA_BRIDGE_CFM_CC_RDI_INFO: [12, cfmCcRdi],
  IFLA_BRIDGE_CFM_CC_CCM_TX_INFO: [13, cfmCcCcmTx],
  IFLA_BRIDGE_CFM_CC_PEER_MEP_INFO: [14, nested(u32s('cfm_cc_peer_mep', P(`${C}CC_PEER_`, ['MEP_INSTANCE', 'MEPID'])))],
  IFLA_BRIDGE_CFM_MEP_STATUS_INFO: [
    15,
    nested(
      u32s(
        'cfm_mep_status',
        P(`${C}MEP_STATUS_`, ['INSTANCE', 'OPCODE_UNEXP_SEEN', 'VERSION_UNEXP_SEEN', 'RX_LEVEL_LOW_SEEN']),
      ),
    ),
  ],
  IFLA_BRIDGE_CFM_CC_PEER_STATUS_INFO: [
    16,
    nested(
      u32s(
        'cfm_cc_peer_status',
        P(`${C}CC_PEER_STATUS_`, [
          'INSTANCE',
          'PEER_MEPID',
          'CCM_DEFECT',
          'RDI',
          'PORT_TLV_VALUE',
          'IF_TLV_VALUE',
          'SEEN',
          'TLV_SEEN',
          'SEQ_UNEXP_SEEN',
        ]),
        { [`${C}CC_PEER_STATUS_PORT_TLV_VALUE`]: u8, [`${C}CC_PEER_STATUS_IF_TLV_VALUE`]: u8 },
      ),
    ),
  ],
});

/** Bridge attributes of IFLA_AF_SPEC (AF_BRIDGE messages, and the AF_BRIDGE nest). */
export const bridgeAfAttrs = attrMap('ifla_bridge', {
  IFLA_BRIDGE_FLAGS: [0, flagsOf(u16, BRIDGE_FLAGS)],
  IFLA_BRIDGE_MODE: [1, enumOf(u16, BRIDGE_MODE)],
  IFLA_BRIDGE_VLAN_INFO: [2, struct('bridge_vlan_info', { flags: flagsOf(u16, BRIDGE_VLAN_INFO), vid: u16 })],
  IFLA_BRIDGE_VLAN_TUNNEL_INFO: [
    3,
    nested(
      attrMap('ifla_bridge_vlan_tunnel', {
        IFLA_BRIDGE_VLAN_TUNNEL_ID: [1, u32],
        IFLA_BRIDGE_VLAN_TUNNEL_VID: [2, u16],
        IFLA_BRIDGE_VLAN_TUNNEL_FLAGS: [3, flagsOf(u16, BRIDGE_VLAN_INFO)],
      }),
    ),
  ],
  IFLA_BRIDGE_MRP: [4, nested(mrpAttrs)],
  IFLA_BRIDGE_CFM: [5, nested(cfmAttrs)],
  IFLA_BRIDGE_MST: [
    6,
    nested(
      attrMap('ifla_bridge_mst', {
        IFLA_BRIDGE_MST_ENTRY: [
          1,
          nested(
            attrMap('ifla_bridge_mst_entry', {
              IFLA_BRIDGE_MST_ENTRY_MSTI: [1, u16],
              IFLA_BRIDGE_MST_ENTRY_STATE: [2, u8],
            }),
          ),
        ],
      }),
    ),
  ],
});

/** IFLA_AF_SPEC of AF_UNSPEC messages: one nest per address family. */
const afSpecByFamily = attrMap('ifla_af_spec', {
  AF_INET: [AF_INET, nested(inetAf)],
  AF_BRIDGE: [AF_BRIDGE, nested(bridgeAfAttrs)],
  AF_INET6: [AF_INET6, nested(inet6Attrs)],
  AF_MPLS: [AF_MPLS, nested(mplsAf)],
});

const noAttrs = attrMap('unknown', {});

// ---- the rest ----------------------------------------------------------------------

const XDP_ATTACHED = {
  XDP_ATTACHED_NONE: 0,
  XDP_ATTACHED_DRV: 1,
  XDP_ATTACHED_SKB: 2,
  XDP_ATTACHED_HW: 3,
  XDP_ATTACHED_MULTI: 4,
} as const;
const XDP_FLAGS = {
  XDP_FLAGS_UPDATE_IF_NOEXIST: 1,
  XDP_FLAGS_SKB_MODE: 2,
  XDP_FLAGS_DRV_MODE: 4,
  XDP_FLAGS_HW_MODE: 8,
  XDP_FLAGS_REPLACE: 16,
} as const;
const xdpAttrs = attrMap('ifla_xdp', {
  IFLA_XDP_FD: [1, s32],
  IFLA_XDP_ATTACHED: [2, enumOf(u8, XDP_ATTACHED)],
  IFLA_XDP_FLAGS: [3, flagsOf(u32, XDP_FLAGS)],
  IFLA_XDP_PROG_ID: [4, u32],
  IFLA_XDP_DRV_PROG_ID: [5, u32],
  IFLA_XDP_SKB_PROG_ID: [6, u32],
  IFLA_XDP_HW_PROG_ID: [7, u32],
  IFLA_XDP_EXPECTED_FD: [8, s32],
});

const vfStatsAttrs = attrMap('ifla_vf_stats', {
  IFLA_VF_STATS_RX_PACKETS: [0, u64],
  IFLA_VF_STATS_TX_PACKETS: [1, u64],
  IFLA_VF_STATS_RX_BYTES: [2, u64],
  IFLA_VF_STATS_TX_BYTES: [3, u64],
  IFLA_VF_STATS_BROADCAST: [4, u64],
  IFLA_VF_STATS_MULTICAST: [5, u64],
  IFLA_VF_STATS_PAD: [6, binary],
  IFLA_VF_STATS_RX_DROPPED: [7, u64],
  IFLA_VF_STATS_TX_DROPPED: [8, u64],
});
const vfSetting = (name: string) => struct(name, { vf: u32, setting: u32 });
const vfGuid = struct('ifla_vf_guid', { vf: u32, __pad: pad(4), guid: u64 });
const vfAttrs = attrMap('ifla_vf', {
  IFLA_VF_MAC: [1, struct('ifla_vf_mac', { vf: u32, mac: bytes(32) })],
  IFLA_VF_VLAN: [2, struct('ifla_vf_vlan', { vf: u32, vlan: u32, qos: u32 })],
  IFLA_VF_TX_RATE: [3, struct('ifla_vf_tx_rate', { vf: u32, rate: u32 })],
  IFLA_VF_SPOOFCHK: [4, vfSetting('ifla_vf_spoofchk')],
  IFLA_VF_LINK_STATE: [5, struct('ifla_vf_link_state', { vf: u32, link_state: u32 })],
  IFLA_VF_RATE: [6, struct('ifla_vf_rate', { vf: u32, min_tx_rate: u32, max_tx_rate: u32 })],
  IFLA_VF_RSS_QUERY_EN: [7, vfSetting('ifla_vf_rss_query_en')],
  IFLA_VF_STATS: [8, nested(vfStatsAttrs)],
  IFLA_VF_TRUST: [9, vfSetting('ifla_vf_trust')],
  IFLA_VF_IB_NODE_GUID: [10, vfGuid],
  IFLA_VF_IB_PORT_GUID: [11, vfGuid],
  IFLA_VF_VLAN_LIST: [
    12,
    nested(
      attrMap('ifla_vf_vlan_list', {
        IFLA_VF_VLAN_INFO: [
          1,
          struct(
            'ifla_vf_vlan_info',
            { vf: u32, vlan: u32, qos: u32, vlan_proto: u16, __pad: pad(2) },
            { minSize: 14 },
          ),
        ],
      }),
    ),
  ],
  IFLA_VF_BROADCAST: [13, struct('ifla_vf_broadcast', { broadcast: bytes(32) })],
});
const vfInfoList = attrMap('ifla_vfinfo_list', { IFLA_VF_INFO: [1, nested(vfAttrs)] });

const portAttrs = attrMap('ifla_port', {
  IFLA_PORT_VF: [1, u32],
  IFLA_PORT_PROFILE: [2, asciiz],
  IFLA_PORT_VSI_TYPE: [
    3,
    struct('ifla_port_vsi', { vsi_mgr_id: u8, vsi_type_id: bytes(3), vsi_type_version: u8, __pad: pad(3) }),
  ],
  IFLA_PORT_INSTANCE_UUID: [4, binary],
  IFLA_PORT_HOST_UUID: [5, binary],
  IFLA_PORT_REQUEST: [6, u8],
  IFLA_PORT_RESPONSE: [7, u16],
});
const vfPorts = attrMap('ifla_vf_ports', { IFLA_VF_PORT: [1, nested(portAttrs)] });

const propList = attrMap('ifla_prop_list', { IFLA_ALT_IFNAME: [53, asciiz] });

const protoDownReason = attrMap('ifla_proto_down_reason', {
  IFLA_PROTO_DOWN_REASON_MASK: [1, u32],
  IFLA_PROTO_DOWN_REASON_VALUE: [2, u32],
});

/** Every IFLA_* attribute. */
export const iflaAttrs = attrMap('ifla', {
  IFLA_ADDRESS: [1, l2addr],
  IFLA_BROADCAST: [2, l2addr],
  IFLA_IFNAME: [3, asciiz],
  IFLA_MTU: [4, u32],
  IFLA_LINK: [5, u32],
  IFLA_QDISC: [6, asciiz],
  IFLA_STATS: [7, rtnlLinkStats],
  IFLA_COST: [8, hex], // never used by the kernel
  IFLA_PRIORITY: [9, hex], // never used by the kernel
  IFLA_MASTER: [10, u32],
  IFLA_WIRELESS: [11, hex], // wireless-extension event payloads: opaque
  IFLA_PROTINFO: [12, byFamily({ [AF_BRIDGE]: brportAttrs, [AF_INET6]: inet6Attrs }, noAttrs)],
  IFLA_TXQLEN: [13, u32],
  IFLA_MAP: [14, rtnlLinkIfmap],
  IFLA_WEIGHT: [15, u32],
  IFLA_OPERSTATE: [16, enumOf(u8, IF_OPER)],
  IFLA_LINKMODE: [17, enumOf(u8, IF_LINK_MODE)],
  IFLA_LINKINFO: [18, nested(linkinfo)],
  IFLA_NET_NS_PID: [19, u32],
  IFLA_IFALIAS: [20, string],
  IFLA_NUM_VF: [21, u32],
  IFLA_VFINFO_LIST: [22, nested(vfInfoList)],
  IFLA_STATS64: [23, rtnlLinkStats64],
  IFLA_VF_PORTS: [24, nested(vfPorts)],
  IFLA_PORT_SELF: [25, nested(portAttrs)],
  IFLA_AF_SPEC: [26, byFamily({ [AF_BRIDGE]: bridgeAfAttrs }, afSpecByFamily)],
  IFLA_GROUP: [27, u32],
  IFLA_NET_NS_FD: [28, s32],
  IFLA_EXT_MASK: [29, flagsOf(u32, RTEXT_FILTER)],
  IFLA_PROMISCUITY: [30, u32],
  IFLA_NUM_TX_QUEUES: [31, u32],
  IFLA_NUM_RX_QUEUES: [32, u32],
  IFLA_CARRIER: [33, u8],
  IFLA_PHYS_PORT_ID: [34, binary],
  IFLA_CARRIER_CHANGES: [35, u32],
  IFLA_PHYS_SWITCH_ID: [36, binary],
  IFLA_LINK_NETNSID: [37, s32],
  IFLA_PHYS_PORT_NAME: [38, asciiz],
  IFLA_PROTO_DOWN: [39, u8],
  IFLA_GSO_MAX_SEGS: [40, u32],
  IFLA_GSO_MAX_SIZE: [41, u32],
  IFLA_PAD: [42, binary],
  IFLA_XDP: [43, nested(xdpAttrs)],
  IFLA_EVENT: [44, enumOf(u32, IFLA_EVENT)],
  IFLA_NEW_NETNSID: [45, s32],
  IFLA_TARGET_NETNSID: [46, s32],
  IFLA_IF_NETNSID: [46, s32],
  IFLA_CARRIER_UP_COUNT: [47, u32],
  IFLA_CARRIER_DOWN_COUNT: [48, u32],
  IFLA_NEW_IFINDEX: [49, s32],
  IFLA_MIN_MTU: [50, u32],
  IFLA_MAX_MTU: [51, u32],
  IFLA_PROP_LIST: [52, nested(propList, { flag: true })],
  IFLA_ALT_IFNAME: [53, asciiz],
  IFLA_PERM_ADDRESS: [54, l2addr],
  IFLA_PROTO_DOWN_REASON: [55, nested(protoDownReason)],
  IFLA_PARENT_DEV_NAME: [56, asciiz],
  IFLA_PARENT_DEV_BUS_NAME: [57, asciiz],
  IFLA_GRO_MAX_SIZE: [58, u32],
  IFLA_TSO_MAX_SIZE: [59, u32],
  IFLA_TSO_MAX_SEGS: [60, u32],
  IFLA_ALLMULTI: [61, u32],
  // A devlink port handle: the devlink bus/device names and port index.
  IFLA_DEVLINK_PORT: [
    62,
    nested(
      attrMap('devlink_port', {
        DEVLINK_ATTR_BUS_NAME: [1, asciiz],
        DEVLINK_ATTR_DEV_NAME: [2, asciiz],
        DEVLINK_ATTR_PORT_INDEX: [3, u32],
      }),
    ),
  ],
  IFLA_GSO_IPV4_MAX_SIZE: [63, u32],
  IFLA_GRO_IPV4_MAX_SIZE: [64, u32],
  IFLA_DPLL_PIN: [65, nested(attrMap('dpll_pin', { DPLL_A_PIN_ID: [1, u32] }))],
  IFLA_MAX_PACING_OFFLOAD_HORIZON: [66, u32],
  IFLA_NETNS_IMMUTABLE: [67, u8],
  IFLA_HEADROOM: [68, u16],
  IFLA_TAILROOM: [69, u16],
});

ifla.header = ifinfomsgHeader;
ifla.map = iflaAttrs;

/** The link message class. */
export const ifinfmsg = new MessageSchema('rtnl.ifinfmsg', ifinfomsgHeader, iflaAttrs, {
  familyField: 'family',
  types: {
    RTM_NEWLINK: RTM.RTM_NEWLINK,
    RTM_DELLINK: RTM.RTM_DELLINK,
    RTM_GETLINK: RTM.RTM_GETLINK,
    RTM_SETLINK: RTM.RTM_SETLINK,
    RTM_NEWLINKPROP: RTM.RTM_NEWLINKPROP,
    RTM_DELLINKPROP: RTM.RTM_DELLINKPROP,
    RTM_GETLINKPROP: RTM.RTM_GETLINKPROP,
  },
});
registerMessageClass(ifinfmsg);

/** Marshal policy entries of this file (spread by marshal.ts). */
export const policy: Record<number, MessageSchema<any, any>> = {
  [RTM.RTM_NEWLINK]: ifinfmsg,
  [RTM.RTM_DELLINK]: ifinfmsg,
  [RTM.RTM_GETLINK]: ifinfmsg,
  [RTM.RTM_SETLINK]: ifinfmsg,
  [RTM.RTM_NEWLINKPROP]: ifinfmsg,
  [RTM.RTM_DELLINKPROP]: ifinfmsg,
  [RTM.RTM_GETLINKPROP]: ifinfmsg,
};

export type IfinfMessage = ReturnType<typeof ifinfmsg.decode>;

// ---- vocabulary: the friendly names of links in specs and records -----------------------

/** Counters of IFLA_STATS64 in records (`link.stats.rxBytes`). */
export const stats64Vocab = vocab('link stats', undefined, rtnlLinkStats64, {
  fields: {
    rxPackets: 'rx_packets',
    txPackets: 'tx_packets',
    rxBytes: 'rx_bytes',
    txBytes: 'tx_bytes',
    rxErrors: 'rx_errors',
    txErrors: 'tx_errors',
    rxDropped: 'rx_dropped',
    txDropped: 'tx_dropped',
    multicast: 'multicast',
    collisions: 'collisions',
    rxLengthErrors: 'rx_length_errors',
    rxOverErrors: 'rx_over_errors',
    rxCrcErrors: 'rx_crc_errors',
    rxFrameErrors: 'rx_frame_errors',
    rxFifoErrors: 'rx_fifo_errors',
    rxMissedErrors: 'rx_missed_errors',
    txAbortedErrors: 'tx_aborted_errors',
    txCarrierErrors: 'tx_carrier_errors',
    txFifoErrors: 'tx_fifo_errors',
    txHeartbeatErrors: 'tx_heartbeat_errors',
    txWindowErrors: 'tx_window_errors',
    rxCompressed: 'rx_compressed',
    txCompressed: 'tx_compressed',
    rxNohandler: 'rx_nohandler',
    rxOtherhostDropped: 'rx_otherhost_dropped',
  },
});

/**
 * Links: `{ index, ifname, mtu, address, master, ... }`. Kind options live in each kind's
 * table (kinds/*.ts); `state`, `kind`, `peer`, `altname`, `netns` are spec keys with a
 * meaning of their own (link.ts).
 */
export const linkVocab = vocab('link', iflaAttrs, ifinfomsgHeader, {
  fields: { index: 'index', family: 'family', linkType: 'ifi_type', flags: 'flags', change: 'change' },
  attrs: {
    ifname: 'IFLA_IFNAME',
    mtu: 'IFLA_MTU',
    address: 'IFLA_ADDRESS',
    broadcast: 'IFLA_BROADCAST',
    link: 'IFLA_LINK',
    master: 'IFLA_MASTER',
    txqlen: 'IFLA_TXQLEN',
    qdisc: 'IFLA_QDISC',
    operstate: 'IFLA_OPERSTATE',
    linkmode: 'IFLA_LINKMODE',
    ifalias: 'IFLA_IFALIAS',
    group: 'IFLA_GROUP',
    netNsPid: 'IFLA_NET_NS_PID',
    netNsFd: 'IFLA_NET_NS_FD',
    numVf: 'IFLA_NUM_VF',
    promiscuity: 'IFLA_PROMISCUITY',
    numTxQueues: 'IFLA_NUM_TX_QUEUES',
    numRxQueues: 'IFLA_NUM_RX_QUEUES',
    carrier: 'IFLA_CARRIER',
    carrierChanges: 'IFLA_CARRIER_CHANGES',
    carrierUpCount: 'IFLA_CARRIER_UP_COUNT',
    carrierDownCount: 'IFLA_CARRIER_DOWN_COUNT',
    linkNetnsid: 'IFLA_LINK_NETNSID',
    physPortId: 'IFLA_PHYS_PORT_ID',
    physPortName: 'IFLA_PHYS_PORT_NAME',
    physSwitchId: 'IFLA_PHYS_SWITCH_ID',
    protoDown: 'IFLA_PROTO_DOWN',
    gsoMaxSegs: 'IFLA_GSO_MAX_SEGS',
    gsoMaxSize: 'IFLA_GSO_MAX_SIZE',
    groMaxSize: 'IFLA_GRO_MAX_SIZE',
    gsoIpv4MaxSize: 'IFLA_GSO_IPV4_MAX_SIZE',
    groIpv4MaxSize: 'IFLA_GRO_IPV4_MAX_SIZE',
    tsoMaxSize: 'IFLA_TSO_MAX_SIZE',
    tsoMaxSegs: 'IFLA_TSO_MAX_SEGS',
    minMtu: 'IFLA_MIN_MTU',
    maxMtu: 'IFLA_MAX_MTU',
    permAddress: 'IFLA_PERM_ADDRESS',
    parentDevName: 'IFLA_PARENT_DEV_NAME',
    parentDevBusName: 'IFLA_PARENT_DEV_BUS_NAME',
    allmulti: 'IFLA_ALLMULTI',
    targetNetnsid: 'IFLA_TARGET_NETNSID',
    newNetnsid: 'IFLA_NEW_NETNSID',
    newIfindex: 'IFLA_NEW_IFINDEX',
    headroom: 'IFLA_HEADROOM',
    tailroom: 'IFLA_TAILROOM',
    netnsImmutable: 'IFLA_NETNS_IMMUTABLE',
    stats: 'IFLA_STATS64',
  },
  aliases: {
    IFLA_IFNAME: 'ifname',
    ifi_index: 'index',
    ifi_flags: 'flags',
    ifi_change: 'change',
    ifi_type: 'linkType',
  },
  nests: { stats: stats64Vocab },
  readOnly: [
    'linkType',
    'qdisc',
    'numVf',
    'promiscuity',
    'carrier',
    'carrierChanges',
    'carrierUpCount',
    'carrierDownCount',
    'linkNetnsid',
    'physPortId',
    'physPortName',
    'physSwitchId',
    'tsoMaxSize',
    'tsoMaxSegs',
    'minMtu',
    'maxMtu',
    'permAddress',
    'parentDevName',
    'parentDevBusName',
    'allmulti',
    'newNetnsid',
    'newIfindex',
    'headroom',
    'tailroom',
    'netnsImmutable',
    'stats',
    'operstate',
    'linkmode',
    'numTxQueues',
    'numRxQueues',
  ],
});

/** Link keys read into records and not sent (see VocabDecl.readOnly). */
export const linkReadOnly = linkVocab.readOnly;
