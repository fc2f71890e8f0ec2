// tunnel_key action: attach (set) or drop (release) tunnel metadata (tc_act/tc_tunnel_key.h).
import {
  NetlinkEncodeError,
  attrMap,
  be16,
  be32,
  binary,
  enumOf,
  flag,
  ipv4,
  ipv6,
  nested,
  pad,
  s32,
  struct,
  u8,
} from '../../core/index.js';
import { checkKeys, num, parseVerdict, tcGen, tcfT, type TcActionKind, type TcSpec } from './common.js';

export const TCA_TUNNEL_KEY_ACT = { TCA_TUNNEL_KEY_ACT_SET: 1, TCA_TUNNEL_KEY_ACT_RELEASE: 2 } as const;

export const tunnelKeyMap = attrMap('tca_tunnel_key', {
  TCA_TUNNEL_KEY_TM: [1, tcfT],
  TCA_TUNNEL_KEY_PARMS: [2, struct('tc_tunnel_key', { ...tcGen, t_action: enumOf(s32, TCA_TUNNEL_KEY_ACT) })],
  TCA_TUNNEL_KEY_ENC_IPV4_SRC: [3, ipv4],
  TCA_TUNNEL_KEY_ENC_IPV4_DST: [4, ipv4],
  TCA_TUNNEL_KEY_ENC_IPV6_SRC: [5, ipv6],
  TCA_TUNNEL_KEY_ENC_IPV6_DST: [6, ipv6],
  TCA_TUNNEL_KEY_ENC_KEY_ID: [7, be32],
  TCA_TUNNEL_KEY_PAD: [8, pad(0)],
  TCA_TUNNEL_KEY_ENC_DST_PORT: [9, be16],
  TCA_TUNNEL_KEY_NO_CSUM: [10, u8],
  TCA_TUNNEL_KEY_ENC_OPTS: [11, binary],
  TCA_TUNNEL_KEY_ENC_TOS: [12, u8],
  TCA_TUNNEL_KEY_ENC_TTL: [13, u8],
  TCA_TUNNEL_KEY_NO_FRAG: [14, flag],
});

/**
 * `{ kind: 'tunnel_key', op: 'set' | 'release', src_ip?, dst_ip?, id?, dst_port?, tos?, ttl?,
 * csum?: boolean (default true), action?, index? }` as `tc ... action tunnel_key set ...`.
 */
export const tunnelKey: TcActionKind = {
  kind: 'tunnel_key',
  options: nested(tunnelKeyMap),
  build(spec: TcSpec) {
    checkKeys('tunnel_key', spec, [
      'kind',
      'op',
      'src_ip',
      'dst_ip',
      'id',
      'dst_port',
      'tos',
      'ttl',
      'csum',
      'action',
      'index',
    ]);
    const set = spec.op === 'set';
    if (!set && spec.op !== 'release') throw new NetlinkEncodeError('tunnel_key: op must be set or release');
    const a: [string, unknown][] = [
      [
        'TCA_TUNNEL_KEY_PARMS',
        {
          index: num(spec, 'index') ?? 0,
          action: parseVerdict((spec.action ?? 'pipe') as string),
          t_action: set ? 'TCA_TUNNEL_KEY_ACT_SET' : 'TCA_TUNNEL_KEY_ACT_RELEASE',
        },
      ],
    ];
    if (!set) return a;
    for (const k of ['src_ip', 'dst_ip'] as const) {
      const v = spec[k];
      if (v === undefined) continue;
      const fam = String(v).includes(':') ? 'IPV6' : 'IPV4';
      a.push([`TCA_TUNNEL_KEY_ENC_${fam}_${k === 'src_ip' ? 'SRC' : 'DST'}`, String(v)]);
    }
    const id = num(spec, 'id'),
      port = num(spec, 'dst_port'),
      tos = num(spec, 'tos'),
      ttl = num(spec, 'ttl');
    if (id !== undefined) a.push(['TCA_TUNNEL_KEY_ENC_KEY_ID', id]);
    if (port !== undefined) a.push(['TCA_TUNNEL_KEY_ENC_DST_PORT', port]);
    if (tos !== undefined) a.push(['TCA_TUNNEL_KEY_ENC_TOS', tos]);
    if (ttl !== undefined) a.push(['TCA_TUNNEL_KEY_ENC_TTL', ttl]);
    a.push(['TCA_TUNNEL_KEY_NO_CSUM', spec.csum === false ? 1 : 0]);
    return a;
  },
};
