// drr qdisc: deficit round robin; its classes carry a quantum (pkt_sched.h TCA_DRR_*).
import { attrMap, nested, u32 } from '../../core/index.js';
import { parseSize } from '../rate.js';
import { checkKeys, type TcKind, type TcSpec } from './common.js';

export const drrMap = attrMap('tca_drr', { TCA_DRR_QUANTUM: [1, u32] });

/** Qdisc `{}`; class `{ quantum?: '1514b' }` as `tc class add ... drr quantum Q`. */
export const drr: TcKind = {
  kind: 'drr',
  options: nested(drrMap),
  keys: { qdisc: [], class: ['quantum'] },
  qdisc(spec: TcSpec) {
    checkKeys('drr', spec, []);
    return [];
  },
  class(spec: TcSpec) {
    checkKeys('drr class', spec, ['quantum']);
    return spec.quantum === undefined ? [] : [['TCA_DRR_QUANTUM', parseSize(spec.quantum as string)]];
  },
};
