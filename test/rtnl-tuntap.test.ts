// tun/tap on the real kernel, inside throwaway namespaces: nlroute creates (through
// /dev/net/tun, see src/rtnl/tuntap.ts) -> `ip -j -d link show` agrees; `ip tuntap add`
// creates -> nlroute reads the same IFLA_TUN_* data; deletes both ways; typed errors; no fd leak.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readlinkSync } from 'node:fs';
import { test } from 'node:test';
import { NetlinkError, NetlinkSocket, ReplayTransport, loadNative, type AttrSet } from '../src/core/index.js';
import { IPRoute, rtnlMarshal, type IfinfMessage } from '../src/rtnl/index.js';
import { createNetns, deleteNetns, withNetns, type TestNetns } from './helpers/netns.js';

const tunData = (l: IfinfMessage): AttrSet<any> =>
  l.getAttr('IFLA_LINKINFO')!.getAttr('IFLA_INFO_DATA') as AttrSet<any>;
const ipLink = async (ns: TestNetns, name: string): Promise<any> => (await ns.json(`-d link show dev ${name}`))[0];
const names = async (ipr: IPRoute): Promise<string[]> =>
  (await ipr.getLinks()).map((l) => l.getAttr('IFLA_IFNAME')!).sort();
const openFds = (): number => readdirSync('/proc/self/fd').length;

/** iproute2 prints an owner/group by name when the host knows it, else as a number. */
function idAs(db: 'passwd' | 'group', id: number): string | number {
  try {
    return execFileSync('getent', [db, String(id)], { encoding: 'utf8' }).split(':')[0];
  } catch {
    return id;
  }
}

test('tun and tap made by nlroute as iproute2 sees them: type, pi, vnet_hdr, persist, owner, group, multi_queue', async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    const [tn] = await ipr.link('add', { ifname: 'tn0', kind: 'tun', tunOwner: 4242, tunGroup: 4343, tunPi: true });
    const [tp] = await ipr.link('add', {
      ifname: 'tp0',
      kind: 'tap',
      tunMultiQueue: true,
      tunVnetHdr: true,
      tunOwner: 0,
    });
    assert.equal(tn.getAttr('IFLA_IFNAME'), 'tn0');
    assert.equal(tp.getAttr('IFLA_IFNAME'), 'tp0');

    const a = (await ipLink(ns, 'tn0')).linkinfo;
    assert.equal(a.info_kind, 'tun');
    assert.equal(a.info_data.type, 'tun');
    assert.equal(a.info_data.pi, true);
    assert.equal(a.info_data.vnet_hdr, false);
    assert.equal(a.info_data.multi_queue, false);
    assert.equal(a.info_data.persist, true);
    assert.equal(a.info_data.user, idAs('passwd', 4242));
    assert.equal(a.info_data.group, idAs('group', 4343));
    const b = (await ipLink(ns, 'tp0')).linkinfo;
    assert.equal(b.info_kind, 'tun');
    assert.equal(b.info_data.type, 'tap');
    assert.equal(b.info_data.pi, false);
    assert.equal(b.info_data.vnet_hdr, true);
    assert.equal(b.info_data.multi_queue, true);
    assert.equal(b.info_data.persist, true);
    assert.equal(b.info_data.user, idAs('passwd', 0));
    assert.equal(b.info_data.group, undefined);
    // `ip tuntap show` (sysfs flags) prints them exactly as twins made by `ip tuntap add`.
    await ns.batch([
      'tuntap add mode tun name itn0 user 4242 group 4343 pi',
      'tuntap add mode tap name itp0 multi_queue vnet_hdr user 0',
    ]);
    const show = new Map(
      (await ns.ip('tuntap show'))
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':'))]),
    );
    assert.equal(show.get('tn0'), show.get('itn0'));
    assert.equal(show.get('tp0'), show.get('itp0'));
    assert.match(show.get('tp0')!, /^: tap .*multi_queue.*persist/);
  });
});

test('the rest of a tun/tap spec is applied: mtu, address, state, master, txqlen, altname; %d and default names', async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    await ipr.link('add', { ifname: 'br0', kind: 'bridge' });
    const [t] = await ipr.link('add', {
      ifname: 'tp%d',
      kind: 'tap',
      mtu: 1400,
      address: '02:00:00:00:aa:01',
      state: 'up',
      master: 'br0',
      txqlen: 42,
      altname: 'tap-alt',
    });
    assert.equal(t.getAttr('IFLA_IFNAME'), 'tp0');
    assert.equal(t.getAttr('IFLA_MTU'), 1400);
    const l = await ipLink(ns, 'tp0');
    assert.equal(l.mtu, 1400);
    assert.equal(l.address, '02:00:00:00:aa:01');
    assert.ok(l.flags.includes('UP'));
    assert.equal(l.master, 'br0');
    assert.equal(l.txqlen, 42);
    assert.deepEqual(l.altnames, ['tap-alt']);
    assert.equal((await ipr.link('add', { ifname: 'tp%d', kind: 'tap' }))[0].getAttr('IFLA_IFNAME'), 'tp1');
    // No name: the kernel's tun%d / tap%d.
    assert.equal((await ipr.link('add', { kind: 'tun' }))[0].getAttr('IFLA_IFNAME'), 'tun0');
    assert.equal((await ipr.link('add', { kind: 'tap' }))[0].getAttr('IFLA_IFNAME'), 'tap0');
    assert.deepEqual(await names(ipr), ['br0', 'lo', 'tap0', 'tp0', 'tp1', 'tun0']);
  });
});

test('tun/tap made by `ip tuntap add` as nlroute reads them (IFLA_INFO_DATA of kind tun)', async () => {
  await withNetns(async (ns) => {
    await ns.batch([
      'tuntap add mode tun name itn0 user 4242 group 4343 pi',
      'tuntap add mode tap name itp0 multi_queue vnet_hdr',
    ]);
    await using ipr = new IPRoute({ netns: ns.name });
    const [tn] = await ipr.getLinks({ ifname: 'itn0' });
    assert.equal(tn.getAttr('IFLA_LINKINFO')!.getAttr('IFLA_INFO_KIND'), 'tun');
    const d = tunData(tn);
    assert.equal(d.getAttr('IFLA_TUN_TYPE'), 1);
    assert.equal(d.getAttr('IFLA_TUN_PI'), 1);
    assert.equal(d.getAttr('IFLA_TUN_VNET_HDR'), 0);
    assert.equal(d.getAttr('IFLA_TUN_PERSIST'), 1);
    assert.equal(d.getAttr('IFLA_TUN_MULTI_QUEUE'), 0);
    assert.equal(d.getAttr('IFLA_TUN_OWNER'), 4242);
    assert.equal(d.getAttr('IFLA_TUN_GROUP'), 4343);
    const e = tunData((await ipr.getLinks({ ifname: 'itp0' }))[0]);
    assert.equal(e.getAttr('IFLA_TUN_TYPE'), 2);
    assert.equal(e.getAttr('IFLA_TUN_PI'), 0);
    assert.equal(e.getAttr('IFLA_TUN_VNET_HDR'), 1);
    assert.equal(e.getAttr('IFLA_TUN_PERSIST'), 1);
    assert.equal(e.getAttr('IFLA_TUN_MULTI_QUEUE'), 1);
    assert.equal(e.getAttr('IFLA_TUN_NUM_QUEUES'), 0);
    assert.equal(e.has('IFLA_TUN_OWNER'), false);
    assert.equal(e.has('IFLA_TUN_GROUP'), false);

    // The same options through nlroute give the same IFLA_INFO_DATA, attribute for attribute.
    await ipr.link('add', { ifname: 'ntn0', kind: 'tun', tunOwner: 4242, tunGroup: 4343, tunPi: true });
    await ipr.link('add', { ifname: 'ntp0', kind: 'tap', tunMultiQueue: true, tunVnetHdr: true });
    assert.deepEqual(tunData((await ipr.getLinks({ ifname: 'ntn0' }))[0]).toJSON(), d.toJSON());
    assert.deepEqual(tunData((await ipr.getLinks({ ifname: 'ntp0' }))[0]).toJSON(), e.toJSON());
    assert.equal((await ipr.getLinks({ kind: 'tun' })).length, 4);
  });
});

test('delete both ways: nlroute deletes what ip made, ip deletes what nlroute made', async () => {
  await withNetns(async (ns) => {
    await ns.batch(['tuntap add mode tun name itn0', 'tuntap add mode tap name itp0']);
    await using ipr = new IPRoute({ netns: ns.name });
    await ipr.link('add', { ifname: 'ntn0', kind: 'tun' });
    await ipr.link('add', { ifname: 'ntp0', kind: 'tap' });
    await ipr.link('add', { ifname: 'ntp1', kind: 'tap' });
    await ipr.link('del', { ifname: 'itn0' });
    await ipr.link('del', { index: await ipr.ifindex('itp0') });
    await ns.ip('tuntap del mode tun name ntn0');
    await ns.ip('link del ntp0');
    await ns.ip('tuntap del mode tap name ntp1');
    assert.deepEqual(await names(ipr), ['lo']);
    assert.deepEqual(await ns.json('tuntap show'), []);
  });
});

test('errors are typed and leave nothing behind', async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    await ipr.link('add', { ifname: 'tn0', kind: 'tun' });
    await ipr.link('add', { ifname: 'v0', kind: 'veth', peer: 'v1' });
    const before = await names(ipr);

    // An existing name: the kernel says EBUSY for TUNSETIFF with IFF_TUN_EXCL, whatever holds it.
    for (const spec of [
      { ifname: 'tn0', kind: 'tun' },
      { ifname: 'tn0', kind: 'tap' },
      { ifname: 'v0', kind: 'tap' },
      { ifname: 'lo', kind: 'tun' },
    ] as const) {
      await assert.rejects(ipr.link('add', spec), (e: unknown) => {
        assert.ok(e instanceof NetlinkError, String(e));
        assert.equal(e.code, 'EBUSY');
        assert.equal(e.errno, 16);
        assert.match(e.message, /TUNSETIFF.*already exists/);
        return true;
      });
    }
    // Names the kernel refuses.
    await assert.rejects(
      ipr.link('add', { ifname: 'a%d%d', kind: 'tun' }),
      (e: unknown) => e instanceof NetlinkError && e.code === 'EINVAL',
    );
    // Caught before anything is made.
    await assert.rejects(ipr.link('add', { ifname: '0123456789abcdef', kind: 'tun' }), /must be 1\.\.15 bytes/);
    await assert.rejects(ipr.link('add', { ifname: 'a/b', kind: 'tap' }), TypeError);
    // @ts-expect-error: not an option of tun
    await assert.rejects(ipr.link('add', { ifname: 'x0', kind: 'tun', bogus: 1 }), /unknown key "bogus"/);
    await assert.rejects(ipr.link('add', { ifname: 'x0', kind: 'tun', tunNumQueues: 4 }), /tunNumQueues cannot be set/);
    await assert.rejects(
      ipr.link('add', { ifname: 'x0', kind: 'tun', tunOwner: -1 }),
      /tunOwner must be an integer 0\.\.4294967295, got the number -1/,
    );
    await assert.rejects(
      // @ts-expect-error: a flag is true or false
      ipr.link('add', { ifname: 'x0', kind: 'tun', tunPi: 'yes' }),
      /tunPi must be an integer 0\.\.255, got the string "yes"/,
    );
    await assert.rejects(ipr.link('add', { ifname: 'x0', kind: 'tun', tunPersist: false }), /tunPersist: false/);
    await assert.rejects(ipr.link('add', { ifname: 'x0', kind: 'tap', tunType: 'tun' }), /contradicts kind tap/);
    await assert.rejects(
      ipr.link('add', { ifname: 'x0', kind: 'tap', master: 'nope' }),
      (e: unknown) => e instanceof NetlinkError && e.code === 'ENODEV',
    );
    await assert.rejects(ipr.batch([['link', 'add', { ifname: 'x0', kind: 'tap' }]]), /made through \/dev\/net\/tun/);
    // The kernel refuses the follow-up change: the new device is deleted again.
    await assert.rejects(
      ipr.link('add', { ifname: 'x0', kind: 'tun', mtu: 10 }),
      (e: unknown) => e instanceof NetlinkError && e.code === 'EINVAL',
    );
    await assert.rejects(ipr.link('add', { ifname: 'x1', kind: 'tap', address: '01:00:00:00:00:01' }), NetlinkError);
    assert.deepEqual(await names(ipr), before);
  });
});

test('native tunCreate: argument errors, netns by fd, the process stays in its namespace', async () => {
  const nat = loadNative();
  assert.throws(() => nat.tunCreate('0123456789abcdef'), { name: 'RangeError', code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => nat.tunCreate(5 as any), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => nat.tunCreate('x', { multiqueue: true } as any), {
    name: 'TypeError',
    code: 'ERR_INVALID_ARG_VALUE',
  });
  assert.throws(() => nat.tunCreate('x', { tap: 1 } as any), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => nat.tunCreate('x', { owner: 0xffffffff }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => nat.tunCreate('x', {}, {} as any), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => nat.tunCreate('x', {}, '/nonexistent/netns'), { code: 'ENOENT', syscall: 'open' });
  assert.throws(() => nat.tunCreate('x', {}, '/dev/null'), { code: 'EINVAL', syscall: 'setns' });

  const ours = readlinkSync('/proc/thread-self/ns/net');
  await withNetns(async (ns) => {
    const fd = openSync(`/var/run/netns/${ns.name}`, 'r');
    try {
      assert.equal(nat.tunCreate('fd%d', { tap: true }, fd), 'fd0');
      assert.equal(nat.tunCreate('gone0', { persist: false }, fd), 'gone0'); // made, and removed on close
      // An IPRoute opened on the fd creates there too.
      await using ipr = new IPRoute({ netns: fd });
      await ipr.link('add', { ifname: 'byfd', kind: 'tun' });
      assert.deepEqual(await names(ipr), ['byfd', 'fd0', 'lo']);
    } finally {
      closeSync(fd);
    }
  });
  assert.equal(readlinkSync('/proc/thread-self/ns/net'), ours);
  assert.equal(readlinkSync('/proc/self/ns/net'), ours);
});

test("without a netns the device is made in the caller's own namespace (a child process inside a test namespace)", async () => {
  await withNetns(async (ns) => {
    const url = new URL('../src/rtnl/index.js', import.meta.url).href;
    const script = `const { IPRoute } = await import(${JSON.stringify(url)});
      const ipr = new IPRoute();
      const [l] = await ipr.link('add', { ifname: 'own%d', kind: 'tap', tunGroup: 7 });
      console.log(l.getAttr('IFLA_IFNAME'));
      ipr.close();`;
    const out = await ns.exec(process.execPath, ['--input-type=module', '-e', script]);
    assert.equal(out.trim(), 'own0');
    const l = await ipLink(ns, 'own0');
    assert.equal(l.linkinfo.info_data.type, 'tap');
    assert.equal(l.linkinfo.info_data.group, idAs('group', 7));
  });
});

test('a tap moved to another namespace by its spec resolves with [] and lives there', async () => {
  const other = await createNetns();
  try {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      assert.deepEqual(await ipr.link('add', { ifname: 'mv0', kind: 'tap', tunVnetHdr: true, netns: other.name }), []);
      assert.deepEqual(await names(ipr), ['lo']);
      const moved = await ipLink(other, 'mv0');
      assert.equal(moved.linkinfo.info_data.type, 'tap');
      assert.equal(moved.linkinfo.info_data.vnet_hdr, true);
    });
  } finally {
    await deleteNetns(other);
  }
});

test('an IPRoute on a replayed socket refuses to create tun/tap (it would reach no kernel)', async () => {
  await using ipr = new IPRoute({
    socket: new NetlinkSocket({ transport: new ReplayTransport([]), marshal: rtnlMarshal() }),
  });
  await assert.rejects(ipr.link('add', { ifname: 't0', kind: 'tun' }), /replayed/);
});

test('fd hygiene: 200 taps created and deleted leak no fd and no thread', async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    // Warm up (lazy loads, first allocations) before counting.
    await ipr.link('add', { ifname: 'warm', kind: 'tap' });
    await ipr.link('del', { ifname: 'warm' });
    const fds = openFds(),
      threads = readdirSync('/proc/self/task').length;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 200; i++) {
      await ipr.link('add', {
        ifname: `t${i}`,
        kind: 'tap',
        tunMultiQueue: i % 2 === 0,
        state: i % 3 === 0 ? 'up' : undefined,
      });
      if (i % 10 === 9) for (let j = i - 9; j <= i; j++) await ipr.link('del', { ifname: `t${j}` });
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.equal(openFds(), fds);
    assert.equal(readdirSync('/proc/self/task').length, threads);
    assert.deepEqual(await names(ipr), ['lo']);
    // Failures close their fds too.
    await ipr.link('add', { ifname: 'busy', kind: 'tap' });
    for (let i = 0; i < 50; i++)
      await assert.rejects(ipr.link('add', { ifname: 'busy', kind: 'tap' }), { code: 'EBUSY' });
    assert.equal(openFds(), fds);
    console.log(`# 200 tap add+del in a namespace: ${ms.toFixed(0)} ms (${(ms / 200).toFixed(2)} ms per add+del)`);
  });
});
