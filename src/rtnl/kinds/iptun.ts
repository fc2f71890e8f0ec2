// IP-in-IP tunnels (ipip, sit, ip6tnl): IFLA_IPTUN_*.
import { attrMap, be16, be32, flag, ipaddr, ipv4, ipv6, nested, u16, u32, u8 } from '../../core/index.js';
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

const k = (kind: string, map: typeof iptunAttrs): LinkKind => ({ kind, data: nested(map), dataMap: map, specPrefix: 'iptun', attrPrefix: 'IFLA_IPTUN_' });
export const iptunKinds: LinkKind[] = [k('ipip', iptunAttrs), k('sit', iptunAttrs), k('ip6tnl', ip6tnlAttrs)];
