// Links: friendly specs -> RTM_*LINK requests, and dump filters (kernel side where it can).
import {
  NLM_F_ACK, NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE, NLM_F_REQUEST, type MessageSpec,
} from '../core/index.js';
import { IFF_UP, RTM, RTEXT_FILTER } from './constants.js';
import { ifinfmsg, iflaAttrs, type IfinfMessage } from './ifinfmsg.js';
import { linkKinds, type LinkKind } from './kinds/index.js';
import type { HeaderedInput } from './types.js';
import { attrValue, camelToSnake, checkIfname, familyValue, mergeAttrs, prefixedAttrs, type IfRef, type RawAttrs } from './spec.js';

export type LinkCmd = 'add' | 'set' | 'replace' | 'del' | 'get' | 'dump' | 'property_add' | 'property_del';

/**
 * A link, pyroute2-style in camelCase. Names in `link`/`master` are resolved by IPRoute;
 * kind options use the kind's prefix (`vxlanId`, `brStpState`, `macvlanMode`...), and any
 * IFLA_* attribute can be named in camelCase (`gsoMaxSize`, `numTxQueues`).
 */
export interface LinkSpec {
  index?: number;
  ifname?: string;
  family?: number | string;
  kind?: string;
  state?: 'up' | 'down';
  /** ifi_flags and ifi_change, raw (state sets IFF_UP in both). */
  flags?: number;
  change?: number;
  mtu?: number;
  address?: string;
  broadcast?: string;
  txqlen?: number;
  /** Parent link (IFLA_LINK), e.g. of a vlan or macvlan. */
  link?: IfRef;
  /** Master (bridge, bond, vrf); 0 releases. */
  master?: IfRef;
  /** Move to the namespace of this pid / open fd / name (IPRoute opens the name). */
  netNsPid?: number;
  netNsFd?: number;
  netns?: string | number;
  ifalias?: string;
  group?: number;
  /** Alternative name(s), added with RTM_NEWLINKPROP after the link exists. */
  altname?: string | string[];
  /** veth peer: a name or a spec of its own (ifname, address, netns...). */
  peer?: string | LinkSpec;
  /** IFLA_INFO_DATA / IFLA_INFO_SLAVE_DATA given as attributes. */
  data?: RawAttrs | Record<string, unknown>;
  /** Raw attributes merged into the message. */
  attrs?: RawAttrs;
  [option: string]: unknown;
}

/** Keys with a meaning of their own; everything else must name an attribute. */
const SPECIAL = new Set([
  'index', 'ifname', 'family', 'kind', 'state', 'flags', 'change', 'peer', 'data', 'attrs', 'altname', 'netns',
]);
// iproute2 adds these as it meets them on the command line; nlroute's fixed order is the
// order of a natural `ip link add` line, so equal commands give equal bytes.
const ORDER = ['link', 'mtu', 'address', 'broadcast', 'txqlen', 'master', 'netNsPid', 'netNsFd'];

function kindOf(name: unknown): LinkKind {
  if (typeof name !== 'string' || !name) throw new TypeError(`kind must be a non-empty string, got ${JSON.stringify(name)}`);
  const k = linkKinds.get(name);
  if (!k) throw new TypeError(`unknown link kind ${JSON.stringify(name)} (known: ${[...linkKinds.keys()].sort().join(', ')})`);
  return k;
}

function dataPairs(data: LinkSpec['data']): [string | number, unknown][] {
  if (!data) return [];
  return (Array.isArray(data) ? data : Object.entries(data)).map(([k, v]) => [k, v] as [string | number, unknown]);
}

/** IFLA_LINKINFO for a spec with a kind. */
function linkinfo(spec: LinkSpec): [string, unknown][] | undefined {
  if (spec.kind === undefined) return undefined;
  const k = kindOf(spec.kind);
  const opts = prefixedAttrs(spec, (k.slaveDataMap ?? k.dataMap ?? iflaAttrs), k.specPrefix ?? k.kind,
    k.attrPrefix ?? `IFLA_${k.kind.toUpperCase()}_`);
  if (!k.dataMap && !k.slaveDataMap && opts.length) throw new TypeError(`link kind ${k.kind} takes no options`);
  const data = [...opts, ...dataPairs(spec.data)];
  if (k.kind === 'veth' && spec.peer !== undefined) data.push(['VETH_INFO_PEER', peerBody(spec.peer)]);
  const out: [string, unknown][] = [['IFLA_INFO_KIND', k.kind]];
  if (data.length) out.push([k.slaveOf ? 'IFLA_INFO_SLAVE_DATA' : 'IFLA_INFO_DATA', data]);
  return out;
}

function peerBody(peer: string | LinkSpec): HeaderedInput {
  const spec = typeof peer === 'string' ? { ifname: peer } : peer;
  const { fields, attrs } = linkBody('add', spec);
  return { fields, attrs };
}

/** Header fields and attributes of a link spec (without the message type). */
export function linkBody(cmd: LinkCmd, spec: LinkSpec): { fields: Record<string, unknown>; attrs: [string | number, unknown][] } {
  if (typeof spec !== 'object' || spec === null) throw new TypeError('link spec must be an object');
  const fields: Record<string, unknown> = {};
  const family = familyValue(spec.family as number | string | undefined);
  if (family) fields.family = family;
  if (spec.index !== undefined) {
    if (!Number.isInteger(spec.index) || spec.index < 0) throw new TypeError(`index must be a non-negative integer, got ${spec.index}`);
    fields.index = spec.index;
  }
  let flags = spec.flags ?? 0, change = spec.change ?? 0;
  if (spec.state !== undefined) {
    if (spec.state !== 'up' && spec.state !== 'down') throw new TypeError(`state must be 'up' or 'down', got ${JSON.stringify(spec.state)}`);
    change |= IFF_UP;
    if (spec.state === 'up') flags |= IFF_UP; else flags &= ~IFF_UP;
  }
  if (flags) fields.flags = flags >>> 0;
  if (change) fields.change = change >>> 0;

  const attrs: [string | number, unknown][] = [];
  const kind = spec.kind !== undefined ? kindOf(spec.kind) : undefined;
  const kindPrefix = kind ? (kind.specPrefix ?? kind.kind) : undefined;
  const keys = [...ORDER.filter((k) => k in spec), ...Object.keys(spec).filter((k) => !ORDER.includes(k))];
  for (const k of keys) {
    const v = spec[k];
    if (v === undefined || SPECIAL.has(k)) continue;
    if (kindPrefix && k.startsWith(kindPrefix) && /^[A-Z0-9]/.test(k.slice(kindPrefix.length))) continue;
    const name = `IFLA_${camelToSnake(k)}`;
    const info = iflaAttrs.byName.get(name);
    if (!info) throw new TypeError(`unknown link option ${k}${kind ? ` for kind ${kind.kind}` : ''}`);
    if (typeof v === 'string' && (k === 'link' || k === 'master')) throw new TypeError(`${k} ${JSON.stringify(v)} must be resolved to an index first`);
    attrs.push([name, attrValue(info.type, v, k)]);
  }
  // With an index, IFLA_IFNAME renames; without one, it names the link to act on.
  if (spec.ifname !== undefined) attrs.push(['IFLA_IFNAME', checkIfname(spec.ifname)]);
  if (spec.index === undefined && spec.ifname === undefined && cmd !== 'add' && cmd !== 'dump') {
    throw new TypeError(`link ${cmd} needs an index or an ifname`);
  }
  if (cmd === 'property_add' || cmd === 'property_del') {
    const names = spec.altname === undefined ? [] : Array.isArray(spec.altname) ? spec.altname : [spec.altname];
    if (!names.length) throw new TypeError(`link ${cmd} needs altname`);
    attrs.push(['IFLA_PROP_LIST', names.map((n) => ['IFLA_ALT_IFNAME', checkIfname(n, 'altname')])]);
  } else {
    const info = linkinfo(spec);
    if (info) attrs.push(['IFLA_LINKINFO', info]);
  }
  if (cmd === 'get') attrs.push(['IFLA_EXT_MASK', RTEXT_FILTER.RTEXT_FILTER_VF]);
  return { fields, attrs: mergeAttrs(attrs, spec.attrs) };
}

const NEW = NLM_F_REQUEST | NLM_F_ACK;

/** The request for `ipr.link(cmd, spec)`: schema and message spec, ready for sock.request/batch. */
export function linkRequest(cmd: LinkCmd, spec: LinkSpec): { schema: typeof ifinfmsg; spec: MessageSpec<any, any> } {
  const { fields, attrs } = linkBody(cmd, spec);
  let type: number, flags: number;
  switch (cmd) {
    case 'add': type = RTM.RTM_NEWLINK; flags = NEW | NLM_F_CREATE | NLM_F_EXCL; break;
    case 'replace': type = RTM.RTM_NEWLINK; flags = NEW | NLM_F_CREATE | NLM_F_REPLACE; break;
    case 'set': type = RTM.RTM_NEWLINK; flags = NEW; break;
    case 'del': type = RTM.RTM_DELLINK; flags = NEW; break;
    case 'get': type = RTM.RTM_GETLINK; flags = NLM_F_REQUEST; break;
    case 'property_add': type = RTM.RTM_NEWLINKPROP; flags = NEW | NLM_F_CREATE | NLM_F_EXCL | NLM_F_APPEND; break;
    case 'property_del': type = RTM.RTM_DELLINKPROP; flags = NEW; break;
    default: throw new TypeError(`unknown link command ${JSON.stringify(cmd)} (add, set, replace, del, get, dump, property_add, property_del)`);
  }
  return { schema: ifinfmsg, spec: { type, flags, fields, attrs } };
}

// ---- dumps ---------------------------------------------------------------------------

/** What getLinks() keeps: kernel-side by master and kind, the rest compared here. */
export interface LinkFilter {
  ifname?: string;
  index?: number;
  kind?: string;
  master?: IfRef;
  state?: 'up' | 'down';
  address?: string;
  altname?: string;
  family?: number | string;
  /** Any other check, run last. */
  match?: (link: IfinfMessage) => boolean;
  [attr: string]: unknown;
}

/** The dump request for a filter: what the kernel can filter goes in the request. */
export function linkDumpRequest(filter: LinkFilter = {}, extMask = 0): MessageSpec<any, any> {
  const attrs: [string, unknown][] = [];
  if (typeof filter.master === 'number') attrs.push(['IFLA_MASTER', filter.master]);
  if (filter.kind !== undefined) attrs.push(['IFLA_LINKINFO', [['IFLA_INFO_KIND', filter.kind]]]);
  if (extMask) attrs.push(['IFLA_EXT_MASK', extMask]);
  const fields: Record<string, unknown> = { family: familyValue(filter.family as number | string | undefined) ?? 0 };
  return { type: RTM.RTM_GETLINK, fields, attrs };
}

const FILTER_SPECIAL = new Set(['ifname', 'index', 'kind', 'master', 'state', 'altname', 'family', 'match']);

/** A predicate for what the kernel did not filter, or undefined when nothing is left. */
export function linkMatcher(filter: LinkFilter = {}): ((m: IfinfMessage) => boolean) | undefined {
  const checks: ((m: IfinfMessage) => boolean)[] = [];
  if (filter.index !== undefined) checks.push((m) => m.field('index') === filter.index);
  if (filter.ifname !== undefined) checks.push((m) => m.getAttr('IFLA_IFNAME') === filter.ifname);
  // The kernel ignores a kind it has no module for; check it here too.
  if (filter.kind !== undefined) checks.push((m) => m.getAttr('IFLA_LINKINFO')?.getAttr('IFLA_INFO_KIND') === filter.kind);
  if (typeof filter.master === 'number') checks.push((m) => (m.getAttr('IFLA_MASTER') ?? 0) === filter.master);
  if (filter.state !== undefined) checks.push((m) => ((m.field('flags') & IFF_UP) !== 0) === (filter.state === 'up'));
  if (filter.altname !== undefined) {
    checks.push((m) => (m.getAttr('IFLA_PROP_LIST')?.getAttrs('IFLA_ALT_IFNAME') ?? []).includes(filter.altname!));
  }
  for (const [k, v] of Object.entries(filter)) {
    if (FILTER_SPECIAL.has(k) || v === undefined) continue;
    const name = `IFLA_${camelToSnake(k)}` as 'IFLA_MTU';
    if (!iflaAttrs.byName.has(name)) throw new TypeError(`unknown link filter ${k}`);
    checks.push((m) => m.getAttr(name) === v);
  }
  if (filter.match) checks.push(filter.match);
  if (!checks.length) return undefined;
  return (m) => checks.every((c) => c(m));
}
