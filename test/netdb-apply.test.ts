// NetDB changes: plans, verified batches, rollback to exactly the state before (as `ip -j -d`
// shows it), ownership, try-and-confirm with a journal, serialized transactions.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { NetDB, type Desired } from '../src/netdb/index.js';
import { withNetns, type TestNetns } from './helpers/netns.js';
import { noDad, rng, settledIpState, settledVsFresh, stateDiff } from './helpers/netdb.js';

const BRIDGE: Desired = {
  links: [
    { ifname: 'br0', kind: 'bridge', state: 'up' },
    { ifname: 'va', kind: 'veth', peer: 'va-p', master: 'br0', state: 'up' },
    { ifname: 'va-p', state: 'up' },
    { ifname: 'vb', kind: 'veth', peer: 'vb-p', master: 'br0', state: 'up', mtu: 1400 },
  ],
  addresses: [
    { ifname: 'br0', address: '10.10.0.1/24' },
    { ifname: 'br0', address: '2001:db8:10::1/64', flags: ['nodad'] },
  ],
  routes: [
    { dst: '10.20.0.0/16', gateway: '10.10.0.254' },
    { dst: '10.21.0.9/16', oif: 'br0', table: 100 },
    { dst: '2001:db8:20::/48', gateway: '2001:db8:10::fe' },
  ],
};

/** Foreign objects: added by `ip` with its own protocol, never to be touched by NetDB. */
async function foreign(ns: TestNetns): Promise<void> {
  await noDad(ns);
  await ns.batch([
    'link add f0 type veth peer name f0p',
    'link set f0 up',
    'link set f0p up',
    'addr add 10.99.0.1/24 dev f0',
    'route add 10.98.0.0/16 via 10.99.0.254 proto static',
    'route add 10.97.0.0/16 dev f0 proto 44 table 100',
  ]);
}

test('netdb apply: a bridge with veths, addresses and routes in one verified transaction', async () => {
  await withNetns(async (ns) => {
    await foreign(ns);
    await using db = await NetDB.open({ netns: ns.name });
    const dry = await db.apply(BRIDGE, { dryRun: true });
    assert.equal(dry.dryRun, true);
    const text = dry.plan.toString();
    assert.match(text, /1\. link add br0 \(bridge\)/);
    assert.match(text, /link set va master br0 \(after/);
    assert.equal(db.get('links', 'br0'), undefined, 'a dry run changes nothing');

    const r = await db.apply(BRIDGE);
    assert.equal(r.ok, true, String(r.failed?.error));
    assert.equal(r.applied, r.plan.steps.length);
    const br = db.get('links', 'br0')!;
    assert.equal(db.get('links', 'va')?.master, br.index);
    assert.equal(db.get('links', 'vb')?.mtu, 1400);
    const route = db.get('routes', { dst: '10.21.0.0/16', table: 100 });
    assert.ok(route, 'the prefix was canonicalised');
    assert.equal(route.proto, db.proto, "marked as NetDB's");
    assert.equal(db.filter('addresses', { index: br.index, address: '10.10.0.1' })[0].proto, db.proto);
    assert.equal(db.get('routes', { dst: '2001:db8:20::/48' })?.priority, 1024, 'IPv6 default metric');
    const links = await ns.json('link show');
    assert.ok(links.some((l: { ifname: string }) => l.ifname === 'vb-p'));
    // Applying the same state again changes nothing.
    const again = await db.apply(BRIDGE);
    assert.equal(again.plan.steps.length, 0, again.plan.toString());
    // state: 'absent' removes; foreign objects stay.
    const gone = await db.apply({
      routes: [{ dst: '10.20.0.0/16', state: 'absent' }],
      links: [{ ifname: 'vb', state: 'absent' }],
    });
    assert.equal(gone.ok, true, String(gone.failed?.error));
    assert.equal(db.get('links', 'vb'), undefined);
    assert.equal(db.get('links', 'vb-p'), undefined);
    assert.ok(db.get('routes', { dst: '10.98.0.0/16' }));
    assert.deepEqual((await settledVsFresh(db, ns.name)).diff, []);
  });
});

test('netdb apply: a failing step rolls everything back to exactly the state before', async () => {
  await withNetns(async (ns) => {
    await foreign(ns);
    await ns.batch(['link add old0 type veth peer name old0p', 'link set old0 up', 'addr add 10.50.0.1/24 dev old0']);
    await using db = await NetDB.open({ netns: ns.name });
    const before = await settledIpState(ns);
    const desired: Desired = {
      ...BRIDGE,
      links: [...BRIDGE.links!, { ifname: 'old0', mtu: 1300, master: 'br0' }, { ifname: 'f0', state: 'up' }],
      addresses: [...BRIDGE.addresses!, { ifname: 'old0', address: '10.50.0.1/24', state: 'absent' }],
      // The kernel refuses a gateway it cannot reach.
      routes: [...BRIDGE.routes!, { dst: '10.60.0.0/16', gateway: '10.222.0.1' }],
    };
    const r = await db.apply(desired);
    assert.equal(r.ok, false);
    assert.equal(r.failed?.step.what, 'route add 10.60.0.0/16 via 10.222.0.1 metric 0');
    assert.match(String(r.failed?.error.message), /unreachable|ENETUNREACH/i);
    assert.equal(r.rolledBack, true);
    assert.deepEqual(r.rollbackErrors, []);
    assert.deepEqual(stateDiff(before, await settledIpState(ns)), { gone: [], extra: [] });
    assert.deepEqual((await settledVsFresh(db, ns.name)).diff, []);
  });
});

test('netdb apply: failure injected at step k of n, 40 random trials, state before == state after', async (t) => {
  const seed = Number(process.env.NETDB_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const trials = Number(process.env.NETDB_TRIALS ?? 40);
  t.diagnostic(`seed ${seed}, ${trials} trials`);
  await withNetns(async (ns) => {
    await foreign(ns);
    await ns.batch([
      'link add old0 type veth peer name old0p',
      'link set old0 up',
      'link set old0p up',
      'addr add 10.50.0.1/24 dev old0',
      'route add 10.51.0.0/16 via 10.50.0.254',
      'route add 10.52.0.0/16 dev old0 src 10.50.0.1',
    ]);
    await using db = await NetDB.open({ netns: ns.name });
    const before = await settledIpState(ns);
    const r = rng(seed);
    for (let trial = 0; trial < trials; trial++) {
      const desired = randomDesired(r);
      const plan = await db.apply(desired, { dryRun: true });
      const n = plan.plan.steps.length;
      if (!n) continue;
      const k = 1 + r.int(n);
      const res = await db.apply(desired, { failAt: k });
      assert.equal(res.ok, false, `trial ${trial}: step ${k} of ${n} should fail (seed ${seed})`);
      assert.equal(
        res.failed?.step.id,
        k,
        `trial ${trial} (seed ${seed}): ${res.failed?.step.what}: ${res.failed?.error.message}\n${plan.plan}`,
      );
      assert.deepEqual(res.rollbackErrors, [], `trial ${trial} (seed ${seed})`);
      assert.deepEqual(
        stateDiff(before, await settledIpState(ns)),
        { gone: [], extra: [] },
        `trial ${trial}: step ${k} of ${n} (seed ${seed})\n${plan.plan}`,
      );
    }
  });
});

function randomDesired(r: ReturnType<typeof rng>): Desired {
  const d: Required<Desired> = { links: [], addresses: [], routes: [], neighbours: [], rules: [] };
  if (r.int(2)) d.links.push({ ifname: 'nb0', kind: 'bridge', state: r.pick(['up', 'down']) });
  if (r.int(2))
    d.links.push({
      ifname: 'nv0',
      kind: 'veth',
      peer: 'nv0p',
      state: 'up',
      master: d.links.length ? 'nb0' : undefined,
    });
  if (r.int(3) === 0) d.links.push({ ifname: 'old0', state: 'absent' });
  else if (r.int(2)) d.links.push({ ifname: 'old0', mtu: r.pick([1280, 1400, 9000]), state: r.pick(['up', 'down']) });
  // biome-ignore lint/suspicious/noDuplicateElseIf: each r.int(2) is a new random draw
  else if (r.int(2)) d.addresses.push({ ifname: 'old0', address: '10.50.0.1/24', state: 'absent' });
  if (r.int(2)) d.addresses.push({ ifname: 'f0', address: `10.99.${1 + r.int(5)}.1/24` });
  if (r.int(2)) d.routes.push({ dst: '10.51.0.0/16', state: 'absent' });
  if (r.int(2)) d.routes.push({ dst: '10.98.0.0/16', gateway: '10.99.0.253', table: 200 });
  if (r.int(2)) d.routes.push({ dst: '10.53.0.0/16', oif: 'f0', priority: r.int(3) });
  if (r.int(2)) d.neighbours.push({ ifname: 'f0', dst: '10.99.0.77', lladdr: '02:00:00:00:00:77' });
  if (r.int(2)) d.rules.push({ priority: 3000 + r.int(3), table: 200 });
  return d;
}

test('netdb apply: foreign routes and addresses survive apply and rollback', async () => {
  await withNetns(async (ns) => {
    await foreign(ns);
    await using db = await NetDB.open({ netns: ns.name });
    const r = await db.apply({
      addresses: [{ ifname: 'f0', address: '10.99.0.2/24' }],
      routes: [
        { dst: '10.96.0.0/16', gateway: '10.99.0.254' },
        { dst: '10.95.0.0/16', gateway: '10.1.1.1' },
      ],
    });
    assert.equal(r.ok, false);
    const routes = await ns.json('route show table all');
    assert.ok(routes.some((x: { dst: string }) => x.dst === '10.98.0.0/16'));
    assert.ok(routes.some((x: { dst: string }) => x.dst === '10.97.0.0/16'));
    assert.ok(!routes.some((x: { dst: string }) => x.dst === '10.96.0.0/16'));
    const addrs = JSON.stringify(await ns.json('addr show dev f0'));
    assert.match(addrs, /10\.99\.0\.1/);
    assert.doesNotMatch(addrs, /10\.99\.0\.2/);
  });
});

test('netdb apply: try and confirm, rollback when not confirmed, journal for a crashed process', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'netdb-'));
  try {
    await withNetns(async (ns) => {
      await noDad(ns);
      await using db = await NetDB.open({ netns: ns.name });
      const before = await settledIpState(ns);
      const journal = join(dir, 'journal.json');
      const kept = await db.apply(BRIDGE, { confirmWithin: 5000, journal });
      assert.equal(kept.ok, true);
      assert.ok(existsSync(journal));
      await kept.confirm!();
      assert.equal(await kept.settled, 'confirmed');
      assert.ok(!existsSync(journal));
      assert.ok(db.get('links', 'br0'));
      const mid = await settledIpState(ns);

      const lapsed = await db.apply(
        { links: [{ ifname: 'x0', kind: 'bridge', state: 'up' }], routes: [{ dst: '10.70.0.0/16', oif: 'br0' }] },
        { confirmWithin: 100, journal },
      );
      assert.equal(lapsed.ok, true);
      assert.equal(await lapsed.settled, 'rolled back');
      assert.deepEqual(lapsed.rollbackErrors, []);
      assert.deepEqual(stateDiff(mid, await settledIpState(ns)), { gone: [], extra: [] });
      await assert.rejects(lapsed.confirm!(), /too late/);

      // A process that dies before confirming: the next one finishes the rollback.
      const crashed = await db.apply(
        { links: [{ ifname: 'x1', kind: 'bridge' }], addresses: [{ ifname: 'br0', address: '10.10.0.2/24' }] },
        { confirmWithin: 60_000, journal },
      );
      assert.ok(existsSync(journal));
      db.close();
      void crashed;
      await using db2 = await NetDB.open({ netns: ns.name });
      const rec = await db2.recover(journal);
      assert.equal(rec?.ok, true, String(rec?.rollbackErrors));
      assert.ok(!existsSync(journal));
      assert.deepEqual(stateDiff(mid, await settledIpState(ns)), { gone: [], extra: [] });
      void before;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('netdb transaction: the imperative form; transactions on the same objects are serialized', async () => {
  await withNetns(async (ns) => {
    await using db = await NetDB.open({ netns: ns.name });
    const r = await db.transaction((tx) => {
      tx.link({ ifname: 't0', kind: 'bridge', state: 'up' });
      tx.addr({ ifname: 't0', address: '10.30.0.1/24' });
      tx.route({ dst: '10.31.0.0/16', gateway: '10.30.0.254' });
    });
    assert.equal(r.ok, true, String(r.failed?.error));
    // Two transactions on the same route: the second plans after the first is done.
    const [a, b] = await Promise.all([
      db.apply({ routes: [{ dst: '10.31.0.0/16', gateway: '10.30.0.253' }] }),
      db.apply({ routes: [{ dst: '10.31.0.0/16', gateway: '10.30.0.252' }] }),
    ]);
    assert.equal(a.ok && b.ok, true);
    assert.equal(db.get('routes', { dst: '10.31.0.0/16' })?.gateway, '10.30.0.252');
    assert.deepEqual((await settledVsFresh(db, ns.name)).diff, []);
  });
});
