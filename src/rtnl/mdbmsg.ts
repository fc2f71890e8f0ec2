// br_port_msg + MDBA_*: the bridge multicast database (RTM_*MDB, `bridge mdb`), linux/if_bridge.h.
// RTM_NEWMDB/RTM_DELMDB mean two things: requests carry MDBA_SET_ENTRY (+ MDBE_ATTR_*), while
// dump answers and events carry MDBA_MDB/MDBA_ROUTER nests under the same ids.
import {
  MessageSchema,
  NLM_F_REQUEST,
  NetlinkDecodeError,
  NetlinkEncodeError,
  attrMap,
  enumOf,
  flagsOf,
  ipaddr,
  ipv4ToString,
  ipv6ToString,
  macToString,
  nested,
  pad,
  parseIP,
  parseMac,
  registerMessageClass,
  struct,
  u16,
  u32,
  u8,
  vocab,
  type NlaType,
} from '../core/index.js';
import { AF, RTM, RTPROT } from './constants.js';
import { headered } from './types.js';

/** Multicast router types of a port or VLAN (MDB_RTR_TYPE_*; `mcast_router` 0..3). */
export const MDB_RTR_TYPE = {
  MDB_RTR_TYPE_DISABLED: 0,
  MDB_RTR_TYPE_TEMP_QUERY: 1,
  MDB_RTR_TYPE_PERM: 2,
  MDB_RTR_TYPE_TEMP: 3,
} as const;
/** br_mdb_entry.state. */
export const MDB_STATE = { MDB_TEMPORARY: 0, MDB_PERMANENT: 1 } as const;
/** br_mdb_entry.flags. */
export const MDB_FLAGS = {
  MDB_FLAGS_OFFLOAD: 1,
  MDB_FLAGS_FAST_LEAVE: 2,
  MDB_FLAGS_STAR_EXCL: 4,
  MDB_FLAGS_BLOCKED: 8,
} as const;
/** IGMPv3/MLDv2 filter modes (linux/in.h MCAST_EXCLUDE/MCAST_INCLUDE). */
export const MCAST_MODE = { MCAST_EXCLUDE: 0, MCAST_INCLUDE: 1 } as const;

const ETH_P_IP = 0x0800,
  ETH_P_IPV6 = 0x86dd,
  IN6_LEN = 16,
  ETH_ALEN = 6;
const MAC_TEXT = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

/**
 * The group of an entry: the address union (in6_addr wide) and its EtherType, as one value:
 * '239.1.1.1', 'ff0e::1', or a MAC for an L2 group (protocol 0).
 */
export const mdbGroup: NlaType<string> = {
  kind: 'mdb_group',
  size: IN6_LEN + 2,
  nlaFlags: 0,
  decode(b, o, len) {
    if (len < IN6_LEN + 2) throw new NetlinkDecodeError(`mdb group needs ${IN6_LEN + 2} bytes, has ${len}`, o);
    const proto = b.readUInt16BE(o + IN6_LEN);
    if (proto === ETH_P_IP) return ipv4ToString(b, o);
    if (proto === ETH_P_IPV6) return ipv6ToString(b, o);
    return macToString(b, o, ETH_ALEN);
  },
  encode(w, v, ctx) {
    if (typeof v !== 'string') throw new NetlinkEncodeError('mdb group needs an address string', ctx.path);
    const l2 = MAC_TEXT.test(v);
    const a = l2 ? parseMac(v) : parseIP(v);
    w.bytes(a);
    w.zeros(IN6_LEN - a.length);
    const proto = l2 ? 0 : a.length === 4 ? ETH_P_IP : ETH_P_IPV6;
    w.bytes(Uint8Array.of(proto >> 8, proto & 0xff));
  },
  pretty: (v) => v,
};

/** struct br_mdb_entry (4-byte aligned: 26 bytes of fields, 2 of padding). */
export const brMdbEntry = struct('br_mdb_entry', {
  ifindex: u32,
  state: enumOf(u8, MDB_STATE),
  flags: flagsOf(u8, MDB_FLAGS),
  vid: u16,
  addr: mdbGroup,
  __pad: pad(2),
});

/** struct br_port_msg: family and the bridge's index, padded to 8 bytes. */
export const brPortMsgHeader = struct('br_port_msg', { family: enumOf(u8, AF), __pad: pad(3), ifindex: u32 });

const srcAttrs = attrMap('mdba_mdb_srcattr', {
  MDBA_MDB_SRCATTR_ADDRESS: [1, ipaddr],
  MDBA_MDB_SRCATTR_TIMER: [2, u32],
});
const srcList = attrMap('mdba_mdb_srclist', { MDBA_MDB_SRCLIST_ENTRY: [1, nested(srcAttrs)] });

/** Attributes after the br_mdb_entry of MDBA_MDB_ENTRY_INFO. */
export const mdbEattrs = attrMap('mdba_mdb_eattr', {
  MDBA_MDB_EATTR_TIMER: [1, u32],
  MDBA_MDB_EATTR_SRC_LIST: [2, nested(srcList)],
  MDBA_MDB_EATTR_GROUP_MODE: [3, enumOf(u8, MCAST_MODE)],
  MDBA_MDB_EATTR_SOURCE: [4, ipaddr],
  MDBA_MDB_EATTR_RTPROT: [5, enumOf(u8, RTPROT)],
  MDBA_MDB_EATTR_DST: [6, ipaddr],
  MDBA_MDB_EATTR_DST_PORT: [7, u16],
  MDBA_MDB_EATTR_VNI: [8, u32],
  MDBA_MDB_EATTR_IFINDEX: [9, u32],
  MDBA_MDB_EATTR_SRC_VNI: [10, u32],
});
const mdbEntry = attrMap('mdba_mdb_entry', {
  MDBA_MDB_ENTRY_INFO: [
    1,
    headered(
      () => brMdbEntry,
      () => mdbEattrs,
    ),
  ],
});
const mdbList = attrMap('mdba_mdb', { MDBA_MDB_ENTRY: [1, nested(mdbEntry)] });

const routerPortAttrs = attrMap('mdba_router_pattr', {
  MDBA_ROUTER_PATTR_TIMER: [1, u32],
  MDBA_ROUTER_PATTR_TYPE: [2, enumOf(u8, MDB_RTR_TYPE)],
  MDBA_ROUTER_PATTR_INET_TIMER: [3, u32],
  MDBA_ROUTER_PATTR_INET6_TIMER: [4, u32],
  MDBA_ROUTER_PATTR_VID: [5, u16],
});
/** Router ports: each MDBA_ROUTER_PORT is the port's index (u32) followed by its attributes. */
export const mdbRouterAttrs = attrMap('mdba_router', {
  MDBA_ROUTER_PORT: [
    1,
    headered(
      () => routerPortIndex,
      () => routerPortAttrs,
    ),
  ],
});
const routerPortIndex = struct('router_port', { ifindex: u32 });

/** Dump answers and events. */
export const mdbAttrs = attrMap('mdba', {
  MDBA_MDB: [1, nested(mdbList)],
  MDBA_ROUTER: [2, nested(mdbRouterAttrs)],
});

const srcEntryAttrs = attrMap('mdbe_srcattr', { MDBE_SRCATTR_ADDRESS: [1, ipaddr] });
const srcListAttrs = attrMap('mdbe_src_list', { MDBE_SRC_LIST_ENTRY: [1, nested(srcEntryAttrs, { flag: true })] });

/** Options of a request's entry (MDBA_SET_ENTRY_ATTRS). */
export const mdbeAttrs = attrMap('mdbe_attr', {
  MDBE_ATTR_SOURCE: [1, ipaddr],
  MDBE_ATTR_SRC_LIST: [2, nested(srcListAttrs, { flag: true })],
  MDBE_ATTR_GROUP_MODE: [3, enumOf(u8, MCAST_MODE)],
  MDBE_ATTR_RTPROT: [4, enumOf(u8, RTPROT)],
  MDBE_ATTR_DST: [5, ipaddr],
  MDBE_ATTR_DST_PORT: [6, u16],
  MDBE_ATTR_VNI: [7, u32],
  MDBE_ATTR_IFINDEX: [8, u32],
  MDBE_ATTR_SRC_VNI: [9, u32],
  MDBE_ATTR_STATE_MASK: [10, u8],
});

/** Requests: one entry and its options. */
export const mdbSetAttrs = attrMap('mdba_set', {
  MDBA_SET_ENTRY: [1, brMdbEntry],
  MDBA_SET_ENTRY_ATTRS: [2, nested(mdbeAttrs, { flag: true })],
});

const types = { RTM_NEWMDB: RTM.RTM_NEWMDB, RTM_DELMDB: RTM.RTM_DELMDB, RTM_GETMDB: RTM.RTM_GETMDB };

/** Dump answers and RTNLGRP_MDB events. */
export const mdbmsg = new MessageSchema('rtnl.br_port_msg', brPortMsgHeader, mdbAttrs, {
  familyField: 'family',
  types,
});
/** RTM_NEWMDB/RTM_DELMDB requests (and RTM_GETMDB dump requests, which carry no attributes). */
export const mdbSetMsg = new MessageSchema('rtnl.br_port_msg.set', brPortMsgHeader, mdbSetAttrs, {
  familyField: 'family',
  types,
});
registerMessageClass(mdbmsg, mdbSetMsg);

const NLMSG_FLAGS_OFFSET = 6;
/** Requests from user space carry NLM_F_REQUEST; the kernel's answers and events do not. */
const byDirection = (buf: Buffer, off: number): MessageSchema<any, any> =>
  buf.readUInt16LE(off + NLMSG_FLAGS_OFFSET) & NLM_F_REQUEST ? mdbSetMsg : mdbmsg;

/** Marshal policy entries of this file (spread by marshal.ts). */
export const policy: Record<number, MessageSchema<any, any> | typeof byDirection> = {
  [RTM.RTM_NEWMDB]: byDirection,
  [RTM.RTM_DELMDB]: byDirection,
  // Dump answers come back as RTM_GETMDB.
  [RTM.RTM_GETMDB]: byDirection,
};

// ---- vocabularies --------------------------------------------------------------------------

/**
 * One group membership: `{ port, group: '239.1.1.1', vid, state: 'permanent', source, filterMode,
 * sourceList, protocol, timer }`. The bridge is the message's ifindex (read by hand).
 */
export const mdbVocab = vocab('mdb', mdbEattrs, brMdbEntry, {
  fields: { port: 'ifindex', state: 'state', flags: 'flags', vid: 'vid', group: 'addr' },
  attrs: {
    timer: 'MDBA_MDB_EATTR_TIMER',
    sourceList: 'MDBA_MDB_EATTR_SRC_LIST',
    filterMode: 'MDBA_MDB_EATTR_GROUP_MODE',
    source: 'MDBA_MDB_EATTR_SOURCE',
    protocol: 'MDBA_MDB_EATTR_RTPROT',
  },
  // `bridge mdb` spells them so.
  aliases: { grp: 'group', src: 'source', filter_mode: 'filterMode', source_list: 'sourceList', proto: 'protocol' },
  readOnly: ['timer', 'flags'],
  convert: {
    sourceList: (v: { getAttrs(n: string): { getAttr(n: string): unknown }[] }) =>
      v.getAttrs('MDBA_MDB_SRCLIST_ENTRY').map((e) => ({
        address: e.getAttr('MDBA_MDB_SRCATTR_ADDRESS'),
        timer: e.getAttr('MDBA_MDB_SRCATTR_TIMER'),
      })),
  },
});

/** A multicast router port: `{ port, type: 'temp_query', timer, inetTimer, inet6Timer, vid }`. */
export const mdbRouterVocab = vocab('mdb router', routerPortAttrs, routerPortIndex, {
  fields: { port: 'ifindex' },
  attrs: {
    timer: 'MDBA_ROUTER_PATTR_TIMER',
    type: 'MDBA_ROUTER_PATTR_TYPE',
    inetTimer: 'MDBA_ROUTER_PATTR_INET_TIMER',
    inet6Timer: 'MDBA_ROUTER_PATTR_INET6_TIMER',
    vid: 'MDBA_ROUTER_PATTR_VID',
  },
});
