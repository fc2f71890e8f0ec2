// route filter: classify by routing realms or the input interface (pkt_cls.h TCA_ROUTE4_*).
import { readFileSync } from 'node:fs';
import { NetlinkEncodeError, attrMap, binary, nested, u32, type AttrSet } from '../../core/index.js';
import { actionList, buildActions, showActions, type ActionSpec } from './action.js';
import { checkKeys, num, parseHandle, tcHandle, type TcKind, type TcSpec } from './common.js';
import { classidText, type TcShow } from './show.js';

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
  show: (p, o, _t, handle) => showRoute(p, o, handle),
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

const REALMS_FILE = '/etc/iproute2/rt_realms';
// Realm names as tc knows them: 0 is built in; the file is read the first time a realm without
// a name is looked up (so, like tc, realm 0 reads 'unknown' until then, the file's name after).
const realms = new Map<number, string>([[0, 'unknown']]);
let realmsRead = false;

/** A routing realm as tc writes it: its name from rt_realms, or its number. */
export function realmText(id: number): string {
  if (id >= 256) return String(id);
  if (!realms.has(id) && !realmsRead) {
    realmsRead = true;
    let text = '';
    try {
      text = readFileSync(REALMS_FILE, 'utf8');
    } catch {
      /* no names: numbers */
    }
    for (const l of text.split('\n')) {
      const m = /^\s*(0x[0-9a-f]+|\d+)\s+([^\s#]+)/i.exec(l);
      if (m && Number(m[1]) < 256) realms.set(Number(m[1]), m[2]);
    }
  }
  return realms.get(id) ?? String(id);
}

// tc 6.1 writes a route filter's options as text only, also under -j (only its actions are JSON).
function showRoute(p: TcShow, o: AttrSet<typeof route4Map.decl>, handle: number): void {
  if (handle) p.text(`fh 0x${handle.toString(16).padStart(8, '0')} `);
  if (handle & 0x7f00) p.text(`order ${(handle >> 8) & 0x7f} `);
  const classid = o.getAttr('TCA_ROUTE4_CLASSID');
  if (classid !== undefined) p.text(`flowid ${classidText(classid)} `);
  const to = o.getAttr('TCA_ROUTE4_TO'),
    from = o.getAttr('TCA_ROUTE4_FROM'),
    iif = o.getAttr('TCA_ROUTE4_IIF');
  if (to !== undefined) p.text(`to ${realmText(to)} `);
  if (from !== undefined) p.text(`from ${realmText(from)} `);
  if (iif !== undefined) p.text(`fromif ${iif ? (p.names.get(iif) ?? `if${iif}`) : '*'}`);
  showActions(p, o.getAttr('TCA_ROUTE4_ACT'));
}
