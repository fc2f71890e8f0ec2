// sfq qdisc: stochastic fair queueing. TCA_OPTIONS is struct tc_sfq_qopt_v1 (pkt_sched.h).
import { s32, struct, u32, u8 } from '../../core/index.js';
import { parseSize } from '../rate.js';
import { checkKeys, num, type TcKind, type TcSpec } from './common.js';
import { fmtG, sizeText, type TcShow } from './show.js';

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
  xstats: struct('tc_sfq_xstats', { allot: s32 }),
  show: showSfq,
  showXstats: (p, x: { allot: number }) => void p.put('allot', x.allot, `  allot ${x.allot}`),
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

// TC_RED_* flags (pkt_sched.h), shown by every RED-based qdisc.
const RED_FLAGS: readonly [number, string][] = [
  [1, 'ecn'],
  [2, 'harddrop'],
  [4, 'adaptive'],
  [8, 'nodrop'],
];

/** RED's flags: each always a JSON boolean, in the text only when set. */
export function showRedFlags(p: TcShow, flags: number): void {
  for (const [bit, name] of RED_FLAGS) p.put(name, !!(flags & bit), flags & bit ? `${name} ` : undefined);
}

type SfqQopt = Record<string, number>;

/** tc's view of sfq: the v1 struct's fields, RED ones only when RED is on. */
function showSfq(p: TcShow, q: SfqQopt): void {
  p.put('limit', q.limit, `limit ${q.limit}p `).put('quantum', q.quantum, `quantum ${sizeText(q.quantum)} `);
  const ext = q.depth !== undefined;
  if (ext && q.depth) p.put('depth', q.depth, `depth ${q.depth} `);
  if (ext && q.headdrop) p.put('headdrop', true, 'headdrop ');
  if (p.details) p.put('flows', q.flows, `flows ${q.flows} `);
  p.put('divisor', q.divisor, `divisor ${q.divisor} `);
  if (q.perturb_period) p.put('perturb', q.perturb_period, `perturb ${q.perturb_period}sec `);
  if (!ext || !q.qth_min) return;
  p.put('ewma', q.Wlog, `ewma ${q.Wlog} `).put('min', q.qth_min, `min ${sizeText(q.qth_min)} `);
  const prob = fmtG(q.max_P / 2 ** 32);
  p.put('max', q.qth_max, `max ${sizeText(q.qth_max)} `).put('probability', Number(prob), `probability ${prob} `);
  showRedFlags(p, q.flags);
  if (!p.stats) return;
  p.text('\n');
  p.put('prob_mark', q.prob_mark, `  prob_mark ${q.prob_mark}`);
  p.put('prob_mark_head', q.prob_mark_head, ` prob_mark_head ${q.prob_mark_head}`);
  p.put('prob_drop', q.prob_drop, ` prob_drop ${q.prob_drop}`).text('\n');
  p.put('forced_mark', q.forced_mark, `  forced_mark ${q.forced_mark}`);
  p.put('forced_mark_head', q.forced_mark_head, ` forced_mark_head ${q.forced_mark_head}`);
  p.put('forced_drop', q.forced_drop, ` forced_drop ${q.forced_drop}`);
}
