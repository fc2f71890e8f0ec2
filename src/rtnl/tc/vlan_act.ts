// vlan action: pop, push or modify an 802.1Q/802.1ad tag (tc_act/tc_vlan.h).
import {
  NetlinkEncodeError,
  attrMap,
  be16,
  enumOf,
  l2addr,
  nested,
  pad,
  s32,
  struct,
  u16,
  u8,
} from '../../core/index.js';
import { checkKeys, num, parseProtocol, parseVerdict, tcGen, tcfT, type TcActionKind, type TcSpec } from './common.js';

export const TCA_VLAN_ACT = {
  TCA_VLAN_ACT_POP: 1,
  TCA_VLAN_ACT_PUSH: 2,
  TCA_VLAN_ACT_MODIFY: 3,
  TCA_VLAN_ACT_POP_ETH: 4,
  TCA_VLAN_ACT_PUSH_ETH: 5,
} as const;

export const vlanActMap = attrMap('tca_vlan', {
  TCA_VLAN_TM: [1, tcfT],
  TCA_VLAN_PARMS: [2, struct('tc_vlan', { ...tcGen, v_action: enumOf(s32, TCA_VLAN_ACT) })],
  TCA_VLAN_PUSH_VLAN_ID: [3, u16],
  TCA_VLAN_PUSH_VLAN_PROTOCOL: [4, be16],
  TCA_VLAN_PAD: [5, pad(0)],
  TCA_VLAN_PUSH_VLAN_PRIORITY: [6, u8],
  TCA_VLAN_PUSH_ETH_DST: [7, l2addr],
  TCA_VLAN_PUSH_ETH_SRC: [8, l2addr],
});

/** `{ kind: 'vlan', op: 'pop' | 'push' | 'modify', id?, protocol?: '802.1ad', priority?, action?, index? }`. */
export const vlanAct: TcActionKind = {
  kind: 'vlan',
  options: nested(vlanActMap),
  build(spec: TcSpec) {
    checkKeys('vlan', spec, ['kind', 'op', 'id', 'protocol', 'priority', 'action', 'index']);
    const op = String(spec.op ?? '').toUpperCase();
    const v = TCA_VLAN_ACT[`TCA_VLAN_ACT_${op}` as keyof typeof TCA_VLAN_ACT];
    if (!v || v > TCA_VLAN_ACT.TCA_VLAN_ACT_MODIFY)
      throw new NetlinkEncodeError('vlan action: op must be pop, push or modify');
    const a: [string, unknown][] = [
      [
        'TCA_VLAN_PARMS',
        { index: num(spec, 'index') ?? 0, action: parseVerdict((spec.action ?? 'pipe') as string), v_action: v },
      ],
    ];
    if (v !== TCA_VLAN_ACT.TCA_VLAN_ACT_POP) {
      const id = num(spec, 'id');
      if (id === undefined) throw new NetlinkEncodeError(`vlan action ${spec.op}: id is required`);
      a.push(['TCA_VLAN_PUSH_VLAN_ID', id]);
      if (spec.protocol !== undefined) a.push(['TCA_VLAN_PUSH_VLAN_PROTOCOL', parseProtocol(spec.protocol as string)]);
      const prio = num(spec, 'priority');
      if (prio !== undefined) a.push(['TCA_VLAN_PUSH_VLAN_PRIORITY', prio]);
    }
    return a;
  },
};
