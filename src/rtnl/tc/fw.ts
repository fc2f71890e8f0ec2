// fw filter: classify by the packet's firewall mark; the filter handle is the mark (pkt_cls.h TCA_FW_*).
import { asciiz, attrMap, type AttrSet, binary, nested, u32 } from '../../core/index.js';
import { actionList, buildActions, showActions, type ActionSpec } from './action.js';
import { classidText, type TcShow } from './show.js';
import { checkKeys, num, parseHandle, tcHandle, type TcKind, type TcSpec } from './common.js';

export const fwMap = attrMap('tca_fw', {
  TCA_FW_CLASSID: [1, tcHandle],
  TCA_FW_POLICE: [2, binary],
  TCA_FW_INDEV: [3, asciiz],
  TCA_FW_ACT: [4, actionList],
  TCA_FW_MASK: [5, u32],
});

/** `{ handle: mark, classid?: '1:10', mask?: 0xff, indev?: 'eth0', action? }` (handle is a base option). */
export const fw: TcKind = {
  kind: 'fw',
  options: nested(fwMap),
  keys: { filter: ['classid', 'flowid', 'mask', 'indev', 'action'] },
  // tc 6.1 prints fw's own options as text only: in JSON only the actions appear.
  show(p: TcShow, o: AttrSet<typeof fwMap.decl>, _t, handle: number) {
    const mask = o.getAttr('TCA_FW_MASK');
    if (handle || mask !== undefined) {
      if (mask !== undefined && mask !== 0xffffffff) p.text(`handle 0x${handle.toString(16)}/0x${mask.toString(16)} `);
      else p.text(`handle 0x${handle.toString(16)} `);
    }
    const classid = o.getAttr('TCA_FW_CLASSID');
    if (classid !== undefined) p.text(`classid ${classidText(classid)} `);
    const indev = o.getAttr('TCA_FW_INDEV');
    if (indev !== undefined) p.text(`input dev ${indev} `);
    const acts = o.getAttr('TCA_FW_ACT');
    if (acts) p.text('\n');
    showActions(p, acts);
  },
  filter(spec: TcSpec) {
    checkKeys('fw', spec, ['classid', 'flowid', 'mask', 'indev', 'action']);
    const a: [string, unknown][] = [];
    const classid = spec.classid ?? spec.flowid;
    if (classid !== undefined) a.push(['TCA_FW_CLASSID', parseHandle(classid as string | number, 'classid')]);
    if (spec.indev !== undefined) a.push(['TCA_FW_INDEV', String(spec.indev)]);
    if (spec.action !== undefined) a.push(['TCA_FW_ACT', buildActions(spec.action as ActionSpec)]);
    const mask = num(spec, 'mask');
    if (mask !== undefined) a.push(['TCA_FW_MASK', mask]);
    return a;
  },
};
