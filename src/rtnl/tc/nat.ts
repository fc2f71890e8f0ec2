// nat action: stateless address translation of a prefix (tc_act/tc_nat.h).
import { NetlinkEncodeError, attrMap, ipv4, nested, pad, struct, u32, type AttrSet } from '../../core/index.js';
import { checkKeys, num, parseVerdict, tcGen, tcfT, type TcActionKind, type TcSpec } from './common.js';
import { showActionGen, showTimes, showVerdict, type TcShow } from './show.js';

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
  show: showNat,
};

/**
 * The prefix length tc 6.1 prints: it takes ffs() of the mask read as a host (little-endian)
 * integer, so any mask whose first byte is odd prints as /32. Reproduced, not corrected.
 */
function tcPrefixLen(mask: string): number {
  const b = mask.split('.').map(Number);
  const host = (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  if (!host) return 0;
  let bit = 1;
  while (!((host >>> (bit - 1)) & 1)) bit++;
  return 33 - bit;
}

/** `nat ingress 10.0.0.0/32 192.168.1.0 pass` (tc's JSON names the kind "type"). */
function showNat(p: TcShow, o: AttrSet<typeof natMap.decl> | undefined): void {
  p.put('type', 'nat', ' nat ');
  const g = o?.getAttr('TCA_NAT_PARMS');
  if (!o || !g) return;
  const dir = g.flags & TCA_NAT_FLAG_EGRESS ? 'egress' : 'ingress';
  const old = `${g.old_addr}/${tcPrefixLen(g.mask)}`;
  p.put('direction', dir, dir).put('old_addr', old, ` ${old}`).put('new_addr', g.new_addr, ` ${g.new_addr}`);
  showVerdict(p, ' ', g.action, '');
  showActionGen(p, g, '\t ');
  showTimes(p, o.getAttr('TCA_NAT_TM'));
  p.text('\n');
}
