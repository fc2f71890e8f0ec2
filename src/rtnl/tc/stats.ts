// Statistics shared by qdiscs, classes, filters and actions: TCA_STATS, TCA_STATS2 (gen_stats.h).
import { AttrSet, attrMap, hex, nested, pad, struct, u32, u64, type NlaType } from '../../core/index.js';
import { rateText, sizeText, type TcShow } from './show.js';

/** struct tc_stats (TCA_STATS, the old fixed block); 36 bytes padded to 40 on 64-bit. */
export const tcStats = struct(
  'tc_stats',
  {
    bytes: u64,
    packets: u32,
    drops: u32,
    overlimits: u32,
    bps: u32,
    pps: u32,
    qlen: u32,
    backlog: u32,
    __pad: pad(4),
  },
  { minSize: 36 },
);

/** struct gnet_stats_basic: 12 bytes of data, 16 with the u64 alignment. */
export const gnetStatsBasic = struct('gnet_stats_basic', { bytes: u64, packets: u32, __pad: pad(4) }, { minSize: 12 });
export const gnetStatsRateEst = struct('gnet_stats_rate_est', { bps: u32, pps: u32 });
export const gnetStatsRateEst64 = struct('gnet_stats_rate_est64', { bps: u64, pps: u64 });
export const gnetStatsQueue = struct('gnet_stats_queue', {
  qlen: u32,
  backlog: u32,
  drops: u32,
  requeues: u32,
  overlimits: u32,
});

/**
 * TCA_STATS_APP: the kind's own statistics, chosen by the TCA_KIND of the message (or
 * TCA_ACT_KIND of the action) that holds this TCA_STATS2.
 */
export function appStats(
  byKind: () => Readonly<Record<string, NlaType<any, any>>>,
  kindAttr = 'TCA_KIND',
): NlaType<unknown, unknown> {
  const pick = (owner: unknown): NlaType<any, any> => {
    const parent = owner instanceof AttrSet ? owner.parent : null;
    let kind: unknown;
    try {
      kind = parent?.getAttr(kindAttr);
    } catch {
      kind = undefined;
    }
    return (typeof kind === 'string' && byKind()[kind]) || hex;
  };
  return {
    kind: 'tc_stats_app',
    size: 0,
    nlaFlags: 0,
    decode: (b, o, len, owner) => pick(owner).decode(b, o, len, owner),
    encode: (w, v, ctx) => hex.encode(w, v as Buffer, ctx),
    pretty: (v) => (v instanceof AttrSet ? v.attrsJSON() : Buffer.isBuffer(v) ? v.toString('hex') : v),
  };
}

/** TCA_STATS2 children; `app` decodes TCA_STATS_APP. */
export function statsMap(app: NlaType<any, any>) {
  return attrMap('tca_stats', {
    TCA_STATS_BASIC: [1, gnetStatsBasic],
    TCA_STATS_RATE_EST: [2, gnetStatsRateEst],
    TCA_STATS_QUEUE: [3, gnetStatsQueue],
    TCA_STATS_APP: [4, app],
    TCA_STATS_RATE_EST64: [5, gnetStatsRateEst64],
    TCA_STATS_PAD: [6, pad(0)],
    TCA_STATS_BASIC_HW: [7, gnetStatsBasic],
    TCA_STATS_PKT64: [8, u64],
  });
}

/** A nested TCA_STATS2 whose APP part is chosen by kind. */
export function stats2(byKind: () => Readonly<Record<string, NlaType<any, any>>>, kindAttr = 'TCA_KIND') {
  const map = statsMap(appStats(byKind, kindAttr));
  return nested(map);
}

/** Statistics of a qdisc, class, filter or action as one plain record. */
export interface TcStatsRecord {
  bytes: bigint;
  packets: number;
  drops: number;
  overlimits: number;
  requeues: number;
  qlen: number;
  backlog: number;
  /** Rate estimator (bytes and packets per second); 0 without an estimator. */
  bps: bigint;
  pps: bigint;
}

/**
 * The TCA_STATS2 nest (basic, queue, rate estimator) of a message or action as a record:
 * `statsRecord(msg.getAttr('TCA_STATS2'))`.
 */
export function statsRecord(stats2: AttrSet<any> | undefined): TcStatsRecord {
  const basic = stats2?.getAttr('TCA_STATS_BASIC') as { bytes?: bigint; packets?: number } | undefined;
  const q = stats2?.getAttr('TCA_STATS_QUEUE') as Record<string, number> | undefined;
  const r64 = stats2?.getAttr('TCA_STATS_RATE_EST64') as { bps: bigint; pps: bigint } | undefined;
  const r = stats2?.getAttr('TCA_STATS_RATE_EST') as { bps: number; pps: number } | undefined;
  const pkt64 = stats2?.getAttr('TCA_STATS_PKT64') as bigint | undefined;
  return {
    bytes: BigInt(basic?.bytes ?? 0n),
    packets: pkt64 !== undefined ? Number(pkt64) : (basic?.packets ?? 0),
    drops: q?.drops ?? 0,
    overlimits: q?.overlimits ?? 0,
    requeues: q?.requeues ?? 0,
    qlen: q?.qlen ?? 0,
    backlog: q?.backlog ?? 0,
    bps: r64?.bps ?? BigInt(r?.bps ?? 0),
    pps: r64?.pps ?? BigInt(r?.pps ?? 0),
  };
}

/**
 * A TCA_STATS2 nest as `tc -s` shows it (bytes, packets, drops, overlimits, requeues, rate,
 * backlog, qlen); `prefix` starts each text line. Returns the kind's TCA_STATS_APP, if any.
 */
export function showStats2(p: TcShow, s2: AttrSet<any>, prefix: string): unknown {
  const basic = s2.getAttr('TCA_STATS_BASIC') as { bytes: bigint; packets: number } | undefined;
  const q = s2.getAttr('TCA_STATS_QUEUE') as Record<string, number> | undefined;
  if (basic) {
    const pkt64 = s2.getAttr('TCA_STATS_PKT64') as bigint | undefined;
    const packets = pkt64 ? Number(pkt64) : basic.packets;
    p.text(prefix).put('bytes', Number(basic.bytes), `Sent ${basic.bytes} bytes`);
    p.put('packets', packets, ` ${packets} pkt`);
  }
  if (q) {
    p.put('drops', q.drops, ` (dropped ${q.drops}`).put('overlimits', q.overlimits, `, overlimits ${q.overlimits}`);
    p.put('requeues', q.requeues, ` requeues ${q.requeues}) `);
  }
  showHwStats(p, s2, prefix);
  const r64 = s2.getAttr('TCA_STATS_RATE_EST64') as { bps: bigint; pps: bigint } | undefined;
  const r = r64 ?? (s2.getAttr('TCA_STATS_RATE_EST') as { bps: number; pps: number } | undefined);
  if (r) {
    p.text(`\n${prefix}`).put('rate', Number(r.bps), `rate ${rateText(r.bps)}`);
    p.put('pps', Number(r.pps), ` ${r.pps}pps`);
  }
  if (q) {
    if (!s2.getAttr('TCA_STATS_RATE_EST')) p.text('\n');
    p.text(prefix).put('backlog', q.backlog, `backlog ${sizeText(q.backlog)}`);
    p.put('qlen', q.qlen, ` ${q.qlen}p`).text(` requeues ${q.requeues}`);
  }
  return s2.getAttr('TCA_STATS_APP');
}

/** Hardware counters, shown only when the hardware counted something. */
function showHwStats(p: TcShow, s2: AttrSet<any>, prefix: string): void {
  const hw = s2.getAttr('TCA_STATS_BASIC_HW') as { bytes: bigint; packets: number } | undefined;
  if (!hw || (hw.bytes === 0n && hw.packets === 0)) return;
  const sw = s2.getAttr('TCA_STATS_BASIC') as { bytes: bigint; packets: number } | undefined;
  if (sw && sw.bytes >= hw.bytes && sw.packets >= hw.packets) {
    const bytes = sw.bytes - hw.bytes,
      packets = sw.packets - hw.packets;
    p.text(`\n${prefix}`).put('sw_bytes', Number(bytes), `Sent software ${bytes} bytes`);
    p.put('sw_packets', packets, ` ${packets} pkt`);
  }
  p.text(`\n${prefix}`).put('hw_bytes', Number(hw.bytes), `Sent hardware ${hw.bytes} bytes`);
  p.put('hw_packets', hw.packets, ` ${hw.packets} pkt`);
}
