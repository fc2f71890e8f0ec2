// ct action: send packets through conntrack, commit, set mark/labels, NAT (tc_act/tc_ct.h).
import {
  NetlinkEncodeError,
  attrMap,
  be16,
  binary,
  flagsOf,
  ipv4,
  ipv6,
  nested,
  pad,
  struct,
  u16,
  u32,
  type AttrSet,
} from '../../core/index.js';
import { checkKeys, num, parseVerdict, tcGen, tcfT, type TcActionKind, type TcSpec } from './common.js';
import { showActionGen, showTimes, showVerdict, type TcShow } from './show.js';

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

// Conntrack labels are 128 bits.
const CT_LABELS_LEN = 16;

/** `label` as tc takes it: hex, at most 128 bits, zero-padded on the right. */
function labelBytes(v: unknown, what: string): Buffer {
  const s = String(v).replace(/^0x/i, '');
  if (!/^([0-9a-f]{2})+$/i.test(s) || s.length > 2 * CT_LABELS_LEN)
    throw new NetlinkEncodeError(`ct: ${what} must be up to 32 hex digits in pairs, got ${JSON.stringify(v)}`);
  const b = Buffer.alloc(CT_LABELS_LEN);
  Buffer.from(s, 'hex').copy(b);
  return b;
}

/** The NAT attributes: address range (IPv4 or IPv6 by the address) and port range. */
function natAttrs(spec: TcSpec): [string, unknown][] {
  const a: [string, unknown][] = [];
  if (spec.nat_min !== undefined) {
    const v6 = String(spec.nat_min).includes(':') ? 'IPV6' : 'IPV4';
    a.push(
      [`TCA_CT_NAT_${v6}_MIN`, String(spec.nat_min)],
      [`TCA_CT_NAT_${v6}_MAX`, String(spec.nat_max ?? spec.nat_min)],
    );
  }
  const pmin = num(spec, 'nat_port_min');
  if (pmin !== undefined)
    a.push(['TCA_CT_NAT_PORT_MIN', pmin], ['TCA_CT_NAT_PORT_MAX', num(spec, 'nat_port_max') ?? pmin]);
  return a;
}

/**
 * `{ kind: 'ct', commit?, force?, clear?, zone?, mark?, mark_mask?, label?: 'hex', label_mask?,
 * nat?: true | 'src' | 'dst', nat_min?: '10.0.0.1', nat_max?, nat_port_min?, nat_port_max?, action?, index? }`
 * as `tc ... action ct [commit [force]] [zone Z] [mark M/MASK] [label L/MASK] [nat [src|dst addr A-B port P-Q]]`.
 */
export const ct: TcActionKind = {
  kind: 'ct',
  options: nested(ctMap),
  build(spec: TcSpec) {
    checkKeys('ct', spec, [
      ...['kind', 'commit', 'force', 'clear', 'zone', 'mark', 'mark_mask', 'label', 'label_mask'],
      ...['nat', 'nat_min', 'nat_max', 'nat_port_min', 'nat_port_max', 'action', 'index'],
    ]);
    if (spec.nat !== undefined && spec.nat !== true && spec.nat !== 'src' && spec.nat !== 'dst')
      throw new NetlinkEncodeError(`ct: nat must be true, 'src' or 'dst', got ${JSON.stringify(spec.nat)}`);
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
    if (spec.label !== undefined) {
      const mask =
        spec.label_mask === undefined ? Buffer.alloc(CT_LABELS_LEN, 0xff) : labelBytes(spec.label_mask, 'label_mask');
      a.push(['TCA_CT_LABELS', labelBytes(spec.label, 'label')], ['TCA_CT_LABELS_MASK', mask]);
    }
    return [...a, ...natAttrs(spec)];
  },
  show: showCt,
};

/** A value with its mask unless the mask is all ones, as tc's print_masked_u16/u32. */
function showMasked(p: TcShow, name: string, value: number | undefined, mask: number | undefined, full: number): void {
  if (value === undefined) return;
  p.put(name, value, ` ${name} ${value}`);
  if (mask !== undefined && mask !== full) p.put(`${name}_mask`, mask.toString(16), `/0x${mask.toString(16)}`);
}

/** `label HEX[/MASK]`: the mask only when it is not 128 one bits. */
function showLabels(p: TcShow, labels: Buffer | undefined, mask: Buffer | undefined): void {
  if (!labels) return;
  let out = labels.toString('hex');
  const m = mask ?? Buffer.alloc(0);
  if (labels.length !== CT_LABELS_LEN || m.subarray(0, labels.length).some((x) => x !== 0xff))
    out += `/${m.subarray(0, labels.length).toString('hex')}`;
  p.put('label', out, ` label ${out}`);
}

/** `nat [src|dst addr MIN[-MAX] port MIN[-MAX]]`: a range end only when it differs from its start. */
function showNat(p: TcShow, o: AttrSet<typeof ctMap.decl>, act: number): void {
  if (!(act & TCA_CT_ACT.TCA_CT_ACT_NAT)) return;
  let out = '';
  const dir = act & TCA_CT_ACT.TCA_CT_ACT_NAT_SRC ? 'src' : act & TCA_CT_ACT.TCA_CT_ACT_NAT_DST ? 'dst' : '';
  if (dir) {
    out = dir;
    const min4 = o.getAttr('TCA_CT_NAT_IPV4_MIN'),
      min6 = o.getAttr('TCA_CT_NAT_IPV6_MIN');
    const max4 = o.getAttr('TCA_CT_NAT_IPV4_MAX'),
      max6 = o.getAttr('TCA_CT_NAT_IPV6_MAX');
    if (min4 !== undefined) out += ` addr ${min4}`;
    if (min6 !== undefined) out += ` addr ${min6}`;
    if (max4 !== undefined && max4 !== min4) out += `-${max4}`;
    else if (max6 !== undefined && max6 !== min6) out += `-${max6}`;
    const pmin = o.getAttr('TCA_CT_NAT_PORT_MIN'),
      pmax = o.getAttr('TCA_CT_NAT_PORT_MAX');
    if (pmin !== undefined) out += ` port ${pmin}`;
    if (pmax !== undefined && pmax !== pmin) out += `-${pmax}`;
  }
  p.put('nat', out, out ? ` nat ${out}` : ' nat');
}

/** `ct commit mark 7 zone 3 nat src addr A-B port P-Q pipe` then index/ref/bind. */
function showCt(p: TcShow, o: AttrSet<typeof ctMap.decl> | undefined): void {
  p.put('kind', 'ct', 'ct');
  const g = o?.getAttr('TCA_CT_PARMS');
  if (!o || !g) return;
  const act = o.getAttr('TCA_CT_ACTION') ?? 0;
  if (act & TCA_CT_ACT.TCA_CT_ACT_COMMIT) {
    const commit = act & TCA_CT_ACT.TCA_CT_ACT_FORCE ? 'commit force' : 'commit';
    p.put('action', commit, ` ${commit}`);
  } else if (act & TCA_CT_ACT.TCA_CT_ACT_CLEAR) p.put('action', 'clear', ' clear');
  showMasked(p, 'mark', o.getAttr('TCA_CT_MARK'), o.getAttr('TCA_CT_MARK_MASK'), 0xffffffff);
  showMasked(p, 'zone', o.getAttr('TCA_CT_ZONE'), undefined, 0xffff);
  showLabels(p, o.getAttr('TCA_CT_LABELS'), o.getAttr('TCA_CT_LABELS_MASK'));
  showNat(p, o, act);
  showVerdict(p, ' ', g.action, '');
  showActionGen(p, g, '\t ');
  showTimes(p, o.getAttr('TCA_CT_TM'));
  p.text('\n');
}
