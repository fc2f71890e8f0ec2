// police action: a token-bucket rate limit with conform/exceed verdicts (pkt_cls.h TCA_POLICE_*).
import { NetlinkEncodeError, attrMap, binary, nested, pad, s32, struct, u32, u64 } from '../../core/index.js';
import { parseRate, parseSize, rateTable, xmittime } from '../rate.js';
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
};
