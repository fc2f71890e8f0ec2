// Links: friendly specs -> RTM_*LINK requests, and dump filters (kernel side where it can).
import { NLM_F_ACK, NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, type MessageSpec } from '../core/index.js';
import { IFF_UP, RTM, RTEXT_FILTER } from './constants.js';
import {
  SpecError,
  anyCheck,
  arrayCheck,
  checkSpec,
  describeValue,
  didYouMean,
  eitherCheck,
  encoderValue,
  ifRefCheck,
  intCheck,
  objectCheck,
  oneOfCheck,
  stringCheck,
  unknownKey,
  type Check,
  type SpecRules,
  type VocabSpec,
} from '../core/index.js';
import { ifinfmsg, ifinfomsgHeader, linkReadOnly, linkVocab, type IfinfMessage } from './ifinfmsg.js';
import { linkKinds, type LinkKind } from './kinds/index.js';
import type { KindSpec, VethSpec } from './kinds/types.js';
import type { HeaderedInput } from './types.js';
import { checkIfname, familyValue, mergeAttrs, type IfRef, type RawAttrs } from './spec.js';
import { requestHead } from './commands.js';

export type LinkCmd = 'add' | 'set' | 'replace' | 'del' | 'get' | 'dump' | 'property_add' | 'property_del';

/**
 * The link keys of a spec, from the link vocabulary (ifinfmsg.ts): `mtu`, `address`,
 * `txqlen`, `gsoMaxSize`..., plus the keys with a meaning of their own below.
 */
type LinkVocabSpec = Omit<VocabSpec<typeof linkVocab>, 'index' | 'link' | 'master' | 'family' | 'flags' | 'change'>;

/** The keys every link spec may hold, whatever its kind. */
export interface LinkBaseSpec extends LinkVocabSpec {
  /** The link to act on (with `ifname` too, `set` renames it): an index or a name. */
  index?: IfRef;
  family?: number | string;
  state?: 'up' | 'down';
  /** ifi_flags and ifi_change: a mask or names ('up', 'noarp'); `state` sets IFF_UP in both. */
  flags?: number | readonly string[];
  change?: number | readonly string[];
  /** Parent link (IFLA_LINK), e.g. of a vlan or macvlan: an index or a name. */
  link?: IfRef;
  /** Master (bridge, bond, vrf): an index or a name; 0 releases. */
  master?: IfRef;
  /** Move to this namespace: a name, a path, or an open fd (IPRoute opens the name). */
  netns?: string | number;
  /** Alternative name(s), added with RTM_NEWLINKPROP after the link exists. */
  altname?: string | string[];
  /** Read from records; accepted and not sent. */
  altnames?: readonly string[];
  slaveKind?: string;
  /** IFLA_INFO_DATA / IFLA_INFO_SLAVE_DATA given as attributes. */
  data?: RawAttrs | Record<string, unknown>;
  /** Raw attributes merged into the message. */
  attrs?: RawAttrs;
}

/**
 * A link, pyroute2-style in camelCase. Kind options are the kind's own keys (`vxlanId`,
 * `brStpState`, `macvlanMode: 'bridge'`), allowed only with their `kind`: the type is a
 * union discriminated by `kind`, so `{ kind: 'vxlan', vxlanid: 5 }` does not compile.
 */
export type LinkSpec = LinkBaseSpec & KindSpec;

/** Keys with a meaning of their own; the other keys name an attribute through the vocabulary. */
const SPECIAL = new Set([
  'index',
  'ifname',
  'family',
  'kind',
  'state',
  'flags',
  'change',
  'peer',
  'data',
  'attrs',
  'altname',
  'netns',
  'altnames',
  'slaveKind',
]);
// iproute2 adds these as it meets them on the command line; nlroute's fixed order is the
// order of a natural `ip link add` line, so equal commands give equal bytes.
const ORDER = ['link', 'mtu', 'address', 'broadcast', 'txqlen', 'master', 'netNsPid', 'netNsFd'];

function kindOf(name: unknown): LinkKind {
  if (typeof name !== 'string' || !name)
    throw new SpecError(`link: kind must be a non-empty string, got ${describeValue(name)}`, {
      object: 'link',
      key: 'kind',
    });
  const k = linkKinds.get(name);
  if (!k) {
    const known = [...linkKinds.keys()].sort();
    const near = didYouMean(name, known);
    throw new SpecError(
      `link: unknown kind ${JSON.stringify(name)}${near ? ` (did you mean ${near}?)` : ''}; known: ${known.join(', ')}`,
      { object: 'link', key: 'kind', allowed: known, suggestion: near },
    );
  }
  return k;
}

const ifnameCheck: Check = (v) => {
  if (typeof v !== 'string') return 'an interface name (a string)';
  try {
    checkIfname(v);
  } catch (e) {
    return `a valid interface name (${(e as Error).message})`;
  }
  return undefined;
};
const LINK_EXTRA: Record<string, Check> = {
  index: ifRefCheck,
  ifname: ifnameCheck,
  link: ifRefCheck,
  master: ifRefCheck,
  state: oneOfCheck('up', 'down'),
  family: eitherCheck(intCheck(0, 255), stringCheck()),
  kind: stringCheck(),
  netns: eitherCheck(stringCheck(), intCheck(0, 0x7fffffff)),
  altname: eitherCheck(ifnameCheck, arrayCheck(ifnameCheck)),
  altnames: anyCheck,
  slaveKind: anyCheck,
  peer: eitherCheck(ifnameCheck, objectCheck),
  data: objectCheck,
  attrs: arrayCheck(anyCheck),
};

// Kinds whose devices have no 6-byte Ethernet address.
const HW_ADDR_LEN: Readonly<Record<string, number>> = { ipip: 4, sit: 4, gre: 4, ip6tnl: 16, ip6gre: 16 };
const NO_HW_ADDR = new Set(['wireguard', 'xfrm', 'tun']);

/** The link-layer address length of a kind's devices (undefined when it has none or it varies). */
export function hwAddrLen(kind: string): number | undefined {
  if (NO_HW_ADDR.has(kind) || !linkKinds.has(kind) || linkKinds.get(kind)!.slaveOf) return undefined;
  return HW_ADDR_LEN[kind] ?? 6;
}

const rulesByKind = new Map<string, SpecRules>();

/** The rules of a link spec of this kind: the link's keys and the kind's options. */
function linkRules(kind: LinkKind | undefined): SpecRules {
  const key = kind?.kind ?? '';
  let r = rulesByKind.get(key);
  if (!r) {
    const base = linkVocab.rules(LINK_EXTRA);
    const opts = kind?.vocab?.rules();
    // The kind's options first: an error lists the allowed keys in this order.
    r = opts ? { keys: { ...opts.keys, ...base.keys }, aliases: { ...base.aliases, ...opts.aliases } } : base;
    // Kind options naming a link (vxlanLink, greLink) take a name too, as `link` does.
    if (opts)
      for (const k of Object.keys(opts.keys)) if (k.endsWith('Link')) (r.keys as Record<string, Check>)[k] = ifRefCheck;
    rulesByKind.set(key, r);
  }
  return r;
}

/**
 * Check a link spec before anything is sent: every key known for the link and its kind,
 * every value of the right shape, names without NUL. Returns it with aliases (IFLA_MTU,
 * ifi_index...) replaced by their friendly keys. Throws SpecError.
 */
export function checkLinkSpec<T extends object>(spec: T): T {
  if (typeof spec !== 'object' || spec === null)
    throw new SpecError(`link: the spec must be an object, got ${describeValue(spec)}`, { object: 'link', key: '' });
  const k = (spec as { kind?: unknown }).kind;
  // A tap is a tun device in tap mode: the same options.
  const kind = k === undefined ? undefined : kindOf(k === 'tap' ? 'tun' : k);
  const out = checkSpec(kind ? `link (kind ${String(k)})` : 'link', spec, linkRules(kind));
  const peer = (out as { peer?: unknown }).peer;
  if (typeof peer === 'object' && peer !== null) checkLinkSpec(peer);
  return out;
}

function dataPairs(data: LinkBaseSpec['data']): [string | number, unknown][] {
  if (!data) return [];
  return (Array.isArray(data) ? data : Object.entries(data)).map(([k, v]) => [k, v] as [string | number, unknown]);
}

/** Kind options as attributes, in the spec's order. An IPv6 value for an IPv4-only option goes to its '6' twin. */
function kindAttrs(k: LinkKind, spec: Readonly<Record<string, unknown>>): [string, unknown][] {
  if (!k.vocab) return [];
  const map = k.vocab.map!;
  return k.vocab.attrPairs(spec).map(([name, v]) => {
    const twin = `${name}6`;
    if (map.byName.get(name)!.type.kind === 'ipv4' && typeof v === 'string' && v.includes(':') && map.byName.has(twin))
      return [twin, v];
    return [name, v];
  });
}

/** IFLA_LINKINFO for a spec with a kind. */
function linkinfo(spec: LinkSpec): [string, unknown][] | undefined {
  if (spec.kind === undefined) return undefined;
  const k = kindOf(spec.kind);
  const data = [...kindAttrs(k, spec as unknown as Record<string, unknown>), ...dataPairs(spec.data)];
  if (k.kind === 'veth' && (spec as { peer?: unknown }).peer !== undefined)
    data.push(['VETH_INFO_PEER', peerBody((spec as VethSpec).peer!)]);
  const out: [string, unknown][] = [['IFLA_INFO_KIND', k.kind]];
  if (data.length) out.push([k.slaveOf ? 'IFLA_INFO_SLAVE_DATA' : 'IFLA_INFO_DATA', data]);
  return out;
}

function peerBody(peer: string | LinkSpec): HeaderedInput {
  const spec = typeof peer === 'string' ? { ifname: peer } : peer;
  const { fields, attrs } = linkBody('add', spec);
  return { fields, attrs };
}

const flagsType = ifinfomsgHeader.fields.flags;

/** Header fields and attributes of a link spec (without the message type). */
export function linkBody(
  cmd: LinkCmd,
  spec: LinkSpec,
): { fields: Record<string, unknown>; attrs: [string | number, unknown][] } {
  spec = checkLinkSpec(spec);
  const fields: Record<string, unknown> = {};
  const family = familyValue(spec.family as number | string | undefined);
  if (family) fields.family = family;
  if (spec.index !== undefined) {
    if (typeof spec.index !== 'number')
      throw new TypeError(`index ${JSON.stringify(spec.index)} must be resolved to an index first`);
    fields.index = spec.index;
  }
  let flags = encoderValue(flagsType, spec.flags ?? 0) as number,
    change = encoderValue(flagsType, spec.change ?? 0) as number;
  if (spec.state !== undefined) {
    change |= IFF_UP;
    if (spec.state === 'up') flags |= IFF_UP;
    else flags &= ~IFF_UP;
  }
  if (flags) fields.flags = flags >>> 0;
  if (change) fields.change = change >>> 0;

  const attrs: [string | number, unknown][] = [];
  const kind = spec.kind !== undefined ? kindOf(spec.kind) : undefined;
  const rec = spec as unknown as Record<string, unknown>;
  const keys = [...ORDER.filter((k) => k in spec), ...Object.keys(spec).filter((k) => !ORDER.includes(k))];
  for (const k of keys) {
    const v = rec[k];
    if (v === undefined || SPECIAL.has(k) || linkReadOnly.has(k) || kind?.vocab?.wireOf.has(k)) continue;
    const name = linkVocab.wireOf.get(k)!;
    if (typeof v === 'string' && (k === 'link' || k === 'master'))
      throw new TypeError(`${k} ${JSON.stringify(v)} must be resolved to an index first`);
    attrs.push([name, encoderValue(linkVocab.typeOf(k)!, v)]);
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

const LINK_CMDS = ['add', 'set', 'replace', 'del', 'get', 'property_add', 'property_del'];
const LINK_TYPES = { new: RTM.RTM_NEWLINK, del: RTM.RTM_DELLINK, get: RTM.RTM_GETLINK };
/** Link commands unlike the other objects'. */
const LINK_OWN: Readonly<Record<string, { type: number; flags: number }>> = {
  // `ip link set` changes the link in place and asks for no replace.
  set: { type: RTM.RTM_NEWLINK, flags: NLM_F_ACK },
  // Alternative names have message types of their own.
  property_add: { type: RTM.RTM_NEWLINKPROP, flags: NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL | NLM_F_APPEND },
  property_del: { type: RTM.RTM_DELLINKPROP, flags: NLM_F_ACK },
};

/** The request for `ipr.link(cmd, spec)`: schema and message spec, ready for sock.request/batch. */
export function linkRequest(cmd: LinkCmd, spec: LinkSpec): { schema: typeof ifinfmsg; spec: MessageSpec<any, any> } {
  const { type, flags } = requestHead('link', cmd, LINK_CMDS, LINK_TYPES, LINK_OWN);
  const { fields, attrs } = linkBody(cmd, spec);
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
  if (filter.kind !== undefined)
    checks.push((m) => m.getAttr('IFLA_LINKINFO')?.getAttr('IFLA_INFO_KIND') === filter.kind);
  if (typeof filter.master === 'number') checks.push((m) => (m.getAttr('IFLA_MASTER') ?? 0) === filter.master);
  if (filter.state !== undefined) checks.push((m) => ((m.field('flags') & IFF_UP) !== 0) === (filter.state === 'up'));
  if (filter.altname !== undefined) {
    checks.push((m) => (m.getAttr('IFLA_PROP_LIST')?.getAttrs('IFLA_ALT_IFNAME') ?? []).includes(filter.altname!));
  }
  for (const [k, v] of Object.entries(filter)) {
    if (FILTER_SPECIAL.has(k) || v === undefined) continue;
    const name = (linkVocab.wireOf.get(k) ?? (k.startsWith('IFLA_') ? k : undefined)) as 'IFLA_MTU' | undefined;
    if (!name || !name.startsWith('IFLA_'))
      throw unknownKey('link filter', k, [...FILTER_SPECIAL, ...linkVocab.keys()]);
    checks.push((m) => m.getAttr(name) === v);
  }
  if (filter.match) checks.push(filter.match);
  if (!checks.length) return undefined;
  return (m) => checks.every((c) => c(m));
}
