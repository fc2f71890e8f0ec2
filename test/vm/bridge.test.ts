// Bridge features this host's kernel lacks (VLAN filtering), live in the test VM, cross-checked
// with `bridge -j` and `ip -j -d` both ways: port VLANs (single, ranges, pvid/untagged),
// vlan_filtering, per-port flags and the FDB.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttrSet } from '../../src/core/index.js';
import { IPRoute, type IfinfMessage } from '../../src/rtnl/index.js';
import { withNetns, type TestNetns } from '../helpers/netns.js';
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

describe('bridge (VM)', vmOnly, () => {
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
