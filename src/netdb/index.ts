// nlroute/netdb: a live, exact view of the network with planned, verified, reversible changes.
export { NetDB, NETDB_PROTO, type NetDBOptions, type WatchFilter } from './netdb.js';
export { Source, type Change, type SourceOptions } from './source.js';
export { Watch, WatchOverflowError } from './watch.js';
export { Tx, VerifyError, type ApplyOptions, type ApplyResult } from './apply.js';
export { PlanError, type Plan, type Step, type StepRequest } from './plan.js';
export type {
  Desired,
  DesiredAddress,
  DesiredLink,
  DesiredNeighbour,
  DesiredRoute,
  DesiredRule,
  IfName,
} from './desired.js';
export {
  TABLES,
  addrKey,
  linkRecord,
  addrRecord,
  routeRecord,
  neighRecord,
  ruleRecord,
  routeKey,
  recordJSON,
  type AddrRecord,
  type AnyRecord,
  type LinkRecord,
  type NeighRecord,
  type NexthopRecord,
  type RecordOf,
  type RouteRecord,
  type RuleRecord,
  type TableName,
} from './records.js';
