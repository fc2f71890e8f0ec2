// skbedit action: set the packet's priority, queue, mark or type (tc_act/tc_skbedit.h).
import { attrMap, nested, pad, struct, u16, u32, u64 } from '../../core/index.js';
import { checkKeys, num, parseHandle, parseVerdict, tcGen, tcfT, type TcActionKind, type TcSpec } from './common.js';

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

/** `{ kind: 'skbedit', priority?: '1:10', queue_mapping?, mark?, mask?, ptype?: 'host', action?, index? }`. */
export const skbedit: TcActionKind = {
  kind: 'skbedit',
  options: nested(skbeditMap),
  build(spec: TcSpec) {
    checkKeys('skbedit', spec, ['kind', 'priority', 'queue_mapping', 'mark', 'mask', 'ptype', 'action', 'index']);
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
    return a;
  },
};
