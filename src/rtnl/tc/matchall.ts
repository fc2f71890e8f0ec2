// matchall filter: every packet, straight to a class or an action list (pkt_cls.h TCA_MATCHALL_*).
import { attrMap, nested, pad, struct, u32, u64, type AttrSet } from '../../core/index.js';
import { actionList, buildActions, showActions, type ActionSpec } from './action.js';
import { classidText, showClsFlags, type TcShow } from './show.js';
import { checkKeys, classFlags, parseHandle, tcHandle, type TcKind, type TcSpec } from './common.js';

export const matchallMap = attrMap('tca_matchall', {
  TCA_MATCHALL_CLASSID: [1, tcHandle],
  TCA_MATCHALL_ACT: [2, actionList],
  TCA_MATCHALL_FLAGS: [3, u32],
  TCA_MATCHALL_PCNT: [4, struct('tc_matchall_pcnt', { rhit: u64 })],
  TCA_MATCHALL_PAD: [5, pad(0)],
});

/** `{ classid?: '1:10', action?: ActionSpec | ActionSpec[], skip_hw?, skip_sw? }`. */
export const matchall: TcKind = {
  kind: 'matchall',
  options: nested(matchallMap),
  keys: { filter: ['classid', 'flowid', 'action', 'skip_hw', 'skip_sw'] },
  show(p: TcShow, o: AttrSet<typeof matchallMap.decl>, _t, handle: number) {
    if (handle) p.put('handle', handle, `handle 0x${handle.toString(16)} `);
    const classid = o.getAttr('TCA_MATCHALL_CLASSID');
    if (classid !== undefined) p.put('flowid', classidText(classid), `flowid ${classidText(classid)} `);
    const flags = o.getAttr('TCA_MATCHALL_FLAGS');
    if (flags !== undefined) showClsFlags(p, flags, '\n  ', '');
    const pcnt = o.getAttr('TCA_MATCHALL_PCNT');
    if (p.stats && pcnt) p.put('rule_hit', Number(pcnt.rhit), ` (rule hit ${pcnt.rhit})`);
    showActions(p, o.getAttr('TCA_MATCHALL_ACT'));
  },
  filter(spec: TcSpec) {
    checkKeys('matchall', spec, ['classid', 'flowid', 'action', 'skip_hw', 'skip_sw']);
    const a: [string, unknown][] = [];
    const classid = spec.classid ?? spec.flowid;
    if (classid !== undefined) a.push(['TCA_MATCHALL_CLASSID', parseHandle(classid as string | number, 'classid')]);
    if (spec.action !== undefined) a.push(['TCA_MATCHALL_ACT', buildActions(spec.action as ActionSpec)]);
    const flags = classFlags(spec);
    if (flags) a.push(['TCA_MATCHALL_FLAGS', flags]);
    return a;
  },
};
