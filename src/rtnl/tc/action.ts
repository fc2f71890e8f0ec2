// A filter's action list (TCA_*_ACT): numbered nests of TCA_ACT_KIND + kind options (pkt_cls.h).
import {
  NLA_F_NESTED,
  NetlinkEncodeError,
  asciiz,
  attrMap,
  binary,
  nested,
  nestedArray,
  pad,
  select,
  struct,
  u32,
  type AttrInput,
} from '../../core/index.js';
import { csum } from './csum.js';
import { ct } from './ct.js';
import { gact } from './gact.js';
import { mirred } from './mirred.js';
import { nat } from './nat.js';
import { pedit } from './pedit.js';
import { police } from './police.js';
import { skbedit } from './skbedit.js';
import { tunnelKey } from './tunnel_key.js';
import { vlanAct } from './vlan_act.js';
import { stats2 } from './stats.js';
import type { TcActionKind, TcSpec } from './common.js';

/** Action kinds known by name; add new ones here. */
export const actionKinds: Readonly<Record<string, TcActionKind>> = Object.fromEntries(
  [gact, mirred, police, pedit, skbedit, vlanAct, tunnelKey, csum, nat, ct].map((k) => [k.kind, k]),
);

const bitfield32 = struct('nla_bitfield32', { value: u32, selector: u32 });

const optionsByKind = Object.fromEntries(Object.values(actionKinds).map((k) => [k.kind, k.options]));
// tc sends TCA_ACT_OPTIONS with NLA_F_NESTED; the kernel validates actions strictly.
const actOptions = { ...select('TCA_ACT_KIND', optionsByKind), nlaFlags: NLA_F_NESTED };

export const actMap = attrMap('tca_act', {
  TCA_ACT_KIND: [1, asciiz],
  TCA_ACT_OPTIONS: [2, actOptions],
  TCA_ACT_INDEX: [3, u32],
  TCA_ACT_STATS: [4, stats2(() => ({}), 'TCA_ACT_KIND')],
  TCA_ACT_PAD: [5, pad(0)],
  TCA_ACT_COOKIE: [6, binary],
  TCA_ACT_FLAGS: [7, bitfield32],
  TCA_ACT_HW_STATS: [8, bitfield32],
  TCA_ACT_USED_HW_STATS: [9, bitfield32],
  TCA_ACT_IN_HW_COUNT: [10, u32],
});

/** The list type: action i is nest number i+1. */
export const actionList = nestedArray(nested(actMap));

/** One action spec: `'drop'` (a gact verdict) or `{ kind: 'mirred', ... }`. */
export type ActionSpec = string | number | (TcSpec & { kind?: string });

/** The TCA_*_ACT value for one action or a list of them. */
export function buildActions(spec: ActionSpec | readonly ActionSpec[]): AttrInput[] {
  const list = Array.isArray(spec) ? spec : [spec];
  return list.map((a: ActionSpec) => {
    const obj: TcSpec = typeof a === 'object' ? a : { kind: 'gact', action: a };
    const kind = String(obj.kind ?? 'gact');
    const k = actionKinds[kind];
    if (!k)
      throw new NetlinkEncodeError(
        `unknown action kind ${JSON.stringify(kind)} (${Object.keys(actionKinds).join(', ')})`,
      );
    return [
      ['TCA_ACT_KIND', kind],
      ['TCA_ACT_OPTIONS', k.build(obj)],
    ] as AttrInput;
  });
}
