// drr qdisc: deficit round robin; its classes carry a quantum (pkt_sched.h TCA_DRR_*).
import { attrMap, nested, struct, u32, type AttrSet } from '../../core/index.js';
import { parseSize } from '../rate.js';
import { checkKeys, type TcKind, type TcSpec } from './common.js';
import { sizeText } from './show.js';

export const drrMap = attrMap('tca_drr', { TCA_DRR_QUANTUM: [1, u32] });
/** A class's statistics (struct tc_drr_stats). */
export const tcDrrStats = struct('tc_drr_stats', { deficit: u32 });

/** Qdisc `{}`; class `{ quantum?: '1514b' }` as `tc class add ... drr quantum Q`. */
export const drr: TcKind = {
  kind: 'drr',
  options: nested(drrMap),
  xstats: tcDrrStats,
  keys: { qdisc: [], class: ['quantum'] },
  // tc 6.1 writes drr's quantum and deficit as text only, also under -j.
  show(p, o: AttrSet<typeof drrMap.decl>) {
    const q = o.getAttr('TCA_DRR_QUANTUM');
    if (q !== undefined) p.text(`quantum ${sizeText(q)} `);
  },
  showXstats: (p, x: { deficit: number }) => p.text(` deficit ${sizeText(x.deficit)} `),
  qdisc(spec: TcSpec) {
    checkKeys('drr', spec, []);
    return [];
  },
  class(spec: TcSpec) {
    checkKeys('drr class', spec, ['quantum']);
    return spec.quantum === undefined ? [] : [['TCA_DRR_QUANTUM', parseSize(spec.quantum as string)]];
  },
};
