// ipset's netlink constants, from linux/netfilter/ipset/ip_set*.h (values are facts; the
// names are the kernel's). Attribute ids live in three spaces: command level, CADT (create
// and add/del/test data, inside IPSET_ATTR_DATA) and ADT-only data.

/** Protocol versions this module speaks (IPSET_PROTOCOL, IPSET_PROTOCOL_MIN). */
export const IPSET_PROTOCOL = 7;
export const IPSET_PROTOCOL_MIN = 6;
/** Longest set or type name, NUL included. */
export const IPSET_MAXNAMELEN = 32;
export const IPSET_MAX_COMMENT_SIZE = 255;
/** Longest interface name, NUL included (IFNAMSIZ). */
export const IFNAMSIZ = 16;

// enum ipset_cmd
export const IPSET_CMD = {
  IPSET_CMD_NONE: 0,
  IPSET_CMD_PROTOCOL: 1,
  IPSET_CMD_CREATE: 2,
  IPSET_CMD_DESTROY: 3,
  IPSET_CMD_FLUSH: 4,
  IPSET_CMD_RENAME: 5,
  IPSET_CMD_SWAP: 6,
  IPSET_CMD_LIST: 7,
  IPSET_CMD_SAVE: 8,
  IPSET_CMD_ADD: 9,
  IPSET_CMD_DEL: 10,
  IPSET_CMD_TEST: 11,
  IPSET_CMD_HEADER: 12,
  IPSET_CMD_TYPE: 13,
  IPSET_CMD_GET_BYNAME: 14,
  IPSET_CMD_GET_BYINDEX: 15,
} as const;
export const {
  IPSET_CMD_PROTOCOL,
  IPSET_CMD_CREATE,
  IPSET_CMD_DESTROY,
  IPSET_CMD_FLUSH,
  IPSET_CMD_RENAME,
  IPSET_CMD_SWAP,
  IPSET_CMD_LIST,
  IPSET_CMD_SAVE,
  IPSET_CMD_ADD,
  IPSET_CMD_DEL,
  IPSET_CMD_TEST,
  IPSET_CMD_HEADER,
  IPSET_CMD_TYPE,
  IPSET_CMD_GET_BYNAME,
  IPSET_CMD_GET_BYINDEX,
} = IPSET_CMD;

// Attributes at command level.
export const IPSET_ATTR_PROTOCOL = 1;
export const IPSET_ATTR_SETNAME = 2;
export const IPSET_ATTR_TYPENAME = 3;
export const IPSET_ATTR_SETNAME2 = IPSET_ATTR_TYPENAME;
export const IPSET_ATTR_REVISION = 4;
export const IPSET_ATTR_FAMILY = 5;
export const IPSET_ATTR_FLAGS = 6;
export const IPSET_ATTR_DATA = 7;
export const IPSET_ATTR_ADT = 8;
export const IPSET_ATTR_LINENO = 9;
export const IPSET_ATTR_PROTOCOL_MIN = 10;
export const IPSET_ATTR_REVISION_MIN = IPSET_ATTR_PROTOCOL_MIN;
export const IPSET_ATTR_INDEX = 11;

// CADT attributes (inside IPSET_ATTR_DATA, create and add/del/test alike).
export const IPSET_ATTR_IP = 1;
export const IPSET_ATTR_IP_FROM = IPSET_ATTR_IP;
export const IPSET_ATTR_IP_TO = 2;
export const IPSET_ATTR_CIDR = 3;
export const IPSET_ATTR_PORT = 4;
export const IPSET_ATTR_PORT_FROM = IPSET_ATTR_PORT;
export const IPSET_ATTR_PORT_TO = 5;
export const IPSET_ATTR_TIMEOUT = 6;
export const IPSET_ATTR_PROTO = 7;
export const IPSET_ATTR_CADT_FLAGS = 8;
export const IPSET_ATTR_CADT_LINENO = IPSET_ATTR_LINENO;
export const IPSET_ATTR_MARK = 10;
export const IPSET_ATTR_MARKMASK = 11;
/** Linux 6.2+ (not in the 6.1 headers installed here). */
export const IPSET_ATTR_BITMASK = 12;
export const IPSET_ATTR_CADT_MAX = 16;
// Create-only attributes.
export const IPSET_ATTR_INITVAL = 17;
export const IPSET_ATTR_HASHSIZE = 18;
export const IPSET_ATTR_MAXELEM = 19;
export const IPSET_ATTR_NETMASK = 20;
export const IPSET_ATTR_BUCKETSIZE = 21;
export const IPSET_ATTR_RESIZE = 22;
export const IPSET_ATTR_SIZE = 23;
// Kernel-only (set headers in list answers).
export const IPSET_ATTR_ELEMENTS = 24;
export const IPSET_ATTR_REFERENCES = 25;
export const IPSET_ATTR_MEMSIZE = 26;

// ADT-only attributes (same numbers as the create-only ones: a separate space).
export const IPSET_ATTR_ETHER = 17;
export const IPSET_ATTR_NAME = 18;
export const IPSET_ATTR_NAMEREF = 19;
export const IPSET_ATTR_IP2 = 20;
export const IPSET_ATTR_CIDR2 = 21;
export const IPSET_ATTR_IP2_TO = 22;
export const IPSET_ATTR_IFACE = 23;
export const IPSET_ATTR_BYTES = 24;
export const IPSET_ATTR_PACKETS = 25;
export const IPSET_ATTR_COMMENT = 26;
export const IPSET_ATTR_SKBMARK = 27;
export const IPSET_ATTR_SKBPRIO = 28;
export const IPSET_ATTR_SKBQUEUE = 29;
export const IPSET_ATTR_PAD = 30;

// Inside a nested IP attribute.
export const IPSET_ATTR_IPADDR_IPV4 = 1;
export const IPSET_ATTR_IPADDR_IPV6 = 2;

// enum ipset_cmd_flags (IPSET_ATTR_FLAGS, command level).
export const IPSET_CMD_FLAGS = {
  IPSET_FLAG_EXIST: 1 << 0,
  IPSET_FLAG_LIST_SETNAME: 1 << 1,
  IPSET_FLAG_LIST_HEADER: 1 << 2,
  IPSET_FLAG_SKIP_COUNTER_UPDATE: 1 << 3,
  IPSET_FLAG_SKIP_SUBCOUNTER_UPDATE: 1 << 4,
  IPSET_FLAG_MATCH_COUNTERS: 1 << 5,
  IPSET_FLAG_RETURN_NOMATCH: 1 << 7,
  IPSET_FLAG_MAP_SKBMARK: 1 << 8,
  IPSET_FLAG_MAP_SKBPRIO: 1 << 9,
  IPSET_FLAG_MAP_SKBQUEUE: 1 << 10,
} as const;
export const IPSET_FLAG_LIST_SETNAME = IPSET_CMD_FLAGS.IPSET_FLAG_LIST_SETNAME;
export const IPSET_FLAG_LIST_HEADER = IPSET_CMD_FLAGS.IPSET_FLAG_LIST_HEADER;

// enum ipset_cadt_flags (IPSET_ATTR_CADT_FLAGS inside DATA).
export const IPSET_CADT_FLAGS = {
  IPSET_FLAG_BEFORE: 1 << 0,
  IPSET_FLAG_PHYSDEV: 1 << 1,
  IPSET_FLAG_NOMATCH: 1 << 2,
  IPSET_FLAG_WITH_COUNTERS: 1 << 3,
  IPSET_FLAG_WITH_COMMENT: 1 << 4,
  IPSET_FLAG_WITH_FORCEADD: 1 << 5,
  IPSET_FLAG_WITH_SKBINFO: 1 << 6,
  IPSET_FLAG_IFACE_WILDCARD: 1 << 7,
} as const;
export const {
  IPSET_FLAG_BEFORE,
  IPSET_FLAG_PHYSDEV,
  IPSET_FLAG_NOMATCH,
  IPSET_FLAG_WITH_COUNTERS,
  IPSET_FLAG_WITH_COMMENT,
  IPSET_FLAG_WITH_FORCEADD,
  IPSET_FLAG_WITH_SKBINFO,
  IPSET_FLAG_IFACE_WILDCARD,
} = IPSET_CADT_FLAGS;

// Netfilter families as ipset uses them (IPSET_ATTR_FAMILY).
export const NFPROTO_UNSPEC = 0;
export const NFPROTO_IPV4 = 2;
export const NFPROTO_IPV6 = 10;
export const NFPROTO = { NFPROTO_UNSPEC, NFPROTO_IPV4, NFPROTO_IPV6 } as const;

// enum ipset_errno and the type-specific codes (ip_set_bitmap.h, ip_set_hash.h, ip_set_list.h).
export const IPSET_ERR_PRIVATE = 4096;
export const IPSET_ERR_PROTOCOL = 4097;
export const IPSET_ERR_FIND_TYPE = 4098;
export const IPSET_ERR_MAX_SETS = 4099;
export const IPSET_ERR_BUSY = 4100;
export const IPSET_ERR_EXIST_SETNAME2 = 4101;
export const IPSET_ERR_TYPE_MISMATCH = 4102;
export const IPSET_ERR_EXIST = 4103;
export const IPSET_ERR_INVALID_CIDR = 4104;
export const IPSET_ERR_INVALID_NETMASK = 4105;
export const IPSET_ERR_INVALID_FAMILY = 4106;
export const IPSET_ERR_TIMEOUT = 4107;
export const IPSET_ERR_REFERENCED = 4108;
export const IPSET_ERR_IPADDR_IPV4 = 4109;
export const IPSET_ERR_IPADDR_IPV6 = 4110;
export const IPSET_ERR_COUNTER = 4111;
export const IPSET_ERR_COMMENT = 4112;
export const IPSET_ERR_INVALID_MARKMASK = 4113;
export const IPSET_ERR_SKBINFO = 4114;
/** Linux 6.2+. */
export const IPSET_ERR_BITMASK_NETMASK_EXCL = 4115;
export const IPSET_ERR_TYPE_SPECIFIC = 4352;
// bitmap:*
export const IPSET_ERR_BITMAP_RANGE = 4352;
export const IPSET_ERR_BITMAP_RANGE_SIZE = 4353;
// hash:*
export const IPSET_ERR_HASH_FULL = 4352;
export const IPSET_ERR_HASH_ELEM = 4353;
export const IPSET_ERR_INVALID_PROTO = 4354;
export const IPSET_ERR_MISSING_PROTO = 4355;
export const IPSET_ERR_HASH_RANGE_UNSUPPORTED = 4356;
export const IPSET_ERR_HASH_RANGE = 4357;
// list:set
export const IPSET_ERR_NAME = 4352;
export const IPSET_ERR_LOOP = 4353;
export const IPSET_ERR_BEFORE = 4354;
export const IPSET_ERR_NAMEREF = 4355;
export const IPSET_ERR_LIST_FULL = 4356;
export const IPSET_ERR_REF_EXIST = 4357;

/** Names of the generic codes (type-specific codes overlap; see ipsetErrorName). */
export const IPSET_ERR_NAMES: Readonly<Record<number, string>> = {
  4096: 'IPSET_ERR_PRIVATE',
  4097: 'IPSET_ERR_PROTOCOL',
  4098: 'IPSET_ERR_FIND_TYPE',
  4099: 'IPSET_ERR_MAX_SETS',
  4100: 'IPSET_ERR_BUSY',
  4101: 'IPSET_ERR_EXIST_SETNAME2',
  4102: 'IPSET_ERR_TYPE_MISMATCH',
  4103: 'IPSET_ERR_EXIST',
  4104: 'IPSET_ERR_INVALID_CIDR',
  4105: 'IPSET_ERR_INVALID_NETMASK',
  4106: 'IPSET_ERR_INVALID_FAMILY',
  4107: 'IPSET_ERR_TIMEOUT',
  4108: 'IPSET_ERR_REFERENCED',
  4109: 'IPSET_ERR_IPADDR_IPV4',
  4110: 'IPSET_ERR_IPADDR_IPV6',
  4111: 'IPSET_ERR_COUNTER',
  4112: 'IPSET_ERR_COMMENT',
  4113: 'IPSET_ERR_INVALID_MARKMASK',
  4114: 'IPSET_ERR_SKBINFO',
  4115: 'IPSET_ERR_BITMASK_NETMASK_EXCL',
};
export const IPSET_ERR_BITMAP_NAMES: Readonly<Record<number, string>> = {
  4352: 'IPSET_ERR_BITMAP_RANGE',
  4353: 'IPSET_ERR_BITMAP_RANGE_SIZE',
};
export const IPSET_ERR_HASH_NAMES: Readonly<Record<number, string>> = {
  4352: 'IPSET_ERR_HASH_FULL',
  4353: 'IPSET_ERR_HASH_ELEM',
  4354: 'IPSET_ERR_INVALID_PROTO',
  4355: 'IPSET_ERR_MISSING_PROTO',
  4356: 'IPSET_ERR_HASH_RANGE_UNSUPPORTED',
  4357: 'IPSET_ERR_HASH_RANGE',
};
export const IPSET_ERR_LIST_NAMES: Readonly<Record<number, string>> = {
  4352: 'IPSET_ERR_NAME',
  4353: 'IPSET_ERR_LOOP',
  4354: 'IPSET_ERR_BEFORE',
  4355: 'IPSET_ERR_NAMEREF',
  4356: 'IPSET_ERR_LIST_FULL',
  4357: 'IPSET_ERR_REF_EXIST',
};

// Protocol numbers used by the port dimension.
export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_ICMPV6 = 58;
export const IPPROTO_SCTP = 132;
export const IPPROTO_UDPLITE = 136;

// ---- ipset(8)'s words for the kernel's error codes (libipset 7.17) ----------------------
// [code, command (0: any), message]. A command-specific line wins over a generic one.
export type IPSetErrorLine = readonly [code: number, cmd: number, message: string];

/** Codes under IPSET_ERR_TYPE_SPECIFIC, and the fallback for type-specific ones. */
export const IPSET_CORE_MESSAGES: readonly IPSetErrorLine[] = [
  [2 /* ENOENT */, 0, 'The set with the given name does not exist'],
  [90 /* EMSGSIZE */, 0, 'Kernel error received: message could not be created'],
  [IPSET_ERR_PROTOCOL, 0, 'Kernel error received: ipset protocol error'],
  [17 /* EEXIST */, IPSET_CMD_CREATE, 'Set cannot be created: set with the same name already exists'],
  [IPSET_ERR_FIND_TYPE, 0, 'Kernel error received: set type not supported'],
  [IPSET_ERR_MAX_SETS, 0, 'Kernel error received: maximal number of sets reached, cannot create more.'],
  [IPSET_ERR_INVALID_NETMASK, 0, 'The value of the netmask parameter is invalid'],
  [IPSET_ERR_INVALID_MARKMASK, 0, 'The value of the markmask parameter is invalid'],
  [IPSET_ERR_INVALID_FAMILY, 0, 'Protocol family not supported by the set type'],
  [IPSET_ERR_BITMASK_NETMASK_EXCL, 0, 'netmask and bitmask options are mutually exclusive, provide only one'],
  [IPSET_ERR_BUSY, IPSET_CMD_DESTROY, 'Set cannot be destroyed: it is in use by a kernel component'],
  [IPSET_ERR_EXIST_SETNAME2, IPSET_CMD_RENAME, 'Set cannot be renamed: a set with the new name already exists'],
  [IPSET_ERR_REFERENCED, IPSET_CMD_RENAME, 'Set cannot be renamed: it is in use by another system'],
  [IPSET_ERR_EXIST_SETNAME2, IPSET_CMD_SWAP, 'Sets cannot be swapped: the second set does not exist'],
  [IPSET_ERR_TYPE_MISMATCH, IPSET_CMD_SWAP, 'The sets cannot be swapped: their type does not match'],
  [IPSET_ERR_INVALID_CIDR, 0, 'The value of the CIDR parameter of the IP address is invalid'],
  [IPSET_ERR_TIMEOUT, 0, 'Timeout cannot be used: set was created without timeout support'],
  [IPSET_ERR_IPADDR_IPV4, 0, 'An IPv4 address is expected, but not received'],
  [IPSET_ERR_IPADDR_IPV6, 0, 'An IPv6 address is expected, but not received'],
  [IPSET_ERR_COUNTER, 0, 'Packet/byte counters cannot be used: set was created without counter support'],
  [IPSET_ERR_COMMENT, 0, 'Comment cannot be used: set was created without comment support'],
  [IPSET_ERR_SKBINFO, 0, 'Skbinfo mapping cannot be used: set was created without skbinfo support'],
  [IPSET_ERR_EXIST, IPSET_CMD_ADD, "Element cannot be added to the set: it's already added"],
  [IPSET_ERR_EXIST, IPSET_CMD_DEL, "Element cannot be deleted from the set: it's not added"],
  [17 /* EEXIST */, IPSET_CMD_TYPE, 'Kernel error received: set type does not supported'],
];

export const IPSET_BITMAP_MESSAGES: readonly IPSetErrorLine[] = [
  [IPSET_ERR_BITMAP_RANGE, 0, 'Element is out of the range of the set'],
  [IPSET_ERR_BITMAP_RANGE_SIZE, IPSET_CMD_CREATE, 'The range you specified exceeds the size limit of the set type'],
];

export const IPSET_HASH_MESSAGES: readonly IPSetErrorLine[] = [
  [IPSET_ERR_HASH_FULL, 0, 'Hash is full, cannot add more elements'],
  [IPSET_ERR_HASH_ELEM, 0, 'Null-valued element, cannot be stored in a hash type of set'],
  [IPSET_ERR_INVALID_PROTO, 0, 'Invalid protocol specified'],
  [IPSET_ERR_MISSING_PROTO, 0, 'Protocol missing, but must be specified'],
  [IPSET_ERR_HASH_RANGE_UNSUPPORTED, 0, 'Range is not supported in the "net" component of the element'],
  [IPSET_ERR_HASH_RANGE, 0, 'Invalid range, covers the whole address space'],
];

export const IPSET_LIST_MESSAGES: readonly IPSetErrorLine[] = [
  [IPSET_ERR_NAME, 0, 'Set to be added/deleted/tested as element does not exist.'],
  [IPSET_ERR_LOOP, 0, 'Sets with list:set type cannot be added to the set.'],
  [IPSET_ERR_BEFORE, 0, 'No reference set specified.'],
  [IPSET_ERR_NAMEREF, 0, "The set to which you referred with 'before' or 'after' does not exist."],
  [IPSET_ERR_LIST_FULL, 0, 'The set is full, more elements cannot be added.'],
  [IPSET_ERR_REF_EXIST, 0, "The set to which you referred with 'before' or 'after' is not added to the set."],
];
