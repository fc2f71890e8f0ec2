// IPVS (IP Virtual Server) over generic netlink: message classes for the decoder.
export * from './constants.js';
export * from './ipvs_msg.js';
