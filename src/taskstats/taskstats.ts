// TaskStats: per-task and per-process accounting from the kernel (CONFIG_TASKSTATS), on
// demand by pid/tgid, and as a stream of records of exiting tasks.
//
// Namespaces, as measured on Linux 6.18:
// - Every command needs CAP_NET_ADMIN in the initial user namespace (GENL_ADMIN_PERM):
//   from a user namespace the kernel answers EPERM, even as its root.
// - Pids are read in the calling process's PID namespace (the socket's netns does not matter).
// - The family answers from any network namespace, but exit records are always sent to the
//   listener's port in the initial network namespace: a socket elsewhere registers fine and
//   never receives one (the kernel unicasts to that port id in the initial namespace, and drops
//   the listener when nothing is bound there). Registering from a non-initial PID namespace fails
//   with EINVAL, from a user namespace with EPERM. subscribeExits() refuses these cases up front
//   with TaskStatsNamespaceError, comparing with /proc/1/ns/* (or, when a sandbox hides
//   /proc/1, with our own namespaces: then only a socket placed in another netns is caught).
import { fstatSync, readFileSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import {
  NETLINK_GENERIC,
  NativeTransport,
  NetlinkDecodeError,
  NetlinkError,
  SocketClosedError,
  Subscription,
  describeCalls,
  netnsPath,
  type AnyMessage,
  type CallDescription,
  type CallTable,
  type Transport,
} from '../core/index.js';
import { netnsContext } from '../core/nscontext.js';
import { GenericNetlinkSocket } from '../genl/socket.js';
import { GenlFamilyNotFoundError } from '../genl/errors.js';
import { TASKSTATS_CMD_GET, TASKSTATS_GENL_NAME } from './constants.js';
import { TaskStatsNamespaceError } from './errors.js';
import { ExitRecordTap } from './exittap.js';
import {
  jsonSafe,
  taskStatsInfo,
  taskstatsMsg,
  taskstatsSchemas,
  type TaskStatsInfo,
  type TaskStatsMessage,
  type TaskStatsRecord,
} from './taskstats_msg.js';

export { TaskStatsNamespaceError };

const EPERM = 1,
  EINVAL = 22,
  ERANGE = 34;

export interface TaskStatsOptions {
  /** Network namespace of the socket (name under /var/run/netns, path or fd). See the notes above. */
  netns?: string | number;
  /** Request timeout in ms (default none: the kernel answers at once). */
  timeout?: number;
  /** Receive buffer of exit subscriptions (default 16 MiB: a busy host ends many tasks). */
  rcvbuf?: number;
  /** Transport for queries instead of a kernel socket (tests, replay). */
  transport?: Transport;
  /**
   * Queries in flight at once (default 64). Answers are ~600 bytes each and wait in the
   * socket's receive buffer: measured with the default 208 KiB buffer, 150 concurrent
   * queries fit and 200 overflow it (ENOBUFS, every pending query fails).
   */
  maxInFlight?: number;
}

/** A task that ended, as the kernel reported it to exit listeners. */
export interface TaskExit {
  /** The thread's id, in the initial PID namespace. */
  pid: number;
  stats: TaskStatsRecord;
  /** Set when the task was the last of a multi-threaded group: the group's id and summed stats. */
  tgid?: number;
  tgidStats?: TaskStatsRecord;
}

/** Receive buffer of an exit-record socket: every task exit on the CPUs lands there. */
const EXIT_RCVBUF = 16 << 20;
/** How long close() waits for the kernel to confirm a deregistration. */
const DEREGISTER_TIMEOUT = 2000;

/** A stream of exit records; `close()` deregisters the cpumask and closes its socket. */
export class ExitSubscription extends Subscription<TaskExit> {
  /** Settles when the deregistration was answered (or failed) and the socket is closed. */
  readonly whenClosed: Promise<void>;
  /** The subscription's own socket (records never share a socket with queries). */
  socket: GenericNetlinkSocket | undefined;
  private settle!: () => void;

  constructor(onClose: () => Promise<void>) {
    let run: () => void = () => {};
    super(() => run());
    this.whenClosed = new Promise((resolve) => {
      this.settle = resolve;
    });
    run = () => {
      void onClose().finally(this.settle);
    };
  }
}

/** A copy of a decoded struct that does not keep the receive buffer alive. */
function detach(s: TaskStatsRecord): TaskStatsRecord {
  const tail = (s as { _tail?: Buffer })._tail;
  return jsonSafe(tail ? ({ ...s, _tail: Buffer.from(tail) } as TaskStatsRecord) : s);
}

/** The exit record in a TASKSTATS_CMD_NEW message, or undefined if it has none. */
export function exitFromMessage(m: TaskStatsMessage): TaskExit | undefined {
  const p = m.getAttr('TASKSTATS_TYPE_AGGR_PID');
  const pid = p?.getAttr('TASKSTATS_TYPE_PID');
  const stats = p?.getAttr('TASKSTATS_TYPE_STATS');
  if (pid === undefined || !stats) return undefined;
  const out: TaskExit = { pid, stats: detach(stats as TaskStatsRecord) };
  const g = m.getAttr('TASKSTATS_TYPE_AGGR_TGID');
  const tgid = g?.getAttr('TASKSTATS_TYPE_TGID');
  const tgidStats = g?.getAttr('TASKSTATS_TYPE_STATS');
  if (tgid !== undefined && tgidStats) {
    out.tgid = tgid;
    out.tgidStats = detach(tgidStats as TaskStatsRecord);
  }
  return out;
}

/** The CPUs this machine may ever have, as a CPU list ("0-1"). */
export function possibleCpus(): string {
  try {
    return readFileSync('/sys/devices/system/cpu/possible', 'utf8').trim();
  } catch {
    return `0-${Math.max(0, cpus().length - 1)}`;
  }
}

/** Whether two namespace files are the same namespace; undefined if we cannot tell. */
function sameNs(a: string | number, b: string): boolean | undefined {
  try {
    const x = typeof a === 'number' ? fstatSync(a) : statSync(a);
    const y = statSync(b);
    return x.ino === y.ino && x.dev === y.dev;
  } catch {
    return undefined;
  }
}

/**
 * The namespace of that kind of the initial process, or (when /proc/1 is not ours to read,
 * e.g. under a ptrace-restricting sandbox) our own: then only a socket moved elsewhere is caught.
 */
function initialNs(kind: 'net' | 'pid' | 'user'): string {
  try {
    statSync(`/proc/1/ns/${kind}`);
    return `/proc/1/ns/${kind}`;
  } catch {
    return `/proc/self/ns/${kind}`;
  }
}

function checkId(what: string, id: number): void {
  if (!Number.isInteger(id) || id <= 0 || id > 0x7fffffff)
    throw new RangeError(`${what} must be a positive integer, got ${String(id)}`);
}

/**
 * Per-task accounting (delay accounting, CPU times, I/O, memory high-water marks).
 *
 *     await using ts = new TaskStats();
 *     const s = await ts.getPidStats(process.pid);   // s.ac_comm, s.ac_utime (µs, bigint), ...
 *     const exits = await ts.subscribeExits('0-1');
 *     for await (const e of exits) if (!(e instanceof Overrun)) console.log(e.pid, e.stats.ac_exitcode);
 */
export class TaskStats {
  /** The query socket. */
  readonly socket: GenericNetlinkSocket;
  private readonly subs = new Set<ExitSubscription>();
  private readonly maxInFlight: number;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly opts: TaskStatsOptions = {}) {
    this.maxInFlight = Math.max(1, opts.maxInFlight ?? 64);
    this.socket = new GenericNetlinkSocket({ netns: opts.netns, timeout: opts.timeout, transport: opts.transport });
    this.socket.register(TASKSTATS_GENL_NAME, taskstatsSchemas);
  }

  /** Statistics of one thread. NetlinkError ESRCH if there is no such task. */
  getPidStats(pid: number): Promise<TaskStatsRecord> {
    checkId('pid', pid);
    return this.query('TASKSTATS_CMD_ATTR_PID', pid, 'TASKSTATS_TYPE_AGGR_PID', `pid ${pid}`);
  }

  /** Statistics of a thread group (process): its live threads plus those that exited. */
  getTgidStats(tgid: number): Promise<TaskStatsRecord> {
    checkId('tgid', tgid);
    return this.query('TASKSTATS_CMD_ATTR_TGID', tgid, 'TASKSTATS_TYPE_AGGR_TGID', `tgid ${tgid}`);
  }

  /** getPidStats as a record: `{ pid, comm, utime, readBytes, ... }` (camelCase, JSON-safe). */
  async pidStats(pid: number): Promise<TaskStatsInfo> {
    return taskStatsInfo(await this.getPidStats(pid));
  }

  /** getTgidStats as a record. */
  async tgidStats(tgid: number): Promise<TaskStatsInfo> {
    return taskStatsInfo(await this.getTgidStats(tgid));
  }

  private async query(
    attr: string,
    id: number,
    aggr: 'TASKSTATS_TYPE_AGGR_PID' | 'TASKSTATS_TYPE_AGGR_TGID',
    what: string,
  ): Promise<TaskStatsRecord> {
    let answer: AnyMessage[];
    if (this.inFlight < this.maxInFlight) this.inFlight++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      // No ACK asked: the answer (or an error) ends the request, one message fewer.
      answer = await this.socket.request(TASKSTATS_GENL_NAME, TASKSTATS_CMD_GET, { [attr]: id }, { flags: 0 });
    } catch (e) {
      throw explain(e);
    } finally {
      // Hand the slot to the next waiting query, or give it back.
      const next = this.waiting.shift();
      if (next) next();
      else this.inFlight--;
    }
    const m = answer.find((x) => x.schema === taskstatsMsg) as TaskStatsMessage | undefined;
    const stats = m?.getAttr(aggr)?.getAttr('TASKSTATS_TYPE_STATS');
    if (!stats) throw new NetlinkDecodeError(`taskstats answer for ${what} has no ${aggr} statistics`, m?.offset ?? 0);
    return detach(stats as TaskStatsRecord);
  }

  /**
   * Records of every task that exits on the CPUs of `cpumask` (a CPU list such as "0-3";
   * default: all possible CPUs). Each subscription has its own socket; `close()` deregisters.
   * Needs the initial network, PID and user namespaces (TaskStatsNamespaceError otherwise).
   */
  async subscribeExits(cpumask: string = possibleCpus()): Promise<ExitSubscription> {
    if (
      typeof cpumask !== 'string' ||
      !/^[0-9]+(-[0-9]+(:[0-9]+\/[0-9]+)?)?(,[0-9]+(-[0-9]+(:[0-9]+\/[0-9]+)?)?)*$/.test(cpumask.trim())
    ) {
      throw new RangeError(`cpumask must be a CPU list such as "0-3,8", got ${JSON.stringify(cpumask)}`);
    }
    cpumask = cpumask.trim();
    if (this.socket.isClosed) throw new SocketClosedError();
    if (this.opts.transport) throw new TypeError('subscribeExits needs a kernel socket, not a custom transport');
    // Where NativeTransport will open the socket: the option, else the netns.run() context.
    const ns = this.opts.netns ?? netnsContext.getStore();
    if (
      sameNs(ns === undefined ? '/proc/self/ns/net' : typeof ns === 'number' ? ns : netnsPath(ns), initialNs('net')) ===
      false
    ) {
      throw new TaskStatsNamespaceError(
        'taskstats exit records go only to sockets in the initial network namespace: this socket would register and never receive one',
      );
    }
    if (
      sameNs('/proc/self/ns/pid', initialNs('pid')) === false ||
      sameNs('/proc/self/ns/user', initialNs('user')) === false
    ) {
      throw new TaskStatsNamespaceError(
        'registering for taskstats exit records needs the initial PID and user namespaces',
      );
    }

    let sock: GenericNetlinkSocket | undefined;
    let registered = false;
    const sub = new ExitSubscription(async () => {
      this.subs.delete(sub);
      if (!sock) return;
      try {
        if (registered && !sock.isClosed) {
          await sock.request(
            TASKSTATS_GENL_NAME,
            TASKSTATS_CMD_GET,
            { TASKSTATS_CMD_ATTR_DEREGISTER_CPUMASK: cpumask },
            { timeout: DEREGISTER_TIMEOUT },
          );
        }
      } catch {
        /* the kernel drops a listener whose socket is gone anyway */
      } finally {
        sock.close();
      }
    });
    const tap = new ExitRecordTap(
      new NativeTransport(NETLINK_GENERIC, { netns: ns, rcvbuf: this.opts.rcvbuf ?? EXIT_RCVBUF }),
      (buf, start, end) => {
        for (const m of sock!.marshal.parse(buf, start, end, false)) {
          if (m.schema !== taskstatsMsg) continue;
          const e = exitFromMessage(m as TaskStatsMessage);
          if (e) sub.push(e);
        }
      },
      () => sub.overrun(),
    );
    sock = new GenericNetlinkSocket({ transport: tap, timeout: this.opts.timeout });
    sub.socket = sock;
    // A reader waiting for records holds the process; an idle subscription does not.
    const held = sock.socket;
    sub.watchWaiting((waiting) => (waiting ? held.retain() : held.release()));
    sock.register(TASKSTATS_GENL_NAME, taskstatsSchemas);
    this.subs.add(sub);
    try {
      tap.familyId = (
        await sock.resolve(TASKSTATS_GENL_NAME).catch((e) => {
          throw explain(e);
        })
      ).id;
      await sock.request(TASKSTATS_GENL_NAME, TASKSTATS_CMD_GET, { TASKSTATS_CMD_ATTR_REGISTER_CPUMASK: cpumask });
      registered = true;
    } catch (e) {
      sub.close();
      await sub.whenClosed;
      throw e instanceof NetlinkError && !(e instanceof GenlFamilyNotFoundError) ? explainRegister(e, cpumask) : e;
    }
    return sub;
  }

  /** Close the query socket and every exit subscription (their deregistration runs on). */
  close(): void {
    for (const s of [...this.subs]) s.close();
    this.socket.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /** Close, and wait until exit subscriptions are deregistered. */
  async [Symbol.asyncDispose](): Promise<void> {
    const pending = [...this.subs].map((s) => s.whenClosed);
    this.close();
    await Promise.all(pending);
  }
}

/** Kernel errors of queries, with what they mean for taskstats (the call names the task). */
function explain(e: unknown): unknown {
  if (e instanceof GenlFamilyNotFoundError)
    return new GenlFamilyNotFoundError(
      TASKSTATS_GENL_NAME,
      e.extack,
      'the kernel was built without CONFIG_TASKSTATS, or does not offer it in this network namespace',
    );
  if (!(e instanceof NetlinkError)) return e;
  if (e.errno === EPERM)
    return new NetlinkError(EPERM, e.extack, undefined, 'taskstats needs CAP_NET_ADMIN in the initial user namespace');
  return e;
}

function explainRegister(e: NetlinkError, cpumask: string): NetlinkError {
  if (e.errno === ERANGE)
    return new NetlinkError(
      ERANGE,
      e.extack,
      undefined,
      `cpumask "${cpumask}" names CPUs this machine cannot have (possible: ${possibleCpus()})`,
    );
  if (e.errno === EINVAL)
    return new NetlinkError(
      EINVAL,
      e.extack,
      undefined,
      `the kernel refused to register cpumask "${cpumask}" (a malformed list, or this process is not in the initial PID namespace)`,
    );
  return explain(e) as NetlinkError;
}

const call = (operation: string, object?: string): CallDescription => ({ operation, object });

/** TaskStats' public calls that talk to the kernel, and how their errors name them. */
const TASKSTATS_CALLS: CallTable<TaskStats> = {
  getPidStats: (pid) => call('taskstats get', `pid ${pid}`),
  getTgidStats: (tgid) => call('taskstats get', `tgid ${tgid}`),
  pidStats: (pid) => call('taskstats get', `pid ${pid}`),
  tgidStats: (tgid) => call('taskstats get', `tgid ${tgid}`),
  subscribeExits: (cpumask) => call('taskstats register', cpumask === undefined ? 'all CPUs' : `cpumask ${cpumask}`),
};
// Kernel errors of these calls name the call and point at the caller's line.
describeCalls(TaskStats, TASKSTATS_CALLS);
