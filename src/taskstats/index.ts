// TaskStats: per-task accounting over generic netlink.
export * from './constants.js';
export * from './taskstats_msg.js';
export * from './exittap.js';
export * from './taskstats.js';
