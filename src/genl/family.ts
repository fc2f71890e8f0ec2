// What the controller tells about a family, as a plain object.
import type { ctrlmsg } from './ctrlmsg.js';

/** One command a family supports, with its GENL_* capability flags. */
export interface GenlOp {
  id: number;
  flags: number;
}

/** A generic netlink family as the controller (CTRL_CMD_GETFAMILY) describes it. */
export interface GenlFamily {
  id: number;
  name: string;
  version: number;
  hdrsize: number;
  maxattr: number;
  ops: GenlOp[];
  /** Multicast group name -> group id (to join with NETLINK_ADD_MEMBERSHIP); a plain object, so JSON keeps it. */
  mcastGroups: Record<string, number>;
}

/** A decoded nlctrl message. */
export type CtrlMessage = ReturnType<(typeof ctrlmsg)['decode']>;

/** The family described by a CTRL_CMD_NEWFAMILY message (an answer or a notification). */
export function familyFromMessage(m: CtrlMessage): GenlFamily {
  const mcastGroups: Record<string, number> = {};
  for (const g of m.getAttr('CTRL_ATTR_MCAST_GROUPS') ?? []) {
    const name = g.getAttr('CTRL_ATTR_MCAST_GRP_NAME');
    const id = g.getAttr('CTRL_ATTR_MCAST_GRP_ID');
    if (name !== undefined && id !== undefined) mcastGroups[name] = id;
  }
  return {
    id: m.getAttr('CTRL_ATTR_FAMILY_ID') ?? 0,
    name: m.getAttr('CTRL_ATTR_FAMILY_NAME') ?? '',
    version: m.getAttr('CTRL_ATTR_VERSION') ?? 0,
    hdrsize: m.getAttr('CTRL_ATTR_HDRSIZE') ?? 0,
    maxattr: m.getAttr('CTRL_ATTR_MAXATTR') ?? 0,
    ops: (m.getAttr('CTRL_ATTR_OPS') ?? []).map((o) => ({
      id: o.getAttr('CTRL_ATTR_OP_ID') ?? 0,
      flags: o.getAttr('CTRL_ATTR_OP_FLAGS') ?? 0,
    })),
    mcastGroups,
  };
}
