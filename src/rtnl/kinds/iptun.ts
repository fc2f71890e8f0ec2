// IP-in-IP tunnels (ipip, sit, ip6tnl): IFLA_IPTUN_*.
import { attrMap, be16, be32, flag, ipaddr, ipv4, ipv6, nested, u16, u32, u8, vocab } from '../../core/index.js';
import type { LinkKind } from './registry.js';
import { hex0x, interfaceName, type IpJsonTable } from './ipjson.js';
import { anyAddr, IP6_TNL_F, ip6TclassFlowJson, externalFirst } from './tunjson.js';

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

const IPPROTO_IPIP = 4;
const IPPROTO_IPV6 = 41;
const IPPROTO_MPLS = 137;
const SIT_ISATAP = 0x1;
const fwmarkJson = (v: number): string | undefined => (v ? hex0x(v) : undefined);

/** `ip -j -d` keys of ipip and sit. */
export const iptunIpJson: IpJsonTable = externalFirst('IFLA_IPTUN_COLLECT_METADATA', [
  [
    'IFLA_IPTUN_PROTO',
    'proto',
    (v: number) => ({ [IPPROTO_IPIP]: 'ipip', [IPPROTO_IPV6]: 'ip6ip', [IPPROTO_MPLS]: 'mplsip', 0: 'any' })[v],
  ],
  ['IFLA_IPTUN_REMOTE', 'remote', anyAddr],
  ['IFLA_IPTUN_LOCAL', 'local', anyAddr],
  ['IFLA_IPTUN_LINK', 'link', interfaceName],
  ['IFLA_IPTUN_TTL', 'ttl'],
  ['IFLA_IPTUN_TOS', 'tos', (v: number) => (v ? hex0x(v) : undefined)],
  ['IFLA_IPTUN_PMTUDISC', 'pmtudisc', (v: number) => !!v],
  ['IFLA_IPTUN_FLAGS', 'isatap', (v: number) => (v & SIT_ISATAP ? true : undefined)],
  [
    'IFLA_IPTUN_6RD_PREFIXLEN',
    '',
    (len: number, { data }) => {
      if (!len) return undefined;
      const g = (a: string): any => data.getAttr(a as never);
      const relay = g('IFLA_IPTUN_6RD_RELAY_PREFIX');
      return {
        prefix: g('IFLA_IPTUN_6RD_PREFIX'),
        prefixlen: len,
        ...(relay && relay !== '0.0.0.0'
          ? { relay_prefix: relay, relay_prefixlen: g('IFLA_IPTUN_6RD_RELAY_PREFIXLEN') }
          : {}),
      };
    },
  ],
  ['IFLA_IPTUN_FWMARK', 'fwmark', fwmarkJson],
]);

const ip6Flag = (bit: number) => (v: number) => (v & bit ? true : undefined);

/** `ip -j -d` keys of ip6tnl. */
export const ip6tnlIpJson: IpJsonTable = externalFirst('IFLA_IPTUN_COLLECT_METADATA', [
  ['IFLA_IPTUN_PROTO', 'proto', (v: number) => ({ [IPPROTO_IPIP]: 'ipip6', [IPPROTO_IPV6]: 'ip6ip6', 0: 'any' })[v]],
  ['IFLA_IPTUN_REMOTE', 'remote'],
  ['IFLA_IPTUN_LOCAL', 'local'],
  ['IFLA_IPTUN_LINK', 'link', interfaceName],
  ['IFLA_IPTUN_TTL', 'ttl'],
  ...ip6TclassFlowJson('IFLA_IPTUN_FLAGS', 'IFLA_IPTUN_ENCAP_LIMIT', 'IFLA_IPTUN_FLOWINFO'),
  ['IFLA_IPTUN_FLAGS', 'ip6_tnl_f_mip6_dev', ip6Flag(IP6_TNL_F.IP6_TNL_F_MIP6_DEV)],
  ['IFLA_IPTUN_FLAGS', 'ip6_tnl_f_allow_local_remote', ip6Flag(IP6_TNL_F.IP6_TNL_F_ALLOW_LOCAL_REMOTE)],
  [
    'IFLA_IPTUN_FWMARK',
    '',
    (v: number, { data }) =>
      ((data.getAttr('IFLA_IPTUN_FLAGS' as never) as number | undefined) ?? 0) & IP6_TNL_F.IP6_TNL_F_USE_ORIG_FWMARK
        ? { ip6_tnl_f_use_orig_fwmark: true }
        : v
          ? { fwmark: hex0x(v) }
          : undefined,
  ],
]);

const k = (kind: string, map: typeof iptunAttrs): LinkKind => ({
  kind,
  data: nested(map),
  dataMap: map,
  vocab: map === ip6tnlAttrs ? ip6tnlVocab : iptunVocab,
  ipJson: map === ip6tnlAttrs ? ip6tnlIpJson : iptunIpJson,
});
export const iptunKinds: LinkKind[] = [k('ipip', iptunAttrs), k('sit', iptunAttrs), k('ip6tnl', ip6tnlAttrs)];
