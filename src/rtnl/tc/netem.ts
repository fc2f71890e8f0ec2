// netem qdisc: delay, jitter, loss, duplication, reordering and corruption (pkt_sched.h).
// TCA_OPTIONS is struct tc_netem_qopt followed directly by TCA_NETEM_* attributes.
import {
  AttrSet, NetlinkDecodeError, NetlinkEncodeError, attrMap, hex, nested, pad, s64, struct, u32, u64, type NlaType,
} from '../../core/index.js';
import type { TcKind } from './common.js';

export const tcNetemQopt = struct('tc_netem_qopt', {
  latency: u32, limit: u32, loss: u32, gap: u32, duplicate: u32, jitter: u32,
});
const corr = struct('tc_netem_corr', { delay_corr: u32, loss_corr: u32, dup_corr: u32 });
const reorder = struct('tc_netem_reorder', { probability: u32, correlation: u32 });
const corrupt = struct('tc_netem_corrupt', { probability: u32, correlation: u32 });
const rate = struct('tc_netem_rate', { rate: u32, packet_overhead: u32, cell_size: u32, cell_overhead: u32 });
const slot = struct('tc_netem_slot', {
  min_delay: s64, max_delay: s64, max_packets: u32, max_bytes: u32, dist_delay: s64, dist_jitter: s64,
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
export const netemOptions: NlaType<NetemOptions, never> = {
  kind: 'tc_netem_options', size: 0, nlaFlags: 0,
  decode(buf, off, len, owner) {
    const need = tcNetemQopt.size;
    if (len < need) throw new NetlinkDecodeError(`tc_netem_qopt needs ${need} bytes, has ${len}`, off);
    return {
      qopt: tcNetemQopt.decode(buf, off, tcNetemQopt.size, owner) as Record<string, unknown>,
      attrs: new AttrSet(buf, off + tcNetemQopt.size, off + len, netemMap, owner),
    };
  },
  encode(_w, _v, ctx) {
    throw new NetlinkEncodeError('netem options are decoded only; build them with tc', ctx.path);
  },
  pretty: (v) => ({ ...(tcNetemQopt.pretty(v.qopt as never) as object), ...Object.fromEntries(v.attrs.attrsJSON()) }),
};

export const netem: TcKind = { kind: 'netem', options: netemOptions };
