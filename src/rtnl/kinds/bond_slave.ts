// bonding ports: IFLA_BOND_SLAVE_* in IFLA_INFO_SLAVE_DATA (slave kind 'bond').
import { attrMap, enumOf, l2addr, nested, s32, u16, u32, u8, vocab } from '../../core/index.js';
import type { LinkKind } from './registry.js';

export const BOND_STATE = { BOND_STATE_ACTIVE: 0, BOND_STATE_BACKUP: 1 } as const;
export const BOND_LINK = { BOND_LINK_UP: 0, BOND_LINK_FAIL: 1, BOND_LINK_DOWN: 2, BOND_LINK_BACK: 3 } as const;

export const bondSlaveAttrs = attrMap('ifla_bond_slave', {
  IFLA_BOND_SLAVE_STATE: [1, enumOf(u8, BOND_STATE)],
  IFLA_BOND_SLAVE_MII_STATUS: [2, enumOf(u8, BOND_LINK)],
  IFLA_BOND_SLAVE_LINK_FAILURE_COUNT: [3, u32],
  IFLA_BOND_SLAVE_PERM_HWADDR: [4, l2addr],
  IFLA_BOND_SLAVE_QUEUE_ID: [5, u16],
  IFLA_BOND_SLAVE_AD_AGGREGATOR_ID: [6, u16],
  IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE: [7, u8],
  IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE: [8, u16],
  IFLA_BOND_SLAVE_PRIO: [9, s32],
  IFLA_BOND_SLAVE_ACTOR_PORT_PRIO: [10, u16],
  IFLA_BOND_SLAVE_AD_CHURN_ACTOR_STATE: [11, u8],
  IFLA_BOND_SLAVE_AD_CHURN_PARTNER_STATE: [12, u8],
});

/** The friendly names of the bond port options, flat in a link spec or record. */
export const bondSlaveVocab = vocab('bond port options', bondSlaveAttrs, undefined, {
  attrs: {
    bondSlaveState: 'IFLA_BOND_SLAVE_STATE',
    bondSlaveMiiStatus: 'IFLA_BOND_SLAVE_MII_STATUS',
    bondSlaveLinkFailureCount: 'IFLA_BOND_SLAVE_LINK_FAILURE_COUNT',
    bondSlavePermHwaddr: 'IFLA_BOND_SLAVE_PERM_HWADDR',
    bondSlaveQueueId: 'IFLA_BOND_SLAVE_QUEUE_ID',
    bondSlaveAdAggregatorId: 'IFLA_BOND_SLAVE_AD_AGGREGATOR_ID',
    bondSlaveAdActorOperPortState: 'IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE',
    bondSlaveAdPartnerOperPortState: 'IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE',
    bondSlavePrio: 'IFLA_BOND_SLAVE_PRIO',
    bondSlaveActorPortPrio: 'IFLA_BOND_SLAVE_ACTOR_PORT_PRIO',
    bondSlaveAdChurnActorState: 'IFLA_BOND_SLAVE_AD_CHURN_ACTOR_STATE',
    bondSlaveAdChurnPartnerState: 'IFLA_BOND_SLAVE_AD_CHURN_PARTNER_STATE',
  },
  readOnly: [
    'bondSlaveState',
    'bondSlaveMiiStatus',
    'bondSlaveLinkFailureCount',
    'bondSlavePermHwaddr',
    'bondSlaveAdAggregatorId',
    'bondSlaveAdActorOperPortState',
    'bondSlaveAdPartnerOperPortState',
    'bondSlaveAdChurnActorState',
    'bondSlaveAdChurnPartnerState',
  ],
});

export const bondSlave: LinkKind = {
  kind: 'bond_slave',
  slaveOf: 'bond',
  slaveData: nested(bondSlaveAttrs),
  slaveDataMap: bondSlaveAttrs,
  vocab: bondSlaveVocab,
};
