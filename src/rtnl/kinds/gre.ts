// GRE family (gre, gretap, ip6gre, ip6gretap, erspan, ip6erspan): IFLA_GRE_*.
import { attrMap, be16, be32, flag, ipaddr, nested, u16, u32, u8, flagsOf, vocab } from '../../core/index.js';
import type { LinkKind } from './registry.js';
import { hex0x, type IpJsonFormat, type IpJsonTable, interfaceName } from './ipjson.js';
import { anyAddr, IP6_TNL_F, ip6TclassFlowJson, externalFirst } from './tunjson.js';

/** GRE header flags as they sit in IFLA_GRE_IFLAGS/OFLAGS (big-endian). */
export const GRE_FLAGS = {
  GRE_CSUM: 0x8000,
  GRE_ROUTING: 0x4000,
  GRE_KEY: 0x2000,
  GRE_SEQ: 0x1000,
  GRE_STRICT: 0x0800,
} as const;
/** Encapsulation over UDP (IFLA_*_ENCAP_TYPE). */
export const TUNNEL_ENCAP = {
  TUNNEL_ENCAP_NONE: 0,
  TUNNEL_ENCAP_FOU: 1,
  TUNNEL_ENCAP_GUE: 2,
  TUNNEL_ENCAP_MPLS: 3,
} as const;
export const TUNNEL_ENCAP_FLAG = {
  TUNNEL_ENCAP_FLAG_CSUM: 1,
  TUNNEL_ENCAP_FLAG_CSUM6: 2,
  TUNNEL_ENCAP_FLAG_REMCSUM: 4,
} as const;

export const greAttrs = attrMap('ifla_gre', {
  IFLA_GRE_LINK: [1, u32],
  IFLA_GRE_IFLAGS: [2, flagsOf(be16, GRE_FLAGS)],
  IFLA_GRE_OFLAGS: [3, flagsOf(be16, GRE_FLAGS)],
  IFLA_GRE_IKEY: [4, be32],
  IFLA_GRE_OKEY: [5, be32],
  // IPv4 for gre/gretap/erspan, IPv6 for the ip6 variants: told apart by length.
  IFLA_GRE_LOCAL: [6, ipaddr],
  IFLA_GRE_REMOTE: [7, ipaddr],
  IFLA_GRE_TTL: [8, u8],
  IFLA_GRE_TOS: [9, u8],
  IFLA_GRE_PMTUDISC: [10, u8],
  IFLA_GRE_ENCAP_LIMIT: [11, u8],
  IFLA_GRE_FLOWINFO: [12, be32],
  IFLA_GRE_FLAGS: [13, u32],
  IFLA_GRE_ENCAP_TYPE: [14, u16],
  IFLA_GRE_ENCAP_FLAGS: [15, flagsOf(u16, TUNNEL_ENCAP_FLAG)],
  IFLA_GRE_ENCAP_SPORT: [16, be16],
  IFLA_GRE_ENCAP_DPORT: [17, be16],
  IFLA_GRE_COLLECT_METADATA: [18, flag],
  IFLA_GRE_IGNORE_DF: [19, u8],
  IFLA_GRE_FWMARK: [20, u32],
  IFLA_GRE_ERSPAN_INDEX: [21, u32],
  IFLA_GRE_ERSPAN_VER: [22, u8],
  IFLA_GRE_ERSPAN_DIR: [23, u8],
  IFLA_GRE_ERSPAN_HWID: [24, u16],
});

/** The friendly names of the gre options, flat in a link spec or record. */
export const greVocab = vocab('gre options', greAttrs, undefined, {
  attrs: {
    greLink: 'IFLA_GRE_LINK',
    greIflags: 'IFLA_GRE_IFLAGS',
    greOflags: 'IFLA_GRE_OFLAGS',
    greIkey: 'IFLA_GRE_IKEY',
    greOkey: 'IFLA_GRE_OKEY',
    greLocal: 'IFLA_GRE_LOCAL',
    greRemote: 'IFLA_GRE_REMOTE',
    greTtl: 'IFLA_GRE_TTL',
    greTos: 'IFLA_GRE_TOS',
    grePmtudisc: 'IFLA_GRE_PMTUDISC',
    greEncapLimit: 'IFLA_GRE_ENCAP_LIMIT',
    greFlowinfo: 'IFLA_GRE_FLOWINFO',
    greFlags: 'IFLA_GRE_FLAGS',
    greEncapType: 'IFLA_GRE_ENCAP_TYPE',
    greEncapFlags: 'IFLA_GRE_ENCAP_FLAGS',
    greEncapSport: 'IFLA_GRE_ENCAP_SPORT',
    greEncapDport: 'IFLA_GRE_ENCAP_DPORT',
    greCollectMetadata: 'IFLA_GRE_COLLECT_METADATA',
    greIgnoreDf: 'IFLA_GRE_IGNORE_DF',
    greFwmark: 'IFLA_GRE_FWMARK',
    greErspanIndex: 'IFLA_GRE_ERSPAN_INDEX',
    greErspanVer: 'IFLA_GRE_ERSPAN_VER',
    greErspanDir: 'IFLA_GRE_ERSPAN_DIR',
    greErspanHwid: 'IFLA_GRE_ERSPAN_HWID',
  },
});

/** A GRE key as ip prints it: the four bytes as a dotted quad. */
const keyText = (v: number): string => [24, 16, 8, 0].map((b) => (v >>> b) & 0xff).join('.');
const flagsOfGre = (data: { getAttr(a: never): unknown }, attr: string): number =>
  (data.getAttr(attr as never) as number | undefined) ?? 0;
const ipFlag =
  (attr: string, bit: number): IpJsonFormat =>
  (_v, { data }) =>
    flagsOfGre(data, attr) & bit ? true : undefined;

/** What ip prints of the GRE header's keys, sequence and checksum flags, and erspan. */
const greTail: IpJsonTable = [
  [
    'IFLA_GRE_IKEY',
    'ikey',
    (v, { data }) => (flagsOfGre(data, 'IFLA_GRE_IFLAGS') & GRE_FLAGS.GRE_KEY ? keyText(v) : undefined),
  ],
  [
    'IFLA_GRE_OKEY',
    'okey',
    (v, { data }) => (flagsOfGre(data, 'IFLA_GRE_OFLAGS') & GRE_FLAGS.GRE_KEY ? keyText(v) : undefined),
  ],
  ['IFLA_GRE_IFLAGS', 'iseq', ipFlag('IFLA_GRE_IFLAGS', GRE_FLAGS.GRE_SEQ)],
  ['IFLA_GRE_OFLAGS', 'oseq', ipFlag('IFLA_GRE_OFLAGS', GRE_FLAGS.GRE_SEQ)],
  ['IFLA_GRE_IFLAGS', 'icsum', ipFlag('IFLA_GRE_IFLAGS', GRE_FLAGS.GRE_CSUM)],
  ['IFLA_GRE_OFLAGS', 'ocsum', ipFlag('IFLA_GRE_OFLAGS', GRE_FLAGS.GRE_CSUM)],
];
const erspanTail: IpJsonTable = [
  ['IFLA_GRE_ERSPAN_INDEX', 'erspan_index'],
  ['IFLA_GRE_ERSPAN_VER', 'erspan_ver'],
  ['IFLA_GRE_ERSPAN_DIR', 'erspan_dir', (v: number) => (v ? 'egress' : 'ingress')],
  ['IFLA_GRE_ERSPAN_HWID', 'erspan_hwid', (v: number) => `0x${v.toString(16)}`],
];

/** `ip -j -d` keys of gre, gretap and erspan: `external` first in metadata mode, then the tunnel's options. */
export const greIpJson: IpJsonTable = externalFirst('IFLA_GRE_COLLECT_METADATA', [
  ['IFLA_GRE_REMOTE', 'remote', anyAddr],
  ['IFLA_GRE_LOCAL', 'local', anyAddr],
  ['IFLA_GRE_LINK', 'link', interfaceName],
  ['IFLA_GRE_TTL', 'ttl'],
  ['IFLA_GRE_TOS', 'tos', (v: number) => (v ? hex0x(v) : undefined)],
  ['IFLA_GRE_PMTUDISC', 'pmtudisc', (v: number) => !!v],
  ['IFLA_GRE_IGNORE_DF', 'ignore_df', (v: number) => (v ? true : undefined)],
  ...greTail,
  ['IFLA_GRE_FWMARK', 'fwmark', (v: number) => (v ? hex0x(v) : undefined)],
  ...erspanTail,
]);

/** `ip -j -d` keys of ip6gre, ip6gretap and ip6erspan. */
export const ip6greIpJson: IpJsonTable = externalFirst('IFLA_GRE_COLLECT_METADATA', [
  ['IFLA_GRE_REMOTE', 'remote', anyAddr],
  ['IFLA_GRE_LOCAL', 'local', anyAddr],
  ['IFLA_GRE_LINK', 'link', interfaceName],
  ['IFLA_GRE_TTL', 'ttl'],
  ...ip6TclassFlowJson('IFLA_GRE_FLAGS', 'IFLA_GRE_ENCAP_LIMIT', 'IFLA_GRE_FLOWINFO'),
  ...greTail,
  [
    'IFLA_GRE_FWMARK',
    '',
    (v: number, { data }) =>
      flagsOfGre(data, 'IFLA_GRE_FLAGS') & IP6_TNL_F.IP6_TNL_F_USE_ORIG_FWMARK
        ? { ip6_tnl_f_use_orig_fwmark: true }
        : v
          ? { fwmark: hex0x(v) }
          : undefined,
  ],
  ...erspanTail,
]);

const data = nested(greAttrs);
const gk = (kind: string): LinkKind => ({
  kind,
  data,
  dataMap: greAttrs,
  vocab: greVocab,
  ipJson: kind.startsWith('ip6') ? ip6greIpJson : greIpJson,
});
export const greKinds: LinkKind[] = ['gre', 'gretap', 'ip6gre', 'ip6gretap', 'erspan', 'ip6erspan'].map(gk);
