// nfnetlink, the NETLINK_NETFILTER framing shared by ipset, nf_tables, conntrack...:
// the nfgenmsg header, message types (subsystem << 8 | command) and one marshal that
// routes every registered subsystem. Protocol modules register their subsystem here.
import { Marshal, NETLINK_NETFILTER, be16, registerProtocol, struct, u8, type AnySchema } from '../core/index.js';

// linux/netfilter/nfnetlink.h
export const NFNETLINK_V0 = 0;
export const NFNL_SUBSYS = {
  NFNL_SUBSYS_NONE: 0,
  NFNL_SUBSYS_CTNETLINK: 1,
  NFNL_SUBSYS_CTNETLINK_EXP: 2,
  NFNL_SUBSYS_QUEUE: 3,
  NFNL_SUBSYS_ULOG: 4,
  NFNL_SUBSYS_OSF: 5,
  NFNL_SUBSYS_IPSET: 6,
  NFNL_SUBSYS_ACCT: 7,
  NFNL_SUBSYS_CTNETLINK_TIMEOUT: 8,
  NFNL_SUBSYS_CTHELPER: 9,
  NFNL_SUBSYS_NFTABLES: 10,
  NFNL_SUBSYS_NFT_COMPAT: 11,
  NFNL_SUBSYS_HOOK: 12,
} as const;
export const NFNL_SUBSYS_IPSET = NFNL_SUBSYS.NFNL_SUBSYS_IPSET;
export const NFNL_MSG_BATCH_BEGIN = 0x10;
export const NFNL_MSG_BATCH_END = 0x11;

/** struct nfgenmsg: the 4-byte header after nlmsghdr of every nfnetlink message. */
export const nfgenmsg = struct('nfgenmsg', { nfgen_family: u8, version: u8, res_id: be16 });
export const NFGENMSG_LEN = 4;

/** nlmsg_type of a subsystem's command. */
export const nfnlType = (subsys: number, cmd: number): number => ((subsys & 0xff) << 8) | (cmd & 0xff);
/** Subsystem of an nlmsg_type. */
export const nfnlSubsys = (type: number): number => (type >> 8) & 0xff;
/** Command of an nlmsg_type. */
export const nfnlCmd = (type: number): number => type & 0xff;

const subsystems = new Map<number, { name: string; schemas: Map<number, AnySchema> }>();

/** Make a subsystem's message classes known: `registerNfnlSubsystem(6, 'ipset', {1: schema, ...})`. */
export function registerNfnlSubsystem(subsys: number, name: string, byCmd: Readonly<Record<number, AnySchema>>): void {
  const schemas = new Map<number, AnySchema>();
  for (const [cmd, schema] of Object.entries(byCmd)) schemas.set(Number(cmd), schema);
  subsystems.set(subsys, { name, schemas });
}

/** Name of a registered subsystem, e.g. 'ipset'. */
export function nfnlSubsysName(subsys: number): string | undefined {
  return subsystems.get(subsys)?.name;
}

/** A marshal for NETLINK_NETFILTER that knows every registered subsystem. */
export function nfnetlinkMarshal(): Marshal {
  const m = new Marshal();
  for (const [subsys, { schemas }] of subsystems) {
    for (const [cmd, schema] of schemas) m.register(nfnlType(subsys, cmd), schema);
  }
  return m;
}

registerProtocol(NETLINK_NETFILTER, 'NETLINK_NETFILTER', nfnetlinkMarshal);
