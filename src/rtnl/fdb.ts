// Bridge forwarding database: ipr.fdb(cmd, spec) over AF_BRIDGE ndmsg, with `bridge fdb` semantics.
import { AF_BRIDGE, NLM_F_DUMP, NetlinkEncodeError, type NetlinkSocket } from '../core/index.js';
import { ask, command, maskOf } from './commands.js';
import { NTF, NUD, RTM_DELNEIGH, RTM_NEWNEIGH, RTM_GETNEIGH, ndmsg } from './ndmsg.js';
import type { NeighMessage } from './neigh.js';

export interface FdbSpec {
  /** MAC address of the entry. */
  lladdr?: string;
  /** The port (or the vxlan device) the entry belongs to. */
  ifindex?: number;
  /** NDA_MASTER: the bridge (dump filter; on add it selects the bridge of a port). */
  master?: number;
  vlan?: number;
  /** Remote VTEP for vxlan entries. */
  dst?: string;
  vni?: number;
  src_vni?: number;
  /** UDP port of the remote VTEP. */
  port?: number;
  /** NDA_IFINDEX: the device to reach `dst` through. */
  via?: number;
  /**
   * 'permanent' (local), 'static', 'dynamic' as `bridge fdb` means them, or NUD_* names /
   * a number. Default: NUD_NOARP, which the bridge keeps as a static entry.
   */
  state?: string | number | readonly string[];
  /** 'self', 'master', 'router', 'use', 'extern_learn', 'sticky'; default 'self' when neither self nor master. */
  flags?: string | number | readonly string[];
  nh_id?: number;
}

const KNOWN = ['lladdr', 'ifindex', 'master', 'vlan', 'dst', 'vni', 'src_vni', 'port', 'via', 'state', 'flags', 'nh_id'];

const NTF_NAMES = { ...NTF, NTF_EXTERN_LEARN: NTF.NTF_EXT_LEARNED };

/** ndm_state as `bridge fdb` builds it. */
function fdbState(v: FdbSpec['state']): number {
  if (v === undefined) return NUD.NUD_NOARP;
  if (typeof v === 'number') return v;
  const words = Array.isArray(v) ? v : String(v).split(/[\s,|]+/);
  let s = NUD.NUD_NOARP as number;
  for (const w of words) {
    const x = String(w).toLowerCase();
    if (x === 'permanent' || x === 'local') s |= NUD.NUD_PERMANENT;
    else if (x === 'static' || x === 'temp') s |= NUD.NUD_REACHABLE;
    else if (x === 'dynamic') s = (s | NUD.NUD_REACHABLE) & ~NUD.NUD_NOARP;
    else s |= maskOf(w, NUD, 'NUD_', 'fdb state');
  }
  return s;
}

/**
 * `fdb(sock, 'add'|'append'|'replace'|'del'|'dump', { lladdr, ifindex, master?, vlan?, dst?, vni?, state?, flags? })`.
 * Dumps filter by ifindex, master, lladdr, vlan and dst.
 */
export async function fdb(sock: NetlinkSocket, cmd: string, spec: FdbSpec = {}): Promise<NeighMessage[]> {
  for (const k of Object.keys(spec)) if (!KNOWN.includes(k)) throw new NetlinkEncodeError(`fdb: unknown option ${k}`);
  const { verb, flags } = command(cmd, ['add', 'create', 'append', 'replace', 'set', 'change', 'del', 'delete', 'remove', 'dump', 'show']);
  if (verb === 'dump') return getFdb(sock, spec);
  if (!spec.lladdr || spec.ifindex === undefined) throw new NetlinkEncodeError(`fdb ${cmd}: lladdr and ifindex are required`);
  let ndmFlags = maskOf(spec.flags, NTF_NAMES, 'NTF_', 'fdb flag');
  if (!(ndmFlags & (NTF.NTF_SELF | NTF.NTF_MASTER))) ndmFlags |= NTF.NTF_SELF;
  const attrs: [string, unknown][] = [['NDA_LLADDR', spec.lladdr]];
  if (spec.dst !== undefined) attrs.push(['NDA_DST', spec.dst]);
  if (spec.vlan !== undefined) attrs.push(['NDA_VLAN', spec.vlan]);
  if (spec.src_vni !== undefined) attrs.push(['NDA_SRC_VNI', spec.src_vni]);
  if (spec.port !== undefined) attrs.push(['NDA_PORT', spec.port]);
  if (spec.vni !== undefined) attrs.push(['NDA_VNI', spec.vni]);
  if (spec.via !== undefined) attrs.push(['NDA_IFINDEX', spec.via]);
  if (spec.nh_id !== undefined) attrs.push(['NDA_NH_ID', spec.nh_id]);
  if (spec.master !== undefined) attrs.push(['NDA_MASTER', spec.master]);
  return ask(sock, ndmsg, {
    type: verb === 'new' ? RTM_NEWNEIGH : RTM_DELNEIGH, flags,
    fields: { family: AF_BRIDGE, ifindex: spec.ifindex, state: verb === 'new' ? fdbState(spec.state) : 0, flags: ndmFlags },
    attrs,
  });
}

/** The bridge FDB, filtered by the fields given. */
export async function getFdb(sock: NetlinkSocket, filter: FdbSpec = {}): Promise<NeighMessage[]> {
  const all = await ask(sock, ndmsg, { type: RTM_GETNEIGH, flags: NLM_F_DUMP, fields: { family: AF_BRIDGE } });
  const ll = filter.lladdr?.toLowerCase();
  return all.filter((m) => {
    if (filter.ifindex !== undefined && m.fields.ifindex !== filter.ifindex) return false;
    if (ll !== undefined && m.getAttr('NDA_LLADDR') !== ll) return false;
    if (filter.master !== undefined && m.getAttr('NDA_MASTER') !== filter.master) return false;
    if (filter.vlan !== undefined && m.getAttr('NDA_VLAN') !== filter.vlan) return false;
    if (filter.dst !== undefined && m.getAttr('NDA_DST') !== filter.dst) return false;
    return true;
  });
}
