// vxlan: IFLA_VXLAN_* (the UDP port is big-endian).
import {
  attrMap,
  be16,
  be32,
  binary,
  enumOf,
  flag,
  ipv4,
  ipv6,
  nested,
  struct,
  u32,
  u8,
  vocab,
  type NlaType,
} from '../../core/index.js';
import type { LinkKind } from './registry.js';
import { bool, hex0x, interfaceName, trueIfSet, nonZero, present, type IpJsonTable } from './ipjson.js';

/**
 * A flag in requests that the kernel reports as a u8 (0 or 1): read by its byte, so a device
 * without the setting does not read as having it; sent as a flag, and only when true.
 */
const flagByte: NlaType<boolean, boolean> = {
  ...flag,
  decode: (b, o, len) => len === 0 || b[o] !== 0,
};

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
  IFLA_VXLAN_TTL_INHERIT: [28, flagByte],
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
    vxlanId: 'IFLA_VXLAN_ID',
    vxlanGroup: 'IFLA_VXLAN_GROUP',
    vxlanLink: 'IFLA_VXLAN_LINK',
    vxlanLocal: 'IFLA_VXLAN_LOCAL',
    vxlanTtl: 'IFLA_VXLAN_TTL',
    vxlanTos: 'IFLA_VXLAN_TOS',
    vxlanLearning: 'IFLA_VXLAN_LEARNING',
    vxlanAgeing: 'IFLA_VXLAN_AGEING',
    vxlanLimit: 'IFLA_VXLAN_LIMIT',
    vxlanPortRange: 'IFLA_VXLAN_PORT_RANGE',
    vxlanProxy: 'IFLA_VXLAN_PROXY',
    vxlanRsc: 'IFLA_VXLAN_RSC',
    vxlanL2miss: 'IFLA_VXLAN_L2MISS',
    vxlanL3miss: 'IFLA_VXLAN_L3MISS',
    vxlanPort: 'IFLA_VXLAN_PORT',
    vxlanGroup6: 'IFLA_VXLAN_GROUP6',
    vxlanLocal6: 'IFLA_VXLAN_LOCAL6',
    vxlanUdpCsum: 'IFLA_VXLAN_UDP_CSUM',
    vxlanUdpZeroCsum6Tx: 'IFLA_VXLAN_UDP_ZERO_CSUM6_TX',
    vxlanUdpZeroCsum6Rx: 'IFLA_VXLAN_UDP_ZERO_CSUM6_RX',
    vxlanRemcsumTx: 'IFLA_VXLAN_REMCSUM_TX',
    vxlanRemcsumRx: 'IFLA_VXLAN_REMCSUM_RX',
    vxlanGbp: 'IFLA_VXLAN_GBP',
    vxlanRemcsumNopartial: 'IFLA_VXLAN_REMCSUM_NOPARTIAL',
    vxlanCollectMetadata: 'IFLA_VXLAN_COLLECT_METADATA',
    vxlanLabel: 'IFLA_VXLAN_LABEL',
    vxlanGpe: 'IFLA_VXLAN_GPE',
    vxlanTtlInherit: 'IFLA_VXLAN_TTL_INHERIT',
    vxlanDf: 'IFLA_VXLAN_DF',
    vxlanVnifilter: 'IFLA_VXLAN_VNIFILTER',
    vxlanLocalbypass: 'IFLA_VXLAN_LOCALBYPASS',
    vxlanLabelPolicy: 'IFLA_VXLAN_LABEL_POLICY',
    vxlanReservedBits: 'IFLA_VXLAN_RESERVED_BITS',
    vxlanMcRoute: 'IFLA_VXLAN_MC_ROUTE',
  },
  readOnly: ['vxlanReservedBits'],
});

const multicast4 = (a: string): boolean => {
  const first = Number(a.split('.')[0]);
  return first >= 224 && first <= 239;
};
const unspecified6 = (a: string): boolean => /^[0:]*$/.test(a);
const has = (data: { getAttr(a: never): unknown }, attr: string): boolean => data.getAttr(attr as never) !== undefined;
const DF_TEXT: Readonly<Record<number, string>> = { 0: 'unset', 1: 'set', 2: 'inherit' };

/** `ip -j -d` keys of the vxlan options, in ip's order, with ip's conditions. */
export const vxlanIpJson: IpJsonTable = [
  ['IFLA_VXLAN_COLLECT_METADATA', 'external', trueIfSet],
  ['IFLA_VXLAN_VNIFILTER', 'vnifilter', trueIfSet],
  ['IFLA_VXLAN_ID', 'id'],
  ['IFLA_VXLAN_GROUP', '', (v: string) => (v === '0.0.0.0' ? undefined : multicast4(v) ? { group: v } : { remote: v })],
  [
    'IFLA_VXLAN_GROUP6',
    '',
    (v: string, { data }) =>
      has(data, 'IFLA_VXLAN_GROUP') || unspecified6(v)
        ? undefined
        : v.toLowerCase().startsWith('ff')
          ? { group6: v }
          : { remote6: v },
  ],
  ['IFLA_VXLAN_LOCAL', 'local', (v: string) => (v === '0.0.0.0' ? undefined : v)],
  [
    'IFLA_VXLAN_LOCAL6',
    'local6',
    (v: string, { data }) => (has(data, 'IFLA_VXLAN_LOCAL') || unspecified6(v) ? undefined : v),
  ],
  ['IFLA_VXLAN_LINK', 'link', interfaceName],
  ['IFLA_VXLAN_PORT_RANGE', 'port_range', (v: { low: number; high: number }) => ({ low: v.low, high: v.high })],
  ['IFLA_VXLAN_PORT', 'port'],
  ['IFLA_VXLAN_LEARNING', 'learning', bool],
  ['IFLA_VXLAN_PROXY', 'proxy', trueIfSet],
  ['IFLA_VXLAN_RSC', 'rsc', trueIfSet],
  ['IFLA_VXLAN_L2MISS', 'l2miss', trueIfSet],
  ['IFLA_VXLAN_L3MISS', 'l3miss', trueIfSet],
  ['IFLA_VXLAN_TOS', 'tos', (v: number) => (v ? hex0x(v) : undefined)],
  // With ttl inherit, ip prints no ttl at all. The kernel sends TTL_INHERIT as a u8 (0 or 1)
  // where requests carry a flag, so its payload byte decides.
  [
    'IFLA_VXLAN_TTL',
    'ttl',
    (v: number, { data }) => {
      const inherit = data.raw('IFLA_VXLAN_TTL_INHERIT' as never);
      return inherit && (inherit.length === 0 || inherit[0]) ? undefined : v;
    },
  ],
  ['IFLA_VXLAN_DF', 'df', (v: number) => DF_TEXT[v]],
  ['IFLA_VXLAN_LABEL', 'label', (v: number) => (v ? hex0x(v) : undefined)],
  ['IFLA_VXLAN_AGEING', 'ageing'],
  ['IFLA_VXLAN_LIMIT', 'limit', nonZero],
  ['IFLA_VXLAN_UDP_CSUM', 'udp_csum', bool],
  ['IFLA_VXLAN_UDP_ZERO_CSUM6_TX', 'udp_zero_csum6_tx', bool],
  ['IFLA_VXLAN_UDP_ZERO_CSUM6_RX', 'udp_zero_csum6_rx', bool],
  ['IFLA_VXLAN_REMCSUM_TX', 'remcsum_tx', trueIfSet],
  ['IFLA_VXLAN_REMCSUM_RX', 'remcsum_rx', trueIfSet],
  ['IFLA_VXLAN_GBP', 'gbp', present],
  ['IFLA_VXLAN_GPE', 'gpe', present],
];

export const vxlan: LinkKind = {
  kind: 'vxlan',
  data: nested(vxlanAttrs),
  dataMap: vxlanAttrs,
  vocab: vxlanVocab,
  ipJson: vxlanIpJson,
};
