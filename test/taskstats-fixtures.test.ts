// TaskStats offline: the struct layout, and real answers and exit records recorded by
// test/fixtures/genl/capture.mjs, decoded strictly and replayed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  NetlinkDecodeError,
  NetlinkError,
  ReplayTransport,
  genlFamilySchema,
  messageClass,
  type Owner,
} from '../src/core/index.js';
import { decodeStrace } from '../src/tools/decoder.js';
import { commandSelector, ctrlmsg, familyFromMessage, genlMarshal, type CtrlMessage } from '../src/genl/index.js';
import {
  TASKSTATS_MIN_SIZE,
  TaskStats,
  exitFromMessage,
  taskstatsCmd,
  taskstatsMsg,
  taskstatsSchemas,
  taskstatsStruct,
  type TaskStatsMessage,
} from '../src/taskstats/index.js';
import { fixture } from './helpers/genl-fixture.js';

/** The TASKSTATS family id of the recording, from its recorded nlctrl answer. */
const familyId = familyFromMessage(
  ctrlmsg.decode(fixture('nlctrl-getfamily-taskstats.hex')[0].received[0]) as CtrlMessage,
).id;

/** A genl marshal that knows TASKSTATS under the recorded id. */
function marshal() {
  const m = genlMarshal();
  m.register(familyId, commandSelector(taskstatsSchemas));
  return m;
}

const owner: Owner = { family: 0, getAttr: () => undefined };

describe('struct taskstats layout', () => {
  it('offsets follow the header, aligned(8) padding included', () => {
    const o = taskstatsStruct.offsets;
    const expect: Record<string, number> = {
      version: 0,
      ac_exitcode: 4,
      ac_flag: 8,
      ac_nice: 9,
      cpu_count: 16,
      cpu_run_virtual_total: 72,
      ac_comm: 80,
      ac_sched: 112,
      ac_uid: 120,
      ac_gid: 124,
      ac_pid: 128,
      ac_ppid: 132,
      ac_btime: 136,
      ac_etime: 144,
      ac_utime: 152,
      ac_stime: 160,
      ac_majflt: 176,
      coremem: 184,
      write_syscalls: 240,
      read_bytes: 248,
      nvcsw: 272,
      ac_btime64: 344,
      compact_delay_total: 360,
      ac_tgid: 368,
      ac_tgetime: 376,
      ac_exe_dev: 384,
      ac_exe_inode: 392,
      wpcopy_count: 400,
      wpcopy_delay_total: 408,
      irq_count: 416,
      irq_delay_total: 424,
      cpu_delay_max: 432,
      irq_delay_min: 552,
    };
    for (const [k, v] of Object.entries(expect)) assert.equal(o[k], v, k);
    assert.equal(taskstatsStruct.size, 560, 'version 16 is 560 bytes');
    assert.equal(taskstatsStruct.minSize, TASKSTATS_MIN_SIZE);
  });

  it('older structs decode their fields; newer ones keep a tail; too short is an error', () => {
    const full = Buffer.alloc(560);
    full.writeUInt16LE(8, 0);
    full.writeUInt32LE(4242, 128);
    full.writeBigUInt64LE(7n, 336);
    const v8 = taskstatsStruct.decode(full, 0, 344, owner);
    assert.equal(v8.ac_pid, 4242);
    assert.equal(v8.thrashing_delay_total, 7n);
    assert.equal(v8.ac_btime64, undefined);
    assert.equal(v8._tail, undefined);
    const v17 = taskstatsStruct.decode(Buffer.concat([full, Buffer.alloc(16, 0xab)]), 0, 576, owner);
    assert.equal(v17._tail?.toString('hex'), 'ab'.repeat(16));
    assert.throws(() => taskstatsStruct.decode(full, 0, 183, owner), NetlinkDecodeError);
  });
});

describe('recorded taskstats answers', () => {
  it('classes are registered for the decoder', () => {
    assert.equal(messageClass('taskstats.taskstats_msg'), taskstatsMsg);
    assert.equal(messageClass('taskstats.taskstats_cmd'), taskstatsCmd);
    const get = Buffer.alloc(20),
      reply = Buffer.alloc(20);
    get[16] = 1;
    reply[16] = 2;
    assert.equal(genlFamilySchema('TASKSTATS', get, 0), taskstatsCmd);
    assert.equal(genlFamilySchema('TASKSTATS', reply, 0), taskstatsMsg);
  });

  it('a strace of a taskstats session decodes: the family id is learned from nlctrl', () => {
    const text = readFileSync(
      new URL('../../test/fixtures/genl/taskstats-session.strace.log', import.meta.url),
      'utf8',
    );
    const msgs = decodeStrace(text).flatMap((d) => d.messages);
    for (const m of msgs) m.validate();
    const replies = msgs.filter((m) => m.schema === taskstatsMsg && m.fields.cmd === 2) as TaskStatsMessage[];
    assert.equal(replies.length, 2, 'pid and tgid answers');
    const s = replies[0].getAttr('TASKSTATS_TYPE_AGGR_PID')!.getAttr('TASKSTATS_TYPE_STATS')!;
    assert.equal(s.ac_comm, 'node');
    assert.equal(replies[1].getAttr('TASKSTATS_TYPE_AGGR_TGID')!.getAttr('TASKSTATS_TYPE_TGID'), s.ac_pid);
    assert.ok(
      msgs.some((m) => m.schema.name === 'core.nlmsgerr' && m.fields.error === -3),
      'the ESRCH answer',
    );
  });

  it('pid answer: the struct of the pid that was asked', () => {
    const [, pidEx, tgidEx, esrchEx] = fixture('taskstats-pid.hex');
    const [req] = marshal().parse(pidEx.sent!);
    assert.equal(req.schema, taskstatsCmd, 'requests decode with the request attributes');
    const asked = req.getAttr('TASKSTATS_CMD_ATTR_PID') as number;

    const [m] = marshal().parse(pidEx.received[0], 0, pidEx.received[0].length, true) as TaskStatsMessage[];
    assert.equal(m.schema, taskstatsMsg);
    m.validate();
    assert.equal(m.fields.cmd, 2);
    const s = m.getAttr('TASKSTATS_TYPE_AGGR_PID')!.getAttr('TASKSTATS_TYPE_STATS')!;
    assert.equal(s.version, 16);
    assert.equal(s.ac_pid, asked);
    assert.equal(s.ac_tgid, asked);
    assert.equal(s.ac_comm, 'node');
    assert.ok(s.ac_btime > 1.6e9 && BigInt(s.ac_btime) === s.ac_btime64);
    assert.ok(s.ac_exe_inode! > 0n);
    assert.equal(s._tail, undefined, 'every byte of v16 is known');
    const j = m.toJSON();
    assert.deepEqual(j.fields, { cmd: 'TASKSTATS_CMD_NEW', version: 1, reserved: 0 });

    const [g] = marshal().parse(tgidEx.received[0]) as TaskStatsMessage[];
    assert.equal(g.getAttr('TASKSTATS_TYPE_AGGR_TGID')!.getAttr('TASKSTATS_TYPE_TGID'), asked);

    const [err] = marshal().parse(esrchEx.received[0]);
    assert.equal(err.schema.name, 'core.nlmsgerr');
    assert.equal(err.fields.error, -3);
  });

  it('the encoder produces the recorded request', () => {
    const [, pidEx] = fixture('taskstats-pid.hex');
    const sent = pidEx.sent!;
    const pid = sent.readUInt32LE(sent.length - 4);
    const ours = taskstatsCmd.encode({
      type: familyId,
      flags: sent.readUInt16LE(6),
      seq: sent.readUInt32LE(8),
      fields: { cmd: 'TASKSTATS_CMD_GET', version: 1 },
      attrs: { TASKSTATS_CMD_ATTR_PID: pid },
    });
    assert.deepEqual(ours, sent);
    const [reg] = fixture('taskstats-register.hex');
    const [r] = marshal().parse(reg.sent!);
    assert.equal(r.getAttr('TASKSTATS_CMD_ATTR_REGISTER_CPUMASK'), '0-1');
  });

  it('exit records: a single-threaded process, and the last thread of a group', () => {
    const [ex] = fixture('taskstats-exit.hex');
    const exits = ex.received.map((d) => {
      const [m] = marshal().parse(d, 0, d.length, true) as TaskStatsMessage[];
      m.validate();
      return exitFromMessage(m)!;
    });
    assert.equal(exits[0].stats.ac_comm, 'true');
    assert.equal(exits[0].pid, exits[0].stats.ac_pid);
    assert.equal(exits[0].tgid, undefined);
    const last = exits[exits.length - 1];
    assert.ok(last.tgid && last.tgidStats, 'group record present');
    assert.equal(last.stats.ac_tgid, last.tgid);
    assert.ok(last.tgidStats.ac_utime + last.tgidStats.ac_stime >= last.stats.ac_utime + last.stats.ac_stime);
    // Records are plain data: nothing points back into the receive buffer.
    assert.ok(!Object.values(last.stats).some((v) => Buffer.isBuffer(v)));
  });

  it('TaskStats on replayed answers', async () => {
    const [getFamily] = fixture('nlctrl-getfamily-taskstats.hex');
    const [, pidEx, tgidEx, esrchEx] = fixture('taskstats-pid.hex');
    const asked = pidEx.sent!.readUInt32LE(pidEx.sent!.length - 4);
    await using ts = new TaskStats({ transport: new ReplayTransport([getFamily, pidEx, tgidEx, esrchEx]) });
    const s = await ts.getPidStats(asked);
    assert.equal(s.ac_pid, asked);
    const g = await ts.getTgidStats(asked);
    assert.equal(g.version, 16);
    await assert.rejects(ts.getPidStats(0x7ffffffe), (e: unknown) => e instanceof NetlinkError && e.code === 'ESRCH');
    await assert.rejects(ts.subscribeExits(), TypeError, 'exit records need a kernel socket');
  });
});
