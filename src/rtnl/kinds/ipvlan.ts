// ipvlan and ipvtap: IFLA_IPVLAN_*.
import { attrMap, enumOf, flagsOf, nested, u16, vocab } from '../../core/index.js';
import type { LinkKind } from './registry.js';

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
export const ipvlan: LinkKind = { kind: 'ipvlan', data, dataMap: ipvlanAttrs, vocab: ipvlanVocab };
export const ipvtap: LinkKind = { kind: 'ipvtap', data, dataMap: ipvlanAttrs, vocab: ipvlanVocab };
