// Neighbour (ARP/NDP) entries: ipr.neigh(cmd, spec), getNeighbours(filter), as pyroute2 shapes them.
import {
  AF_BRIDGE,
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  NLM_F_DUMP,
  NetlinkEncodeError,
  anyCheck,
  arrayCheck,
  boolCheck,
  checkSpec,
  eitherCheck,
  encoderValue,
  ifRefCheck,
  intCheck,
  macCheck,
  stringCheck,
  type Check,
  type Message,
  type NetlinkSocket,
  type SpecRules,
} from '../core/index.js';
import { ask, command, maskOf } from './commands.js';
import { RTM } from './constants.js';
import { NTF, NUD, ndmsg, neighVocab } from './ndmsg.js';

const { RTM_NEWNEIGH, RTM_DELNEIGH, RTM_GETNEIGH } = RTM;

/** Commands of ipr.neigh(). */
export type NeighCmd =
  | 'add'
  | 'create'
  | 'replace'
  | 'set'
  | 'change'
  | 'append'
  | 'del'
  | 'delete'
  | 'remove'
  | 'get'
  | 'dump'
  | 'show';

export type NeighMessage = Message<typeof ndmsg.header.fields, typeof ndmsg.attrs.decl>;

export interface NeighSpec {
  /** Protocol address (IPv4 or IPv6); sets the family. */
  dst?: string;
  /** Link-layer address. */
  lladdr?: string;
  /** The interface: an index, or a name (resolved by IPRoute). */
  ifindex?: number | string;
  /** 'permanent', 'reachable', 'stale', 'noarp', ... (NUD_*), a list, or a number. Default for add: permanent. */
  state?: string | number | readonly string[];
  /** 'proxy', 'router', 'use', 'extern_learn', ... (NTF_*), a list, or a number. */
  flags?: string | number | readonly string[];
  /** A proxy-ARP/NDP entry (NTF_PROXY). */
  proxy?: boolean;
  /** 'inet' | 'inet6' | AF_* number; default from dst (dump: all). */
  family?: number | 'inet' | 'inet6' | 'bridge';
  /** NDA_PROTOCOL: who installed the entry. */
  protocol?: number | string;
  /** NDA_MASTER (dump filter): an index or a name. */
  master?: number | string;
  /** Read from records (ndm_type, NDA_PROBES, NDA_LINK_NETNSID, NDA_FLAGS_EXT); accepted and not sent. */
  ndmType?: string | number;
  probes?: number;
  linkNetnsid?: number;
  flagsExt?: number | readonly string[];
}

const namesCheck: Check = eitherCheck(intCheck(0, 0xffff), stringCheck(), arrayCheck(stringCheck()));
const NEIGH_EXTRA: Record<string, Check> = {
  ifindex: ifRefCheck,
  master: ifRefCheck,
  dst: stringCheck(),
  lladdr: macCheck(),
  state: namesCheck,
  flags: namesCheck,
  proxy: boolCheck,
  family: eitherCheck(intCheck(0, 255), stringCheck()),
  ndmType: anyCheck,
  flagsExt: anyCheck,
};
let neighRules: SpecRules | undefined;

/** Check a neighbour spec or filter before anything is sent (unknown keys, wrong values). Throws SpecError. */
export function checkNeighSpec<T extends object>(spec: T): T {
  return checkSpec('neigh', spec, (neighRules ??= neighVocab.rules(NEIGH_EXTRA)));
}

export function familyOf(spec: { family?: number | string; dst?: string; src?: string }, fallback: number): number {
  if (spec.family === 'inet' || spec.family === 'AF_INET') return AF_INET;
  if (spec.family === 'inet6' || spec.family === 'AF_INET6') return AF_INET6;
  // A dump of all families holds bridge FDB entries too: their records feed back.
  if (spec.family === 'bridge' || spec.family === 'AF_BRIDGE') return AF_BRIDGE;
  if (typeof spec.family === 'number') return spec.family;
  if (spec.family !== undefined)
    throw new NetlinkEncodeError(`unknown family ${JSON.stringify(spec.family)} (inet, inet6, bridge or a number)`);
  const a = spec.dst ?? spec.src;
  if (a) return a.includes(':') ? AF_INET6 : AF_INET;
  return fallback;
}

export const neighState = (v: unknown): number => maskOf(v, NUD, 'NUD_', 'neighbour state');
export const neighFlags = (v: unknown): number => maskOf(v, NTF, 'NTF_', 'neighbour flag');

/**
 * `neigh(sock, 'add'|'replace'|'change'|'del'|'get'|'dump', { dst, lladdr, ifindex, state, proxy })`.
 * Dumps filter by every field given (ifindex, dst, lladdr, state bits, flags bits).
 */
export async function neigh(sock: NetlinkSocket, cmd: NeighCmd, spec: NeighSpec = {}): Promise<NeighMessage[]> {
  spec = checkNeighSpec(spec);
  for (const k of ['ifindex', 'master'] as const) {
    if (typeof spec[k] === 'string')
      throw new NetlinkEncodeError(
        `neigh: ${k} ${JSON.stringify(spec[k])} must be resolved to an index first (IPRoute does)`,
      );
  }
  const { verb, flags } = command(cmd);
  const ndmFlags = neighFlags(spec.flags) | (spec.proxy ? NTF.NTF_PROXY : 0);
  if (verb === 'dump') return getNeighbours(sock, spec);
  const family = familyOf(spec, AF_INET);
  if (!spec.dst) throw new NetlinkEncodeError(`neigh ${cmd}: dst is required`);
  if (verb !== 'new' && spec.ifindex === undefined && !(ndmFlags & NTF.NTF_PROXY)) {
    // The kernel needs the device for non-proxy entries.
    throw new NetlinkEncodeError(`neigh ${cmd}: ifindex is required`);
  }
  const state = verb === 'new' ? (spec.state === undefined ? NUD.NUD_PERMANENT : neighState(spec.state)) : 0;
  const attrs: [string, unknown][] = [['NDA_DST', spec.dst]];
  if (spec.lladdr !== undefined && verb === 'new') attrs.push(['NDA_LLADDR', spec.lladdr]);
  if (spec.protocol !== undefined && verb === 'new')
    attrs.push(['NDA_PROTOCOL', encoderValue(neighVocab.typeOf('protocol')!, spec.protocol)]);
  const type = verb === 'new' ? RTM_NEWNEIGH : verb === 'del' ? RTM_DELNEIGH : RTM_GETNEIGH;
  return ask(sock, ndmsg, {
    type,
    flags: verb === 'get' ? 0 : flags,
    fields: { family, ifindex: spec.ifindex ?? 0, state, flags: ndmFlags },
    attrs,
  });
}

/** Every neighbour entry matching the filter (proxy entries only when `proxy: true`). */
export async function getNeighbours(sock: NetlinkSocket, filter: NeighSpec = {}): Promise<NeighMessage[]> {
  filter = checkNeighSpec(filter);
  const family = familyOf(filter, AF_UNSPEC);
  const ndmFlags = filter.proxy ? NTF.NTF_PROXY : 0;
  const all = await ask(sock, ndmsg, { type: RTM_GETNEIGH, flags: NLM_F_DUMP, fields: { family, flags: ndmFlags } });
  const state = filter.state === undefined ? 0 : neighState(filter.state);
  const fl = filter.flags === undefined ? 0 : neighFlags(filter.flags);
  const ll = filter.lladdr?.toLowerCase();
  return all.filter((m) => {
    const f = m.fields;
    if (filter.ifindex !== undefined && f.ifindex !== filter.ifindex) return false;
    if (state && !(f.state & state)) return false;
    if (fl && (f.flags & fl) !== fl) return false;
    if (filter.dst !== undefined && m.getAttr('NDA_DST') !== filter.dst) return false;
    if (ll !== undefined && m.getAttr('NDA_LLADDR') !== ll) return false;
    if (filter.master !== undefined && m.getAttr('NDA_MASTER') !== filter.master) return false;
    return true;
  });
}
