// skbedit action: set the packet's priority, queue, mark or type (tc_act/tc_skbedit.h).
import { attrMap, nested, pad, struct, u16, u32, u64 } from '../../core/index.js';
import { checkKeys, num, parseHandle, parseVerdict, tcGen, tcfT, type TcActionKind, type TcSpec } from './common.js';
import { classidText, showActionGen, showTimes, showVerdict, type TcShow } from './show.js';
import type { AttrSet } from '../../core/index.js';

export const skbeditMap = attrMap('tca_skbedit', {
  TCA_SKBEDIT_TM: [1, tcfT],
  TCA_SKBEDIT_PARMS: [2, struct('tc_skbedit', { ...tcGen })],
  TCA_SKBEDIT_PRIORITY: [3, u32],
  TCA_SKBEDIT_QUEUE_MAPPING: [4, u16],
  TCA_SKBEDIT_MARK: [5, u32],
  TCA_SKBEDIT_PAD: [6, pad(0)],
  TCA_SKBEDIT_PTYPE: [7, u16],
  TCA_SKBEDIT_MASK: [8, u32],
  TCA_SKBEDIT_FLAGS: [9, u64],
  TCA_SKBEDIT_QUEUE_MAPPING_MAX: [10, u16],
});
export const PACKET_TYPE = { host: 0, broadcast: 1, multicast: 2, otherhost: 3 } as const;

/**
 * `{ kind: 'skbedit', priority?: '1:10', queue_mapping?, mark?, mask?, ptype?: 'host', inheritdsfield?: true,
 * action?, index? }`.
 */
export const skbedit: TcActionKind = {
  kind: 'skbedit',
  options: nested(skbeditMap),
  build(spec: TcSpec) {
    checkKeys('skbedit', spec, [
      ...['kind', 'priority', 'queue_mapping', 'mark', 'mask', 'ptype', 'inheritdsfield'],
      ...['action', 'index'],
    ]);
    const a: [string, unknown][] = [
      [
        'TCA_SKBEDIT_PARMS',
        { index: num(spec, 'index') ?? 0, action: parseVerdict((spec.action ?? 'pipe') as string) },
      ],
    ];
    if (spec.priority !== undefined)
      a.push(['TCA_SKBEDIT_PRIORITY', parseHandle(spec.priority as string | number, 'priority')]);
    const q = num(spec, 'queue_mapping'),
      mark = num(spec, 'mark'),
      mask = num(spec, 'mask');
    if (q !== undefined) a.push(['TCA_SKBEDIT_QUEUE_MAPPING', q]);
    if (mark !== undefined) a.push(['TCA_SKBEDIT_MARK', mark]);
    if (mask !== undefined) a.push(['TCA_SKBEDIT_MASK', mask]);
    if (spec.ptype !== undefined) {
      const p = typeof spec.ptype === 'number' ? spec.ptype : PACKET_TYPE[spec.ptype as keyof typeof PACKET_TYPE];
      a.push(['TCA_SKBEDIT_PTYPE', p]);
    }
    if (spec.inheritdsfield) a.push(['TCA_SKBEDIT_FLAGS', SKBEDIT_F_INHERITDSFIELD]);
    return a;
  },
  show: showSkbedit,
};

// PACKET_* types (if_packet.h) as tc names them.
const PTYPE_TEXT: Readonly<Record<number, string>> = { 0: 'host', 1: 'broadcast', 2: 'multicast', 3: 'otherhost' };
const SKBEDIT_F_INHERITDSFIELD = 0x20n;

/** tc's view: each field the kernel sent, the verdict, then index/ref/bind. */
function showSkbedit(p: TcShow, o: AttrSet<typeof skbeditMap.decl> | undefined): void {
  p.put('kind', 'skbedit', 'skbedit ');
  const g = o?.getAttr('TCA_SKBEDIT_PARMS');
  if (!o || !g) return;
  const q = o.getAttr('TCA_SKBEDIT_QUEUE_MAPPING');
  if (q !== undefined) p.put('queue_mapping', q, `queue_mapping ${q}`);
  const prio = o.getAttr('TCA_SKBEDIT_PRIORITY');
  if (prio !== undefined) p.put('priority', classidText(prio), ` priority ${classidText(prio)}`);
  const mark = o.getAttr('TCA_SKBEDIT_MARK');
  if (mark !== undefined) p.put('mark', mark, ` mark ${mark}`);
  const mask = o.getAttr('TCA_SKBEDIT_MASK');
  if (mask !== undefined) p.put('mask', mask.toString(16), `/${mask ? `0x${mask.toString(16)}` : '0'}`);
  const ptype = o.getAttr('TCA_SKBEDIT_PTYPE');
  if (ptype !== undefined) p.put('ptype', PTYPE_TEXT[ptype] ?? ptype, ` ptype ${PTYPE_TEXT[ptype] ?? ptype}`);
  const flags = o.getAttr('TCA_SKBEDIT_FLAGS');
  if (flags !== undefined && BigInt(flags) & SKBEDIT_F_INHERITDSFIELD) p.put('inheritdsfield', null, ' inheritdsfield');
  showVerdict(p, ' ', g.action, '');
  showActionGen(p, g, '\t ');
  showTimes(p, o.getAttr('TCA_SKBEDIT_TM'));
  p.text('\n');
}
