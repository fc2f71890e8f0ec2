// NetDB's live view: loading, queries, watch, and exactness after changes made by nlroute
// and by `ip`, the kernel's silent side effects included.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NetDB, type Change } from '../src/netdb/index.js';
import { IPRoute } from '../src/rtnl/index.js';
import { AF_BRIDGE, AF_INET6, RTM } from '../src/rtnl/constants.js';
import { ifinfmsg } from '../src/rtnl/ifinfmsg.js';
import { rtmsg } from '../src/rtnl/rtmsg.js';
import { NLM_F_DUMP, type AnyMessage } from '../src/core/index.js';
import { routeRecord } from '../src/netdb/records.js';
import { withNetns } from './helpers/netns.js';
import { settledVsFresh, viewVsFresh } from './helpers/netdb.js';

test('netdb: loads a namespace; get and filter use the indexes', async () => {
  await withNetns(async (ns) => {
    await ns.batch([
      'link add v0 type veth peer name p0',
      'link set v0 up',
      'link set p0 up',
      'addr add 10.1.0.1/24 dev v0',
      'addr add 2001:db8:1::1/64 dev v0 nodad',
      'route add 10.2.0.0/16 via 10.1.0.254 table 100',
      'route add 10.3.0.0/16 via 10.1.0.254 metric 7',
      'route add 10.4.0.0/16 nexthop via 10.1.0.253 nexthop via 10.1.0.254',
    ]);
    await using db = await NetDB.open({ netns: ns.name });
    const v0 = db.get('links', 'v0');
    assert.ok(v0);
    assert.equal(v0.kind, 'veth');
    assert.equal(v0.state, 'up');
    assert.equal(db.get('links', v0.index)?.ifname, 'v0');
    assert.equal(db.filter('routes', { table: 100 }).length, 1);
    assert.equal(db.filter('routes', { dst: '10.3.0.0/16' })[0].priority, 7);
    const mp = db.filter('routes', { dst: '10.4.0.0/16' })[0];
    assert.equal(mp.multipath?.length, 2);
    assert.ok(db.filter('routes', { dev: v0.index }).length >= 4);
    assert.deepEqual(
      db.filter('addresses', { index: v0.index, family: 'inet' }).map((a) => a.address),
      ['10.1.0.1'],
    );
    assert.equal(db.get('routes', { dst: '10.2.0.0/16', table: 100 })?.gateway, '10.1.0.254');
    // Settled: addrconf adds the links' IPv6 link-local addresses and routes after carrier.
    assert.deepEqual((await settledVsFresh(db, ns.name)).diff, []);
  });
});

test('netdb: watch reports changes in order with old and new records', async () => {
  await withNetns(async (ns) => {
    await using db = await NetDB.open({ netns: ns.name });
    const w = db.watch({ table: ['links', 'addresses'] });
    await using ipr = new IPRoute({ netns: ns.name });
    await ipr.link('add', { ifname: 'w0', kind: 'veth', peer: 'w1' });
    const [idx] = await ipr.linkLookup({ ifname: 'w0' });
    await ipr.link('set', { index: idx, mtu: 1400 });
    await ipr.addr('add', { index: idx, address: '10.5.0.1/24' });
    await ipr.link('set', { index: idx, ifname: 'w9' });
    await ipr.link('del', { index: idx });
    await db.sync();
    const seen: Change[] = [];
    while (true) {
      const c = await w.next();
      seen.push(c.value);
      if (c.value.type === 'removed' && c.value.table === 'links' && c.value.key === idx) break;
    }
    w.close();
    const mine = seen.filter(
      (c) =>
        (c.table === 'links' && c.key === idx) ||
        (c.table === 'addresses' && ((c.old ?? c.new) as { index: number }).index === idx),
    );
    assert.equal(mine[0].type, 'added');
    assert.equal(mine[0].old, undefined);
    const mtu = mine.find(
      (c) => c.type === 'changed' && c.old && 'mtu' in c.old && c.old.mtu !== (c.new as { mtu: number }).mtu,
    );
    assert.ok(mtu, 'an mtu change with the old mtu');
    assert.equal((mtu.old as { mtu: number }).mtu, 1500);
    assert.equal((mtu.new as { mtu: number }).mtu, 1400);
    const addr = mine.findIndex((c) => c.table === 'addresses' && c.type === 'added');
    const rename = mine.findIndex((c) => c.type === 'changed' && (c.new as { ifname: string }).ifname === 'w9');
    assert.ok(addr > 0 && rename > addr, 'address added before the rename');
    assert.equal((mine[rename].old as { ifname: string }).ifname, 'w0');
    const last = mine[mine.length - 1];
    assert.equal(last.type, 'removed');
    assert.equal((last.old as { ifname: string }).ifname, 'w9');
    assert.ok(
      mine.some((c) => c.table === 'addresses' && c.type === 'removed'),
      'the address went with its link',
    );
  });
});

test('netdb: kernel side effects without events are in the view', async () => {
  await withNetns(async (ns) => {
    await ns.batch([
      'link add v0 type veth peer name p0',
      'link set v0 up',
      'link set p0 up',
      'link add v1 type veth peer name p1',
      'link set v1 up',
      'link set p1 up',
      'addr add 10.1.0.1/24 dev v0',
      'addr add 10.7.0.1/24 dev v1',
      'route add 10.2.0.0/16 via 10.1.0.254',
      'route add 10.3.0.0/16 dev v1 src 10.1.0.1',
      'route add 10.4.0.0/16 nexthop via 10.1.0.254 dev v0 nexthop via 10.7.0.254 dev v1',
    ]);
    await using db = await NetDB.open({ netns: ns.name });
    // Carrier changes reach routes and IPv6 addresses through the kernel's deferred link
    // worker: each comparison waits for the view to catch up by the events that work sends.
    assert.ok(db.get('routes', { dst: '10.2.0.0/16' }));
    // The peer going down takes v0's carrier: next hops get 'linkdown', silently.
    await ns.ip('link set p0 down');
    assert.deepEqual((await settledVsFresh(db, ns.name)).diff, []);
    await ns.ip('link set p0 up');
    // Down flushes v0's IPv4 routes and marks the multipath next hop dead, silently.
    await ns.ip('link set v0 down');
    assert.deepEqual((await settledVsFresh(db, ns.name)).diff, []);
    assert.equal(db.get('routes', { dst: '10.2.0.0/16' }), undefined);
    await ns.ip('link set v0 up');
    await ns.ip('route add 10.2.0.0/16 via 10.1.0.254');
    // Deleting the address removes the route using it as source.
    await ns.ip('addr del 10.1.0.1/24 dev v0');
    assert.deepEqual((await settledVsFresh(db, ns.name)).diff, []);
    assert.equal(db.get('routes', { dst: '10.3.0.0/16' }), undefined);
    // A deleted link takes its routes, addresses and neighbours.
    await ns.ip('neigh add 10.7.0.9 lladdr 02:00:00:00:00:09 dev v1 nud permanent');
    await ns.ip('link del v1');
    assert.deepEqual((await settledVsFresh(db, ns.name)).diff, []);
    assert.equal(db.filter('neighbours', {}).length, 0);
  });
});

test('netdb: an IPv4 address coming back revives a dead multipath next hop, without an event', async () => {
  await withNetns(async (ns) => {
    await ns.batch([
      'link add v0 type veth peer name p0',
      'link add v1 type veth peer name p1',
      'link set v0 up',
      'link set p0 up',
      'link set v1 up',
      'link set p1 up',
      'addr add 10.1.0.1/24 dev v0',
      'addr add 10.7.0.1/24 dev v1',
      'route add 10.4.0.0/16 nexthop via 10.1.0.254 dev v0 nexthop via 10.7.0.254 dev v1',
    ]);
    await using db = await NetDB.open({ netns: ns.name });
    // The link's last IPv4 address going marks its next hop dead and linkdown, silently...
    await ns.ip('addr del 10.1.0.1/24 dev v0');
    // Settled: the links' IPv6 link-local addresses may still be on their way (addrconf runs
    // after `up`), and a fresh dump can see one before the view has its event.
    assert.deepEqual((await settledVsFresh(db, ns.name)).diff, []);
    const nh = (): unknown => db.get('routes', { dst: '10.4.0.0/16' })?.multipath?.[0].flags;
    assert.ok(nh(), 'the next hop through v0 is marked');
    // ...and an address coming back on the (up) link clears the marks, silently too.
    await ns.ip('addr add 10.1.0.1/24 dev v0');
    assert.deepEqual((await settledVsFresh(db, ns.name)).diff, []);
  });
});

test('netdb: a watcher that falls behind gets WatchOverflowError; waitFor resolves on a change or times out', async () => {
  await withNetns(async (ns) => {
    await using db = await NetDB.open({ netns: ns.name });
    const w = db.watch({ table: 'links', limit: 2 });
    const appeared = db.waitFor('links', { ifname: 'o3' }, { timeout: 10_000 });
    await ns.batch(['link add o0 type veth peer name o1', 'link add o2 type veth peer name o3']);
    await db.sync();
    assert.equal((await appeared).ifname, 'o3');
    await assert.rejects(w.next(), { name: 'WatchOverflowError' });
    assert.deepEqual(await w.next(), { value: undefined, done: true });
    await assert.rejects(
      db.waitFor('links', (l) => l.ifname === 'never', { timeout: 50 }),
      { name: 'NetlinkTimeoutError' },
    );
    assert.throws(() => db.filter('nope' as never), /unknown table "nope"/);
  });
});

// The kernel publishes a carrier change in steps: the link's state first, then (after waiting
// for its queues to drain) IPv6 next hops marked linkdown, then the event. A re-read of the link
// in between sees the new state; the event that follows must still bring the routes.
test('netdb: a link state read before its event still re-reads the routes the kernel marks after the read', async () => {
  await withNetns(async (ns) => {
    await ns.batch([
      'link add v0 type veth peer name p0',
      'link set v0 up',
      'link set p0 up',
      'route add 2001:db8:5::/64 dev v0',
    ]);
    await using db = await NetDB.open({ netns: ns.name });
    await using ipr = new IPRoute({ netns: ns.name });
    const [index] = await ipr.linkLookup({ ifname: 'v0' });
    const linkMsg = async (): Promise<AnyMessage> =>
      (await ipr.sock.request(ifinfmsg, { type: RTM.RTM_GETLINK, fields: { index } }))[0];
    const routeMsg = async (): Promise<AnyMessage> => {
      const spec = { type: RTM.RTM_GETROUTE, flags: NLM_F_DUMP, fields: { family: AF_INET6 } };
      const all = await ipr.sock.request(rtmsg, spec);
      return all.find((m) => routeRecord(m, 'x').dst === '2001:db8:5::/64')!;
    };
    const [upLink, upRoute] = [await linkMsg(), await routeMsg()];
    await ns.ip('link set p0 down');
    assert.deepEqual((await settledVsFresh(db, ns.name)).diff, []);
    const downLink = await linkMsg();
    const downOper = db.get('links', index)?.operstate;
    const src = db.source();
    // The view before the change: the link up, its route not marked.
    src.onEvent(upLink);
    await db.sync();
    src.onEvent(upRoute);
    assert.notEqual(db.get('links', index)?.operstate, downOper);
    assert.match((await viewVsFresh(db, ns.name)).join('\n'), /2001:db8:5::.*flags/, 'the route is not marked yet');
    // A re-read of the link (a bridge port's message asks for one) sees the new state first...
    src.onEvent({ type: RTM.RTM_NEWLINK, flags: 0, fields: { family: AF_BRIDGE, index } } as unknown as AnyMessage);
    await db.sync();
    assert.equal(db.get('links', index)?.operstate, downOper);
    // ...then the event, with the state the view already has.
    src.onEvent(downLink);
    assert.deepEqual(await viewVsFresh(db, ns.name), []);
  });
});

// A bridge takes its ports' TSO/GSO limits when one joins (the kernel sends no event for the
// bridge, and an unlocked RTM_GETLINK can see the bridge before the update): the view re-reads
// the master at once and at the next quiet point.
test('netdb: a port joining or leaving a bridge updates the bridge it changed silently', async () => {
  await withNetns(async (ns) => {
    await ns.batch(['link add br0 type bridge', 'link add v0 type veth peer name p0']);
    await using db = await NetDB.open({ netns: ns.name });
    const tso = (): unknown => db.get('links', 'br0')?.tsoMaxSize;
    const before = tso();
    await ns.ip('link set v0 master br0');
    assert.deepEqual((await settledVsFresh(db, ns.name)).diff, []);
    assert.notEqual(tso(), before, 'the bridge took the port limit (else this test shows nothing)');
    await ns.ip('link set v0 nomaster');
    assert.deepEqual((await settledVsFresh(db, ns.name)).diff, []);
    await ns.ip('link add v1 type veth peer name p1');
    await ns.ip('link set v1 master br0');
    await ns.ip('link del v1');
    assert.deepEqual((await settledVsFresh(db, ns.name)).diff, []);
  });
});
