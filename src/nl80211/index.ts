// nl80211: the kernel's wireless configuration API (cfg80211) over generic netlink.
export * from './constants.js';
export * from './suites.js';
export * from './ies.js';
export * from './types.js';
export * from './attrs.js';
export * from './nl80211cmd.js';
export * from './names.js';
export * from './split.js';
export * from './info.js';
export * from './errors.js';
export * from './iw.js';
