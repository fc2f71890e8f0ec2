// Generic netlink against the real kernel: family discovery, cached resolves, groups,
// policies, command names, and a socket inside a namespace made for the test.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  NETLINK_GENERIC,
  NLM_F_REQUEST,
  NativeTransport,
  NetlinkEncodeError,
  NetlinkError,
  RecordingTransport,
  SOL_NETLINK,
  NETLINK_LIST_MEMBERSHIPS,
} from '../src/core/index.js';
import {
  CTRL_CMD_GETFAMILY,
  GENL_ID_CTRL,
  GENL_OP_FLAGS,
  GenericNetlink,
  GenericNetlinkSocket,
  GenlFamilyNotFoundError,
  GenlGroupNotFoundError,
  ctrlmsg,
} from '../src/genl/index.js';

/** `genl ctrl list` as name -> id, when iproute2's genl tool is installed. */
function genlToolFamilies(): Map<string, number> | undefined {
  const tool = ['/usr/sbin/genl', '/sbin/genl', '/usr/bin/genl'].find((p) => existsSync(p));
  if (!tool) return undefined;
  const out = execFileSync(tool, ['ctrl', 'list'], { encoding: 'utf8' });
  const map = new Map<string, number>();
  for (const m of out.matchAll(/^Name: (\S+)\s*\n\s*ID: (0x[0-9a-f]+)/gm)) map.set(m[1], Number(m[2]));
  return map;
}

describe('generic netlink on the real kernel', () => {
  it('listFamilies has nlctrl and TASKSTATS, and agrees with genl ctrl list', async () => {
    await using genl = new GenericNetlink();
    const fams = await genl.listFamilies();
    const byName = new Map(fams.map((f) => [f.name, f]));
    assert.equal(byName.get('nlctrl')?.id, GENL_ID_CTRL);
    assert.ok(byName.has('TASKSTATS'), 'this kernel has CONFIG_TASKSTATS');
    assert.equal(new Set(fams.map((f) => f.id)).size, fams.length, 'ids are unique');
    const tool = genlToolFamilies();
    if (tool) assert.deepEqual(new Map(fams.map((f) => [f.name, f.id])), tool);
  });

  it("resolve('nlctrl'): id 16, its ops and the notify group", async () => {
    await using genl = new GenericNetlink();
    const f = await genl.resolve('nlctrl');
    assert.equal(f.id, 16);
    assert.equal(f.name, 'nlctrl');
    assert.ok(f.version >= 2);
    const get = f.ops.find((o) => o.id === CTRL_CMD_GETFAMILY);
    assert.ok(get, 'GETFAMILY is an op');
    assert.ok(get.flags & GENL_OP_FLAGS.GENL_CMD_CAP_DO && get.flags & GENL_OP_FLAGS.GENL_CMD_CAP_DUMP);
    assert.deepEqual({ ...f.mcastGroups }, { notify: 16 });
  });

  it('an unknown family is a typed error saying the kernel has no such family', async () => {
    await using genl = new GenericNetlink();
    const err = await genl.resolve('nl80211').then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof GenlFamilyNotFoundError, String(err));
    assert.ok(err instanceof NetlinkError);
    assert.equal(err.code, 'ENOENT');
    assert.equal(err.family, 'nl80211');
    assert.match(err.message, /"nl80211" not found: the kernel has no such family/);
  });

  it('names that cannot exist fail without asking the kernel', async () => {
    const rec = new RecordingTransport(new NativeTransport(NETLINK_GENERIC));
    await using sock = new GenericNetlinkSocket({ transport: rec });
    for (const bad of ['', 'x'.repeat(16), 'a\0b']) {
      await assert.rejects(sock.resolve(bad), GenlFamilyNotFoundError);
    }
    assert.equal(rec.exchanges.length, 0);
    // 15 bytes is the longest legal name: the kernel is asked, and says no.
    await assert.rejects(sock.resolve('y'.repeat(15)), GenlFamilyNotFoundError);
    assert.equal(rec.exchanges.length, 1);
  });

  it('concurrent resolves of one name share one request; failures are not cached', async () => {
    const rec = new RecordingTransport(new NativeTransport(NETLINK_GENERIC));
    await using sock = new GenericNetlinkSocket({ transport: rec });
    const all = await Promise.all(Array.from({ length: 20 }, () => sock.resolve('TASKSTATS')));
    assert.ok(all.every((f) => f === all[0]));
    assert.equal(rec.exchanges.length, 1);
    assert.equal(await sock.resolve('TASKSTATS'), all[0], 'later calls hit the cache');
    assert.equal(rec.exchanges.length, 1);
    const [a, b] = await Promise.allSettled([sock.resolve('nl80211'), sock.resolve('nl80211')]);
    assert.equal(a.status, 'rejected');
    assert.equal(b.status, 'rejected');
    assert.equal(rec.exchanges.length, 2, 'the two concurrent failing resolves shared a request');
    await assert.rejects(sock.resolve('nl80211'), GenlFamilyNotFoundError);
    assert.equal(rec.exchanges.length, 3, 'a failure is asked again');
    sock.forget('TASKSTATS');
    await sock.resolve('TASKSTATS');
    assert.equal(rec.exchanges.length, 4);
  });

  it('subscribe joins nlctrl notify by name; an unknown group is a typed error', async () => {
    await using sock = new GenericNetlinkSocket();
    const sub = await sock.subscribe('nlctrl', 'notify');
    const transport = sock.socket.transport;
    // NETLINK_LIST_MEMBERSHIPS: the first word of the bitmap, group n is bit n-1.
    const groups = transport.getOption!(SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS);
    assert.ok(groups & (1 << 15), `group 16 joined (bitmap ${groups.toString(16)})`);
    sub.close();
    assert.equal(transport.getOption!(SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS) & (1 << 15), 0, 'left on close');
    const err = await sock.subscribe('nlctrl', ['notify', 'nope']).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof GenlGroupNotFoundError);
    assert.deepEqual(err.available, ['notify']);
    await assert.rejects(sock.subscribe('TASKSTATS', 'x'), /has no multicast group "x" \(it has: none\)/);
  });

  it('getPolicy reads the kernel policy of nlctrl', async () => {
    await using genl = new GenericNetlink();
    const p = await genl.getPolicy('nlctrl');
    const get = p.ops.get(CTRL_CMD_GETFAMILY);
    assert.ok(get && get.do !== undefined);
    const name = p.policies.get(get.do!)?.get(2);
    assert.deepEqual(name, { type: 'NL_ATTR_TYPE_NUL_STRING', maxLength: 15 });
    const id = p.policies.get(get.do!)?.get(1);
    assert.equal(id?.type, 'NL_ATTR_TYPE_U16');
    assert.equal(id?.max, 65535n);
  });

  it('request by family and command name through a registered class', async () => {
    await using sock = new GenericNetlinkSocket();
    sock.register('nlctrl', ctrlmsg);
    const answer = await sock.request('nlctrl', 'CTRL_CMD_GETFAMILY', { CTRL_ATTR_FAMILY_NAME: 'TASKSTATS' });
    const [m] = answer;
    assert.equal(m.schema, ctrlmsg);
    assert.equal(m.getAttr('CTRL_ATTR_FAMILY_NAME'), 'TASKSTATS');
    assert.equal(m.toJSON().fields.cmd, 'CTRL_CMD_NEWFAMILY');
    await assert.rejects(sock.request('nlctrl', 'CTRL_CMD_NOPE'), NetlinkEncodeError);
    // Without a class the family's commands go by number and answers come back raw.
    const raw = await sock.request('TASKSTATS', 1, [[1, Buffer.from([1, 0, 0, 0])]], { flags: 0 });
    assert.equal(raw[0].schema.name, 'genl.genlmsg');
    raw[0].validate();
  });

  it('dump streams a family dump', async () => {
    await using sock = new GenericNetlinkSocket();
    sock.register('nlctrl', ctrlmsg);
    const names: string[] = [];
    for await (const m of sock.dump('nlctrl', 'CTRL_CMD_GETFAMILY')) names.push(m.getAttr('CTRL_ATTR_FAMILY_NAME'));
    assert.ok(names.includes('nlctrl') && names.includes('TASKSTATS'));
  });

  it('a kernel error in a family request is a NetlinkError', async () => {
    await using sock = new GenericNetlinkSocket();
    // TASKSTATS_CMD_GET without pid, tgid or cpumask: EINVAL.
    await assert.rejects(
      sock.request('TASKSTATS', 1, [], { flags: NLM_F_REQUEST }),
      (e: unknown) => e instanceof NetlinkError && e.code === 'EINVAL',
    );
  });

  it('close ends the socket; later calls fail', async () => {
    const genl = new GenericNetlink();
    await genl[Symbol.asyncDispose]();
    assert.ok(genl.socket.isClosed);
    await assert.rejects(genl.resolve('nlctrl'), /closed/);
  });
});

describe('generic netlink in a network namespace', () => {
  const ns = `nlr-genl-${process.pid}`;
  before(() => {
    execFileSync('ip', ['netns', 'add', ns]);
  });
  after(() => {
    execFileSync('ip', ['netns', 'del', ns]);
  });

  it('families are visible from a fresh namespace (measured: the same set here)', async () => {
    await using inside = new GenericNetlink({ netns: ns });
    await using outside = new GenericNetlink();
    const a = (await inside.listFamilies()).map((f) => `${f.name}:${f.id}`).sort();
    const b = (await outside.listFamilies()).map((f) => `${f.name}:${f.id}`).sort();
    assert.ok(a.includes('nlctrl:16'));
    // Families without netnsok would be missing inside; on this kernel every one is netns-aware.
    assert.ok(
      a.every((x) => b.includes(x)),
      'ids are global',
    );
    assert.equal((await inside.resolve('TASKSTATS')).id, (await outside.resolve('TASKSTATS')).id);
  });
});
