// The NETLINK_ROUTE marshal: which class decodes which RTM_* type. Each schema file exports
// its `policy` entries; add a file's entries with one import line and one spread below.
import { Marshal, NETLINK_ROUTE, registerProtocol, type SchemaSelector } from '../core/index.js';
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
};

/** A fresh marshal for a NETLINK_ROUTE socket. */
export const rtnlMarshal = (): Marshal => new Marshal(rtnlPolicy);

registerProtocol(NETLINK_ROUTE, 'NETLINK_ROUTE', rtnlMarshal);
