// IP-in-IP tunnels (ipip, sit, ip6tnl): IFLA_IPTUN_*.
import { attrMap, be16, be32, flag, ipaddr, ipv4, ipv6, nested, u16, u32, u8, vocab } from '../../core/index.js';
import type { LinkKind } from './registry.js';

const common = {
  IFLA_IPTUN_LINK: [1, u32],
  // IPv4 for ipip/sit, IPv6 for ip6tnl: told apart by length.
  IFLA_IPTUN_LOCAL: [2, ipaddr],
  IFLA_IPTUN_REMOTE: [3, ipaddr],
  IFLA_IPTUN_TTL: [4, u8],
  IFLA_IPTUN_TOS: [5, u8],
  IFLA_IPTUN_ENCAP_LIMIT: [6, u8],
  IFLA_IPTUN_FLOWINFO: [7, be32],
  IFLA_IPTUN_PROTO: [9, u8],
  IFLA_IPTUN_PMTUDISC: [10, u8],
  IFLA_IPTUN_6RD_PREFIX: [11, ipv6],
  IFLA_IPTUN_6RD_RELAY_PREFIX: [12, ipv4],
  IFLA_IPTUN_6RD_PREFIXLEN: [13, u16],
  IFLA_IPTUN_6RD_RELAY_PREFIXLEN: [14, u16],
  IFLA_IPTUN_ENCAP_TYPE: [15, u16],
  IFLA_IPTUN_ENCAP_FLAGS: [16, u16],
  IFLA_IPTUN_ENCAP_SPORT: [17, be16],
  IFLA_IPTUN_ENCAP_DPORT: [18, be16],
  IFLA_IPTUN_COLLECT_METADATA: [19, flag],
  IFLA_IPTUN_FWMARK: [20, u32],
} as const;

/** ipip and sit: IFLA_IPTUN_FLAGS is 16 bits (SIT_ISATAP). */
export const iptunAttrs = attrMap('ifla_iptun', { ...common, IFLA_IPTUN_FLAGS: [8, u16] });
/** ip6tnl: IFLA_IPTUN_FLAGS is 32 bits (IP6_TNL_F_*). */
export const ip6tnlAttrs = attrMap('ifla_ip6tnl', { ...common, IFLA_IPTUN_FLAGS: [8, u32] });

/** The friendly names of the ip tunnel options (ipip, sit, ip6tnl), flat in a link spec or record. */
const iptunNames = {
  iptunLink: 'IFLA_IPTUN_LINK',
  iptunLocal: 'IFLA_IPTUN_LOCAL',
  iptunRemote: 'IFLA_IPTUN_REMOTE',
  iptunTtl: 'IFLA_IPTUN_TTL',
  iptunTos: 'IFLA_IPTUN_TOS',
  iptunEncapLimit: 'IFLA_IPTUN_ENCAP_LIMIT',
  iptunFlowinfo: 'IFLA_IPTUN_FLOWINFO',
  iptunProto: 'IFLA_IPTUN_PROTO',
  iptunPmtudisc: 'IFLA_IPTUN_PMTUDISC',
  iptun6rdPrefix: 'IFLA_IPTUN_6RD_PREFIX',
  iptun6rdRelayPrefix: 'IFLA_IPTUN_6RD_RELAY_PREFIX',
  iptun6rdPrefixlen: 'IFLA_IPTUN_6RD_PREFIXLEN',
  iptun6rdRelayPrefixlen: 'IFLA_IPTUN_6RD_RELAY_PREFIXLEN',
  iptunEncapType: 'IFLA_IPTUN_ENCAP_TYPE',
  iptunEncapFlags: 'IFLA_IPTUN_ENCAP_FLAGS',
  iptunEncapSport: 'IFLA_IPTUN_ENCAP_SPORT',
  iptunEncapDport: 'IFLA_IPTUN_ENCAP_DPORT',
  iptunCollectMetadata: 'IFLA_IPTUN_COLLECT_METADATA',
  iptunFwmark: 'IFLA_IPTUN_FWMARK',
  iptunFlags: 'IFLA_IPTUN_FLAGS',
} as const;

export const iptunVocab = vocab('ip tunnel options', iptunAttrs, undefined, { attrs: iptunNames });
export const ip6tnlVocab = vocab('ip6 tunnel options', ip6tnlAttrs, undefined, { attrs: iptunNames });

const k = (kind: string, map: typeof iptunAttrs): LinkKind => ({
  kind,
  data: nested(map),
  dataMap: map,
  vocab: map === ip6tnlAttrs ? ip6tnlVocab : iptunVocab,
});
export const iptunKinds: LinkKind[] = [k('ipip', iptunAttrs), k('sit', iptunAttrs), k('ip6tnl', ip6tnlAttrs)];
