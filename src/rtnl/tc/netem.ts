// netem qdisc: delay, jitter, loss, duplication, reordering and corruption (pkt_sched.h).
// TCA_OPTIONS is struct tc_netem_qopt followed directly by TCA_NETEM_* attributes.
import {
  AttrSet,
  NetlinkDecodeError,
  NetlinkEncodeError,
  attrMap,
  encodeAttrs,
  hex,
  nested,
  pad,
  s64,
  struct,
  u32,
  u64,
  type AttrInput,
  type NlaType,
} from '../../core/index.js';
import { parseRate, parseTime, tick2time, time2tick } from '../rate.js';
import { checkKeys, num, percent, type TcKind, type TcSpec } from './common.js';
import { fmtG, rateText, timeText, type TcShow } from './show.js';

export const tcNetemQopt = struct('tc_netem_qopt', {
  latency: u32,
  limit: u32,
  loss: u32,
  gap: u32,
  duplicate: u32,
  jitter: u32,
});
const corr = struct('tc_netem_corr', { delay_corr: u32, loss_corr: u32, dup_corr: u32 });
const reorder = struct('tc_netem_reorder', { probability: u32, correlation: u32 });
const corrupt = struct('tc_netem_corrupt', { probability: u32, correlation: u32 });
const rate = struct('tc_netem_rate', { rate: u32, packet_overhead: u32, cell_size: u32, cell_overhead: u32 });
const slot = struct('tc_netem_slot', {
  min_delay: s64,
  max_delay: s64,
  max_packets: u32,
  max_bytes: u32,
  dist_delay: s64,
  dist_jitter: s64,
});

export const netemLossMap = attrMap('netem_loss', {
  NETEM_LOSS_GI: [1, struct('tc_netem_gimodel', { p13: u32, p31: u32, p32: u32, p14: u32, p23: u32 })],
  NETEM_LOSS_GE: [2, struct('tc_netem_gemodel', { p: u32, r: u32, h: u32, k1: u32 })],
});

export const netemMap = attrMap('tca_netem', {
  TCA_NETEM_CORR: [1, corr],
  TCA_NETEM_DELAY_DIST: [2, hex],
  TCA_NETEM_REORDER: [3, reorder],
  TCA_NETEM_CORRUPT: [4, corrupt],
  TCA_NETEM_LOSS: [5, nested(netemLossMap)],
  TCA_NETEM_RATE: [6, rate],
  TCA_NETEM_ECN: [7, u32],
  TCA_NETEM_RATE64: [8, u64],
  TCA_NETEM_PAD: [9, pad(0)],
  TCA_NETEM_LATENCY64: [10, s64],
  TCA_NETEM_JITTER64: [11, s64],
  TCA_NETEM_SLOT: [12, slot],
  TCA_NETEM_SLOT_DIST: [13, hex],
  TCA_NETEM_PRNG_SEED: [14, u64],
});

/** Decoded netem options: the fixed struct's fields, and the attributes after it. */
export interface NetemOptions {
  qopt: Record<string, unknown>;
  attrs: AttrSet<any>;
}

/** TCA_OPTIONS of netem: the struct, then attributes (not a nest of its own). */
export const netemOptions: NlaType<NetemOptions, { qopt: Record<string, unknown>; attrs?: AttrInput<any> }> = {
  kind: 'tc_netem_options',
  size: 0,
  nlaFlags: 0,
  decode(buf, off, len, owner) {
    const need = tcNetemQopt.size;
    if (len < need) throw new NetlinkDecodeError(`tc_netem_qopt needs ${need} bytes, has ${len}`, off);
    return {
      qopt: tcNetemQopt.decode(buf, off, tcNetemQopt.size, owner) as Record<string, unknown>,
      attrs: new AttrSet(buf, off + tcNetemQopt.size, off + len, netemMap, owner),
    };
  },
  encode(w, v, ctx) {
    tcNetemQopt.encode(w, v.qopt as never, ctx);
    if (v.attrs) encodeAttrs(w, netemMap, v.attrs, ctx.family, ctx.path);
  },
  pretty: (v) => ({ ...(tcNetemQopt.pretty(v.qopt as never) as object), ...Object.fromEntries(v.attrs.attrsJSON()) }),
};

const KEYS = [
  'limit',
  'delay',
  'jitter',
  'delay_corr',
  'loss',
  'loss_corr',
  'duplicate',
  'duplicate_corr',
  'corrupt',
  'corrupt_corr',
  'reorder',
  'reorder_corr',
  'gap',
  'rate',
  'packet_overhead',
  'cell_size',
  'cell_overhead',
  'slot',
  'ecn',
];

/** `slot: { min: '800us', max?: '1ms', packets?, bytes? }` as tc's `slot MIN [MAX] packets N bytes B`. */
export interface NetemSlot {
  min: string | number;
  max?: string | number;
  packets?: number;
  bytes?: number;
}

const pct = (spec: TcSpec, k: string): number => (spec[k] === undefined ? 0 : percent(spec[k], `netem ${k}`));

/**
 * `{ delay?: '100ms', jitter?: '10ms', delay_corr?: '25%', loss?: '1%', loss_corr?, duplicate?,
 * corrupt?, reorder?: '25%', reorder_corr?, gap?, rate?: '1mbit', packet_overhead?, cell_size?,
 * cell_overhead?, slot?: NetemSlot, limit? (packets, default 1000), ecn? }`, as `tc qdisc add ... netem`.
 */
export const netem: TcKind = {
  kind: 'netem',
  options: netemOptions,
  keys: { qdisc: KEYS },
  show: showNetem,
  qdisc(spec: TcSpec) {
    checkKeys('netem', spec, KEYS);
    const latency = spec.delay === undefined ? 0 : parseTime(spec.delay as string);
    const jitter = spec.jitter === undefined ? 0 : parseTime(spec.jitter as string);
    if (jitter && !latency) throw new NetlinkEncodeError('netem: jitter needs a delay');
    const reorder = pct(spec, 'reorder');
    let gap = num(spec, 'gap') ?? 0;
    if (reorder) {
      if (!latency) throw new NetlinkEncodeError('netem: reordering needs a delay');
      if (!gap) gap = 1; // as tc: reorder without gap reorders every packet with that probability
    }
    const attrs: [string, unknown][] = [];
    const corr = {
      delay_corr: pct(spec, 'delay_corr'),
      loss_corr: pct(spec, 'loss_corr'),
      dup_corr: pct(spec, 'duplicate_corr'),
    };
    if (corr.delay_corr || corr.loss_corr || corr.dup_corr) attrs.push(['TCA_NETEM_CORR', corr]);
    if (reorder) attrs.push(['TCA_NETEM_REORDER', { probability: reorder, correlation: pct(spec, 'reorder_corr') }]);
    const corrupt = pct(spec, 'corrupt');
    if (corrupt) attrs.push(['TCA_NETEM_CORRUPT', { probability: corrupt, correlation: pct(spec, 'corrupt_corr') }]);
    if (spec.rate !== undefined) {
      const rate = parseRate(spec.rate as string);
      attrs.push([
        'TCA_NETEM_RATE',
        {
          rate: Math.min(rate, 0xffffffff),
          packet_overhead: spec.packet_overhead ?? 0,
          cell_size: num(spec, 'cell_size') ?? 0,
          cell_overhead: spec.cell_overhead ?? 0,
        },
      ]);
      if (rate >= 0xffffffff) attrs.push(['TCA_NETEM_RATE64', rate]);
    }
    if (spec.slot !== undefined) {
      const s = spec.slot as NetemSlot;
      const min = parseTime(s.min) * 1000;
      attrs.push([
        'TCA_NETEM_SLOT',
        {
          min_delay: min,
          max_delay: s.max === undefined ? min : parseTime(s.max) * 1000,
          max_packets: s.packets ?? 0,
          max_bytes: s.bytes ?? 0,
        },
      ]);
    }
    if (spec.ecn) attrs.push(['TCA_NETEM_ECN', 1]);
    return {
      qopt: {
        latency: time2tick(latency),
        limit: num(spec, 'limit') ?? 1000,
        loss: pct(spec, 'loss'),
        gap,
        duplicate: pct(spec, 'duplicate'),
        jitter: time2tick(jitter),
      },
      attrs,
    };
  },
};

const U32_MAX = 0xffffffff;
const NSEC_PER_SEC = 1e9;

/** A probability scaled to u32: JSON as a fraction, text as a percentage (both C's %g). */
function percentOf(p: TcShow, key: string, label: string, v: number): void {
  p.put(key, Number(fmtG(v / U32_MAX)), `${label} ${fmtG((100 * v) / U32_MAX)}%`);
}

/** Nanoseconds as tc writes 64-bit times: '%.3g' with the largest unit that fits. */
function time64Text(ns: number): string {
  if (ns >= NSEC_PER_SEC) return `${fmtG(ns / NSEC_PER_SEC, 3)}s`;
  if (ns >= 1e6) return `${fmtG(ns / 1e6, 3)}ms`;
  if (ns >= 1e3) return `${fmtG(ns / 1e3, 3)}us`;
  return `${ns}ns`;
}

/** An int option: always in JSON, in the text only when set. */
function intOpt(p: TcShow, key: string, v: number): void {
  p.put(key, v, v ? ` ${key} ${v}` : undefined);
}

/** A correlation: always in JSON, in the text only when `present`. */
function corrOf(p: TcShow, present: boolean, v: number): void {
  p.put('correlation', Number(fmtG(v / U32_MAX)), present ? ` ${fmtG((100 * v) / U32_MAX)}%` : undefined);
}

/** tc's view of netem: limit, then each impairment as its own object. */
function showNetem(p: TcShow, o: NetemOptions): void {
  const q = o.qopt as { latency: number; limit: number; loss: number; gap: number; duplicate: number; jitter: number };
  const a = o.attrs;
  const cor = a.getAttr('TCA_NETEM_CORR') as { delay_corr: number; loss_corr: number; dup_corr: number } | undefined;
  p.put('limit', q.limit, `limit ${q.limit}`);
  if (q.latency) {
    p.open('delay');
    p.put('delay', Number(fmtG(tick2time(q.latency) / 1e6)), ` delay ${timeText(tick2time(q.latency))}`);
    p.put('jitter', Number(fmtG(tick2time(q.jitter) / 1e6)), q.jitter ? `  ${timeText(tick2time(q.jitter))}` : '');
    corrOf(p, !!(q.jitter && cor?.delay_corr), cor?.delay_corr ?? 0);
    p.close();
  }
  if (q.loss) {
    p.open('loss-random');
    percentOf(p, 'loss', ' loss', q.loss);
    corrOf(p, !!cor?.loss_corr, cor?.loss_corr ?? 0);
    p.close();
  }
  const loss = a.getAttr('TCA_NETEM_LOSS') as AttrSet<typeof netemLossMap.decl> | undefined;
  const gi = loss?.getAttr('NETEM_LOSS_GI') as Record<string, number> | undefined;
  if (gi) {
    p.open('loss-state');
    percentOf(p, 'p13', ' loss state p13', gi.p13);
    for (const k of ['p31', 'p32', 'p23', 'p14']) percentOf(p, k, ` ${k}`, gi[k]);
    p.close();
  }
  const ge = loss?.getAttr('NETEM_LOSS_GE') as Record<string, number> | undefined;
  if (ge) {
    p.open('loss-gemodel');
    percentOf(p, 'p', ' loss gemodel p', ge.p);
    percentOf(p, 'r', ' r', ge.r);
    percentOf(p, '1-h', ' 1-h', U32_MAX - ge.h);
    percentOf(p, '1-k', ' 1-k', ge.k1);
    p.close();
  }
  if (q.duplicate) {
    p.open('duplicate');
    percentOf(p, 'duplicate', ' duplicate', q.duplicate);
    corrOf(p, !!cor?.dup_corr, cor?.dup_corr ?? 0);
    p.close();
  }
  for (const [attr, key] of [
    ['TCA_NETEM_REORDER', 'reorder'],
    ['TCA_NETEM_CORRUPT', 'corrupt'],
  ] as const) {
    const r = a.getAttr(attr) as { probability: number; correlation: number } | undefined;
    if (!r?.probability) continue;
    p.open(key);
    percentOf(p, key, ` ${key}`, r.probability);
    corrOf(p, !!r.correlation, r.correlation);
    p.close();
  }
  const rate = a.getAttr('TCA_NETEM_RATE') as Record<string, number> | undefined;
  if (rate?.rate) {
    const r64 = Number(a.getAttr('TCA_NETEM_RATE64') ?? 0) || rate.rate;
    p.open('rate').put('rate', r64, ` rate ${rateText(r64)}`);
    intOpt(p, 'packetoverhead', rate.packet_overhead | 0);
    p.put('cellsize', rate.cell_size, rate.cell_size ? ` cellsize ${rate.cell_size}` : undefined);
    intOpt(p, 'celloverhead', rate.cell_overhead | 0);
    p.close();
  }
  const slot = a.getAttr('TCA_NETEM_SLOT') as Record<string, bigint | number> | undefined;
  if (slot) {
    const t = (k: string): number => Number(slot[k]);
    p.open('slot');
    const [k1, l1, k2, l2] =
      t('dist_jitter') > 0
        ? ['distribution', ' slot distribution', 'jitter', '', 'dist_delay', 'dist_jitter']
        : ['min-delay', ' slot', 'max-delay', ''];
    const [v1, v2] = t('dist_jitter') > 0 ? [t('dist_delay'), t('dist_jitter')] : [t('min_delay'), t('max_delay')];
    p.put(k1, Number(fmtG(v1 / NSEC_PER_SEC)), `${l1} ${time64Text(v1)}`);
    p.put(k2, Number(fmtG(v2 / NSEC_PER_SEC)), `${l2} ${time64Text(v2)}`);
    intOpt(p, 'packets', t('max_packets') | 0);
    intOpt(p, 'bytes', t('max_bytes') | 0);
    p.close();
  }
  const ecn = a.getAttr('TCA_NETEM_ECN') !== undefined;
  p.put('ecn', ecn, ecn ? ' ecn ' : undefined);
  p.put('gap', q.gap, q.gap ? ` gap ${q.gap}` : undefined);
}
