// Bridge VLANs as `bridge vlan` does it: RTM_SETLINK/RTM_DELLINK of family AF_BRIDGE carrying
// IFLA_AF_SPEC/IFLA_BRIDGE_VLAN_INFO, and AF_BRIDGE link dumps with RTEXT_FILTER_BRVLAN.
import { AF_BRIDGE, NLM_F_ACK, NLM_F_DUMP, NetlinkEncodeError, type NetlinkSocket } from '../core/index.js';
import { ask } from './commands.js';
import { BRIDGE_FLAGS, BRIDGE_VLAN_INFO, RTEXT_FILTER, RTM } from './constants.js';
import { ifinfmsg, type IfinfMessage } from './ifinfmsg.js';

export interface BridgeVlanSpec {
  /** The port (or the bridge itself with `self`). */
  index: number;
  /** One VLAN id, or an inclusive range [first, last]. */
  vid: number | readonly [number, number];
  /** Ingress untagged frames get this VLAN. */
  pvid?: boolean;
  /** Egress frames of this VLAN leave untagged. */
  untagged?: boolean;
  /** Apply to the bridge device itself (BRIDGE_FLAGS_SELF) rather than through its master. */
  self?: boolean;
}

/** One VLAN of a port as a record. */
export interface BridgeVlanRecord {
  ifindex: number;
  vid: number;
  pvid: boolean;
  untagged: boolean;
}

function vlanInfos(spec: BridgeVlanSpec): { flags: number; vid: number }[] {
  const [from, to] = typeof spec.vid === 'number' ? [spec.vid, spec.vid] : spec.vid;
  for (const v of [from, to]) {
    if (!Number.isInteger(v) || v < 1 || v > 4094)
      throw new NetlinkEncodeError(`bridge vlan: vid ${v} must be 1..4094`);
  }
  if (to < from) throw new NetlinkEncodeError(`bridge vlan: range ${from}-${to} is reversed`);
  const flags =
    (spec.pvid ? BRIDGE_VLAN_INFO.BRIDGE_VLAN_INFO_PVID : 0) |
    (spec.untagged ? BRIDGE_VLAN_INFO.BRIDGE_VLAN_INFO_UNTAGGED : 0);
  if (from === to) return [{ flags, vid: from }];
  return [
    { flags: flags | BRIDGE_VLAN_INFO.BRIDGE_VLAN_INFO_RANGE_BEGIN, vid: from },
    { flags: flags | BRIDGE_VLAN_INFO.BRIDGE_VLAN_INFO_RANGE_END, vid: to },
  ];
}

/**
 * `bridgeVlan(sock, 'add' | 'del', { index, vid: 10 | [100, 199], pvid?, untagged?, self? })`, or
 * 'dump' for every port's VLANs as records.
 */
export async function bridgeVlan(sock: NetlinkSocket, cmd: 'add' | 'del', spec: BridgeVlanSpec): Promise<void> {
  if (cmd !== 'add' && cmd !== 'del')
    throw new NetlinkEncodeError(`bridge vlan: unknown command ${JSON.stringify(cmd)} (add, del)`);
  const attrs: [string, unknown][] = [];
  if (spec.self) attrs.push(['IFLA_BRIDGE_FLAGS', BRIDGE_FLAGS.BRIDGE_FLAGS_SELF]);
  for (const info of vlanInfos(spec)) attrs.push(['IFLA_BRIDGE_VLAN_INFO', info]);
  await ask(sock, ifinfmsg, {
    type: cmd === 'add' ? RTM.RTM_SETLINK : RTM.RTM_DELLINK,
    flags: NLM_F_ACK,
    fields: { family: AF_BRIDGE, index: spec.index },
    attrs: [['IFLA_AF_SPEC', attrs]],
  });
}

/** Every bridge port's (and bridge's) VLANs, one record per VLAN, ranges expanded. */
export async function getBridgeVlans(
  sock: NetlinkSocket,
  filter: { index?: number } = {},
): Promise<BridgeVlanRecord[]> {
  const links: IfinfMessage[] = await ask(sock, ifinfmsg, {
    type: RTM.RTM_GETLINK,
    flags: NLM_F_DUMP,
    fields: { family: AF_BRIDGE },
    attrs: [['IFLA_EXT_MASK', RTEXT_FILTER.RTEXT_FILTER_BRVLAN]],
  });
  const out: BridgeVlanRecord[] = [];
  for (const l of links) {
    const ifindex = l.fields.index as number;
    if (filter.index !== undefined && ifindex !== filter.index) continue;
    const spec = l.getAttr('IFLA_AF_SPEC') as { getAttrs(n: string): { flags: number; vid: number }[] } | undefined;
    for (const v of spec?.getAttrs('IFLA_BRIDGE_VLAN_INFO') ?? []) {
      const f = typeof v.flags === 'number' ? v.flags : 0;
      out.push({
        ifindex,
        vid: v.vid,
        pvid: !!(f & BRIDGE_VLAN_INFO.BRIDGE_VLAN_INFO_PVID),
        untagged: !!(f & BRIDGE_VLAN_INFO.BRIDGE_VLAN_INFO_UNTAGGED),
      });
    }
  }
  return out;
}
