// ct action: send packets through conntrack, commit, set mark/labels, NAT (tc_act/tc_ct.h).
import { attrMap, be16, binary, flagsOf, ipv4, ipv6, nested, pad, struct, u16, u32 } from '../../core/index.js';
import { checkKeys, num, parseVerdict, tcGen, tcfT, type TcActionKind, type TcSpec } from './common.js';

export const TCA_CT_ACT = {
  TCA_CT_ACT_COMMIT: 1,
  TCA_CT_ACT_FORCE: 2,
  TCA_CT_ACT_CLEAR: 4,
  TCA_CT_ACT_NAT: 8,
  TCA_CT_ACT_NAT_SRC: 16,
  TCA_CT_ACT_NAT_DST: 32,
} as const;

export const ctMap = attrMap('tca_ct', {
  TCA_CT_PARMS: [1, struct('tc_ct', { ...tcGen })],
  TCA_CT_TM: [2, tcfT],
  TCA_CT_ACTION: [3, flagsOf(u16, TCA_CT_ACT)],
  TCA_CT_ZONE: [4, u16],
  TCA_CT_MARK: [5, u32],
  TCA_CT_MARK_MASK: [6, u32],
  TCA_CT_LABELS: [7, binary],
  TCA_CT_LABELS_MASK: [8, binary],
  TCA_CT_NAT_IPV4_MIN: [9, ipv4],
  TCA_CT_NAT_IPV4_MAX: [10, ipv4],
  TCA_CT_NAT_IPV6_MIN: [11, ipv6],
  TCA_CT_NAT_IPV6_MAX: [12, ipv6],
  TCA_CT_NAT_PORT_MIN: [13, be16],
  TCA_CT_NAT_PORT_MAX: [14, be16],
  TCA_CT_PAD: [15, pad(0)],
});

/**
 * `{ kind: 'ct', commit?, force?, clear?, zone?, mark?, mark_mask?, nat?: 'src' | 'dst',
 * nat_min?: '10.0.0.1', nat_max?, action?, index? }` as `tc ... action ct [commit] [zone Z] ...`.
 */
export const ct: TcActionKind = {
  kind: 'ct',
  options: nested(ctMap),
  build(spec: TcSpec) {
    checkKeys('ct', spec, [
      'kind',
      'commit',
      'force',
      'clear',
      'zone',
      'mark',
      'mark_mask',
      'nat',
      'nat_min',
      'nat_max',
      'action',
      'index',
    ]);
    let flags =
      (spec.commit ? TCA_CT_ACT.TCA_CT_ACT_COMMIT : 0) |
      (spec.force ? TCA_CT_ACT.TCA_CT_ACT_FORCE : 0) |
      (spec.clear ? TCA_CT_ACT.TCA_CT_ACT_CLEAR : 0);
    if (spec.nat !== undefined)
      flags |=
        TCA_CT_ACT.TCA_CT_ACT_NAT |
        (spec.nat === 'src' ? TCA_CT_ACT.TCA_CT_ACT_NAT_SRC : 0) |
        (spec.nat === 'dst' ? TCA_CT_ACT.TCA_CT_ACT_NAT_DST : 0);
    const a: [string, unknown][] = [
      ['TCA_CT_PARMS', { index: num(spec, 'index') ?? 0, action: parseVerdict((spec.action ?? 'pipe') as string) }],
      ['TCA_CT_ACTION', flags],
    ];
    const zone = num(spec, 'zone'),
      mark = num(spec, 'mark');
    if (zone !== undefined) a.push(['TCA_CT_ZONE', zone]);
    if (mark !== undefined) a.push(['TCA_CT_MARK', mark], ['TCA_CT_MARK_MASK', num(spec, 'mark_mask') ?? 0xffffffff]);
    if (spec.nat_min !== undefined) {
      const v6 = String(spec.nat_min).includes(':') ? 'IPV6' : 'IPV4';
      a.push(
        [`TCA_CT_NAT_${v6}_MIN`, String(spec.nat_min)],
        [`TCA_CT_NAT_${v6}_MAX`, String(spec.nat_max ?? spec.nat_min)],
      );
    }
    return a;
  },
};
