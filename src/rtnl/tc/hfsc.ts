// hfsc qdisc and classes: hierarchical fair service curves (pkt_sched.h). The qdisc's
// TCA_OPTIONS is struct tc_hfsc_qopt; a class's holds TCA_HFSC_RSC/FSC/USC curves.
import { NetlinkEncodeError, attrMap, nested, struct, u16, u32 } from '../../core/index.js';
import { parseRate, parseTime } from '../rate.js';
import { checkKeys, parseHandle, type TcKind, type TcSpec } from './common.js';

export const tcServiceCurve = struct('tc_service_curve', { m1: u32, d: u32, m2: u32 });
export const hfscMap = attrMap('tca_hfsc', {
  TCA_HFSC_RSC: [1, tcServiceCurve],
  TCA_HFSC_FSC: [2, tcServiceCurve],
  TCA_HFSC_USC: [3, tcServiceCurve],
});
export const tcHfscQopt = struct('tc_hfsc_qopt', { defcls: u16 });

/** A curve: a rate ('1mbit', m2 only) or `{ m1: rate, d: time, m2: rate }` (two slopes). */
export type HfscCurve = string | { m1?: string; d?: string; m2: string };

function curve(c: HfscCurve, what: string): { m1: number; d: number; m2: number } {
  if (typeof c === 'string') return { m1: 0, d: 0, m2: parseRate(c) };
  if (typeof c !== 'object' || c === null || c.m2 === undefined) throw new NetlinkEncodeError(`hfsc ${what}: needs m2`);
  return { m1: c.m1 ? parseRate(c.m1) : 0, d: c.d ? parseTime(c.d) : 0, m2: parseRate(c.m2) };
}

/** Qdisc `{ default?: '1:10' | minor number }`; class `{ sc?, rt?, ls?, ul? }` curves (sc = rt + ls), as tc. */
export const hfsc: TcKind = {
  kind: 'hfsc',
  // Qdiscs carry the 2-byte struct, classes the nested curves: told apart by length.
  options: {
    kind: 'hfsc options',
    size: 0,
    nlaFlags: 0,
    decode: (b, o, len, owner) =>
      len <= 4 ? tcHfscQopt.decode(b, o, len, owner) : nested(hfscMap).decode(b, o, len, owner),
    encode: (w, v, ctx) => (Array.isArray(v) ? nested(hfscMap).encode(w, v, ctx) : tcHfscQopt.encode(w, v as any, ctx)),
    pretty: (v: any) => (typeof v?.attrsJSON === 'function' ? v.attrsJSON() : tcHfscQopt.pretty(v)),
  },
  keys: { qdisc: ['default'], class: ['sc', 'rt', 'ls', 'ul'] },
  qdisc(spec: TcSpec) {
    checkKeys('hfsc', spec, ['default']);
    const d = spec.default;
    return { defcls: d === undefined ? 0 : typeof d === 'number' ? d : parseHandle(d as string) & 0xffff };
  },
  class(spec: TcSpec) {
    checkKeys('hfsc class', spec, ['sc', 'rt', 'ls', 'ul']);
    const a: [string, unknown][] = [];
    const rt = spec.rt ?? spec.sc,
      ls = spec.ls ?? spec.sc;
    if (rt !== undefined) a.push(['TCA_HFSC_RSC', curve(rt as HfscCurve, 'rt')]);
    if (ls !== undefined) a.push(['TCA_HFSC_FSC', curve(ls as HfscCurve, 'ls')]);
    if (spec.ul !== undefined) a.push(['TCA_HFSC_USC', curve(spec.ul as HfscCurve, 'ul')]);
    if (!a.length) throw new NetlinkEncodeError('hfsc class: give at least one of sc, rt, ls, ul');
    return a;
  },
};
