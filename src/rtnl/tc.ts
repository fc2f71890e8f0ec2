// Traffic control: ipr.tc(cmd, kind, spec) for qdiscs, classes and filters, and their dumps.
import {
  AF_UNSPEC,
  NLM_F_ACK,
  NLM_F_DUMP,
  NLM_F_REQUEST,
  NetlinkEncodeError,
  type Message,
  type MessageSpec,
  type NetlinkSocket,
} from '../core/index.js';
import { ask, command, type Req } from './commands.js';
import type { IfRef } from './spec.js';
import type { TcCmd, TcSpecOf } from './tc/specs.js';

export type { TcCmd, TcVerb, TcSpecOf } from './tc/specs.js';
import {
  anyCheck,
  badValue,
  checkSpec,
  eitherCheck,
  ifRefCheck,
  intCheck,
  objectCheck,
  oneOfCheck,
  stringCheck,
  type Check,
} from '../core/index.js';
import {
  RTM_DELCHAIN,
  RTM_DELQDISC,
  RTM_DELTCLASS,
  RTM_DELTFILTER,
  RTM_GETCHAIN,
  RTM_GETQDISC,
  RTM_GETTCLASS,
  RTM_GETTFILTER,
  RTM_NEWCHAIN,
  RTM_NEWQDISC,
  RTM_NEWTCLASS,
  RTM_NEWTFILTER,
  tcmsg,
} from './tcmsg.js';
import { TIME_UNITS_PER_SEC, parseTime } from './rate.js';
import {
  TC_H_ROOT,
  filterInfo,
  parseHandle,
  parseProtocol,
  splitFilterInfo,
  tcKinds,
  type TcSpec,
} from './tc/index.js';

export type TcMessage = Message<typeof tcmsg.header.fields, typeof tcmsg.attrs.decl>;

/** What getQdiscs() filters on. */
export interface QdiscFilter {
  /** The interface, by index (or by name through IPRoute). */
  index?: IfRef;
  kind?: string;
  handle?: string | number;
  parent?: string | number;
}

/** Options every object takes; the rest of a spec goes to the kind. */
export interface TcBaseSpec {
  /** The interface (required): its index, or its name through IPRoute. */
  index?: IfRef;
  /** '1:', '1:10', a number; for u32 filters also 'htid:hash:node' ('800::800'). */
  handle?: string | number;
  /** 'root', 'ingress', '1:', '1:10', 'ffff:fff2'... */
  parent?: string | number;
  /** Filters: priority (tc's 'prio'/'pref'); for htb classes the class priority. */
  prio?: number;
  /** Filters: 'ip', 'ipv6', 'all', 'arp', '802.1q' or a number; default 'all' when adding. */
  protocol?: string | number;
  /** Filters: chain index. */
  chain?: number;
  /** Qdiscs: shared filter blocks. */
  ingressBlock?: number;
  egressBlock?: number;
  /** @deprecated alias of ingressBlock */ ingress_block?: number;
  /** @deprecated alias of egressBlock */ egress_block?: number;
  /** Filters and chains of a shared block instead of an interface (`tc filter add block N ...`). */
  block?: number;
  /** Qdiscs and classes: a rate estimator, [interval, time constant] as tc's `estimator 250ms 1sec`. */
  estimator?: readonly [string | number, string | number];
  /** The kind's options: see the kind's file in tc/ (each declares its keys). */
  [option: string]: unknown;
}

type Target = 'qdisc' | 'class' | 'filter' | 'chain';
const handleC: Check = eitherCheck(intCheck(0, 0xffffffff), stringCheck());
const u32C = intCheck(0, 0xffffffff);
/** The keys every object of a target takes, beside its kind's (TcKind.keys). */
const BASE: Record<Target, Readonly<Record<string, Check>>> = {
  qdisc: {
    index: ifRefCheck,
    handle: handleC,
    parent: handleC,
    ingressBlock: u32C,
    egressBlock: u32C,
    estimator: anyCheck,
  },
  class: { index: ifRefCheck, handle: handleC, parent: handleC, estimator: anyCheck },
  filter: {
    index: ifRefCheck,
    handle: handleC,
    parent: handleC,
    prio: intCheck(0, 0xffff),
    protocol: handleC,
    chain: u32C,
    block: u32C,
  },
  chain: { index: ifRefCheck, parent: handleC, chain: u32C, block: u32C, protocol: handleC },
};
const BASE_ALIASES: Readonly<Record<string, string>> = {
  ingress_block: 'ingressBlock',
  egress_block: 'egressBlock',
  TCA_INGRESS_BLOCK: 'ingressBlock',
  TCA_EGRESS_BLOCK: 'egressBlock',
  TCA_CHAIN: 'chain',
  pref: 'prio',
  priority: 'prio',
};

/** What a record read back holds beside the spec's keys: accepted in specs (a record is a spec), not sent. */
const READ_ONLY: Readonly<Record<string, Check>> = {
  object: oneOfCheck('qdisc', 'class', 'filter', 'chain'),
  kind: stringCheck(),
  stats: objectCheck,
};

/** A spec with its keys checked against the target's and the kind's, aliases replaced, read-only keys dropped. */
function checkTcSpec(cmd: string, kind: string | null | undefined, target: Target, spec: TcBaseSpec): TcBaseSpec {
  const def = kind ? tcKinds[kind] : undefined;
  const keys: Record<string, Check> = { ...BASE[target], ...READ_ONLY };
  // A chain's template is a filter of its kind.
  const own = def?.keys?.[target === 'chain' ? 'filter' : target];
  // A kind that does not declare its keys checks its own options (checkKeys in its qdisc/filter).
  if (def && !own) return spec;
  for (const k of own ?? []) keys[k] ??= anyCheck;
  const what = `tc ${cmd}${kind ? ` ${kind}` : ''}`;
  // A record of another kind or object: say so before its options look like typos.
  const given = spec as { kind?: unknown; object?: unknown };
  if (given.kind !== undefined && given.kind !== kind)
    throw badValue(what, 'kind', `the kind given to tc() (${JSON.stringify(kind ?? null)})`, given.kind);
  if (given.object !== undefined && given.object !== target)
    throw badValue(what, 'object', `"${target}" for this command`, given.object);
  const {
    object,
    kind: k,
    stats,
    ...rest
  } = checkSpec(what, spec, { keys, aliases: { ...BASE_ALIASES, ...def?.aliases } });
  void object;
  void k;
  void stats;
  return rest;
}
const TYPES: Record<Target, { new: number; del: number; get: number }> = {
  qdisc: { new: RTM_NEWQDISC, del: RTM_DELQDISC, get: RTM_GETQDISC },
  class: { new: RTM_NEWTCLASS, del: RTM_DELTCLASS, get: RTM_GETTCLASS },
  filter: { new: RTM_NEWTFILTER, del: RTM_DELTFILTER, get: RTM_GETTFILTER },
  chain: { new: RTM_NEWCHAIN, del: RTM_DELCHAIN, get: RTM_GETCHAIN },
};
/** tcm_ifindex of objects that belong to a shared block (tcm_parent then holds the block index). */
export const TCM_IFINDEX_MAGIC_BLOCK = 0xffffffff;

/** tc_estimator from an interval and a time constant (tc_setup_estimator). */
export function estimator(
  interval: string | number,
  timeConst: string | number,
): { interval: number; ewma_log: number } {
  const a = parseTime(interval),
    tc = parseTime(timeConst);
  let i = 0;
  while (i <= 5 && a > 2 ** i * (TIME_UNITS_PER_SEC / 4)) i++;
  if (i > 5) throw new NetlinkEncodeError(`estimator interval ${interval} too long (at most 8s)`);
  let e = 1;
  while (e < 32 && !(a / -Math.log(1 - 1 / 2 ** e) > tc)) e++;
  e--;
  if (e === 0 || e >= 31)
    throw new NetlinkEncodeError(`estimator time constant ${timeConst} does not fit interval ${interval}`);
  return { interval: i - 2, ewma_log: e };
}

/** A u32 filter handle 'htid:hash:node' (hex parts, as tc takes them) or a number. */
export function parseU32Handle(v: string | number): number {
  if (typeof v === 'number') return v >>> 0;
  const m = /^([0-9a-f]{0,3}):([0-9a-f]{0,2})(?::([0-9a-f]{0,3}))?$/i.exec(v.trim());
  if (!m) return parseHandle(v);
  const h = (x: string | undefined): number => (x ? parseInt(x, 16) : 0);
  return ((h(m[1]) << 20) | (h(m[2]) << 12) | h(m[3])) >>> 0;
}

function filterHandle(kind: string | undefined, v: string | number | undefined): number {
  if (v === undefined) return 0;
  if (kind === 'u32') return parseU32Handle(v);
  if (typeof v === 'number') return v >>> 0;
  if (/^(0x[0-9a-f]+|\d+)$/i.test(v.trim())) return Number(v.trim()) >>> 0;
  return parseHandle(v);
}

/** The interface index of a spec; a name must have been resolved (IPRoute does) before here. */
function ifindexOf(v: IfRef | undefined, cmd: string): number {
  if (v === undefined) throw new NetlinkEncodeError(`tc ${cmd}: index is required`);
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0 || v > 0x7fffffff) {
    throw new NetlinkEncodeError(
      `tc ${cmd}: index must be an interface index, got ${JSON.stringify(v)} (IPRoute.tc takes names)`,
    );
  }
  return v;
}

type Built = { dump: true; target: Target } | { dump: false; request: Req };

/** Check a tc command and build its request (pure: nothing is sent). */
function build(cmd: string, kind: string | null | undefined, given: TcBaseSpec): Built {
  const m = /^(\w+)(?:-(class|filter|chain))?$/.exec(cmd);
  if (!m) throw new NetlinkEncodeError(`tc: unknown command ${JSON.stringify(cmd)}`);
  const target = (m[2] ?? 'qdisc') as Target;
  const { verb, flags: f } = command(m[1], [
    'add',
    'create',
    'replace',
    'change',
    'set',
    'del',
    'delete',
    'remove',
    'get',
    'dump',
    'show',
  ]);
  if (verb === 'dump') return { dump: true, target };
  const spec = checkTcSpec(cmd, kind, target, given);
  // tc's 'change' sends neither CREATE nor REPLACE: it modifies the existing object only.
  const flags = m[1] === 'change' || m[1] === 'set' ? NLM_F_ACK : f;
  const block = spec.block;
  const index = block !== undefined ? TCM_IFINDEX_MAGIC_BLOCK | 0 : ifindexOf(spec.index, cmd);
  const def = kind ? tcKinds[kind] : undefined;
  if (kind && !def && verb === 'new')
    throw new NetlinkEncodeError(`tc: unknown kind ${JSON.stringify(kind)} (${Object.keys(tcKinds).join(', ')})`);
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec)) if (!(k in BASE[target]) && v !== undefined) options[k] = v;

  let handle: number,
    parent: number,
    info = 0;
  const attrs: [string, unknown][] = [];
  if (kind) attrs.push(['TCA_KIND', kind]);
  if (target === 'chain') {
    handle = 0;
    parent = block ?? parseHandle(spec.parent as string | number | undefined, 'parent');
    attrs.unshift(['TCA_CHAIN', spec.chain ?? 0]);
  } else if (target === 'filter') {
    handle = filterHandle(kind ?? undefined, spec.handle as string | number | undefined);
    if (spec.handle === undefined && verb === 'new' && def?.filterHandle) {
      const opts: TcSpec = Object.fromEntries(Object.entries(spec).filter(([k]) => !(k in BASE.filter)));
      handle = def.filterHandle(opts) ?? 0;
    }
    parent = block ?? parseHandle(spec.parent as string | number | undefined, 'parent');
    const protocol = spec.protocol === undefined && verb !== 'new' ? 0 : parseProtocol(spec.protocol);
    info = filterInfo(spec.prio ?? 0, protocol);
    if (spec.chain !== undefined) attrs.push(['TCA_CHAIN', spec.chain]);
  } else {
    handle = parseHandle(spec.handle as string | number | undefined);
    parent =
      spec.parent !== undefined
        ? parseHandle(spec.parent as string | number, 'parent')
        : target === 'qdisc'
          ? (def?.qdiscAt?.parent ?? TC_H_ROOT)
          : 0;
    if (target === 'qdisc' && spec.handle === undefined && def?.qdiscAt) handle = def.qdiscAt.handle;
  }
  if (verb === 'new' && def) {
    // A chain's template is a filter of that kind without handle or priority.
    const make = target === 'qdisc' ? def.qdisc : target === 'class' ? def.class : def.filter;
    if (!make) throw new NetlinkEncodeError(`tc: ${kind} is not a ${target} kind`);
    if (def.keysProtocol && spec.protocol !== undefined) options.protocol = spec.protocol;
    const opts = make.call(def, options as TcSpec);
    if (opts !== undefined) attrs.push(['TCA_OPTIONS', opts]);
  } else if (Object.keys(options).length && verb === 'new') {
    throw new NetlinkEncodeError(`tc ${cmd}: options need a kind`);
  }
  if (spec.estimator !== undefined && (target === 'qdisc' || target === 'class')) {
    attrs.push(['TCA_RATE', estimator(spec.estimator[0], spec.estimator[1])]);
  }
  if (target === 'qdisc') {
    if (spec.ingressBlock !== undefined) attrs.push(['TCA_INGRESS_BLOCK', spec.ingressBlock]);
    if (spec.egressBlock !== undefined) attrs.push(['TCA_EGRESS_BLOCK', spec.egressBlock]);
  }
  const t = TYPES[target];
  return {
    dump: false,
    request: {
      type: verb === 'new' ? t.new : verb === 'del' ? t.del : t.get,
      flags: verb === 'get' ? 0 : flags,
      fields: { family: AF_UNSPEC, ifindex: index, handle, parent, info },
      attrs,
    },
  };
}

/**
 * `tc(sock, cmd, kind, spec)`. Commands: 'add' | 'replace' | 'change' | 'del' | 'dump' for
 * qdiscs, the same with '-class' and '-filter' for classes and filters ('add-class',
 * 'del-filter', ...). Examples:
 *
 *     tc(s, 'add', 'htb', { index, handle: '1:', default: 0x20 })
 *     tc(s, 'add-class', 'htb', { index, parent: '1:', handle: '1:20', rate: '10mbit', ceil: '20mbit' })
 *     tc(s, 'add-filter', 'u32', { index, parent: '1:', prio: 1, protocol: 'ip', match: 'ip dst 10.0.0.0/8', classid: '1:20' })
 *     tc(s, 'add', 'ingress', { index })
 */
export async function tc<C extends TcCmd, K extends string | null | undefined = undefined>(
  sock: NetlinkSocket,
  cmd: C,
  kind?: K,
  given: TcSpecOf<C, K> = {} as TcSpecOf<C, K>,
): Promise<TcMessage[]> {
  const spec = given as TcBaseSpec;
  // A record carries its kind: tc('add', null, record) takes it from there.
  const k: string | null | undefined = kind == null && typeof spec.kind === 'string' && spec.kind ? spec.kind : kind;
  const b = build(cmd, k, spec);
  if (!b.dump) return ask(sock, tcmsg, b.request);
  const index =
    spec.block !== undefined
      ? TCM_IFINDEX_MAGIC_BLOCK | 0
      : spec.index === undefined
        ? undefined
        : ifindexOf(spec.index, cmd);
  const parent = spec.block ?? spec.parent;
  if (b.target === 'qdisc') return getQdiscs(sock, { index, kind: k ?? undefined });
  if (index === undefined) throw new NetlinkEncodeError(`tc ${cmd}: index is required (or block for a shared block)`);
  if (b.target === 'chain') return getChains(sock, index, parent);
  return b.target === 'class' ? getClasses(sock, index, parent) : getFilters(sock, index, parent, spec.chain);
}

/** The bytes `tc()` would send for a command (NLM_F_REQUEST set), without sending them. */
export function tcRequest<C extends TcCmd, K extends string | null>(
  cmd: C,
  kind: K,
  spec: TcSpecOf<C, K>,
  seq = 0,
): Buffer {
  const b = build(cmd, kind, spec as TcBaseSpec);
  if (b.dump) throw new NetlinkEncodeError('tcRequest: dumps are not single requests');
  return tcmsg.encode({ ...b.request, seq, flags: (b.request.flags ?? 0) | NLM_F_REQUEST } as MessageSpec<any, any>);
}

/** Qdiscs of every interface, or those matching index/kind/handle/parent. */
export async function getQdiscs(sock: NetlinkSocket, filter: QdiscFilter = {}): Promise<TcMessage[]> {
  const index = filter.index === undefined ? undefined : ifindexOf(filter.index, 'qdisc dump');
  const all = await ask(sock, tcmsg, {
    type: RTM_GETQDISC,
    flags: NLM_F_DUMP,
    fields: { family: AF_UNSPEC, ifindex: index ?? 0 },
  });
  const handle = filter.handle === undefined ? undefined : parseHandle(filter.handle);
  const parent = filter.parent === undefined ? undefined : parseHandle(filter.parent, 'parent');
  return all.filter(
    (m) =>
      (index === undefined || m.fields.ifindex === index) &&
      (filter.kind === undefined || m.getAttr('TCA_KIND') === filter.kind) &&
      (handle === undefined || m.fields.handle === handle) &&
      (parent === undefined || m.fields.parent === parent),
  );
}

/** Classes of an interface (under one parent, if given). */
export async function getClasses(sock: NetlinkSocket, index: number, parent?: string | number): Promise<TcMessage[]> {
  const p = parent === undefined ? 0 : parseHandle(parent, 'parent');
  const all = await ask(sock, tcmsg, {
    type: RTM_GETTCLASS,
    flags: NLM_F_DUMP,
    fields: { family: AF_UNSPEC, ifindex: index, parent: p },
  });
  return all.filter((m) => m.fields.ifindex === index);
}

/**
 * Filters of an interface under `parent` (default: the root qdisc; 'ingress' or 'ffff:' for
 * the ingress qdisc, 'ffff:fff2'/'ffff:fff3' for clsact's hooks), optionally of one chain.
 */
export async function getFilters(
  sock: NetlinkSocket,
  index: number,
  parent?: string | number,
  chain?: number,
): Promise<TcMessage[]> {
  let p = parent === undefined ? 0 : parseHandle(parent, 'parent');
  if (p === 0xfffffff1) p = 0xffff0000; // 'ingress' names the qdisc; its filters hang under ffff:
  const all = await ask(sock, tcmsg, {
    type: RTM_GETTFILTER,
    flags: NLM_F_DUMP,
    fields: { family: AF_UNSPEC, ifindex: index, parent: p },
    attrs: chain === undefined ? [] : [['TCA_CHAIN', chain]],
  });
  return all.filter((m) => m.fields.ifindex === index && (chain === undefined || m.getAttr('TCA_CHAIN') === chain));
}

/** Filter chains (with their templates) of an interface's qdisc, or of a shared block (index TCM_IFINDEX_MAGIC_BLOCK). */
export async function getChains(sock: NetlinkSocket, index: number, parent?: string | number): Promise<TcMessage[]> {
  let p = parent === undefined ? 0 : parseHandle(parent, 'parent');
  if (p === 0xfffffff1) p = 0xffff0000;
  const all = await ask(sock, tcmsg, {
    type: RTM_GETCHAIN,
    flags: NLM_F_DUMP,
    fields: { family: AF_UNSPEC, ifindex: index, parent: p },
  });
  return all.filter((m) => m.fields.ifindex === index);
}

/** Priority and protocol name of a filter message. */
export function filterKey(m: TcMessage): { prio: number; protocol: number } {
  return splitFilterInfo(m.fields.info);
}
