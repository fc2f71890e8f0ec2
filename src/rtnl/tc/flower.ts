// flower filter: match on L2-L4 header fields, tunnel metadata and conntrack state (pkt_cls.h
// TCA_FLOWER_*). Values and masks travel as separate attributes; specs take tc's 'value/mask'.
import {
  NetlinkEncodeError,
  asciiz,
  attrMap,
  be16,
  be32,
  binary,
  ipv4,
  ipv6,
  l2addr,
  nested,
  nestedArray,
  u16,
  u32,
  u8,
} from '../../core/index.js';
import { actionList, buildActions, type ActionSpec } from './action.js';
import { flowerEncOptsMap } from './flower-enc-opts.js';
import { showFlower } from './flower-show.js';
import {
  ETH_P,
  checkKeys,
  classFlags,
  num,
  parseHandle,
  parseProtocol,
  tcHandle,
  type TcKind,
  type TcSpec,
} from './common.js';

export const CT_STATE = {
  new: 1,
  established: 2,
  related: 4,
  tracked: 8,
  invalid: 16,
  reply: 32,
} as const;
const CT_SHORT: Record<string, keyof typeof CT_STATE> = {
  new: 'new',
  est: 'established',
  rel: 'related',
  trk: 'tracked',
  inv: 'invalid',
  rpl: 'reply',
};
export const FLOWER_KEY_FLAGS = { frag: 1, firstfrag: 2 } as const;

/** One MPLS label stack entry of a multi-label match (TCA_FLOWER_KEY_MPLS_OPT_LSE_*). */
export const flowerMplsLseMap = attrMap('tca_flower_key_mpls_opt_lse', {
  TCA_FLOWER_KEY_MPLS_OPT_LSE_DEPTH: [1, u8],
  TCA_FLOWER_KEY_MPLS_OPT_LSE_TTL: [2, u8],
  TCA_FLOWER_KEY_MPLS_OPT_LSE_BOS: [3, u8],
  TCA_FLOWER_KEY_MPLS_OPT_LSE_TC: [4, u8],
  TCA_FLOWER_KEY_MPLS_OPT_LSE_LABEL: [5, u32],
});

export const flowerMap = attrMap('tca_flower', {
  TCA_FLOWER_CLASSID: [1, tcHandle],
  TCA_FLOWER_INDEV: [2, asciiz],
  TCA_FLOWER_ACT: [3, actionList],
  TCA_FLOWER_KEY_ETH_DST: [4, l2addr],
  TCA_FLOWER_KEY_ETH_DST_MASK: [5, l2addr],
  TCA_FLOWER_KEY_ETH_SRC: [6, l2addr],
  TCA_FLOWER_KEY_ETH_SRC_MASK: [7, l2addr],
  TCA_FLOWER_KEY_ETH_TYPE: [8, be16],
  TCA_FLOWER_KEY_IP_PROTO: [9, u8],
  TCA_FLOWER_KEY_IPV4_SRC: [10, ipv4],
  TCA_FLOWER_KEY_IPV4_SRC_MASK: [11, ipv4],
  TCA_FLOWER_KEY_IPV4_DST: [12, ipv4],
  TCA_FLOWER_KEY_IPV4_DST_MASK: [13, ipv4],
  TCA_FLOWER_KEY_IPV6_SRC: [14, ipv6],
  TCA_FLOWER_KEY_IPV6_SRC_MASK: [15, ipv6],
  TCA_FLOWER_KEY_IPV6_DST: [16, ipv6],
  TCA_FLOWER_KEY_IPV6_DST_MASK: [17, ipv6],
  TCA_FLOWER_KEY_TCP_SRC: [18, be16],
  TCA_FLOWER_KEY_TCP_DST: [19, be16],
  TCA_FLOWER_KEY_UDP_SRC: [20, be16],
  TCA_FLOWER_KEY_UDP_DST: [21, be16],
  TCA_FLOWER_FLAGS: [22, u32],
  TCA_FLOWER_KEY_VLAN_ID: [23, u16],
  TCA_FLOWER_KEY_VLAN_PRIO: [24, u8],
  TCA_FLOWER_KEY_VLAN_ETH_TYPE: [25, be16],
  TCA_FLOWER_KEY_ENC_KEY_ID: [26, be32],
  TCA_FLOWER_KEY_ENC_IPV4_SRC: [27, ipv4],
  TCA_FLOWER_KEY_ENC_IPV4_SRC_MASK: [28, ipv4],
  TCA_FLOWER_KEY_ENC_IPV4_DST: [29, ipv4],
  TCA_FLOWER_KEY_ENC_IPV4_DST_MASK: [30, ipv4],
  TCA_FLOWER_KEY_ENC_IPV6_SRC: [31, ipv6],
  TCA_FLOWER_KEY_ENC_IPV6_SRC_MASK: [32, ipv6],
  TCA_FLOWER_KEY_ENC_IPV6_DST: [33, ipv6],
  TCA_FLOWER_KEY_ENC_IPV6_DST_MASK: [34, ipv6],
  TCA_FLOWER_KEY_TCP_SRC_MASK: [35, be16],
  TCA_FLOWER_KEY_TCP_DST_MASK: [36, be16],
  TCA_FLOWER_KEY_UDP_SRC_MASK: [37, be16],
  TCA_FLOWER_KEY_UDP_DST_MASK: [38, be16],
  TCA_FLOWER_KEY_SCTP_SRC_MASK: [39, be16],
  TCA_FLOWER_KEY_SCTP_DST_MASK: [40, be16],
  TCA_FLOWER_KEY_SCTP_SRC: [41, be16],
  TCA_FLOWER_KEY_SCTP_DST: [42, be16],
  TCA_FLOWER_KEY_ENC_UDP_SRC_PORT: [43, be16],
  TCA_FLOWER_KEY_ENC_UDP_SRC_PORT_MASK: [44, be16],
  TCA_FLOWER_KEY_ENC_UDP_DST_PORT: [45, be16],
  TCA_FLOWER_KEY_ENC_UDP_DST_PORT_MASK: [46, be16],
  TCA_FLOWER_KEY_FLAGS: [47, be32],
  TCA_FLOWER_KEY_FLAGS_MASK: [48, be32],
  TCA_FLOWER_KEY_ICMPV4_CODE: [49, u8],
  TCA_FLOWER_KEY_ICMPV4_CODE_MASK: [50, u8],
  TCA_FLOWER_KEY_ICMPV4_TYPE: [51, u8],
  TCA_FLOWER_KEY_ICMPV4_TYPE_MASK: [52, u8],
  TCA_FLOWER_KEY_ICMPV6_CODE: [53, u8],
  TCA_FLOWER_KEY_ICMPV6_CODE_MASK: [54, u8],
  TCA_FLOWER_KEY_ICMPV6_TYPE: [55, u8],
  TCA_FLOWER_KEY_ICMPV6_TYPE_MASK: [56, u8],
  TCA_FLOWER_KEY_ARP_SIP: [57, ipv4],
  TCA_FLOWER_KEY_ARP_SIP_MASK: [58, ipv4],
  TCA_FLOWER_KEY_ARP_TIP: [59, ipv4],
  TCA_FLOWER_KEY_ARP_TIP_MASK: [60, ipv4],
  TCA_FLOWER_KEY_ARP_OP: [61, u8],
  TCA_FLOWER_KEY_ARP_OP_MASK: [62, u8],
  TCA_FLOWER_KEY_ARP_SHA: [63, l2addr],
  TCA_FLOWER_KEY_ARP_SHA_MASK: [64, l2addr],
  TCA_FLOWER_KEY_ARP_THA: [65, l2addr],
  TCA_FLOWER_KEY_ARP_THA_MASK: [66, l2addr],
  TCA_FLOWER_KEY_MPLS_TTL: [67, u8],
  TCA_FLOWER_KEY_MPLS_BOS: [68, u8],
  TCA_FLOWER_KEY_MPLS_TC: [69, u8],
  TCA_FLOWER_KEY_MPLS_LABEL: [70, u32],
  TCA_FLOWER_KEY_TCP_FLAGS: [71, be16],
  TCA_FLOWER_KEY_TCP_FLAGS_MASK: [72, be16],
  TCA_FLOWER_KEY_IP_TOS: [73, u8],
  TCA_FLOWER_KEY_IP_TOS_MASK: [74, u8],
  TCA_FLOWER_KEY_IP_TTL: [75, u8],
  TCA_FLOWER_KEY_IP_TTL_MASK: [76, u8],
  TCA_FLOWER_KEY_CVLAN_ID: [77, u16],
  TCA_FLOWER_KEY_CVLAN_PRIO: [78, u8],
  TCA_FLOWER_KEY_CVLAN_ETH_TYPE: [79, be16],
  TCA_FLOWER_KEY_ENC_IP_TOS: [80, u8],
  TCA_FLOWER_KEY_ENC_IP_TOS_MASK: [81, u8],
  TCA_FLOWER_KEY_ENC_IP_TTL: [82, u8],
  TCA_FLOWER_KEY_ENC_IP_TTL_MASK: [83, u8],
  TCA_FLOWER_KEY_ENC_OPTS: [84, nested(flowerEncOptsMap)],
  TCA_FLOWER_KEY_ENC_OPTS_MASK: [85, nested(flowerEncOptsMap)],
  TCA_FLOWER_IN_HW_COUNT: [86, u32],
  TCA_FLOWER_KEY_PORT_SRC_MIN: [87, be16],
  TCA_FLOWER_KEY_PORT_SRC_MAX: [88, be16],
  TCA_FLOWER_KEY_PORT_DST_MIN: [89, be16],
  TCA_FLOWER_KEY_PORT_DST_MAX: [90, be16],
  TCA_FLOWER_KEY_CT_STATE: [91, u16],
  TCA_FLOWER_KEY_CT_STATE_MASK: [92, u16],
  TCA_FLOWER_KEY_CT_ZONE: [93, u16],
  TCA_FLOWER_KEY_CT_ZONE_MASK: [94, u16],
  TCA_FLOWER_KEY_CT_MARK: [95, u32],
  TCA_FLOWER_KEY_CT_MARK_MASK: [96, u32],
  TCA_FLOWER_KEY_CT_LABELS: [97, binary],
  TCA_FLOWER_KEY_CT_LABELS_MASK: [98, binary],
  TCA_FLOWER_KEY_MPLS_OPTS: [99, nestedArray(nested(flowerMplsLseMap, { flag: true }), { flag: true })],
  TCA_FLOWER_KEY_HASH: [100, u32],
  TCA_FLOWER_KEY_HASH_MASK: [101, u32],
  TCA_FLOWER_KEY_NUM_OF_VLANS: [102, u8],
  TCA_FLOWER_KEY_PPPOE_SID: [103, be16],
  TCA_FLOWER_KEY_PPP_PROTO: [104, be16],
  TCA_FLOWER_KEY_L2TPV3_SID: [105, be32],
});

const IP_PROTO: Record<string, number> = { icmp: 1, tcp: 6, udp: 17, sctp: 132, icmpv6: 58, gre: 47 };

/** 'value/mask' -> [value, mask] (strings), or [value] alone. */
const split = (v: unknown): [string, string?] => {
  const [a, b] = String(v).split('/');
  return [a, b];
};

/** A prefix length as a dotted or colon mask of the address's family. */
function prefixMask(len: number, v6: boolean): string {
  const bytes = Buffer.alloc(v6 ? 16 : 4);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = len >= 8 * (i + 1) ? 0xff : len > 8 * i ? (0xff << (8 - (len - 8 * i))) & 0xff : 0;
  if (!v6) return [...bytes].join('.');
  const parts: string[] = [];
  for (let i = 0; i < 16; i += 2) parts.push(bytes.readUInt16BE(i).toString(16));
  return parts.join(':');
}

function addr(a: [string, unknown][], base: string, v: unknown): void {
  const [ip, pl] = split(v);
  const v6 = ip.includes(':');
  const attr = `TCA_FLOWER_KEY_${base.replace('IP', v6 ? 'IPV6' : 'IPV4')}`;
  a.push([attr, ip]);
  if (pl !== undefined) a.push([`${attr}_MASK`, /^\d+$/.test(pl) ? prefixMask(Number(pl), v6) : pl]);
}

function masked(
  a: [string, unknown][],
  attr: string,
  v: unknown,
  parse: (s: string) => number | string = Number,
): void {
  const [x, m] = split(v);
  a.push([attr, parse(x)]);
  if (m !== undefined) a.push([`${attr}_MASK`, parse(m)]);
}

/** '+trk+est-new' -> state and mask bits (tc's ct_state words). */
export function parseCtState(v: string): { state: number; mask: number } {
  let state = 0,
    mask = 0;
  for (const m of String(v).matchAll(/([+-])([a-z]+)/g)) {
    const bit = CT_STATE[CT_SHORT[m[2]] ?? (m[2] as keyof typeof CT_STATE)];
    if (!bit) throw new NetlinkEncodeError(`flower: unknown ct_state flag ${m[2]} (trk, est, new, rel, inv, rpl)`);
    mask |= bit;
    if (m[1] === '+') state |= bit;
  }
  if (!mask) throw new NetlinkEncodeError(`flower: ct_state needs +flag/-flag words, got ${JSON.stringify(v)}`);
  return { state, mask };
}

const KEYS = [
  'classid',
  'flowid',
  'indev',
  'action',
  'skip_hw',
  'skip_sw',
  'dst_mac',
  'src_mac',
  'eth_type',
  'ip_proto',
  'src_ip',
  'dst_ip',
  'src_port',
  'dst_port',
  'vlan_id',
  'vlan_prio',
  'vlan_ethtype',
  'cvlan_id',
  'cvlan_prio',
  'ip_tos',
  'ip_ttl',
  'tcp_flags',
  'icmp_type',
  'icmp_code',
  'ip_flags',
  'enc_key_id',
  'enc_src_ip',
  'enc_dst_ip',
  'enc_dst_port',
  'enc_src_port',
  'enc_tos',
  'enc_ttl',
  'ct_state',
  'ct_zone',
  'ct_mark',
  'num_of_vlans',
  'protocol',
];

function ports(a: [string, unknown][], proto: number, which: 'SRC' | 'DST', v: unknown): void {
  const s = String(v);
  const range = /^(\d+)-(\d+)$/.exec(s);
  if (range) {
    a.push(
      [`TCA_FLOWER_KEY_PORT_${which}_MIN`, Number(range[1])],
      [`TCA_FLOWER_KEY_PORT_${which}_MAX`, Number(range[2])],
    );
    return;
  }
  const name = proto === 6 ? 'TCP' : proto === 17 ? 'UDP' : proto === 132 ? 'SCTP' : undefined;
  if (!name) throw new NetlinkEncodeError('flower: ports need ip_proto tcp, udp or sctp');
  masked(a, `TCA_FLOWER_KEY_${name}_${which}`, s);
}

/**
 * `{ dst_mac?, src_mac? ('02:00:00:00:00:01[/ff:ff:ff:00:00:00]'), ip_proto?: 'tcp', src_ip?/dst_ip?
 * ('10.0.0.0/8'), src_port?/dst_port? (80 or '1000-2000'), vlan_id?, vlan_prio?, vlan_ethtype?, ip_tos?
 * ('0x10/0xfc'), ip_ttl?, tcp_flags? ('0x02/0x12'), icmp_type?, icmp_code?, ip_flags? ('frag'|'nofrag'),
 * enc_key_id?, enc_src_ip?, enc_dst_ip?, enc_dst_port?, enc_tos?, enc_ttl?, ct_state? ('+trk+est'),
 * ct_zone?, ct_mark? ('5/0xff'), classid?, action?, skip_hw?, skip_sw?, indev? }`; the key ethertype is
 * the filter's protocol, as with tc.
 */
export const flower: TcKind = {
  kind: 'flower',
  options: nested(flowerMap),
  keys: { filter: KEYS },
  keysProtocol: true,
  show: (p, o, _t, handle) => showFlower(p, o, handle),
  filter(spec: TcSpec) {
    checkKeys('flower', spec, KEYS);
    const a: [string, unknown][] = [];
    const classid = spec.classid ?? spec.flowid;
    if (classid !== undefined) a.push(['TCA_FLOWER_CLASSID', parseHandle(classid as string | number, 'classid')]);
    if (spec.indev !== undefined) a.push(['TCA_FLOWER_INDEV', String(spec.indev)]);
    if (spec.action !== undefined) a.push(['TCA_FLOWER_ACT', buildActions(spec.action as ActionSpec)]);
    a.push(['TCA_FLOWER_FLAGS', classFlags(spec)]);
    const ethType = spec.eth_type ?? spec.protocol;
    const vlan = spec.vlan_id !== undefined || spec.vlan_prio !== undefined;
    if (ethType !== undefined && parseProtocol(ethType as string | number) !== ETH_P.all) {
      a.push(['TCA_FLOWER_KEY_ETH_TYPE', parseProtocol(ethType as string | number)]);
    }
    if (vlan) {
      const vid = num(spec, 'vlan_id'),
        prio = num(spec, 'vlan_prio');
      if (vid !== undefined) a.push(['TCA_FLOWER_KEY_VLAN_ID', vid]);
      if (prio !== undefined) a.push(['TCA_FLOWER_KEY_VLAN_PRIO', prio]);
      if (spec.vlan_ethtype !== undefined)
        a.push(['TCA_FLOWER_KEY_VLAN_ETH_TYPE', parseProtocol(spec.vlan_ethtype as string)]);
    }
    if (spec.dst_mac !== undefined) masked(a, 'TCA_FLOWER_KEY_ETH_DST', spec.dst_mac, String);
    if (spec.src_mac !== undefined) masked(a, 'TCA_FLOWER_KEY_ETH_SRC', spec.src_mac, String);
    let proto = 0;
    if (spec.ip_proto !== undefined) {
      // A number in text is hex, as tc reads IP-PROTO.
      const name = String(spec.ip_proto);
      proto =
        typeof spec.ip_proto === 'number'
          ? spec.ip_proto
          : (IP_PROTO[name] ?? (/^(0x)?[0-9a-f]{1,2}$/i.test(name) ? parseInt(name, 16) : NaN));
      if (!Number.isInteger(proto)) throw new NetlinkEncodeError(`flower: unknown ip_proto ${String(spec.ip_proto)}`);
      a.push(['TCA_FLOWER_KEY_IP_PROTO', proto]);
    }
    if (spec.src_ip !== undefined) addr(a, 'IP_SRC', spec.src_ip);
    if (spec.dst_ip !== undefined) addr(a, 'IP_DST', spec.dst_ip);
    if (spec.src_port !== undefined) ports(a, proto, 'SRC', spec.src_port);
    if (spec.dst_port !== undefined) ports(a, proto, 'DST', spec.dst_port);
    if (spec.tcp_flags !== undefined) masked(a, 'TCA_FLOWER_KEY_TCP_FLAGS', spec.tcp_flags);
    if (spec.ip_tos !== undefined) masked(a, 'TCA_FLOWER_KEY_IP_TOS', spec.ip_tos);
    if (spec.ip_ttl !== undefined) masked(a, 'TCA_FLOWER_KEY_IP_TTL', spec.ip_ttl);
    const icmp = proto === 58 ? 'ICMPV6' : 'ICMPV4';
    if (spec.icmp_type !== undefined) masked(a, `TCA_FLOWER_KEY_${icmp}_TYPE`, spec.icmp_type);
    if (spec.icmp_code !== undefined) masked(a, `TCA_FLOWER_KEY_${icmp}_CODE`, spec.icmp_code);
    if (spec.ip_flags !== undefined) {
      // tc's 'frag/nofirstfrag': each flag matched set, or unset with 'no'.
      let value = 0,
        mask = 0;
      for (const f of String(spec.ip_flags).split('/')) {
        const no = f.startsWith('no'),
          bit = FLOWER_KEY_FLAGS[(no ? f.slice(2) : f) as keyof typeof FLOWER_KEY_FLAGS];
        if (!bit)
          throw new NetlinkEncodeError(
            `flower: ip_flags takes frag, nofrag, firstfrag, nofirstfrag (/-joined), got ${f}`,
          );
        mask |= bit;
        if (!no) value |= bit;
      }
      a.push(['TCA_FLOWER_KEY_FLAGS', value], ['TCA_FLOWER_KEY_FLAGS_MASK', mask]);
    }
    const keyId = num(spec, 'enc_key_id');
    if (keyId !== undefined) a.push(['TCA_FLOWER_KEY_ENC_KEY_ID', keyId]);
    if (spec.enc_src_ip !== undefined) addr(a, 'ENC_IP_SRC', spec.enc_src_ip);
    if (spec.enc_dst_ip !== undefined) addr(a, 'ENC_IP_DST', spec.enc_dst_ip);
    if (spec.enc_dst_port !== undefined) masked(a, 'TCA_FLOWER_KEY_ENC_UDP_DST_PORT', spec.enc_dst_port);
    if (spec.enc_src_port !== undefined) masked(a, 'TCA_FLOWER_KEY_ENC_UDP_SRC_PORT', spec.enc_src_port);
    if (spec.enc_tos !== undefined) masked(a, 'TCA_FLOWER_KEY_ENC_IP_TOS', spec.enc_tos);
    if (spec.enc_ttl !== undefined) masked(a, 'TCA_FLOWER_KEY_ENC_IP_TTL', spec.enc_ttl);
    if (spec.ct_state !== undefined) {
      const { state, mask } = parseCtState(String(spec.ct_state));
      a.push(['TCA_FLOWER_KEY_CT_STATE', state], ['TCA_FLOWER_KEY_CT_STATE_MASK', mask]);
    }
    if (spec.ct_zone !== undefined) masked(a, 'TCA_FLOWER_KEY_CT_ZONE', spec.ct_zone);
    if (spec.ct_mark !== undefined) masked(a, 'TCA_FLOWER_KEY_CT_MARK', spec.ct_mark);
    const nv = num(spec, 'num_of_vlans');
    if (nv !== undefined) a.push(['TCA_FLOWER_KEY_NUM_OF_VLANS', nv]);
    return a;
  },
};
