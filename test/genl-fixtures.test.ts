// Generic netlink offline: real nlctrl answers recorded by test/fixtures/genl/capture.mjs,
// decoded strictly through the codec and replayed through a GenericNetlinkSocket.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MessageSchema,
  NETLINK_GENERIC,
  NetlinkDecodeError,
  ReplayTransport,
  attrMap,
  messageClass,
  protocolMarshal,
  string,
  u32,
  type AnyMessage,
} from '../src/core/index.js';
import {
  GENL_OP_FLAGS,
  GenericNetlinkSocket,
  GenlFamilyNotFoundError,
  commandSelector,
  ctrlmsg,
  familyFromMessage,
  genlMarshal,
  genlSchema,
  genlmsg,
  policyFromMessages,
  type CtrlMessage,
} from '../src/genl/index.js';
import { fixture } from './helpers/genl-fixture.js';

/** Every message of a fixture's answers, decoded strictly by a genl marshal. */
function answers(name: string, marshal = genlMarshal()): AnyMessage[] {
  return fixture(name).flatMap((ex) => ex.received.flatMap((d) => marshal.parse(d, 0, d.length, true)));
}

const FIXTURES = [
  'nlctrl-getfamily-nlctrl.hex',
  'nlctrl-getfamily-taskstats.hex',
  'nlctrl-getfamily-enoent.hex',
  'nlctrl-dump.hex',
  'nlctrl-getpolicy-nlctrl.hex',
  'taskstats-pid.hex',
  'taskstats-register.hex',
  'taskstats-exit.hex',
];

describe('genl codec on recorded kernel answers', () => {
  it('every recorded message passes strict validation', () => {
    let n = 0;
    for (const f of FIXTURES) {
      for (const m of answers(f)) {
        m.validate();
        assert.ok(m.toJSON(), f);
        n++;
      }
      // Requests we sent decode too.
      for (const ex of fixture(f)) if (ex.sent) for (const m of genlMarshal().parse(ex.sent)) m.validate();
    }
    assert.ok(n >= 30, `${n} messages`);
  });

  it('the nlctrl answer for nlctrl', () => {
    const [m, ack] = answers('nlctrl-getfamily-nlctrl.hex') as [CtrlMessage, AnyMessage];
    assert.equal(m.schema, ctrlmsg);
    assert.equal(ack.schema.name, 'core.nlmsgerr');
    const f = familyFromMessage(m);
    assert.equal(f.id, 16);
    assert.equal(f.name, 'nlctrl');
    assert.deepEqual({ ...f.mcastGroups }, { notify: 16 });
    const j = m.toJSON();
    assert.equal(j.header.type, 'GENL_ID_CTRL');
    assert.deepEqual(j.fields, { cmd: 'CTRL_CMD_NEWFAMILY', version: 2, reserved: 0 });
    const ops = j.attrs.find(([k]) => k === 'CTRL_ATTR_OPS')?.[1] as [string, unknown][][];
    assert.deepEqual(ops[0], [
      ['CTRL_ATTR_OP_ID', 3],
      ['CTRL_ATTR_OP_FLAGS', ['GENL_CMD_CAP_DO', 'GENL_CMD_CAP_DUMP', 'GENL_CMD_CAP_HASPOL']],
    ]);
    assert.equal(f.ops[0].flags & GENL_OP_FLAGS.GENL_ADMIN_PERM, 0);
  });

  it('the encoder produces the request the kernel was sent', () => {
    const [ex] = fixture('nlctrl-getfamily-nlctrl.hex');
    const seq = ex.sent!.readUInt32LE(8);
    const ours = ctrlmsg.encode({
      type: 16,
      flags: 5,
      seq,
      fields: { cmd: 'CTRL_CMD_GETFAMILY', version: 2 },
      attrs: { CTRL_ATTR_FAMILY_NAME: 'nlctrl' },
    });
    assert.deepEqual(ours, ex.sent);
  });

  it('the family dump lists every family once', () => {
    const ms = answers('nlctrl-dump.hex').filter((m) => m.schema === ctrlmsg) as CtrlMessage[];
    const fams = ms.map(familyFromMessage);
    const names = fams.map((f) => f.name);
    assert.ok(names.includes('nlctrl') && names.includes('TASKSTATS'));
    assert.equal(new Set(names).size, names.length);
  });

  it('the policy dump of nlctrl', () => {
    const ms = answers('nlctrl-getpolicy-nlctrl.hex').filter((m) => m.schema === ctrlmsg) as CtrlMessage[];
    const p = policyFromMessages(ms);
    const doIdx = p.ops.get(3)?.do;
    assert.equal(doIdx, 0);
    assert.deepEqual(p.policies.get(0)?.get(2), { type: 'NL_ATTR_TYPE_NUL_STRING', maxLength: 15 });
    // Printable as JSON (bigint bounds become numbers or strings).
    assert.doesNotThrow(() => JSON.stringify(ms.map((m) => m.toJSON())));
  });

  it('messages of families unknown offline decode as bare genl messages', () => {
    const [m] = answers('taskstats-exit.hex');
    assert.equal(m.schema, genlmsg);
    assert.deepEqual(m.toJSON().fields, { cmd: 2, version: 1, reserved: 0 });
    assert.equal(m.toJSON().attrs[0][0], 4, 'attributes by number, bytes as hex');
  });

  it('the decoder finds the genl marshal and classes by name', () => {
    const p = protocolMarshal(NETLINK_GENERIC);
    assert.equal(p?.name, 'NETLINK_GENERIC');
    const [m] = answers('nlctrl-getfamily-nlctrl.hex', p!.marshal());
    assert.equal(m.schema.name, 'genl.ctrlmsg');
    assert.equal(messageClass('genl.ctrlmsg'), ctrlmsg);
    assert.equal(messageClass('genl.genlmsg'), genlmsg);
  });

  it('truncated or corrupted nlctrl answers are decode errors, not crashes', () => {
    const [ex] = fixture('nlctrl-getfamily-nlctrl.hex');
    const good = ex.received[0];
    for (let cut = 17; cut < good.length; cut += 7) {
      const bad = Buffer.from(good.subarray(0, cut));
      bad.writeUInt32LE(cut, 0);
      const [m] = genlMarshal().parse(bad);
      try {
        m.validate();
        familyFromMessage(m as CtrlMessage);
      } catch (e) {
        assert.ok(e instanceof NetlinkDecodeError, String(e));
      }
    }
    const bad = Buffer.from(good);
    bad.writeUInt16LE(0xff, 64); // the CTRL_ATTR_OPS nest claims more than the message has
    const [m] = genlMarshal().parse(bad);
    assert.throws(() => m.validate(), NetlinkDecodeError);
    assert.doesNotThrow(() => m.toJSON(), 'lenient printing keeps going');
  });
});

describe('per-command dispatch', () => {
  const FAM = 0x42;
  const req = genlSchema('test.req', attrMap('req', { REQ_NAME: [1, string] }), { TEST_CMD_GET: 1, TEST_CMD_NEW: 2 });
  const rep = genlSchema('test.rep', attrMap('rep', { REP_COUNT: [1, u32] }), { TEST_CMD_GET: 1, TEST_CMD_NEW: 2 });

  it('commandSelector picks the class by genlmsghdr.cmd, else the fallback', () => {
    const marshal = genlMarshal();
    marshal.register(FAM, commandSelector({ 1: req, 2: rep }));
    const a = req.encode({ type: FAM, fields: { cmd: 'TEST_CMD_GET' }, attrs: { REQ_NAME: 'x' } });
    const b = rep.encode({ type: FAM, fields: { cmd: 'TEST_CMD_NEW' }, attrs: { REP_COUNT: 7 } });
    const c = rep.encode({ type: FAM, fields: { cmd: 9 } });
    const [ma, mb, mc] = marshal.parse(Buffer.concat([a, b, c]));
    assert.equal(ma.schema, req);
    assert.equal(mb.schema, rep);
    assert.equal(mb.getAttr('REP_COUNT'), 7);
    assert.equal(mc.schema, genlmsg);
    // A message too short for a genl header still gets a class and fails validation cleanly.
    const short = Buffer.from(a.subarray(0, 16));
    short.writeUInt32LE(16, 0);
    const [ms] = marshal.parse(short);
    assert.equal(ms.schema, genlmsg);
    assert.throws(() => ms.validate(), NetlinkDecodeError);
  });

  it('a single class serves every command', () => {
    assert.ok(commandSelector(req) instanceof MessageSchema);
  });
});

describe('GenericNetlinkSocket on replayed answers', () => {
  it('resolves from the recorded nlctrl answer, and a missing family as a typed error', async () => {
    const transport = new ReplayTransport([
      ...fixture('nlctrl-getfamily-taskstats.hex'),
      ...fixture('nlctrl-getfamily-enoent.hex'),
    ]);
    await using sock = new GenericNetlinkSocket({ transport });
    const f = await sock.resolve('TASKSTATS');
    assert.equal(f.name, 'TASKSTATS');
    assert.equal(sock.familyById(f.id), f);
    await assert.rejects(sock.resolve('nl80211'), GenlFamilyNotFoundError);
    assert.equal(transport.sent.length, 2);
  });
});
