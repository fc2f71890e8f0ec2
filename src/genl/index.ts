// Generic netlink: the genl header and schema helpers, nlctrl, and sockets that speak in family names.
export * from './constants.js';
export * from './genlmsg.js';
export * from './idnest.js';
export * from './ctrlmsg.js';
export * from './errors.js';
export * from './family.js';
export * from './policy.js';
export * from './marshal.js';
export * from './socket.js';
export * from './genl.js';
