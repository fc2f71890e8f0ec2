// nlroute: netlink for Node.js. The root loads a protocol only when one of its classes is
// first used (`new IPRoute()` loads rtnl); the core (sockets, codec) is small and loaded here.
import { lazyClass } from './lazy.js';
import type * as rtnl from './rtnl/index.js';
import type * as netns from './netns/index.js';
import type * as ipset from './ipset/index.js';
import type * as genl from './genl/index.js';
import type * as taskstats from './taskstats/index.js';
import type * as nl80211 from './nl80211/index.js';
import type * as netdb from './netdb/index.js';

export * from './core/index.js';

/** rtnetlink: links, addresses, routes, neighbours, rules, traffic control. */
export const IPRoute = lazyClass<typeof rtnl.IPRoute>('./rtnl/index.js', 'IPRoute');
export type IPRoute = rtnl.IPRoute;
/** An IPRoute whose sockets live in a named network namespace. */
export const NetNS = lazyClass<typeof netns.NetNS>('./netns/index.js', 'NetNS');
export type NetNS = netns.NetNS;
/** nfnetlink ipset. */
export const IPSet = lazyClass<typeof ipset.IPSet>('./ipset/index.js', 'IPSet');
export type IPSet = ipset.IPSet;
/** Generic netlink: families, resolution by name. */
export const GenericNetlink = lazyClass<typeof genl.GenericNetlink>('./genl/index.js', 'GenericNetlink');
export type GenericNetlink = genl.GenericNetlink;
/** Per-task accounting. */
export const TaskStats = lazyClass<typeof taskstats.TaskStats>('./taskstats/index.js', 'TaskStats');
export type TaskStats = taskstats.TaskStats;
/** nl80211 wireless. */
export const IW = lazyClass<typeof nl80211.IW>('./nl80211/index.js', 'IW');
export type IW = nl80211.IW;
/** A live, exact view of the network with verified, reversible changes (`await NetDB.open()`). */
// Its constructor is private (a view is made loaded, by open()), hence the cast.
export const NetDB = lazyClass<abstract new () => unknown>('./netdb/index.js', 'NetDB') as unknown as typeof netdb.NetDB;
export type NetDB = netdb.NetDB;
