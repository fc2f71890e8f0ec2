// Bridge features this host's kernel lacks (VLAN filtering), live in the test VM, cross-checked
// with `bridge -j` and `ip -j -d` both ways: port VLANs (single, ranges, pvid/untagged),
// vlan_filtering, per-port flags and the FDB.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttrSet } from '../../src/core/index.js';
import { Overrun, type AnyMessage } from '../../src/core/index.js';
import {
  IPRoute,
  RTM,
  brvlanRecords,
  type BrVlanMessage,
  type BrVlanRecord,
  type IfinfMessage,
} from '../../src/rtnl/index.js';
import { withNetns, type TestNetns } from '../helpers/netns.js';
import { readmeBlocks, runReadmeBlock } from '../helpers/readme.js';
import { vmOnly } from './vm.js';

const bridgeJson = async (ns: TestNetns, args: string): Promise<any[]> =>
  JSON.parse((await ns.exec('bridge', ['-j', ...args.split(' ')])) || '[]');
const slave = (l: IfinfMessage): AttrSet<any> =>
  (l.getAttr('IFLA_LINKINFO') as AttrSet<any>).getAttr('IFLA_INFO_SLAVE_DATA') as AttrSet<any>;

async function setup(ipr: IPRoute): Promise<void> {
  await ipr.link('add', { ifname: 'br0', kind: 'bridge', brVlanFiltering: 1 });
  for (const p of ['p0', 'p1']) {
    await ipr.link('add', { ifname: p, kind: 'veth', peer: { ifname: `${p}x` } });
    await ipr.link('set', { ifname: p, master: 'br0', state: 'up' });
  }
  await ipr.link('set', { ifname: 'br0', state: 'up' });
}

/** A bridge with VLAN filtering and per-VLAN multicast snooping, ports p0 and p1 up. */
async function setupVlanDb(ipr: IPRoute, ns: TestNetns): Promise<void> {
  await ns.ip('link add br0 type bridge vlan_filtering 1 mcast_snooping 1 mcast_vlan_snooping 1');
  for (const p of ['p0', 'p1']) {
    await ipr.link('add', { ifname: p, kind: 'veth', peer: { ifname: `${p}x` } });
    await ipr.link('set', { ifname: p, master: 'br0', state: 'up' });
    await ipr.link('set', { ifname: `${p}x`, state: 'up' });
  }
  await ipr.link('set', { ifname: 'br0', state: 'up' });
}

/** `bridge -j -d vlan show dev D` with ranges expanded: vid -> entry. */
async function shownVlans(ns: TestNetns, dev: string, extra = ''): Promise<Map<number, any>> {
  const out = new Map<number, any>();
  const [d] = await bridgeJson(ns, `-d ${extra ? `${extra} ` : ''}vlan show dev ${dev}`);
  for (const v of d?.vlans ?? []) for (let i = v.vlan; i <= (v.vlanEnd ?? v.vlan); i++) out.set(i, v);
  return out;
}

/** Our records with ranges expanded: vid -> record. */
function byVid(recs: readonly BrVlanRecord[]): Map<number, BrVlanRecord> {
  const out = new Map<number, BrVlanRecord>();
  for (const r of recs) for (let i = r.vid; i <= (r.vidEnd ?? r.vid); i++) out.set(i, r);
  return out;
}

describe('bridge (VM)', vmOnly, () => {
  it('the rtnl README examples that need VLAN filtering run', async () => {
    const blocks = readmeBlocks('src/rtnl/README.md', 'vlan-filtering');
    assert.ok(blocks.length > 0, 'no example marked `// needs: vlan-filtering`');
    for (const b of blocks) {
      await withNetns(async (ns) => {
        await runReadmeBlock(b, (cmd, args) => ns.exec(cmd, args));
      });
    }
  });

  it('VLAN database: per-VLAN state and mcast_router, ranges, stats, both ways with bridge -j -d', async () => {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      await setupVlanDb(ipr, ns);
      await ipr.brvlan('add', { ifindex: 'p0', vid: 10, pvid: true, untagged: true });
      await ipr.brvlan('add', { ifindex: 'p0', vid: 100, vidEnd: 105 });
      await ipr.brvlan('set', { ifindex: 'p0', vid: 10, state: 'learning' });
      await ipr.brvlan('set', { ifindex: 'p0', vid: 100, vidEnd: 103, mcastRouter: 'perm' });
      const shown = await shownVlans(ns, 'p0');
      const v10 = shown.get(10);
      assert.ok(v10.flags.includes('PVID') && v10.flags.includes('Egress Untagged'), JSON.stringify(v10));
      assert.equal(v10.state, 'learning');
      assert.deepEqual(
        [100, 101, 102, 103, 104, 105].map((v) => shown.get(v)?.mcast_router),
        [2, 2, 2, 2, 1, 1],
      );
      // Made by bridge(8), read by nlroute.
      await ns.exec('bridge', ['vlan', 'add', 'dev', 'p1', 'vid', '20-22']);
      await ns.exec('bridge', ['vlan', 'set', 'dev', 'p1', 'vid', '21', 'state', 'blocking']);
      await ns.exec('bridge', ['vlan', 'set', 'dev', 'p1', 'vid', '22', 'mcast_router', '0']);
      const p1 = byVid(await ipr.brvlans({ ifindex: 'p1' }));
      const p1i = await ipr.ifindex('p1');
      assert.deepEqual(
        [20, 21, 22].map((v) => [p1.get(v)?.ifindex, p1.get(v)?.state, p1.get(v)?.mcastRouter]),
        [
          [p1i, 'forwarding', 'temp_query'],
          [p1i, 'blocking', 'temp_query'],
          [p1i, 'forwarding', 'disabled'],
        ],
      );
      // A VLAN whose options equal its neighbours' comes back as one range record.
      const ours = await ipr.brvlans({ ifindex: 'p0' });
      assert.ok(
        ours.some((r) => r.vid === 100 && r.vidEnd === 103 && r.mcastRouter === 'perm'),
        JSON.stringify(ours),
      );
      assert.ok(ours.some((r) => r.vid === 10 && r.flags?.includes('pvid') && r.flags.includes('untagged')));
      // A record is a spec: p1's VLAN 21, options and all, onto p0.
      const rec = p1.get(21)!;
      await ipr.brvlan('add', { ...rec, ifindex: 'p0' });
      assert.equal((await shownVlans(ns, 'p0')).get(21)?.state, 'blocking');
      // Counters with stats, as `bridge -s -d vlan show`.
      const withStats = await ipr.brvlans({ ifindex: 'p0', vid: 10, stats: true });
      assert.equal(typeof withStats[0]?.stats?.rxBytes, 'number', JSON.stringify(withStats));
      const s10 = (await shownVlans(ns, 'p0', '-s')).get(10);
      assert.equal(typeof s10.rx_bytes, 'number', JSON.stringify(s10));
      await ipr.brvlan('del', { ifindex: 'p0', vid: 100, vidEnd: 105 });
      assert.ok(![...(await shownVlans(ns, 'p0')).keys()].some((v) => v >= 100 && v <= 105));
      await assert.rejects(ipr.brvlan('set', { ifindex: 'p0', vid: 333, state: 'learning' }), /EINVAL|ENOENT/);
    });
  });

  it('VLAN global options and router ports, both ways with bridge -j vlan global show', async () => {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      await setupVlanDb(ipr, ns);
      await ipr.brvlan('add', { ifindex: 'br0', vid: 10, flags: ['brentry'] });
      await ipr.brvlan('add', { ifindex: 'p0', vid: 10 });
      await ipr.brvlanGlobal('set', {
        ifindex: 'br0',
        vid: 10,
        mcastSnooping: 1,
        mcastIgmpVersion: 3,
        mcastQueryInterval: 3000,
      });
      const [g] = await bridgeJson(ns, 'vlan global show dev br0');
      const g10 = g.vlans.find((v: any) => v.vlan === 10);
      assert.deepEqual(
        [g10.mcast_snooping, g10.mcast_igmp_version, g10.mcast_query_interval],
        [1, 3, 3000],
        JSON.stringify(g10),
      );
      await ns.exec('bridge', ['vlan', 'global', 'set', 'dev', 'br0', 'vid', '10', 'mcast_mld_version', '2']);
      await ipr.brvlan('set', { ifindex: 'p0', vid: 10, mcastRouter: 'perm' });
      const [ours] = await ipr.brvlanGlobals({ ifindex: 'br0', vid: 10 });
      assert.deepEqual(
        [ours.mcastSnooping, ours.mcastIgmpVersion, ours.mcastMldVersion, ours.mcastQueryInterval],
        [1, 3, 2, 3000],
        JSON.stringify(ours),
      );
      const p0 = await ipr.ifindex('p0');
      assert.ok(
        ours.routerPorts?.some((r) => r.port === p0),
        JSON.stringify(ours),
      );
      // A record is a spec (its router ports are read only).
      await ipr.brvlanGlobal('set', { ...ours, mcastIgmpVersion: 2 });
      const [again] = await bridgeJson(ns, 'vlan global show dev br0');
      assert.equal(again.vlans.find((v: any) => v.vlan === 10).mcast_igmp_version, 2);
    });
  });

  it('VLAN-to-tunnel mapping on a vxlan port, both ways with bridge -j vlan tunnelshow', async () => {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      await setupVlanDb(ipr, ns);
      await ns.ip('link add vx0 type vxlan external dstport 4789');
      await ns.ip('link set vx0 master br0 up');
      await ns.exec('bridge', ['link', 'set', 'dev', 'vx0', 'vlan_tunnel', 'on']);
      await ipr.brvlan('add', { ifindex: 'vx0', vid: 10 });
      await ipr.brvlan('set', { ifindex: 'vx0', vid: 10, tunnelId: 1010 });
      const [t] = await bridgeJson(ns, 'vlan tunnelshow dev vx0');
      assert.deepEqual(
        t.tunnels.map((x: any) => [x.vlan, x.tunid]),
        [[10, 1010]],
        JSON.stringify(t),
      );
      // bridge(8) maps a VLAN the port already has.
      await ns.exec('bridge', ['vlan', 'add', 'dev', 'vx0', 'vid', '20']);
      await ns.exec('bridge', ['vlan', 'add', 'dev', 'vx0', 'vid', '20', 'tunnel_info', 'id', '2020']);
      const recs = await ipr.brvlans({ ifindex: 'vx0' });
      assert.deepEqual(
        recs.filter((r) => r.tunnelId !== undefined).map((r) => [r.vid, r.tunnelId]),
        [
          [10, 1010],
          [20, 2020],
        ],
      );
    });
  });

  it('VLAN events on RTNLGRP_BRVLAN read as records', async () => {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      await setupVlanDb(ipr, ns);
      await ipr.brvlan('add', { ifindex: 'p0', vid: 40 });
      const sub = ipr.events(['brvlan']);
      const seen: AnyMessage[] = [];
      const reader = (async () => {
        for await (const ev of sub) {
          if (ev instanceof Overrun) continue;
          seen.push(ev);
          if (ev.type === RTM.RTM_DELVLAN) break;
        }
      })();
      await ns.exec('bridge', ['vlan', 'set', 'dev', 'p0', 'vid', '40', 'state', 'learning']);
      await ns.exec('bridge', ['vlan', 'del', 'dev', 'p0', 'vid', '40']);
      await reader;
      const recs = seen.flatMap((m) => brvlanRecords(m as BrVlanMessage).map((r) => [m.type, r.vid, r.state] as const));
      assert.ok(
        recs.some(([t, v, st]) => t === RTM.RTM_NEWVLAN && v === 40 && st === 'learning'),
        JSON.stringify(recs),
      );
      assert.ok(recs.some(([t, v]) => t === RTM.RTM_DELVLAN && v === 40));
    });
  });

  it('MDB entries with a VLAN, both ways', async () => {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      await setupVlanDb(ipr, ns);
      await ipr.brvlan('add', { ifindex: 'p0', vid: 10 });
      await ipr.brvlan('add', { ifindex: 'p1', vid: 10 });
      await ipr.mdb('add', { ifindex: 'br0', port: 'p0', group: '239.1.1.1', vid: 10, state: 'permanent' });
      await ipr.mdb('add', { ifindex: 'br0', port: 'p0', group: 'ff0e::1', vid: 10 });
      const shown: any[] = (await bridgeJson(ns, '-d mdb show'))[0].mdb;
      assert.ok(
        shown.some((e) => e.grp === '239.1.1.1' && e.vid === 10 && e.port === 'p0' && e.state === 'permanent'),
        JSON.stringify(shown),
      );
      assert.ok(shown.some((e) => e.grp === 'ff0e::1' && e.vid === 10 && e.state === 'temp'));
      await ns.exec('bridge', ['mdb', 'add', 'dev', 'br0', 'port', 'p1', 'grp', '239.2.2.2', 'permanent', 'vid', '10']);
      await ns.exec('bridge', [
        'mdb',
        'add',
        'dev',
        'br0',
        'port',
        'p1',
        'grp',
        '01:00:5e:02:02:02',
        'permanent',
        'vid',
        '10',
      ]);
      const p1 = await ipr.ifindex('p1');
      const [a] = await ipr.mdbEntries({ group: '239.2.2.2' });
      assert.deepEqual([a.port, a.vid, a.state], [p1, 10, 'permanent']);
      const [l2] = await ipr.mdbEntries({ group: '01:00:5e:02:02:02' });
      // L2 groups are permanent only.
      assert.deepEqual([l2.port, l2.vid, l2.state], [p1, 10, 'permanent']);
      // The same group in another VLAN is another entry.
      await ipr.mdb('add', { ifindex: 'br0', port: 'p1', group: '239.2.2.2', vid: 1, state: 'permanent' });
      assert.deepEqual((await ipr.mdbEntries({ group: '239.2.2.2' })).map((r) => r.vid).sort(), [1, 10]);
      await ipr.mdb('del', a);
      assert.ok(!(await bridgeJson(ns, 'mdb show'))[0].mdb.some((e: any) => e.grp === '239.2.2.2' && e.vid === 10));
    });
  });

  it('port VLANs: single, ranges, pvid/untagged, made by nlroute and by bridge(8)', async () => {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      await setup(ipr);
      assert.equal((await ns.json('-d link show dev br0'))[0].linkinfo.info_data.vlan_filtering, 1);
      await ipr.bridgeVlan('add', { index: 'p0', vid: 10, pvid: true, untagged: true });
      await ipr.bridgeVlan('add', { index: 'p0', vid: [100, 105] });
      await ipr.bridgeVlan('add', { index: 'br0', vid: 10, self: true });
      const shown = await bridgeJson(ns, 'vlan show dev p0');
      const vlans: any[] = shown[0].vlans;
      const v10 = vlans.find((v) => v.vlan === 10);
      assert.ok(v10.flags.includes('PVID') && v10.flags.includes('Egress Untagged'), JSON.stringify(v10));
      // bridge(8) lists a range one VLAN per entry unless asked to compress.
      assert.deepEqual(
        vlans.filter((v) => v.vlan >= 100 && v.vlan <= 105).map((v) => v.vlan),
        [100, 101, 102, 103, 104, 105],
      );
      assert.ok((await bridgeJson(ns, 'vlan show dev br0'))[0].vlans.some((v: any) => v.vlan === 10));
      await ns.exec('bridge', ['vlan', 'add', 'dev', 'p1', 'vid', '20', 'pvid']);
      await ns.exec('bridge', ['vlan', 'add', 'dev', 'p1', 'vid', '30-32', 'untagged']);
      const p1 = await ipr.getBridgeVlans({ index: 'p1' });
      assert.ok(
        p1.some((v) => v.vid === 20 && v.pvid && !v.untagged),
        JSON.stringify(p1),
      );
      assert.deepEqual(
        p1.filter((v) => v.vid >= 30 && v.vid <= 32).map((v) => [v.vid, v.untagged]),
        [
          [30, true],
          [31, true],
          [32, true],
        ],
      );
      await ipr.bridgeVlan('del', { index: 'p0', vid: [100, 105] });
      assert.ok(!(await bridgeJson(ns, 'vlan show dev p0'))[0].vlans.some((v: any) => v.vlan === 100));
      await assert.rejects(ipr.bridgeVlan('add', { index: 'p0', vid: 4095 }), /1\.\.4094/);
      // vlan_filtering made by ip, read by nlroute.
      await ns.ip('link add br1 type bridge vlan_filtering 1 vlan_default_pvid 7');
      const [br1] = await ipr.link('get', { ifname: 'br1' });
      const d = (br1.getAttr('IFLA_LINKINFO') as AttrSet<any>).getAttr('IFLA_INFO_DATA') as AttrSet<any>;
      assert.deepEqual([d.getAttr('IFLA_BR_VLAN_FILTERING'), d.getAttr('IFLA_BR_VLAN_DEFAULT_PVID')], [1, 7]);
    });
  });

  it('per-port flags and the FDB both ways', async () => {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      await setup(ipr);
      await ipr.link('set', {
        ifname: 'p0',
        kind: 'bridge_slave',
        brportLearning: 0,
        brportIsolated: 1,
        brportUnicastFlood: 0,
        brportCost: 42,
      });
      const l0 = (await bridgeJson(ns, '-d link show dev p0'))[0];
      assert.deepEqual([l0.learning, l0.isolated, l0.flood, l0.cost], [false, true, false, 42]);
      await ns.exec('bridge', ['link', 'set', 'dev', 'p1', 'learning', 'off', 'neigh_suppress', 'on', 'hairpin', 'on']);
      const [p1] = await ipr.link('get', { ifname: 'p1' });
      const s = slave(p1);
      assert.deepEqual(
        [s.getAttr('IFLA_BRPORT_LEARNING'), s.getAttr('IFLA_BRPORT_NEIGH_SUPPRESS'), s.getAttr('IFLA_BRPORT_MODE')],
        [0, 1, 1],
      );
      const p0 = await ipr.ifindex('p0'),
        br = await ipr.ifindex('br0');
      await ipr.bridgeVlan('add', { index: 'p0', vid: 10 });
      await ipr.fdb('add', {
        lladdr: '02:00:00:00:00:05',
        ifindex: p0,
        master: br,
        vlan: 10,
        state: 'static',
        flags: 'master',
      });
      const fdb: any[] = await bridgeJson(ns, 'fdb show dev p0');
      assert.ok(
        fdb.some((e) => e.mac === '02:00:00:00:00:05' && e.vlan === 10 && e.state === 'static'),
        JSON.stringify(fdb),
      );
      await ns.exec('bridge', ['fdb', 'add', '02:00:00:00:00:06', 'dev', 'p0', 'master', 'static', 'vlan', '1']);
      const ours = await ipr.fdb('dump', { ifindex: p0 });
      const e6 = ours.find((m) => m.getAttr('NDA_LLADDR') === '02:00:00:00:00:06')!;
      assert.equal(e6.getAttr('NDA_VLAN'), 1);
    });
  });
});
