// ipset's message classes: nfgenmsg + attributes, declared as data. Nested attributes carry
// NLA_F_NESTED and big-endian values NLA_F_NET_BYTEORDER, exactly as ipset(8) sends them.
// IPSET_ATTR_DATA holds create-space attributes in CREATE/LIST/HEADER messages and
// ADT-space ones in ADD/DEL/TEST messages (the ids overlap), hence two classes.
import {
  AttrSet,
  MessageSchema,
  NLA_F_NESTED,
  NetlinkDecodeError,
  NetlinkEncodeError,
  align4,
  asciiz,
  attrMap,
  be16,
  be32,
  be64,
  binary,
  enumOf,
  flagsOf,
  l2addr,
  nested,
  netorder,
  registerMessageClass,
  u8,
  ipv4,
  ipv6,
  type AttrDecl,
  type AttrInput,
  type AttrMap,
  type NlaType,
} from '../core/index.js';
import {
  IPSET_CADT_FLAGS,
  IPSET_CMD,
  IPSET_CMD_ADD,
  IPSET_CMD_DEL,
  IPSET_CMD_TEST,
  IPSET_CMD_FLAGS,
  NFPROTO,
} from './constants.js';
import { NFNL_SUBSYS_IPSET, nfgenmsg, nfnlType, registerNfnlSubsystem } from './nfnetlink.js';

/** An address inside IPSET_ATTR_IP and friends. */
export const ipsetIpaddr = attrMap('ipset_ipaddr', {
  IPSET_ATTR_IPADDR_IPV4: [1, netorder(ipv4)],
  IPSET_ATTR_IPADDR_IPV6: [2, netorder(ipv6)],
});
const ipaddrNest = nested(ipsetIpaddr, { flag: true });
const n16 = netorder(be16);
const n32 = netorder(be32);
const n64 = netorder(be64);
const cadtFlags = netorder(flagsOf(be32, IPSET_CADT_FLAGS));

// Attributes both spaces share (ids 1..16).
const cadtCommon = {
  IPSET_ATTR_IP: [1, ipaddrNest],
  IPSET_ATTR_IP_TO: [2, ipaddrNest],
  IPSET_ATTR_CIDR: [3, u8],
  IPSET_ATTR_PORT: [4, n16],
  IPSET_ATTR_PORT_TO: [5, n16],
  IPSET_ATTR_TIMEOUT: [6, n32],
  IPSET_ATTR_PROTO: [7, u8],
  IPSET_ATTR_CADT_FLAGS: [8, cadtFlags],
  IPSET_ATTR_LINENO: [9, n32],
  IPSET_ATTR_MARK: [10, n32],
  IPSET_ATTR_MARKMASK: [11, n32],
  IPSET_ATTR_BITMASK: [12, ipaddrNest],
} as const satisfies AttrDecl;

/** IPSET_ATTR_DATA of CREATE requests and of set headers in LIST/SAVE/HEADER answers. */
export const ipsetCreateData = attrMap('ipset_create_data', {
  ...cadtCommon,
  IPSET_ATTR_INITVAL: [17, n32],
  IPSET_ATTR_HASHSIZE: [18, n32],
  IPSET_ATTR_MAXELEM: [19, n32],
  IPSET_ATTR_NETMASK: [20, u8],
  IPSET_ATTR_BUCKETSIZE: [21, u8],
  IPSET_ATTR_RESIZE: [22, u8],
  IPSET_ATTR_SIZE: [23, n32],
  IPSET_ATTR_ELEMENTS: [24, n32],
  IPSET_ATTR_REFERENCES: [25, n32],
  IPSET_ATTR_MEMSIZE: [26, n32],
});

/** IPSET_ATTR_DATA of ADD/DEL/TEST requests and of each listed element. */
export const ipsetAdtData = attrMap('ipset_adt_data', {
  ...cadtCommon,
  IPSET_ATTR_ETHER: [17, l2addr],
  IPSET_ATTR_NAME: [18, asciiz],
  IPSET_ATTR_NAMEREF: [19, asciiz],
  IPSET_ATTR_IP2: [20, ipaddrNest],
  IPSET_ATTR_CIDR2: [21, u8],
  IPSET_ATTR_IP2_TO: [22, ipaddrNest],
  IPSET_ATTR_IFACE: [23, asciiz],
  IPSET_ATTR_BYTES: [24, n64],
  IPSET_ATTR_PACKETS: [25, n64],
  IPSET_ATTR_COMMENT: [26, asciiz],
  IPSET_ATTR_SKBMARK: [27, n64],
  IPSET_ATTR_SKBPRIO: [28, n32],
  IPSET_ATTR_SKBQUEUE: [29, n16],
  IPSET_ATTR_PAD: [30, binary],
});

/**
 * IPSET_ATTR_ADT: a container of elements, every child an IPSET_ATTR_DATA (id 7, nested).
 * Decodes to the children's views; encodes from a list of attribute inputs.
 */
export function adtList<D extends AttrDecl>(map: AttrMap<D>): NlaType<AttrSet<D>[], (AttrInput<D> | AttrSet<D>)[]> {
  const child = nested(map, { flag: true });
  return {
    kind: 'ipset adt[]',
    size: 0,
    nlaFlags: NLA_F_NESTED,
    decode(b, o, len, owner) {
      const out: AttrSet<D>[] = [];
      const end = o + len;
      for (let p = o; p + 4 <= end; ) {
        const l = b.readUInt16LE(p);
        if (l < 4 || p + l > end) throw new NetlinkDecodeError(`attribute length ${l} invalid in IPSET_ATTR_ADT`, p);
        out.push(new AttrSet(b, p + 4, p + l, map, owner));
        p += align4(l);
      }
      return out;
    },
    encode(w, v, ctx) {
      if (!Array.isArray(v)) throw new NetlinkEncodeError('IPSET_ATTR_ADT needs an array of elements', ctx.path);
      v.forEach((x, i) => {
        const at = w.reserve(4);
        child.encode(w, x, { ...ctx, path: `${ctx.path}[${i}]` });
        w.buf.writeUInt16LE(w.pos - at, at);
        w.buf.writeUInt16LE(7 | NLA_F_NESTED, at + 2);
        w.pad4();
      });
    },
    pretty: (v) => v.map((x) => x.attrsJSON()),
  };
}

const cmdCommon = {
  IPSET_ATTR_PROTOCOL: [1, u8],
  IPSET_ATTR_SETNAME: [2, asciiz],
  IPSET_ATTR_TYPENAME: [3, asciiz],
  IPSET_ATTR_SETNAME2: [3, asciiz],
  IPSET_ATTR_REVISION: [4, u8],
  IPSET_ATTR_FAMILY: [5, enumOf(u8, NFPROTO)],
  IPSET_ATTR_FLAGS: [6, netorder(flagsOf(be32, IPSET_CMD_FLAGS))],
  IPSET_ATTR_ADT: [8, adtList(ipsetAdtData)],
  IPSET_ATTR_LINENO: [9, n32],
  IPSET_ATTR_PROTOCOL_MIN: [10, u8],
  IPSET_ATTR_REVISION_MIN: [10, u8],
  IPSET_ATTR_INDEX: [11, n16],
} as const satisfies AttrDecl;

/** Command-level attributes; DATA in the create space. */
export const ipsetAttrs = attrMap('ipset_attrs', {
  ...cmdCommon,
  IPSET_ATTR_DATA: [7, nested(ipsetCreateData, { flag: true })],
});

/** Command-level attributes of ADD/DEL/TEST; DATA in the ADT space. */
export const ipsetAdtAttrs = attrMap('ipset_adt_attrs', {
  ...cmdCommon,
  IPSET_ATTR_DATA: [7, nested(ipsetAdtData, { flag: true })],
});

const types: Record<string, number> = {};
for (const [name, cmd] of Object.entries(IPSET_CMD)) if (cmd) types[name] = nfnlType(NFNL_SUBSYS_IPSET, cmd);

/** Every ipset message except ADD/DEL/TEST. */
export const ipsetMsg = new MessageSchema('ipset.ipset_msg', nfgenmsg, ipsetAttrs, { types });
/** ADD, DEL and TEST. */
export const ipsetAdtMsg = new MessageSchema('ipset.ipset_adt_msg', nfgenmsg, ipsetAdtAttrs, { types });
registerMessageClass(ipsetMsg, ipsetAdtMsg);

/** The message class of an ipset command. */
export function ipsetSchemaFor(cmd: number): MessageSchema<any, any> {
  return cmd === IPSET_CMD_ADD || cmd === IPSET_CMD_DEL || cmd === IPSET_CMD_TEST ? ipsetAdtMsg : ipsetMsg;
}

/** nlmsg_type of an ipset command. */
export const ipsetType = (cmd: number): number => nfnlType(NFNL_SUBSYS_IPSET, cmd);

const byCmd: Record<number, MessageSchema<any, any>> = {};
for (const cmd of Object.values(IPSET_CMD)) if (cmd) byCmd[cmd] = ipsetSchemaFor(cmd);
registerNfnlSubsystem(NFNL_SUBSYS_IPSET, 'ipset', byCmd);

/** The ipset message policy, as [nlmsg_type, class] pairs (for a Marshal of your own). */
export function ipsetPolicy(): [number, MessageSchema<any, any>][] {
  return Object.entries(byCmd).map(([cmd, schema]) => [ipsetType(Number(cmd)), schema]);
}
