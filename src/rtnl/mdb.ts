// The bridge multicast database as `bridge mdb` does it: mdb(sock, 'add'|'replace'|'del', spec),
// dumps as records (one per group membership) and the multicast router ports.
import {
  AF_BRIDGE,
  NLM_F_ACK,
  NetlinkEncodeError,
  anyCheck,
  arrayCheck,
  attachMessage,
  checkSpec,
  eitherCheck,
  ifRefCheck,
  intCheck,
  objectCheck,
  oneOfCheck,
  stringCheck,
  type AttrView,
  type Message,
  type NetlinkSocket,
  type SpecRules,
  type VocabRecord,
} from '../core/index.js';
import { ask, command, typed } from './commands.js';
import { RTM, RTPROT } from './constants.js';
import { MDB_STATE, mdbRouterVocab, mdbSetMsg, mdbVocab, mdbmsg } from './mdbmsg.js';
import type { HeaderedAttrSet } from './types.js';
import { enumValue } from './spec.js';

export type MdbMessage = Message<typeof mdbmsg.header.fields, typeof mdbmsg.attrs.decl>;

/** Commands of mdb(). */
export type MdbCmd = 'add' | 'replace' | 'del' | 'delete' | 'remove' | 'dump' | 'show';

/** A source of an IGMPv3/MLDv2 group as records give it; specs take the address alone too. */
export interface MdbSource {
  address: string;
  /** Seconds x 100 left (read only). */
  timer?: number;
}

/** A group membership, as mdb() takes it and mdbEntries() gives it back. */
export interface MdbSpec {
  /** The bridge: an index, or a name (IPRoute resolves it). */
  ifindex?: number | string;
  /** The port (or the bridge itself, for host joins): an index or a name. */
  port?: number | string;
  /** '239.1.1.1', 'ff0e::1', or a MAC for an L2 group. */
  group?: string;
  /** VLAN of the entry (needs vlan_filtering); 0 or absent: none. */
  vid?: number;
  /** 'permanent' or 'temporary' ('temp'); default 'temporary', as `bridge mdb add`. */
  state?: 'permanent' | 'temporary' | 'temp';
  /** The source of an (S, G) entry. */
  source?: string;
  /** IGMPv3/MLDv2 sources of a (*, G) entry (kernel 6.3+). */
  sourceList?: readonly (string | MdbSource)[];
  /** 'include' or 'exclude' (kernel 6.3+). */
  filterMode?: 'include' | 'exclude';
  /** Who installed it: 'static' (default), 'kernel', or an RTPROT_* name or number (kernel 6.3+). */
  protocol?: string | number;
  /** Read from records; accepted and not sent. */
  timer?: number;
  flags?: readonly string[] | number;
}

/** A group membership read back: `{ ifindex, port, group, vid, state, flags, timer, protocol, ... }`. */
export type MdbRecord = Omit<VocabRecord<typeof mdbVocab>, 'sourceList' | 'state' | 'filterMode'> & {
  state: 'permanent' | 'temporary';
  filterMode?: 'include' | 'exclude';
  /** The bridge. */
  ifindex: number;
  sourceList?: MdbSource[];
};

/** A multicast router port: `{ ifindex (the bridge), port, type: 'perm', timer, vid }`. */
export type MdbRouterRecord = VocabRecord<typeof mdbRouterVocab> & { ifindex: number };

const EXTRA = {
  ifindex: ifRefCheck,
  port: ifRefCheck,
  group: stringCheck(),
  vid: intCheck(0, 4094),
  state: oneOfCheck('permanent', 'temporary', 'temp'),
  source: stringCheck(),
  sourceList: arrayCheck(eitherCheck(stringCheck(), objectCheck)),
  filterMode: oneOfCheck('include', 'exclude'),
  protocol: eitherCheck(intCheck(0, 255), stringCheck()),
  flags: anyCheck,
};
let rules: SpecRules | undefined;

/** Check an MDB spec or filter before anything is sent. */
export function checkMdbSpec<T extends object>(spec: T): T {
  return checkSpec('mdb', spec, (rules ??= mdbVocab.rules(EXTRA)));
}

function setAttrs(spec: MdbSpec, del: boolean): [string, unknown][] {
  const a: [string, unknown][] = [];
  if (spec.source !== undefined) a.push(['MDBE_ATTR_SOURCE', spec.source]);
  // A delete names the entry only; an (S, G) entry is in include mode by nature: the kernel reports
  // that but refuses it as an option, so a record read back stays a valid spec.
  if (del) return a;
  if (spec.source !== undefined && spec.filterMode === 'include') spec = { ...spec, filterMode: undefined };
  if (spec.sourceList !== undefined) {
    const list = spec.sourceList.map((s) => [
      'MDBE_SRC_LIST_ENTRY',
      [['MDBE_SRCATTR_ADDRESS', typeof s === 'string' ? s : s.address]],
    ]);
    a.push(['MDBE_ATTR_SRC_LIST', list]);
  }
  if (spec.filterMode !== undefined) a.push(['MDBE_ATTR_GROUP_MODE', spec.filterMode === 'include' ? 1 : 0]);
  if (spec.protocol !== undefined)
    a.push(['MDBE_ATTR_RTPROT', enumValue(RTPROT, 'RTPROT_', spec.protocol, 'mdb protocol')]);
  return a;
}

/**
 * `mdb(sock, 'add' | 'replace' | 'del', { ifindex: bridge, port, group, vid?, state?, source?, ... })`, as
 * `bridge mdb add dev BR port P grp G [src S] [permanent] [vid V]`; 'dump' gives mdbEntries().
 * Interfaces are indexes here (IPRoute resolves names).
 */
export async function mdb(sock: NetlinkSocket, cmd: MdbCmd, spec: MdbSpec = {}): Promise<void> {
  spec = checkMdbSpec(spec);
  const { verb, flags } = command(cmd, ['add', 'replace', 'del', 'delete', 'remove']);
  for (const k of ['ifindex', 'port'] as const) {
    if (spec[k] === undefined) throw new NetlinkEncodeError(`mdb ${cmd}: ${k} is required`);
    if (typeof spec[k] === 'string')
      throw new NetlinkEncodeError(`mdb: ${k} ${JSON.stringify(spec[k])} must be resolved to an index first`);
  }
  if (spec.group === undefined) throw new NetlinkEncodeError(`mdb ${cmd}: group is required`);
  const permanent = spec.state === 'permanent';
  const opts = setAttrs(spec, verb === 'del');
  const attrs: [string, unknown][] = [
    [
      'MDBA_SET_ENTRY',
      {
        ifindex: spec.port,
        state: verb === 'del' ? MDB_STATE.MDB_TEMPORARY : permanent ? MDB_STATE.MDB_PERMANENT : MDB_STATE.MDB_TEMPORARY,
        vid: spec.vid ?? 0,
        addr: spec.group,
      },
    ],
  ];
  if (opts.length) attrs.push(['MDBA_SET_ENTRY_ATTRS', opts]);
  await ask(sock, mdbSetMsg, {
    type: verb === 'del' ? RTM.RTM_DELMDB : RTM.RTM_NEWMDB,
    flags: verb === 'del' ? NLM_F_ACK : flags,
    fields: { family: AF_BRIDGE, ifindex: spec.ifindex as number },
    attrs,
  });
}

/** The raw dump: one message per bridge, entries and router ports nested inside. */
export async function dumpMdb(sock: NetlinkSocket): Promise<MdbMessage[]> {
  const msgs = await sock.snapshot(mdbSetMsg, { type: RTM.RTM_GETMDB, fields: { family: AF_BRIDGE } });
  return typed(mdbmsg, msgs) as MdbMessage[];
}

type Nest = { getAttrs(n: string): any[]; getAttr(n: string): any };

/** The group memberships of one MDB message (a dump answer or an event). */
export function mdbRecords(m: MdbMessage): MdbRecord[] {
  const out: MdbRecord[] = [];
  const bridge = m.fields.ifindex as number;
  for (const list of m.getAttrs('MDBA_MDB') as Nest[]) {
    for (const e of list.getAttrs('MDBA_MDB_ENTRY') as Nest[]) {
      for (const info of e.getAttrs('MDBA_MDB_ENTRY_INFO') as HeaderedAttrSet[]) {
        const r: Record<string, unknown> = { ifindex: bridge };
        mdbVocab.readFields(info.fields, r);
        if (r.vid === 0) delete r.vid;
        mdbVocab.readAttrs(info as AttrView<any>, r);
        out.push(attachMessage(r, m) as MdbRecord);
      }
    }
  }
  return out;
}

/** The multicast router ports of one MDB message. */
export function mdbRouterRecords(m: MdbMessage): MdbRouterRecord[] {
  const out: MdbRouterRecord[] = [];
  for (const list of m.getAttrs('MDBA_ROUTER') as Nest[]) {
    for (const p of list.getAttrs('MDBA_ROUTER_PORT') as HeaderedAttrSet[]) {
      const r: Record<string, unknown> = { ifindex: m.fields.ifindex };
      mdbRouterVocab.readFields(p.fields, r);
      mdbRouterVocab.readAttrs(p as AttrView<any>, r);
      out.push(attachMessage(r, m) as MdbRouterRecord);
    }
  }
  return out;
}

/** Which records a filter keeps: every key given must match (interfaces as indexes). */
export function mdbMatcher(filter: MdbSpec): (r: MdbRecord) => boolean {
  const f = { ...filter } as Record<string, unknown>;
  if (f.state === 'temp') f.state = 'temporary';
  const keys = Object.keys(f).filter((k) => f[k] !== undefined && k !== 'sourceList' && k !== 'flags');
  return (r) => keys.every((k) => (r as Record<string, unknown>)[k] === f[k]);
}
