// Records: links, addresses, routes, neighbours and FDB entries as plain JSON-safe objects,
// named as specs name them, so a record can be fed back as a spec. Read through each
// object's vocabulary (the tables beside the schemas); messageOf(record) gives the message.
import {
  AttrView,
  NLMSG_HDRLEN,
  WHOLE,
  attachMessage,
  type AttrSet,
  type EnumRecord,
  type FlagsRecord,
  type VocabRecord,
} from '../core/index.js';
import { AF, AF_MPLS, IFF, IF_OPER, RTN, RTPROT, RT_SCOPE, RT_TABLE } from './constants.js';
import { addrVocab, type IfaddrMessage } from './ifaddrmsg.js';
import { linkVocab, stats64Vocab, type IfinfMessage } from './ifinfmsg.js';
import { linkKinds } from './kinds/index.js';
import type { KindRecord } from './kinds/types.js';
import { NUD, fdbVocab, neighVocab } from './ndmsg.js';
import type { NeighMessage } from './neigh.js';
import { routeVocab, rtmsgHeader, type RtMessage } from './rtmsg.js';

export { messageOf, SpecError } from '../core/index.js';

const FOREVER = 0xffffffff;

// Enumerations in records are their short names, read from the same tables as the schemas.
// `number` is part of a type only where the kernel keeps values that have no name.

/** A routing table: 'main', 'local', 'default'..., or its number (tables such as 100 have no name). */
export type RouteTable = EnumRecord<typeof RT_TABLE, true>;
/** Who installed a route: 'kernel', 'boot', 'static'..., or a number (any byte is accepted). */
export type RouteProto = EnumRecord<typeof RTPROT, true>;
/** Route or address scope: 'universe', 'link', 'host'..., or a number (any byte is accepted). */
export type RouteScope = EnumRecord<typeof RT_SCOPE, true>;
/** Route type: 'unicast', 'local', 'blackhole'... (the kernel refuses others). */
export type RouteType = EnumRecord<typeof RTN>;
/** A link's operational state (RFC 2863): 'up', 'down', 'unknown', 'lowerlayerdown'... */
export type OperState = EnumRecord<typeof IF_OPER>;
/** An address family: 'inet', 'inet6', 'bridge', 'mpls'... */
export type AddressFamily = EnumRecord<typeof AF>;
/** Neighbour states: ['reachable'], ['permanent'], ['stale']... */
export type NeighState = FlagsRecord<typeof NUD>;

/** A link: header and IFLA_* by friendly name, its state, its kind with the kind's options, its alternative names. */
export type LinkRecord = Omit<VocabRecord<typeof linkVocab>, 'stats'> & {
  /** Counters of IFLA_STATS64 (`rxBytes`, `txPackets`...): numbers while exact, else decimal strings. */
  stats?: VocabRecord<typeof stats64Vocab>;
  /** 'up' when IFF_UP is set (administratively up; `flags` tells the rest). */
  state?: 'up' | 'down';
  /** Alternative names (IFLA_PROP_LIST); read only. */
  altnames?: string[];
  /** The kind of the master this link is a port of ('bridge', 'bond'), with its port options. */
  slaveKind?: string;
} & KindRecord;

/** An address. `address` is ours (IFA_LOCAL, or IFA_ADDRESS when it is the only one); `peer` the other end. */
export type AddrRecord = VocabRecord<typeof addrVocab> & {
  /** Lifetimes in seconds, or 'forever'. */
  validLft?: number | 'forever';
  preferredLft?: number | 'forever';
};

/** A route. `dst`/`src` are 'addr/len'; `table` is the full table id (RTA_TABLE when above 255). */
export type RouteRecord = Omit<VocabRecord<typeof routeVocab>, 'multipath' | 'encap' | 'metrics'> & {
  multipath?: NexthopRecord[];
  encap?: EncapRecord;
  metrics?: Record<string, number | string | string[]>;
};

export interface NexthopRecord {
  gateway?: string;
  via?: string;
  oif?: number;
  weight: number;
  flags?: string[];
  encap?: EncapRecord;
  newdst?: string;
  flow?: number;
}

export type EncapRecord =
  | { type: 'mpls'; labels: string; ttl?: number }
  | { type: 'seg6'; mode: string | number; segs: string[] }
  | { type: string; attrs: [string | number, unknown][] };

export type NeighRecord = Omit<VocabRecord<typeof neighVocab>, 'family'> & {
  /** ndm_family by name, as other records name it (a dump of all families holds bridge FDB entries). */
  family?: 'inet' | 'inet6' | 'bridge';
};
export type FdbRecord = VocabRecord<typeof fdbVocab>;

const IFF_UP = IFF.IFF_UP;

/** Kind options of IFLA_LINKINFO into a link record, by the kind's own table. */
function readLinkinfo(info: AttrSet<any>, r: Record<string, unknown>): void {
  const kind = info.getAttr('IFLA_INFO_KIND') as string | undefined;
  if (kind !== undefined) r.kind = kind;
  const data = info.getAttr('IFLA_INFO_DATA');
  const k = kind !== undefined ? linkKinds.get(kind) : undefined;
  if (k?.vocab && data instanceof AttrView) k.vocab.readAttrs(data, r);
  const skind = info.getAttr('IFLA_INFO_SLAVE_KIND') as string | undefined;
  if (skind !== undefined) {
    r.slaveKind = skind;
    const sdata = info.getAttr('IFLA_INFO_SLAVE_DATA');
    const sk = linkKinds.get(`${skind}_slave`);
    if (sk?.vocab && sdata instanceof AttrView) sk.vocab.readAttrs(sdata, r);
  }
}

/** A link message as a record: `{ index, ifname, state, mtu, kind, vxlanId, stats: { rxBytes }, ... }`. */
export function linkRecord(m: IfinfMessage): LinkRecord {
  const flags = m.field('flags');
  const r: Record<string, unknown> = {
    index: m.field('index'),
    ifname: undefined,
    state: flags & IFF_UP ? 'up' : 'down',
  };
  linkVocab.readHeader(m, r);
  linkVocab.readAttrs(m, r);
  const info = m.getAttr('IFLA_LINKINFO');
  if (info) readLinkinfo(info, r);
  const props = m.getAttr('IFLA_PROP_LIST');
  if (props) {
    const alt = props.getAttrs('IFLA_ALT_IFNAME');
    if (alt.length) r.altnames = alt;
  }
  if (r.ifname === undefined) delete r.ifname;
  // Off is the default, and devices without proto_down refuse the attribute even when off.
  if (r.protoDown === 0) delete r.protoDown;
  if (r.family === 'unspec') delete r.family;
  return attachMessage(r, m) as LinkRecord;
}

const lft = (v: number): number | 'forever' => (v === FOREVER ? 'forever' : v);

/** An address message as a record: `{ index, family: 'inet', address, prefixlen, scope, flags, ... }`. */
export function addrRecord(m: IfaddrMessage): AddrRecord {
  const r: Record<string, unknown> = {};
  addrVocab.readHeader(m, r);
  addrVocab.readAttrs(m, r);
  // IPv6 sends only IFA_ADDRESS: then it is ours, not a peer.
  if (r.address === undefined) {
    r.address = r.peer;
    delete r.peer;
  } else if (r.peer === r.address) delete r.peer;
  if (r.flags === undefined) r.flags = addrFlagNames(m.field('flags'));
  const ci = m.getAttr('IFA_CACHEINFO');
  if (ci) {
    r.validLft = lft(ci.ifa_valid);
    r.preferredLft = lft(ci.ifa_prefered);
  }
  return attachMessage(r, m) as AddrRecord;
}

const addrFlagNames = (mask: number): unknown => addrVocab.recordValue('flags', mask);

/** A route message as a record: `{ family: 'inet', dst: '10.0.0.0/24', gateway, oif, table: 'main', ... }`. */
export function routeRecord(m: RtMessage): RouteRecord {
  const r: Record<string, unknown> = {};
  routeVocab.readHeader(m, r);
  routeVocab.readAttrs(m, r);
  // MPLS labels carry no length; addresses read as 'addr/len'.
  if (r.dst !== undefined && r.family !== 'mpls') r.dst = `${r.dst as string}/${r.dstLen as number}`;
  if (r.src !== undefined) r.src = `${r.src as string}/${r.srcLen as number}`;
  return attachMessage(r, m) as RouteRecord;
}

const RTM_DST_LEN = rtmsgHeader.offsets.dst_len,
  RTM_SRC_LEN = rtmsgHeader.offsets.src_len;

/** One key of a route record without building the rest (for lazy records); WHOLE for the others. */
export function routeKey(m: RtMessage, key: string): unknown {
  switch (key) {
    case 'dst':
    case 'src': {
      const a = m.getAttr(key === 'dst' ? 'RTA_DST' : 'RTA_SRC');
      // rtm_family, rtm_dst_len and rtm_src_len are the first bytes of struct rtmsg.
      const h = m.offset + NLMSG_HDRLEN;
      if (a === undefined || m.buf[h] === AF_MPLS) return a;
      return `${a}/${m.buf[h + (key === 'dst' ? RTM_DST_LEN : RTM_SRC_LEN)]}`;
    }
    case 'multipath':
    case 'encap':
    case 'metrics':
    case 'via':
      return WHOLE;
    default:
      return routeVocab.wireOf.has(key) ? routeVocab.readKey(m, key) : WHOLE;
  }
}

/** A neighbour message as a record. */
export function neighRecord(m: NeighMessage): NeighRecord {
  const r: Record<string, unknown> = {};
  neighVocab.readHeader(m, r);
  neighVocab.readAttrs(m, r);
  return attachMessage(r, m) as NeighRecord;
}

/** A bridge FDB message as a record. */
export function fdbRecord(m: NeighMessage): FdbRecord {
  const r: Record<string, unknown> = {};
  fdbVocab.readHeader(m, r);
  fdbVocab.readAttrs(m, r);
  return attachMessage(r, m) as FdbRecord;
}
