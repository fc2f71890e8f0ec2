// vxlan: IFLA_VXLAN_* (the UDP port is big-endian).
import { attrMap, be16, be32, binary, enumOf, flag, ipv4, ipv6, nested, struct, u32, u8, vocab } from '../../core/index.js';
import type { LinkKind } from './registry.js';

export const VXLAN_DF = { VXLAN_DF_UNSET: 0, VXLAN_DF_SET: 1, VXLAN_DF_INHERIT: 2 } as const;

export const vxlanAttrs = attrMap('ifla_vxlan', {
  IFLA_VXLAN_ID: [1, u32],
  IFLA_VXLAN_GROUP: [2, ipv4],
  IFLA_VXLAN_LINK: [3, u32],
  IFLA_VXLAN_LOCAL: [4, ipv4],
  IFLA_VXLAN_TTL: [5, u8],
  IFLA_VXLAN_TOS: [6, u8],
  IFLA_VXLAN_LEARNING: [7, u8],
  IFLA_VXLAN_AGEING: [8, u32],
  IFLA_VXLAN_LIMIT: [9, u32],
  IFLA_VXLAN_PORT_RANGE: [10, struct('ifla_vxlan_port_range', { low: be16, high: be16 })],
  IFLA_VXLAN_PROXY: [11, u8],
  IFLA_VXLAN_RSC: [12, u8],
  IFLA_VXLAN_L2MISS: [13, u8],
  IFLA_VXLAN_L3MISS: [14, u8],
  IFLA_VXLAN_PORT: [15, be16],
  IFLA_VXLAN_GROUP6: [16, ipv6],
  IFLA_VXLAN_LOCAL6: [17, ipv6],
  IFLA_VXLAN_UDP_CSUM: [18, u8],
  IFLA_VXLAN_UDP_ZERO_CSUM6_TX: [19, u8],
  IFLA_VXLAN_UDP_ZERO_CSUM6_RX: [20, u8],
  IFLA_VXLAN_REMCSUM_TX: [21, u8],
  IFLA_VXLAN_REMCSUM_RX: [22, u8],
  IFLA_VXLAN_GBP: [23, flag],
  IFLA_VXLAN_REMCSUM_NOPARTIAL: [24, flag],
  IFLA_VXLAN_COLLECT_METADATA: [25, u8],
  IFLA_VXLAN_LABEL: [26, be32],
  IFLA_VXLAN_GPE: [27, flag],
  IFLA_VXLAN_TTL_INHERIT: [28, flag],
  IFLA_VXLAN_DF: [29, enumOf(u8, VXLAN_DF)],
  IFLA_VXLAN_VNIFILTER: [30, u8],
  IFLA_VXLAN_LOCALBYPASS: [31, u8],
  IFLA_VXLAN_LABEL_POLICY: [32, u32],
  // struct vxlanhdr (8 bytes): the reserved header bits the device may use.
  IFLA_VXLAN_RESERVED_BITS: [33, binary],
  IFLA_VXLAN_MC_ROUTE: [34, u8],
});

/** The friendly names of the vxlan options, flat in a link spec or record. */
export const vxlanVocab = vocab('vxlan options', vxlanAttrs, undefined, {
  attrs: {
    vxlanId: 'IFLA_VXLAN_ID', vxlanGroup: 'IFLA_VXLAN_GROUP', vxlanLink: 'IFLA_VXLAN_LINK',
    vxlanLocal: 'IFLA_VXLAN_LOCAL', vxlanTtl: 'IFLA_VXLAN_TTL', vxlanTos: 'IFLA_VXLAN_TOS',
    vxlanLearning: 'IFLA_VXLAN_LEARNING', vxlanAgeing: 'IFLA_VXLAN_AGEING', vxlanLimit: 'IFLA_VXLAN_LIMIT',
    vxlanPortRange: 'IFLA_VXLAN_PORT_RANGE', vxlanProxy: 'IFLA_VXLAN_PROXY', vxlanRsc: 'IFLA_VXLAN_RSC',
    vxlanL2miss: 'IFLA_VXLAN_L2MISS', vxlanL3miss: 'IFLA_VXLAN_L3MISS', vxlanPort: 'IFLA_VXLAN_PORT',
    vxlanGroup6: 'IFLA_VXLAN_GROUP6', vxlanLocal6: 'IFLA_VXLAN_LOCAL6', vxlanUdpCsum: 'IFLA_VXLAN_UDP_CSUM',
    vxlanUdpZeroCsum6Tx: 'IFLA_VXLAN_UDP_ZERO_CSUM6_TX', vxlanUdpZeroCsum6Rx: 'IFLA_VXLAN_UDP_ZERO_CSUM6_RX',
    vxlanRemcsumTx: 'IFLA_VXLAN_REMCSUM_TX', vxlanRemcsumRx: 'IFLA_VXLAN_REMCSUM_RX', vxlanGbp: 'IFLA_VXLAN_GBP',
    vxlanRemcsumNopartial: 'IFLA_VXLAN_REMCSUM_NOPARTIAL', vxlanCollectMetadata: 'IFLA_VXLAN_COLLECT_METADATA',
    vxlanLabel: 'IFLA_VXLAN_LABEL', vxlanGpe: 'IFLA_VXLAN_GPE', vxlanTtlInherit: 'IFLA_VXLAN_TTL_INHERIT',
    vxlanDf: 'IFLA_VXLAN_DF', vxlanVnifilter: 'IFLA_VXLAN_VNIFILTER', vxlanLocalbypass: 'IFLA_VXLAN_LOCALBYPASS',
    vxlanLabelPolicy: 'IFLA_VXLAN_LABEL_POLICY', vxlanReservedBits: 'IFLA_VXLAN_RESERVED_BITS',
    vxlanMcRoute: 'IFLA_VXLAN_MC_ROUTE',
  },
});

export const vxlan: LinkKind = { kind: 'vxlan', data: nested(vxlanAttrs), dataMap: vxlanAttrs, vocab: vxlanVocab };
