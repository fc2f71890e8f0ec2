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
import { parseRate, parseTime, time2tick } from '../rate.js';
import { checkKeys, num, percent, type TcKind, type TcSpec } from './common.js';

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
