// TaskStats constants from linux/taskstats.h and the accounting flags of linux/acct.h.

export const TASKSTATS_GENL_NAME = 'TASKSTATS';
export const TASKSTATS_GENL_VERSION = 1;
/** The newest struct taskstats version this library decodes every field of (Linux 6.18 sends 16). */
export const TASKSTATS_VERSION = 16;
export const TS_COMM_LEN = 32;

/** Commands (genlmsghdr.cmd): GET from user space, NEW from the kernel (answers and exit records). */
export const TASKSTATS_CMD = {
  TASKSTATS_CMD_UNSPEC: 0,
  TASKSTATS_CMD_GET: 1,
  TASKSTATS_CMD_NEW: 2,
} as const;
export const TASKSTATS_CMD_GET = TASKSTATS_CMD.TASKSTATS_CMD_GET;
export const TASKSTATS_CMD_NEW = TASKSTATS_CMD.TASKSTATS_CMD_NEW;

/** Attributes of the kernel's messages (TASKSTATS_CMD_NEW). */
export const TASKSTATS_TYPE = {
  TASKSTATS_TYPE_UNSPEC: 0,
  TASKSTATS_TYPE_PID: 1,
  TASKSTATS_TYPE_TGID: 2,
  TASKSTATS_TYPE_STATS: 3,
  TASKSTATS_TYPE_AGGR_PID: 4,
  TASKSTATS_TYPE_AGGR_TGID: 5,
  TASKSTATS_TYPE_NULL: 6,
} as const;

/** Attributes of requests (TASKSTATS_CMD_GET): the same ids mean other things here. */
export const TASKSTATS_CMD_ATTR = {
  TASKSTATS_CMD_ATTR_UNSPEC: 0,
  TASKSTATS_CMD_ATTR_PID: 1,
  TASKSTATS_CMD_ATTR_TGID: 2,
  TASKSTATS_CMD_ATTR_REGISTER_CPUMASK: 3,
  TASKSTATS_CMD_ATTR_DEREGISTER_CPUMASK: 4,
} as const;

/** ac_flag bits (linux/acct.h). */
export const ACCT_FLAGS = {
  AFORK: 0x01,
  ASU: 0x02,
  ACOMPAT: 0x04,
  ACORE: 0x08,
  AXSIG: 0x10,
  AGROUP: 0x20,
} as const;
