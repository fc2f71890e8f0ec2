// Round trips: objects made by nlroute and by `ip`, read as records, compared with `ip -j -d`
// through toIpJson, then fed back as specs: a record is a valid spec for the same object.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  IPRoute,
  toIpJson,
  type AddrRecord,
  type LinkRecord,
  type LinkSpec,
  type NeighRecord,
  type RouteRecord,
} from '../src/rtnl/index.js';
import { withNetns, type TestNetns } from './helpers/netns.js';

// Values that move on their own (counters, timers) are left out of comparisons.
const VOLATILE = new Set([
  'stats',
  'carrierChanges',
  'carrierUpCount',
  'carrierDownCount',
  'operstate',
  'flags',
  'state',
  'carrier',
]);
const stable = (r: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(r).filter(([k]) => !VOLATILE.has(k)));

async function names(ipr: IPRoute): Promise<Map<number, string>> {
  return new Map((await ipr.links()).map((l) => [l.index!, l.ifname!]));
}

async function setup(ns: TestNetns, ipr: IPRoute): Promise<void> {
  // Half made by nlroute, half by ip.
  await ipr.link('add', { ifname: 'v0', kind: 'veth', peer: 'v1', mtu: 1400, state: 'up' });
  await ns.ip('link set v1 up');
  await ns.ip('link add br0 type bridge stp_state 0 forward_delay 400');
  await ipr.link('add', { ifname: 'vx0', kind: 'vxlan', vxlanId: 42, vxlanPort: 4789, vxlanLink: 'v0', vxlanTtl: 9 });
  await ns.ip('link add mv0 link v1 type macvlan mode bridge');
  await ipr.addr('add', { index: 'v0', address: '10.0.0.1/24', broadcast: true, label: 'v0:a' });
  await ns.ip('addr add 10.0.1.1/24 dev v1');
  await ns.ip('addr add 2001:db8::1/64 dev v0 nodad');
  await ipr.route('add', { dst: '10.10.0.0/16', gateway: '10.0.0.9', metrics: { mtu: 1300, advmss: 1200 } });
  await ns.ip('route add 10.11.0.0/16 nexthop via 10.0.0.7 weight 2 nexthop via 10.0.1.7');
  await ns.ip('route add 10.12.0.0/16 dev v1 table 1000 metric 7');
  await ipr.route('add', { family: 'inet6', dst: '2001:db8:5::/48', gateway: '2001:db8::9', priority: 1024 });
  await ns.ip('neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev v0');
  await ipr.neigh('add', { dst: '10.0.1.2', lladdr: '02:00:00:00:00:03', ifindex: 'v1' });
}

test('link records agree with ip -j -d and are specs of themselves', async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    await setup(ns, ipr);
    const nm = await names(ipr);
    const ipj = new Map(((await ns.json('-d link show')) as any[]).map((l) => [l.ifname, l]));
    const links = await ipr.links();
    for (const l of links) {
      const j = ipj.get(l.ifname)!;
      const mine = toIpJson(l, { names: nm, details: true }) as any;
      for (const k of ['ifindex', 'ifname', 'mtu', 'operstate', 'link_type', 'address', 'master', 'group', 'txqlen']) {
        assert.deepEqual(mine[k], j[k], `${l.ifname} ${k}`);
      }
      assert.equal(mine.linkinfo?.info_kind, j.linkinfo?.info_kind, `${l.ifname} kind`);
    }
    const vx = links.find((l) => l.ifname === 'vx0')!;
    assert.equal(vx.kind, 'vxlan');
    if (vx.kind === 'vxlan') {
      const jd = ipj.get('vx0').linkinfo.info_data;
      assert.equal(vx.vxlanId, jd.id);
      assert.equal(vx.vxlanPort, jd.port);
      assert.equal(vx.vxlanTtl, jd.ttl);
      assert.equal(vx.vxlanLink, ipj.get('v0').ifindex);
    }
    const br = links.find((l) => l.ifname === 'br0')!;
    if (br.kind === 'bridge') assert.equal(br.brForwardDelay, ipj.get('br0').linkinfo.info_data.forward_delay);
    const mv = links.find((l) => l.ifname === 'mv0')!;
    if (mv.kind === 'macvlan') assert.equal(mv.macvlanMode, 'bridge');

    // Each record, fed back as a 'set' spec, is accepted and changes nothing.
    for (const l of links) {
      if (l.kind === 'vxlan' || l.kind === 'bridge') continue; // kinds that refuse a re-set of create-only options
      await ipr.link('set', l as LinkSpec);
    }
    const after = await ipr.links();
    assert.deepEqual(after.map(stable), links.map(stable));
  });
});

test('kind records recreate their link: delete, add from the record, read the same', async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    await setup(ns, ipr);
    for (const name of ['vx0', 'br0', 'mv0']) {
      const [before] = await ipr.links({ ifname: name });
      await ipr.link('del', { ifname: name });
      // This kernel has no bridge VLAN filtering: it refuses those options even when off.
      const { brVlanFiltering: _f, brMultiBoolopt: _m, ...spec } = before as Record<string, unknown>;
      await ipr.link('add', spec as LinkSpec);
      const [again] = await ipr.links({ ifname: name });
      // Timers and bridge ids are the kernel's own; the options given are the same.
      const keep = (r: LinkRecord): Record<string, unknown> =>
        Object.fromEntries(
          Object.entries(stable(r)).filter(
            ([k]) =>
              !/Timer$|Id$|^brTopologyChange|^brRootPort|^brRootPathCost|^brFdbNLearned|^address$|^vxlanReservedBits$/.test(
                k,
              ) || k === 'vxlanId',
          ),
        );
      assert.deepEqual(keep(again), keep(before), name);
    }
  });
});

test('address records agree with ip -j and recreate themselves', async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    await setup(ns, ipr);
    const ipj = ((await ns.json('addr show')) as any[]).flatMap((l) =>
      l.addr_info.map((a: any) => ({ ...a, dev: l.ifname })),
    );
    const addrs = await ipr.addresses();
    assert.equal(addrs.length, ipj.length);
    for (const a of addrs) {
      const mine = toIpJson(a) as any;
      const theirs = ipj.find((x) => x.local === mine.local && x.prefixlen === mine.prefixlen)!;
      assert.ok(theirs, `ip shows ${mine.local}`);
      for (const k of ['family', 'local', 'prefixlen', 'broadcast', 'scope', 'label', 'nodad'])
        assert.deepEqual(mine[k], theirs[k], `${mine.local} ${k}`);
    }
    const nm = await names(ipr);
    const mineOnly = (r: AddrRecord): boolean => nm.get(r.index!) !== 'lo' && r.family === 'inet';
    for (const a of addrs.filter(mineOnly)) {
      await ipr.addr('del', a);
      await ipr.addr('add', a);
    }
    const again = (await ipr.addresses()).filter(mineOnly);
    const key = (r: AddrRecord): string => `${r.index} ${r.address}/${r.prefixlen}`;
    assert.deepEqual(
      again.sort((x, y) => key(x).localeCompare(key(y))),
      addrs.filter(mineOnly).sort((x, y) => key(x).localeCompare(key(y))),
    );
  });
});

test('route records agree with ip -j and recreate themselves (gateway, metrics, multipath, table, IPv6)', async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    await setup(ns, ipr);
    const nm = await names(ipr);
    const ours = (r: RouteRecord): boolean => /^(10\.1[0-2]\.|2001:db8:5::)/.test(r.dst ?? '');
    const routes = (await ipr.routes()).filter(ours);
    const all = [
      ...((await ns.json('route show table all')) as any[]),
      ...((await ns.json('-6 route show table all')) as any[]),
    ];
    assert.equal(routes.length, 4);
    for (const r of routes) {
      const mine = toIpJson(r, { names: nm }) as any;
      const theirs = all.find((x) => x.dst === mine.dst);
      assert.ok(theirs, `ip shows ${mine.dst}`);
      for (const k of ['dst', 'gateway', 'dev', 'protocol', 'metric', 'nexthops', 'metrics']) {
        assert.deepEqual(mine[k], theirs[k] ?? (k === 'protocol' ? undefined : theirs[k]), `${mine.dst} ${k}`);
      }
    }
    const mp = routes.find((r) => r.dst === '10.11.0.0/16')!;
    assert.deepEqual(
      mp.multipath!.map((n) => [n.gateway, n.weight]),
      [
        ['10.0.0.7', 2],
        ['10.0.1.7', 1],
      ],
    );
    assert.equal(routes.find((r) => r.dst === '10.12.0.0/16')!.table, 1000);
    assert.deepEqual(routes.find((r) => r.dst === '10.10.0.0/16')!.metrics, { mtu: 1300, advmss: 1200 });
    for (const r of routes) {
      await ipr.route('del', r);
      await ipr.route('add', r);
    }
    const again = (await ipr.routes()).filter(ours);
    const key = (r: RouteRecord): string => String(r.dst);
    assert.deepEqual(
      again.sort((x, y) => key(x).localeCompare(key(y))),
      routes.sort((x, y) => key(x).localeCompare(key(y))),
    );
  });
});

test('neighbour records agree with ip -j and recreate themselves', async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    await setup(ns, ipr);
    const nm = await names(ipr);
    const perm = (n: NeighRecord): boolean => (n.state as string[]).includes('permanent');
    const neigh = (await ipr.neighbours({ family: 'inet' })).filter(perm);
    const ipj = (await ns.json('neigh show nud permanent')) as any[];
    assert.equal(neigh.length, 2);
    for (const n of neigh) {
      const mine = toIpJson(n, { names: nm }) as any;
      const theirs = ipj.find((x) => x.dst === mine.dst);
      assert.deepEqual(mine, theirs);
    }
    for (const n of neigh) {
      await ipr.neigh('del', n);
      await ipr.neigh('add', n);
    }
    const byDst = (x: NeighRecord, y: NeighRecord): number => String(x.dst).localeCompare(String(y.dst));
    assert.deepEqual((await ipr.neighbours({ family: 'inet' })).filter(perm).sort(byDst), neigh.sort(byDst));
  });
});
