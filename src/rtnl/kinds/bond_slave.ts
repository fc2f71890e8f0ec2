// bonding ports: IFLA_BOND_SLAVE_* in IFLA_INFO_SLAVE_DATA (slave kind 'bond').
import { attrMap, enumOf, l2addr, nested, s32, u16, u32, u8, vocab } from '../../core/index.js';
import type { LinkKind } from './registry.js';
import type { IpJsonFormat, IpJsonTable } from './ipjson.js';

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

const STATE_TEXT = ['ACTIVE', 'BACKUP'];
const MII_TEXT = ['UP', 'GOING_DOWN', 'DOWN', 'GOING_BACK'];
// LACP port state bits, low to high, as ip names them.
const AD_PORT_STATE_TEXT = [
  'active',
  'short_timeout',
  'aggregating',
  'in_sync',
  'collecting',
  'distributing',
  'defaulted',
  'expired',
];
const adPortState: IpJsonFormat = (v: number) => AD_PORT_STATE_TEXT.filter((_, i) => v & (1 << i));

/** `ip -j -d` keys of the bond port options, in ip's order. */
export const bondSlaveIpJson: IpJsonTable = [
  ['IFLA_BOND_SLAVE_STATE', '', (v: number) => (v in STATE_TEXT ? { state: STATE_TEXT[v] } : { state_index: v })],
  [
    'IFLA_BOND_SLAVE_MII_STATUS',
    '',
    (v: number) => (v in MII_TEXT ? { mii_status: MII_TEXT[v] } : { mii_status_index: v }),
  ],
  ['IFLA_BOND_SLAVE_LINK_FAILURE_COUNT', 'link_failure_count'],
  ['IFLA_BOND_SLAVE_PERM_HWADDR', 'perm_hwaddr'],
  ['IFLA_BOND_SLAVE_QUEUE_ID', 'queue_id'],
  ['IFLA_BOND_SLAVE_PRIO', 'prio'],
  ['IFLA_BOND_SLAVE_AD_AGGREGATOR_ID', 'ad_aggregator_id'],
  [
    'IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE',
    '',
    (v: number) => ({ ad_actor_oper_port_state: v, ad_actor_oper_port_state_str: adPortState(v, undefined!) }),
  ],
  [
    'IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE',
    '',
    (v: number) => ({ ad_partner_oper_port_state: v, ad_partner_oper_port_state_str: adPortState(v, undefined!) }),
  ],
];

export const bondSlave: LinkKind = {
  ipJson: bondSlaveIpJson,
  kind: 'bond_slave',
  slaveOf: 'bond',
  slaveData: nested(bondSlaveAttrs),
  slaveDataMap: bondSlaveAttrs,
  vocab: bondSlaveVocab,
};
