// tcamsg + TCA_ROOT_*: standalone tc actions (RTM_*ACTION, `tc actions`), linux/rtnetlink.h.
import { MessageSchema, asciiz, attrMap, registerMessageClass, struct, u32, u8 } from '../core/index.js';
import { RTM } from './constants.js';
import { actionList } from './tc/action.js';

export const TCA_ACT_FLAG = { TCA_ACT_FLAG_LARGE_DUMP_ON: 1, TCA_ACT_FLAG_TERSE_DUMP: 2 } as const;
const bitfield32 = struct('nla_bitfield32', { value: u32, selector: u32 });

export const tcaRootMap = attrMap('tca_root', {
  // The actions, each in a nest numbered from 1 (TCA_ACT_TAB).
  TCA_ROOT_TAB: [1, actionList],
  TCA_ROOT_FLAGS: [2, bitfield32],
  TCA_ROOT_COUNT: [3, u32],
  TCA_ROOT_TIME_DELTA: [4, u32],
  TCA_ROOT_EXT_WARN_MSG: [5, asciiz],
});

/** struct tcamsg: just the family, padded to 4 bytes. */
export const tcamsg = new MessageSchema('rtnl.tcamsg', struct('tcamsg', { family: u8 }), tcaRootMap, {
  familyField: 'family',
  types: { RTM_NEWACTION: RTM.RTM_NEWACTION, RTM_DELACTION: RTM.RTM_DELACTION, RTM_GETACTION: RTM.RTM_GETACTION },
});
registerMessageClass(tcamsg);

/** Marshal policy entries of this file (spread by marshal.ts). */
export const policy: Record<number, MessageSchema<any, any>> = {
  [RTM.RTM_NEWACTION]: tcamsg,
  [RTM.RTM_DELACTION]: tcamsg,
  [RTM.RTM_GETACTION]: tcamsg,
};
