// A minimal link message class, so core tests (socket, batch, fuzzers) need no protocol module.
import {
  Marshal,
  MessageSchema,
  asciiz,
  attrMap,
  l2addr,
  pad,
  s32,
  struct,
  u16,
  u32,
  u8,
} from '../../src/core/index.js';

export const RTM_NEWLINK = 16;
export const RTM_GETLINK = 18;

/** struct ifinfomsg. */
export const ifinfomsg = struct('ifinfomsg', {
  family: u8,
  __pad: pad(1),
  ifi_type: u16,
  index: s32,
  flags: u32,
  change: u32,
});

/** Links with address, name and MTU. */
export const link = new MessageSchema(
  'test.ifinfmsg',
  ifinfomsg,
  attrMap('ifla', { IFLA_ADDRESS: [1, l2addr], IFLA_IFNAME: [3, asciiz], IFLA_MTU: [4, u32] }),
  { familyField: 'family' },
);
export const linkMarshal = (): Marshal => new Marshal({ [RTM_NEWLINK]: link });
