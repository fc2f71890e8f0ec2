// gact action: a plain verdict (ok, drop, pipe, reclassify, goto chain...), tc_act/tc_gact.h.
import { type AttrSet, attrMap, nested, pad, struct, u16 } from '../../core/index.js';
import { showActionGen, showTimes, showVerdict, type TcShow } from './show.js';
import { checkKeys, num, parseVerdict, tcGen, tcVerdict, tcfT, type TcActionKind, type TcSpec } from './common.js';

export const tcGact = struct('tc_gact', { ...tcGen });
/** Random or deterministic alternative verdict (ptype PGACT_NETRAND=1, PGACT_DETERM=2). */
export const tcGactP = struct('tc_gact_p', { ptype: u16, pval: u16, paction: tcVerdict });

export const gactMap = attrMap('tca_gact', {
  TCA_GACT_TM: [1, tcfT],
  TCA_GACT_PARMS: [2, tcGact],
  TCA_GACT_PROB: [3, tcGactP],
  TCA_GACT_PAD: [4, pad(0)],
});

/** `{ kind: 'gact', action: 'drop' | 'ok' | 'pipe' | 'continue' | 'goto chain N' | number, index? }`. */
export const gact: TcActionKind = {
  kind: 'gact',
  options: nested(gactMap),
  build(spec: TcSpec) {
    checkKeys('gact', spec, ['kind', 'action', 'index']);
    return [
      [
        'TCA_GACT_PARMS',
        { index: num(spec, 'index') ?? 0, action: parseVerdict((spec.action ?? 'ok') as string | number) },
      ],
    ];
  },
  show: showGact,
};

const PROB_TEXT = ['none', 'netrand', 'determ'];

/** `gact action drop` with its random-verdict part (all zero when none was set), as tc shows it. */
function showGact(p: TcShow, o: AttrSet<typeof gactMap.decl> | undefined): void {
  p.put('kind', 'gact', 'gact ');
  const g = o?.getAttr('TCA_GACT_PARMS');
  if (!g) return;
  showVerdict(p, 'action ', g.action, '');
  const pr = o?.getAttr('TCA_GACT_PROB') ?? { ptype: 0, pval: 0, paction: 0 };
  const type = PROB_TEXT[pr.ptype] ?? 'none';
  p.open('prob').text('\n').put('random_type', type, `\t random type ${type}`);
  showVerdict(p, ' ', pr.paction, ' ');
  p.put('val', pr.pval, `val ${pr.pval}`).close();
  showActionGen(p, g, '\t ');
  showTimes(p, o?.getAttr('TCA_GACT_TM'));
  p.text('\n');
}
