// vxlan: IFLA_VXLAN_* (the UDP port is big-endian).
import { attrMap, be16, be32, binary, enumOf, flag, ipv4, ipv6, nested, struct, u32, u8 } from '../../core/index.js';
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

export const vxlan: LinkKind = { kind: 'vxlan', data: nested(vxlanAttrs), dataMap: vxlanAttrs, specPrefix: 'vxlan', attrPrefix: 'IFLA_VXLAN_' };
