// Bridge forwarding database: ipr.fdb(cmd, spec) over AF_BRIDGE ndmsg, with `bridge fdb` semantics.
import {
  AF_BRIDGE,
  NLM_F_DUMP,
  NetlinkEncodeError,
  anyCheck,
  arrayCheck,
  checkSpec,
  eitherCheck,
  ifRefCheck,
  intCheck,
  macCheck,
  stringCheck,
  type Check,
  type NetlinkSocket,
  type SpecRules,
} from '../core/index.js';
import { ask, command, maskOf, WRITE_AND_DUMP } from './commands.js';
import { RTM } from './constants.js';
import { NTF, NUD, fdbVocab, ndmsg } from './ndmsg.js';

const { RTM_NEWNEIGH, RTM_DELNEIGH, RTM_GETNEIGH } = RTM;

/** Commands of ipr.fdb(). */
export type FdbCmd =
  | 'add'
  | 'create'
  | 'append'
  | 'replace'
  | 'set'
  | 'change'
  | 'del'
  | 'delete'
  | 'remove'
  | 'dump'
  | 'show';
import type { NeighMessage } from './neigh.js';

export interface FdbSpec {
  /** MAC address of the entry. */
  lladdr?: string;
  /** The port (or the vxlan device) the entry belongs to: an index or a name (resolved by IPRoute). */
  ifindex?: number | string;
  /** NDA_MASTER: the bridge (dump filter; on add without `flags` it means `master`, the bridge's table). */
  master?: number | string;
  vlan?: number;
  /** Remote VTEP for vxlan entries. */
  dst?: string;
  vni?: number;
  /** NDA_SRC_VNI (`src_vni` is accepted too). */
  srcVni?: number;
  /** UDP port of the remote VTEP. */
  port?: number;
  /** NDA_IFINDEX: the device to reach `dst` through: an index or a name. */
  via?: number | string;
  /**
   * 'permanent' (local), 'static', 'dynamic' as `bridge fdb` means them, or NUD_* names /
   * a number. Default: NUD_NOARP, which the bridge keeps as a static entry.
   */
  state?: string | number | readonly string[];
  /**
   * 'self', 'master', 'router', 'use', 'extern_learn', 'sticky'; when neither self nor master is
   * given: 'master' if `master` names the bridge, else 'self'.
   */
  flags?: string | number | readonly string[];
  /** NDA_NH_ID (`nh_id` is accepted too). */
  nhId?: number;
  /** Read from records; accepted and not sent. */
  linkNetnsid?: number;
  flagsExt?: number | readonly string[];
}

const namesCheck: Check = eitherCheck(intCheck(0, 0xffff), stringCheck(), arrayCheck(stringCheck()));
const FDB_EXTRA: Record<string, Check> = {
  ifindex: ifRefCheck,
  master: ifRefCheck,
  via: ifRefCheck,
  lladdr: macCheck(6),
  dst: stringCheck(),
  state: namesCheck,
  flags: namesCheck,
  flagsExt: anyCheck,
};
let fdbRules: SpecRules | undefined;

/** Check an FDB spec or filter before anything is sent (unknown keys, wrong values, a MAC not of 6 bytes). */
export function checkFdbSpec<T extends object>(spec: T): T {
  return checkSpec('fdb', spec, (fdbRules ??= fdbVocab.rules(FDB_EXTRA)));
}

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
export async function fdb(sock: NetlinkSocket, cmd: FdbCmd, spec: FdbSpec = {}): Promise<NeighMessage[]> {
  spec = checkFdbSpec(spec);
  for (const k of ['ifindex', 'master', 'via'] as const) {
    if (typeof spec[k] === 'string')
      throw new NetlinkEncodeError(
        `fdb: ${k} ${JSON.stringify(spec[k])} must be resolved to an index first (IPRoute does)`,
      );
  }
  const { verb, flags } = command(cmd, WRITE_AND_DUMP);
  if (verb === 'dump') return getFdb(sock, spec);
  if (!spec.lladdr || spec.ifindex === undefined)
    throw new NetlinkEncodeError(`fdb ${cmd}: lladdr and ifindex are required`);
  let ndmFlags = maskOf(spec.flags, NTF_NAMES, 'NTF_', 'fdb flag');
  // Neither flag given: naming the bridge means its table (bridge fdb add ... master), else the device's own.
  if (!(ndmFlags & (NTF.NTF_SELF | NTF.NTF_MASTER)))
    ndmFlags |= spec.master !== undefined ? NTF.NTF_MASTER : NTF.NTF_SELF;
  const attrs: [string, unknown][] = [['NDA_LLADDR', spec.lladdr]];
  if (spec.dst !== undefined) attrs.push(['NDA_DST', spec.dst]);
  if (spec.vlan !== undefined) attrs.push(['NDA_VLAN', spec.vlan]);
  if (spec.srcVni !== undefined) attrs.push(['NDA_SRC_VNI', spec.srcVni]);
  if (spec.port !== undefined) attrs.push(['NDA_PORT', spec.port]);
  if (spec.vni !== undefined) attrs.push(['NDA_VNI', spec.vni]);
  if (spec.via !== undefined) attrs.push(['NDA_IFINDEX', spec.via]);
  if (spec.nhId !== undefined) attrs.push(['NDA_NH_ID', spec.nhId]);
  if (spec.master !== undefined) attrs.push(['NDA_MASTER', spec.master]);
  return ask(sock, ndmsg, {
    type: verb === 'new' ? RTM_NEWNEIGH : RTM_DELNEIGH,
    flags,
    fields: {
      family: AF_BRIDGE,
      ifindex: spec.ifindex,
      state: verb === 'new' ? fdbState(spec.state) : 0,
      flags: ndmFlags,
    },
    attrs,
  });
}

/** The bridge FDB, filtered by the fields given. */
export async function getFdb(sock: NetlinkSocket, filter: FdbSpec = {}): Promise<NeighMessage[]> {
  filter = checkFdbSpec(filter);
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
