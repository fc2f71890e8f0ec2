// One source of the view: a network namespace, its tables, kept equal to the kernel's state
// by its events plus targeted re-dumps where the kernel changes state without telling.
import {
  DumpInterruptedError,
  NETLINK_ROUTE,
  NLMSG_HDRLEN,
  NLM_F_DUMP,
  NLM_F_REPLACE,
  NetlinkError,
  NetlinkSocket,
  type AnyMessage,
  type AnySchema,
  type MessageSpec,
  type Subscription,
} from '../core/index.js';
import { AF_BRIDGE, AF_INET, AF_INET6, IFF, RTEXT_FILTER, RTM, RTNH_F, RTNLGRP } from '../rtnl/constants.js';
import { ifaddrmsg } from '../rtnl/ifaddrmsg.js';
import { ifinfmsg } from '../rtnl/ifinfmsg.js';
import { rtmsg } from '../rtnl/rtmsg.js';
import { ndmsg, NTF, NUD } from '../rtnl/ndmsg.js';
import { enumNames } from '../core/index.js';
import { tableId } from '../rtnl/route.js';
import { fibmsg } from '../rtnl/fibrulemsg.js';
import { rtnlMarshal } from '../rtnl/marshal.js';
import { IPRoute } from '../rtnl/iproute.js';
import {
  addrRecord,
  isProxy,
  linkRecord,
  neighRecord,
  routeKey,
  ruleRecord,
  TABLES,
  type AnyRecord,
  type LinkRecord,
  type RecordOf,
  type TableName,
} from './records.js';
import { makeTables, sameRecord, type Tables } from './tables.js';

/** One change of the view. */
export interface Change<T extends TableName = TableName> {
  type: 'added' | 'changed' | 'removed';
  table: T;
  source: string;
  key: string | number;
  old: RecordOf[T] | undefined;
  new: RecordOf[T] | undefined;
}

export interface SourceOptions {
  /** A namespace name under /run/netns, a path, or an open fd; none: the current one. */
  netns?: string | number;
  /** Keep neighbours (default true). */
  neighbours?: boolean;
  /** Keep rules (default true). */
  rules?: boolean;
  /** Retries of a dump the kernel reports interrupted by a concurrent change. */
  dumpRetries?: number;
}

/** A re-dump of part of a table; `all` re-reads every table. */
type Redump =
  | { what: 'routes'; family: number; oif?: number; table?: string | number }
  | { what: 'neighbours'; ifindex: number }
  | { what: 'addresses'; index: number }
  | { what: 'link'; index: number }
  | { what: 'all' };

const GROUPS = [
  RTNLGRP.RTNLGRP_LINK,
  RTNLGRP.RTNLGRP_IPV4_IFADDR,
  RTNLGRP.RTNLGRP_IPV6_IFADDR,
  RTNLGRP.RTNLGRP_IPV4_ROUTE,
  RTNLGRP.RTNLGRP_IPV6_ROUTE,
];
// Flags whose change flushes or marks routes and neighbours without an event of their own.
const LINK_STATE_FLAGS = IFF.IFF_UP | IFF.IFF_LOWER_UP | IFF.IFF_RUNNING;
const NTF_PROXY = NTF.NTF_PROXY;
const DEAD = enumNames(RTNH_F).short(RTNH_F.RTNH_F_DEAD) as string;
const LINKDOWN = enumNames(RTNH_F).short(RTNH_F.RTNH_F_LINKDOWN) as string;
const NEXTHOP_MARKS = RTNH_F.RTNH_F_DEAD | RTNH_F.RTNH_F_LINKDOWN;
const RTM_FLAGS_AT = rtmsg.header.offsets.flags;
/** Whether next-hop flags mark it dead or without carrier. */
const marked = (flags: readonly string[] | undefined): boolean =>
  flags !== undefined && (flags.includes(DEAD) || flags.includes(LINKDOWN));

/** The link flags (as names) whose change the kernel follows with silent changes of routes. */
function stateFlags(l: LinkRecord): number {
  return linkFlags(l.flags) & LINK_STATE_FLAGS;
}
/** Whether a link's change is one the kernel follows with silent changes of routes and addresses. */
function linkStateChanged(old: LinkRecord, l: LinkRecord): boolean {
  return stateFlags(old) !== stateFlags(l) || old.operstate !== l.operstate || old.master !== l.master;
}
const iffNames = enumNames(IFF);
function linkFlags(names: readonly string[] | undefined): number {
  let mask = 0;
  for (const n of names ?? []) mask |= iffNames.byName(n) ?? 0;
  return mask;
}

/** A bridge's own and root ids, as one comparable string. */
const bridgeIds = (l: LinkRecord): string => {
  const b = l as { brBridgeId?: unknown; brRootId?: unknown };
  return JSON.stringify([b.brBridgeId, b.brRootId]);
};

/** A neighbour entry the kernel makes and drops by itself, without events (by its message). */
const untracked = (m: AnyMessage): boolean => {
  const state = m.fields.state as number;
  return state === 0 || state === NUD.NUD_NOARP;
};

export class Source {
  readonly tables: Tables;
  readonly ipr: IPRoute;
  private readonly events: NetlinkSocket;
  private sub: Subscription<AnyMessage> | undefined;
  /** Events held while a dump runs: applied in order once it is merged. */
  private held: AnyMessage[] = [];
  private holds = 0;
  private readonly redumps: Redump[] = [];
  private readonly redumpKeys = new Set<string>();
  /**
   * Links whose new state a re-read saw before the kernel's event about it. The kernel
   * publishes a carrier change in steps (state first, then the routes' linkdown marks, then
   * the event): the event may then look like no change, yet the routes changed after the read.
   */
  private readonly stateReadEarly = new Set<number>();
  /**
   * Links a full dump read, until the events held while it ran are applied: the dump may have
   * read a link between the kernel's update of its state and its routes' marks, so an event
   * then showing no change still re-reads the link's routes, as for stateReadEarly.
   */
  private readonly readByDump = new Set<number>();
  /**
   * Routes removed with an address (they used it as source), whose own deletion events may
   * follow (the kernel's prefix and local routes): those events need no re-read.
   */
  private readonly goneWithAddr = new Set<string | number>();
  /** veth ends seen without a partner: read again at the next quiet point unless it shows. */
  private readonly partnerless = new Set<number>();
  /** Masters whose ports changed since the last quiet point: read again there. */
  private readonly mastersChanged = new Set<number>();
  private running: Promise<void> | undefined;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly withNeigh: boolean;
  private readonly withRules: boolean;
  private readonly retries: number;
  /** Changes collected for a `resync` report; undefined when not collecting. */
  private collecting: Change[] | undefined;
  closed = false;
  /** Events applied (for statistics and benchmarks). */
  applied = 0;
  resyncs = 0;
  lastError: Error | undefined;

  constructor(
    readonly name: string,
    readonly opts: SourceOptions,
    private readonly emit: (c: Change) => void,
    /** Whether anyone listens: changes are not even built when no one does. */
    private readonly watched: () => boolean,
    private readonly onResync: (source: string, changes: Change[]) => void,
  ) {
    this.tables = makeTables(name);
    this.withNeigh = opts.neighbours ?? true;
    this.withRules = opts.rules ?? true;
    this.retries = opts.dumpRetries ?? 10;
    this.ipr = new IPRoute({ netns: opts.netns });
    this.events = new NetlinkSocket({ protocol: NETLINK_ROUTE, marshal: rtnlMarshal(), netns: opts.netns });
  }

  /** Subscribe, then dump every table: no change can fall between the two. */
  async start(): Promise<void> {
    const groups: number[] = [...GROUPS];
    if (this.withNeigh) groups.push(RTNLGRP.RTNLGRP_NEIGH);
    if (this.withRules) groups.push(RTNLGRP.RTNLGRP_IPV4_RULE, RTNLGRP.RTNLGRP_IPV6_RULE);
    // Each message is consumed as the socket splits it (the filter), so nothing queues in the
    // subscription and the view is current as soon as a datagram has been read.
    this.sub = this.events.subscribe(groups, (m) => {
      this.onEvent(m);
      return false;
    });
    this.sub.on('overrun', () => this.schedule({ what: 'all' }));
    this.schedule({ what: 'all' });
    await this.idle();
    if (this.lastError) throw this.lastError;
  }

  // ---- events -----------------------------------------------------------------------

  /** Apply one event now, or hold it while a dump is being merged. */
  onEvent(m: AnyMessage): void {
    if (this.holds > 0) this.held.push(m);
    else this.apply(m);
  }

  /** Apply one rtnetlink message to the tables (also used to replay recordings). */
  apply(m: AnyMessage): void {
    this.applied++;
    this.applyOne(m);
    this.tables.routes.settle();
  }

  private applyOne(m: AnyMessage): void {
    switch (m.type) {
      case RTM.RTM_NEWROUTE:
        return this.newRoute(m);
      case RTM.RTM_DELROUTE:
        return this.delRoute(m);
      // A bridge also reports its ports as AF_BRIDGE messages (port state, VLANs): not links,
      // but a port's STP state changes with no other event: read the port again.
      case RTM.RTM_NEWLINK:
        if (m.fields.family !== AF_BRIDGE) this.newLink(m);
        else if (this.tables.links.get(m.fields.index as number))
          this.schedule({ what: 'link', index: m.fields.index });
        return;
      case RTM.RTM_DELLINK:
        if (m.fields.family !== AF_BRIDGE) this.delLink(m);
        return;
      case RTM.RTM_NEWADDR:
        return this.newAddr(m);
      case RTM.RTM_DELADDR:
        return this.delAddr(m);
      case RTM.RTM_NEWNEIGH:
      case RTM.RTM_DELNEIGH:
        return this.neigh(m);
      case RTM.RTM_NEWRULE:
        if (this.withRules) this.put('rules', ruleRecord(m, this.name));
        return;
      case RTM.RTM_DELRULE:
        if (this.withRules) this.remove('rules', this.tables.rules.keyOf(ruleRecord(m, this.name)));
        return;
    }
  }

  private newRoute(m: AnyMessage): void {
    const t = this.tables.routes,
      b = m.buf,
      o = m.offset;
    if (m.flags & NLM_F_REPLACE) {
      // The route replaced one of the same prefix and metric, which gets no event of its own.
      for (const slot of t.sameBase(b, o)) this.removeRoute(slot);
    } else if (t.familyOf(b, o) === AF_INET6 && t.gatewayed(b, o) && t.sameBase(b, o).length) {
      // IPv6 merges routes with gateways into multipath routes: re-read the table to see how.
      this.schedule({ what: 'routes', family: AF_INET6, table: t.tableOf(b, o) });
    }
    this.putRoute(b, o, false);
  }

  private delRoute(m: AnyMessage): void {
    const t = this.tables.routes;
    const slot = t.locate(m.buf, m.offset);
    if (slot >= 0) return this.removeRoute(slot);
    if (this.goneWithAddr.size && this.goneWithAddr.delete(t.keyOf(t.recordAt(m.buf, m.offset)))) return;
    // A next hop leaving an IPv6 multipath route, or a deletion worded differently from the
    // route it deleted: re-read that table.
    const family = t.familyOf(m.buf, m.offset) === AF_INET6 ? AF_INET6 : AF_INET;
    this.schedule({ what: 'routes', family, table: t.tableOf(m.buf, m.offset) });
  }

  private newLink(m: AnyMessage): void {
    const l = linkRecord(m, this.name);
    const old = this.put('links', l);
    // A veth end reported before its partner exists (the peer half of a new pair) names no
    // partner, and gets no event when the partner appears. The partner's own event names it
    // (below); one that never comes (the partner is in another namespace) is read again at
    // the next quiet point.
    if (l.kind === 'veth' && !l.link) this.partnerless.add(l.index);
    if (l.kind === 'veth' && l.link && l.linkNetnsid === undefined) {
      // A veth pair registers its peer first, which reports no partner yet and gets no
      // event when the second end appears.
      const peer = this.tables.links.get(l.link);
      if (peer && peer.kind === 'veth' && peer.linkNetnsid === undefined && peer.link !== l.index) {
        this.put('links', { ...peer, link: l.index });
        this.partnerless.delete(l.link);
      }
    }
    // A master takes its ports' TSO/GSO limits when one joins or leaves, without an event.
    if (old?.master !== l.master) {
      if (old?.master) this.rereadMaster(old.master);
      if (l.master) this.rereadMaster(l.master);
    }
    if (!old) return;
    // A bridge's id (from its address) is also its ports' root and bridge id, changed silently.
    if (l.kind === 'bridge' && bridgeIds(old) !== bridgeIds(l)) this.rereadPorts(l.index);
    const readEarly = this.stateReadEarly.delete(l.index);
    const dumped = this.readByDump.delete(l.index);
    if (linkStateChanged(old, l) || readEarly || dumped) {
      // Down flushes IPv4 routes and marks next hops dead or linkdown, all without events.
      // Fully up (same master) only clears those marks: with none, nothing changed silently.
      // Only what the view has now can change so: later objects come with their own events.
      const onlyUp = stateFlags(l) === LINK_STATE_FLAGS && old.master === l.master;
      if (!onlyUp || this.marksVia(l.index)) {
        for (const family of [AF_INET, AF_INET6])
          if (this.routesVia(l.index, family)) this.schedule({ what: 'routes', family, oif: l.index });
      }
      if (this.withNeigh && this.hasNeighbours(l.index)) this.schedule({ what: 'neighbours', ifindex: l.index });
      // IPv6 restarts duplicate address detection on a carrier change: addresses turn
      // tentative without an event (the event comes when detection ends).
      if (this.hasInet6Addr(l.index)) this.schedule({ what: 'addresses', index: l.index });
    }
  }

  /**
   * Read a master again now and at the next quiet point: the kernel updates it after the
   * port's event, and an unlocked RTM_GETLINK can be answered before that update is done.
   */
  private rereadMaster(index: number): void {
    this.schedule({ what: 'link', index });
    this.mastersChanged.add(index);
  }

  private rereadPorts(master: number): void {
    for (const port of this.tables.links.lookup('master', master)) this.schedule({ what: 'link', index: port.index });
  }

  private delLink(m: AnyMessage): void {
    const index = m.fields.index as number;
    const gone = this.remove('links', index) as LinkRecord | undefined;
    this.stateReadEarly.delete(index);
    this.partnerless.delete(index);
    if (!gone) return;
    if (gone.master) this.rereadMaster(gone.master);
    // A veth end leaving for another namespace: its peer here now names that namespace's
    // id (IFLA_LINK_NETNSID), without an event.
    if (gone.kind === 'veth' && gone.link && gone.linkNetnsid === undefined)
      this.schedule({ what: 'link', index: gone.link });
    // Gone (deleted or moved to another namespace): with it its addresses, neighbours and
    // every route through it; IPv6 multipath routes lose only that next hop.
    for (const a of [...this.tables.addresses.lookup('index', index)])
      this.remove('addresses', this.tables.addresses.keyOf(a));
    for (const n of [...this.tables.neighbours.lookup('ifindex', index)])
      this.remove('neighbours', this.tables.neighbours.keyOf(n));
    const t = this.tables.routes;
    for (const slot of t.slotsOf('dev', index)) {
      if (t.slotFamily(slot) === AF_INET6 && t.slotMultipath(slot))
        this.schedule({ what: 'routes', family: AF_INET6, table: t.slotTable(slot) });
      this.removeRoute(slot);
    }
  }

  private newAddr(m: AnyMessage): void {
    const a = addrRecord(m, this.name);
    this.put('addresses', a);
    // IPv4: an address on an up link revives the link's dead next hops (marked when its last
    // address went), without an event. Only multipath routes keep a dead next hop.
    if (a.family !== 'inet') return;
    for (const r of this.tables.routes.multipathVia(a.index)) {
      if (r.multipath?.some((nh) => nh.oif === a.index && nh.flags?.includes(DEAD))) {
        this.schedule({ what: 'routes', family: AF_INET, oif: a.index });
        return;
      }
    }
  }

  private delAddr(m: AnyMessage): void {
    const a = addrRecord(m, this.name);
    this.remove('addresses', this.tables.addresses.keyOf(a));
    if (a.family !== 'inet') return;
    // IPv4: routes using the address as source go when no interface keeps it, and the
    // interface's routes go with its last address; neither sends events.
    const local = a.address;
    let kept = false;
    for (const o of this.tables.addresses.values()) if (o.family === 'inet' && o.address === local) kept = true;
    this.goneWithAddr.clear();
    const t = this.tables.routes;
    if (!kept)
      for (const slot of t.slotsOf('prefsrc', local)) {
        this.goneWithAddr.add(t.keyOf(t.record(slot)));
        this.removeRoute(slot);
      }
    this.schedule({ what: 'routes', family: AF_INET, oif: a.index });
  }

  private neigh(m: AnyMessage): void {
    if (!this.withNeigh) return;
    const family = m.fields.family as number;
    if (family !== AF_INET && family !== AF_INET6) return;
    const n = neighRecord(m, this.name);
    const key = this.tables.neighbours.keyOf(n);
    if (m.type === RTM.RTM_DELNEIGH || untracked(m)) this.remove('neighbours', key);
    else this.put('neighbours', n);
  }

  // ---- table changes ------------------------------------------------------------------

  private put<T extends TableName>(table: T, r: RecordOf[T], key?: string | number): RecordOf[T] | undefined {
    const t = this.tables[table] as unknown as {
      get(k: string | number): AnyRecord | undefined;
      putKeyed(k: string | number, r: AnyRecord): AnyRecord | undefined;
      keyOf(r: AnyRecord): string | number;
    };
    const k = key ?? t.keyOf(r);
    // An unchanged record stays as it is: a re-dump or a repeated event re-indexes nothing.
    const old = t.get(k);
    if (old && sameRecord(old, r)) return old as RecordOf[T];
    t.putKeyed(k, r);
    if (this.collecting || this.watched())
      this.changed({ type: old ? 'changed' : 'added', table, source: this.name, key: k, old, new: r } as Change);
    return old as RecordOf[T] | undefined;
  }

  private remove(table: TableName, key: string | number): AnyRecord | undefined {
    const old = (this.tables[table] as unknown as { delete(k: string | number): AnyRecord | undefined }).delete(key);
    if (old && (this.collecting || this.watched()))
      this.changed({ type: 'removed', table, source: this.name, key, old, new: undefined } as Change);
    return old;
  }

  /** Whether changes are to be built (someone watches, or a resync collects them). */
  private reporting(): boolean {
    return this.collecting !== undefined || this.watched();
  }

  /**
   * Put a route message into the table; `stored`: its bytes are the ones the table last
   * stored (a dump's), otherwise they are copied if kept. Returns the route's slot.
   */
  private putRoute(b: Buffer, o: number, stored: boolean): number {
    const t = this.tables.routes;
    const slot = t.locate(b, o);
    // An unchanged route stays as it is: a re-dump or a repeated event re-indexes nothing.
    if (slot >= 0 && (t.sameBytes(slot, b, o) || sameRecord(t.record(slot), t.recordAt(b, o)))) {
      if (stored) t.dropStored();
      return slot;
    }
    const report = this.reporting();
    const old = report && slot >= 0 ? t.record(slot) : undefined;
    if (!stored) t.store(b, o);
    let at = slot;
    if (slot >= 0) t.replaceStored(slot);
    else at = t.insertStored();
    if (report) {
      const r = t.record(at);
      this.changed({
        type: old ? 'changed' : 'added',
        table: 'routes',
        source: this.name,
        key: routeKey(r),
        old,
        new: r,
      });
    }
    return at;
  }

  private removeRoute(slot: number): void {
    const t = this.tables.routes;
    const old = this.reporting() ? t.record(slot) : undefined;
    t.removeSlot(slot);
    if (old)
      this.changed({ type: 'removed', table: 'routes', source: this.name, key: routeKey(old), old, new: undefined });
  }

  /** Make the routes of `before` (slots) equal to the routes a dump gave. */
  private mergeRoutes(got: readonly AnyMessage[], before: readonly number[]): void {
    const seen = new Set<number>();
    for (const m of got) seen.add(this.putRoute(m.buf, m.offset, false));
    for (const slot of before) if (!seen.has(slot)) this.removeRoute(slot);
    this.tables.routes.settle();
  }

  /** Make the whole route table equal to the dump staged in it. */
  private mergeStaged(): void {
    const t = this.tables.routes;
    const before = t.size ? t.slots() : [];
    const seen = before.length ? new Set<number>() : undefined;
    if (!before.length) t.reserve(t.stagedCount);
    for (let i = 0, n = t.stagedCount; i < n; i++) {
      const b = t.pickStaged(i);
      const slot = this.putRoute(b, t.stagedOffset(i), true);
      seen?.add(slot);
    }
    t.unstage(false);
    if (seen) for (const slot of before) if (!seen.has(slot)) this.removeRoute(slot);
    t.settle();
  }

  private changed(c: Change): void {
    this.collecting?.push(c);
    this.emit(c);
  }

  // ---- re-dumps -----------------------------------------------------------------------

  /** Queue a re-dump (duplicates coalesce); held events wait for it. */
  schedule(r: Redump): void {
    const key = JSON.stringify(r);
    if (this.redumpKeys.has(key) || this.closed) return;
    this.redumpKeys.add(key);
    this.redumps.push(r);
    this.running ??= this.runRedumps();
  }

  private async runRedumps(): Promise<void> {
    this.holds++;
    try {
      while (this.redumps.length) {
        const all = this.redumps.find((r) => r.what === 'all');
        const batch = all ? [all] : [...this.redumps];
        this.redumps.length = 0;
        this.redumpKeys.clear();
        // One neighbour dump serves every interface that asked (links come up together).
        const neigh = batch.filter((r) => r.what === 'neighbours').map((r) => r.ifindex);
        for (const r of batch) {
          if (r.what === 'neighbours' && r.ifindex !== neigh[0]) continue;
          try {
            if (r.what === 'neighbours') await this.redumpNeighbours(neigh);
            else await this.redump(r);
          } catch (e) {
            if (this.closed) return;
            this.lastError = e as Error;
          }
          this.flushHeld();
          this.readByDump.clear();
        }
      }
    } finally {
      this.holds--;
      this.running = undefined;
      this.flushHeld();
      if (!this.redumps.length) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private flushHeld(): void {
    // Held events apply between re-dumps too, so a long queue of them cannot grow forever.
    const held = this.held;
    this.held = [];
    for (const m of held) this.apply(m);
  }

  private async dump(schema: AnySchema, spec: Record<string, unknown>): Promise<AnyMessage[]> {
    try {
      return await this.ipr.sock.request(schema, { ...spec, flags: NLM_F_DUMP } as MessageSpec<any, any>, {
        retryInterrupted: this.retries,
      });
    } catch (e) {
      if (e instanceof DumpInterruptedError)
        throw new Error(`${this.name}: dump kept being interrupted (${this.retries} retries)`);
      throw e;
    }
  }

  private async redump(r: Redump): Promise<void> {
    if (r.what === 'all') return this.resyncAll();
    if (r.what === 'neighbours') return this.redumpNeighbours([r.ifindex]);
    if (r.what === 'link') {
      let msgs: AnyMessage[] = [];
      try {
        msgs = await this.ipr.sock.request(ifinfmsg, {
          type: RTM.RTM_GETLINK,
          fields: { index: r.index },
          attrs: [['IFLA_EXT_MASK', RTEXT_FILTER.RTEXT_FILTER_SKIP_STATS]],
        });
      } catch (e) {
        if (!(e instanceof NetlinkError && e.code === 'ENODEV')) throw e;
      }
      const got = msgs.filter((m) => m.type === RTM.RTM_NEWLINK).map((m) => linkRecord(m, this.name));
      const cur = this.tables.links.get(r.index);
      if (cur && got[0] && linkStateChanged(cur, got[0])) this.stateReadEarly.add(r.index);
      // A bridge whose id a re-read finds changed: its event may already have come (showing
      // no change then), and the id is also its ports' root and bridge id.
      if (cur?.kind === 'bridge' && got[0] && bridgeIds(cur) !== bridgeIds(got[0])) this.rereadPorts(r.index);
      this.merge('links', got, cur ? [cur] : []);
      return;
    }
    if (r.what === 'addresses') {
      // Only IPv6 addresses change silently (duplicate address detection restarts); an
      // address added later comes with its own events.
      if (!this.hasInet6Addr(r.index)) return;
      let msgs: AnyMessage[] = [];
      try {
        msgs = await this.dump(ifaddrmsg, { type: RTM.RTM_GETADDR, fields: { family: 0, index: r.index } });
      } catch (e) {
        if (!(e instanceof NetlinkError && e.code === 'ENODEV')) throw e;
      }
      const got = msgs.map((m) => addrRecord(m, this.name)).filter((a) => a.index === r.index);
      this.merge('addresses', got, [...this.tables.addresses.lookup('index', r.index)]);
      return;
    }
    // The kernel's silent route changes (a flush, dead or linkdown next hops) touch routes the
    // view already has: with none through the interface there is nothing to re-read. Routes
    // it adds come with events, ordered after every event before them.
    if (r.oif !== undefined && r.table === undefined && !this.routesVia(r.oif, r.family)) return;
    let msgs: AnyMessage[];
    const spec = {
      type: RTM.RTM_GETROUTE,
      fields: { family: r.family } as Record<string, unknown>,
      attrs: [] as [string, unknown][],
    };
    if (r.oif !== undefined) spec.attrs.push(['RTA_OIF', r.oif]);
    if (r.table !== undefined) spec.attrs.push(['RTA_TABLE', tableId(r.table)]);
    try {
      msgs = await this.dump(rtmsg, spec);
    } catch (e) {
      // The interface or table is gone: nothing of it is left.
      if (e instanceof NetlinkError && (e.code === 'ENODEV' || e.code === 'ENOENT')) msgs = [];
      else throw e;
    }
    const t = this.tables.routes;
    const inView = (slot: number): boolean =>
      slotFamily(t, slot) === r.family && (r.table === undefined || t.slotTable(slot) === r.table);
    const before =
      r.oif !== undefined ? t.slotsOf('dev', r.oif).filter(inView) : t.slotsOf('table', r.table).filter(inView);
    const oif = r.oif;
    this.mergeRoutes(oif === undefined ? msgs : msgs.filter((m) => t.leavesVia(m.buf, m.offset, oif)), before);
  }

  /** Whether a route through the interface has a next hop marked dead or linkdown there. */
  private marksVia(index: number): boolean {
    const t = this.tables.routes;
    for (const slot of t.slotsOf('dev', index)) {
      // One next hop: its marks are the header's rtm_flags; multipath ones are per next hop.
      if (!t.slotMultipath(slot)) {
        const m = t.message(slot);
        if (m.buf.readUInt32LE(m.offset + NLMSG_HDRLEN + RTM_FLAGS_AT) & NEXTHOP_MARKS) return true;
        continue;
      }
      const r = t.record(slot);
      if (marked(r.flags)) return true;
      for (const nh of r.multipath ?? []) if (nh.oif === index && marked(nh.flags)) return true;
    }
    return false;
  }

  /** Whether the view has a neighbour on the interface. */
  private hasNeighbours(index: number): boolean {
    for (const _ of this.tables.neighbours.lookup('ifindex', index)) return true;
    return false;
  }

  /** Whether the view has an IPv6 address on the interface. */
  private hasInet6Addr(index: number): boolean {
    for (const a of this.tables.addresses.lookup('index', index)) if (a.family === 'inet6') return true;
    return false;
  }

  /** Whether the view has a route of the family leaving through the interface. */
  private routesVia(oif: number, family: number): boolean {
    const t = this.tables.routes;
    for (const slot of t.slotsOf('dev', oif)) if (slotFamily(t, slot) === family) return true;
    return false;
  }

  /** The neighbours of some interfaces, from one dump. */
  private async redumpNeighbours(ifindexes: readonly number[]): Promise<void> {
    const all = await this.dumpNeighbours();
    for (const ifindex of ifindexes) {
      const got = all.filter((n) => n.ifindex === ifindex);
      this.merge('neighbours', got, [...this.tables.neighbours.lookup('ifindex', ifindex)]);
    }
  }

  /** Make a part of a table equal to a dump of it. */
  private merge<T extends TableName>(table: T, got: RecordOf[T][], before: Iterable<RecordOf[T]>): void {
    const t = this.tables[table] as unknown as { keyOf(r: AnyRecord): string | number };
    const old = Array.isArray(before) ? (before as RecordOf[T][]) : [...before];
    // Nothing to remove (the first load): no set of the keys seen is needed.
    if (!old.length) {
      for (let i = 0; i < got.length; i++) this.put(table, got[i]);
      return;
    }
    const seen = new Set<string | number>();
    for (const r of got) {
      const k = t.keyOf(r);
      seen.add(k);
      this.put(table, r, k);
    }
    for (const r of old) {
      const k = t.keyOf(r);
      if (!seen.has(k)) this.remove(table, k);
    }
  }

  /**
   * Every IPv4 and IPv6 route, staged in the route table as the dump streams in: each message
   * is copied into the table's slabs, no object is kept per route.
   */
  private async dumpRoutes(): Promise<void> {
    const t = this.tables.routes;
    for (let attempt = 0; ; attempt++) {
      t.unstage(true);
      try {
        await this.ipr.sock.dumpBytes(
          rtmsg,
          { type: RTM.RTM_GETROUTE, fields: { family: 0 } } as MessageSpec<any, any>,
          (buf, at) => {
            const f = buf[at + NLMSG_HDRLEN];
            if (f === AF_INET || f === AF_INET6) t.stage(buf, at);
          },
        );
        return;
      } catch (e) {
        if (!(e instanceof DumpInterruptedError) || attempt >= this.retries) {
          t.unstage(true);
          throw e;
        }
      }
    }
  }

  private async dumpNeighbours(): Promise<RecordOf['neighbours'][]> {
    const out: RecordOf['neighbours'][] = [];
    for (const family of [AF_INET, AF_INET6]) {
      for (const flags of [0, NTF_PROXY]) {
        for (const m of await this.dump(ndmsg, { type: RTM.RTM_GETNEIGH, fields: { family, flags } })) {
          const n = neighRecord(m, this.name);
          if (!untracked(m) || isProxy(n)) out.push(n);
        }
      }
    }
    return out;
  }

  /** Every table, read afresh, so the view equals the kernel's state again. */
  private async resyncAll(): Promise<void> {
    const first = this.tables.links.size === 0 && this.tables.routes.size === 0;
    this.collecting = first ? undefined : [];
    const links = (
      await this.dump(ifinfmsg, {
        type: RTM.RTM_GETLINK,
        attrs: [['IFLA_EXT_MASK', RTEXT_FILTER.RTEXT_FILTER_SKIP_STATS]],
      })
    ).map((m) => linkRecord(m, this.name));
    const addrs = (await this.dump(ifaddrmsg, { type: RTM.RTM_GETADDR, fields: { family: 0 } })).map((m) =>
      addrRecord(m, this.name),
    );
    await this.dumpRoutes();
    const neigh = this.withNeigh ? await this.dumpNeighbours() : [];
    const rules = this.withRules
      ? (await this.dump(fibmsg, { type: RTM.RTM_GETRULE, fields: { family: 0 } })).map((m) => ruleRecord(m, this.name))
      : [];
    this.merge('links', links, [...this.tables.links.values()]);
    for (const l of links) this.readByDump.add(l.index);
    this.merge('addresses', addrs, [...this.tables.addresses.values()]);
    this.mergeStaged();
    this.merge('neighbours', neigh, [...this.tables.neighbours.values()]);
    this.merge('rules', rules, [...this.tables.rules.values()]);
    const changes = this.collecting;
    this.collecting = undefined;
    if (changes) {
      this.resyncs++;
      this.onResync(this.name, changes);
    }
  }

  // ---- quiet points -----------------------------------------------------------------------

  /** Resolves when no re-dump is queued or running. */
  idle(): Promise<void> {
    if (!this.running && !this.redumps.length) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Resolves once every change the kernel made before the call is in the view: a request
   * on the event socket is answered after every event queued before it.
   */
  async sync(): Promise<void> {
    await this.events
      .request(ifinfmsg, {
        type: RTM.RTM_GETLINK,
        fields: { index: 1 },
        attrs: [['IFLA_EXT_MASK', RTEXT_FILTER.RTEXT_FILTER_SKIP_STATS]],
      })
      .catch(() => undefined);
    for (const index of this.partnerless) this.schedule({ what: 'link', index });
    this.partnerless.clear();
    // The master's id may follow its ports' addresses, and is also the ports' root id.
    for (const index of this.mastersChanged) {
      this.schedule({ what: 'link', index });
      this.rereadPorts(index);
    }
    this.mastersChanged.clear();
    await this.idle();
  }

  /** Records of a table. */
  all<T extends TableName>(table: T): RecordOf[T][] {
    return [...(this.tables[table] as unknown as { values(): Iterable<RecordOf[T]> }).values()];
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sub?.close();
    this.events.close();
    this.ipr.close();
    for (const w of this.idleWaiters.splice(0)) w();
  }
}

/** A route's family as a number: IPv6, or IPv4 for anything else (the table holds only these two). */
function slotFamily(t: Tables['routes'], slot: number): number {
  return t.slotFamily(slot) === AF_INET6 ? AF_INET6 : AF_INET;
}

export { TABLES };
