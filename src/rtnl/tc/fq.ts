// fq qdisc: per-flow fair queueing with pacing (pkt_sched.h TCA_FQ_*).
import { attrMap, nested, u32, u8 } from '../../core/index.js';
import { parseRate, parseSize, parseTime } from '../rate.js';
import { checkKeys, num, type TcKind, type TcSpec } from './common.js';

export const fqMap = attrMap('tca_fq', {
  TCA_FQ_PLIMIT: [1, u32],
  TCA_FQ_FLOW_PLIMIT: [2, u32],
  TCA_FQ_QUANTUM: [3, u32],
  TCA_FQ_INITIAL_QUANTUM: [4, u32],
  TCA_FQ_RATE_ENABLE: [5, u32],
  TCA_FQ_FLOW_DEFAULT_RATE: [6, u32],
  TCA_FQ_FLOW_MAX_RATE: [7, u32],
  TCA_FQ_BUCKETS_LOG: [8, u32],
  TCA_FQ_FLOW_REFILL_DELAY: [9, u32],
  TCA_FQ_ORPHAN_MASK: [10, u32],
  TCA_FQ_LOW_RATE_THRESHOLD: [11, u32],
  TCA_FQ_CE_THRESHOLD: [12, u32],
  TCA_FQ_TIMER_SLACK: [13, u32],
  TCA_FQ_HORIZON: [14, u32],
  TCA_FQ_HORIZON_DROP: [15, u8],
});

const KEYS = [
  'limit',
  'flow_limit',
  'quantum',
  'initial_quantum',
  'maxrate',
  'buckets',
  'refill_delay',
  'orphan_mask',
  'low_rate_threshold',
  'ce_threshold',
  'timer_slack',
  'horizon',
  'horizon_drop',
  'pacing',
];

/**
 * `{ limit?, flow_limit?, quantum?, initial_quantum?, maxrate?: '1gbit', buckets? (a power of 2),
 * refill_delay?: '40ms', orphan_mask?, low_rate_threshold?, ce_threshold?, timer_slack?, horizon?,
 * horizon_drop?: boolean, pacing?: boolean }` as `tc qdisc add ... fq`.
 */
export const fq: TcKind = {
  kind: 'fq',
  options: nested(fqMap),
  keys: { qdisc: KEYS },
  qdisc(spec: TcSpec) {
    checkKeys('fq', spec, KEYS);
    const a: [string, unknown][] = [];
    const n = (k: string, attr: string): void => {
      const v = num(spec, k);
      if (v !== undefined) a.push([attr, v]);
    };
    n('limit', 'TCA_FQ_PLIMIT');
    n('flow_limit', 'TCA_FQ_FLOW_PLIMIT');
    if (spec.quantum !== undefined) a.push(['TCA_FQ_QUANTUM', parseSize(spec.quantum as string)]);
    if (spec.initial_quantum !== undefined)
      a.push(['TCA_FQ_INITIAL_QUANTUM', parseSize(spec.initial_quantum as string)]);
    if (spec.pacing !== undefined) a.push(['TCA_FQ_RATE_ENABLE', spec.pacing ? 1 : 0]);
    if (spec.maxrate !== undefined)
      a.push(['TCA_FQ_FLOW_MAX_RATE', Math.min(parseRate(spec.maxrate as string), 0xffffffff)]);
    const buckets = num(spec, 'buckets');
    if (buckets !== undefined) a.push(['TCA_FQ_BUCKETS_LOG', Math.round(Math.log2(buckets))]);
    if (spec.refill_delay !== undefined) a.push(['TCA_FQ_FLOW_REFILL_DELAY', parseTime(spec.refill_delay as string)]);
    n('orphan_mask', 'TCA_FQ_ORPHAN_MASK');
    if (spec.low_rate_threshold !== undefined) {
      a.push(['TCA_FQ_LOW_RATE_THRESHOLD', Math.min(parseRate(spec.low_rate_threshold as string), 0xffffffff)]);
    }
    if (spec.ce_threshold !== undefined) a.push(['TCA_FQ_CE_THRESHOLD', parseTime(spec.ce_threshold as string)]);
    if (spec.timer_slack !== undefined) a.push(['TCA_FQ_TIMER_SLACK', parseTime(spec.timer_slack as string) * 1000]);
    if (spec.horizon !== undefined) a.push(['TCA_FQ_HORIZON', parseTime(spec.horizon as string)]);
    if (spec.horizon_drop !== undefined) a.push(['TCA_FQ_HORIZON_DROP', spec.horizon_drop ? 1 : 0]);
    return a;
  },
};
