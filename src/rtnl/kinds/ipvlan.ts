// ipvlan and ipvtap: IFLA_IPVLAN_*.
import { attrMap, enumOf, flagsOf, nested, u16, vocab } from '../../core/index.js';
import type { LinkKind } from './registry.js';
import type { IpJsonTable } from './ipjson.js';

export const IPVLAN_MODE = { IPVLAN_MODE_L2: 0, IPVLAN_MODE_L3: 1, IPVLAN_MODE_L3S: 2 } as const;
export const IPVLAN_F = { IPVLAN_F_PRIVATE: 1, IPVLAN_F_VEPA: 2 } as const;

export const ipvlanAttrs = attrMap('ifla_ipvlan', {
  IFLA_IPVLAN_MODE: [1, enumOf(u16, IPVLAN_MODE)],
  IFLA_IPVLAN_FLAGS: [2, flagsOf(u16, IPVLAN_F)],
});

/** The friendly names of the ipvlan options, flat in a link spec or record. */
export const ipvlanVocab = vocab('ipvlan options', ipvlanAttrs, undefined, {
  attrs: {
    ipvlanMode: 'IFLA_IPVLAN_MODE',
    ipvlanFlags: 'IFLA_IPVLAN_FLAGS',
  },
});

const data = nested(ipvlanAttrs);
const MODE_TEXT: Readonly<Record<number, string>> = { 0: 'l2', 1: 'l3', 2: 'l3s' };

/** `ip -j -d` keys of the ipvlan options: the mode, and one of private / vepa / bridge. */
export const ipvlanIpJson: IpJsonTable = [
  ['IFLA_IPVLAN_MODE', 'mode', (v: number) => MODE_TEXT[v] ?? 'unknown'],
  [
    'IFLA_IPVLAN_FLAGS',
    '',
    (v: number) =>
      v & IPVLAN_F.IPVLAN_F_PRIVATE
        ? { private: true }
        : v & IPVLAN_F.IPVLAN_F_VEPA
          ? { vepa: true }
          : { bridge: true },
  ],
];

export const ipvlan: LinkKind = {
  kind: 'ipvlan',
  data,
  dataMap: ipvlanAttrs,
  vocab: ipvlanVocab,
  ipJson: ipvlanIpJson,
};
export const ipvtap: LinkKind = {
  kind: 'ipvtap',
  data,
  dataMap: ipvlanAttrs,
  vocab: ipvlanVocab,
  ipJson: ipvlanIpJson,
};
