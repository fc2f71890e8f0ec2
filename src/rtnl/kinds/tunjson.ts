// How ip prints the options IP tunnels share (GRE and IP-in-IP, over IPv4 and IPv6).
import { present, type IpJsonFormat, type IpJsonTable } from './ipjson.js';

/** ip6 tunnel flags (IFLA_GRE_FLAGS, IFLA_IPTUN_FLAGS of ip6tnl). */
export const IP6_TNL_F = {
  IP6_TNL_F_IGN_ENCAP_LIMIT: 0x1,
  IP6_TNL_F_USE_ORIG_TCLASS: 0x2,
  IP6_TNL_F_USE_ORIG_FLOWLABEL: 0x4,
  IP6_TNL_F_MIP6_DEV: 0x8,
  IP6_TNL_F_RCV_DSCP_COPY: 0x10,
  IP6_TNL_F_USE_ORIG_FWMARK: 0x20,
  IP6_TNL_F_ALLOW_LOCAL_REMOTE: 0x40,
} as const;
const IP6_FLOWINFO_TCLASS = 0x0ff00000;
const IP6_FLOWINFO_TCLASS_SHIFT = 20;
const IP6_FLOWINFO_FLOWLABEL = 0x000fffff;

/** Metadata-mode tunnels: ip prints `"external": true` first, then the options as usual. */
export function externalFirst(attr: string, table: IpJsonTable): IpJsonTable {
  return [[attr, 'external', present], ...table];
}

/** Address ip prints as "any" when it is all zeros. */
export const anyAddr: IpJsonFormat = (v: string) => (v === '0.0.0.0' || v === '::' ? 'any' : v);

/** The ip6 tunnel options ip prints after the hop limit: encap limit, traffic class, flow label, dscp. */
export function ip6TclassFlowJson(flagsAttr: string, encapLimitAttr: string, flowinfoAttr: string): IpJsonTable {
  const has =
    (bit: number) =>
    (data: { getAttr(a: never): unknown }): boolean =>
      !!(((data.getAttr(flagsAttr as never) as number | undefined) ?? 0) & bit);
  const ign = has(IP6_TNL_F.IP6_TNL_F_IGN_ENCAP_LIMIT);
  const tclass = has(IP6_TNL_F.IP6_TNL_F_USE_ORIG_TCLASS);
  const flowlabel = has(IP6_TNL_F.IP6_TNL_F_USE_ORIG_FLOWLABEL);
  const dscp = has(IP6_TNL_F.IP6_TNL_F_RCV_DSCP_COPY);
  return [
    [encapLimitAttr, '', (v, { data }) => (ign(data) ? { ip6_tnl_f_ign_encap_limit: true } : { encap_limit: v })],
    [
      flowinfoAttr,
      '',
      (v: number, { data }) =>
        tclass(data)
          ? { ip6_tnl_f_use_orig_tclass: true }
          : { tclass: `0x${((v & IP6_FLOWINFO_TCLASS) >>> IP6_FLOWINFO_TCLASS_SHIFT).toString(16).padStart(2, '0')}` },
    ],
    [
      flowinfoAttr,
      '',
      (v: number, { data }) =>
        flowlabel(data)
          ? { ip6_tnl_f_use_orig_flowlabel: true }
          : { flowlabel: `0x${(v & IP6_FLOWINFO_FLOWLABEL).toString(16).padStart(5, '0')}` },
    ],
    [flagsAttr, 'ip6_tnl_f_rcv_dscp_copy', (_v, { data }) => (dscp(data) ? true : undefined)],
  ];
}
