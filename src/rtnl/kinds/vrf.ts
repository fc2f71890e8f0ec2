// VRF: IFLA_VRF_TABLE; its ports carry IFLA_VRF_PORT_TABLE (slave kind 'vrf').
import { attrMap, nested, u32 } from '../../core/index.js';
import type { LinkKind } from './registry.js';

export const vrfAttrs = attrMap('ifla_vrf', { IFLA_VRF_TABLE: [1, u32] });
export const vrfPortAttrs = attrMap('ifla_vrf_port', { IFLA_VRF_PORT_TABLE: [1, u32] });

export const vrf: LinkKind = { kind: 'vrf', data: nested(vrfAttrs), dataMap: vrfAttrs, specPrefix: 'vrf', attrPrefix: 'IFLA_VRF_' };
export const vrfSlave: LinkKind = {
  kind: 'vrf_slave', slaveOf: 'vrf', slaveData: nested(vrfPortAttrs), slaveDataMap: vrfPortAttrs,
  specPrefix: 'vrfPort', attrPrefix: 'IFLA_VRF_PORT_',
};
