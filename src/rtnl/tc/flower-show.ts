// A flower filter as tc shows it: the handle and class, the keys one per line (each value with
// its mask only when the mask is partial), the classifier flags, then the actions.
import { parseIPv4, parseIPv6, parseMac, type AttrSet } from '../../core/index.js';
import { ethProtoText } from '../kinds/ipjson.js';
import { showActions } from './action.js';
import { showEncOpts } from './flower-enc-opts.js';
import type { flowerMap } from './flower.js';
import { classidText, type TcShow } from './show.js';

type Flower = AttrSet<typeof flowerMap.decl>;
type Key = keyof typeof flowerMap.decl;

const ETH_P_IP = 0x0800,
  ETH_P_IPV6 = 0x86dd;
const IPPROTO = { icmp: 1, tcp: 6, udp: 17, icmpv6: 58, sctp: 132 } as const;
// Class ids whose minor picks a hardware traffic class (TC_H_MIN_PRIORITY .. + TC_QOPT_MAX_QUEUE - 1).
const TC_H_MIN_PRIORITY = 0xffe0,
  TC_QOPT_MAX_QUEUE = 16;
const TCA_CLS_FLAGS_SKIP_HW = 1,
  TCA_CLS_FLAGS_SKIP_SW = 2,
  TCA_CLS_FLAGS_IN_HW = 4,
  TCA_CLS_FLAGS_NOT_IN_HW = 8;
const KEY_FLAGS: readonly [number, string][] = [
  [1, 'frag'],
  [2, 'firstfrag'],
];
// tc's conntrack state words, in the order it prints them.
const CT_STATES: readonly [number, string][] = [
  [8, 'trk'],
  [1, 'new'],
  [2, 'est'],
  [4, 'rel'],
  [16, 'inv'],
  [32, 'rpl'],
];

const ETH_TYPE_TEXT: Readonly<Record<number, string>> = {
  0x0800: 'ipv4',
  0x86dd: 'ipv6',
  0x0806: 'arp',
  0x8035: 'rarp',
};
const IP_PROTO_TEXT: Readonly<Record<number, string>> = { 6: 'tcp', 17: 'udp', 132: 'sctp', 1: 'icmp', 58: 'icmpv6' };

// PPP protocol names as tc knows them (ppp_defs.h); the first name of a shared number wins.
const PPP_PROTO_TEXT: Readonly<Record<number, string>> = {
  0x21: 'ip',
  0x29: 'at',
  0x2b: 'ipx',
  0x2d: 'vjc_comp',
  0x2f: 'vjc_uncomp',
  0x3d: 'mp',
  0x57: 'ipv6',
  0xfb: 'compfrag',
  0xfd: 'comp',
  0x0281: 'mpls_uc',
  0x0283: 'mpls_mc',
  0x8021: 'ipcp',
  0x8029: 'atcp',
  0x802b: 'ipxcp',
  0x8057: 'ipv6cp',
  0x80fb: 'ccpfrag',
  0x80fd: 'ccp',
  0xc021: 'lcp',
  0xc023: 'pap',
  0xc025: 'lqr',
  0xc223: 'chap',
  0xc029: 'cbcp',
};

/** Leading one bits of a mask, or -1 when it is not a prefix (or is all zero). */
function maskBits(bytes: Uint8Array): number {
  let bits = 0,
    hole = false;
  for (const b of bytes) {
    for (let j = 7; j >= 0; j--) {
      if ((b >> j) & 1) {
        if (hole) return -1;
        bits++;
      } else if (bits) hole = true;
      else return -1;
    }
  }
  return bits;
}

/** `value`, `value/bits` or `value/mask` as tc writes an address with its mask. */
function withMask(value: string, mask: string, bytes: Uint8Array | undefined): string {
  if (!bytes) return value;
  const bits = maskBits(bytes);
  if (bits < 0) return `${value}/${mask}`;
  return bits < bytes.length * 8 ? `${value}/${bits}` : value;
}

/** The shape of tc's keys: a newline, two spaces, then `name value`. */
function line(p: TcShow, name: string, value: unknown, text = String(value)): void {
  p.text('\n').put(name, value, `  ${name} ${text}`);
}

/** print_masked_u8/u16/be16/u32: the number, and its mask in hex when partial. */
function maskedNumber(p: TcShow, o: Flower, name: string, attr: Key, max: number): void {
  const v = o.getAttr(attr) as number | undefined;
  if (v === undefined) return;
  const m = (o.getAttr(`${attr}_MASK` as Key) as number | undefined) ?? max;
  line(p, name, v);
  if (m !== max) p.put(`${name}_mask`, m.toString(16), `/0x${m.toString(16)}`);
}

/** flower_print_masked_u8: a decimal string (or a name), a decimal mask after a slash. */
function maskedU8Text(p: TcShow, o: Flower, name: string, attr: Key, mattr?: Key, names?: Record<number, string>) {
  const v = o.getAttr(attr) as number | undefined;
  if (v === undefined) return;
  const m = mattr ? ((o.getAttr(mattr) as number | undefined) ?? 0xff) : 0xff;
  const s = (m === 0xff && names?.[v]) || String(v);
  line(p, name, m === 0xff ? s : `${s}/${m}`);
}

function macKey(p: TcShow, o: Flower, name: string, attr: Key, mattr: Key): void {
  const v = o.getAttr(attr) as string | undefined;
  if (v === undefined || v.split(':').length !== 6) return;
  const m = o.getAttr(mattr) as string | undefined;
  const text = m !== undefined && m.split(':').length === 6 ? withMask(v, m, parseMac(m)) : v;
  line(p, name, text);
}

/** An address key with its mask (tc shows none when the kernel sent no mask). */
function ipKey(p: TcShow, o: Flower, name: string, attr: Key | undefined, mattr: Key | undefined, v6: boolean) {
  if (!attr || !mattr) return;
  const v = o.getAttr(attr) as string | undefined,
    m = o.getAttr(mattr) as string | undefined;
  if (v === undefined || m === undefined) return;
  line(p, name, withMask(v, m, v6 ? parseIPv6(m) : parseIPv4(m)));
}

function ipPair(p: TcShow, o: Flower, name: string, ethType: number, v4: Key, v6: Key): void {
  if (ethType === ETH_P_IP) ipKey(p, o, name, v4, `${v4}_MASK` as Key, false);
  else if (ethType === ETH_P_IPV6) ipKey(p, o, name, v6, `${v6}_MASK` as Key, true);
}

/** Port keys exist for TCP, UDP and SCTP only. */
function portAttr(proto: number, end: 'SRC' | 'DST'): Key | undefined {
  const name = proto === IPPROTO.tcp ? 'TCP' : proto === IPPROTO.udp ? 'UDP' : proto === IPPROTO.sctp ? 'SCTP' : '';
  return name ? (`TCA_FLOWER_KEY_${name}_${end}` as Key) : undefined;
}

function portRange(p: TcShow, o: Flower, name: string, end: 'SRC' | 'DST'): void {
  const min = o.getAttr(`TCA_FLOWER_KEY_PORT_${end}_MIN` as Key) as number | undefined,
    max = o.getAttr(`TCA_FLOWER_KEY_PORT_${end}_MAX` as Key) as number | undefined;
  if (min === undefined || max === undefined) return;
  p.open(name).put('start', min).put('end', max).close();
  p.text(`\n  ${name} ${min}-${max}`);
}

function icmpKey(p: TcShow, o: Flower, ethType: number, proto: number, field: 'TYPE' | 'CODE'): void {
  const fam =
    ethType === ETH_P_IP && proto === IPPROTO.icmp
      ? 'ICMPV4'
      : ethType === ETH_P_IPV6 && proto === IPPROTO.icmpv6
        ? 'ICMPV6'
        : undefined;
  if (!fam) return;
  const attr = `TCA_FLOWER_KEY_${fam}_${field}` as Key;
  maskedU8Text(p, o, `icmp_${field.toLowerCase()}`, attr, `${attr}_MASK` as Key);
}

function ipFlags(p: TcShow, o: Flower): void {
  const v = (o.getAttr('TCA_FLOWER_KEY_FLAGS') as number | undefined) ?? 0,
    m = o.getAttr('TCA_FLOWER_KEY_FLAGS_MASK') as number | undefined;
  if (m === undefined) return;
  const set = KEY_FLAGS.filter(([bit]) => m & bit);
  if (!set.length) return;
  p.text('\n  ip_flags ').open('ip_flags');
  set.forEach(([bit, name], i) => p.put(name, !!(v & bit), `${i ? '/' : ''}${v & bit ? '' : 'no'}${name}`));
  p.close();
}

function ctKeys(p: TcShow, o: Flower): void {
  const state = o.getAttr('TCA_FLOWER_KEY_CT_STATE');
  if (state !== undefined) {
    const mask = o.getAttr('TCA_FLOWER_KEY_CT_STATE_MASK') ?? 0xffff;
    const words = CT_STATES.filter(([bit]) => mask & bit).map(([bit, w]) => `${state & bit ? '+' : '-'}${w}`);
    line(p, 'ct_state', words.join(''));
  }
  maskedNumber(p, o, 'ct_zone', 'TCA_FLOWER_KEY_CT_ZONE', 0xffff);
  maskedNumber(p, o, 'ct_mark', 'TCA_FLOWER_KEY_CT_MARK', 0xffffffff);
  const labels = o.getAttr('TCA_FLOWER_KEY_CT_LABELS') as Buffer | undefined;
  if (labels) {
    const mask = (o.getAttr('TCA_FLOWER_KEY_CT_LABELS_MASK') as Buffer | undefined) ?? Buffer.alloc(0);
    const full = labels.length === 16 && mask.length >= 16 && mask.subarray(0, 16).every((b) => b === 0xff);
    const text = labels.toString('hex') + (full ? '' : `/${mask.subarray(0, labels.length).toString('hex')}`);
    line(p, 'ct_label', text);
  }
}

function vlanKeys(p: TcShow, o: Flower): void {
  for (const [name, attr] of [
    ['num_of_vlans', 'TCA_FLOWER_KEY_NUM_OF_VLANS'],
    ['vlan_id', 'TCA_FLOWER_KEY_VLAN_ID'],
    ['vlan_prio', 'TCA_FLOWER_KEY_VLAN_PRIO'],
  ] as const) {
    const v = o.getAttr(attr);
    if (v !== undefined) line(p, name, v);
  }
  const et = o.getAttr('TCA_FLOWER_KEY_VLAN_ETH_TYPE');
  if (et !== undefined) line(p, 'vlan_ethtype', ethProtoText(et));
  for (const [name, attr] of [
    ['cvlan_id', 'TCA_FLOWER_KEY_CVLAN_ID'],
    ['cvlan_prio', 'TCA_FLOWER_KEY_CVLAN_PRIO'],
  ] as const) {
    const v = o.getAttr(attr);
    if (v !== undefined) line(p, name, v);
  }
  const cet = o.getAttr('TCA_FLOWER_KEY_CVLAN_ETH_TYPE');
  if (cet !== undefined) line(p, 'cvlan_ethtype', ethProtoText(cet));
}

function mplsKeys(p: TcShow, o: Flower): void {
  const lses = o.getAttr('TCA_FLOWER_KEY_MPLS_OPTS');
  if (lses) {
    p.text('\n  mpls').openArray('mpls');
    for (const lse of lses) {
      p.text('\n    lse').open(null);
      for (const [key, attr] of [
        ['depth', 'TCA_FLOWER_KEY_MPLS_OPT_LSE_DEPTH'],
        ['label', 'TCA_FLOWER_KEY_MPLS_OPT_LSE_LABEL'],
        ['tc', 'TCA_FLOWER_KEY_MPLS_OPT_LSE_TC'],
        ['bos', 'TCA_FLOWER_KEY_MPLS_OPT_LSE_BOS'],
        ['ttl', 'TCA_FLOWER_KEY_MPLS_OPT_LSE_TTL'],
      ] as const) {
        const v = lse.getAttr(attr);
        if (v !== undefined) p.put(key, v, ` ${key} ${v}`);
      }
      p.close();
    }
    p.close();
  }
  const label = o.getAttr('TCA_FLOWER_KEY_MPLS_LABEL');
  if (label !== undefined) line(p, 'mpls_label', label);
  maskedU8Text(p, o, 'mpls_tc', 'TCA_FLOWER_KEY_MPLS_TC');
  maskedU8Text(p, o, 'mpls_bos', 'TCA_FLOWER_KEY_MPLS_BOS');
  maskedU8Text(p, o, 'mpls_ttl', 'TCA_FLOWER_KEY_MPLS_TTL');
}

function l4Keys(p: TcShow, o: Flower, ethType: number, proto: number): void {
  for (const [name, end] of [
    ['dst_port', 'DST'],
    ['src_port', 'SRC'],
  ] as const) {
    const attr = portAttr(proto, end);
    if (attr) maskedNumber(p, o, name, attr, 0xffff);
  }
  if (portAttr(proto, 'DST')) {
    portRange(p, o, 'dst_port', 'DST');
    portRange(p, o, 'src_port', 'SRC');
  }
  const flags = o.getAttr('TCA_FLOWER_KEY_TCP_FLAGS');
  if (flags !== undefined) {
    const m = o.getAttr('TCA_FLOWER_KEY_TCP_FLAGS_MASK');
    line(p, 'tcp_flags', `0x${flags.toString(16)}${m === undefined ? '' : `/${m.toString(16)}`}`);
  }
  icmpKey(p, o, ethType, proto, 'TYPE');
  icmpKey(p, o, ethType, proto, 'CODE');
}

function arpKeys(p: TcShow, o: Flower): void {
  ipKey(p, o, 'arp_sip', 'TCA_FLOWER_KEY_ARP_SIP', 'TCA_FLOWER_KEY_ARP_SIP_MASK', false);
  ipKey(p, o, 'arp_tip', 'TCA_FLOWER_KEY_ARP_TIP', 'TCA_FLOWER_KEY_ARP_TIP_MASK', false);
  maskedU8Text(p, o, 'arp_op', 'TCA_FLOWER_KEY_ARP_OP', 'TCA_FLOWER_KEY_ARP_OP_MASK', { 1: 'request', 2: 'reply' });
  macKey(p, o, 'arp_sha', 'TCA_FLOWER_KEY_ARP_SHA', 'TCA_FLOWER_KEY_ARP_SHA_MASK');
  macKey(p, o, 'arp_tha', 'TCA_FLOWER_KEY_ARP_THA', 'TCA_FLOWER_KEY_ARP_THA_MASK');
  const sid = o.getAttr('TCA_FLOWER_KEY_PPPOE_SID');
  if (sid !== undefined) line(p, 'pppoe_sid', sid);
  const ppp = o.getAttr('TCA_FLOWER_KEY_PPP_PROTO');
  if (ppp !== undefined) line(p, 'ppp_proto', PPP_PROTO_TEXT[ppp] ?? `[${ppp}]`);
}

function encKeys(p: TcShow, o: Flower): void {
  const v4 = (a: Key): number => (o.getAttr(a) !== undefined ? ETH_P_IP : ETH_P_IPV6);
  const dstFam = v4('TCA_FLOWER_KEY_ENC_IPV4_DST_MASK'),
    srcFam = v4('TCA_FLOWER_KEY_ENC_IPV4_SRC_MASK');
  ipPair(p, o, 'enc_dst_ip', dstFam, 'TCA_FLOWER_KEY_ENC_IPV4_DST', 'TCA_FLOWER_KEY_ENC_IPV6_DST');
  ipPair(p, o, 'enc_src_ip', srcFam, 'TCA_FLOWER_KEY_ENC_IPV4_SRC', 'TCA_FLOWER_KEY_ENC_IPV6_SRC');
  const id = o.getAttr('TCA_FLOWER_KEY_ENC_KEY_ID');
  if (id !== undefined) line(p, 'enc_key_id', id);
  maskedNumber(p, o, 'enc_dst_port', 'TCA_FLOWER_KEY_ENC_UDP_DST_PORT', 0xffff);
  maskedNumber(p, o, 'enc_tos', 'TCA_FLOWER_KEY_ENC_IP_TOS', 0xff);
  maskedNumber(p, o, 'enc_ttl', 'TCA_FLOWER_KEY_ENC_IP_TTL', 0xff);
  showEncOpts(p, o.getAttr('TCA_FLOWER_KEY_ENC_OPTS'), o.getAttr('TCA_FLOWER_KEY_ENC_OPTS_MASK'));
}

function clsFlags(p: TcShow, o: Flower): void {
  const flags = o.getAttr('TCA_FLOWER_FLAGS');
  if (flags === undefined) return;
  if (flags & TCA_CLS_FLAGS_SKIP_HW) p.text('\n').put('skip_hw', true, '  skip_hw');
  if (flags & TCA_CLS_FLAGS_SKIP_SW) p.text('\n').put('skip_sw', true, '  skip_sw');
  if (flags & TCA_CLS_FLAGS_IN_HW) {
    p.text('\n').put('in_hw', true, '  in_hw');
    const count = o.getAttr('TCA_FLOWER_IN_HW_COUNT');
    if (count !== undefined) p.put('in_hw_count', count, ` in_hw_count ${count}`);
  } else if (flags & TCA_CLS_FLAGS_NOT_IN_HW) p.text('\n').put('not_in_hw', true, '  not_in_hw');
}

/** `tc filter show` of a flower filter (`keys` holds the match, as in tc's JSON). */
export function showFlower(p: TcShow, o: Flower, handle: number): void {
  if (handle) p.put('handle', handle, `handle 0x${handle.toString(16)} `);
  const classid = o.getAttr('TCA_FLOWER_CLASSID');
  if (classid !== undefined) {
    const min = classid & 0xffff;
    if (min < TC_H_MIN_PRIORITY || min > TC_H_MIN_PRIORITY + TC_QOPT_MAX_QUEUE - 1)
      p.put('classid', classidText(classid), `classid ${classidText(classid)} `);
    else p.put('hw_tc', min - TC_H_MIN_PRIORITY, `hw_tc ${min - TC_H_MIN_PRIORITY} `);
  }
  const indev = o.getAttr('TCA_FLOWER_INDEV');
  if (indev !== undefined) line(p, 'indev', indev);
  p.open('keys');
  vlanKeys(p, o);
  macKey(p, o, 'dst_mac', 'TCA_FLOWER_KEY_ETH_DST', 'TCA_FLOWER_KEY_ETH_DST_MASK');
  macKey(p, o, 'src_mac', 'TCA_FLOWER_KEY_ETH_SRC', 'TCA_FLOWER_KEY_ETH_SRC_MASK');
  const ethType = o.getAttr('TCA_FLOWER_KEY_ETH_TYPE') ?? 0;
  if (o.getAttr('TCA_FLOWER_KEY_ETH_TYPE') !== undefined)
    line(p, 'eth_type', ETH_TYPE_TEXT[ethType] ?? ethType.toString(16).padStart(4, '0'));
  const proto = o.getAttr('TCA_FLOWER_KEY_IP_PROTO') ?? 0xff;
  if (o.getAttr('TCA_FLOWER_KEY_IP_PROTO') !== undefined)
    line(p, 'ip_proto', IP_PROTO_TEXT[proto] ?? proto.toString(16).padStart(2, '0'));
  maskedNumber(p, o, 'ip_tos', 'TCA_FLOWER_KEY_IP_TOS', 0xff);
  maskedNumber(p, o, 'ip_ttl', 'TCA_FLOWER_KEY_IP_TTL', 0xff);
  mplsKeys(p, o);
  ipPair(p, o, 'dst_ip', ethType, 'TCA_FLOWER_KEY_IPV4_DST', 'TCA_FLOWER_KEY_IPV6_DST');
  ipPair(p, o, 'src_ip', ethType, 'TCA_FLOWER_KEY_IPV4_SRC', 'TCA_FLOWER_KEY_IPV6_SRC');
  l4Keys(p, o, ethType, proto);
  arpKeys(p, o);
  encKeys(p, o);
  ipFlags(p, o);
  ctKeys(p, o);
  p.close();
  clsFlags(p, o);
  showActions(p, o.getAttr('TCA_FLOWER_ACT'));
}
