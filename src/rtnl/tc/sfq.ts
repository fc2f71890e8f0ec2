// sfq qdisc: stochastic fair queueing. TCA_OPTIONS is struct tc_sfq_qopt_v1 (pkt_sched.h).
import { s32, struct, u32, u8 } from '../../core/index.js';
import { parseSize } from '../rate.js';
import { checkKeys, num, type TcKind, type TcSpec } from './common.js';

export const tcSfqQopt = struct(
  'tc_sfq_qopt_v1',
  {
    quantum: u32,
    perturb_period: s32,
    limit: u32,
    divisor: u32,
    flows: u32,
    depth: u32,
    headdrop: u32,
    red_limit: u32,
    qth_min: u32,
    qth_max: u32,
    Wlog: u8,
    Plog: u8,
    Scell_log: u8,
    flags: u8,
    max_P: u32,
    prob_drop: u32,
    forced_drop: u32,
    prob_mark: u32,
    forced_mark: u32,
    prob_mark_head: u32,
    forced_mark_head: u32,
  },
  { minSize: 20 },
);

/** `{ quantum?, perturb? (seconds), limit? (packets), divisor?, flows?, depth?, headdrop? }` as `tc ... sfq`. */
export const sfq: TcKind = {
  kind: 'sfq',
  options: tcSfqQopt,
  keys: { qdisc: ['quantum', 'perturb', 'limit', 'divisor', 'flows', 'depth', 'headdrop'] },
  qdisc(spec: TcSpec) {
    checkKeys('sfq', spec, ['quantum', 'perturb', 'limit', 'divisor', 'flows', 'depth', 'headdrop']);
    return {
      quantum: spec.quantum === undefined ? 0 : parseSize(spec.quantum as string),
      perturb_period: num(spec, 'perturb') ?? 0,
      limit: num(spec, 'limit') ?? 0,
      divisor: num(spec, 'divisor') ?? 0,
      flows: num(spec, 'flows') ?? 0,
      depth: num(spec, 'depth') ?? 0,
      headdrop: spec.headdrop ? 1 : 0,
    };
  },
};
