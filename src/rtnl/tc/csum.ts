// csum action: recompute checksums of the given headers (tc_act/tc_csum.h).
import { attrMap, flagsOf, nested, pad, struct, u32 } from '../../core/index.js';
import { maskOf } from '../commands.js';
import { checkKeys, num, parseVerdict, tcGen, tcfT, type TcActionKind, type TcSpec } from './common.js';

export const TCA_CSUM_UPDATE_FLAG = {
  TCA_CSUM_UPDATE_FLAG_IPV4HDR: 1,
  TCA_CSUM_UPDATE_FLAG_ICMP: 2,
  TCA_CSUM_UPDATE_FLAG_IGMP: 4,
  TCA_CSUM_UPDATE_FLAG_TCP: 8,
  TCA_CSUM_UPDATE_FLAG_UDP: 16,
  TCA_CSUM_UPDATE_FLAG_UDPLITE: 32,
  TCA_CSUM_UPDATE_FLAG_SCTP: 64,
} as const;

export const csumMap = attrMap('tca_csum', {
  TCA_CSUM_PARMS: [1, struct('tc_csum', { ...tcGen, update_flags: flagsOf(u32, TCA_CSUM_UPDATE_FLAG) })],
  TCA_CSUM_TM: [2, tcfT],
  TCA_CSUM_PAD: [3, pad(0)],
});

/** `{ kind: 'csum', update: ['ipv4hdr', 'tcp', 'udp'], action?, index? }` ('iph' is ipv4hdr, as in tc). */
export const csum: TcActionKind = {
  kind: 'csum',
  options: nested(csumMap),
  build(spec: TcSpec) {
    checkKeys('csum', spec, ['kind', 'update', 'action', 'index']);
    const list = (Array.isArray(spec.update) ? spec.update : [spec.update]).map((x) => (x === 'iph' ? 'ipv4hdr' : x));
    return [
      [
        'TCA_CSUM_PARMS',
        {
          index: num(spec, 'index') ?? 0,
          action: parseVerdict((spec.action ?? 'ok') as string),
          update_flags: maskOf(list, TCA_CSUM_UPDATE_FLAG, 'TCA_CSUM_UPDATE_FLAG_', 'csum header'),
        },
      ],
    ];
  },
};
