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
// Constants, entry helpers and error classes of rtnl, ipset and genl come from small modules
// that declare no message class, so importing the root still loads no protocol
// (test/package.test.ts). nl80211's 122 generated tables and taskstats' constants stay in their
// subpaths: they cost more start-up than all the others together.
export * from './rtnl/constants.js';
export * from './ipset/constants.js';
export * from './genl/constants.js';
// Both core and rtnl name these (same values): the root takes core's.
export { AF_UNSPEC, AF_INET, AF_INET6, AF_BRIDGE, AF_MPLS, AF_PACKET } from './core/constants.js';
export { PortEntry, PortRange, IPRange } from './ipset/parts.js';
export { IPSetError, IPSetRestoreError, IPSetSyntaxError, IPSetUnsupportedError } from './ipset/errors.js';
export { GenlFamilyNotFoundError, GenlGroupNotFoundError } from './genl/errors.js';
// Every protocol's types (records, specs, messages): types only, nothing is loaded for them.
export type * from './rtnl/index.js';
export type * from './ipset/index.js';
export type * from './genl/index.js';
export type * from './taskstats/index.js';
export type * from './nl80211/index.js';
export type * from './netns/index.js';

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

// Error classes of the other protocols load their protocol when first used (`instanceof` too).
export const Nl80211Error = lazyClass<typeof nl80211.Nl80211Error>('./nl80211/index.js', 'Nl80211Error');
export type Nl80211Error = nl80211.Nl80211Error;
export const Nl80211UnavailableError = lazyClass<typeof nl80211.Nl80211UnavailableError>(
  './nl80211/index.js',
  'Nl80211UnavailableError',
);
export type Nl80211UnavailableError = nl80211.Nl80211UnavailableError;
export const ScanAbortedError = lazyClass<typeof nl80211.ScanAbortedError>('./nl80211/index.js', 'ScanAbortedError');
export type ScanAbortedError = nl80211.ScanAbortedError;
export const ConnectFailedError = lazyClass<typeof nl80211.ConnectFailedError>(
  './nl80211/index.js',
  'ConnectFailedError',
);
export type ConnectFailedError = nl80211.ConnectFailedError;
export const DisconnectedError = lazyClass<typeof nl80211.DisconnectedError>('./nl80211/index.js', 'DisconnectedError');
export type DisconnectedError = nl80211.DisconnectedError;
export const TaskStatsNamespaceError = lazyClass<typeof taskstats.TaskStatsNamespaceError>(
  './taskstats/index.js',
  'TaskStatsNamespaceError',
);
export type TaskStatsNamespaceError = taskstats.TaskStatsNamespaceError;
export const NetnsExecError = lazyClass<typeof netns.NetnsExecError>('./netns/index.js', 'NetnsExecError');
export type NetnsExecError = netns.NetnsExecError;

/** A live, exact view of the network with verified, reversible changes (`await NetDB.open()`). */
// Its constructor is private (a view is made loaded, by open()), hence the cast.
export const NetDB = lazyClass<abstract new () => unknown>(
  './netdb/index.js',
  'NetDB',
) as unknown as typeof netdb.NetDB;
export type NetDB = netdb.NetDB;
