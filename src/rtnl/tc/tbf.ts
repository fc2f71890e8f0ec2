// tbf qdisc: a token bucket shaper. Options: tc_tbf_qopt with tc's rate tables (pkt_sched.h).
import { NetlinkEncodeError, attrMap, type AttrSet, binary, nested, pad, struct, u32, u64 } from '../../core/index.js';
import {
  parseRate,
  parseSize,
  parseSizeAndCell,
  parseTime,
  rateTable,
  toU32,
  xmitsize,
  xmittime,
  type LinkLayer,
} from '../rate.js';
import { checkKeys, num, tcRatespec, type TcKind, type TcSpec } from './common.js';
import { LINKLAYER_TEXT, rateText, sizeText, timeText, type TcShow } from './show.js';
import { tick2time, TIME_UNITS_PER_SEC } from '../rate.js';

export const tcTbfQopt = struct('tc_tbf_qopt', {
  rate: tcRatespec,
  peakrate: tcRatespec,
  limit: u32,
  buffer: u32,
  mtu: u32,
});

export const tbfMap = attrMap('tca_tbf', {
  TCA_TBF_PARMS: [1, tcTbfQopt],
  TCA_TBF_RTAB: [2, binary],
  TCA_TBF_PTAB: [3, binary],
  TCA_TBF_RATE64: [4, u64],
  TCA_TBF_PRATE64: [5, u64],
  TCA_TBF_BURST: [6, u32],
  TCA_TBF_PBURST: [7, u32],
  TCA_TBF_PAD: [8, pad(0)],
});

const KEYS = [
  'rate',
  'burst',
  'buffer',
  'maxburst',
  'latency',
  'limit',
  'mtu',
  'minburst',
  'peakrate',
  'mpu',
  'overhead',
  'linklayer',
];

/**
 * `{ rate: '10mbit', burst: '10kb'[/cell], latency: '50ms' | limit: bytes, peakrate?, mtu?,
 * mpu?, overhead?, linklayer? }` — computed exactly as tc does (same ticks, same tables).
 */
export const tbf: TcKind = {
  kind: 'tbf',
  options: nested(tbfMap),
  keys: { qdisc: KEYS },
  read(o: AttrSet<typeof tbfMap.decl>) {
    const p = o.getAttr('TCA_TBF_PARMS');
    if (!p) return {};
    const rate = Number(o.getAttr('TCA_TBF_RATE64') ?? p.rate.rate);
    const out: Record<string, unknown> = {
      rate,
      burst: o.getAttr('TCA_TBF_BURST') ?? xmitsize(rate, p.buffer),
      limit: p.limit,
    };
    const prate = Number(o.getAttr('TCA_TBF_PRATE64') ?? p.peakrate.rate);
    if (prate) Object.assign(out, { peakrate: prate, mtu: o.getAttr('TCA_TBF_PBURST') ?? xmitsize(prate, p.mtu) });
    if (p.rate.mpu) out.mpu = p.rate.mpu;
    if (p.rate.overhead) out.overhead = p.rate.overhead;
    return out;
  },
  show: showTbf,
  qdisc(spec: TcSpec) {
    checkKeys('tbf', spec, KEYS);
    if (spec.rate === undefined) throw new NetlinkEncodeError('tbf: rate is required');
    const burstIn = spec.burst ?? spec.buffer ?? spec.maxburst;
    if (burstIn === undefined) throw new NetlinkEncodeError('tbf: burst is required');
    if ((spec.limit === undefined) === (spec.latency === undefined))
      throw new NetlinkEncodeError('tbf: give exactly one of limit and latency');
    const rate64 = parseRate(spec.rate as string);
    const prate64 = spec.peakrate === undefined ? 0 : parseRate(spec.peakrate as string);
    const { size: buffer, cellLog: rcell } = parseSizeAndCell(burstIn as string);
    const mtuIn = spec.mtu ?? spec.minburst;
    const { size: mtu, cellLog: pcell } =
      mtuIn === undefined ? { size: 0, cellLog: undefined } : parseSizeAndCell(mtuIn as string);
    if (prate64 && !mtu) throw new NetlinkEncodeError('tbf: mtu is required with peakrate');
    let limit = spec.limit === undefined ? 0 : parseSize(spec.limit as string);
    if (!limit) {
      const latency = parseTime(spec.latency as string);
      let lim = (rate64 * latency) / 1e6 + buffer;
      if (prate64) lim = Math.min(lim, (prate64 * latency) / 1e6 + mtu);
      limit = toU32(lim);
    }
    const common = {
      mtu,
      mpu: num(spec, 'mpu') ?? 0,
      overhead: num(spec, 'overhead') ?? 0,
      linklayer: spec.linklayer as LinkLayer | undefined,
    };
    const r = rateTable(rate64, { ...common, cellLog: rcell });
    const p = prate64 ? rateTable(prate64, { ...common, cellLog: pcell }) : undefined;
    const attrs: [string, unknown][] = [
      [
        'TCA_TBF_PARMS',
        {
          rate: r.spec,
          peakrate: p ? p.spec : {},
          limit,
          buffer: xmittime(r.spec.rate, buffer),
          mtu: p ? xmittime(p.spec.rate, mtu) : 0,
        },
      ],
      ['TCA_TBF_BURST', buffer],
    ];
    if (rate64 >= 2 ** 32) attrs.push(['TCA_TBF_RATE64', rate64]);
    attrs.push(['TCA_TBF_RTAB', r.table]);
    if (p) {
      if (prate64 >= 2 ** 32) attrs.push(['TCA_TBF_PRATE64', prate64]);
      attrs.push(['TCA_TBF_PBURST', mtu], ['TCA_TBF_PTAB', p.table]);
    }
    return attrs;
  },
};

/** tc's view: rate, burst (bytes), latency derived from the limit, peak rate in the text only. */
function showTbf(p: TcShow, o: AttrSet<typeof tbfMap.decl>): void {
  const q = o.getAttr('TCA_TBF_PARMS');
  if (!q) return;
  const rate = Number(o.getAttr('TCA_TBF_RATE64') ?? q.rate.rate);
  p.put('rate', rate, `rate ${rateText(rate)} `);
  const buffer = xmitsize(rate, q.buffer);
  if (p.details) {
    p.put('burst', `${sizeText(buffer)}/${2 ** q.rate.cell_log}`, `burst ${sizeText(buffer)}/${2 ** q.rate.cell_log} `);
    p.put('mpu', q.rate.mpu, `mpu ${sizeText(q.rate.mpu)} `);
  } else p.put('burst', buffer, `burst ${sizeText(buffer)} `);
  const prate = Number(o.getAttr('TCA_TBF_PRATE64') ?? q.peakrate.rate);
  if (prate) {
    p.text(`peakrate ${rateText(prate)} `);
    if (q.mtu || q.peakrate.mpu) {
      const mtu = xmitsize(prate, q.mtu);
      if (p.details) {
        const cell = 2 ** q.peakrate.cell_log;
        p.put('mtu', `${sizeText(mtu)}/${cell}`, `mtu ${sizeText(mtu)}/${cell} `);
        p.put('mpu', q.peakrate.mpu, `mpu ${sizeText(q.peakrate.mpu)} `);
      } else p.put('minburst', mtu, `minburst ${sizeText(mtu)} `);
    }
  }
  let latency = TIME_UNITS_PER_SEC * (q.limit / rate) - tick2time(q.buffer);
  if (prate) latency = Math.max(latency, TIME_UNITS_PER_SEC * (q.limit / prate) - tick2time(q.mtu));
  if (latency >= 0) p.put('lat', Math.trunc(latency), `lat ${timeText(Math.trunc(latency))} `);
  else p.put('limit', q.limit, `limit ${sizeText(q.limit)} `);
  if (q.rate.overhead) p.put('overhead', q.rate.overhead, `overhead ${q.rate.overhead} `);
  const ll = q.rate.linklayer & 0x0f;
  if (ll > 1 || p.details) {
    const name = LINKLAYER_TEXT[ll] ?? 'unknown';
    p.put('linklayer', name, `linklayer ${name} `);
  }
}
