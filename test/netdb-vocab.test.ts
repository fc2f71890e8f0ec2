// NetDB speaks the records' vocabulary: each record of the view equals the record IPRoute
// reads for the same object (ipr.links(), addresses(), routes(), neighbours(), rules()),
// except for the fields NetDB leaves out on purpose, named here: counters, timers and
// lifetimes that change by themselves, so a fresh dump would never equal the view.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NetDB } from '../src/netdb/index.js';
import { keyOf, type TableName } from '../src/netdb/records.js';
import { IPRoute } from '../src/rtnl/index.js';
import { withNetns } from './helpers/netns.js';
import { noDad } from './helpers/netdb.js';

/** What NetDB leaves out of each table, by name. */
const EXCLUDED: Record<TableName, readonly string[]> = {
  links: [
    // Counters, and what ports and listeners raise and lower.
    'stats',
    'carrierChanges',
    'carrierUpCount',
    'carrierDownCount',
    'promiscuity',
    'allmulti',
    // Set by the kernel as the link goes up, and by tc, without a link event.
    'qdisc',
    // What an event changed (ifi_change): a dump says nothing of it.
    'change',
    // Kind and port timers and counters.
    'brHelloTimer',
    'brTcnTimer',
    'brTopologyChangeTimer',
    'brGcTimer',
    'brFdbNLearned',
    'brMcastQuerierState',
    'brportMessageAgeTimer',
    'brportForwardDelayTimer',
    'brportHoldTimer',
    'brportMcastEhtHostsCnt',
    'brportMcastNGroups',
  ],
  // Finite lifetimes count down.
  addresses: ['validLft', 'preferredLft'],
  routes: ['expires'],
  neighbours: ['probes'],
  rules: [],
};

const inetFamily = (f: unknown): boolean => f === 'inet' || f === 'inet6';

function comparable(table: TableName, r: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (v !== undefined && !EXCLUDED[table].includes(k)) out[k] = v;
  return out;
}

test('netdb: each record of the view is the rtnl record of the same object, less the volatile fields', async () => {
  await withNetns(async (ns) => {
    await noDad(ns);
    await ns.batch([
      'link add br0 type bridge',
      'link add v0 type veth peer name p0',
      'link add v1 type veth peer name p1',
      'link set v1 master br0',
      'link set br0 up',
      'link set v0 up',
      'link set p0 up',
      'link set v1 up',
      'link set p1 up',
      'link set v0 mtu 1400',
      'addr add 10.1.0.1/24 dev v0',
      'addr add 10.1.0.2/24 dev v0',
      'addr add 10.9.0.1 peer 10.9.0.2/32 dev v0',
      'addr add 2001:db8:1::1/64 dev v0',
      'addr add 10.2.0.1/24 dev br0',
      'route add 10.20.0.0/16 via 10.1.0.254 proto static',
      'route add 10.21.0.0/16 via 10.1.0.254 table 100',
      'route add 10.22.0.0/16 dev v0 metric 7 scope link',
      'route add 10.23.0.0/16 nexthop via 10.1.0.253 dev v0 nexthop via 10.2.0.254 dev br0 weight 3',
      'route add blackhole 10.24.0.0/16',
      'route add default via 10.1.0.254',
      'route add 2001:db8:99::/64 via 2001:db8:1::fe',
      'route add 10.25.0.0/16 via 10.1.0.254 mtu lock 1300 advmss 1200',
      'neigh add 10.1.0.77 lladdr 02:00:00:00:00:77 dev v0 nud permanent',
      'rule add priority 1000 from 10.1.0.0/24 table 100',
      'rule add priority 1001 fwmark 7 table main',
      'rule add priority 1002 not to 10.8.0.0/16 iif v0 table 100 proto static',
    ]);
    await using db = await NetDB.open({ netns: ns.name });
    await using ipr = new IPRoute({ netns: ns.name });
    await db.sync();
    const rtnl: Record<TableName, object[]> = {
      links: await ipr.links(),
      addresses: await ipr.addresses(),
      routes: (await ipr.routes()).filter((r) => inetFamily(r.family)),
      neighbours: (await ipr.neighbours()).filter((n) => inetFamily(n.family)),
      rules: await ipr.rules(),
    };
    const problems: string[] = [];
    for (const table of Object.keys(rtnl) as TableName[]) {
      const view = new Map(db.filter(table).map((r) => [keyOf(table, r), r as object]));
      let compared = 0;
      for (const rec of rtnl[table]) {
        const want = comparable(table, rec);
        const key = keyOf(table, want as never);
        const got = view.get(key);
        if (!got) {
          // Entries the kernel makes and drops by itself (noarp, none) are not in the view.
          const state = (want as { state?: unknown }).state;
          if (table === 'neighbours' && (state === undefined || JSON.stringify(state) === '["noarp"]')) continue;
          problems.push(`${table} ${key}: missing from the view`);
          continue;
        }
        view.delete(key);
        compared++;
        const { source, ...mine } = got as Record<string, unknown>;
        assert.equal(source, 'main');
        try {
          assert.deepEqual(comparable(table, mine), want);
        } catch {
          problems.push(`${table} ${key}: view ${JSON.stringify(mine)} != rtnl ${JSON.stringify(want)}`);
        }
      }
      for (const key of view.keys()) problems.push(`${table} ${key}: in the view only`);
      assert.ok(compared > 0 || table === 'neighbours', `${table}: something compared`);
    }
    assert.deepEqual(problems, []);
  });
});

test('netdb: desired state and queries take enum names or numbers; snapshots give names', async () => {
  await withNetns(async (ns) => {
    await ns.batch(['link add v0 type veth peer name p0', 'link set v0 up', 'addr add 10.1.0.1/24 dev v0']);
    await using db = await NetDB.open({ netns: ns.name });
    const byName = {
      routes: [{ dst: '10.30.0.0/16', gateway: '10.1.0.254', table: 'main', proto: 'static', scope: 'universe' }],
      rules: [{ priority: 1100, table: 100, family: 'inet', protocol: 'static' }],
    };
    const byNumber = {
      routes: [{ dst: '10.30.0.0/16', gateway: '10.1.0.254', table: 254, proto: 4, scope: 0 }],
      rules: [{ priority: 1100, table: 100, family: 2, protocol: 4 }],
    };
    const plan = async (d: object): Promise<string> => (await db.apply(d, { dryRun: true })).plan.toString();
    assert.equal(await plan(byNumber), await plan(byName));
    const r = await db.apply(byNumber);
    assert.ok(r.ok, r.failed?.error.message);
    const route = db.get('routes', { dst: '10.30.0.0/16' });
    assert.equal(route?.table, 'main');
    assert.equal(route?.proto, 'static');
    assert.deepEqual(
      db.filter('routes', { table: 254, family: 2, proto: 4 }),
      db.filter('routes', { table: 'main', family: 'inet', proto: 'static' }),
    );
    // Applied again, by names this time: nothing to do.
    assert.equal((await db.apply(byName)).plan.steps.length, 0);
    const snap = db.snapshot();
    const s = snap.routes?.find((x) => x.dst === '10.30.0.0/16');
    assert.deepEqual(
      [s?.family, s?.table, s?.proto, s?.scope, s?.type],
      ['inet', 'main', 'static', 'universe', 'unicast'],
    );
    assert.deepEqual(snap.rules?.find((x) => x.priority === 1100)?.table, 100);
    // A name that is none is refused before anything is sent.
    await assert.rejects(
      db.apply({ routes: [{ dst: '10.31.0.0/16', oif: 'v0', table: 'mian' }] }),
      /routes table: "mian"/,
    );
  });
});
