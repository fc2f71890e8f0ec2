// rtnl.rtmsg: routes (RTM_NEWROUTE/DELROUTE/GETROUTE). struct rtmsg + RTA_*, with
// RTA_MULTIPATH next hops, RTA_METRICS and light-weight tunnel encapsulations.
import {
  MessageSchema,
  asciiz,
  attrMap,
  be16,
  be32,
  be64,
  binary,
  enumOf,
  OPEN,
  flagsOf,
  ipaddr,
  ipv4,
  ipv6,
  nested,
  registerMessageClass,
  s32,
  struct,
  u16,
  u32,
  u64,
  u8,
  vocab,
  enumNames,
  type AttrMap,
  type AttrSet,
  type NlaType,
} from '../core/index.js';
import {
  AF,
  ICMPV6_ROUTER_PREF,
  LWTUNNEL_ENCAP,
  RTAX,
  RTM,
  RTM_F,
  RTN,
  RTNH_F,
  RTPROT,
  RT_SCOPE,
  RT_TABLE,
} from './constants.js';
import {
  mplsLabels,
  multipath,
  rtvia,
  selectBy,
  seg6Encap,
  srh,
  type RtNexthop,
  type RtVia,
  type Seg6Encap,
} from './types.js';

/** struct rtmsg. rtm_table is 8 bits: tables above 255 travel in RTA_TABLE (with rtm_table = RT_TABLE_UNSPEC). */
export const rtmsgHeader = struct('rtmsg', {
  // Open: multicast routes come in RTNL_FAMILY_IPMR (128) and RTNL_FAMILY_IP6MR (129).
  family: enumOf(u8, AF, OPEN),
  dst_len: u8,
  src_len: u8,
  tos: u8,
  table: enumOf(u8, RT_TABLE, OPEN),
  proto: enumOf(u8, RTPROT, OPEN),
  scope: enumOf(u8, RT_SCOPE, OPEN),
  type: enumOf(u8, RTN),
  flags: flagsOf(u32, RTM_F),
});

/** RTA_METRICS children (RTAX_*): all u32 but the congestion-control name. */
export const rtaxAttrs = attrMap('rtax', {
  ...Object.fromEntries(Object.entries(RTAX).map(([k, v]) => [k, [v, u32] as const])),
  RTAX_LOCK: [RTAX.RTAX_LOCK, flagsOf(u32, Object.fromEntries(Object.entries(RTAX).map(([k, v]) => [k, 1 << v])))],
  RTAX_FEATURES: [
    RTAX.RTAX_FEATURES,
    flagsOf(u32, {
      RTAX_FEATURE_ECN: 1,
      RTAX_FEATURE_SACK: 2,
      RTAX_FEATURE_TIMESTAMP: 4,
      RTAX_FEATURE_ALLFRAG: 8,
      RTAX_FEATURE_TCP_USEC_TS: 16,
    }),
  ],
  RTAX_CC_ALGO: [RTAX.RTAX_CC_ALGO, asciiz],
} as Record<string, readonly [number, NlaType<any, any>]>);

// ---- encapsulations (RTA_ENCAP by RTA_ENCAP_TYPE) ------------------------------------

const mplsEncap = attrMap('mpls_iptunnel', {
  MPLS_IPTUNNEL_DST: [1, mplsLabels],
  MPLS_IPTUNNEL_TTL: [2, u8],
});

/** Tunnel-key flags (TUNNEL_* bits of LWTUNNEL_IP_FLAGS, big-endian). */
const TUNNEL_FLAGS = {
  TUNNEL_CSUM: 0x01,
  TUNNEL_ROUTING: 0x02,
  TUNNEL_KEY: 0x04,
  TUNNEL_SEQ: 0x08,
  TUNNEL_STRICT: 0x10,
  TUNNEL_REC: 0x20,
  TUNNEL_VERSION: 0x40,
  TUNNEL_NO_KEY: 0x80,
  TUNNEL_DONT_FRAGMENT: 0x100,
  TUNNEL_OAM: 0x200,
  TUNNEL_CRIT_OPT: 0x400,
  TUNNEL_GENEVE_OPT: 0x800,
  TUNNEL_VXLAN_OPT: 0x1000,
  TUNNEL_NOCACHE: 0x2000,
  TUNNEL_ERSPAN_OPT: 0x4000,
  TUNNEL_GTP_OPT: 0x8000,
} as const;
const ipOpts = attrMap('lwtunnel_ip_opts', {
  LWTUNNEL_IP_OPTS_GENEVE: [
    1,
    nested(
      attrMap('lwtunnel_ip_opt_geneve', {
        LWTUNNEL_IP_OPT_GENEVE_CLASS: [1, be16],
        LWTUNNEL_IP_OPT_GENEVE_TYPE: [2, u8],
        LWTUNNEL_IP_OPT_GENEVE_DATA: [3, binary],
      }),
    ),
  ],
  LWTUNNEL_IP_OPTS_VXLAN: [2, nested(attrMap('lwtunnel_ip_opt_vxlan', { LWTUNNEL_IP_OPT_VXLAN_GBP: [1, u32] }))],
  LWTUNNEL_IP_OPTS_ERSPAN: [
    3,
    nested(
      attrMap('lwtunnel_ip_opt_erspan', {
        LWTUNNEL_IP_OPT_ERSPAN_VER: [1, u8],
        LWTUNNEL_IP_OPT_ERSPAN_INDEX: [2, be32],
        LWTUNNEL_IP_OPT_ERSPAN_DIR: [3, u8],
        LWTUNNEL_IP_OPT_ERSPAN_HWID: [4, u8],
      }),
    ),
  ],
});
const ipEncap = attrMap('lwtunnel_ip', {
  LWTUNNEL_IP_ID: [1, be64],
  LWTUNNEL_IP_DST: [2, ipv4],
  LWTUNNEL_IP_SRC: [3, ipv4],
  LWTUNNEL_IP_TTL: [4, u8],
  LWTUNNEL_IP_TOS: [5, u8],
  LWTUNNEL_IP_FLAGS: [6, flagsOf(be16, TUNNEL_FLAGS)],
  LWTUNNEL_IP_PAD: [7, binary],
  LWTUNNEL_IP_OPTS: [8, nested(ipOpts)],
});
const ip6Encap = attrMap('lwtunnel_ip6', {
  LWTUNNEL_IP6_ID: [1, be64],
  LWTUNNEL_IP6_DST: [2, ipv6],
  LWTUNNEL_IP6_SRC: [3, ipv6],
  LWTUNNEL_IP6_HOPLIMIT: [4, u8],
  LWTUNNEL_IP6_TC: [5, u8],
  LWTUNNEL_IP6_FLAGS: [6, flagsOf(be16, TUNNEL_FLAGS)],
  LWTUNNEL_IP6_PAD: [7, binary],
  LWTUNNEL_IP6_OPTS: [8, nested(ipOpts)],
});
const ilaEncap = attrMap('ila', {
  ILA_ATTR_LOCATOR: [1, u64],
  ILA_ATTR_IDENTIFIER: [2, u64],
  ILA_ATTR_LOCATOR_MATCH: [3, u64],
  ILA_ATTR_IFINDEX: [4, s32],
  ILA_ATTR_DIR: [5, u32],
  ILA_ATTR_PAD: [6, binary],
  ILA_ATTR_CSUM_MODE: [7, u8],
  ILA_ATTR_IDENT_TYPE: [8, u8],
  ILA_ATTR_HOOK_TYPE: [9, u8],
});
export const SEG6_IPTUN_MODE = {
  SEG6_IPTUN_MODE_INLINE: 0,
  SEG6_IPTUN_MODE_ENCAP: 1,
  SEG6_IPTUN_MODE_L2ENCAP: 2,
  SEG6_IPTUN_MODE_ENCAP_RED: 3,
  SEG6_IPTUN_MODE_L2ENCAP_RED: 4,
} as const;
const seg6EncapAttrs = attrMap('seg6_iptunnel', { SEG6_IPTUNNEL_SRH: [1, seg6Encap] });
const SEG6_LOCAL_ACTION = {
  SEG6_LOCAL_ACTION_UNSPEC: 0,
  SEG6_LOCAL_ACTION_END: 1,
  SEG6_LOCAL_ACTION_END_X: 2,
  SEG6_LOCAL_ACTION_END_T: 3,
  SEG6_LOCAL_ACTION_END_DX2: 4,
  SEG6_LOCAL_ACTION_END_DX6: 5,
  SEG6_LOCAL_ACTION_END_DX4: 6,
  SEG6_LOCAL_ACTION_END_DT6: 7,
  SEG6_LOCAL_ACTION_END_DT4: 8,
  SEG6_LOCAL_ACTION_END_B6: 9,
  SEG6_LOCAL_ACTION_END_B6_ENCAP: 10,
  SEG6_LOCAL_ACTION_END_BM: 11,
  SEG6_LOCAL_ACTION_END_S: 12,
  SEG6_LOCAL_ACTION_END_AS: 13,
  SEG6_LOCAL_ACTION_END_AM: 14,
  SEG6_LOCAL_ACTION_END_BPF: 15,
  SEG6_LOCAL_ACTION_END_DT46: 16,
} as const;
const bpfProg = attrMap('lwt_bpf_prog', { LWT_BPF_PROG_FD: [1, u32], LWT_BPF_PROG_NAME: [2, asciiz] });
const seg6LocalEncap = attrMap('seg6_local', {
  SEG6_LOCAL_ACTION: [1, enumOf(u32, SEG6_LOCAL_ACTION)],
  SEG6_LOCAL_SRH: [2, srh],
  SEG6_LOCAL_TABLE: [3, u32],
  SEG6_LOCAL_NH4: [4, ipv4],
  SEG6_LOCAL_NH6: [5, ipv6],
  SEG6_LOCAL_IIF: [6, u32],
  SEG6_LOCAL_OIF: [7, u32],
  SEG6_LOCAL_BPF: [
    8,
    nested(attrMap('seg6_local_bpf', { SEG6_LOCAL_BPF_PROG: [1, u32], SEG6_LOCAL_BPF_PROG_NAME: [2, asciiz] })),
  ],
  SEG6_LOCAL_VRFTABLE: [9, u32],
  SEG6_LOCAL_COUNTERS: [
    10,
    nested(
      attrMap('seg6_local_cnt', {
        SEG6_LOCAL_CNT_PAD: [1, binary],
        SEG6_LOCAL_CNT_PACKETS: [2, u64],
        SEG6_LOCAL_CNT_BYTES: [3, u64],
        SEG6_LOCAL_CNT_ERRORS: [4, u64],
      }),
    ),
  ],
  SEG6_LOCAL_FLAVORS: [
    11,
    nested(
      attrMap('seg6_local_flv', {
        SEG6_LOCAL_FLV_OPERATION: [1, u32],
        SEG6_LOCAL_FLV_LCBLOCK_BITS: [2, u8],
        SEG6_LOCAL_FLV_LCNODE_FN_BITS: [3, u8],
      }),
    ),
  ],
});
const bpfEncap = attrMap('lwt_bpf', {
  LWT_BPF_IN: [1, nested(bpfProg)],
  LWT_BPF_OUT: [2, nested(bpfProg)],
  LWT_BPF_XMIT: [3, nested(bpfProg)],
  LWT_BPF_XMIT_HEADROOM: [4, u32],
});
// struct ipv6_rpl_sr_hdr carries compressed segments: kept as bytes.
const rplEncap = attrMap('rpl_iptunnel', { RPL_IPTUNNEL_SRH: [1, binary] });
const ioam6Encap = attrMap('ioam6_iptunnel', {
  IOAM6_IPTUNNEL_MODE: [
    1,
    enumOf(u8, { IOAM6_IPTUNNEL_MODE_INLINE: 1, IOAM6_IPTUNNEL_MODE_ENCAP: 2, IOAM6_IPTUNNEL_MODE_AUTO: 3 }),
  ],
  IOAM6_IPTUNNEL_DST: [2, ipv6],
  // struct ioam6_trace_hdr: namespace, bit fields, trace type; the node data follows.
  IOAM6_IPTUNNEL_TRACE: [3, struct('ioam6_trace_hdr', { namespace_id: be16, nodelen: u8, remlen: u8, type: be32 })],
  IOAM6_IPTUNNEL_FREQ_K: [4, u32],
  IOAM6_IPTUNNEL_FREQ_N: [5, u32],
  IOAM6_IPTUNNEL_SRC: [6, ipv6],
});
const xfrmEncap = attrMap('lwt_xfrm', { LWT_XFRM_IF_ID: [1, u32], LWT_XFRM_LINK: [2, u32] });

/** RTA_ENCAP (and NHA_ENCAP) types by LWTUNNEL_ENCAP name. */
export const encaps: Record<string, NlaType<any, any>> = {};
for (const [name, map] of [
  ['MPLS', mplsEncap],
  ['IP', ipEncap],
  ['ILA', ilaEncap],
  ['IP6', ip6Encap],
  ['SEG6', seg6EncapAttrs],
  ['BPF', bpfEncap],
  ['SEG6_LOCAL', seg6LocalEncap],
  ['RPL', rplEncap],
  ['IOAM6', ioam6Encap],
  ['XFRM', xfrmEncap],
] as const) {
  const id = LWTUNNEL_ENCAP[`LWTUNNEL_ENCAP_${name}`];
  // select() looks choices up by the sibling's value: a number when decoded, a name when given.
  encaps[id] = encaps[`LWTUNNEL_ENCAP_${name}`] = encaps[name.toLowerCase()] = nested(map as AttrMap<any>);
}

// ---- RTA_* ------------------------------------------------------------------------------

/** Every RTA_* attribute (also the attributes of each RTA_MULTIPATH next hop). */
export const rtaAttrs = attrMap('rta', {
  RTA_DST: [1, ipaddr],
  RTA_SRC: [2, ipaddr],
  RTA_IIF: [3, u32],
  RTA_OIF: [4, u32],
  RTA_GATEWAY: [5, ipaddr],
  RTA_PRIORITY: [6, u32],
  RTA_PREFSRC: [7, ipaddr],
  RTA_METRICS: [8, nested(rtaxAttrs)],
  RTA_MULTIPATH: [9, multipath((): AttrMap<any> => rtaAttrs)],
  RTA_PROTOINFO: [10, binary], // no longer used
  RTA_FLOW: [11, u32],
  RTA_CACHEINFO: [
    12,
    struct('rta_cacheinfo', {
      rta_clntref: u32,
      rta_lastuse: u32,
      rta_expires: s32,
      rta_error: u32,
      rta_used: u32,
      rta_id: u32,
      rta_ts: u32,
      rta_tsage: u32,
    }),
  ],
  RTA_SESSION: [13, binary], // no longer used
  RTA_MP_ALGO: [14, binary], // no longer used
  RTA_TABLE: [15, enumOf(u32, RT_TABLE, OPEN)],
  RTA_MARK: [16, u32],
  RTA_MFC_STATS: [17, struct('rta_mfc_stats', { mfcs_packets: u64, mfcs_bytes: u64, mfcs_wrong_if: u64 })],
  RTA_VIA: [18, rtvia],
  RTA_NEWDST: [19, mplsLabels],
  RTA_PREF: [20, enumOf(u8, ICMPV6_ROUTER_PREF)],
  RTA_ENCAP_TYPE: [21, enumOf(u16, LWTUNNEL_ENCAP)],
  RTA_ENCAP: [22, selectBy((get) => get('RTA_ENCAP_TYPE'), encaps, { flag: true })],
  RTA_EXPIRES: [23, u32],
  RTA_PAD: [24, binary],
  RTA_UID: [25, u32],
  RTA_TTL_PROPAGATE: [26, u8],
  RTA_IP_PROTO: [27, u8],
  RTA_SPORT: [28, be16],
  RTA_DPORT: [29, be16],
  RTA_NH_ID: [30, u32],
  RTA_FLOWLABEL: [31, be32],
});

/** The route message class. */
export const rtmsg = new MessageSchema('rtnl.rtmsg', rtmsgHeader, rtaAttrs, {
  familyField: 'family',
  types: { RTM_NEWROUTE: RTM.RTM_NEWROUTE, RTM_DELROUTE: RTM.RTM_DELROUTE, RTM_GETROUTE: RTM.RTM_GETROUTE },
});
registerMessageClass(rtmsg);

/** Marshal policy entries of this file (spread by marshal.ts). */
export const policy: Record<number, MessageSchema<any, any>> = {
  [RTM.RTM_NEWROUTE]: rtmsg,
  [RTM.RTM_DELROUTE]: rtmsg,
  [RTM.RTM_GETROUTE]: rtmsg,
};

export type RtMessage = ReturnType<typeof rtmsg.decode>;

// ---- vocabulary: the friendly names of routes in specs and records ------------------------

/** A gateway of another family (RTA_VIA) in records: its address; the family follows from it. */
function viaRecord(v: RtVia): string {
  return v.addr;
}

const encapNames = enumNames(LWTUNNEL_ENCAP);
const seg6Modes = enumNames(SEG6_IPTUN_MODE);

/** An encapsulation in records: `{ type: 'mpls', labels: '100/200' }`, `{ type: 'seg6', mode, segs }`, else raw. */
function encapRecord(set: AttrSet<any>): Record<string, unknown> {
  const a = (n: string): any => set.getAttr(n as never);
  if (set.map === mplsEncap) {
    const out: Record<string, unknown> = { type: 'mpls', labels: a('MPLS_IPTUNNEL_DST') };
    if (a('MPLS_IPTUNNEL_TTL') !== undefined) out.ttl = a('MPLS_IPTUNNEL_TTL');
    return out;
  }
  if (set.map === seg6EncapAttrs) {
    const e = a('SEG6_IPTUNNEL_SRH') as Seg6Encap | undefined;
    // The header lists the segments last-first; specs give them in travel order.
    return { type: 'seg6', mode: seg6Modes.short(e?.mode ?? 0), segs: [...(e?.segments ?? [])].reverse() };
  }
  const type = set.parent?.getAttr('RTA_ENCAP_TYPE');
  return { type: typeof type === 'number' ? encapNames.short(type) : 'none', attrs: set.attrsJSON() };
}

const rtnhFlags = enumNames(RTNH_F);

/** RTA_MULTIPATH in records: `[{ gateway, oif, weight, flags }]`, as route specs take them. */
function nexthopsRecord(list: RtNexthop[]): Record<string, unknown>[] {
  return list.map((nh) => {
    const r: Record<string, unknown> = {};
    nexthopVocab.readAttrs(nh.attrs, r);
    if (nh.ifindex) r.oif = nh.ifindex;
    r.weight = nh.hops + 1;
    if (nh.flags) r.flags = rtnhFlags.flags(nh.flags);
    return r;
  });
}

/** Route metrics (RTA_METRICS): `{ mtu: 1400, advmss: 1360, lock: ['mtu'] }`. */
export const metricsVocab = vocab('route metrics', rtaxAttrs, undefined, {
  attrs: {
    lock: 'RTAX_LOCK',
    mtu: 'RTAX_MTU',
    window: 'RTAX_WINDOW',
    rtt: 'RTAX_RTT',
    rttvar: 'RTAX_RTTVAR',
    ssthresh: 'RTAX_SSTHRESH',
    cwnd: 'RTAX_CWND',
    advmss: 'RTAX_ADVMSS',
    reordering: 'RTAX_REORDERING',
    hoplimit: 'RTAX_HOPLIMIT',
    initcwnd: 'RTAX_INITCWND',
    features: 'RTAX_FEATURES',
    rtoMin: 'RTAX_RTO_MIN',
    initrwnd: 'RTAX_INITRWND',
    quickack: 'RTAX_QUICKACK',
    ccAlgo: 'RTAX_CC_ALGO',
    fastopenNoCookie: 'RTAX_FASTOPEN_NO_COOKIE',
  },
});

/** One next hop of RTA_MULTIPATH: the attributes it may carry. */
export const nexthopVocab = vocab('next hop', rtaAttrs, undefined, {
  attrs: { gateway: 'RTA_GATEWAY', via: 'RTA_VIA', newdst: 'RTA_NEWDST', encap: 'RTA_ENCAP', flow: 'RTA_FLOW' },
  convert: { via: viaRecord, encap: encapRecord },
});

/**
 * Routes: `{ dst: '10.0.0.0/24', gateway, oif, table: 'main', priority, metrics, multipath }`.
 * `table` is rtm_table or RTA_TABLE (ids above 255); `dst`/`src` take 'addr/len';
 * `via`, `encap`, `multipath` and `newdst` have shapes of their own (route.ts).
 */
export const routeVocab = vocab('route', rtaAttrs, rtmsgHeader, {
  fields: {
    family: 'family',
    dstLen: 'dst_len',
    srcLen: 'src_len',
    tos: 'tos',
    table: 'table',
    proto: 'proto',
    scope: 'scope',
    type: 'type',
    flags: 'flags',
  },
  attrs: {
    dst: 'RTA_DST',
    src: 'RTA_SRC',
    iif: 'RTA_IIF',
    oif: 'RTA_OIF',
    gateway: 'RTA_GATEWAY',
    priority: 'RTA_PRIORITY',
    prefsrc: 'RTA_PREFSRC',
    metrics: 'RTA_METRICS',
    flow: 'RTA_FLOW',
    mark: 'RTA_MARK',
    pref: 'RTA_PREF',
    expires: 'RTA_EXPIRES',
    uid: 'RTA_UID',
    ttlPropagate: 'RTA_TTL_PROPAGATE',
    ipProto: 'RTA_IP_PROTO',
    sport: 'RTA_SPORT',
    dport: 'RTA_DPORT',
    nhId: 'RTA_NH_ID',
    flowlabel: 'RTA_FLOWLABEL',
    via: 'RTA_VIA',
    newdst: 'RTA_NEWDST',
    encap: 'RTA_ENCAP',
    multipath: 'RTA_MULTIPATH',
    table: 'RTA_TABLE',
  },
  // pyroute2's names.
  aliases: {
    dst_len: 'dstLen',
    src_len: 'srcLen',
    metric: 'priority',
    rtm_table: 'table',
    rtm_type: 'type',
    rtm_scope: 'scope',
    rtm_protocol: 'proto',
    protocol: 'proto',
    nh_id: 'nhId',
  },
  nests: { metrics: metricsVocab },
  convert: { via: viaRecord, encap: encapRecord, multipath: nexthopsRecord },
});
