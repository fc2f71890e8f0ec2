// bonding master: IFLA_BOND_*.
import { attrMap, enumOf, ipv4, ipv6, l2addr, nested, nestedArray, u16, u32, u8, vocab } from '../../core/index.js';
import type { LinkKind } from './registry.js';
import { interfaceName, type IpJsonFormat, type IpJsonTable } from './ipjson.js';

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

// ip's names of the bond option values, indexed by the value.
const MODE_TEXT = ['balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad', 'balance-tlb', 'balance-alb'];
const ARP_VALIDATE_TEXT = ['none', 'active', 'backup', 'all', 'filter', 'filter_active', 'filter_backup'];
const ARP_ALL_TARGETS_TEXT = ['any', 'all'];
const PRIMARY_RESELECT_TEXT = ['always', 'better', 'failure'];
const FAIL_OVER_MAC_TEXT = ['none', 'active', 'follow'];
const XMIT_HASH_TEXT = ['layer2', 'layer3+4', 'layer2+3', 'encap2+3', 'encap3+4', 'vlan+srcmac'];
const LACP_ACTIVE_TEXT = ['off', 'on'];
const LACP_RATE_TEXT = ['slow', 'fast'];
const AD_SELECT_TEXT = ['stable', 'bandwidth', 'count'];

/** ip's get_name(): the name, or the number as text when the table has none. */
const named =
  (names: readonly string[]): IpJsonFormat =>
  (v: number) =>
    names[v] ?? String(v);

const adInfoJson: IpJsonFormat = (v: { getAttr(a: never): unknown }) => {
  const out: Record<string, unknown> = {};
  const keys = [
    ['IFLA_BOND_AD_INFO_AGGREGATOR', 'aggregator'],
    ['IFLA_BOND_AD_INFO_NUM_PORTS', 'num_ports'],
    ['IFLA_BOND_AD_INFO_ACTOR_KEY', 'actor_key'],
    ['IFLA_BOND_AD_INFO_PARTNER_KEY', 'partner_key'],
    ['IFLA_BOND_AD_INFO_PARTNER_MAC', 'partner_mac'],
  ] as const;
  for (const [attr, key] of keys) {
    const x = v.getAttr(attr as never);
    if (x !== undefined) out[key] = x;
  }
  return out;
};

/** `ip -j -d` keys of the bond options, in ip's order. */
export const bondIpJson: IpJsonTable = [
  ['IFLA_BOND_MODE', 'mode', named(MODE_TEXT)],
  ['IFLA_BOND_ACTIVE_SLAVE', 'active_slave', interfaceName],
  ['IFLA_BOND_MIIMON', 'miimon'],
  ['IFLA_BOND_UPDELAY', 'updelay'],
  ['IFLA_BOND_DOWNDELAY', 'downdelay'],
  ['IFLA_BOND_PEER_NOTIF_DELAY', 'peer_notify_delay'],
  ['IFLA_BOND_USE_CARRIER', 'use_carrier'],
  ['IFLA_BOND_ARP_INTERVAL', 'arp_interval'],
  ['IFLA_BOND_MISSED_MAX', 'arp_missed_max'],
  ['IFLA_BOND_ARP_IP_TARGET', 'arp_ip_target', (v: string[]) => (v.length ? v : undefined)],
  ['IFLA_BOND_NS_IP6_TARGET', 'ns_ip6_target', (v: string[]) => (v.length ? v : undefined)],
  // ip prints null for "none" in JSON.
  ['IFLA_BOND_ARP_VALIDATE', 'arp_validate', (v: number) => (v ? named(ARP_VALIDATE_TEXT)(v, undefined!) : null)],
  ['IFLA_BOND_ARP_ALL_TARGETS', 'arp_all_targets', named(ARP_ALL_TARGETS_TEXT)],
  ['IFLA_BOND_PRIMARY', 'primary', interfaceName],
  ['IFLA_BOND_PRIMARY_RESELECT', 'primary_reselect', named(PRIMARY_RESELECT_TEXT)],
  ['IFLA_BOND_FAIL_OVER_MAC', 'fail_over_mac', named(FAIL_OVER_MAC_TEXT)],
  ['IFLA_BOND_XMIT_HASH_POLICY', 'xmit_hash_policy', named(XMIT_HASH_TEXT)],
  ['IFLA_BOND_RESEND_IGMP', 'resend_igmp'],
  ['IFLA_BOND_NUM_PEER_NOTIF', 'num_peer_notif'],
  ['IFLA_BOND_ALL_SLAVES_ACTIVE', 'all_slaves_active'],
  ['IFLA_BOND_MIN_LINKS', 'min_links'],
  ['IFLA_BOND_LP_INTERVAL', 'lp_interval'],
  ['IFLA_BOND_PACKETS_PER_SLAVE', 'packets_per_slave'],
  ['IFLA_BOND_AD_LACP_ACTIVE', 'ad_lacp_active', named(LACP_ACTIVE_TEXT)],
  ['IFLA_BOND_AD_LACP_RATE', 'ad_lacp_rate', named(LACP_RATE_TEXT)],
  ['IFLA_BOND_AD_SELECT', 'ad_select', named(AD_SELECT_TEXT)],
  ['IFLA_BOND_AD_INFO', 'ad_info', adInfoJson],
  ['IFLA_BOND_AD_ACTOR_SYS_PRIO', 'ad_actor_sys_prio'],
  ['IFLA_BOND_AD_USER_PORT_KEY', 'ad_user_port_key'],
  ['IFLA_BOND_AD_ACTOR_SYSTEM', 'ad_actor_system'],
  ['IFLA_BOND_TLB_DYNAMIC_LB', 'tlb_dynamic_lb'],
];

export const bond: LinkKind = {
  kind: 'bond',
  data: nested(bondAttrs),
  dataMap: bondAttrs,
  vocab: bondVocab,
  ipJson: bondIpJson,
};
