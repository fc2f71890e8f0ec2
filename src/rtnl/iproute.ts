// IPRoute: links, addresses and routes over one NETLINK_ROUTE socket, with pyroute2's call
// shapes (`ipr.link('add', {...})`) so code ports line by line.
import { closeSync, openSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { netnsContext } from '../core/nscontext.js';
import {
  DumpInterruptedError,
  NETLINK_ROUTE,
  NLM_F_ACK,
  NLM_F_REQUEST,
  NetlinkError,
  NetlinkSocket,
  NetlinkTimeoutError,
  Overrun,
  SocketClosedError,
  SpecError,
  badValue,
  describeCalls,
  lazyRecords,
  macCheck,
  netnsError,
  netnsPath,
  type AnyMessage,
  type AnySchema,
  type BatchOptions,
  type BatchResult,
  type MessageSpec,
  type Subscription,
} from '../core/index.js';
import { RTEXT_FILTER, RTM, RTNLGRP } from './constants.js';
import { ifaddrmsg, type IfaddrMessage } from './ifaddrmsg.js';
import { ifinfmsg, type IfinfMessage } from './ifinfmsg.js';
import { rtnlMarshal } from './marshal.js';
import { rtmsg, type RtMessage } from './rtmsg.js';
import {
  addrDumpRequest,
  addrMatcher,
  addrRequest,
  checkAddrSpec,
  type AddrCmd,
  type AddrFilter,
  type AddrSpec,
} from './addr.js';
import {
  checkLinkSpec,
  hwAddrLen,
  linkDumpRequest,
  linkMatcher,
  linkRequest,
  type LinkBaseSpec,
  type LinkCmd,
  type LinkFilter,
  type LinkSpec,
} from './link.js';
import {
  checkRouteSpec,
  routeDumpRequest,
  routeMatcher,
  routeRequest,
  type RouteCmd,
  type RouteFilter,
  type RouteSpec,
} from './route.js';
import { checkIfname, type IfRef } from './spec.js';
import { checkNeighSpec, getNeighbours, neigh, type NeighCmd, type NeighMessage, type NeighSpec } from './neigh.js';
import { checkFdbSpec, fdb, type FdbCmd, type FdbSpec } from './fdb.js';
import { getRules, rule, ruleRecord, type RuleCmd, type RuleMessage, type RuleRecord, type RuleSpec } from './rule.js';
import {
  getClasses,
  getFilters,
  getQdiscs,
  tc,
  type QdiscFilter,
  type TcBaseSpec,
  type TcCmd,
  type TcMessage,
  type TcSpecOf,
} from './tc.js';
import { getNsids, nsid, nsidRecord, type NsidMessage, type NsidRecord, type NsidSpec } from './nsid.js';
import { getNetconf, netconfRecord, type NetconfFilter, type NetconfMessage, type NetconfRecord } from './netconf.js';
import { tcRecord, type TcRecord } from './tcrecord.js';
import { tcAction, type TcActionMessage } from './tcaction.js';
import { bridgeVlan, getBridgeVlans, type BridgeVlanRecord, type BridgeVlanSpec } from './brvlan.js';
import {
  brvlan,
  brvlanGlobal,
  brvlanGlobalRecords,
  brvlanMatcher,
  brvlanRecords,
  checkBrVlanGlobalSpec,
  checkBrVlanSpec,
  dumpBrVlans,
  type BrVlanGlobalRecord,
  type BrVlanGlobalSpec,
  type BrVlanRecord,
  type BrVlanSpec,
} from './brvlandb.js';
import {
  checkMdbSpec,
  dumpMdb,
  mdb,
  mdbMatcher,
  mdbRecords,
  mdbRouterRecords,
  type MdbCmd,
  type MdbRecord,
  type MdbRouterRecord,
  type MdbSpec,
} from './mdb.js';
import type { ActionSpec } from './tc/action.js';
import { getNexthops, nexthop, type NexthopFilter, type NexthopMessage, type NexthopSpec } from './nexthop.js';
import { addTuntap, isTuntapAdd } from './tuntap.js';
import {
  addrRecord,
  fdbRecord,
  linkRecord,
  neighRecord,
  routeKey,
  routeRecord,
  type AddrRecord,
  type FdbRecord,
  type LinkRecord,
  type NeighRecord,
  type RouteRecord,
} from './records.js';
import { IPROUTE_CALLS, describeBatchResults } from './describe.js';

// Link commands of a batch that may create a link a later item names.
const LINK_MAKERS: ReadonlySet<string> = new Set(['add', 'create', 'replace', 'set', 'change']);

// Neighbour commands that send no link-layer address.
const NEIGH_READS: ReadonlySet<string> = new Set(['del', 'delete', 'remove', 'get', 'dump', 'show']);

export interface IPRouteOptions {
  /** Network namespace: a name under /var/run/netns, a path, or an open fd. */
  netns?: string | number;
  /** Let the kernel filter dumps (NETLINK_GET_STRICT_CHK); default true. */
  strictCheck?: boolean;
  /** Default request timeout in ms (0: none). */
  timeout?: number;
  /** Receive buffer bytes of the request socket. */
  rcvbuf?: number;
  /** Use this socket (e.g. one with a replay transport) instead of opening one. */
  socket?: NetlinkSocket;
}

/** Receive buffer of the request socket: room for a large dump's answers in flight. */
const REQUEST_RCVBUF = 4 << 20;

/** How long a dump helper retries a dump a concurrent change interrupted. */
export interface SnapshotOptions {
  /** Milliseconds (default: the socket's request timeout); then DumpInterruptedError. */
  retryFor?: number;
}

/** One request of ipr.batch(): `['addr', 'add', { index: 2, address: '10.0.0.1/24' }]`. */
export type BatchRequest =
  | readonly ['link', LinkCmd, LinkSpec]
  | readonly ['addr', AddrCmd, AddrSpec]
  | readonly ['route', RouteCmd, RouteSpec];

/** Multicast groups by short name for events(). */
export const EVENT_GROUPS: Readonly<Record<string, number>> = {
  link: RTNLGRP.RTNLGRP_LINK,
  ipv4_ifaddr: RTNLGRP.RTNLGRP_IPV4_IFADDR,
  ipv6_ifaddr: RTNLGRP.RTNLGRP_IPV6_IFADDR,
  ipv4_route: RTNLGRP.RTNLGRP_IPV4_ROUTE,
  ipv6_route: RTNLGRP.RTNLGRP_IPV6_ROUTE,
  neigh: RTNLGRP.RTNLGRP_NEIGH,
  ipv4_rule: RTNLGRP.RTNLGRP_IPV4_RULE,
  ipv6_rule: RTNLGRP.RTNLGRP_IPV6_RULE,
  nsid: RTNLGRP.RTNLGRP_NSID,
  tc: RTNLGRP.RTNLGRP_TC,
  mdb: RTNLGRP.RTNLGRP_MDB,
  brvlan: RTNLGRP.RTNLGRP_BRVLAN,
};
const DEFAULT_GROUPS = ['link', 'ipv4_ifaddr', 'ipv6_ifaddr', 'ipv4_route', 'ipv6_route'];

type WaitKind = 'link' | 'addr' | 'route';
const WAIT_GROUPS: Record<WaitKind, string[]> = {
  link: ['link'],
  addr: ['ipv4_ifaddr', 'ipv6_ifaddr'],
  route: ['ipv4_route', 'ipv6_route'],
};
const NEW_TYPE: Record<WaitKind, number> = { link: RTM.RTM_NEWLINK, addr: RTM.RTM_NEWADDR, route: RTM.RTM_NEWROUTE };

function groupId(g: string | number): number {
  if (typeof g === 'number') return g;
  const n =
    EVENT_GROUPS[g] ??
    (RTNLGRP as Record<string, number>)[g] ??
    (RTNLGRP as Record<string, number>)[`RTNLGRP_${g.toUpperCase()}`];
  if (n === undefined) throw new TypeError(`unknown rtnetlink group ${JSON.stringify(g)}`);
  return n;
}

/** A link spec of any kind, for the steps that only move keys around. */
type LooseLink = LinkBaseSpec & { kind?: string; peer?: unknown; [option: string]: unknown };

const isENODEV = (e: unknown): boolean => e instanceof NetlinkError && e.code === 'ENODEV';

/** Links, addresses and routes of one network namespace. */
export class IPRoute {
  readonly sock: NetlinkSocket;
  readonly netns: string | number | undefined;
  private readonly strict: boolean;
  private eventSock: NetlinkSocket | undefined;
  private closed = false;

  constructor(opts: IPRouteOptions = {}) {
    // Fixed at construction, so sockets opened later (events) land in the same namespace.
    this.netns = opts.netns ?? netnsContext.getStore();
    this.strict = opts.socket ? (opts.strictCheck ?? false) : (opts.strictCheck ?? true);
    this.sock =
      opts.socket ??
      new NetlinkSocket({
        protocol: NETLINK_ROUTE,
        marshal: rtnlMarshal(),
        netns: this.netns,
        strictCheck: this.strict,
        timeout: opts.timeout,
        rcvbuf: opts.rcvbuf ?? REQUEST_RCVBUF,
      });
  }

  // ---- names -------------------------------------------------------------------------

  /** The index of an interface given by index or name; NetlinkError ENODEV when there is none. */
  async ifindex(ref: IfRef): Promise<number> {
    if (typeof ref === 'number') return ref;
    checkIfname(ref);
    try {
      const [m] = await this.sock.request(ifinfmsg, {
        type: RTM.RTM_GETLINK,
        flags: 0,
        attrs: [
          ['IFLA_IFNAME', ref],
          ['IFLA_EXT_MASK', RTEXT_FILTER.RTEXT_FILTER_SKIP_STATS],
        ],
      });
      return m.field('index');
    } catch (e) {
      if (isENODEV(e)) throw new NetlinkError(19, { message: `no interface named ${JSON.stringify(ref)}` });
      throw e;
    }
  }

  /** The name of an interface given by index or name; NetlinkError ENODEV when there is none. */
  async ifname(ref: IfRef): Promise<string> {
    if (typeof ref === 'string') return checkIfname(ref);
    try {
      const [m] = await this.sock.request(ifinfmsg, {
        type: RTM.RTM_GETLINK,
        flags: 0,
        fields: { index: ref },
        attrs: [['IFLA_EXT_MASK', RTEXT_FILTER.RTEXT_FILTER_SKIP_STATS]],
      });
      return m.getAttr('IFLA_IFNAME') ?? '';
    } catch (e) {
      if (isENODEV(e)) throw new NetlinkError(19, { message: `no interface with index ${ref}` }, undefined, 'lookup');
      throw e;
    }
  }

  /** Indexes of the links matching (pyroute2's link_lookup): `linkLookup({ ifname: 'eth0' })`. */
  async linkLookup(filter: LinkFilter): Promise<number[]> {
    return (await this.getLinks(filter)).map((m) => m.field('index'));
  }

  private async resolveAll<T extends object>(
    spec: T,
    keys: readonly string[],
    cache?: Map<string, number>,
  ): Promise<T> {
    let out: T | undefined;
    for (const k of keys) {
      const v = (spec as Record<string, unknown>)[k];
      if (typeof v !== 'string') continue;
      out ??= { ...spec };
      let n = cache?.get(v);
      if (n === undefined) {
        n = await this.ifindex(v);
        cache?.set(v, n);
      }
      (out as Record<string, unknown>)[k] = n;
    }
    return out ?? spec;
  }

  /** Open namespace names given as `netns` into fds; returns the spec and the fds to close. */
  private netnsFds(spec: LooseLink, fds: number[]): LooseLink {
    let out = spec;
    if (spec.netns !== undefined) {
      const { netns, ...rest } = spec;
      out = typeof netns === 'number' ? { ...rest, netNsFd: netns } : { ...rest, netNsFd: this.openNs(netns, fds) };
    }
    const peer = out.peer as LooseLink | string | undefined;
    if (typeof peer === 'object' && peer !== null && peer.netns !== undefined)
      out = { ...out, peer: this.netnsFds(peer, fds) };
    return out;
  }

  private openNs(name: string, fds: number[]): number {
    if (typeof name !== 'string') throw new TypeError('netns must be a namespace name, an absolute path or an fd');
    const path = netnsPath(name);
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      throw netnsError(e, 'open', name, path);
    }
    fds.push(fd);
    return fd;
  }

  private async prepLink(cmd: LinkCmd, spec: LinkSpec, fds: number[], cache?: Map<string, number>): Promise<LinkSpec> {
    // Refused before any name lookup is sent.
    let s = checkLinkSpec(spec) as LooseLink;
    // Kind options naming a link (vxlanLink, greLink, iptunLink) take a name too.
    const linkKeys = ['link', 'master', ...Object.keys(s).filter((k) => k.length > 4 && k.endsWith('Link'))];
    s = await this.resolveAll(s, linkKeys, cache);
    if (typeof s.index === 'string') s = { ...s, index: await this.ifindex(s.index) };
    const peer = s.peer as LooseLink | string | undefined;
    if (typeof peer === 'object' && peer !== null)
      s = { ...s, peer: await this.resolveAll(peer, ['link', 'master'], cache) };
    if (s.address !== undefined || s.broadcast !== undefined) await this.checkHwAddr(cmd, s);
    return this.netnsFds(s, fds) as LinkSpec;
  }

  /**
   * A link-layer address must have the device's length: the kernel keeps the first bytes of
   * a longer one. The length comes from the kind, or from the existing link.
   */
  private async checkHwAddr(cmd: LinkCmd, s: LooseLink): Promise<void> {
    let len = s.kind !== undefined ? hwAddrLen(String(s.kind)) : undefined;
    if (len === undefined && cmd !== 'add' && (s.index !== undefined || s.ifname !== undefined)) {
      const [cur] = await this.getLinks(
        s.index !== undefined ? { index: s.index as number } : { ifname: String(s.ifname) },
      );
      const a = cur?.raw('IFLA_ADDRESS');
      if (a) len = a.length;
    }
    if (len === undefined) return;
    for (const k of ['address', 'broadcast'] as const) {
      const v = s[k];
      if (v === undefined) continue;
      const why = macCheck(len)(v);
      if (why) throw badValue('link', k, why, v);
    }
  }

  private async prepAddr(spec: AddrSpec, cache?: Map<string, number>): Promise<AddrSpec> {
    return this.resolveAll(checkAddrSpec(spec), ['index'], cache);
  }

  private async prepRoute(spec: RouteSpec, cache?: Map<string, number>): Promise<RouteSpec> {
    const s = await this.resolveAll(checkRouteSpec(spec), ['oif', 'iif'], cache);
    if (!s.multipath?.some((nh) => typeof nh.oif === 'string')) return s;
    return { ...s, multipath: await Promise.all(s.multipath.map((nh) => this.resolveAll(nh, ['oif'], cache))) };
  }

  /** Rules name their interfaces (FRA_IIFNAME): an index given for iif/oif is looked up. */
  private async prepRule(spec: RuleSpec): Promise<RuleSpec> {
    let out = spec;
    for (const k of ['iif', 'oif', 'iifname', 'oifname'] as const) {
      const v = (spec as Record<string, unknown>)[k];
      if (typeof v === 'number') out = { ...out, [k]: await this.ifname(v) };
    }
    return out;
  }

  // ---- links ---------------------------------------------------------------------------

  /**
   * Links: `link('add', { ifname: 'v0', kind: 'veth', peer: 'v1' })`, `link('set', { index, state: 'up' })`,
   * `link('del', { ifname })`, `link('get', { ifname })`, `link('dump', filter)`,
   * `link('property_add', { ifname, altname })`. Resolves with the kernel's answer messages
   * (the link for 'get', nothing for changes). `link('add', { kind: 'tun' | 'tap', tunOwner, ... })`
   * creates through /dev/net/tun (src/rtnl/tuntap.ts) and resolves with the new link.
   */
  async link(cmd: LinkCmd, spec: LinkSpec = {}): Promise<IfinfMessage[]> {
    if (cmd === 'dump') return this.getLinks(spec as LinkFilter);
    const fds: number[] = [];
    try {
      const s = await this.prepLink(cmd, spec, fds);
      if (isTuntapAdd(cmd, s)) return await addTuntap(this.sock, this.netns, s);
      const req = linkRequest(cmd, s);
      const out = await this.sock.request(req.schema, req.spec);
      if (s.altname !== undefined && (cmd === 'add' || cmd === 'set' || cmd === 'replace')) {
        const who =
          s.ifname !== undefined && cmd !== 'set'
            ? { ifname: s.ifname }
            : s.index !== undefined
              ? { index: s.index as number }
              : { ifname: s.ifname };
        const p = linkRequest('property_add', { ...who, altname: s.altname });
        await this.sock.request(p.schema, p.spec);
      }
      return out;
    } finally {
      for (const fd of fds) closeSync(fd);
    }
  }

  /** Links matching a filter (kernel-side: master, kind; the rest here). */
  async getLinks(filter: LinkFilter = {}, opts: SnapshotOptions = {}): Promise<IfinfMessage[]> {
    const f = await this.resolveAll(filter, ['master']);
    const keys = Object.keys(f).filter((k) => f[k] !== undefined);
    // One link by name or index: a plain GET, not a dump.
    if (keys.length === 1 && (keys[0] === 'ifname' || keys[0] === 'index')) {
      try {
        return await this.sock.request(ifinfmsg, {
          type: RTM.RTM_GETLINK,
          flags: 0,
          fields: keys[0] === 'index' ? { index: f.index } : {},
          attrs: keys[0] === 'ifname' ? [['IFLA_IFNAME', checkIfname(f.ifname)]] : [],
        });
      } catch (e) {
        if (isENODEV(e)) return [];
        throw e;
      }
    }
    const all = await this.sock.snapshot(ifinfmsg, { ...linkDumpRequest(f) } as MessageSpec<any, any>, opts.retryFor);
    const m = linkMatcher(f);
    return m ? all.filter(m) : all;
  }

  /** The same as getLinks, streamed: memory stays bounded for huge dumps. */
  async *dumpLinks(filter: LinkFilter = {}): AsyncGenerator<IfinfMessage> {
    const f = await this.resolveAll(filter, ['master']);
    const m = linkMatcher(f);
    for await (const l of this.sock.dump(ifinfmsg, linkDumpRequest(f))) if (!m || m(l)) yield l;
  }

  // ---- addresses ---------------------------------------------------------------------------

  /**
   * Addresses: `addr('add', { index: 'v0', address: '10.0.0.1/24' })`, 'del', 'replace',
   * 'dump' (a filter), 'flush' ({ index, family? }: deletes them all).
   */
  async addr(cmd: AddrCmd | 'flush', spec: AddrSpec | AddrFilter = {}): Promise<IfaddrMessage[]> {
    if (cmd === 'dump') return this.getAddr(spec as AddrFilter);
    if (cmd === 'flush') {
      await this.flushAddr(spec as AddrFilter);
      return [];
    }
    const req = addrRequest(cmd, await this.prepAddr(spec as AddrSpec));
    return this.sock.request(req.schema, req.spec);
  }

  /** Addresses matching a filter (kernel-side: family, interface; the rest here). */
  async getAddr(filter: AddrFilter = {}, opts: SnapshotOptions = {}): Promise<IfaddrMessage[]> {
    const f = await this.resolveAll(filter, ['index']);
    const all = await this.sock.snapshot(ifaddrmsg, { ...addrDumpRequest(f) } as MessageSpec<any, any>, opts.retryFor);
    const m = addrMatcher(f);
    return m ? all.filter(m) : all;
  }

  /** getAddr, streamed. */
  async *dumpAddr(filter: AddrFilter = {}): AsyncGenerator<IfaddrMessage> {
    const f = await this.resolveAll(filter, ['index']);
    const m = addrMatcher(f);
    for await (const a of this.sock.dump(ifaddrmsg, addrDumpRequest(f))) if (!m || m(a)) yield a;
  }

  /** Delete every address matching the filter (usually `{ index }`); resolves with how many went. */
  async flushAddr(filter: AddrFilter): Promise<number> {
    const found = await this.getAddr(filter);
    // Deleting a primary IPv4 address also removes its secondaries: delete those first.
    found.sort((a, b) => (b.field('flags') & 1) - (a.field('flags') & 1));
    const items = found.map((m) => ({
      schema: ifaddrmsg as AnySchema,
      spec: {
        type: RTM.RTM_DELADDR,
        flags: NLM_F_REQUEST | NLM_F_ACK,
        fields: { family: m.field('family'), prefixlen: m.field('prefixlen'), index: m.field('index') },
        attrs: m.has('IFA_LOCAL')
          ? [
              ['IFA_LOCAL', m.getAttr('IFA_LOCAL')],
              ['IFA_ADDRESS', m.getAttr('IFA_ADDRESS')],
            ]
          : [['IFA_ADDRESS', m.getAttr('IFA_ADDRESS')]],
      } as MessageSpec<any, any>,
    }));
    if (!items.length) return 0;
    const res = await this.sock.batch(items, { acks: 'all' });
    // An address already gone with its primary is not a failure.
    const bad = res.find((r) => !r.ok && r.error.code !== 'EADDRNOTAVAIL');
    if (bad && !bad.ok) throw bad.error;
    return res.filter((r) => r.ok).length;
  }

  // ---- routes -------------------------------------------------------------------------------

  /**
   * Routes: `route('add', { dst: '10.0.0.0/24', gateway: '10.1.0.1' })`, 'replace', 'append',
   * 'change', 'del', 'get' ({ dst } -> the route used), 'dump' (a filter).
   */
  async route(cmd: RouteCmd, spec: RouteSpec | RouteFilter = {}): Promise<RtMessage[]> {
    if (cmd === 'dump') return this.getRoutes(spec as RouteFilter);
    const req = routeRequest(cmd, await this.prepRoute(spec as RouteSpec));
    return this.sock.request(req.schema, req.spec);
  }

  /** Routes matching a filter (kernel-side: family, table, proto, type, oif; the rest here). */
  async getRoutes(filter: RouteFilter = {}, opts: SnapshotOptions = {}): Promise<RtMessage[]> {
    const f = await this.resolveAll(filter, ['oif']);
    let all: RtMessage[];
    try {
      all = await this.sock.snapshot(rtmsg, { ...routeDumpRequest(f) } as MessageSpec<any, any>, opts.retryFor);
    } catch (e) {
      // A family-specific dump of a table that does not exist.
      if (e instanceof NetlinkError && e.code === 'ENOENT' && f.table !== undefined) return [];
      throw e;
    }
    const m = routeMatcher(f, this.strict);
    return m ? all.filter(m) : all;
  }

  /** getRoutes, streamed: for huge tables, memory stays bounded. */
  async *dumpRoutes(filter: RouteFilter = {}): AsyncGenerator<RtMessage> {
    const f = await this.resolveAll(filter, ['oif']);
    const m = routeMatcher(f, this.strict);
    for await (const r of this.sock.dump(rtmsg, routeDumpRequest(f))) if (!m || m(r)) yield r;
  }

  // ---- records: plain JSON-safe objects named as specs name them (records.ts) ---------------

  /** Links as records: `(await ipr.links()).map((l) => l.ifname)`; the same filters as getLinks. */
  // Records are built on first use (lazyRecord): a large dump costs what the program reads.
  async links(filter: LinkFilter = {}): Promise<LinkRecord[]> {
    return lazyRecords(await this.getLinks(filter), linkRecord);
  }
  /** Addresses as records; the same filters as getAddr. */
  async addresses(filter: AddrFilter = {}): Promise<AddrRecord[]> {
    return lazyRecords(await this.getAddr(filter), addrRecord);
  }
  /** Routes as records; the same filters as getRoutes. */
  async routes(filter: RouteFilter = {}): Promise<RouteRecord[]> {
    return lazyRecords(await this.getRoutes(filter), routeRecord, routeKey);
  }
  /** Neighbours as records; the same filters as getNeighbours. */
  async neighbours(filter: NeighSpec = {}): Promise<NeighRecord[]> {
    return lazyRecords(await this.getNeighbours(filter), neighRecord);
  }
  /** Bridge FDB entries as records; the same filters as fdb('dump'). */
  async fdbEntries(filter: FdbSpec = {}): Promise<FdbRecord[]> {
    return lazyRecords(await this.fdb('dump', filter), fdbRecord);
  }

  // ---- many at once -----------------------------------------------------------------------

  /**
   * Pipeline many changes: `batch([['link', 'add', {...}], ['addr', 'add', {...}], ...])`.
   * Names are resolved once each; every failure is reported with its index, none throws.
   */
  async batch(requests: readonly BatchRequest[], opts: BatchOptions = {}): Promise<BatchResult[]> {
    const cache = new Map<string, number>();
    const fds: number[] = [];
    type Item = { schema: AnySchema; spec: MessageSpec<any, any> };
    // Interfaces given by index need no lookup: no promise, so a large batch stays one task.
    const prep = (i: number): Item | Promise<Item> => {
      const [kind, cmd, spec] = requests[i]!;
      if (kind === 'link') return this.prepLink(cmd, spec as LinkSpec, fds, cache).then((l) => linkRequest(cmd, l));
      if (kind === 'addr') {
        const a = checkAddrSpec(spec as AddrSpec);
        if (typeof a.index !== 'string') return addrRequest(cmd as AddrCmd, a, true);
        return this.prepAddr(a, cache).then((x) => addrRequest(cmd as AddrCmd, x));
      }
      const r = checkRouteSpec(spec as RouteSpec);
      const named =
        typeof r.oif === 'string' || typeof r.iif === 'string' || r.multipath?.some((nh) => typeof nh.oif === 'string');
      if (!named) return routeRequest(cmd as RouteCmd, r, true);
      return this.prepRoute(r, cache).then((x) => routeRequest(cmd as RouteCmd, x));
    };
    try {
      // Bad input is refused before anything is sent. An interface missing now may be made by
      // an earlier item (a link add): that item waits until what precedes it has been applied.
      const prepared: (Item | NetlinkError)[] = [];
      let makesLinks = false;
      for (const [i, r] of requests.entries()) {
        if (!Array.isArray(r) || r.length !== 3) throw new TypeError(`batch[${i}] must be [kind, cmd, spec]`);
        const [kind, cmd, spec] = r;
        if (cmd === 'get' || cmd === 'dump')
          throw new TypeError(`batch[${i}]: ${cmd} is not a change; use the single call`);
        if (kind === 'link' && isTuntapAdd(cmd, spec as LinkSpec))
          throw new TypeError(
            `batch[${i}]: a ${(spec as LinkSpec).kind} is made through /dev/net/tun, not a netlink message; use link('add')`,
          );
        if (kind !== 'link' && kind !== 'addr' && kind !== 'route')
          throw new TypeError(`batch[${i}]: unknown kind ${JSON.stringify(kind)} (link, addr, route)`);
        const item = prep(i);
        if (!(item instanceof Promise)) prepared.push(item);
        else {
          try {
            prepared.push(await item);
          } catch (e) {
            if (!(e instanceof NetlinkError && e.code === 'ENODEV')) throw e;
            prepared.push(e);
          }
        }
        if (kind === 'link' && LINK_MAKERS.has(cmd)) makesLinks = true;
      }
      const results: BatchResult[] = [];
      let from = 0;
      const send = async (to: number): Promise<void> => {
        if (to <= from) return;
        const sent = await this.sock.batch(prepared.slice(from, to) as Item[], opts);
        for (const r of sent) results.push({ ...r, index: r.index + from });
        from = to;
      };
      for (let i = 0; i < prepared.length; i++) {
        let item = prepared[i]!;
        if (!(item instanceof NetlinkError)) continue;
        if (makesLinks) {
          await send(i);
          try {
            item = await prep(i);
          } catch (e) {
            if (!(e instanceof NetlinkError)) throw e;
            item = e;
          }
        }
        if (item instanceof NetlinkError) {
          await send(i);
          results.push({ index: i, ok: false, error: item });
          from = i + 1;
        } else prepared[i] = item;
      }
      await send(prepared.length);
      return describeBatchResults(requests, results);
    } finally {
      for (const fd of fds) closeSync(fd);
    }
  }

  // ---- events ---------------------------------------------------------------------------------

  private events$(): NetlinkSocket {
    if (this.closed) throw new SocketClosedError();
    this.eventSock ??= new NetlinkSocket({ protocol: NETLINK_ROUTE, marshal: rtnlMarshal(), netns: this.netns });
    return this.eventSock;
  }

  /**
   * Changes as they happen: an async iterable of parsed messages (RTM_NEWLINK, RTM_DELADDR...)
   * and Overrun markers. Default groups: link, IPv4/IPv6 addresses and routes. `close()` it.
   */
  events(groups: readonly (string | number)[] = DEFAULT_GROUPS): Subscription<AnyMessage> {
    return this.events$().subscribe(groups.map(groupId));
  }

  /**
   * Wait until a link/address/route exists that matches a filter or predicate: checks the
   * current state after subscribing (no race), then each change. Resolves with the match;
   * NetlinkTimeoutError after `timeout` ms (default 5000).
   */
  async waitFor(
    kind: 'link',
    match: LinkFilter | ((m: IfinfMessage) => boolean),
    opts?: { timeout?: number },
  ): Promise<IfinfMessage>;
  async waitFor(
    kind: 'addr',
    match: AddrFilter | ((m: IfaddrMessage) => boolean),
    opts?: { timeout?: number },
  ): Promise<IfaddrMessage>;
  async waitFor(
    kind: 'route',
    match: RouteFilter | ((m: RtMessage) => boolean),
    opts?: { timeout?: number },
  ): Promise<RtMessage>;
  async waitFor(
    kind: WaitKind,
    match: object | ((m: any) => boolean),
    opts: { timeout?: number } = {},
  ): Promise<AnyMessage> {
    if (!(kind in WAIT_GROUPS))
      throw new TypeError(`waitFor: unknown kind ${JSON.stringify(kind)} (link, addr, route)`);
    const timeout = opts.timeout ?? 5000;
    const deadline = performance.now() + timeout;
    const left = (): number => Math.max(0, deadline - performance.now());
    const sub = this.events(WAIT_GROUPS[kind]);
    let timer: NodeJS.Timeout | undefined;
    try {
      let pred: (m: any) => boolean;
      let current: () => Promise<AnyMessage[]>;
      const retry = (): SnapshotOptions => ({ retryFor: left() });
      if (typeof match === 'function') {
        pred = match as (m: any) => boolean;
        current = () =>
          kind === 'link'
            ? this.getLinks({}, retry())
            : kind === 'addr'
              ? this.getAddr({}, retry())
              : this.getRoutes({}, retry());
      } else if (kind === 'link') {
        const f = await this.resolveAll(match as LinkFilter, ['master']);
        pred = linkMatcher(f) ?? (() => true);
        current = () => this.getLinks(f, retry());
      } else if (kind === 'addr') {
        const f = await this.resolveAll(match as AddrFilter, ['index']);
        pred = addrMatcher(f) ?? (() => true);
        current = () => this.getAddr(f, retry());
      } else {
        const f = await this.resolveAll(match as RouteFilter, ['oif']);
        pred = routeMatcher(f, false) ?? (() => true);
        current = () => this.getRoutes(f, retry());
      }
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new NetlinkTimeoutError(`waitFor ${kind}`, timeout)), left());
      });
      // A dump interrupted until the deadline is no answer yet: events (or the timer) decide.
      const look = async (): Promise<AnyMessage | undefined> => {
        try {
          return (await current()).find(pred);
        } catch (e) {
          if (e instanceof DumpInterruptedError) return undefined;
          throw e;
        }
      };
      const search = async (): Promise<AnyMessage> => {
        const now = await look();
        if (now) return now;
        for await (const ev of sub) {
          if (ev instanceof Overrun) {
            const again = await look();
            if (again) return again;
            continue;
          }
          if (ev.type === NEW_TYPE[kind] && pred(ev)) return ev;
        }
        throw new SocketClosedError();
      };
      return await Promise.race([search(), expired]);
    } finally {
      if (timer) clearTimeout(timer);
      sub.close();
    }
  }

  // ---- neighbours, fdb, rules, tc, nsid (src/rtnl/{neigh,fdb,rule,tc,nsid}.ts) ---------------

  /** Neighbour entries: 'add' | 'replace' | 'change' | 'del' | 'get' | 'dump'; `ifindex`/`master` take names. */
  async neigh(cmd: NeighCmd, spec: NeighSpec = {}): Promise<NeighMessage[]> {
    const s = await this.resolveAll(checkNeighSpec(spec), ['ifindex', 'master']);
    if (s.lladdr !== undefined && typeof s.ifindex === 'number' && !NEIGH_READS.has(cmd)) {
      await this.checkLladdr(s.lladdr, s.ifindex);
    }
    return neigh(this.sock, cmd, s);
  }
  /**
   * The kernel keeps the first addr_len bytes of a longer lladdr and refuses a shorter one only
   * with EINVAL: compare it with the device's own address length first.
   */
  private async checkLladdr(lladdr: string, index: number): Promise<void> {
    const [m] = await this.sock.request(ifinfmsg, {
      type: RTM.RTM_GETLINK,
      flags: 0,
      fields: { index },
      attrs: [['IFLA_EXT_MASK', RTEXT_FILTER.RTEXT_FILTER_SKIP_STATS]],
    });
    const own = m?.getAttr('IFLA_ADDRESS') as string | undefined;
    const hexBytes = /^[0-9a-f]{1,2}([:-][0-9a-f]{1,2})*$/i;
    if (typeof own !== 'string' || !hexBytes.test(own) || !hexBytes.test(lladdr)) return;
    const want = own.split(':').length,
      got = lladdr.split(/[:-]/).length;
    if (got !== want) {
      throw new SpecError(
        `neigh: lladdr must be ${want} bytes for ${m.getAttr('IFLA_IFNAME') ?? `index ${index}`}` +
          ` (like "${own}"), got ${got} bytes: ${JSON.stringify(lladdr)}`,
        { object: 'neigh', key: 'lladdr' },
      );
    }
  }
  /** Neighbour entries matching a filter. */
  async getNeighbours(filter: NeighSpec = {}): Promise<NeighMessage[]> {
    return getNeighbours(this.sock, await this.resolveAll(checkNeighSpec(filter), ['ifindex', 'master']));
  }
  /** Bridge FDB entries: 'add' | 'append' | 'replace' | 'del' | 'dump'; `ifindex`/`master`/`via` take names. */
  async fdb(cmd: FdbCmd, spec: FdbSpec = {}): Promise<NeighMessage[]> {
    return fdb(this.sock, cmd, await this.resolveAll(checkFdbSpec(spec), ['ifindex', 'master', 'via']));
  }
  /** Policy routing rules: 'add' | 'del' | 'dump'; `iif`/`oif` by name or index. */
  async rule(cmd: RuleCmd, spec: RuleSpec = {}): Promise<RuleMessage[]> {
    return rule(this.sock, cmd, await this.prepRule(spec));
  }
  /** Rules matching a filter. */
  async getRules(filter: RuleSpec = {}): Promise<RuleMessage[]> {
    return getRules(this.sock, await this.prepRule(filter));
  }
  /** Traffic control: 'add' | 'replace' | 'change' | 'del' | 'dump', also '-class' and '-filter' forms. */
  async tc<C extends TcCmd, K extends string | null | undefined = undefined>(
    cmd: C,
    kind?: K,
    spec: TcSpecOf<C, K> = {} as TcSpecOf<C, K>,
  ): Promise<TcMessage[]> {
    return tc(this.sock, cmd, kind, (await this.resolveAll(spec as TcBaseSpec, ['index'])) as TcSpecOf<C, K>);
  }
  /** Qdiscs, optionally of one interface (name or index) / kind / handle / parent. */
  async getQdiscs(filter: QdiscFilter = {}): Promise<TcMessage[]> {
    return getQdiscs(this.sock, (await this.resolveAll(filter, ['index'])) as QdiscFilter & { index?: number });
  }
  /** Classes of an interface (name or index). */
  async getClasses(index: IfRef, parent?: string | number): Promise<TcMessage[]> {
    return getClasses(this.sock, await this.ifindex(index), parent);
  }
  /** Filters of an interface (name or index) under a parent. */
  async getFilters(index: IfRef, parent?: string | number, chain?: number): Promise<TcMessage[]> {
    return getFilters(this.sock, await this.ifindex(index), parent, chain);
  }
  /** Peer namespace ids: 'set' | 'get'. */
  nsid(cmd: 'set' | 'add' | 'get', spec: NsidSpec): Promise<number> {
    return nsid(this.sock, cmd, spec);
  }
  /** Every peer namespace id of this namespace. */
  getNsids(): Promise<NsidMessage[]> {
    return getNsids(this.sock);
  }
  /** Per-device IP settings (`ip netconf show`), of one family or all. */
  getNetconf(filter: NetconfFilter = {}): Promise<NetconfMessage[]> {
    return getNetconf(this.sock, filter);
  }

  // ---- records of rules, tc, nsid, netconf (rule.ts, tcrecord.ts, nsid.ts, netconf.ts) ---------

  /** Rules as records: `{ priority, table: 'main', src: '10.0.0.0/8', action: 'table' }`; the same filters as getRules. */
  async rules(filter: RuleSpec = {}): Promise<RuleRecord[]> {
    return (await this.getRules(filter)).map(ruleRecord);
  }
  /** Qdiscs as records: `{ object: 'qdisc', kind: 'htb', index, handle: '1:', parent: 'root', default: 32, stats }`. */
  async qdiscs(filter: QdiscFilter = {}): Promise<TcRecord[]> {
    return (await this.getQdiscs(filter)).map(tcRecord);
  }
  /** Classes of an interface (name or index) as records. */
  async classes(index: IfRef, parent?: string | number): Promise<TcRecord[]> {
    return (await this.getClasses(index, parent)).map(tcRecord);
  }
  /** Filters of an interface (name or index) under a parent, as records. */
  async filters(index: IfRef, parent?: string | number, chain?: number): Promise<TcRecord[]> {
    return (await this.getFilters(index, parent, chain)).map(tcRecord);
  }
  /** Per-device IP settings as records: `{ family: 'inet', index: 'all', forwarding: false, rpFilter: 'off' }`. */
  async netconf(filter: NetconfFilter = {}): Promise<NetconfRecord[]> {
    return (await this.getNetconf(filter)).map(netconfRecord);
  }

  /**
   * Peer namespace ids as records, each with its name under /var/run/netns when it has one
   * (as `ip netns list-id` finds them): `{ nsid: 5, netns: 'blue' }` feeds back to nsid('set').
   */
  async nsids(): Promise<NsidRecord[]> {
    const out = (await this.getNsids()).map(nsidRecord);
    if (!out.length) return out;
    let names: string[] = [];
    // The directory `ip netns` names namespaces in (the one netnsPath resolves names into).
    try {
      names = readdirSync(dirname(netnsPath('x')));
    } catch {
      /* no named namespaces */
    }
    const byId = new Map(out.map((r) => [r.nsid, r]));
    for (const name of names) {
      const id = await this.nsid('get', { netns: name }).catch(() => -1);
      const r = byId.get(id);
      if (r && r.netns === undefined) r.netns = name;
    }
    return out;
  }

  /** Bridge port VLANs (`bridge vlan add|del`); `index` takes a name too. */
  async bridgeVlan(cmd: 'add' | 'del', spec: Omit<BridgeVlanSpec, 'index'> & { index: IfRef }): Promise<void> {
    return bridgeVlan(this.sock, cmd, { ...spec, index: await this.ifindex(spec.index) });
  }
  /** Every bridge port's VLANs as records (`bridge vlan show`). */
  async getBridgeVlans(filter: { index?: IfRef } = {}): Promise<BridgeVlanRecord[]> {
    return getBridgeVlans(this.sock, filter.index === undefined ? {} : { index: await this.ifindex(filter.index) });
  }

  /**
   * The bridge VLAN database (`bridge vlan set`): 'add' creates VLANs with options, 'set' changes
   * options only, 'del' removes: `brvlan('set', { ifindex: 'p0', vid: 10, state: 'learning' })`.
   */
  async brvlan(cmd: 'add' | 'set' | 'del', spec: BrVlanSpec): Promise<void> {
    const s = checkBrVlanSpec(spec);
    return brvlan(this.sock, cmd, await this.resolveAll(s, ['ifindex']));
  }
  /** VLANs of ports and bridges with their options, as records (`bridge -d vlan show`); `stats` adds counters. */
  async brvlans(filter: BrVlanSpec & { stats?: boolean } = {}): Promise<BrVlanRecord[]> {
    const { stats, ...rest } = filter;
    const f = await this.resolveAll(checkBrVlanSpec(rest), ['ifindex']);
    const msgs = await dumpBrVlans(this.sock, { ifindex: f.ifindex as number | undefined, stats });
    return msgs.flatMap(brvlanRecords).filter(brvlanMatcher(f));
  }
  /** Global options of a bridge's VLANs (`bridge vlan global set`): `brvlanGlobal('set', { ifindex: 'br0', vid: 10, ... })`. */
  async brvlanGlobal(cmd: 'set', spec: BrVlanGlobalSpec): Promise<void> {
    const s = checkBrVlanGlobalSpec(spec);
    return brvlanGlobal(this.sock, cmd, await this.resolveAll(s, ['ifindex']));
  }
  /** Global VLAN options as records (`bridge vlan global show`), with each VLAN's multicast router ports. */
  async brvlanGlobals(filter: BrVlanGlobalSpec = {}): Promise<BrVlanGlobalRecord[]> {
    const f = await this.resolveAll(checkBrVlanGlobalSpec(filter), ['ifindex']);
    const msgs = await dumpBrVlans(this.sock, { ifindex: f.ifindex as number | undefined, global: true });
    return msgs.flatMap(brvlanGlobalRecords).filter(brvlanMatcher(f));
  }
  /**
   * The multicast database (`bridge mdb add|replace|del`):
   * `mdb('add', { ifindex: 'br0', port: 'p0', group: '239.1.1.1', state: 'permanent', vid: 10 })`.
   */
  async mdb(cmd: Exclude<MdbCmd, 'dump' | 'show'>, spec: MdbSpec): Promise<void> {
    const s = checkMdbSpec(spec);
    return mdb(this.sock, cmd, await this.resolveAll(s, ['ifindex', 'port']));
  }
  /** Group memberships as records (`bridge mdb show`), filtered by any record key (interfaces by name too). */
  async mdbEntries(filter: MdbSpec = {}): Promise<MdbRecord[]> {
    const f = await this.resolveAll(checkMdbSpec(filter), ['ifindex', 'port']);
    return (await dumpMdb(this.sock)).flatMap(mdbRecords).filter(mdbMatcher(f));
  }
  /** Multicast router ports of the bridges (the `router` part of `bridge mdb show`). */
  async mdbRouters(filter: { ifindex?: IfRef } = {}): Promise<MdbRouterRecord[]> {
    const br = filter.ifindex === undefined ? undefined : await this.ifindex(filter.ifindex);
    return (await dumpMdb(this.sock)).flatMap(mdbRouterRecords).filter((r) => br === undefined || r.ifindex === br);
  }
  /** Standalone tc actions (`tc actions`): 'add' | 'replace' | 'del' | 'get' | 'dump'. */
  tcAction(cmd: string, spec: ActionSpec | readonly ActionSpec[]): Promise<TcActionMessage[]> {
    return tcAction(this.sock, cmd, spec);
  }
  /** Nexthop objects (`ip nexthop`): 'add' | 'replace' | 'del' | 'get' | 'dump'; `oif`/`master` take names. */
  async nexthop(
    cmd: string,
    spec: Omit<NexthopSpec & NexthopFilter, 'oif' | 'master'> & { oif?: IfRef; master?: IfRef } = {},
  ): Promise<NexthopMessage[]> {
    return nexthop(this.sock, cmd, await this.nhRefs(spec));
  }
  /** Nexthops matching a filter (id, groups, oif, master, fdb), filtered by the kernel. */
  async getNexthops(
    filter: Omit<NexthopFilter, 'oif' | 'master'> & { oif?: IfRef; master?: IfRef } = {},
  ): Promise<NexthopMessage[]> {
    return getNexthops(this.sock, await this.nhRefs(filter));
  }
  private async nhRefs<T extends { oif?: IfRef; master?: IfRef }>(
    s: T,
  ): Promise<T & { oif?: number; master?: number }> {
    const out = { ...s } as T & { oif?: number; master?: number };
    if (s.oif !== undefined) out.oif = await this.ifindex(s.oif);
    if (s.master !== undefined) out.master = await this.ifindex(s.master);
    return out;
  }

  // ---- life cycle ---------------------------------------------------------------------------

  /** Close the sockets; pending requests fail with SocketClosedError. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sock.close();
    this.eventSock?.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

// Kernel errors of these calls name the call and point at the caller's line (src/rtnl/describe.ts).
describeCalls(IPRoute, IPROUTE_CALLS);
