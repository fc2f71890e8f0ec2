// The IPVS generic netlink messages: services, destinations, sync daemons, timeouts, info.
// Addresses are a 16-byte union whose meaning the sibling address family gives.
import {
  AF_INET,
  AF_INET6,
  NetlinkDecodeError,
  asciiz,
  attrMap,
  be16,
  enumOf,
  hex,
  ipv6,
  nested,
  pad,
  registerGenlFamily,
  registerMessageClass,
  select,
  struct,
  u16,
  u32,
  u64,
  u8,
  type NlaType,
} from '../core/index.js';
import { commandSelector, genlSchema } from '../genl/genlmsg.js';
import { IPVS_CMD, IPVS_GENL_NAME, IP_VS_CONN_F_FWD } from './constants.js';

/** union nf_inet_addr holding an IPv4 address: the first 4 of 16 bytes. */
const inetAddr4: NlaType<string, never> = {
  kind: 'nf_inet_addr4',
  size: 0,
  nlaFlags: 0,
  decode(b, o, len) {
    if (len < 4) throw new NetlinkDecodeError(`IPv4 address needs 4 bytes, has ${len}`, o);
    return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
  },
  encode(_w, _v, ctx) {
    throw new NetlinkDecodeError(`${ctx.path}: IPVS addresses are decoded only`, 0);
  },
  pretty: (v) => v,
};
const addrBy = (key: string) => select(key, { [AF_INET]: inetAddr4, [AF_INET6]: ipv6 });

const statsMap = attrMap('ipvs_stats', {
  IPVS_STATS_ATTR_CONNS: [1, u32],
  IPVS_STATS_ATTR_INPKTS: [2, u32],
  IPVS_STATS_ATTR_OUTPKTS: [3, u32],
  IPVS_STATS_ATTR_INBYTES: [4, u64],
  IPVS_STATS_ATTR_OUTBYTES: [5, u64],
  IPVS_STATS_ATTR_CPS: [6, u32],
  IPVS_STATS_ATTR_INPPS: [7, u32],
  IPVS_STATS_ATTR_OUTPPS: [8, u32],
  IPVS_STATS_ATTR_INBPS: [9, u32],
  IPVS_STATS_ATTR_OUTBPS: [10, u32],
  IPVS_STATS_ATTR_PAD: [11, pad(0)],
});
const stats64Map = attrMap('ipvs_stats64', {
  IPVS_STATS_ATTR_CONNS: [1, u64],
  IPVS_STATS_ATTR_INPKTS: [2, u64],
  IPVS_STATS_ATTR_OUTPKTS: [3, u64],
  IPVS_STATS_ATTR_INBYTES: [4, u64],
  IPVS_STATS_ATTR_OUTBYTES: [5, u64],
  IPVS_STATS_ATTR_CPS: [6, u64],
  IPVS_STATS_ATTR_INPPS: [7, u64],
  IPVS_STATS_ATTR_OUTPPS: [8, u64],
  IPVS_STATS_ATTR_INBPS: [9, u64],
  IPVS_STATS_ATTR_OUTBPS: [10, u64],
  IPVS_STATS_ATTR_PAD: [11, pad(0)],
});

export const ipvsServiceMap = attrMap('ipvs_svc', {
  IPVS_SVC_ATTR_AF: [1, u16],
  IPVS_SVC_ATTR_PROTOCOL: [2, u16],
  IPVS_SVC_ATTR_ADDR: [3, addrBy('IPVS_SVC_ATTR_AF')],
  IPVS_SVC_ATTR_PORT: [4, be16],
  IPVS_SVC_ATTR_FWMARK: [5, u32],
  IPVS_SVC_ATTR_SCHED_NAME: [6, asciiz],
  IPVS_SVC_ATTR_FLAGS: [7, struct('ip_vs_flags', { flags: u32, mask: u32 })],
  IPVS_SVC_ATTR_TIMEOUT: [8, u32],
  IPVS_SVC_ATTR_NETMASK: [9, u32],
  IPVS_SVC_ATTR_STATS: [10, nested(statsMap)],
  IPVS_SVC_ATTR_PE_NAME: [11, asciiz],
  IPVS_SVC_ATTR_STATS64: [12, nested(stats64Map)],
});

export const ipvsDestMap = attrMap('ipvs_dest', {
  IPVS_DEST_ATTR_ADDR: [1, addrBy('IPVS_DEST_ATTR_ADDR_FAMILY')],
  IPVS_DEST_ATTR_PORT: [2, be16],
  IPVS_DEST_ATTR_FWD_METHOD: [3, enumOf(u32, IP_VS_CONN_F_FWD)],
  IPVS_DEST_ATTR_WEIGHT: [4, u32],
  IPVS_DEST_ATTR_U_THRESH: [5, u32],
  IPVS_DEST_ATTR_L_THRESH: [6, u32],
  IPVS_DEST_ATTR_ACTIVE_CONNS: [7, u32],
  IPVS_DEST_ATTR_INACT_CONNS: [8, u32],
  IPVS_DEST_ATTR_PERSIST_CONNS: [9, u32],
  IPVS_DEST_ATTR_STATS: [10, nested(statsMap)],
  IPVS_DEST_ATTR_ADDR_FAMILY: [11, u16],
  IPVS_DEST_ATTR_STATS64: [12, nested(stats64Map)],
  IPVS_DEST_ATTR_TUN_TYPE: [13, u8],
  IPVS_DEST_ATTR_TUN_PORT: [14, be16],
  IPVS_DEST_ATTR_TUN_FLAGS: [15, u16],
});

export const ipvsDaemonMap = attrMap('ipvs_daemon', {
  IPVS_DAEMON_ATTR_STATE: [1, u32],
  IPVS_DAEMON_ATTR_MCAST_IFN: [2, asciiz],
  IPVS_DAEMON_ATTR_SYNC_ID: [3, u32],
  IPVS_DAEMON_ATTR_SYNC_MAXLEN: [4, u16],
  IPVS_DAEMON_ATTR_MCAST_GROUP: [5, hex],
  IPVS_DAEMON_ATTR_MCAST_GROUP6: [6, ipv6],
  IPVS_DAEMON_ATTR_MCAST_PORT: [7, u16],
  IPVS_DAEMON_ATTR_MCAST_TTL: [8, u8],
});

/** Top-level attributes of every command but the info ones. */
export const ipvsCmdMap = attrMap('ipvs_cmd', {
  IPVS_CMD_ATTR_SERVICE: [1, nested(ipvsServiceMap)],
  IPVS_CMD_ATTR_DEST: [2, nested(ipvsDestMap)],
  IPVS_CMD_ATTR_DAEMON: [3, nested(ipvsDaemonMap)],
  IPVS_CMD_ATTR_TIMEOUT_TCP: [4, u32],
  IPVS_CMD_ATTR_TIMEOUT_TCP_FIN: [5, u32],
  IPVS_CMD_ATTR_TIMEOUT_UDP: [6, u32],
});

/** GET_INFO's answer (SET_INFO) reuses the low attribute ids for version and table size. */
export const ipvsInfoMap = attrMap('ipvs_info', {
  IPVS_INFO_ATTR_VERSION: [1, u32],
  IPVS_INFO_ATTR_CONN_TAB_SIZE: [2, u32],
});

export const ipvsMsg = genlSchema('ipvs.ipvs_msg', ipvsCmdMap, IPVS_CMD);
export const ipvsInfoMsg = genlSchema('ipvs.ipvs_info_msg', ipvsInfoMap, IPVS_CMD);
registerMessageClass(ipvsMsg, ipvsInfoMsg);
registerGenlFamily(
  IPVS_GENL_NAME,
  commandSelector(
    {
      [IPVS_CMD.IPVS_CMD_SET_INFO]: ipvsInfoMsg,
      [IPVS_CMD.IPVS_CMD_GET_INFO]: ipvsInfoMsg,
    },
    ipvsMsg,
  ),
);
