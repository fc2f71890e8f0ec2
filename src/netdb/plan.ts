// Desired state + the view -> a plan: ordered steps with dependencies. Links created here get
// their index chosen up front, so later steps can name them and the whole plan can go to the
// kernel as one pipelined batch.
import type { AddrSpec } from '../rtnl/addr.js';
import type { LinkSpec } from '../rtnl/link.js';
import type { RouteSpec } from '../rtnl/route.js';
import { linkKinds } from '../rtnl/kinds/index.js';
import { encoderValue } from '../core/index.js';
import {
  DEFAULT_DST,
  addrKey,
  routeBaseKey,
  ruleKey,
  AF_INET6,
  MAIN_TABLE,
  type AddrRecord,
  type LinkRecord,
  type RouteRecord,
  type RuleRecord,
  type TableName,
} from './records.js';
import {
  addrParts,
  canonicalPrefix,
  defaultPriority,
  familyName,
  familyNumber,
  kernelAddress,
  kernelRoute,
  type Desired,
  type DesiredAddress,
  type DesiredLink,
  type DesiredRoute,
  type DesiredRule,
  type IfName,
} from './desired.js';
import type { Source } from './source.js';
import { enumValue, flagsValue } from './vocab.js';
import { PORT_KINDS, isLinkRef, kindVocab, portVocab } from './kindopts.js';

// Specs are built key by key here; IPRoute's strict checks validate them whole.
type SpecBuilder = Record<string, any>;

/** The request a step sends. */
export type StepRequest =
  | { kind: 'link'; cmd: 'add' | 'set' | 'del'; spec: LinkSpec }
  | { kind: 'addr'; cmd: 'add' | 'replace' | 'del'; spec: AddrSpec }
  | { kind: 'route'; cmd: 'add' | 'replace' | 'append' | 'del'; spec: RouteSpec }
  | { kind: 'neigh'; cmd: 'replace' | 'del'; spec: Record<string, unknown> }
  | { kind: 'rule'; cmd: 'add' | 'del'; spec: Record<string, unknown> };

export interface Step {
  /** 1-based position in the plan. */
  id: number;
  table: TableName;
  /** 'link add br0 (bridge)': what a person reads in a dry run. */
  what: string;
  request: StepRequest;
  /** Steps that must have succeeded first. */
  after: number[];
  /** Undefined when the view shows the step took effect; otherwise what differs. */
  verify(s: Source): string | undefined;
}

export interface Plan {
  steps: Step[];
  /** Link indexes the plan touches (existing) or creates. */
  links: Set<number>;
  created: Set<number>;
  /** Address and route base keys, rule keys the plan touches. */
  addrs: Set<string>;
  routes: Set<string>;
  rules: Set<string>;
  /** Printable plan. */
  toString(): string;
}

export class PlanError extends Error {
  override name = 'PlanError';
}

const ABSENT = 'absent';
const PERMANENT = 'permanent';

class Planner {
  readonly steps: Step[] = [];
  readonly links = new Set<number>();
  readonly created = new Set<number>();
  readonly addrs = new Set<string>();
  readonly routes = new Set<string>();
  readonly rules = new Set<string>();
  /** Names of links the plan creates -> their index and creating step. */
  private readonly newNames = new Map<string, { index: number; step: number }>();
  private nextIndex: number;
  private readonly linkStep = new Map<number, number[]>();
  /** Address steps: a route's gateway may need any of them. */
  private readonly addrSteps: number[] = [];
  private addrDeps: number[] | undefined;
  private lastDeps: number[] | undefined;

  constructor(
    readonly s: Source,
    readonly proto: number,
  ) {
    let max = 0;
    for (const l of s.tables.links.values()) max = Math.max(max, l.index);
    this.nextIndex = max + 1;
  }

  add(table: TableName, what: string, request: StepRequest, after: number[], verify: Step['verify']): number {
    const id = this.steps.length + 1;
    this.steps.push({ id, table, what, request, after: this.depsOf(after), verify });
    return id;
  }

  /**
   * Sorted, without repeats. Steps that wait for the same steps (routes through one
   * interface, or via gateways, wait for every address) share one list: a plan of 10,000
   * routes would otherwise hold millions of numbers.
   */
  private depsOf(after: number[]): number[] {
    if (after.length < 2) return after.slice();
    if (after === this.addrSteps) {
      if (this.addrDeps?.length !== after.length) this.addrDeps = [...new Set(after)].sort((a, b) => a - b);
      return this.addrDeps;
    }
    let ascending = true;
    for (let i = 1; i < after.length && ascending; i++) ascending = after[i] > after[i - 1];
    const out = ascending ? after : [...new Set(after)].sort((a, b) => a - b);
    const prev = this.lastDeps;
    if (prev && prev.length === out.length && prev.every((v, i) => v === out[i])) return prev;
    this.lastDeps = out === after ? after.slice() : out;
    return this.lastDeps;
  }

  /** Index of a named or numbered interface, and the steps that must come first. */
  ref(name: IfName, what: string): { index: number; after: number[] } {
    if (typeof name === 'number') return { index: name, after: this.linkStep.get(name) ?? [] };
    const made = this.newNames.get(name);
    if (made) return { index: made.index, after: this.linkStep.get(made.index) ?? [made.step] };
    const l = this.linkNamed(name);
    if (!l) throw new PlanError(`${what}: no interface ${JSON.stringify(name)} (in the view or the plan)`);
    return { index: l.index, after: this.linkStep.get(l.index) ?? [] };
  }

  /** The view's link of that name, from the name index. */
  private linkNamed(name: string): LinkRecord | undefined {
    for (const l of this.s.tables.links.lookup('ifname', name)) return l;
    return undefined;
  }

  private noteLink(index: number, step: number): void {
    const list = this.linkStep.get(index) ?? [];
    list.push(step);
    this.linkStep.set(index, list);
  }

  private allocIndex(want?: number): number {
    if (want !== undefined) return want;
    while (this.s.tables.links.get(this.nextIndex)) this.nextIndex++;
    return this.nextIndex++;
  }

  // ---- links ----------------------------------------------------------------------------

  linkCreates(list: readonly DesiredLink[]): void {
    const peers = new Set(list.filter((d) => d.kind === 'veth' && d.peer).map((d) => d.peer));
    const toMake = new Set<string>();
    for (const d of list) {
      checkLink(d);
      if (d.state === ABSENT || this.linkNamed(d.ifname)) continue;
      if (!d.kind) {
        if (peers.has(d.ifname)) continue;
        throw new PlanError(`link ${d.ifname}: it does not exist and has no kind to create it with`);
      }
      toMake.add(d.ifname);
    }
    // A link made on another (a macvlan on its lower device, a vxlan on its `vxlanLink`) is
    // made after it, whatever order the list has.
    let pending = list.filter((d) => toMake.has(d.ifname));
    while (pending.length) {
      const waiting = pending.filter((d) =>
        linkRefs(d).some((n) => typeof n === 'string' && toMake.has(n) && !this.newNames.has(n) && n !== d.ifname),
      );
      const ready = waiting.length === pending.length ? pending : pending.filter((d) => !waiting.includes(d));
      for (const d of ready) this.linkCreate(d, list);
      pending = ready === pending ? [] : waiting;
    }
  }

  private linkCreate(d: DesiredLink, list: readonly DesiredLink[]): void {
    // A veth's other end is made with it.
    if (this.newNames.has(d.ifname)) return;
    const index = this.allocIndex(d.index);
    const spec: SpecBuilder = { ifname: d.ifname, kind: d.kind, index };
    const deps: number[] = [];
    for (const k of ['mtu', 'address', 'txqlen', 'group', 'ifalias'] as const)
      if (d[k] !== undefined) (spec as Record<string, unknown>)[k] = d[k];
    if (d.link !== undefined) spec.link = this.linkIndex(d.link, `link ${d.ifname} link`, deps);
    for (const [k, v] of kindOptions(d))
      spec[k] = isLinkRef(k) && typeof v === 'string' ? this.linkIndex(v, `link ${d.ifname} ${k}`, deps) : v;
    let peerIndex: number | undefined;
    if (d.kind === 'veth' && d.peer) {
      const pd = list.find((x) => x.ifname === d.peer);
      peerIndex = this.allocIndex(pd?.index);
      // The other end is made here too, so with its own settings.
      const peer: SpecBuilder = { ifname: d.peer, index: peerIndex };
      for (const k of ['mtu', 'address', 'txqlen', 'group', 'ifalias'] as const)
        if (pd?.[k] !== undefined) peer[k] = pd[k];
      spec.peer = peer;
    }
    const id = this.add(
      'links',
      `link add ${d.ifname} (${d.kind}${d.peer ? `, peer ${d.peer}` : ''}) index ${index}`,
      { kind: 'link', cmd: 'add', spec },
      deps,
      (s) => (s.tables.links.get(index)?.ifname === d.ifname ? undefined : `link ${d.ifname} missing`),
    );
    this.newNames.set(d.ifname, { index, step: id });
    this.created.add(index);
    this.links.add(index);
    this.noteLink(index, id);
    if (peerIndex !== undefined && d.peer) {
      this.newNames.set(d.peer, { index: peerIndex, step: id });
      this.created.add(peerIndex);
      this.links.add(peerIndex);
      this.noteLink(peerIndex, id);
    }
  }

  /** The index of a link a desired link names, its steps added to `deps`. */
  private linkIndex(name: IfName, what: string, deps: number[]): number {
    const r = this.ref(name, what);
    deps.push(...r.after);
    return r.index;
  }

  linkSets(list: readonly DesiredLink[]): void {
    // Masters first (a port joins a bridge that exists), then states.
    for (const d of list) {
      if (d.state === ABSENT) continue;
      const { index, after } = this.ref(d.ifname, `link ${d.ifname}`);
      const cur = this.s.tables.links.get(index);
      const spec: SpecBuilder = { index };
      const deps = [...after];
      const changes: string[] = [];
      if (cur) {
        if (d.kind !== undefined && cur.kind !== d.kind && !(d.kind === 'veth' && cur.kind === 'veth')) {
          throw new PlanError(
            `link ${d.ifname} is a ${cur.kind ?? 'device without kind'}, not a ${d.kind}: delete it first`,
          );
        }
        for (const k of ['mtu', 'txqlen', 'group', 'ifalias'] as const) {
          if (d[k] !== undefined && cur[k] !== d[k]) {
            (spec as Record<string, unknown>)[k] = d[k];
            changes.push(`${k} ${d[k]}`);
          }
        }
        if (d.address !== undefined && cur.address !== d.address.toLowerCase()) {
          spec.address = d.address;
          changes.push(`address ${d.address}`);
        }
        for (const [k, given] of kindOptions(d)) {
          const v =
            isLinkRef(k) && typeof given === 'string' ? this.linkIndex(given, `link ${d.ifname} ${k}`, deps) : given;
          if (sameOption(cur, k, v)) continue;
          spec.kind = cur.kind;
          spec[k] = v;
          changes.push(`${k} ${JSON.stringify(v)}`);
        }
      }
      const masterNow = cur?.master ?? 0;
      let master: number | undefined;
      if (d.master === null) master = 0;
      else if (d.master !== undefined) {
        const m = this.ref(d.master, `link ${d.ifname} master`);
        master = m.index;
        deps.push(...m.after);
      }
      if (master !== undefined && master !== masterNow) {
        spec.master = master;
        changes.push(master ? `master ${d.master}` : 'nomaster');
      }
      if (changes.length) {
        const want = { ...spec };
        const id = this.add(
          'links',
          `link set ${d.ifname} ${changes.join(' ')}`,
          { kind: 'link', cmd: 'set', spec },
          deps,
          (s) => linkDiffers(s.tables.links.get(index), want),
        );
        this.noteLink(index, id);
        this.links.add(index);
      }
      this.portSet(d, index, cur, master ?? cur?.master, list);
    }
    for (const d of list) {
      if (d.state !== 'up' && d.state !== 'down') continue;
      const { index, after } = this.ref(d.ifname, `link ${d.ifname}`);
      const cur = this.s.tables.links.get(index);
      const up = cur?.state === 'up';
      if ((d.state === 'up') === up) continue;
      const state = d.state;
      const id = this.add(
        'links',
        `link set ${d.ifname} ${state}`,
        { kind: 'link', cmd: 'set', spec: { index, state } },
        after,
        (s) => (s.tables.links.get(index)?.state === state ? undefined : `link ${d.ifname} is not ${state}`),
      );
      this.noteLink(index, id);
      this.links.add(index);
    }
  }

  /**
   * A link's options as a port of its master (a bridge port's cost), set once it has joined
   * (the master's kind takes them: `bridge_slave`); those the view already shows are left.
   */
  private portSet(
    d: DesiredLink,
    index: number,
    cur: LinkRecord | undefined,
    master: number | undefined,
    list: readonly DesiredLink[],
  ): void {
    const given = portOptions(d);
    if (!given.length) return;
    const named = typeof d.master === 'string' ? list.find((x) => x.ifname === d.master) : undefined;
    const masterKind = named?.kind ?? (master ? this.s.tables.links.get(master)?.kind : undefined);
    const vocab = portVocab(masterKind);
    if (!master || !vocab)
      throw new PlanError(`link ${d.ifname}: ${given[0][0]} is a port option, and it is no bridge, bond or vrf port`);
    const spec: SpecBuilder = { index, kind: `${masterKind}_slave` };
    const changes: string[] = [];
    for (const [k, v] of given) {
      if (!vocab.wireOf.has(k)) throw new PlanError(`link ${d.ifname}: ${k} is not an option of a ${masterKind} port`);
      if (cur && cur.master === master && sameOption(cur, k, v, vocab)) continue;
      spec[k] = v;
      changes.push(`${k} ${JSON.stringify(v)}`);
    }
    if (!changes.length) return;
    const id = this.add(
      'links',
      `link set ${d.ifname} ${changes.join(' ')}`,
      { kind: 'link', cmd: 'set', spec },
      [...(this.linkStep.get(index) ?? []), ...(this.linkStep.get(master) ?? [])],
      (s) => (s.tables.links.get(index) ? undefined : `link ${d.ifname} missing`),
    );
    this.noteLink(index, id);
    this.links.add(index);
  }

  linkDeletes(list: readonly DesiredLink[]): void {
    for (const d of list) {
      if (d.state !== ABSENT) continue;
      const cur = this.linkNamed(d.ifname);
      if (!cur) continue;
      const index = cur.index;
      this.links.add(index);
      // A veth takes its peer with it.
      if (cur.kind === 'veth' && cur.link && cur.linkNetnsid === undefined) this.links.add(cur.link);
      this.add('links', `link del ${d.ifname}`, { kind: 'link', cmd: 'del', spec: { index } }, [], (s) =>
        s.tables.links.get(index) ? `link ${d.ifname} still exists` : undefined,
      );
    }
  }

  // ---- addresses -------------------------------------------------------------------------

  addresses(list: readonly DesiredAddress[], removals: boolean): void {
    for (const d of list) {
      if ((d.state === ABSENT) !== removals) continue;
      const name = d.ifname ?? d.index;
      if (name === undefined) throw new PlanError(`address ${d.address}: name its interface (ifname or index)`);
      if (removals && typeof name === 'string' && !this.linkNamed(name)) continue;
      const { index, after } = this.ref(name, `address ${d.address}`);
      const { address: local, prefixlen, family } = addrParts(d);
      const key = addrKey({ index, address: local, prefixlen });
      this.addrs.add(key);
      this.links.add(index);
      const cur = this.s.tables.addresses.get(key);
      const spec: AddrSpec = { index, address: local, prefixlen, family };
      if (removals) {
        if (!cur) continue;
        this.add(
          'addresses',
          `addr del ${local}/${prefixlen} dev ${name}`,
          { kind: 'addr', cmd: 'del', spec },
          after,
          (s) => (s.tables.addresses.get(key) ? `address ${local}/${prefixlen} still on ${name}` : undefined),
        );
        continue;
      }
      if (d.peer !== undefined) spec.peer = d.peer;
      else if (d.local !== undefined && d.local !== d.address) spec.peer = d.address.split('/')[0];
      if (d.broadcast !== undefined) spec.broadcast = d.broadcast;
      if (d.label !== undefined) spec.label = d.label;
      if (d.scope !== undefined) spec.scope = enumValue('addresses', 'scope', d.scope) as AddrSpec['scope'];
      if (d.flags !== undefined) spec.flags = flagsValue('addresses', 'flags', d.flags) as AddrSpec['flags'];
      spec.proto = (d.proto ?? this.proto) as AddrSpec['proto'];
      if (cur && addrMatches(cur, d)) continue;
      const cmd = cur ? 'replace' : 'add';
      const id = this.add(
        'addresses',
        `addr ${cmd} ${local}/${prefixlen} dev ${name}`,
        { kind: 'addr', cmd, spec },
        after,
        (s) => {
          const a = s.tables.addresses.get(key);
          return a && addrMatches(a, d) ? undefined : `address ${local}/${prefixlen} not on ${name}`;
        },
      );
      this.noteLink(index, id);
      this.addrSteps.push(id);
    }
  }

  // ---- routes -----------------------------------------------------------------------------

  routesOf(list: readonly DesiredRoute[], removals: boolean): void {
    for (const d of list) {
      if ((d.state === ABSENT) !== removals) continue;
      const want = this.routeWanted(d);
      if (!want) continue;
      const { rec, spec, after } = want;
      const base = routeBaseKey(rec);
      this.routes.add(base);
      const same = this.sameBase(rec.dst ?? DEFAULT_DST, base);
      if (removals) {
        for (const r of same) {
          if (!nexthopMatches(r, rec)) continue;
          const key = this.s.tables.routes.keyOf(r);
          const del = routeDelSpec(r);
          if (r.oif !== undefined) del.oif = r.oif;
          if (r.gateway) del.gateway = r.gateway;
          this.add(
            'routes',
            `route del ${r.dst ?? DEFAULT_DST} table ${r.table} metric ${r.priority ?? 0}`,
            { kind: 'route', cmd: 'del', spec: del },
            after,
            (s) => (s.tables.routes.get(key) ? `route ${r.dst ?? DEFAULT_DST} still there` : undefined),
          );
        }
        continue;
      }
      if (same.some((r) => routeMatches(r, rec, d))) continue;
      const cmd = same.length ? 'replace' : 'add';
      const dst = rec.dst ?? DEFAULT_DST;
      this.add('routes', `route ${cmd} ${describeRoute(d, rec)}`, { kind: 'route', cmd, spec }, after, (s) => {
        for (const r of s.tables.routes.lookup('dst', dst))
          if (routeBaseKey(r) === base && routeMatches(r, rec, d)) return undefined;
        return `route ${dst} table ${rec.table} not as asked`;
      });
    }
  }

  /** Routes of the view with this prefix and base key (the prefix index narrows to a few). */
  private sameBase(dst: string, base: string): RouteRecord[] {
    const out: RouteRecord[] = [];
    for (const r of this.s.tables.routes.lookup('dst', dst)) if (routeBaseKey(r) === base) out.push(r);
    return out;
  }

  private routeWanted(d: DesiredRoute): { rec: RouteRecord; spec: RouteSpec; after: number[] } | undefined {
    const want = routeTarget(d);
    const fam = want.family;
    const after: number[] = [];
    const rec = {
      family: familyName(fam),
      dstLen: want.dstLen,
      table: enumValue('routes', 'table', d.table ?? MAIN_TABLE),
      priority: d.priority ?? defaultPriority(fam),
      tos: d.tos ?? 0,
    } as RouteRecord;
    if (want.dst !== DEFAULT_DST) rec.dst = want.dst;
    if (d.src !== undefined) rec.src = d.src;
    const spec: RouteSpec = { family: fam, dst: want.dst, table: rec.table, priority: rec.priority };
    if (d.oif !== undefined) {
      if (d.state === ABSENT && typeof d.oif === 'string' && !this.linkNamed(d.oif)) return undefined;
      const r = this.ref(d.oif, `route ${want.dst}`);
      spec.oif = r.index;
      rec.oif = r.index;
      after.push(...r.after);
    }
    if (d.gateway !== undefined) {
      spec.gateway = d.gateway;
      rec.gateway = canonicalGateway(d.gateway);
    }
    if (d.multipath) {
      spec.multipath = d.multipath.map((nh) => {
        const o = nh.oif === undefined ? undefined : this.ref(nh.oif, `route ${want.dst} next hop`);
        if (o) after.push(...o.after);
        return { oif: o?.index, gateway: nh.gateway, weight: nh.weight };
      });
      rec.multipath = spec.multipath.map((nh) => ({
        oif: nh.oif as number | undefined,
        gateway: nh.gateway && canonicalGateway(nh.gateway),
        weight: nh.weight ?? 1,
      }));
    }
    for (const k of ['type', 'scope'] as const)
      if (d[k] !== undefined) (spec as Record<string, unknown>)[k] = rec[k] = enumValue('routes', k, d[k]) as never;
    for (const k of ['tos', 'prefsrc', 'src', 'metrics'] as const)
      if (d[k] !== undefined) (spec as Record<string, unknown>)[k] = d[k];
    spec.proto = enumValue('routes', 'proto', d.proto ?? this.proto) as RouteSpec['proto'];
    // A gateway must be reachable: through the addresses of its interface, or of any.
    if ((d.gateway !== undefined || d.multipath) && d.oif === undefined) {
      if (!after.length) return { rec, spec, after: this.addrSteps };
      after.push(...this.addrSteps);
    }
    return { rec, spec, after };
  }

  // ---- neighbours and rules -----------------------------------------------------------

  neighbours(list: Desired['neighbours'] = []): void {
    for (const d of list) {
      const name = d.ifname ?? d.ifindex;
      if (name === undefined) throw new PlanError(`neighbour ${d.dst}: name its interface`);
      if (d.state === ABSENT && typeof name === 'string' && !this.linkNamed(name)) continue;
      const { index, after } = this.ref(name, `neighbour ${d.dst}`);
      this.links.add(index);
      const cur = this.s.tables.neighbours.filter({ ifindex: index, dst: d.dst })[0];
      if (d.state === ABSENT) {
        if (!cur) continue;
        this.add(
          'neighbours',
          `neigh del ${d.dst} dev ${name}`,
          { kind: 'neigh', cmd: 'del', spec: { ifindex: index, dst: d.dst } },
          after,
          (s) =>
            s.tables.neighbours.filter({ ifindex: index, dst: d.dst }).length
              ? `neighbour ${d.dst} still there`
              : undefined,
        );
        continue;
      }
      const state = flagsValue('neighbours', 'state', d.state ?? PERMANENT);
      if (
        cur &&
        JSON.stringify(cur.state) === JSON.stringify(state) &&
        (d.lladdr === undefined || cur.lladdr === d.lladdr.toLowerCase())
      )
        continue;
      const protocol = d.protocol ?? d.proto ?? this.proto;
      const spec = { ifindex: index, dst: d.dst, lladdr: d.lladdr, state, protocol };
      const deps = [...after, ...this.steps.filter((st) => st.request.kind === 'link').map((st) => st.id)];
      this.add(
        'neighbours',
        `neigh replace ${d.dst} lladdr ${d.lladdr} dev ${name}`,
        { kind: 'neigh', cmd: 'replace', spec },
        deps,
        (s) =>
          s.tables.neighbours.filter({ ifindex: index, dst: d.dst }).length ? undefined : `neighbour ${d.dst} missing`,
      );
    }
  }

  rulesOf(list: Desired['rules'] = []): void {
    for (const d of list) {
      const rec = ruleTarget(d, this.s.name);
      const key = ruleKey(rec);
      this.rules.add(key);
      const cur = this.s.tables.rules.get(key);
      const { source: _source, ...spec } = rec as unknown as Record<string, unknown>;
      if (d.state !== ABSENT) spec.protocol = enumValue('rules', 'protocol', d.protocol ?? d.proto ?? this.proto);
      else delete spec.protocol;
      const what = `priority ${rec.priority} table ${rec.table ?? rec.action}`;
      if (d.state === ABSENT) {
        if (!cur) continue;
        this.add('rules', `rule del ${what}`, { kind: 'rule', cmd: 'del', spec }, [], (s) =>
          s.tables.rules.get(key) ? 'rule still there' : undefined,
        );
      } else if (!cur) {
        this.add('rules', `rule add ${what}`, { kind: 'rule', cmd: 'add', spec }, [], (s) =>
          s.tables.rules.get(key) ? undefined : 'rule missing',
        );
      }
    }
  }

  // ---- pruning (restore) ------------------------------------------------------------------

  /** Remove what the view has beyond the desired state (kernel-made objects stay). */
  prune(d: Desired): void {
    const links = new Set((d.links ?? []).map((l) => l.ifname));
    const t = this.s.tables;
    const name = (i: number): string | number => t.links.get(i)?.ifname ?? i;
    const addrKeys = new Set(
      (d.addresses ?? []).map((a) => {
        const { address, prefixlen } = addrParts(a);
        const ifname = a.ifname ?? a.index;
        const index = typeof ifname === 'string' ? this.ref(ifname, 'address').index : (ifname as number);
        return `${name(index)}|${address}/${prefixlen}`;
      }),
    );
    const routeKeys = new Set(
      (d.routes ?? [])
        .map((r) => this.routeWanted(r))
        .filter((x) => x)
        .map((x) => routeBaseKey(x!.rec)),
    );
    for (const r of t.routes.values()) {
      if (!kernelRoute(r) && !routeKeys.has(routeBaseKey(r)))
        this.routesOf([{ ...routeSpecOf(r), state: ABSENT }], true);
    }
    for (const a of t.addresses.values()) {
      if (kernelAddress(a, t.links) || addrKeys.has(`${name(a.index)}|${a.address}/${a.prefixlen}`)) continue;
      this.addresses([{ index: a.index, address: `${a.address}/${a.prefixlen}`, state: ABSENT }], true);
    }
    const gone: DesiredLink[] = [];
    for (const l of t.links.values())
      if (l.ifname !== 'lo' && !links.has(l.ifname)) gone.push({ ifname: l.ifname, state: ABSENT });
    this.linkDeletes(gone);
  }
}

function routeSpecOf(r: RouteRecord): DesiredRoute {
  return {
    dst: r.dst ?? DEFAULT_DST,
    family: r.family,
    table: r.table,
    priority: r.priority ?? 0,
    tos: r.tos,
    oif: r.oif,
    gateway: r.gateway,
  };
}

/** What deletes exactly this route (and not another of its prefix). */
export function routeDelSpec(r: RouteRecord): RouteSpec {
  const spec: RouteSpec = {
    family: r.family,
    dst: r.dst ?? DEFAULT_DST,
    table: r.table,
    priority: r.priority ?? 0,
    tos: r.tos,
    type: r.type,
  };
  if (r.src) spec.src = r.src;
  if (r.oif !== undefined) spec.oif = r.oif;
  if (r.gateway) spec.gateway = r.gateway;
  return spec;
}

/** The family, prefix and prefix length a desired route names ('default' for length 0). */
export function routeTarget(d: DesiredRoute): RouteTarget {
  // The lock and the plan both ask for it: remembered per desired route, while it reads the same.
  const m = targets.get(d);
  if (m && m.dst === d.dst && m.dstLen === d.dstLen && m.family === d.family && m.gateway === d.gateway) return m.out;
  const out = routeTargetOf(d);
  targets.set(d, { dst: d.dst, dstLen: d.dstLen, family: d.family, gateway: d.gateway, out });
  return out;
}
type RouteTarget = { family: number; dst: string; dstLen: number };
const targets = new WeakMap<
  DesiredRoute,
  Pick<DesiredRoute, 'dst' | 'dstLen' | 'family' | 'gateway'> & { out: RouteTarget }
>();

function routeTargetOf(d: DesiredRoute): RouteTarget {
  let dst = d.dst;
  if (dst === undefined && d.dstLen === 0) dst = DEFAULT_DST;
  if (typeof dst !== 'string')
    throw new PlanError(`route: dst must be 'default' or a prefix, got ${JSON.stringify(d.dst)}`);
  if (d.dstLen !== undefined && dst !== DEFAULT_DST && !dst.includes('/')) dst = `${dst}/${d.dstLen}`;
  const family = familyNumber(d.family) ?? (d.gateway?.includes(':') || dst.includes(':') ? AF_INET6 : undefined);
  const c = canonicalPrefix(dst, family);
  const dstLen = c.dst === DEFAULT_DST ? 0 : Number(c.dst.slice(c.dst.lastIndexOf('/') + 1));
  if (d.dstLen !== undefined && d.dstLen !== dstLen)
    throw new PlanError(`route ${d.dst}: dstLen ${d.dstLen} contradicts the prefix length ${dstLen}`);
  return { family: c.family, dst: c.dst, dstLen };
}

const FR_ACT_TABLE = 'table';

/** A desired rule as the record the kernel will show (the key's fields in record form). */
export function ruleTarget(d: DesiredRule, source: string): RuleRecord {
  const { state: _state, iifname, oifname, proto, ...rest } = d;
  const r: Record<string, unknown> = { ...rest, source };
  const v6 = [d.src, d.dst].some((x) => typeof x === 'string' && x.includes(':'));
  r.family = enumValue('rules', 'family', d.family ?? (v6 ? 'inet6' : 'inet'));
  r.priority = d.priority ?? 0;
  r.action = d.action === undefined ? FR_ACT_TABLE : ruleAction(d.action);
  // An l3mdev rule looks up the table of the packet's VRF: it names none.
  const l3mdev = (d as { l3mdev?: unknown }).l3mdev;
  if (r.action === FR_ACT_TABLE && !(l3mdev && d.table === undefined))
    r.table = enumValue('rules', 'table', d.table ?? MAIN_TABLE);
  else if (d.table !== undefined) r.table = enumValue('rules', 'table', d.table);
  if (iifname !== undefined) r.iif ??= iifname;
  if (oifname !== undefined) r.oif ??= oifname;
  if (proto !== undefined) r.protocol ??= proto;
  if (r.protocol !== undefined) r.protocol = enumValue('rules', 'protocol', r.protocol);
  for (const k of ['src', 'dst'] as const) {
    const p = r[k];
    if (typeof p === 'string' && p.includes('/')) r[k] = canonicalPrefix(p).dst;
  }
  if (!r.tos) delete r.tos;
  return r as unknown as RuleRecord;
}

const ACTIONS = ['unspec', 'table', 'goto', 'nop', 'res3', 'res4', 'blackhole', 'unreachable', 'prohibit'];
function ruleAction(a: string | number): string | number {
  if (typeof a === 'number') return ACTIONS[a] ?? a;
  const s = a.toLowerCase();
  if (s === 'lookup' || s === 'to_tbl') return FR_ACT_TABLE;
  if (!ACTIONS.includes(s)) throw new PlanError(`rule: unknown action ${JSON.stringify(a)} (${ACTIONS.join(', ')})`);
  return s;
}

/** The kind options a desired link names (every key its kind's vocabulary knows). */
function kindOptions(d: DesiredLink): [string, unknown][] {
  if (!d.kind) return [];
  const out: [string, unknown][] = [];
  const vocabs = [linkKinds.get(d.kind)?.vocab, linkKinds.get(`${d.kind}_slave`)?.vocab];
  for (const [k, v] of Object.entries(d)) {
    if (v === undefined || k === 'peer') continue;
    if (vocabs.some((x) => x?.wireOf.has(k))) out.push([k, v]);
  }
  return out;
}

/** The links a desired link is made on: its lower device and the links its options name. */
function linkRefs(d: DesiredLink): IfName[] {
  const out: IfName[] = [];
  if (d.link !== undefined) out.push(d.link);
  for (const [k, v] of kindOptions(d))
    if (isLinkRef(k) && (typeof v === 'string' || typeof v === 'number')) out.push(v);
  return out;
}

/** The port options a desired link names (keys of a bridge, bond or vrf port). */
function portOptions(d: DesiredLink): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(d))
    if (v !== undefined && PORT_KINDS.some((m) => portVocab(m)?.wireOf.has(k))) out.push([k, v]);
  return out;
}

/** Whether a link's record already holds a kind (or port) option's value (given by name or number). */
function sameOption(cur: LinkRecord, key: string, v: unknown, vocab = kindVocab(cur.kind)): boolean {
  const have = (cur as unknown as Record<string, unknown>)[key];
  if (JSON.stringify(have) === JSON.stringify(v)) return true;
  const t = vocab?.typeOf(key);
  if (!vocab || !t) return false;
  return JSON.stringify(vocab.recordValue(key, encoderValue(t, v))) === JSON.stringify(have);
}

function checkLink(d: DesiredLink): void {
  if (typeof d !== 'object' || d === null || typeof d.ifname !== 'string' || !d.ifname) {
    throw new PlanError(`link: every desired link needs an ifname, got ${JSON.stringify(d)}`);
  }
  if (d.state !== undefined && !['up', 'down', ABSENT].includes(d.state)) {
    throw new PlanError(`link ${d.ifname}: state must be 'up', 'down' or 'absent', got ${JSON.stringify(d.state)}`);
  }
}

/** A gateway as the kernel reports it; routes share a few gateways, so they are remembered. */
function canonicalGateway(g: string): string {
  let c = gateways.get(g);
  if (c === undefined) {
    c = canonicalPrefix(g).dst.replace(/\/\d+$/, '');
    if (gateways.size < GATEWAYS_MAX) gateways.set(g, c);
  }
  return c;
}
const gateways = new Map<string, string>();
const GATEWAYS_MAX = 4096;

function linkDiffers(cur: LinkRecord | undefined, want: LinkSpec): string | undefined {
  if (!cur) return `link ${want.index} missing`;
  for (const k of ['mtu', 'txqlen', 'group', 'ifalias'] as const)
    if (want[k] !== undefined && cur[k] !== want[k]) return `link ${cur.ifname} ${k} is ${cur[k]}`;
  if (want.address !== undefined && cur.address !== String(want.address).toLowerCase())
    return `link ${cur.ifname} address is ${cur.address}`;
  if (want.master !== undefined && (cur.master ?? 0) !== want.master)
    return `link ${cur.ifname} master is ${cur.master ?? 'none'}`;
  return undefined;
}

function addrMatches(a: AddrRecord, d: DesiredAddress): boolean {
  if (d.label !== undefined && a.label !== d.label) return false;
  if (d.broadcast !== undefined && a.broadcast !== d.broadcast) return false;
  if (d.scope !== undefined && a.scope !== enumValue('addresses', 'scope', d.scope)) return false;
  return true;
}

function nexthopMatches(r: RouteRecord, want: RouteRecord): boolean {
  if (want.oif !== undefined && r.oif !== want.oif) return false;
  if (want.gateway !== undefined && r.gateway !== want.gateway) return false;
  return true;
}

/** Whether a route of the view is what was asked, with the kernel's defaults filled in. */
function routeMatches(r: RouteRecord, want: RouteRecord, d: DesiredRoute): boolean {
  if (!nexthopMatches(r, want)) return false;
  if (want.type !== undefined && r.type !== want.type) return false;
  if (want.scope !== undefined && r.scope !== want.scope) return false;
  if (d.prefsrc !== undefined && r.prefsrc !== canonicalGateway(d.prefsrc)) return false;
  if (want.multipath) {
    const got = r.multipath ?? [];
    if (got.length !== want.multipath.length) return false;
    const sig = (x: { oif?: number; gateway?: string; weight: number }): string =>
      `${x.oif ?? ''}>${x.gateway ?? ''}*${x.weight}`;
    const a = got.map(sig).sort().join(),
      b = want.multipath.map(sig).sort().join();
    if (a !== b) return false;
  }
  if (d.metrics)
    for (const [k, v] of Object.entries(d.metrics))
      if (JSON.stringify((r.metrics as Record<string, unknown> | undefined)?.[k]) !== JSON.stringify(v)) return false;
  return true;
}

function describeRoute(d: DesiredRoute, rec: RouteRecord): string {
  const parts = [rec.dst ?? DEFAULT_DST];
  if (d.gateway) parts.push(`via ${d.gateway}`);
  if (d.oif !== undefined) parts.push(`dev ${d.oif}`);
  if (rec.table !== MAIN_TABLE) parts.push(`table ${rec.table}`);
  parts.push(`metric ${rec.priority ?? 0}`);
  return parts.join(' ');
}

/**
 * The plan for a desired state: removals of routes, addresses and links first, then link
 * creations, settings and states, then addresses, routes, neighbours and rules.
 */
export function makePlan(s: Source, d: Desired, opts: { proto: number; prune?: boolean }): Plan {
  if (typeof d !== 'object' || d === null) throw new PlanError('desired state must be an object');
  for (const k of Object.keys(d)) {
    if (!['links', 'addresses', 'routes', 'neighbours', 'rules'].includes(k)) {
      throw new PlanError(
        `desired state: unknown section ${JSON.stringify(k)} (links, addresses, routes, neighbours, rules)`,
      );
    }
    if (!Array.isArray((d as Record<string, unknown>)[k])) throw new PlanError(`desired state: ${k} must be an array`);
  }
  const p = new Planner(s, opts.proto);
  const links = d.links ?? [];
  for (const l of links) checkLink(l);
  const absent = new Set(links.filter((l) => l.state === ABSENT).map((l) => l.ifname));
  for (const l of links) {
    if (l.state !== ABSENT && absent.has(l.ifname))
      throw new PlanError(`link ${l.ifname} is both absent and configured`);
  }
  p.routesOf(d.routes ?? [], true);
  p.addresses(d.addresses ?? [], true);
  if (opts.prune) p.prune(d);
  p.linkDeletes(links);
  p.linkCreates(links);
  p.linkSets(links);
  p.addresses(d.addresses ?? [], false);
  p.routesOf(d.routes ?? [], false);
  p.neighbours(d.neighbours);
  p.rulesOf(d.rules);
  const steps = p.steps;
  return {
    steps,
    links: p.links,
    created: p.created,
    addrs: p.addrs,
    routes: p.routes,
    rules: p.rules,
    toString: () =>
      steps.map((st) => `${st.id}. ${st.what}${st.after.length ? ` (after ${st.after.join(', ')})` : ''}`).join('\n'),
  };
}

export { kernelRoute };
