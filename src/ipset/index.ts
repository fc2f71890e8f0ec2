// nlroute/ipset: ipset over nfnetlink (NETLINK_NETFILTER, subsystem IPSET).
export * from './constants.js';
export * from './errors.js';
export * from './nfnetlink.js';
export * from './ipset_msg.js';
export * from './types.js';
export * from './names.js';
export * from './entries.js';
export * from './encode.js';
export * from './entry.js';
export * from './create.js';
export * from './listing.js';
export * from './bulk.js';
export * from './ipset.js';
export * from './save.js';
export * from './record.js';
