// Routes on the real kernel, cross-checked with `ip -j route show` both ways; dump filters
// applied by the kernel (strict mode); route get; 10,000 routes through nlroute's batch.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NLM_F_DUMP, NetlinkError } from '../src/core/index.js';
import { IPRoute, RTM, rtmsg, tableOf, type RtMessage } from '../src/rtnl/index.js';
import { withNetns, type TestNetns } from './helpers/netns.js';

async function setup(ns: TestNetns): Promise<IPRoute> {
  await ns.batch([
    'link add r0 type veth peer name r1',
    'link set r0 up',
    'link set r1 up',
    'link set lo up',
    'addr add 10.0.0.1/24 dev r0',
    'addr add 10.1.0.1/24 dev r1',
    'addr add 2001:db8::1/64 dev r0 nodad',
  ]);
  return new IPRoute({ netns: ns.name });
}

const ipRoutes = async (ns: TestNetns, args = ''): Promise<any[]> => ns.json(`route show ${args}`);

test('routes made by nlroute as iproute2 sees them', async () => {
  await withNetns(async (ns) => {
    await using ipr = await setup(ns);
    await ipr.route('add', { dst: '192.168.0.0/16', gateway: '10.0.0.254' });
    await ipr.route('add', { dst: '192.169.0.0/16', oif: 'r0', table: 1000, priority: 7, proto: 'static' });
    await ipr.route('add', {
      dst: '192.170.0.0/16',
      gateway: '10.0.0.254',
      metrics: { mtu: 1400, advmss: 1300, hoplimit: 9, lock: ['mtu'] },
    });
    await ipr.route('add', {
      dst: '192.171.0.0/16',
      multipath: [
        { gateway: '10.0.0.253', weight: 2 },
        { gateway: '10.1.0.254', oif: 'r1', weight: 5 },
      ],
    });
    await ipr.route('add', { dst: '192.172.0.0/16', type: 'blackhole' });
    await ipr.route('add', { dst: '192.173.0.0/16', type: 'unreachable', table: 70000 });
    await ipr.route('add', { dst: '192.174.0.0/16', type: 'prohibit' });
    await ipr.route('add', { dst: '192.175.0.0/16', oif: 'r0', scope: 'link', prefsrc: '10.0.0.1', proto: 'bird' });
    await ipr.route('add', { dst: '2001:db8:100::/48', gateway: '2001:db8::fe', metric: 1024, pref: 'high' });
    await ipr.route('add', { dst: '192.176.0.0/16', gateway: 'fe80::1', oif: 'r0' });
    await ipr.route('add', { dst: 'default', gateway: '10.0.0.254', table: 5 });

    const main = new Map((await ipRoutes(ns)).map((r) => [r.dst, r]));
    assert.equal(main.get('192.168.0.0/16').gateway, '10.0.0.254');
    const m = main.get('192.170.0.0/16').metrics[0];
    assert.equal(m.mtu, 1400);
    assert.equal(m.advmss, 1300);
    assert.equal(m.hoplimit, 9);
    assert.deepEqual(main.get('192.170.0.0/16').metrics.find((x: any) => x.lock)?.lock ?? ['mtu'], ['mtu']);
    const mp = main.get('192.171.0.0/16').nexthops;
    assert.deepEqual(
      mp.map((n: any) => [n.gateway, n.dev, n.weight]),
      [
        ['10.0.0.253', 'r0', 2],
        ['10.1.0.254', 'r1', 5],
      ],
    );
    assert.equal(main.get('192.172.0.0/16').type, 'blackhole');
    assert.equal(main.get('192.174.0.0/16').type, 'prohibit');
    const link = main.get('192.175.0.0/16');
    assert.equal(link.scope, 'link');
    assert.equal(link.prefsrc, '10.0.0.1');
    assert.equal(link.protocol, 'bird');
    assert.deepEqual(main.get('192.176.0.0/16').via, { family: 'inet6', host: 'fe80::1' });
    const t1000 = await ipRoutes(ns, 'table 1000');
    assert.deepEqual(
      t1000.map((r) => [r.dst, r.dev, r.metric, r.protocol]),
      [['192.169.0.0/16', 'r0', 7, 'static']],
    );
    const big = await ipRoutes(ns, 'table 70000');
    assert.deepEqual(
      big.map((r) => [r.type, r.dst]),
      [['unreachable', '192.173.0.0/16']],
    );
    assert.deepEqual(
      (await ipRoutes(ns, 'table 5')).map((r) => [r.dst, r.gateway]),
      [['default', '10.0.0.254']],
    );
    const v6 = (await ns.json('-6 route show')).find((r: any) => r.dst === '2001:db8:100::/48');
    assert.equal(v6.gateway, '2001:db8::fe');
    assert.equal(v6.metric, 1024);
    assert.equal(v6.pref, 'high');

    // change / replace / append / del
    await ipr.route('replace', { dst: '192.168.0.0/16', gateway: '10.1.0.254' });
    assert.equal((await ipRoutes(ns, '192.168.0.0/16')).at(0).gateway, '10.1.0.254');
    await ipr.route('append', { dst: '192.168.0.0/16', gateway: '10.0.0.9', tos: 0, priority: 5 });
    await ipr.route('del', { dst: '192.168.0.0/16', gateway: '10.0.0.9', priority: 5 });
    await ipr.route('del', { dst: '192.173.0.0/16', table: 70000, type: 'unreachable' });
    assert.deepEqual(await ipRoutes(ns, 'table 70000'), []);
    await assert.rejects(
      ipr.route('del', { dst: '192.173.0.0/16', table: 70000 }),
      (e: Error) => e instanceof NetlinkError && e.code === 'ESRCH',
    );
    await assert.rejects(
      ipr.route('add', { dst: '192.172.0.0/16', type: 'blackhole' }),
      (e: Error) => e instanceof NetlinkError && e.code === 'EEXIST',
    );
    await assert.rejects(
      ipr.route('add', { dst: '10.99.0.0/16', gateway: '172.31.0.1' }),
      (e: Error) =>
        e instanceof NetlinkError &&
        e.code === 'ENETUNREACH' &&
        /Nexthop has invalid gateway/.test(e.extack.message ?? ''),
    );
  });
});

test('routes made by iproute2 as nlroute reads them; route get', async () => {
  await withNetns(async (ns) => {
    await using ipr = await setup(ns);
    await ns.batch([
      'route add 172.20.0.0/16 via 10.0.0.254 metric 50 proto static',
      'route add 172.21.0.0/16 nexthop via 10.0.0.253 weight 3 nexthop via 10.1.0.253 weight 1',
      'route add 172.22.0.0/16 dev r1 table 2000 mtu 1300',
      'route add throw 172.23.0.0/16 table 2000',
      'route add 2001:db8:200::/48 via 2001:db8::2 dev r0 metric 300',
    ]);
    const all = await ipr.getRoutes({ family: 'inet', table: 'main' });
    const ip = await ipRoutes(ns);
    assert.deepEqual(
      all.map((r) => (r.field('dst_len') ? `${r.getAttr('RTA_DST')}/${r.field('dst_len')}` : 'default')).sort(),
      ip.map((r) => r.dst).sort(),
    );
    const one = all.find((r) => r.getAttr('RTA_DST') === '172.20.0.0')!;
    assert.equal(one.getAttr('RTA_GATEWAY'), '10.0.0.254');
    assert.equal(one.getAttr('RTA_PRIORITY'), 50);
    assert.equal(one.field('proto'), 4);
    assert.equal(one.toJSON().fields.proto, 'RTPROT_STATIC');
    const mp = all.find((r) => r.getAttr('RTA_DST') === '172.21.0.0')!.getAttr('RTA_MULTIPATH')!;
    assert.deepEqual(
      mp.map((n) => [n.attrs.getAttr('RTA_GATEWAY'), n.hops + 1]),
      [
        ['10.0.0.253', 3],
        ['10.1.0.253', 1],
      ],
    );
    const t2000 = await ipr.getRoutes({ table: 2000 });
    assert.deepEqual(t2000.map((r) => [r.getAttr('RTA_DST'), r.toJSON().fields.type, tableOf(r)]).sort(), [
      ['172.22.0.0', 'RTN_UNICAST', 2000],
      ['172.23.0.0', 'RTN_THROW', 2000],
    ]);
    assert.equal(
      t2000
        .find((r) => r.getAttr('RTA_DST') === '172.22.0.0')!
        .getAttr('RTA_METRICS')!
        .getAttr('RTAX_MTU'),
      1300,
    );
    const v6 = await ipr.getRoutes({ family: 'inet6', dst: '2001:db8:200::/48' });
    assert.equal(v6.length, 1);
    assert.equal(v6[0].getAttr('RTA_GATEWAY'), '2001:db8::2');
    assert.equal(v6[0].getAttr('RTA_PRIORITY'), 300);

    // route get: the route the kernel would use
    const [got] = await ipr.route('get', { dst: '172.20.1.2' });
    assert.equal(got.getAttr('RTA_DST'), '172.20.1.2');
    assert.equal(got.getAttr('RTA_GATEWAY'), '10.0.0.254');
    assert.equal(got.getAttr('RTA_OIF'), await ipr.ifindex('r0'));
    const [fib] = await ipr.route('get', { dst: '172.20.1.2', fibMatch: true });
    assert.equal(fib.getAttr('RTA_DST'), '172.20.0.0');
    assert.equal(fib.field('dst_len'), 16);
    const [g6] = await ipr.route('get', { dst: '2001:db8:200::5' });
    assert.equal(g6.getAttr('RTA_GATEWAY'), '2001:db8::2');
    await assert.rejects(ipr.route('get', { dst: '172.23.1.1', table: 2000 }), NetlinkError);
  });
});

test('dump filters go to the kernel in strict mode; the rest is filtered here', async () => {
  await withNetns(async (ns) => {
    await using ipr = await setup(ns);
    const lines: string[] = [];
    for (let i = 0; i < 50; i++)
      lines.push(
        `route add 10.50.${i}.0/24 dev r${i % 2} table ${i % 2 ? 300 : 400} proto ${i % 3 ? 'static' : 'bird'}`,
      );
    lines.push('route add blackhole 10.60.0.0/16 table 300');
    await ns.batch(lines);
    // Ask the kernel directly: it filters table, protocol, type and oif.
    const r1 = await ipr.ifindex('r1');
    const req = {
      type: RTM.RTM_GETROUTE,
      flags: NLM_F_DUMP,
      fields: { family: 2, table: 0, proto: 4 },
      attrs: [
        ['RTA_TABLE', 300],
        ['RTA_OIF', r1],
      ],
    } as const;
    const raw = await ipr.sock.request(rtmsg, req as never);
    assert.ok(raw.length > 0);
    assert.ok(raw.every((r) => tableOf(r) === 300 && r.field('proto') === 4 && r.getAttr('RTA_OIF') === r1));
    const count = (f: (i: number) => boolean): number => Array.from({ length: 50 }, (_, i) => i).filter(f).length;
    assert.equal(
      raw.length,
      count((i) => i % 2 === 1 && i % 3 !== 0),
    );
    const want = (await ipRoutes(ns, 'table 300 proto static dev r1')).length;
    assert.equal((await ipr.getRoutes({ table: 300, proto: 'static', oif: 'r1' })).length, want);
    assert.equal((await ipr.getRoutes({ table: 300, type: 'blackhole' })).length, 1);
    assert.equal(
      (await ipr.getRoutes({ family: 'inet', table: 400, proto: 'bird' })).length,
      count((i) => i % 2 === 0 && i % 3 === 0),
    );
    // Not kernel-filtered: dst, gateway, priority, scope.
    assert.deepEqual(
      (await ipr.getRoutes({ table: 400, dst: '10.50.4.0/24' })).map((r) => r.getAttr('RTA_DST')),
      ['10.50.4.0'],
    );
    assert.equal(
      (await ipr.getRoutes({ table: 'local', scope: 'host' })).length,
      (await ipRoutes(ns, 'table local scope host')).length,
    );
    // A table that does not exist: nothing, not an error.
    assert.deepEqual(await ipr.getRoutes({ family: 'inet', table: 4242 }), []);
    // Streaming gives the same.
    const streamed: RtMessage[] = [];
    for await (const r of ipr.dumpRoutes({ table: 300 })) streamed.push(r);
    assert.equal(streamed.length, (await ipr.getRoutes({ table: 300 })).length);
    // A non-strict socket gets the same answers: the filters then all run here.
    await using loose = new IPRoute({ netns: ns.name, strictCheck: false });
    assert.equal((await loose.getRoutes({ table: 300, proto: 'static', oif: 'r1' })).length, want);
    // ... because without strict checking the kernel ignores them and sends every route.
    const unfiltered = await loose.sock.request(rtmsg, req as never);
    assert.ok(unfiltered.length > raw.length && unfiltered.some((r) => tableOf(r) === 400));
  });
});

test('10,000 routes added with nlroute batch and dumped completely; per-index errors', {
  timeout: 60_000,
}, async () => {
  await withNetns(async (ns) => {
    await using ipr = await setup(ns);
    const N = 10_000;
    const reqs = Array.from(
      { length: N },
      (_, i) =>
        [
          'route',
          'add',
          { dst: `10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`, oif: 'r0', table: 100 },
        ] as const,
    );
    // two deliberate failures: a duplicate and a bad gateway
    const bad = [
      ...reqs,
      ['route', 'add', { dst: '10.100.0.0/32', oif: 'r0', table: 100 }] as const,
      ['route', 'add', { dst: '10.200.0.0/16', gateway: '172.31.0.1', table: 100 }] as const,
    ];
    const t0 = performance.now();
    const res = await ipr.batch(bad);
    const tAdd = performance.now() - t0;
    assert.equal(res.length, N + 2);
    assert.equal(res.filter((r) => r.ok).length, N);
    const errs = res.filter((r) => !r.ok);
    assert.deepEqual(
      errs.map((r) => [r.index, !r.ok && r.error.code]),
      [
        [N, 'EEXIST'],
        [N + 1, 'ENETUNREACH'],
      ],
    );
    const t1 = performance.now();
    const got = await ipr.getRoutes({ table: 100 });
    const tDump = performance.now() - t1;
    assert.equal(got.length, N);
    const dsts = new Set(got.map((r) => r.getAttr('RTA_DST')));
    assert.equal(dsts.size, N);
    const ipCount = (await ns.ip('route show table 100')).trim().split('\n').length;
    assert.equal(ipCount, N);
    console.log(`# 10k routes: batch add ${tAdd.toFixed(0)} ms, dump+decode RTA_DST ${tDump.toFixed(0)} ms`);
  });
});

test('route input errors are caught before sending', async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    await assert.rejects(ipr.route('add', { dst: '10.0.0.0/33', oif: 1 }), /prefix length/);
    await assert.rejects(ipr.route('add', { dst: '10.0.0/8', oif: 1 }), /not an IP address/);
    await assert.rejects(
      ipr.route('add', { dst: '10.0.0.0/8', gateway: '2001:db8::1', family: 'inet', via: undefined, table: 'nosuch' }),
      /unknown table/,
    );
    await assert.rejects(
      ipr.route('add', { dst: '10.0.0.0/8', type: 'bouncy' }),
      /type must be one of unspec, unicast.*got the string "bouncy"/,
    );
    await assert.rejects(
      ipr.route('add', { dst: '10.0.0.0/8', multipath: [{ gateway: '10.0.0.1', weight: 0 }] }),
      /multipath\[0\]: weight must be an integer 1\.\.256, got the number 0/,
    );
    await assert.rejects(
      ipr.route('add', { dst: '10.0.0.0/8', metrics: { speed: 5 } as never }),
      /route metrics: unknown key "speed"/,
    );
    await assert.rejects(ipr.route('add', { dst: '10.0.0.0/8', encap: { type: 'mpls' } as never }), /encap needs/);
    await assert.rejects(
      ipr.route('add', { dst: '10.0.0.0/8', oif: 'nope' }),
      (e: Error) => e instanceof NetlinkError && e.code === 'ENODEV',
    );
    await assert.rejects(ipr.route('add', { family: 'inet6', dst: '10.0.0.0/8' }), /does not match address family/);
  });
});
