// TaskStats against the real kernel (CONFIG_TASKSTATS): our own pid and tgid, exit records of
// child processes, errors, and the namespace rules measured on this kernel.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { NetlinkError, Overrun } from '../src/core/index.js';
import {
  ACCT_FLAGS,
  TaskStats,
  TaskStatsNamespaceError,
  possibleCpus,
  type ExitSubscription,
  type TaskExit,
} from '../src/taskstats/index.js';

const comm = (tid: number): string => readFileSync(`/proc/${process.pid}/task/${tid}/comm`, 'utf8').trim();

/** The first record the subscription yields that matches, or a timeout error. */
async function waitFor(sub: ExitSubscription, match: (e: TaskExit) => boolean, ms = 5000): Promise<TaskExit> {
  const timer = setTimeout(() => sub.close(), ms);
  try {
    for await (const e of sub) {
      if (e instanceof Overrun) continue;
      if (match(e)) return e;
    }
    throw new Error(`no matching exit record within ${ms} ms (${sub.received} records seen)`);
  } finally {
    clearTimeout(timer);
  }
}

/** Start a command: its pid now, and a promise of its end. */
function start(cmd: string, args: string[] = []): { pid: number; exited: Promise<void> } {
  const c = spawn(cmd, args, { stdio: 'ignore' });
  assert.ok(c.pid, `spawned ${cmd}`);
  return {
    pid: c.pid,
    exited: new Promise((resolve, reject) => {
      c.on('error', reject);
      c.on('exit', () => resolve());
    }),
  };
}

describe('TaskStats on the real kernel', () => {
  it('stats of our own pid', async () => {
    await using ts = new TaskStats();
    const s = await ts.getPidStats(process.pid);
    assert.equal(s.ac_pid, process.pid);
    assert.equal(s.ac_comm, comm(process.pid));
    assert.equal(s.ac_tgid, process.pid);
    assert.equal(s.ac_ppid, process.ppid);
    assert.equal(s.ac_uid, process.getuid!());
    assert.equal(s.ac_gid, process.getgid!());
    assert.ok(s.version >= 13, `struct version ${s.version}`);
    assert.ok(s.cpu_count > 0n, 'scheduled at least once');
    assert.ok(s.ac_utime + s.ac_stime > 0n, 'used some CPU');
    assert.equal(typeof s.ac_utime, 'bigint');
    const started = Date.now() / 1000 - process.uptime();
    assert.ok(Math.abs(s.ac_btime - started) < 3, `ac_btime ${s.ac_btime} vs ${started}`);
    assert.ok(s.ac_etime > 0n);
    // The binary we run from, by device and inode.
    const exe = statSync('/proc/self/exe');
    assert.equal(s.ac_exe_inode, BigInt(exe.ino));
    assert.equal(s.ac_exe_dev, BigInt(exe.dev));
    assert.equal(s.ac_flag & ACCT_FLAGS.AFORK, 0, 'node was exec()ed');
    assert.ok((s.read_char ?? 0n) > 0n, 'we read our own files');
  });

  it('stats of another thread of ours', async () => {
    await using ts = new TaskStats();
    const tid = readdirSync('/proc/self/task')
      .map(Number)
      .find((t) => t !== process.pid);
    assert.ok(tid, 'node runs helper threads');
    const s = await ts.getPidStats(tid);
    assert.equal(s.ac_pid, tid);
    assert.equal(s.ac_tgid, process.pid);
    assert.equal(s.ac_comm, comm(tid));
  });

  it('stats of our thread group: the sum of its threads', async () => {
    await using ts = new TaskStats();
    const main = await ts.getPidStats(process.pid);
    const g = await ts.getTgidStats(process.pid);
    // The kernel fills only the summed fields for a group: no pid or name.
    assert.ok(g.version >= 13);
    assert.ok(g.ac_utime + g.ac_stime >= main.ac_utime + main.ac_stime);
    assert.ok(g.cpu_count >= main.cpu_count);
    assert.ok((g.nvcsw ?? 0n) + (g.nivcsw ?? 0n) > 0n);
    assert.ok(g.ac_etime > 0n);
  });

  it('an unknown pid is NetlinkError ESRCH', async () => {
    await using ts = new TaskStats();
    const pidMax = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
    await assert.rejects(
      ts.getPidStats(pidMax),
      (e: unknown) =>
        e instanceof NetlinkError &&
        e.code === 'ESRCH' &&
        /^taskstats get pid \d+: No such process \(ESRCH\)$/.test(e.message),
    );
    await assert.rejects(ts.getTgidStats(pidMax), (e: unknown) => e instanceof NetlinkError && e.code === 'ESRCH');
  });

  it('bad ids are RangeErrors before anything is sent', async () => {
    await using ts = new TaskStats();
    for (const bad of [0, -1, 1.5, NaN, 2 ** 31, '7' as unknown as number]) {
      await assert.rejects(async () => ts.getPidStats(bad), RangeError);
    }
  });

  it('many queries at once', async () => {
    await using ts = new TaskStats();
    const tids = readdirSync('/proc/self/task').map(Number);
    const all = await Promise.all(Array.from({ length: 200 }, (_, i) => ts.getPidStats(tids[i % tids.length])));
    all.forEach((s, i) => assert.equal(s.ac_pid, tids[i % tids.length]));
  });

  it('an exit subscription sees a child exit, then closes and deregisters', async () => {
    await using ts = new TaskStats();
    const sub = await ts.subscribeExits(possibleCpus());
    const child = start('true');
    const e = await waitFor(sub, (x) => x.pid === child.pid);
    await child.exited;
    assert.equal(e.stats.ac_comm, 'true');
    assert.equal(e.stats.ac_ppid, process.pid);
    assert.equal(e.stats.ac_exitcode, 0);
    assert.equal(e.tgid, undefined, 'a single-threaded process has no group record');
    assert.ok(sub.isClosed, 'leaving the loop closed it');
    await sub.whenClosed;
    assert.ok(sub.socket?.isClosed);
  });

  it('exit codes, and the group record of a multi-threaded process', async () => {
    await using ts = new TaskStats();
    const sub = await ts.subscribeExits();
    const seen: TaskExit[] = [];
    sub.on('message', (e: TaskExit) => seen.push(e));
    const f1 = start('false');
    const n1 = start(process.execPath, ['-e', 'setTimeout(() => {}, 20)']);
    const falsePid = f1.pid,
      nodePid = n1.pid;
    await Promise.all([f1.exited, n1.exited]);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !(seen.some((e) => e.pid === falsePid) && seen.some((e) => e.tgid === nodePid))) {
      await new Promise((r) => setTimeout(r, 20));
    }
    sub.close();
    const f = seen.find((e) => e.pid === falsePid);
    assert.equal(f?.stats.ac_exitcode, 1 << 8, 'wait status: exit code 1');
    const g = seen.find((e) => e.tgid === nodePid);
    assert.ok(g?.tgidStats, 'the last thread of node carries the group record');
    assert.equal(g.stats.ac_tgid, nodePid);
    assert.ok(g.tgidStats.ac_utime + g.tgidStats.ac_stime > 0n);
    const threads = seen.filter((e) => e.stats.ac_tgid === nodePid);
    assert.ok(threads.length > 1, `${threads.length} node threads exited`);
    await sub.whenClosed;
  });

  it('TaskStats.close ends its subscriptions', async () => {
    const ts = new TaskStats();
    const a = await ts.subscribeExits('0');
    const b = await ts.subscribeExits();
    await ts[Symbol.asyncDispose]();
    assert.ok(a.isClosed && b.isClosed);
    assert.ok(a.socket?.isClosed && b.socket?.isClosed);
    assert.ok(ts.socket.isClosed);
    await assert.rejects(ts.subscribeExits(), /closed/);
    await assert.rejects(ts.getPidStats(process.pid), /closed/);
  });

  it('bad cpumasks: syntax is checked here, CPUs by the kernel', async () => {
    await using ts = new TaskStats();
    for (const bad of ['', 'abc', '0-', '1,,2', 'all']) await assert.rejects(ts.subscribeExits(bad), RangeError);
    await assert.rejects(
      ts.subscribeExits('0-4095'),
      (e: unknown) => e instanceof NetlinkError && e.code === 'ERANGE' && /cannot have/.test(e.message),
    );
  });
});

describe('TaskStats and namespaces', () => {
  const ns = `nlr-ts-${process.pid}`;
  before(() => {
    execFileSync('ip', ['netns', 'add', ns]);
  });
  after(() => {
    execFileSync('ip', ['netns', 'del', ns]);
  });

  it('queries work from another network namespace; exit records would never arrive there', async () => {
    await using ts = new TaskStats({ netns: ns });
    const s = await ts.getPidStats(process.pid);
    assert.equal(s.ac_pid, process.pid);
    await assert.rejects(ts.subscribeExits(), TaskStatsNamespaceError);
  });
});
