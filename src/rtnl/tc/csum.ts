// csum action: recompute checksums of the given headers (tc_act/tc_csum.h).
import { attrMap, flagsOf, nested, pad, struct, u32, type AttrSet } from '../../core/index.js';
import { maskOf } from '../commands.js';
import { checkKeys, num, parseVerdict, tcGen, tcfT, type TcActionKind, type TcSpec } from './common.js';
import { showTimes, showVerdict, type TcShow } from './show.js';

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
  show: showCsum,
};

// The headers in tc's order and names.
const CSUM_TEXT: readonly [number, string][] = [
  [TCA_CSUM_UPDATE_FLAG.TCA_CSUM_UPDATE_FLAG_IPV4HDR, 'iph'],
  [TCA_CSUM_UPDATE_FLAG.TCA_CSUM_UPDATE_FLAG_ICMP, 'icmp'],
  [TCA_CSUM_UPDATE_FLAG.TCA_CSUM_UPDATE_FLAG_IGMP, 'igmp'],
  [TCA_CSUM_UPDATE_FLAG.TCA_CSUM_UPDATE_FLAG_TCP, 'tcp'],
  [TCA_CSUM_UPDATE_FLAG.TCA_CSUM_UPDATE_FLAG_UDP, 'udp'],
  [TCA_CSUM_UPDATE_FLAG.TCA_CSUM_UPDATE_FLAG_UDPLITE, 'udplite'],
  [TCA_CSUM_UPDATE_FLAG.TCA_CSUM_UPDATE_FLAG_SCTP, 'sctp'],
];

/** `csum (iph, tcp) action pass` then index/ref/bind on the next line. */
function showCsum(p: TcShow, o: AttrSet<typeof csumMap.decl> | undefined): void {
  p.put('kind', 'csum', 'csum ');
  const g = o?.getAttr('TCA_CSUM_PARMS');
  if (!o || !g) return;
  const names = CSUM_TEXT.filter(([bit]) => g.update_flags & bit).map(([, n]) => n);
  const list = names.length ? names.join(', ') : '?empty';
  p.put('csum', list, `(${list}) `);
  showVerdict(p, 'action ', g.action, '\n');
  p.put('index', g.index, `\tindex ${g.index}`).put('ref', g.refcnt, ` ref ${g.refcnt}`);
  p.put('bind', g.bindcnt, ` bind ${g.bindcnt}`);
  showTimes(p, o.getAttr('TCA_CSUM_TM'));
  p.text('\n');
}
