// struct taskstats and the TASKSTATS family's message classes.
import {
  asciiz,
  attrMap,
  cstring,
  flagsOf,
  hex,
  nested,
  pad,
  registerGenlFamily,
  registerMessageClass,
  s8,
  struct,
  u16,
  u32,
  u64,
  u8,
  attachMessage,
  plainValue,
  vocab,
  type StructValue,
  type VocabRecord,
} from '../core/index.js';
import { genlSchema } from '../genl/genlmsg.js';
import { ACCT_FLAGS, TASKSTATS_CMD, TASKSTATS_CMD_GET, TASKSTATS_CMD_NEW, TS_COMM_LEN } from './constants.js';

// Layout on x86-64 and every other Linux ABI: the header's __attribute__((aligned(8))) on
// cpu_count, ac_sched, ac_uid, ac_etime and ac_tgetime inserts the pad(n) fields below.
// Offsets (checked against a kernel answer: ac_pid, ac_comm, ac_exe_inode of a known process):
// cpu_count 16, ac_comm 80, ac_uid 120, ac_pid 128, ac_etime 144, ac_majflt 176.

/** Fields every kernel since taskstats v3 sends (the first 184 bytes). */
const baseFields = {
  version: u16,
  __pad0: pad(2),
  ac_exitcode: u32,
  ac_flag: flagsOf(u8, ACCT_FLAGS),
  // task_nice() stored in a __u8: read back signed.
  ac_nice: s8,
  __pad1: pad(6),
  // Delay accounting (zero unless delay accounting is on: delayacct=on / kernel.task_delayacct).
  cpu_count: u64,
  cpu_delay_total: u64,
  blkio_count: u64,
  blkio_delay_total: u64,
  swapin_count: u64,
  swapin_delay_total: u64,
  cpu_run_real_total: u64,
  cpu_run_virtual_total: u64,
  // Basic accounting.
  ac_comm: cstring(TS_COMM_LEN),
  ac_sched: u8,
  ac_pad: pad(3),
  __pad2: pad(4),
  ac_uid: u32,
  ac_gid: u32,
  ac_pid: u32,
  ac_ppid: u32,
  ac_btime: u32,
  __pad3: pad(4),
  ac_etime: u64,
  ac_utime: u64,
  ac_stime: u64,
  ac_minflt: u64,
  ac_majflt: u64,
} as const;

/** Fields added later (extended and I/O accounting, v4..v16); absent from older kernels' answers. */
const laterFields = {
  coremem: u64,
  virtmem: u64,
  hiwater_rss: u64,
  hiwater_vm: u64,
  read_char: u64,
  write_char: u64,
  read_syscalls: u64,
  write_syscalls: u64,
  read_bytes: u64,
  write_bytes: u64,
  cancelled_write_bytes: u64,
  nvcsw: u64,
  nivcsw: u64,
  ac_utimescaled: u64,
  ac_stimescaled: u64,
  cpu_scaled_run_real_total: u64,
  freepages_count: u64,
  freepages_delay_total: u64,
  thrashing_count: u64,
  thrashing_delay_total: u64,
  // v10
  ac_btime64: u64,
  // v11
  compact_count: u64,
  compact_delay_total: u64,
  // v12
  ac_tgid: u32,
  __pad4: pad(4),
  ac_tgetime: u64,
  ac_exe_dev: u64,
  ac_exe_inode: u64,
  // v13
  wpcopy_count: u64,
  wpcopy_delay_total: u64,
  // v14
  irq_count: u64,
  irq_delay_total: u64,
  // v16 (v15 put these next to their counters; v16 moved them here)
  cpu_delay_max: u64,
  cpu_delay_min: u64,
  blkio_delay_max: u64,
  blkio_delay_min: u64,
  swapin_delay_max: u64,
  swapin_delay_min: u64,
  freepages_delay_max: u64,
  freepages_delay_min: u64,
  thrashing_delay_max: u64,
  thrashing_delay_min: u64,
  compact_delay_max: u64,
  compact_delay_min: u64,
  wpcopy_delay_max: u64,
  wpcopy_delay_min: u64,
  irq_delay_max: u64,
  irq_delay_min: u64,
} as const;

/** Bytes of the fields every answer must have. */
export const TASKSTATS_MIN_SIZE = 184;

/** struct taskstats: at least 184 bytes; a newer kernel's extra fields are kept in `_tail`. */
export const taskstatsStruct = struct('taskstats', { ...baseFields, ...laterFields }, { minSize: TASKSTATS_MIN_SIZE });

/**
 * One task's (or thread group's) statistics, fields by their kernel names; u64 as bigint.
 * Fields past the base set are undefined when the kernel's struct is older.
 */
export type TaskStatsRecord = StructValue<typeof baseFields> & Partial<StructValue<typeof laterFields>>;

/** Inside an AGGR nest: the id, then (8-byte aligned, maybe after a NULL pad) the stats. */
export const taskstatsAggrAttrs = attrMap('taskstats_aggr', {
  TASKSTATS_TYPE_PID: [1, u32],
  TASKSTATS_TYPE_TGID: [2, u32],
  TASKSTATS_TYPE_STATS: [3, taskstatsStruct],
  // Zero-length padding so that STATS lands 8-byte aligned.
  TASKSTATS_TYPE_NULL: [6, hex],
});

/** Attributes of the kernel's messages (TASKSTATS_CMD_NEW). */
export const taskstatsTypeAttrs = attrMap('taskstats_type', {
  TASKSTATS_TYPE_PID: [1, u32],
  TASKSTATS_TYPE_TGID: [2, u32],
  TASKSTATS_TYPE_STATS: [3, taskstatsStruct],
  TASKSTATS_TYPE_AGGR_PID: [4, nested(taskstatsAggrAttrs)],
  TASKSTATS_TYPE_AGGR_TGID: [5, nested(taskstatsAggrAttrs)],
  TASKSTATS_TYPE_NULL: [6, hex],
});

/** Attributes of requests (TASKSTATS_CMD_GET). The cpumask is a CPU list such as "0-3,8". */
export const taskstatsCmdAttrs = attrMap('taskstats_cmd_attr', {
  TASKSTATS_CMD_ATTR_PID: [1, u32],
  TASKSTATS_CMD_ATTR_TGID: [2, u32],
  // The kernel copies the string with its NUL (strscpy): a missing NUL loses the last character.
  TASKSTATS_CMD_ATTR_REGISTER_CPUMASK: [3, asciiz],
  TASKSTATS_CMD_ATTR_DEREGISTER_CPUMASK: [4, asciiz],
});

/** Requests: TASKSTATS_CMD_GET with a pid, a tgid, or a cpumask to (de)register for exit records. */
export const taskstatsCmd = genlSchema('taskstats.taskstats_cmd', taskstatsCmdAttrs, TASKSTATS_CMD);
/** The kernel's messages: answers and exit records (TASKSTATS_CMD_NEW). */
export const taskstatsMsg = genlSchema('taskstats.taskstats_msg', taskstatsTypeAttrs, TASKSTATS_CMD);
registerMessageClass(taskstatsCmd, taskstatsMsg);
// For offline decoding by family name. Requests (TASKSTATS_CMD_GET) and answers (TASKSTATS_CMD_NEW) share ids but not meanings.
registerGenlFamily('TASKSTATS', (buf, off) => (buf[off + 16] === TASKSTATS_CMD_GET ? taskstatsCmd : taskstatsMsg));

/** The family's classes by command, for GenericNetlinkSocket.register('TASKSTATS', ...). */
export const taskstatsSchemas = { [TASKSTATS_CMD_GET]: taskstatsCmd, [TASKSTATS_CMD_NEW]: taskstatsMsg } as const;

export type TaskStatsMessage = ReturnType<(typeof taskstatsMsg)['decode']>;

/**
 * The friendly names of struct taskstats, declared once: records read by them, and the
 * kernel's names (ac_utime...) stay accepted wherever a name is looked up.
 */
export const taskstatsVocab = vocab('taskstats', undefined, taskstatsStruct, {
  fields: {
    version: 'version',
    exitcode: 'ac_exitcode',
    flags: 'ac_flag',
    nice: 'ac_nice',
    cpuCount: 'cpu_count',
    cpuDelayTotal: 'cpu_delay_total',
    blkioCount: 'blkio_count',
    blkioDelayTotal: 'blkio_delay_total',
    swapinCount: 'swapin_count',
    swapinDelayTotal: 'swapin_delay_total',
    cpuRunRealTotal: 'cpu_run_real_total',
    cpuRunVirtualTotal: 'cpu_run_virtual_total',
    comm: 'ac_comm',
    sched: 'ac_sched',
    uid: 'ac_uid',
    gid: 'ac_gid',
    pid: 'ac_pid',
    ppid: 'ac_ppid',
    btime: 'ac_btime',
    etime: 'ac_etime',
    utime: 'ac_utime',
    stime: 'ac_stime',
    minflt: 'ac_minflt',
    majflt: 'ac_majflt',
    coremem: 'coremem',
    virtmem: 'virtmem',
    hiwaterRss: 'hiwater_rss',
    hiwaterVm: 'hiwater_vm',
    readChar: 'read_char',
    writeChar: 'write_char',
    readSyscalls: 'read_syscalls',
    writeSyscalls: 'write_syscalls',
    readBytes: 'read_bytes',
    writeBytes: 'write_bytes',
    cancelledWriteBytes: 'cancelled_write_bytes',
    nvcsw: 'nvcsw',
    nivcsw: 'nivcsw',
    utimescaled: 'ac_utimescaled',
    stimescaled: 'ac_stimescaled',
    cpuScaledRunRealTotal: 'cpu_scaled_run_real_total',
    freepagesCount: 'freepages_count',
    freepagesDelayTotal: 'freepages_delay_total',
    thrashingCount: 'thrashing_count',
    thrashingDelayTotal: 'thrashing_delay_total',
    btime64: 'ac_btime64',
    compactCount: 'compact_count',
    compactDelayTotal: 'compact_delay_total',
    tgid: 'ac_tgid',
    tgetime: 'ac_tgetime',
    exeDev: 'ac_exe_dev',
    exeInode: 'ac_exe_inode',
    wpcopyCount: 'wpcopy_count',
    wpcopyDelayTotal: 'wpcopy_delay_total',
    irqCount: 'irq_count',
    irqDelayTotal: 'irq_delay_total',
    cpuDelayMax: 'cpu_delay_max',
    cpuDelayMin: 'cpu_delay_min',
    blkioDelayMax: 'blkio_delay_max',
    blkioDelayMin: 'blkio_delay_min',
    swapinDelayMax: 'swapin_delay_max',
    swapinDelayMin: 'swapin_delay_min',
    freepagesDelayMax: 'freepages_delay_max',
    freepagesDelayMin: 'freepages_delay_min',
    thrashingDelayMax: 'thrashing_delay_max',
    thrashingDelayMin: 'thrashing_delay_min',
    compactDelayMax: 'compact_delay_max',
    compactDelayMin: 'compact_delay_min',
    wpcopyDelayMax: 'wpcopy_delay_max',
    wpcopyDelayMin: 'wpcopy_delay_min',
    irqDelayMax: 'irq_delay_max',
    irqDelayMin: 'irq_delay_min',
  },
});

/**
 * One task's statistics as a record: camelCase names, times in µs and ns as the kernel gives
 * them, 64-bit counters as numbers while exact (decimal strings beyond 2^53), flags by name.
 */
export type TaskStatsInfo = VocabRecord<typeof taskstatsVocab>;

/** The record of decoded statistics (getPidStats' result or an exit's), its source reachable with messageOf(). */
export function taskStatsInfo(s: TaskStatsRecord): TaskStatsInfo {
  return attachMessage(taskstatsVocab.readFields(s as unknown as Record<string, unknown>, {}), s) as TaskStatsInfo;
}

/**
 * Make decoded statistics JSON-safe in place: JSON.stringify gives the kernel's names with
 * 64-bit counters as numbers while exact, decimal strings beyond (the object keeps its bigints).
 */
export function jsonSafe<T extends object>(s: T): T {
  Object.defineProperty(s, 'toJSON', { value: () => plainValue(s), enumerable: false, configurable: true });
  return s;
}
