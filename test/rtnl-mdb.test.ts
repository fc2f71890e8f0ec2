// The bridge multicast database on this host's kernel (snooping without VLAN filtering),
// cross-checked with `bridge -j -d mdb show` both ways; events on RTNLGRP_MDB as records.
// Entries with a VLAN run in the VM suite (test/vm/bridge.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Overrun, type AnyMessage } from '../src/core/index.js';
import { IPRoute, RTM, mdbRecords, messageOf, type MdbMessage } from '../src/rtnl/index.js';
import { withNetns, type TestNetns } from './helpers/netns.js';

const bridgeJson = async (ns: TestNetns, args: string): Promise<any[]> =>
  JSON.parse((await ns.exec('bridge', ['-j', ...args.split(' ')])) || '[]');
const shown = async (ns: TestNetns): Promise<any[]> => (await bridgeJson(ns, '-d mdb show'))[0]?.mdb ?? [];

async function setup(ipr: IPRoute, ns: TestNetns): Promise<void> {
  // IGMPv3/MLDv2 so that (*, G) entries may carry source lists.
  await ns.ip('link add br0 type bridge mcast_snooping 1 mcast_igmp_version 3 mcast_mld_version 2');
  for (const p of ['p0', 'p1']) {
    await ipr.link('add', { ifname: p, kind: 'veth', peer: { ifname: `${p}x` } });
    await ipr.link('set', { ifname: p, master: 'br0', state: 'up' });
    await ipr.link('set', { ifname: `${p}x`, state: 'up' });
  }
  await ipr.link('set', { ifname: 'br0', state: 'up' });
}

describe('bridge mdb', () => {
  it('made by nlroute, read by bridge(8): IPv4, IPv6, L2, (S, G), permanent and temporary', async () => {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      await setup(ipr, ns);
      await ipr.mdb('add', { ifindex: 'br0', port: 'p0', group: '239.1.1.1', state: 'permanent' });
      await ipr.mdb('add', { ifindex: 'br0', port: 'p0', group: 'ff0e::5' });
      await ipr.mdb('add', { ifindex: 'br0', port: 'p1', group: '01:00:5e:01:01:07', state: 'permanent' });
      await ipr.mdb('add', { ifindex: 'br0', port: 'p1', group: '239.1.1.2', source: '10.0.0.1', state: 'permanent' });
      const mdb = await shown(ns);
      const find = (grp: string): any => mdb.find((e) => e.grp === grp);
      assert.deepEqual(
        [find('239.1.1.1')?.port, find('239.1.1.1')?.state, find('239.1.1.1')?.protocol],
        ['p0', 'permanent', 'static'],
        JSON.stringify(mdb),
      );
      assert.deepEqual([find('ff0e::5')?.port, find('ff0e::5')?.state], ['p0', 'temp']);
      assert.deepEqual([find('01:00:5e:01:01:07')?.port, find('01:00:5e:01:01:07')?.state], ['p1', 'permanent']);
      assert.ok(mdb.some((e) => e.grp === '239.1.1.2' && e.src === '10.0.0.1' && e.port === 'p1'));
      // Our records name the same things.
      const recs = await ipr.mdbEntries({ ifindex: 'br0', group: '239.1.1.2' });
      const sg = recs.find((r) => r.source === '10.0.0.1')!;
      const p1 = await ipr.ifindex('p1');
      assert.deepEqual([sg.port, sg.state, sg.protocol], [p1, 'permanent', 'static']);
      // A record is a spec: delete what was read.
      await ipr.mdb('del', sg);
      assert.ok(!(await shown(ns)).some((e) => e.grp === '239.1.1.2' && e.src === '10.0.0.1'));
      await ipr.mdb('del', { ifindex: 'br0', port: 'p0', group: '239.1.1.1' });
      assert.ok(!(await shown(ns)).some((e) => e.grp === '239.1.1.1'));
    });
  });

  it('made by bridge(8), read by nlroute; replace with a source list; router ports', async () => {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      await setup(ipr, ns);
      await ns.exec('bridge', ['mdb', 'add', 'dev', 'br0', 'port', 'p0', 'grp', '239.3.3.3', 'permanent']);
      await ns.exec('bridge', ['mdb', 'add', 'dev', 'br0', 'port', 'p1', 'grp', 'ff0e::3']);
      const br = await ipr.ifindex('br0'),
        p0 = await ipr.ifindex('p0'),
        p1 = await ipr.ifindex('p1');
      const [a] = await ipr.mdbEntries({ group: '239.3.3.3' });
      assert.deepEqual(
        { ifindex: a.ifindex, port: a.port, state: a.state, protocol: a.protocol, timer: a.timer },
        { ifindex: br, port: p0, state: 'permanent', protocol: 'static', timer: 0 },
      );
      // Dump answers come as RTM_GETMDB.
      assert.equal(messageOf<MdbMessage>(a)?.type, RTM.RTM_GETMDB);
      const [b] = await ipr.mdbEntries({ port: 'p1', group: 'ff0e::3' });
      assert.equal(b.state, 'temporary');
      assert.ok((b.timer ?? 0) > 0, JSON.stringify(b));
      // Replace (kernel 6.3+): the entry turns permanent with IGMPv3 sources in include mode.
      await ipr.mdb('replace', {
        ifindex: br,
        port: p0,
        group: '239.3.3.3',
        state: 'permanent',
        sourceList: ['10.0.0.1', '10.0.0.2'],
        filterMode: 'include',
      });
      // The kernel adds an (S, G) entry per source beside the (*, G) one.
      const both = await ipr.mdbEntries({ group: '239.3.3.3', port: p0 });
      const c = both.find((r) => r.source === undefined)!;
      assert.deepEqual(
        both
          .map((r) => r.source)
          .filter(Boolean)
          .sort(),
        ['10.0.0.1', '10.0.0.2'],
      );
      assert.equal(c.filterMode, 'include', JSON.stringify(c));
      assert.deepEqual(c.sourceList?.map((s) => s.address).sort(), ['10.0.0.1', '10.0.0.2']);
      const g = (await shown(ns)).find((e) => e.grp === '239.3.3.3' && !e.src);
      assert.equal(g.filter_mode, 'include', JSON.stringify(g));
      assert.deepEqual(g.source_list.map((s: any) => s.address).sort(), ['10.0.0.1', '10.0.0.2']);
      // Router ports: made by ip, read by both.
      await ns.ip('link set dev p1 type bridge_slave mcast_router 2');
      const routers = await ipr.mdbRouters({ ifindex: 'br0' });
      assert.deepEqual(
        routers.map((r) => [r.ifindex, r.port, r.type]),
        [[br, p1, 'perm']],
      );
      assert.deepEqual((await bridgeJson(ns, '-d mdb show'))[0].router, { br0: [{ port: 'p1' }] });
    });
  });

  it('events on RTNLGRP_MDB read as records', async () => {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      await setup(ipr, ns);
      const sub = ipr.events(['mdb']);
      const seen: AnyMessage[] = [];
      const reader = (async () => {
        for await (const ev of sub) {
          if (ev instanceof Overrun) continue;
          seen.push(ev);
          if (ev.type === RTM.RTM_DELMDB) break;
        }
      })();
      await ns.exec('bridge', ['mdb', 'add', 'dev', 'br0', 'port', 'p0', 'grp', '239.9.9.9', 'permanent']);
      await ns.exec('bridge', ['mdb', 'del', 'dev', 'br0', 'port', 'p0', 'grp', '239.9.9.9']);
      await reader;
      const mine = seen.flatMap((m) => mdbRecords(m as MdbMessage).map((r) => [m.type, r.group, r.state]));
      assert.deepEqual(
        mine.filter((x) => x[1] === '239.9.9.9'),
        [
          [RTM.RTM_NEWMDB, '239.9.9.9', 'permanent'],
          [RTM.RTM_DELMDB, '239.9.9.9', 'permanent'],
        ],
      );
    });
  });
});
