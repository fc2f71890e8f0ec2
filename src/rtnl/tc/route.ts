// route filter: classify by routing realms or the input interface (pkt_cls.h TCA_ROUTE4_*).
import { NetlinkEncodeError, attrMap, binary, nested, u32 } from '../../core/index.js';
import { actionList, buildActions, type ActionSpec } from './action.js';
import { checkKeys, num, parseHandle, tcHandle, type TcKind, type TcSpec } from './common.js';

export const route4Map = attrMap('tca_route4', {
  TCA_ROUTE4_CLASSID: [1, tcHandle],
  TCA_ROUTE4_TO: [2, u32],
  TCA_ROUTE4_FROM: [3, u32],
  TCA_ROUTE4_IIF: [4, u32],
  TCA_ROUTE4_POLICE: [5, binary],
  TCA_ROUTE4_ACT: [6, actionList],
});

/** `{ to?: realm, from?: realm | fromif?: ifindex, classid?: '1:10', action? }` as `tc ... route to R`. */
export const route4: TcKind = {
  kind: 'route',
  options: nested(route4Map),
  keys: { filter: ['to', 'from', 'fromif', 'classid', 'flowid', 'action'] },
  // The kernel files route filters by a handle made of the realms, as tc computes it.
  filterHandle(spec: TcSpec) {
    let h = 0xffff8000;
    const to = num(spec, 'to'),
      from = num(spec, 'from'),
      iif = num(spec, 'fromif');
    if (to !== undefined) h = ((h & ~0x80ff) | (to & 0xff)) >>> 0;
    if (from !== undefined) h = ((h & 0xffff) | ((from & 0xffff) << 16)) >>> 0;
    if (iif !== undefined) h = ((h & 0xffff) | (((0x8000 | iif) & 0xffff) << 16)) >>> 0;
    return h === 0xffff8000 ? undefined : h;
  },
  filter(spec: TcSpec) {
    checkKeys('route', spec, ['to', 'from', 'fromif', 'classid', 'flowid', 'action']);
    if (spec.from !== undefined && spec.fromif !== undefined)
      throw new NetlinkEncodeError('route: give from or fromif, not both');
    const a: [string, unknown][] = [];
    const classid = spec.classid ?? spec.flowid;
    if (classid !== undefined) a.push(['TCA_ROUTE4_CLASSID', parseHandle(classid as string | number, 'classid')]);
    const to = num(spec, 'to'),
      from = num(spec, 'from'),
      iif = num(spec, 'fromif');
    if (to !== undefined) a.push(['TCA_ROUTE4_TO', to]);
    if (from !== undefined) a.push(['TCA_ROUTE4_FROM', from]);
    if (iif !== undefined) a.push(['TCA_ROUTE4_IIF', iif]);
    if (spec.action !== undefined) a.push(['TCA_ROUTE4_ACT', buildActions(spec.action as ActionSpec)]);
    return a;
  },
};
