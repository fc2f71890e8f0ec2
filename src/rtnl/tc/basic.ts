// basic filter: a class or actions, optionally behind extended matches (pkt_cls.h TCA_BASIC_*).
import { attrMap, type AttrSet, binary, nested, pad, struct, u64 } from '../../core/index.js';
import { actionList, buildActions, showActions, type ActionSpec } from './action.js';
import { classidText, type TcShow } from './show.js';
import { checkKeys, parseHandle, tcHandle, type TcKind, type TcSpec } from './common.js';

export const basicMap = attrMap('tca_basic', {
  TCA_BASIC_CLASSID: [1, tcHandle],
  // Extended matches (tc's ematch trees) pass through as bytes.
  TCA_BASIC_EMATCHES: [2, binary],
  TCA_BASIC_ACT: [3, actionList],
  TCA_BASIC_POLICE: [4, binary],
  TCA_BASIC_PCNT: [5, struct('tc_basic_pcnt', { rcnt: u64, rhit: u64 })],
  TCA_BASIC_PAD: [6, pad(0)],
});

/** `{ classid?: '1:10', action?: ActionSpec | ActionSpec[] }` (matches every packet, like `tc ... basic`). */
export const basic: TcKind = {
  kind: 'basic',
  options: nested(basicMap),
  keys: { filter: ['classid', 'flowid', 'action'] },
  show(p: TcShow, o: AttrSet<typeof basicMap.decl>, _t, handle: number) {
    if (handle) p.put('handle', handle.toString(16), `handle 0x${handle.toString(16)} `);
    const classid = o.getAttr('TCA_BASIC_CLASSID');
    if (classid !== undefined) p.put('flowid', classidText(classid), `flowid ${classidText(classid)} `);
    if (o.getAttr('TCA_BASIC_POLICE')) p.text('\n');
    showActions(p, o.getAttr('TCA_BASIC_ACT'));
  },
  filter(spec: TcSpec) {
    checkKeys('basic', spec, ['classid', 'flowid', 'action']);
    const a: [string, unknown][] = [];
    const classid = spec.classid ?? spec.flowid;
    if (classid !== undefined) a.push(['TCA_BASIC_CLASSID', parseHandle(classid as string | number, 'classid')]);
    if (spec.action !== undefined) a.push(['TCA_BASIC_ACT', buildActions(spec.action as ActionSpec)]);
    return a;
  },
};
