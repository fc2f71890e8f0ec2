// Nexthop objects against a real kernel, cross-checked with `ip -j nexthop` both ways. Shared
// by the host suite (this kernel has nexthops) and the VM suite (which adds MPLS encap).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Overrun, type AnyMessage } from '../../src/core/index.js';
import { IPRoute, RTM, type NexthopMessage } from '../../src/rtnl/index.js';
import { withNetns } from './netns.js';

const ids = (l: readonly NexthopMessage[]): number[] =>
  l.map((m) => m.getAttr('NHA_ID') as number).sort((a, b) => a - b);

async function setup(ipr: IPRoute): Promise<void> {
  await ipr.link('set', { ifname: 'lo', state: 'up' });
  await ipr.link('add', { ifname: 'v0', kind: 'veth', peer: { ifname: 'v1' } });
  await ipr.link('add', { ifname: 'br0', kind: 'bridge' });
  await ipr.link('add', { ifname: 'v2', kind: 'veth', peer: { ifname: 'v3' } });
  for (const l of ['v0', 'v1', 'v2', 'v3', 'br0']) await ipr.link('set', { ifname: l, state: 'up' });
  await ipr.link('set', { ifname: 'v2', master: 'br0' });
  await ipr.addr('add', { index: 'v0', address: '10.0.0.1/24' });
  await ipr.addr('add', { index: 'v0', address: 'fd00::1/64', flags: ['nodad'] });
  await ipr.addr('add', { index: 'v2', address: '10.2.0.1/24' });
}

/** Register the nexthop tests; `mpls` adds MPLS-encap nexthops (needs mpls_iptunnel). */
export function nexthopTests(opts: { mpls?: boolean } = {}): void {
  it('single nexthops: made by nlroute, read by ip; made by ip, read by nlroute', async () => {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      await setup(ipr);
      await ipr.nexthop('add', { id: 1, gateway: '10.0.0.2', oif: 'v0' });
      await ipr.nexthop('add', { id: 2, gateway: 'fd00::2', oif: 'v0' });
      await ipr.nexthop('add', { id: 3, blackhole: true });
      await ipr.nexthop('add', { id: 4, gateway: '10.9.9.9', oif: 'v0', onlink: true, protocol: 'static' });
      await ipr.nexthop('add', { id: 5, oif: 'v0', family: 'inet' });
      const byId = new Map((await ns.json('nexthop show')).map((n: any) => [n.id, n]));
      assert.deepEqual([(byId.get(1) as any).gateway, (byId.get(1) as any).dev], ['10.0.0.2', 'v0']);
      assert.equal((byId.get(2) as any).gateway, 'fd00::2');
      assert.ok('blackhole' in (byId.get(3) as any));
      assert.ok((byId.get(4) as any).flags.includes('onlink'));
      assert.equal((byId.get(4) as any).protocol, 'static');
      assert.equal((byId.get(5) as any).dev, 'v0');
      await ns.batch([
        'nexthop add id 11 via 10.0.0.3 dev v0',
        'nexthop add id 12 blackhole',
        'nexthop add id 13 via fd00::3 dev v0',
      ]);
      const [n11] = await ipr.nexthop('get', { id: 11 });
      assert.equal(n11.getAttr('NHA_GATEWAY'), '10.0.0.3');
      assert.equal(n11.getAttr('NHA_OIF'), await ipr.ifindex('v0'));
      assert.equal(n11.fields.family, 2);
      assert.equal((await ipr.nexthop('get', { id: 12 }))[0].getAttr('NHA_BLACKHOLE'), true);
      assert.equal((await ipr.nexthop('get', { id: 13 }))[0].getAttr('NHA_GATEWAY'), 'fd00::3');
      await ipr.nexthop('replace', { id: 1, gateway: '10.0.0.5', oif: 'v0' });
      assert.equal(
        (await ns.json('nexthop show id 1'))[0]?.gateway ?? (await ns.json('nexthop show id 1')).gateway,
        '10.0.0.5',
      );
      await ipr.nexthop('del', { id: 1 });
      assert.ok(!(await ns.json('nexthop show')).some((n: any) => n.id === 1));
      await assert.rejects(ipr.nexthop('get', { id: 1 }), /ENOENT/);
      await assert.rejects(
        ipr.nexthop('add', { id: 9, gateway: '10.0.0.2', oif: 'v0', blackhole: true }),
        /exactly one of/,
      );
    });
  });

  it('groups (weights), resilient groups, routes with nhid', async () => {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      await setup(ipr);
      await ipr.nexthop('add', { id: 1, gateway: '10.0.0.2', oif: 'v0' });
      await ipr.nexthop('add', { id: 2, gateway: '10.0.0.3', oif: 'v0' });
      await ipr.nexthop('add', { id: 10, group: [1, { id: 2, weight: 3 }] });
      await ipr.nexthop('add', {
        id: 20,
        group: '1/2,5',
        groupType: 'resilient',
        buckets: 32,
        idleTimer: 60,
        unbalancedTimer: 10,
      });
      const g10 = await ns.json('nexthop show id 10');
      const g = Array.isArray(g10) ? g10[0] : g10;
      assert.deepEqual(
        g.group.map((m: any) => [m.id, m.weight ?? 1]),
        [
          [1, 1],
          [2, 3],
        ],
      );
      const r20 = await ns.json('nexthop show id 20');
      const r = Array.isArray(r20) ? r20[0] : r20;
      assert.equal(r.type, 'resilient');
      assert.equal(r.resilient_args.buckets, 32);
      assert.equal(r.resilient_args.idle_timer, 60);
      assert.equal(r.resilient_args.unbalanced_timer, 10);
      await ns.ip('nexthop add id 30 group 1,4/2,2 type resilient buckets 16 idle_timer 5');
      const [m30] = await ipr.nexthop('get', { id: 30 });
      assert.deepEqual(
        m30.getAttr('NHA_GROUP')!.map((x: any) => [x.id, x.weight]),
        [
          [1, 3],
          [2, 1],
        ],
      );
      assert.equal(m30.getAttr('NHA_GROUP_TYPE'), 1);
      const res = m30.getAttr('NHA_RES_GROUP') as any;
      assert.equal(res.getAttr('NHA_RES_GROUP_BUCKETS'), 16);
      assert.equal(res.getAttr('NHA_RES_GROUP_IDLE_TIMER'), 500);
      // Routes through nexthop objects, both ways.
      await ipr.route('add', { dst: '10.50.0.0/16', nhId: 10 });
      const routes: any[] = await ns.json('route show 10.50.0.0/16');
      assert.equal(routes[0].nhid, 10);
      await ns.ip('route add 10.60.0.0/16 nhid 20');
      const [rt] = (await ipr.getRoutes({ dst: '10.60.0.0/16' } as any)).filter(
        (x) => x.getAttr('RTA_DST') === '10.60.0.0',
      );
      assert.equal(rt.getAttr('RTA_NH_ID'), 20);
      // A lookup resolves through the group; fibmatch returns the route with its nhid.
      const [got] = await ipr.route('get', { dst: '10.50.1.1' });
      assert.ok(['10.0.0.2', '10.0.0.3'].includes(got.getAttr('RTA_GATEWAY') as string));
      const [fib] = await ipr.route('get', { dst: '10.50.1.1', fibMatch: true });
      assert.equal(fib.getAttr('RTA_NH_ID'), 10);
    });
  });

  it('FDB nexthops and dumps filtered by id, group, device, master and FDB', async () => {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      await setup(ipr);
      await ipr.nexthop('add', { id: 1, gateway: '10.0.0.2', oif: 'v0' });
      await ipr.nexthop('add', { id: 2, gateway: '10.2.0.2', oif: 'v2' });
      await ipr.nexthop('add', { id: 3, gateway: '172.16.0.1', fdb: true });
      await ns.ip('nexthop add id 4 via 172.16.0.2 fdb');
      await ipr.nexthop('add', { id: 5, group: [3, 4], fdb: true });
      await ipr.nexthop('add', { id: 6, group: [1, 2] });
      // The kernel does the filtering; nlroute's filtered dumps match ip's.
      const viaIp = async (f: string): Promise<number[]> =>
        (await ns.json(`nexthop show ${f}`)).map((n: any) => n.id).sort();
      const fdbIds = ids(await ipr.getNexthops({ fdb: true }));
      assert.deepEqual(fdbIds, await viaIp('fdb'));
      for (const id of [3, 4, 5]) assert.ok(fdbIds.includes(id), `fdb dump has ${id}`);
      assert.deepEqual(ids(await ipr.getNexthops({ oif: 'v0' })), await viaIp('dev v0'));
      assert.deepEqual(ids(await ipr.getNexthops({ master: 'br0' })), await viaIp('master br0'));
      const [n4] = await ipr.nexthop('get', { id: 4 });
      assert.equal(n4.getAttr('NHA_FDB'), true);
      assert.deepEqual(ids(await ipr.getNexthops({ groups: true })), [5, 6]);
      assert.deepEqual(ids(await ipr.getNexthops({ oif: 'v0' })), [1]);
      assert.deepEqual(ids(await ipr.getNexthops({ master: 'br0' })), [2]);
      assert.deepEqual(ids(await ipr.getNexthops({ id: 6 })), [6]);
      assert.deepEqual(ids(await ipr.getNexthops({ id: 99 })), []);
      assert.deepEqual(ids(await ipr.nexthop('dump')), [1, 2, 3, 4, 5, 6]);
      assert.deepEqual((await ns.json('nexthop show groups')).map((n: any) => n.id).sort(), [5, 6]);
    });
  });

  it('nexthop events: add, replace and delete arrive parsed', async () => {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      await setup(ipr);
      const sub = ipr.events(['nexthop']);
      const seen: AnyMessage[] = [];
      const reader = (async () => {
        for await (const ev of sub) {
          if (ev instanceof Overrun) continue;
          seen.push(ev);
          if (ev.type === RTM.RTM_DELNEXTHOP) break;
        }
      })();
      await ns.ip('nexthop add id 7 via 10.0.0.2 dev v0');
      await ns.ip('nexthop replace id 7 via 10.0.0.4 dev v0');
      await ns.ip('nexthop del id 7');
      await reader;
      const adds = seen.filter((m) => m.type === RTM.RTM_NEWNEXTHOP);
      assert.deepEqual(
        adds.map((m) => m.getAttr('NHA_GATEWAY')),
        ['10.0.0.2', '10.0.0.4'],
      );
      assert.equal(seen.at(-1)!.getAttr('NHA_ID'), 7);
    });
  });

  if (opts.mpls) {
    it('nexthops with MPLS encap', async () => {
      await withNetns(async (ns) => {
        await using ipr = new IPRoute({ netns: ns.name });
        await setup(ipr);
        await ipr.nexthop('add', {
          id: 1,
          gateway: '10.0.0.2',
          oif: 'v0',
          encap: { type: 'mpls', labels: [100, 200] },
        });
        const n = await ns.json('nexthop show id 1');
        const one = Array.isArray(n) ? n[0] : n;
        assert.deepEqual([one.encap, one.dst], ['mpls', '100/200'], JSON.stringify(one));
        await ns.ip('nexthop add id 2 encap mpls 300/400 via 10.0.0.3 dev v0');
        const [m] = await ipr.nexthop('get', { id: 2 });
        assert.equal(m.getAttr('NHA_ENCAP_TYPE'), 1);
        assert.match(JSON.stringify((m.getAttr('NHA_ENCAP') as any).getAttr('MPLS_IPTUNNEL_DST')), /300\D+400/);
      });
    });
  }
}
