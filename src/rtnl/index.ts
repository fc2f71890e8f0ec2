// nlroute/rtnl: rtnetlink constants, message classes, link kinds and the IPRoute class.
// Schema files each export `policy` (their marshal entries), so they are re-exported by name.
export * from './constants.js';
export * from './types.js';
export * from './kinds/index.js';
export {
  ifinfmsg,
  ifinfomsgHeader,
  iflaAttrs,
  inet6Attrs,
  bridgeAfAttrs,
  rtnlLinkStats,
  rtnlLinkStats64,
  rtnlLinkIfmap,
  linkVocab,
  stats64Vocab,
  linkReadOnly,
  type IfinfMessage,
} from './ifinfmsg.js';
export { ifaddrmsg, ifaddrmsgHeader, ifaAttrs, ifaCacheinfo, addrVocab, type IfaddrMessage } from './ifaddrmsg.js';
export {
  rtmsg,
  rtmsgHeader,
  rtaAttrs,
  rtaxAttrs,
  SEG6_IPTUN_MODE,
  routeVocab,
  metricsVocab,
  nexthopVocab,
  type RtMessage,
} from './rtmsg.js';
export * from './records.js';
export {
  toIpJson,
  linkJSON,
  addrInfoJSON,
  routeJSON,
  neighJSON,
  ruleJSON,
  linkFlags,
  type IpJsonOptions,
} from './ipjson.js';
export * from './marshal.js';
export * from './spec.js';
export * from './link.js';
export * from './addr.js';
export * from './route.js';
export * from './iproute.js';
// Part B: neighbours/FDB, rules, traffic control, nsid, netconf.
export {
  ndmsg,
  ndmsgHeader,
  ndaMap,
  ndaCacheinfo,
  NUD,
  NTF,
  NTF_EXT,
  nudByName,
  neighVocab,
  fdbVocab,
} from './ndmsg.js';
export { fibmsg, fibRuleHeader, fraMap, FR_ACT, FIB_RULE, frActByName, ruleVocab } from './fibrulemsg.js';
export { tcmsg, tcmsgHeader, tcaMap, RTNLGRP_TC, tcVocab } from './tcmsg.js';
export { nsidmsg, netnsaMap, NETNSA_NSID_NOT_ASSIGNED, nsidVocab } from './nsidmsg.js';
export { netconfmsg, netconfaMap, NETCONFA_IFINDEX_ALL, NETCONFA_IFINDEX_DEFAULT, netconfVocab } from './netconfmsg.js';
export { getNetconf, netconfRecord, type NetconfFilter, type NetconfMessage, type NetconfRecord } from './netconf.js';
export * as tckinds from './tc/index.js';
export * from './rate.js';
export { neigh, getNeighbours, type NeighSpec, type NeighMessage } from './neigh.js';
export { fdb, getFdb, type FdbSpec } from './fdb.js';
export {
  rule,
  getRules,
  ruleTable,
  ruleRecord,
  checkRuleSpec,
  type RuleSpec,
  type RuleMessage,
  type RuleRecord,
  type RuleCmd,
  type RuleRange,
  type RuleAction,
  type TableRef,
} from './rule.js';
export {
  tc,
  tcRequest,
  getQdiscs,
  getClasses,
  getFilters,
  filterKey,
  parseU32Handle,
  type TcBaseSpec,
  type TcMessage,
  type TcCmd,
  type TcVerb,
  type TcSpecOf,
  type QdiscFilter,
} from './tc.js';
export { tcRecord, type TcRecord, type TcStats } from './tcrecord.js';
export { nsid, getNsids, subscribeNsid, nsidRecord, type NsidSpec, type NsidMessage, type NsidRecord } from './nsid.js';
export { getChains, estimator, TCM_IFINDEX_MAGIC_BLOCK } from './tc.js';
export { tcamsg, tcaRootMap, TCA_ACT_FLAG } from './tcamsg.js';
export { tcAction, type TcActionMessage } from './tcaction.js';
export { nhmsg, nhmsgHeader, nhaAttrs, nexthopGrp, NEXTHOP_GRP_TYPE } from './nhmsg.js';
export {
  nexthop,
  getNexthops,
  parseGroup,
  type NexthopSpec,
  type NexthopFilter,
  type NexthopMessage,
  type NexthopGroupMember,
} from './nexthop.js';
export { bridgeVlan, getBridgeVlans, type BridgeVlanSpec, type BridgeVlanRecord } from './brvlan.js';
export * from './brvlanmsg.js';
export {
  brvlan,
  brvlanGlobal,
  dumpBrVlans,
  brvlanRecords,
  brvlanGlobalRecords,
  checkBrVlanSpec,
  checkBrVlanGlobalSpec,
  type BrVlanMessage,
  type BrVlanSpec,
  type BrVlanRecord,
  type BrVlanGlobalSpec,
  type BrVlanGlobalRecord,
} from './brvlandb.js';
export {
  MDB_RTR_TYPE,
  MDB_STATE,
  MDB_FLAGS,
  MCAST_MODE,
  mdbmsg,
  mdbSetMsg,
  mdbVocab,
  mdbRouterVocab,
  brMdbEntry,
  brPortMsgHeader,
  mdbGroup,
} from './mdbmsg.js';
export {
  mdb,
  dumpMdb,
  mdbRecords,
  mdbRouterRecords,
  checkMdbSpec,
  type MdbCmd,
  type MdbMessage,
  type MdbSpec,
  type MdbRecord,
  type MdbRouterRecord,
  type MdbSource,
} from './mdb.js';
