// nlroute/rtnl: rtnetlink constants, message classes, link kinds and the IPRoute class.
// Schema files each export `policy` (their marshal entries), so they are re-exported by name.
export * from './constants.js';
export * from './types.js';
export * from './kinds/index.js';
export {
  ifinfmsg, ifinfomsgHeader, iflaAttrs, inet6Attrs, bridgeAfAttrs, rtnlLinkStats, rtnlLinkStats64, rtnlLinkIfmap,
  type IfinfMessage,
} from './ifinfmsg.js';
export { ifaddrmsg, ifaddrmsgHeader, ifaAttrs, ifaCacheinfo, type IfaddrMessage } from './ifaddrmsg.js';
export { rtmsg, rtmsgHeader, rtaAttrs, rtaxAttrs, SEG6_IPTUN_MODE, type RtMessage } from './rtmsg.js';
export * from './marshal.js';
export * from './spec.js';
export * from './link.js';
export * from './addr.js';
export * from './route.js';
export * from './iproute.js';
