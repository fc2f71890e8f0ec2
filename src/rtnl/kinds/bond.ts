// bonding master: IFLA_BOND_*.
import { attrMap, enumOf, ipv4, ipv6, l2addr, nested, nestedArray, u16, u32, u8, vocab } from '../../core/index.js';
import type { LinkKind } from './registry.js';

export const BOND_MODE = {
  'balance-rr': 0,
  'active-backup': 1,
  'balance-xor': 2,
  broadcast: 3,
  '802.3ad': 4,
  'balance-tlb': 5,
  'balance-alb': 6,
} as const;

const adInfo = attrMap('ifla_bond_ad_info', {
  IFLA_BOND_AD_INFO_AGGREGATOR: [1, u16],
  IFLA_BOND_AD_INFO_NUM_PORTS: [2, u16],
  IFLA_BOND_AD_INFO_ACTOR_KEY: [3, u16],
  IFLA_BOND_AD_INFO_PARTNER_KEY: [4, u16],
  IFLA_BOND_AD_INFO_PARTNER_MAC: [5, l2addr],
});

export const bondAttrs = attrMap('ifla_bond', {
  IFLA_BOND_MODE: [1, enumOf(u8, BOND_MODE)],
  IFLA_BOND_ACTIVE_SLAVE: [2, u32],
  IFLA_BOND_MIIMON: [3, u32],
  IFLA_BOND_UPDELAY: [4, u32],
  IFLA_BOND_DOWNDELAY: [5, u32],
  IFLA_BOND_USE_CARRIER: [6, u8],
  IFLA_BOND_ARP_INTERVAL: [7, u32],
  // Targets are numbered from 0, the ids carry no meaning.
  IFLA_BOND_ARP_IP_TARGET: [8, nestedArray(ipv4, { base: 0 })],
  IFLA_BOND_ARP_VALIDATE: [9, u32],
  IFLA_BOND_ARP_ALL_TARGETS: [10, u32],
  IFLA_BOND_PRIMARY: [11, u32],
  IFLA_BOND_PRIMARY_RESELECT: [12, u8],
  IFLA_BOND_FAIL_OVER_MAC: [13, u8],
  IFLA_BOND_XMIT_HASH_POLICY: [14, u8],
  IFLA_BOND_RESEND_IGMP: [15, u32],
  IFLA_BOND_NUM_PEER_NOTIF: [16, u8],
  IFLA_BOND_ALL_SLAVES_ACTIVE: [17, u8],
  IFLA_BOND_MIN_LINKS: [18, u32],
  IFLA_BOND_LP_INTERVAL: [19, u32],
  IFLA_BOND_PACKETS_PER_SLAVE: [20, u32],
  IFLA_BOND_AD_LACP_RATE: [21, u8],
  IFLA_BOND_AD_SELECT: [22, u8],
  IFLA_BOND_AD_INFO: [23, nested(adInfo)],
  IFLA_BOND_AD_ACTOR_SYS_PRIO: [24, u16],
  IFLA_BOND_AD_USER_PORT_KEY: [25, u16],
  IFLA_BOND_AD_ACTOR_SYSTEM: [26, l2addr],
  IFLA_BOND_TLB_DYNAMIC_LB: [27, u8],
  IFLA_BOND_PEER_NOTIF_DELAY: [28, u32],
  IFLA_BOND_AD_LACP_ACTIVE: [29, u8],
  IFLA_BOND_MISSED_MAX: [30, u8],
  IFLA_BOND_NS_IP6_TARGET: [31, nestedArray(ipv6, { base: 0 })],
  IFLA_BOND_COUPLED_CONTROL: [32, u8],
  IFLA_BOND_BROADCAST_NEIGH: [33, u8],
});

/** The friendly names of the bond options, flat in a link spec or record. */
export const bondVocab = vocab('bond options', bondAttrs, undefined, {
  attrs: {
    bondMode: 'IFLA_BOND_MODE',
    bondActiveSlave: 'IFLA_BOND_ACTIVE_SLAVE',
    bondMiimon: 'IFLA_BOND_MIIMON',
    bondUpdelay: 'IFLA_BOND_UPDELAY',
    bondDowndelay: 'IFLA_BOND_DOWNDELAY',
    bondUseCarrier: 'IFLA_BOND_USE_CARRIER',
    bondArpInterval: 'IFLA_BOND_ARP_INTERVAL',
    bondArpIpTarget: 'IFLA_BOND_ARP_IP_TARGET',
    bondArpValidate: 'IFLA_BOND_ARP_VALIDATE',
    bondArpAllTargets: 'IFLA_BOND_ARP_ALL_TARGETS',
    bondPrimary: 'IFLA_BOND_PRIMARY',
    bondPrimaryReselect: 'IFLA_BOND_PRIMARY_RESELECT',
    bondFailOverMac: 'IFLA_BOND_FAIL_OVER_MAC',
    bondXmitHashPolicy: 'IFLA_BOND_XMIT_HASH_POLICY',
    bondResendIgmp: 'IFLA_BOND_RESEND_IGMP',
    bondNumPeerNotif: 'IFLA_BOND_NUM_PEER_NOTIF',
    bondAllSlavesActive: 'IFLA_BOND_ALL_SLAVES_ACTIVE',
    bondMinLinks: 'IFLA_BOND_MIN_LINKS',
    bondLpInterval: 'IFLA_BOND_LP_INTERVAL',
    bondPacketsPerSlave: 'IFLA_BOND_PACKETS_PER_SLAVE',
    bondAdLacpRate: 'IFLA_BOND_AD_LACP_RATE',
    bondAdSelect: 'IFLA_BOND_AD_SELECT',
    bondAdInfo: 'IFLA_BOND_AD_INFO',
    bondAdActorSysPrio: 'IFLA_BOND_AD_ACTOR_SYS_PRIO',
    bondAdUserPortKey: 'IFLA_BOND_AD_USER_PORT_KEY',
    bondAdActorSystem: 'IFLA_BOND_AD_ACTOR_SYSTEM',
    bondTlbDynamicLb: 'IFLA_BOND_TLB_DYNAMIC_LB',
    bondPeerNotifDelay: 'IFLA_BOND_PEER_NOTIF_DELAY',
    bondAdLacpActive: 'IFLA_BOND_AD_LACP_ACTIVE',
    bondMissedMax: 'IFLA_BOND_MISSED_MAX',
    bondNsIp6Target: 'IFLA_BOND_NS_IP6_TARGET',
    bondCoupledControl: 'IFLA_BOND_COUPLED_CONTROL',
    bondBroadcastNeigh: 'IFLA_BOND_BROADCAST_NEIGH',
  },
  readOnly: ['bondAdInfo'],
});

export const bond: LinkKind = { kind: 'bond', data: nested(bondAttrs), dataMap: bondAttrs, vocab: bondVocab };
