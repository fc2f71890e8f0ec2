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
import { showActionGen, showTimes, showVerdict, type TcShow } from './show.js';
import { ethProtoText } from '../kinds/ipjson.js';
import type { AttrSet } from '../../core/index.js';

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
  show: showVlan,
};

const VLAN_ACTION_TEXT: Readonly<Record<number, string>> = {
  [TCA_VLAN_ACT.TCA_VLAN_ACT_POP]: 'pop',
  [TCA_VLAN_ACT.TCA_VLAN_ACT_PUSH]: 'push',
  [TCA_VLAN_ACT.TCA_VLAN_ACT_MODIFY]: 'modify',
  [TCA_VLAN_ACT.TCA_VLAN_ACT_POP_ETH]: 'pop_eth',
  [TCA_VLAN_ACT.TCA_VLAN_ACT_PUSH_ETH]: 'push_eth',
};

/** tc's view: the operation, the tag (or MACs) it writes, the verdict, then index/ref/bind. */
function showVlan(p: TcShow, o: AttrSet<typeof vlanActMap.decl> | undefined): void {
  p.put('kind', 'vlan', 'vlan ');
  const g = o?.getAttr('TCA_VLAN_PARMS');
  if (!o || !g) return;
  const act = Number(g.v_action);
  p.put('vlan_action', VLAN_ACTION_TEXT[act], ` ${VLAN_ACTION_TEXT[act]}`);
  if (act === TCA_VLAN_ACT.TCA_VLAN_ACT_PUSH || act === TCA_VLAN_ACT.TCA_VLAN_ACT_MODIFY) {
    const id = o.getAttr('TCA_VLAN_PUSH_VLAN_ID');
    if (id !== undefined) p.put('id', id, ` id ${id}`);
    const proto = o.getAttr('TCA_VLAN_PUSH_VLAN_PROTOCOL');
    if (proto !== undefined) p.put('protocol', ethProtoText(proto), ` protocol ${ethProtoText(proto)}`);
    const prio = o.getAttr('TCA_VLAN_PUSH_VLAN_PRIORITY');
    if (prio !== undefined) p.put('priority', prio, ` priority ${prio}`);
  } else if (act === TCA_VLAN_ACT.TCA_VLAN_ACT_PUSH_ETH) {
    const dst = o.getAttr('TCA_VLAN_PUSH_ETH_DST');
    if (dst !== undefined) p.put('dst_mac', String(dst), ` dst_mac ${dst}`);
    const src = o.getAttr('TCA_VLAN_PUSH_ETH_SRC');
    if (src !== undefined) p.put('src_mac', String(src), ` src_mac ${src}`);
  }
  showVerdict(p, ' ', g.action, '');
  showActionGen(p, g, '\t ');
  showTimes(p, o.getAttr('TCA_VLAN_TM'));
  p.text('\n');
}
