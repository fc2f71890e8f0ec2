// The bridge VLAN database as `bridge vlan set`, `bridge -d vlan show` and `bridge vlan global`
// do it: RTM_NEWVLAN/RTM_DELVLAN with BRIDGE_VLANDB_ENTRY or _GLOBAL_OPTIONS, RTM_GETVLAN dumps.
import {
  AF_BRIDGE,
  NLM_F_ACK,
  NetlinkEncodeError,
  attachMessage,
  checkSpec,
  enumNames,
  eitherCheck,
  ifRefCheck,
  intCheck,
  stringCheck,
  arrayCheck,
  boolCheck,
  type AttrView,
  type Message,
  type NetlinkSocket,
  type SpecRules,
  type VocabRecord,
  type VocabSpec,
} from '../core/index.js';
import { ask, typed } from './commands.js';
import { BRIDGE_VLAN_INFO, RTM } from './constants.js';
import { BRIDGE_VLANDB_DUMPF, brvlanDumpMsg, brvlanmsg, vlanEntryVocab, vlanGlobalVocab } from './brvlanmsg.js';
import { mdbRouterVocab } from './mdbmsg.js';
import type { HeaderedAttrSet } from './types.js';

export type BrVlanMessage = Message<typeof brvlanmsg.header.fields, typeof brvlanmsg.attrs.decl>;

const { BRIDGE_VLAN_INFO_PVID, BRIDGE_VLAN_INFO_UNTAGGED, BRIDGE_VLAN_INFO_ONLY_OPTS } = BRIDGE_VLAN_INFO;
const RANGE_BITS = BRIDGE_VLAN_INFO.BRIDGE_VLAN_INFO_RANGE_BEGIN | BRIDGE_VLAN_INFO.BRIDGE_VLAN_INFO_RANGE_END;
const infoNames = enumNames(BRIDGE_VLAN_INFO);
const TINFO_SET = RTM.RTM_SETLINK;

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** A VLAN of a port or bridge, as brvlan() takes it and brvlans() gives it back. */
export type BrVlanSpec = Writable<Omit<VocabSpec<typeof vlanEntryVocab>, 'ifindex' | 'tunnelId'>> & {
  /** The VXLAN tunnel id this VLAN maps to, on a vxlan port with vlan_tunnel on. */
  tunnelId?: number;
  /** The port, or the bridge itself: an index, or a name through IPRoute. */
  ifindex?: number | string;
  /** The VLAN, or the first of the range up to vidEnd. */
  vid?: number;
  /** Ingress untagged frames get this VLAN. */
  pvid?: boolean;
  /** Egress frames of this VLAN leave untagged. */
  untagged?: boolean;
  /** BRIDGE_VLAN_INFO_* flags by short name, as records give them ('pvid', 'untagged', 'brentry'). */
  flags?: readonly string[];
};

/** A VLAN (or range with equal options) read back: `{ ifindex, vid, vidEnd?, flags?, state, mcastRouter, ... }`. */
export type BrVlanRecord = Omit<VocabRecord<typeof vlanEntryVocab>, 'tunnelId'> & {
  ifindex: number;
  vid: number;
  flags?: string[];
  tunnelId?: number;
};

/** Global options of a bridge's VLAN (or range), as brvlanGlobal() takes them and brvlanGlobals() gives them. */
export type BrVlanGlobalSpec = Writable<Omit<VocabSpec<typeof vlanGlobalVocab>, 'ifindex'>> & {
  /** The bridge: an index, or a name through IPRoute. */
  ifindex?: number | string;
  /** Read from records; accepted and not sent. */
  routerPorts?: unknown;
};

/** Global options read back, with the VLAN's multicast router ports. */
export type BrVlanGlobalRecord = VocabRecord<typeof vlanGlobalVocab> & {
  ifindex: number;
  vid: number;
  routerPorts?: VocabRecord<typeof mdbRouterVocab>[];
};

const vidCheck = intCheck(1, 4094);
const ENTRY_EXTRA = {
  ifindex: ifRefCheck,
  vid: vidCheck,
  vidEnd: vidCheck,
  pvid: boolCheck,
  untagged: boolCheck,
  flags: arrayCheck(stringCheck()),
  neighSuppress: eitherCheck(boolCheck, intCheck(0, 1)),
  tunnelId: intCheck(0, 0xffffff),
};
const GLOBAL_EXTRA = { ifindex: ifRefCheck, vid: vidCheck, vidEnd: vidCheck, routerPorts: () => undefined };
let entryRules: SpecRules | undefined, globalRules: SpecRules | undefined;

/** Check a VLAN spec or filter before anything is sent. */
export function checkBrVlanSpec<T extends object>(spec: T): T {
  return checkSpec('brvlan', spec, (entryRules ??= vlanEntryVocab.rules(ENTRY_EXTRA, { index: 'ifindex' })));
}
/** Check a global VLAN options spec before anything is sent. */
export function checkBrVlanGlobalSpec<T extends object>(spec: T): T {
  return checkSpec('brvlan global', spec, (globalRules ??= vlanGlobalVocab.rules(GLOBAL_EXTRA, { index: 'ifindex' })));
}

function needIndex(what: string, v: unknown): number {
  if (v === undefined) throw new NetlinkEncodeError(`${what}: ifindex is required`);
  if (typeof v !== 'number')
    throw new NetlinkEncodeError(`${what}: ifindex ${JSON.stringify(v)} must be resolved first`);
  return v;
}

function range(what: string, spec: { vid?: number; vidEnd?: number }): [string, unknown][] {
  if (spec.vid === undefined) throw new NetlinkEncodeError(`${what}: vid is required`);
  if (spec.vidEnd === undefined || spec.vidEnd === spec.vid) return [];
  if (spec.vidEnd < spec.vid) throw new NetlinkEncodeError(`${what}: range ${spec.vid}-${spec.vidEnd} is reversed`);
  return [['BRIDGE_VLANDB_ENTRY_RANGE', spec.vidEnd]];
}

function infoFlags(spec: BrVlanSpec): number {
  let f = 0;
  for (const n of spec.flags ?? []) {
    const v = infoNames.byName(n);
    if (v === undefined)
      throw new TypeError(`brvlan: unknown flag ${JSON.stringify(n)} (${infoNames.list().join(', ')})`);
    f |= v;
  }
  if (spec.pvid !== undefined) f = spec.pvid ? f | BRIDGE_VLAN_INFO_PVID : f & ~BRIDGE_VLAN_INFO_PVID;
  if (spec.untagged !== undefined) f = spec.untagged ? f | BRIDGE_VLAN_INFO_UNTAGGED : f & ~BRIDGE_VLAN_INFO_UNTAGGED;
  return f & ~RANGE_BITS;
}

const SKIP_ENTRY = new Set(['ifindex', 'vid', 'vidEnd', 'tunnelId', 'neighSuppress']);

/** The options of an entry, in the spec's order (as `bridge vlan set` sends them in its arguments' order). */
function entryOptions(spec: BrVlanSpec): [string, unknown][] {
  const out = vlanEntryVocab.attrPairs(spec as Record<string, unknown>, SKIP_ENTRY);
  if (spec.neighSuppress !== undefined) out.push(['BRIDGE_VLANDB_ENTRY_NEIGH_SUPPRESS', spec.neighSuppress ? 1 : 0]);
  if (spec.tunnelId !== undefined) {
    out.push([
      'BRIDGE_VLANDB_ENTRY_TUNNEL_INFO',
      [
        ['BRIDGE_VLANDB_TINFO_ID', spec.tunnelId],
        ['BRIDGE_VLANDB_TINFO_CMD', TINFO_SET],
      ],
    ]);
  }
  return out;
}

/**
 * `brvlan(sock, 'add' | 'set' | 'del', { ifindex, vid, vidEnd?, pvid?, untagged?, state?, mcastRouter?, ... })`.
 * 'add' creates the VLANs with their options; 'set' changes options only (`bridge vlan set`); 'del' removes.
 */
export async function brvlan(sock: NetlinkSocket, cmd: 'add' | 'set' | 'del', spec: BrVlanSpec): Promise<void> {
  spec = checkBrVlanSpec(spec);
  if (cmd !== 'add' && cmd !== 'set' && cmd !== 'del')
    throw new NetlinkEncodeError(`brvlan: unknown command ${JSON.stringify(cmd)} (add, set, del)`);
  const ifindex = needIndex(`brvlan ${cmd}`, spec.ifindex);
  const rng = range(`brvlan ${cmd}`, spec);
  const flags = cmd === 'set' ? BRIDGE_VLAN_INFO_ONLY_OPTS : cmd === 'add' ? infoFlags(spec) : 0;
  const entry: [string, unknown][] = [['BRIDGE_VLANDB_ENTRY_INFO', { flags, vid: spec.vid }], ...rng];
  if (cmd !== 'del') entry.push(...entryOptions(spec));
  await ask(sock, brvlanmsg, {
    type: cmd === 'del' ? RTM.RTM_DELVLAN : RTM.RTM_NEWVLAN,
    flags: NLM_F_ACK,
    fields: { family: AF_BRIDGE, ifindex },
    attrs: [['BRIDGE_VLANDB_ENTRY', entry]],
  });
}

/** `brvlanGlobal(sock, 'set', { ifindex: bridge, vid, vidEnd?, mcastSnooping?, mcastIgmpVersion?, ... })`. */
export async function brvlanGlobal(sock: NetlinkSocket, cmd: 'set', spec: BrVlanGlobalSpec): Promise<void> {
  spec = checkBrVlanGlobalSpec(spec);
  if (cmd !== 'set') throw new NetlinkEncodeError(`brvlan global: unknown command ${JSON.stringify(cmd)} (set)`);
  const ifindex = needIndex('brvlan global set', spec.ifindex);
  const rng = range('brvlan global set', spec).map(([, v]) => ['BRIDGE_VLANDB_GOPTS_RANGE', v] as [string, unknown]);
  const opts = vlanGlobalVocab.attrPairs(spec as Record<string, unknown>, new Set(['ifindex', 'vid', 'vidEnd']));
  await ask(sock, brvlanmsg, {
    type: RTM.RTM_NEWVLAN,
    flags: NLM_F_ACK,
    fields: { family: AF_BRIDGE, ifindex },
    attrs: [['BRIDGE_VLANDB_GLOBAL_OPTIONS', [['BRIDGE_VLANDB_GOPTS_ID', spec.vid], ...rng, ...opts]]],
  });
}

/** A RTM_GETVLAN dump: `dumpBrVlans(sock, { ifindex?, stats?, global? })`, messages as the kernel sends them. */
export async function dumpBrVlans(
  sock: NetlinkSocket,
  opts: { ifindex?: number; stats?: boolean; global?: boolean } = {},
): Promise<BrVlanMessage[]> {
  const dumpFlags =
    (opts.stats ? BRIDGE_VLANDB_DUMPF.BRIDGE_VLANDB_DUMPF_STATS : 0) |
    (opts.global ? BRIDGE_VLANDB_DUMPF.BRIDGE_VLANDB_DUMPF_GLOBAL : 0);
  const msgs = await sock.snapshot(brvlanDumpMsg, {
    type: RTM.RTM_GETVLAN,
    fields: { family: AF_BRIDGE, ifindex: opts.ifindex ?? 0 },
    // Sent even when 0, as `bridge` does.
    attrs: [['BRIDGE_VLANDB_DUMP_FLAGS', dumpFlags]],
  });
  return typed(brvlanmsg, msgs) as BrVlanMessage[];
}

type Nest = { getAttrs(n: string): any[]; getAttr(n: string): any };

/** The VLAN entries of one message (a dump answer or a RTNLGRP_BRVLAN event). */
export function brvlanRecords(m: BrVlanMessage): BrVlanRecord[] {
  const out: BrVlanRecord[] = [];
  for (const e of m.getAttrs('BRIDGE_VLANDB_ENTRY') as unknown as AttrView<any>[]) {
    const r: Record<string, unknown> = {};
    vlanEntryVocab.readHeader(m, r);
    const info = (e as unknown as Nest).getAttr('BRIDGE_VLANDB_ENTRY_INFO') as { flags: number; vid: number };
    if (info) {
      r.vid = info.vid;
      const f = infoNames.flags(info.flags & ~RANGE_BITS);
      if (f.length) r.flags = f;
    }
    vlanEntryVocab.readAttrs(e, r);
    out.push(attachMessage(r, m) as BrVlanRecord);
  }
  return out;
}

/** The global VLAN options of one message. */
export function brvlanGlobalRecords(m: BrVlanMessage): BrVlanGlobalRecord[] {
  const out: BrVlanGlobalRecord[] = [];
  for (const g of m.getAttrs('BRIDGE_VLANDB_GLOBAL_OPTIONS') as unknown as AttrView<any>[]) {
    const r: Record<string, unknown> = {};
    vlanGlobalVocab.readHeader(m, r);
    vlanGlobalVocab.readAttrs(g, r);
    const ports = (g as unknown as Nest).getAttr('BRIDGE_VLANDB_GOPTS_MCAST_ROUTER_PORTS') as Nest | undefined;
    const list = ports?.getAttr('MDBA_ROUTER') as Nest | undefined;
    if (list) {
      r.routerPorts = (list.getAttrs('MDBA_ROUTER_PORT') as HeaderedAttrSet[]).map((p) =>
        mdbRouterVocab.readAttrs(p as AttrView<any>, mdbRouterVocab.readFields(p.fields, {})),
      );
    }
    out.push(attachMessage(r, m) as BrVlanGlobalRecord);
  }
  return out;
}

/** Which records a filter keeps: every key given must match. */
export function brvlanMatcher<R extends object>(filter: object): (r: R) => boolean {
  const f = filter as Record<string, unknown>;
  const keys = Object.keys(f).filter((k) => f[k] !== undefined && typeof f[k] !== 'object');
  return (r) => keys.every((k) => (r as Record<string, unknown>)[k] === f[k]);
}
