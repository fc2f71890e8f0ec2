// fq qdisc: per-flow fair queueing with pacing (pkt_sched.h TCA_FQ_*).
import { attrMap, nested, s64, struct, u32, u64, u8, type AttrSet } from '../../core/index.js';
import { parseRate, parseSize, parseTime } from '../rate.js';
import { checkKeys, num, type TcKind, type TcSpec } from './common.js';
import { rateText, sizeText, timeText, type TcShow } from './show.js';

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
  xstats: struct(
    'tc_fq_qd_stats',
    {
      gc_flows: u64,
      highprio_packets: u64,
      tcp_retrans: u64,
      throttled: u64,
      flows_plimit: u64,
      pkts_too_long: u64,
      allocation_errors: u64,
      time_next_delayed_flow: s64,
      flows: u32,
      inactive_flows: u32,
      throttled_flows: u32,
      unthrottle_latency_ns: u32,
      ce_mark: u64,
      horizon_drops: u64,
      horizon_caps: u64,
    },
    { minSize: 4 },
  ),
  show: showFq,
  showXstats: (p, x) => showFqXstats(p, x),
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

/** Nanoseconds as tc writes 64-bit times ('%.3g' with the largest unit that fits). */
function nsText(ns: number): string {
  if (ns >= 1e9) return `${fmt3(ns / 1e9)}s`;
  if (ns >= 1e6) return `${fmt3(ns / 1e6)}ms`;
  if (ns >= 1e3) return `${fmt3(ns / 1e3)}us`;
  return `${ns}ns`;
}
const fmt3 = (x: number): string => String(Number(x.toPrecision(3)));

/** tc's view of fq: limits, sizes, rates and times, each only when the kernel sent it. */
function showFq(p: TcShow, o: AttrSet<typeof fqMap.decl>): void {
  const u = (k: keyof typeof fqMap.decl): number | undefined => o.getAttr(k) as number | undefined;
  const some = (k: keyof typeof fqMap.decl, f: (v: number) => void): void => {
    const v = u(k);
    if (v !== undefined) f(v);
  };
  some('TCA_FQ_PLIMIT', (v) => p.put('limit', v, `limit ${v}p `));
  some('TCA_FQ_FLOW_PLIMIT', (v) => p.put('flow_limit', v, `flow_limit ${v}p `));
  some('TCA_FQ_BUCKETS_LOG', (v) => p.put('buckets', 2 ** v, `buckets ${2 ** v} `));
  some('TCA_FQ_ORPHAN_MASK', (v) => p.put('orphan_mask', v, `orphan_mask ${v} `));
  some('TCA_FQ_RATE_ENABLE', (v) => void (v === 0 && p.put('pacing', false, 'nopacing ')));
  some('TCA_FQ_QUANTUM', (v) => p.put('quantum', v, `quantum ${sizeText(v)} `));
  some('TCA_FQ_INITIAL_QUANTUM', (v) => p.put('initial_quantum', v, `initial_quantum ${sizeText(v)} `));
  some('TCA_FQ_FLOW_MAX_RATE', (v) => void (v !== 0xffffffff && p.put('maxrate', v, `maxrate ${rateText(v)} `)));
  some('TCA_FQ_FLOW_DEFAULT_RATE', (v) => void (v && p.put('defrate', v, `defrate ${rateText(v)} `)));
  some('TCA_FQ_LOW_RATE_THRESHOLD', (v) => {
    if (v) p.put('low_rate_threshold', v, `low_rate_threshold ${rateText(v)} `);
  });
  some('TCA_FQ_FLOW_REFILL_DELAY', (v) => p.put('refill_delay', v, `refill_delay ${timeText(v)} `));
  some(
    'TCA_FQ_CE_THRESHOLD',
    (v) => void (v !== 0xffffffff && p.put('ce_threshold', v, `ce_threshold ${timeText(v)} `)),
  );
  some('TCA_FQ_TIMER_SLACK', (v) => p.put('timer_slack', v, `timer_slack ${nsText(v)} `));
  some('TCA_FQ_HORIZON', (v) => p.put('horizon', v, `horizon ${timeText(v)} `));
  some('TCA_FQ_HORIZON_DROP', (v) =>
    v ? p.put('horizon_drop', null, 'horizon_drop ') : p.put('horizon_cap', null, 'horizon_cap '),
  );
}

/** `tc -s`: flow counts, then the 64-bit counters (zero ones left out where tc leaves them out). */
function showFqXstats(p: TcShow, x: Record<string, number | bigint | undefined>): void {
  const n = (k: string): number => Number(x[k] ?? 0);
  p.put('flows', n('flows'), `  flows ${n('flows')}`).put(
    'inactive',
    n('inactive_flows'),
    ` (inactive ${n('inactive_flows')}`,
  );
  p.put('throttled', n('throttled_flows'), ` throttled ${n('throttled_flows')})`);
  const next = n('time_next_delayed_flow');
  if (next > 0) p.put('next_packet_delay', next, ` next_packet_delay ${nsText(next)}`);
  p.text('\n')
    .put('gc', n('gc_flows'), `  gc ${n('gc_flows')}`)
    .put('highprio', n('highprio_packets'), ` highprio ${n('highprio_packets')}`);
  if (n('tcp_retrans')) p.put('retrans', n('tcp_retrans'), ` retrans ${n('tcp_retrans')}`);
  p.put('throttled', n('throttled'), ` throttled ${n('throttled')}`);
  const lat = n('unthrottle_latency_ns');
  if (lat) p.put('latency', lat, ` latency ${nsText(lat)}`);
  if (n('ce_mark')) p.put('ce_mark', n('ce_mark'), ` ce_mark ${n('ce_mark')}`);
  if (n('flows_plimit')) p.put('flows_plimit', n('flows_plimit'), ` flows_plimit ${n('flows_plimit')}`);
  const rare = ['pkts_too_long', 'allocation_errors', 'horizon_drops', 'horizon_caps'];
  if (!rare.some((k) => n(k))) return;
  p.text('\n');
  if (n('pkts_too_long')) p.put('pkts_too_long', n('pkts_too_long'), ` pkts_too_long ${n('pkts_too_long')}`);
  if (n('allocation_errors')) p.put('alloc_errors', n('allocation_errors'), ` alloc_errors ${n('allocation_errors')}`);
  if (n('horizon_drops')) p.put('horizon_drops', n('horizon_drops'), ` horizon_drops ${n('horizon_drops')}`);
  if (n('horizon_caps')) p.put('horizon_caps', n('horizon_caps'), `  horizon_caps ${n('horizon_caps')}`);
}
