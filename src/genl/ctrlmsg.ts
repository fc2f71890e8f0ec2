// nlctrl, the generic netlink controller (family 0x10): families, their commands,
// multicast groups and attribute policies.
import {
  asciiz,
  attrMap,
  enumOf,
  flagsOf,
  hex,
  nested,
  nestedArray,
  registerMessageClass,
  s64,
  u16,
  u32,
  u64,
} from '../core/index.js';
import { CTRL_CMD, GENL_ID_CTRL, GENL_OP_FLAGS, NL_ATTR_TYPE } from './constants.js';
import { genlSchema } from './genlmsg.js';
import { idNest } from './idnest.js';

export const ctrlOpAttrs = attrMap('ctrl_attr_op', {
  CTRL_ATTR_OP_ID: [1, u32],
  CTRL_ATTR_OP_FLAGS: [2, flagsOf(u32, GENL_OP_FLAGS)],
});

export const ctrlMcastGrpAttrs = attrMap('ctrl_attr_mcast_grp', {
  CTRL_ATTR_MCAST_GRP_NAME: [1, asciiz],
  CTRL_ATTR_MCAST_GRP_ID: [2, u32],
});

/** One attribute's policy (enum netlink_policy_type_attr). */
export const policyTypeAttrs = attrMap('nl_policy_type_attr', {
  NL_POLICY_TYPE_ATTR_TYPE: [1, enumOf(u32, NL_ATTR_TYPE)],
  NL_POLICY_TYPE_ATTR_MIN_VALUE_S: [2, s64],
  NL_POLICY_TYPE_ATTR_MAX_VALUE_S: [3, s64],
  NL_POLICY_TYPE_ATTR_MIN_VALUE_U: [4, u64],
  NL_POLICY_TYPE_ATTR_MAX_VALUE_U: [5, u64],
  NL_POLICY_TYPE_ATTR_MIN_LENGTH: [6, u32],
  NL_POLICY_TYPE_ATTR_MAX_LENGTH: [7, u32],
  NL_POLICY_TYPE_ATTR_POLICY_IDX: [8, u32],
  NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE: [9, u32],
  NL_POLICY_TYPE_ATTR_BITFIELD32_MASK: [10, u32],
  NL_POLICY_TYPE_ATTR_PAD: [11, hex],
  NL_POLICY_TYPE_ATTR_MASK: [12, u64],
});

/** Which policy (by index in the same dump) a command's do and dump handlers use. */
export const ctrlOpPolicyAttrs = attrMap('ctrl_attr_policy', {
  CTRL_ATTR_POLICY_DO: [1, u32],
  CTRL_ATTR_POLICY_DUMP: [2, u32],
});

export const ctrlAttrs = attrMap('ctrl_attr', {
  CTRL_ATTR_FAMILY_ID: [1, u16],
  CTRL_ATTR_FAMILY_NAME: [2, asciiz],
  CTRL_ATTR_VERSION: [3, u32],
  CTRL_ATTR_HDRSIZE: [4, u32],
  CTRL_ATTR_MAXATTR: [5, u32],
  // The kernel numbers op and group entries 1..n; the numbers carry no meaning.
  CTRL_ATTR_OPS: [6, nestedArray(nested(ctrlOpAttrs))],
  CTRL_ATTR_MCAST_GROUPS: [7, nestedArray(nested(ctrlMcastGrpAttrs))],
  // policy index -> attribute type -> that attribute's policy
  CTRL_ATTR_POLICY: [8, idNest(idNest(nested(policyTypeAttrs, { flag: true }), { flag: true }), { flag: true })],
  // command -> { do, dump } policy indexes
  CTRL_ATTR_OP_POLICY: [9, idNest(nested(ctrlOpPolicyAttrs, { flag: true }), { flag: true })],
  CTRL_ATTR_OP: [10, u32],
});

/** Every nlctrl message (requests, answers, notify group events). */
export const ctrlmsg = genlSchema('genl.ctrlmsg', ctrlAttrs, CTRL_CMD, { types: { GENL_ID_CTRL } });
registerMessageClass(ctrlmsg);
