// Netlink wire constants from linux/netlink.h: header flags, control messages, attributes.

export const NLMSG_HDRLEN = 16;
export const NLA_HDRLEN = 4;

/** Round up to netlink's 4-byte alignment. */
export const align4 = (n: number): number => (n + 3) & ~3;

export const NLMSG_NOOP = 1;
export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;
export const NLMSG_OVERRUN = 4;
export const NLMSG_MIN_TYPE = 0x10;

export const NLM_F_REQUEST = 0x01;
export const NLM_F_MULTI = 0x02;
export const NLM_F_ACK = 0x04;
export const NLM_F_ECHO = 0x08;
export const NLM_F_DUMP_INTR = 0x10;
export const NLM_F_DUMP_FILTERED = 0x20;
// GET requests
export const NLM_F_ROOT = 0x100;
export const NLM_F_MATCH = 0x200;
export const NLM_F_ATOMIC = 0x400;
export const NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
// NEW requests
export const NLM_F_REPLACE = 0x100;
export const NLM_F_EXCL = 0x200;
export const NLM_F_CREATE = 0x400;
export const NLM_F_APPEND = 0x800;
// DELETE requests
export const NLM_F_NONREC = 0x100;
export const NLM_F_BULK = 0x200;
// ACK messages
export const NLM_F_CAPPED = 0x100;
export const NLM_F_ACK_TLVS = 0x200;

/** Names of the header flags; the GET/NEW/DEL/ACK meanings of 0x100..0x800 overlap. */
export const NLM_F_NAMES: Readonly<Record<string, number>> = {
  NLM_F_REQUEST,
  NLM_F_MULTI,
  NLM_F_ACK,
  NLM_F_ECHO,
  NLM_F_DUMP_INTR,
  NLM_F_DUMP_FILTERED,
};
export const NLM_F_GET_NAMES: Readonly<Record<string, number>> = { NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC };
export const NLM_F_NEW_NAMES: Readonly<Record<string, number>> = {
  NLM_F_REPLACE,
  NLM_F_EXCL,
  NLM_F_CREATE,
  NLM_F_APPEND,
};
export const NLM_F_DEL_NAMES: Readonly<Record<string, number>> = { NLM_F_NONREC, NLM_F_BULK };
export const NLM_F_ACK_NAMES: Readonly<Record<string, number>> = { NLM_F_CAPPED, NLM_F_ACK_TLVS };

export const NLA_F_NESTED = 0x8000;
export const NLA_F_NET_BYTEORDER = 0x4000;
export const NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

// Extended ACK attributes (enum nlmsgerr_attrs).
export const NLMSGERR_ATTR_MSG = 1;
export const NLMSGERR_ATTR_OFFS = 2;
export const NLMSGERR_ATTR_COOKIE = 3;
export const NLMSGERR_ATTR_POLICY = 4;
export const NLMSGERR_ATTR_MISS_TYPE = 5;
export const NLMSGERR_ATTR_MISS_NEST = 6;

// Protocol families (socket(AF_NETLINK, ..., protocol)).
export const NETLINK_PROTOCOLS = {
  NETLINK_ROUTE: 0,
  NETLINK_UNUSED: 1,
  NETLINK_USERSOCK: 2,
  NETLINK_FIREWALL: 3,
  NETLINK_SOCK_DIAG: 4,
  NETLINK_NFLOG: 5,
  NETLINK_XFRM: 6,
  NETLINK_SELINUX: 7,
  NETLINK_ISCSI: 8,
  NETLINK_AUDIT: 9,
  NETLINK_FIB_LOOKUP: 10,
  NETLINK_CONNECTOR: 11,
  NETLINK_NETFILTER: 12,
  NETLINK_IP6_FW: 13,
  NETLINK_DNRTMSG: 14,
  NETLINK_KOBJECT_UEVENT: 15,
  NETLINK_GENERIC: 16,
  NETLINK_SCSITRANSPORT: 18,
  NETLINK_ECRYPTFS: 19,
  NETLINK_RDMA: 20,
  NETLINK_CRYPTO: 21,
  NETLINK_SMC: 22,
} as const;
export const NETLINK_ROUTE = 0;
export const NETLINK_NETFILTER = 12;
export const NETLINK_GENERIC = 16;

// Socket options at SOL_NETLINK.
export const SOL_NETLINK = 270;
export const NETLINK_ADD_MEMBERSHIP = 1;
export const NETLINK_DROP_MEMBERSHIP = 2;
export const NETLINK_PKTINFO = 3;
export const NETLINK_BROADCAST_ERROR = 4;
export const NETLINK_NO_ENOBUFS = 5;
export const NETLINK_LISTEN_ALL_NSID = 8;
export const NETLINK_LIST_MEMBERSHIPS = 9;
export const NETLINK_CAP_ACK = 10;
export const NETLINK_EXT_ACK = 11;
export const NETLINK_GET_STRICT_CHK = 12;

export const SOL_SOCKET = 1;
export const SO_SNDBUF = 7;
export const SO_RCVBUF = 8;
export const SO_SNDBUFFORCE = 32;
export const SO_RCVBUFFORCE = 33;

// Address families used in message headers.
export const AF_UNSPEC = 0;
export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_BRIDGE = 7;
export const AF_INET6 = 10;
export const AF_PACKET = 17;
export const AF_MPLS = 28;
