// The NETLINK_ROUTE marshal: which class decodes which RTM_* type. Each schema file exports
// its `policy` entries; add a file's entries with one import line and one spread below.
import {
  Marshal,
  MessageSchema,
  NETLINK_ROUTE,
  NLMSG_HDRLEN,
  attrMap,
  registerMessageClass,
  registerProtocol,
  struct,
  u8,
  type SchemaSelector,
} from '../core/index.js';
import { RTM } from './constants.js';
import { policy as ifaddrPolicy } from './ifaddrmsg.js';
import { policy as ifinfPolicy } from './ifinfmsg.js';
import { policy as rtPolicy } from './rtmsg.js';
import { policy as ndPolicy } from './ndmsg.js';
import { policy as fibPolicy } from './fibrulemsg.js';
import { policy as tcPolicy } from './tcmsg.js';
import { policy as nsidPolicy } from './nsidmsg.js';
import { policy as netconfPolicy } from './netconfmsg.js';
import { policy as nhPolicy } from './nhmsg.js';
import { policy as tcaPolicy } from './tcamsg.js';
import { policy as brvlanPolicy } from './brvlanmsg.js';
import { policy as mdbPolicy } from './mdbmsg.js';

/** Every rtnetlink class nlroute knows, by message type. */
export const rtnlPolicy: Record<number, SchemaSelector> = {
  ...ifinfPolicy,
  ...ifaddrPolicy,
  ...rtPolicy,
  ...ndPolicy,
  ...fibPolicy,
  ...tcPolicy,
  ...nsidPolicy,
  ...netconfPolicy,
  ...nhPolicy,
  ...tcaPolicy,
  ...brvlanPolicy,
  ...mdbPolicy,
};

/** Old tools (busybox ip, early iproute2) dump with a bare rtgenmsg instead of the type's header. */
export const rtgenmsg = new MessageSchema('rtnl.rtgenmsg', struct('rtgenmsg', { family: u8 }), attrMap('rtgen', {}), {
  familyField: 'family',
  types: Object.fromEntries(Object.entries(RTM).filter(([k]) => k.startsWith('RTM_GET'))),
});
registerMessageClass(rtgenmsg);

/** A GET request shorter than its class's header is a legacy rtgenmsg request. */
function legacyGet(sel: SchemaSelector): SchemaSelector {
  return (buf, off) => {
    const schema = typeof sel === 'function' ? sel(buf, off) : sel;
    const payload = buf.readUInt32LE(off) - NLMSG_HDRLEN;
    return schema && payload < schema.headerSize && payload <= rtgenmsg.headerSize ? rtgenmsg : schema;
  };
}

const policyWithLegacy: Record<number, SchemaSelector> = Object.fromEntries(
  Object.entries(rtnlPolicy).map(([t, sel]) => [t, rtmName(Number(t)).startsWith('RTM_GET') ? legacyGet(sel) : sel]),
);

function rtmName(type: number): string {
  return Object.entries(RTM).find(([, v]) => v === type)?.[0] ?? '';
}

/** A fresh marshal for a NETLINK_ROUTE socket. */
export const rtnlMarshal = (): Marshal => new Marshal(policyWithLegacy);

registerProtocol(NETLINK_ROUTE, 'NETLINK_ROUTE', rtnlMarshal);
