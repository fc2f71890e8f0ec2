// VRF: IFLA_VRF_TABLE; its ports carry IFLA_VRF_PORT_TABLE (slave kind 'vrf').
import { attrMap, nested, u32, vocab } from '../../core/index.js';
import type { LinkKind } from './registry.js';

export const vrfAttrs = attrMap('ifla_vrf', { IFLA_VRF_TABLE: [1, u32] });
export const vrfPortAttrs = attrMap('ifla_vrf_port', { IFLA_VRF_PORT_TABLE: [1, u32] });

/** The friendly names of the vrf options, flat in a link spec or record. */
export const vrfVocab = vocab('vrf options', vrfAttrs, undefined, {
  attrs: {
    vrfTable: 'IFLA_VRF_TABLE',
  },
});

/** The friendly names of the vrf port options, flat in a link spec or record. */
export const vrfPortVocab = vocab('vrf port options', vrfPortAttrs, undefined, {
  attrs: {
    vrfPortTable: 'IFLA_VRF_PORT_TABLE',
  },
});

export const vrf: LinkKind = {
  kind: 'vrf',
  data: nested(vrfAttrs),
  dataMap: vrfAttrs,
  vocab: vrfVocab,
  ipJson: [['IFLA_VRF_TABLE', 'table']],
};
export const vrfSlave: LinkKind = {
  kind: 'vrf_slave',
  slaveOf: 'vrf',
  slaveData: nested(vrfPortAttrs),
  slaveDataMap: vrfPortAttrs,
  vocab: vrfPortVocab,
  ipJson: [['IFLA_VRF_PORT_TABLE', 'table']],
};
