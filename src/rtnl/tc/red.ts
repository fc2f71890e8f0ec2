// red qdisc: random early detection (pkt_sched.h TCA_RED_*). The EWMA weight, probability
// shift and idle-damping table are computed from the user's numbers exactly as tc does.
import { NetlinkEncodeError, attrMap, binary, nested, struct, u32, u8 } from '../../core/index.js';
import { parseRate, parseSize, xmittime } from '../rate.js';
import { checkKeys, num, type TcKind, type TcSpec } from './common.js';
import { showRedFlags } from './sfq.js';
import { fmtG, sizeText, type TcShow } from './show.js';
import type { AttrSet } from '../../core/index.js';

export const tcRedQopt = struct('tc_red_qopt', {
  limit: u32,
  qth_min: u32,
  qth_max: u32,
  Wlog: u8,
  Plog: u8,
  Scell_log: u8,
  flags: u8,
});
const bitfield32 = struct('nla_bitfield32', { value: u32, selector: u32 });
export const RED_FLAGS = { TC_RED_ECN: 1, TC_RED_HARDDROP: 2, TC_RED_ADAPTATIVE: 4, TC_RED_NODROP: 8 } as const;

export const redMap = attrMap('tca_red', {
  TCA_RED_PARMS: [1, tcRedQopt],
  TCA_RED_STAB: [2, binary],
  TCA_RED_MAX_P: [3, u32],
  TCA_RED_FLAGS: [4, bitfield32],
  TCA_RED_EARLY_DROP_BLOCK: [5, u32],
  TCA_RED_MARK_BLOCK: [6, u32],
});

/** log2 of the EWMA weight so that `burst` packets fill the average (tc_red_eval_ewma). */
export function redWlog(qmin: number, burst: number, avpkt: number): number {
  const a = burst + 1 - qmin / avpkt;
  if (a < 1) throw new NetlinkEncodeError('red: burst must exceed min / avpkt');
  let w = 0.5;
  for (let wlog = 1; wlog < 32; wlog++, w /= 2) if (a <= (1 - (1 - w) ** burst) / w) return wlog;
  throw new NetlinkEncodeError('red: cannot find a weight for this burst');
}

/** Shift of the maximum probability (tc_red_eval_P). */
export function redPlog(qmin: number, qmax: number, prob: number): number {
  let p = prob / (qmax - qmin);
  for (let i = 0; i < 32; i++, p *= 2) if (p > 1) return i;
  throw new NetlinkEncodeError('red: probability too small');
}

/** Idle-damping cell log and its 256-byte table (tc_red_eval_idle_damping). */
export function redIdleDamping(wlog: number, avpkt: number, bandwidth: number): { cellLog: number; table: Buffer } {
  const lW = -Math.log(1 - 1 / 2 ** wlog) / xmittime(bandwidth, avpkt);
  const maxtime = 31 / lW;
  let clog = 0;
  while (clog < 32 && maxtime / 2 ** clog >= 512) clog++;
  if (clog >= 32) throw new NetlinkEncodeError('red: bandwidth too small for idle damping');
  const table = Buffer.alloc(256);
  for (let i = 1; i < 255; i++) table[i] = Math.min(Math.trunc(i * 2 ** clog * lW), 31);
  table[255] = 31;
  return { cellLog: clog, table };
}

const KEYS = [
  'limit',
  'min',
  'max',
  'avpkt',
  'burst',
  'probability',
  'bandwidth',
  'ecn',
  'harddrop',
  'adaptive',
  'nodrop',
];

/**
 * `{ limit: '400kb', avpkt: 1000, min?: bytes, max?: bytes, burst?, probability? (default 0.02),
 * bandwidth? (default 10mbit), ecn?, harddrop?, adaptive?, nodrop? }` as `tc qdisc add ... red`.
 */
export const red: TcKind = {
  kind: 'red',
  options: nested(redMap),
  xstats: struct('tc_red_xstats', { early: u32, pdrop: u32, other: u32, marked: u32 }),
  show: showRed,
  showXstats: (p, x: Record<string, number>) => {
    p.put('marked', x.marked, `  marked ${x.marked} `).put('early', x.early, `early ${x.early} `);
    p.put('pdrop', x.pdrop, `pdrop ${x.pdrop} `).put('other', x.other, `other ${x.other} `);
  },
  keys: { qdisc: KEYS },
  qdisc(spec: TcSpec) {
    checkKeys('red', spec, KEYS);
    if (spec.limit === undefined || spec.avpkt === undefined)
      throw new NetlinkEncodeError('red: limit and avpkt are required');
    const limit = parseSize(spec.limit as string),
      avpkt = parseSize(spec.avpkt as string);
    const prob = spec.probability === undefined ? 0.02 : Number(spec.probability);
    let qmax = spec.max === undefined ? 0 : parseSize(spec.max as string);
    let qmin = spec.min === undefined ? 0 : parseSize(spec.min as string);
    // tc's defaults: max a quarter of the limit, min a third of max, burst from both.
    if (!qmax) qmax = qmin ? qmin * 3 : limit / 4;
    if (!qmin) qmin = qmax / 3;
    const burst = num(spec, 'burst') ?? Math.trunc((2 * qmin + qmax) / (3 * avpkt));
    const bandwidth = spec.bandwidth === undefined ? parseRate('10mbit') : parseRate(spec.bandwidth as string);
    const Wlog = redWlog(qmin, burst, avpkt),
      Plog = redPlog(qmin, qmax, prob);
    const { cellLog, table } = redIdleDamping(Wlog, avpkt, bandwidth);
    const flags =
      (spec.ecn ? RED_FLAGS.TC_RED_ECN : 0) |
      (spec.harddrop ? RED_FLAGS.TC_RED_HARDDROP : 0) |
      (spec.adaptive ? RED_FLAGS.TC_RED_ADAPTATIVE : 0);
    const a: [string, unknown][] = [
      [
        'TCA_RED_PARMS',
        { limit, qth_min: Math.trunc(qmin), qth_max: Math.trunc(qmax), Wlog, Plog, Scell_log: cellLog, flags },
      ],
      ['TCA_RED_STAB', table],
      ['TCA_RED_MAX_P', Math.min(Math.round(prob * 2 ** 32), 0xffffffff)],
    ];
    if (spec.nodrop) a.push(['TCA_RED_FLAGS', { value: RED_FLAGS.TC_RED_NODROP, selector: RED_FLAGS.TC_RED_NODROP }]);
    return a;
  },
};

/** tc's view: sizes, flags (from the bitfield when sent), and with -d the EWMA and probability. */
function showRed(p: TcShow, o: AttrSet<typeof redMap.decl>): void {
  const q = o.getAttr('TCA_RED_PARMS');
  if (!q) return;
  const flags = o.getAttr('TCA_RED_FLAGS')?.value ?? q.flags;
  p.put('limit', q.limit, `limit ${sizeText(q.limit)} `).put('min', q.qth_min, `min ${sizeText(q.qth_min)} `);
  p.put('max', q.qth_max, `max ${sizeText(q.qth_max)} `);
  showRedFlags(p, flags);
  if (p.details) showRedDetails(p, o, q);
  showQevents(p, o);
}

/** -d: the EWMA weight, the drop probability (or its log) and the cell size log. */
function showRedDetails(
  p: TcShow,
  o: AttrSet<typeof redMap.decl>,
  q: { Wlog: number; Plog: number; Scell_log: number },
): void {
  p.put('ewma', q.Wlog, `ewma ${q.Wlog} `);
  const maxP = o.getAttr('TCA_RED_MAX_P') ?? 0;
  if (maxP) p.put('probability', Number(fmtG(maxP / 2 ** 32)), `probability ${fmtG(maxP / 2 ** 32)} `);
  else p.put('Plog', q.Plog, `Plog ${q.Plog} `);
  p.put('Scell_log', q.Scell_log, `Scell_log ${q.Scell_log}`);
}

/** The blocks that see packets at red's events, `qevent early_drop block 10 ` (with or without -d). */
function showQevents(p: TcShow, o: AttrSet<typeof redMap.decl>): void {
  const events = [
    ['early_drop', o.getAttr('TCA_RED_EARLY_DROP_BLOCK')],
    ['mark', o.getAttr('TCA_RED_MARK_BLOCK')],
  ] as const;
  const set = events.filter(([, block]) => block);
  if (!set.length) return;
  p.openArray('qevents');
  for (const [kind, block] of set)
    p.open(null).put('kind', kind, `qevent ${kind}`).put('block', block, ` block ${block} `).close();
  p.close();
}
