// mirred action: mirror or redirect packets to a device (tc_act/tc_mirred.h).
import { NetlinkEncodeError, type AttrSet, attrMap, enumOf, nested, pad, s32, struct, u32 } from '../../core/index.js';
import { showActionGen, showTimes, showVerdict, type TcShow } from './show.js';
import { TC_ACT, parseVerdict, tcGen, tcfT, checkKeys, num, type TcActionKind, type TcSpec } from './common.js';

export const MIRRED_EACTION = {
  TCA_EGRESS_REDIR: 1,
  TCA_EGRESS_MIRROR: 2,
  TCA_INGRESS_REDIR: 3,
  TCA_INGRESS_MIRROR: 4,
} as const;

export const tcMirred = struct('tc_mirred', { ...tcGen, eaction: enumOf(s32, MIRRED_EACTION), ifindex: u32 });

export const mirredMap = attrMap('tca_mirred', {
  TCA_MIRRED_TM: [1, tcfT],
  TCA_MIRRED_PARMS: [2, tcMirred],
  TCA_MIRRED_PAD: [3, pad(0)],
});

/**
 * `{ kind: 'mirred', direction: 'egress'|'ingress', action: 'redirect'|'mirror', ifindex,
 * verdict?, index? }`; the verdict defaults to tc's: stolen for redirect, pipe for mirror.
 */
export const mirred: TcActionKind = {
  kind: 'mirred',
  options: nested(mirredMap),
  build(spec: TcSpec) {
    checkKeys('mirred', spec, ['kind', 'direction', 'action', 'ifindex', 'verdict', 'index']);
    const dir = String(spec.direction ?? 'egress').toLowerCase();
    const act = String(spec.action ?? 'redirect').toLowerCase();
    if (dir !== 'egress' && dir !== 'ingress')
      throw new NetlinkEncodeError(`mirred: direction must be egress or ingress, got ${dir}`);
    if (act !== 'redirect' && act !== 'mirror')
      throw new NetlinkEncodeError(`mirred: action must be redirect or mirror, got ${act}`);
    const ifindex = num(spec, 'ifindex');
    if (!ifindex) throw new NetlinkEncodeError('mirred needs the ifindex of the target device');
    const eaction =
      MIRRED_EACTION[
        `TCA_${dir.toUpperCase()}_${act === 'redirect' ? 'REDIR' : 'MIRROR'}` as keyof typeof MIRRED_EACTION
      ];
    const verdict =
      spec.verdict !== undefined
        ? parseVerdict(spec.verdict as string | number)
        : act === 'redirect'
          ? TC_ACT.TC_ACT_STOLEN
          : TC_ACT.TC_ACT_PIPE;
    return [['TCA_MIRRED_PARMS', { index: num(spec, 'index') ?? 0, action: verdict, eaction, ifindex }]];
  },
  show: showMirred,
};

const EACTION_TEXT: Readonly<Record<number, [string, string, string]>> = {
  1: ['Egress Redirect', 'redirect', 'egress'],
  2: ['Egress Mirror', 'mirror', 'egress'],
  3: ['Ingress Redirect', 'redirect', 'ingress'],
  4: ['Ingress Mirror', 'mirror', 'ingress'],
};

/** `mirred (Egress Redirect to device X) stolen` and its JSON keys. */
function showMirred(p: TcShow, o: AttrSet<typeof mirredMap.decl> | undefined): void {
  p.put('kind', 'mirred', 'mirred ');
  const m = o?.getAttr('TCA_MIRRED_PARMS');
  if (!m) return;
  const [text, action, direction] = EACTION_TEXT[m.eaction] ?? ['unknown', 'unknown', 'unknown'];
  const dev = p.names.get(m.ifindex) ?? String(m.ifindex);
  p.text(`(${text}`).put('mirred_action', action).put('direction', direction).put('to_dev', dev, ` to device ${dev})`);
  showVerdict(p, ' ', m.action, '');
  showActionGen(p, m);
  showTimes(p, o?.getAttr('TCA_MIRRED_TM'));
  p.text('\n');
}
