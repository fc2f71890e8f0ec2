// 802.1Q / 802.1ad VLAN: IFLA_VLAN_*.
import { attrMap, be16, nested, struct, u16, u32, flagsOf, vocab } from '../../core/index.js';
import type { LinkKind } from './registry.js';
import { ethProtoText, type IpJsonTable } from './ipjson.js';

export const VLAN_FLAG = {
  VLAN_FLAG_REORDER_HDR: 1,
  VLAN_FLAG_GVRP: 2,
  VLAN_FLAG_LOOSE_BINDING: 4,
  VLAN_FLAG_MVRP: 8,
  VLAN_FLAG_BRIDGE_BINDING: 16,
} as const;
/** Ethertypes of VLAN tags (IFLA_VLAN_PROTOCOL, IFLA_BR_VLAN_PROTOCOL). */
export const ETH_P_8021Q = 0x8100;
export const ETH_P_8021AD = 0x88a8;

const qosMapping = attrMap('ifla_vlan_qos', {
  IFLA_VLAN_QOS_MAPPING: [1, struct('ifla_vlan_qos_mapping', { from: u32, to: u32 })],
});

export const vlanAttrs = attrMap('ifla_vlan', {
  IFLA_VLAN_ID: [1, u16],
  IFLA_VLAN_FLAGS: [2, struct('ifla_vlan_flags', { flags: flagsOf(u32, VLAN_FLAG), mask: flagsOf(u32, VLAN_FLAG) })],
  IFLA_VLAN_EGRESS_QOS: [3, nested(qosMapping)],
  IFLA_VLAN_INGRESS_QOS: [4, nested(qosMapping)],
  IFLA_VLAN_PROTOCOL: [5, be16],
});

/** The friendly names of the vlan options, flat in a link spec or record. */
export const vlanVocab = vocab('vlan options', vlanAttrs, undefined, {
  attrs: {
    vlanId: 'IFLA_VLAN_ID',
    vlanFlags: 'IFLA_VLAN_FLAGS',
    vlanEgressQos: 'IFLA_VLAN_EGRESS_QOS',
    vlanIngressQos: 'IFLA_VLAN_INGRESS_QOS',
    vlanProtocol: 'IFLA_VLAN_PROTOCOL',
  },
});

// The order in which ip lists the flags.
const FLAG_ORDER = ['REORDER_HDR', 'GVRP', 'MVRP', 'LOOSE_BINDING', 'BRIDGE_BINDING'] as const;

/** Flag names as ip lists them, with any unknown bits left as one hex string. */
function vlanFlags(v: { flags: number }): string[] {
  let rest = v.flags;
  const out: string[] = [];
  for (const name of FLAG_ORDER) {
    const bit = VLAN_FLAG[`VLAN_FLAG_${name}`];
    if (rest & bit) {
      out.push(name);
      rest &= ~bit;
    }
  }
  if (rest) out.push(rest.toString(16));
  return out;
}

const qosMap = (v: { getAttrs(a: never): { from: number; to: number }[] }) =>
  v.getAttrs('IFLA_VLAN_QOS_MAPPING' as never).map((m) => ({ from: m.from, to: m.to }));
const withId =
  <T>(f: (v: T) => unknown) =>
  (v: T, { data }: { data: { getAttr(a: never): unknown } }) =>
    data.getAttr('IFLA_VLAN_ID' as never) === undefined ? undefined : f(v);

/** `ip -j -d` keys of the vlan options (ip shows none without an id). */
export const vlanIpJson: IpJsonTable = [
  [
    'IFLA_VLAN_ID',
    'protocol',
    (_v, { data }) => {
      const p = data.getAttr('IFLA_VLAN_PROTOCOL' as never) as number | undefined;
      return p === undefined ? '802.1q' : ethProtoText(p);
    },
  ],
  ['IFLA_VLAN_ID', 'id'],
  ['IFLA_VLAN_FLAGS', 'flags', withId(vlanFlags)],
  ['IFLA_VLAN_INGRESS_QOS', 'ingress_qos', withId(qosMap)],
  ['IFLA_VLAN_EGRESS_QOS', 'egress_qos', withId(qosMap)],
];

export const vlan: LinkKind = {
  kind: 'vlan',
  data: nested(vlanAttrs),
  dataMap: vlanAttrs,
  vocab: vlanVocab,
  ipJson: vlanIpJson,
};
