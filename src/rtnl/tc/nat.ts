// nat action: stateless address translation of a prefix (tc_act/tc_nat.h).
import { NetlinkEncodeError, attrMap, ipv4, nested, pad, struct, u32 } from '../../core/index.js';
import { checkKeys, num, parseVerdict, tcGen, tcfT, type TcActionKind, type TcSpec } from './common.js';

export const TCA_NAT_FLAG_EGRESS = 1;
export const natMap = attrMap('tca_nat', {
  TCA_NAT_PARMS: [1, struct('tc_nat', { ...tcGen, old_addr: ipv4, new_addr: ipv4, mask: ipv4, flags: u32 })],
  TCA_NAT_TM: [2, tcfT],
  TCA_NAT_PAD: [3, pad(0)],
});

const maskOfLen = (n: number): string =>
  [24, 16, 8, 0].map((s) => ((n ? (0xffffffff << (32 - n)) >>> 0 : 0) >>> s) & 0xff).join('.');

/** `{ kind: 'nat', direction: 'ingress' | 'egress', old: '10.0.0.0/8', new: '192.168.0.0', action?, index? }`. */
export const nat: TcActionKind = {
  kind: 'nat',
  options: nested(natMap),
  build(spec: TcSpec) {
    checkKeys('nat', spec, ['kind', 'direction', 'old', 'new', 'action', 'index']);
    const dir = spec.direction;
    if (dir !== 'ingress' && dir !== 'egress') throw new NetlinkEncodeError('nat: direction must be ingress or egress');
    const [oldAddr, len = '32'] = String(spec.old ?? '').split('/');
    if (!oldAddr || spec.new === undefined) throw new NetlinkEncodeError('nat: old and new addresses are required');
    return [
      [
        'TCA_NAT_PARMS',
        {
          index: num(spec, 'index') ?? 0,
          action: parseVerdict((spec.action ?? 'ok') as string),
          old_addr: oldAddr,
          new_addr: String(spec.new),
          mask: maskOfLen(Number(len)),
          flags: dir === 'egress' ? TCA_NAT_FLAG_EGRESS : 0,
        },
      ],
    ];
  },
};
