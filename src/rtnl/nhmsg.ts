// nhmsg + NHA_*: nexthop objects (RTM_*NEXTHOP, `ip nexthop`), linux/nexthop.h.
import {
  MessageSchema,
  arrayOf,
  attrMap,
  enumOf,
  OPEN,
  flag,
  flagsOf,
  ipaddr,
  nested,
  pad,
  registerMessageClass,
  struct,
  u16,
  u32,
  u64,
  u8,
} from '../core/index.js';
import { AF, LWTUNNEL_ENCAP, RTM, RTNH_F, RTPROT, RT_SCOPE } from './constants.js';
import { encaps } from './rtmsg.js';
import { selectBy } from './types.js';

export const NEXTHOP_GRP_TYPE = { NEXTHOP_GRP_TYPE_MPATH: 0, NEXTHOP_GRP_TYPE_RES: 1 } as const;

/** struct nhmsg. */
export const nhmsgHeader = struct('nhmsg', {
  family: enumOf(u8, AF),
  scope: enumOf(u8, RT_SCOPE, OPEN),
  protocol: enumOf(u8, RTPROT, OPEN),
  __resvd: pad(1),
  flags: flagsOf(u32, RTNH_F),
});

/** struct nexthop_grp: one member of a group and its weight (sent as weight - 1). */
export const nexthopGrp = struct('nexthop_grp', { id: u32, weight: u8, __resvd1: pad(1), __resvd2: pad(2) });

const resGroup = attrMap('nha_res_group', {
  NHA_RES_GROUP_PAD: [0, pad(0)],
  NHA_RES_GROUP_BUCKETS: [1, u16],
  NHA_RES_GROUP_IDLE_TIMER: [2, u32],
  NHA_RES_GROUP_UNBALANCED_TIMER: [3, u32],
  NHA_RES_GROUP_UNBALANCED_TIME: [4, u64],
});
const resBucket = attrMap('nha_res_bucket', {
  NHA_RES_BUCKET_PAD: [0, pad(0)],
  NHA_RES_BUCKET_INDEX: [1, u16],
  NHA_RES_BUCKET_IDLE_TIME: [2, u64],
  NHA_RES_BUCKET_NH_ID: [3, u32],
});

export const nhaAttrs = attrMap('nha', {
  NHA_ID: [1, u32],
  NHA_GROUP: [2, arrayOf(nexthopGrp)],
  NHA_GROUP_TYPE: [3, enumOf(u16, NEXTHOP_GRP_TYPE)],
  NHA_BLACKHOLE: [4, flag],
  NHA_OIF: [5, u32],
  // IPv4 or IPv6 by the header's family: told apart by length.
  NHA_GATEWAY: [6, ipaddr],
  NHA_ENCAP_TYPE: [7, enumOf(u16, LWTUNNEL_ENCAP)],
  NHA_ENCAP: [8, selectBy((get) => get('NHA_ENCAP_TYPE'), encaps, { flag: true })],
  NHA_GROUPS: [9, flag],
  NHA_MASTER: [10, u32],
  NHA_FDB: [11, flag],
  NHA_RES_GROUP: [12, nested(resGroup, { flag: true })],
  NHA_RES_BUCKET: [13, nested(resBucket, { flag: true })],
});

export const nhmsg = new MessageSchema('rtnl.nhmsg', nhmsgHeader, nhaAttrs, {
  familyField: 'family',
  types: {
    RTM_NEWNEXTHOP: RTM.RTM_NEWNEXTHOP,
    RTM_DELNEXTHOP: RTM.RTM_DELNEXTHOP,
    RTM_GETNEXTHOP: RTM.RTM_GETNEXTHOP,
    RTM_NEWNEXTHOPBUCKET: RTM.RTM_NEWNEXTHOPBUCKET,
    RTM_DELNEXTHOPBUCKET: RTM.RTM_DELNEXTHOPBUCKET,
    RTM_GETNEXTHOPBUCKET: RTM.RTM_GETNEXTHOPBUCKET,
  },
});
registerMessageClass(nhmsg);

/** Marshal policy entries of this file (spread by marshal.ts). */
export const policy: Record<number, MessageSchema<any, any>> = {
  [RTM.RTM_NEWNEXTHOP]: nhmsg,
  [RTM.RTM_DELNEXTHOP]: nhmsg,
  [RTM.RTM_GETNEXTHOP]: nhmsg,
  [RTM.RTM_NEWNEXTHOPBUCKET]: nhmsg,
  [RTM.RTM_DELNEXTHOPBUCKET]: nhmsg,
  [RTM.RTM_GETNEXTHOPBUCKET]: nhmsg,
};
