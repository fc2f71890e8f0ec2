// police action: a token-bucket rate limit with conform/exceed verdicts (pkt_cls.h TCA_POLICE_*).
import { NetlinkEncodeError, attrMap, binary, nested, pad, s32, struct, u32, u64 } from '../../core/index.js';
import { parseRate, parseSize, rateTable, xmitsize, xmittime } from '../rate.js';
import { LINKLAYER_TEXT, rateText, showTimes, showVerdict, sizeText, type TcShow } from './show.js';
import {
  TC_ACT,
  checkKeys,
  num,
  parseVerdict,
  tcRatespec,
  tcVerdict,
  tcfT,
  type TcActionKind,
  type TcSpec,
} from './common.js';
import type { AttrSet } from '../../core/index.js';

export const tcPolice = struct('tc_police', {
  index: u32,
  action: tcVerdict,
  limit: u32,
  burst: u32,
  mtu: u32,
  rate: tcRatespec,
  peakrate: tcRatespec,
  refcnt: s32,
  bindcnt: s32,
  capab: u32,
});

export const policeMap = attrMap('tca_police', {
  TCA_POLICE_TBF: [1, tcPolice],
  TCA_POLICE_RATE: [2, binary],
  TCA_POLICE_PEAKRATE: [3, binary],
  TCA_POLICE_AVRATE: [4, u32],
  TCA_POLICE_RESULT: [5, tcVerdict],
  TCA_POLICE_TM: [6, tcfT],
  TCA_POLICE_PAD: [7, pad(0)],
  TCA_POLICE_RATE64: [8, u64],
  TCA_POLICE_PEAKRATE64: [9, u64],
  TCA_POLICE_PKTRATE64: [10, u64],
  TCA_POLICE_PKTBURST64: [11, u64],
});

/**
 * `{ kind: 'police', rate: '1mbit', burst: '10k', mtu?, exceed?: 'drop' (default reclassify, as tc),
 * conform?: 'ok', index? }` as `tc ... action police rate R burst B conform-exceed E/C`.
 */
export const police: TcActionKind = {
  kind: 'police',
  options: nested(policeMap),
  build(spec: TcSpec) {
    checkKeys('police', spec, ['kind', 'rate', 'burst', 'mtu', 'exceed', 'conform', 'index']);
    if (spec.rate === undefined || spec.burst === undefined)
      throw new NetlinkEncodeError('police: rate and burst are required');
    const rate = parseRate(spec.rate as string),
      burst = parseSize(spec.burst as string);
    const mtu = spec.mtu === undefined ? 0 : parseSize(spec.mtu as string);
    const r = rateTable(rate, { mtu });
    const a: [string, unknown][] = [
      [
        'TCA_POLICE_TBF',
        {
          index: num(spec, 'index') ?? 0,
          action: spec.exceed === undefined ? TC_ACT.TC_ACT_RECLASSIFY : parseVerdict(spec.exceed as string | number),
          burst: xmittime(r.spec.rate, burst),
          mtu,
          rate: r.spec,
          peakrate: {},
        },
      ],
      ['TCA_POLICE_RATE', r.table],
    ];
    if (spec.conform !== undefined) a.push(['TCA_POLICE_RESULT', parseVerdict(spec.conform as string | number)]);
    if (rate >= 2 ** 32) a.push(['TCA_POLICE_RATE64', rate]);
    return a;
  },
  show: showPolice,
};

/** tc's view: index, rate and burst in the text only; verdicts, overhead, ref and bind in both. */
function showPolice(p: TcShow, o: AttrSet<typeof policeMap.decl> | undefined): void {
  p.put('kind', 'police');
  const q = o?.getAttr('TCA_POLICE_TBF');
  if (!q) return;
  const rate = Number(o!.getAttr('TCA_POLICE_RATE64') ?? q.rate.rate);
  p.text(` police 0x${q.index.toString(16)} `).put('index', q.index);
  p.text(`rate ${rateText(rate)} burst ${sizeText(xmitsize(rate, q.burst))} mtu ${sizeText(q.mtu)} `);
  const prate = Number(o!.getAttr('TCA_POLICE_PEAKRATE64') ?? q.peakrate.rate);
  if (prate) p.text(`peakrate ${rateText(prate)} `);
  const avrate = o!.getAttr('TCA_POLICE_AVRATE');
  if (avrate !== undefined) p.text(`avrate ${rateText(avrate)} `);
  const pps = o!.getAttr('TCA_POLICE_PKTRATE64');
  const ppsBurst = o!.getAttr('TCA_POLICE_PKTBURST64');
  if (pps !== undefined && ppsBurst !== undefined) {
    const burst = xmitsize(Number(pps), Number(ppsBurst));
    p.put('pkts_rate', Number(pps), `pkts_rate ${pps} `).put('pkts_burst', burst, `pkts_burst ${burst} `);
  }
  showVerdict(p, 'action ', q.action, '');
  const result = o!.getAttr('TCA_POLICE_RESULT');
  if (result !== undefined) showVerdict(p, '/', result, ' ');
  else p.text(' ');
  p.put('overhead', q.rate.overhead, `overhead ${sizeText(q.rate.overhead)} `);
  const ll = q.rate.linklayer & 0x0f;
  if (ll > 1 || p.details) {
    const name = LINKLAYER_TEXT[ll] ?? 'unknown';
    p.put('linklayer', name, `linklayer ${name} `);
  }
  p.text('\n').put('ref', q.refcnt, `\tref ${q.refcnt} `).put('bind', q.bindcnt, `bind ${q.bindcnt} `);
  showTimes(p, o!.getAttr('TCA_POLICE_TM'));
  p.text('\n');
}
