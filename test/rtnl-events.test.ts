// Events, waitFor, mixed batches, concurrent requests, and 1,000 interfaces dumped whole.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NetlinkTimeoutError, Overrun, SocketClosedError, type AnyMessage } from '../src/core/index.js';
import { IPRoute, RTM } from '../src/rtnl/index.js';
import { withNetns } from './helpers/netns.js';

test('events: link, address and route changes arrive parsed, in order', async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    const sub = ipr.events();
    const seen: AnyMessage[] = [];
    const reader = (async () => {
      for await (const ev of sub) {
        if (ev instanceof Overrun) continue;
        seen.push(ev);
        if (ev.type === RTM.RTM_DELLINK && ev.getAttr('IFLA_IFNAME') === 'ev0') break;
      }
    })();
    await ns.ip('link add ev0 type veth peer name ev1');
    await ns.ip('link set ev0 up');
    await ns.ip('addr add 10.9.9.1/24 dev ev0');
    await ns.ip('route add 10.8.0.0/16 via 10.9.9.254');
    await ns.ip('link del ev0');
    await reader;
    const kinds = seen.map((m) => m.schema.typeNames.get(m.type));
    assert.ok(kinds.includes('RTM_NEWLINK'));
    assert.ok(kinds.includes('RTM_NEWADDR'));
    assert.ok(kinds.includes('RTM_NEWROUTE'));
    assert.ok(kinds.includes('RTM_DELADDR') || kinds.includes('RTM_DELROUTE'));
    const addr = seen.find((m) => m.type === RTM.RTM_NEWADDR && m.family === 2)!;
    assert.equal(addr.getAttr('IFA_LOCAL'), '10.9.9.1');
    const route = seen.find((m) => m.type === RTM.RTM_NEWROUTE && m.getAttr('RTA_DST') === '10.8.0.0')!;
    assert.equal(route.getAttr('RTA_GATEWAY'), '10.9.9.254');
    assert.ok(sub.isClosed);
  });
});

test('waitFor: already there, appears later, never appears (timeout); no race between check and events', async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    const lo = await ipr.waitFor('link', { ifname: 'lo' });
    assert.equal(lo.field('index'), 1);
    const later = ipr.waitFor('addr', { address: '10.77.0.1' }, { timeout: 3000 });
    const upLater = ipr.waitFor('link', (m) => m.getAttr('IFLA_IFNAME') === 'w0' && (m.field('flags') & 1) === 1, {
      timeout: 3000,
    });
    const routeLater = ipr.waitFor('route', { dst: '10.78.0.0/16', table: 'main' }, { timeout: 3000 });
    setTimeout(() => {
      void ns.batch([
        'link add w0 type ifb',
        'link set w0 up',
        'addr add 10.77.0.1/24 dev w0',
        'route add 10.78.0.0/16 dev w0',
      ]);
    }, 50);
    assert.equal((await later).getAttr('IFA_LOCAL'), '10.77.0.1');
    assert.equal((await upLater).getAttr('IFLA_IFNAME'), 'w0');
    assert.equal((await routeLater).field('dst_len'), 16);
    const t0 = Date.now();
    await assert.rejects(ipr.waitFor('route', { dst: '10.99.0.0/16' }, { timeout: 150 }), NetlinkTimeoutError);
    assert.ok(Date.now() - t0 < 1000);
    // Changes made while the initial dump runs are not missed: race a burst of adds.
    for (let i = 0; i < 20; i++) {
      const name = `race${i}`;
      const w = ipr.waitFor('link', { ifname: name }, { timeout: 3000 });
      await ipr.link('add', { ifname: name, kind: 'ifb' });
      assert.equal((await w).getAttr('IFLA_IFNAME'), name);
    }
  });
});

test('batch of links, addresses and routes with per-index errors; concurrent requests on one socket', async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    const res = await ipr.batch([
      ['link', 'add', { ifname: 'b0', kind: 'veth', peer: 'b1' }],
      ['link', 'set', { ifname: 'b0', state: 'up' }],
      ['link', 'set', { ifname: 'lo', state: 'up' }],
      ['addr', 'add', { index: 'lo', address: '10.66.0.1/32' }],
      ['addr', 'add', { index: 'lo', address: '10.66.0.1/32' }],
      ['link', 'add', { ifname: 'b2', kind: 'ifb' }],
      ['route', 'add', { dst: '10.67.0.0/16', oif: 'lo' }],
    ]);
    assert.deepEqual(
      res.map((r) => (r.ok ? 'ok' : r.error.code)),
      ['ok', 'ok', 'ok', 'ok', 'EEXIST', 'ok', 'ok'],
    );
    const e = res[4];
    assert.ok(!e.ok && e.index === 4 && e.error.index === 4);
    assert.deepEqual(
      (await ipr.getLinks({ kind: 'ifb' })).map((l) => l.getAttr('IFLA_IFNAME')),
      ['b2'],
    );
    // 200 requests in flight at once, of several kinds, on the same socket.
    const all = await Promise.all([
      ...Array.from({ length: 100 }, (_, i) => ipr.route('add', { dst: `10.68.${i}.0/24`, oif: 'lo' })),
      ...Array.from({ length: 50 }, () => ipr.getLinks()),
      ...Array.from({ length: 50 }, () => ipr.link('get', { ifname: 'b0' })),
    ]);
    assert.equal(all.length, 200);
    assert.equal(
      (await ipr.getRoutes({ family: 'inet', table: 'main', oif: 'lo' })).filter((r) =>
        String(r.getAttr('RTA_DST')).startsWith('10.68.'),
      ).length,
      100,
    );
    // A closed IPRoute fails clearly.
    ipr.close();
    await assert.rejects(ipr.getLinks(), SocketClosedError);
  });
});

test('1,000 interfaces (500 veth pairs) dumped completely and matching iproute2', { timeout: 120_000 }, async () => {
  await withNetns(async (ns) => {
    const lines = Array.from({ length: 500 }, (_, i) => `link add va${i} type veth peer name vb${i}`);
    await ns.batch(lines);
    await using ipr = new IPRoute({ netns: ns.name });
    const t0 = performance.now();
    const links = await ipr.getLinks();
    const ms = performance.now() - t0;
    assert.equal(links.length, 1001);
    const names = new Set(links.map((l) => l.getAttr('IFLA_IFNAME')));
    for (let i = 0; i < 500; i++) assert.ok(names.has(`va${i}`) && names.has(`vb${i}`));
    const ip = await ns.json('link show');
    assert.deepEqual(
      links.map((l) => l.field('index')).sort((a, b) => a - b),
      ip.map((l: any) => l.ifindex).sort((a: number, b: number) => a - b),
    );
    let n = 0;
    for await (const l of ipr.dumpLinks({ kind: 'veth' })) {
      l.validate();
      n++;
    }
    assert.equal(n, 1000);
    // nlroute's batch deletes some (each veth deletion waits for an RCU grace period in the
    // kernel, ~20 ms: the namespace's removal takes the rest asynchronously).
    const t1 = performance.now();
    const res = await ipr.batch(Array.from({ length: 50 }, (_, i) => ['link', 'del', { ifname: `va${i}` }] as const));
    const delMs = performance.now() - t1;
    assert.ok(res.every((r) => r.ok));
    assert.equal((await ipr.getLinks()).length, 901);
    console.log(`# 1000 links: dump ${ms.toFixed(0)} ms; batch delete of 50 veth pairs ${delMs.toFixed(0)} ms`);
  });
});
