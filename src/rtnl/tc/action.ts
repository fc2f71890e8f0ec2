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
  type AttrSet,
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
import { showStats2, stats2 } from './stats.js';
import type { TcShow } from './show.js';
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

/** A filter's action list as tc shows it: `actions: [{ order, kind, ...options, stats? }]`. */
export function showActions(p: TcShow, list: readonly AttrSet<typeof actMap.decl>[] | undefined): void {
  if (!list) return;
  // tc's JSON array only: the text shows each action on its own lines.
  p.openArray('actions');
  list.forEach((a, i) => {
    p.open(null)
      .text('\n')
      .put('order', i + 1, `\taction order ${i + 1}: `);
    const kind = a.getAttr('TCA_ACT_KIND');
    const k = kind === undefined ? undefined : actionKinds[kind];
    if (k?.show) k.show(p, a.getAttr('TCA_ACT_OPTIONS'));
    else p.put('kind', kind, `${kind} `);
    showActionTail(p, a);
    p.close();
  });
  p.close();
}

/** What follows every action's options: statistics, cookie and hardware flags. */
function showActionTail(p: TcShow, a: AttrSet<typeof actMap.decl>): void {
  const stats = a.getAttr('TCA_ACT_STATS') as AttrSet<any> | undefined;
  if (p.stats && stats) {
    p.text('\tAction statistics:\n').open('stats');
    showStats2(p, stats, '\t');
    p.close().text('\n');
  }
  const cookie = a.getAttr('TCA_ACT_COOKIE');
  if (cookie) p.put('cookie', cookie.toString('hex'), `\tcookie ${cookie.toString('hex')}\n`);
  // Filters' actions are bound: tc shows their no_percpu flag only, and no hardware count.
  const flags = a.getAttr('TCA_ACT_FLAGS');
  if (flags && flags.selector & TCA_ACT_FLAGS_NO_PERCPU_STATS) {
    p.put('no_percpu', !!(flags.value & TCA_ACT_FLAGS_NO_PERCPU_STATS), '\tno_percpu\n');
  }
}
const TCA_ACT_FLAGS_NO_PERCPU_STATS = 1;
