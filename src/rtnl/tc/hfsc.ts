// hfsc qdisc and classes: hierarchical fair service curves (pkt_sched.h). The qdisc's
// TCA_OPTIONS is struct tc_hfsc_qopt; a class's holds TCA_HFSC_RSC/FSC/USC curves.
import { NetlinkEncodeError, attrMap, nested, struct, u16, u32, u64, type AttrSet } from '../../core/index.js';
import { TIME_UNITS_PER_SEC, getPsched, parseRate, parseSize, parseTime } from '../rate.js';
import { checkKeys, parseHandle, type TcKind, type TcSpec, type TcTarget } from './common.js';
import { rateText, timeText, type TcShow } from './show.js';

export const tcServiceCurve = struct('tc_service_curve', { m1: u32, d: u32, m2: u32 });
export const hfscMap = attrMap('tca_hfsc', {
  TCA_HFSC_RSC: [1, tcServiceCurve],
  TCA_HFSC_FSC: [2, tcServiceCurve],
  TCA_HFSC_USC: [3, tcServiceCurve],
});
export const tcHfscQopt = struct('tc_hfsc_qopt', { defcls: u16 });
/** A class's statistics (struct tc_hfsc_stats). */
export const tcHfscStats = struct('tc_hfsc_stats', { work: u64, rtwork: u64, period: u32, level: u32 });

/**
 * A curve: a rate ('1mbit', m2 only), `{ m1: rate, d: time, m2: rate }` (two slopes), or tc's
 * `{ umax: size, dmax: time, rate }` (a packet of umax bytes served within dmax).
 */
export type HfscCurve =
  | string
  | { m1?: string; d?: string; m2: string }
  | { umax?: string; dmax?: string; rate: string };

/** Time as the kernel takes a curve's d: tc's microseconds times the clock factor. */
const ktime = (usec: number): number => Math.trunc(usec * getPsched().clockFactor);

function curve(c: HfscCurve, what: string): { m1: number; d: number; m2: number } {
  if (typeof c === 'string') return { m1: 0, d: 0, m2: parseRate(c) };
  if (typeof c === 'object' && c !== null && 'rate' in c && c.rate !== undefined) {
    const umax = c.umax === undefined ? 0 : parseSize(c.umax),
      dmax = c.dmax === undefined ? 0 : parseTime(c.dmax),
      rate = parseRate(c.rate);
    if (umax && !dmax) throw new NetlinkEncodeError(`hfsc ${what}: umax given but dmax is zero`);
    // As tc: concave when umax/dmax is steeper than the rate, else convex with a delayed start.
    const steep = dmax ? Math.ceil((umax * TIME_UNITS_PER_SEC) / dmax) : 0;
    if (dmax && steep > rate) return { m1: steep, d: ktime(dmax), m2: rate };
    if (!rate) throw new NetlinkEncodeError(`hfsc ${what}: rate must not be zero`);
    return { m1: 0, d: ktime(Math.ceil(dmax - (umax * TIME_UNITS_PER_SEC) / rate)), m2: rate };
  }
  if (typeof c !== 'object' || c === null || !('m2' in c) || c.m2 === undefined)
    throw new NetlinkEncodeError(`hfsc ${what}: needs m2 (or rate)`);
  return { m1: c.m1 ? parseRate(c.m1) : 0, d: c.d ? ktime(parseTime(c.d)) : 0, m2: parseRate(c.m2) };
}

/** Qdisc `{ default?: '1:10' | minor number }`; class `{ sc?, rt?, ls?, ul? }` curves (sc = rt + ls), as tc. */
export const hfsc: TcKind = {
  kind: 'hfsc',
  // Qdiscs carry the 2-byte struct, classes the nested curves: told apart by length.
  options: {
    kind: 'hfsc options',
    size: 0,
    nlaFlags: 0,
    // A class without curves (the root class) sends an empty nest.
    decode: (b, o, len, owner) =>
      len > 0 && len < 4 ? tcHfscQopt.decode(b, o, len, owner) : nested(hfscMap).decode(b, o, len, owner),
    encode: (w, v, ctx) => (Array.isArray(v) ? nested(hfscMap).encode(w, v, ctx) : tcHfscQopt.encode(w, v as any, ctx)),
    pretty: (v: any) => (typeof v?.attrsJSON === 'function' ? v.attrsJSON() : tcHfscQopt.pretty(v)),
  },
  xstats: tcHfscStats,
  keys: { qdisc: ['default'], class: ['sc', 'rt', 'ls', 'ul'] },
  show: (p, o, target) => showHfsc(p, o, target),
  showXstats(p, x: { work: bigint; rtwork: bigint; period: number; level: number }) {
    p.text(` period ${x.period} `);
    if (x.work) p.text(`work ${x.work} bytes `);
    if (x.rtwork) p.text(`rtwork ${x.rtwork} bytes `);
    p.text(`level ${x.level} \n`);
  },
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

type Curve = { m1: number; d: number; m2: number };

// tc 6.1 writes hfsc's options and statistics as text only, also under -j.
function showHfsc(p: TcShow, o: any, target: TcTarget): void {
  if (target === 'qdisc') {
    if (o?.defcls) p.text(`default ${o.defcls.toString(16)} `);
    return;
  }
  if (typeof o?.getAttr !== 'function') return;
  const set = o as AttrSet<typeof hfscMap.decl>;
  const curve = (name: string, c: Curve): void => {
    const d = Math.trunc(c.d / getPsched().clockFactor);
    p.text(`${name} m1 ${rateText(c.m1)} d ${timeText(d)} m2 ${rateText(c.m2)} `);
  };
  const rt = set.getAttr('TCA_HFSC_RSC'),
    ls = set.getAttr('TCA_HFSC_FSC'),
    ul = set.getAttr('TCA_HFSC_USC');
  if (rt && ls && rt.m1 === ls.m1 && rt.d === ls.d && rt.m2 === ls.m2) curve('sc', rt);
  else {
    if (rt) curve('rt', rt);
    if (ls) curve('ls', ls);
  }
  if (ul) curve('ul', ul);
}
