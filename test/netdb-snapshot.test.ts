// NetDB snapshots: what snapshot() gives, restore() rebuilds in a fresh namespace, kind
// options included, so `ip -j -d link show` shows the same links in both.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NetDB } from '../src/netdb/index.js';
import { linkBody } from '../src/rtnl/link.js';
import { VLAN_FLAG } from '../src/rtnl/kinds/vlan.js';
import { createNetns, deleteNetns, withNetns } from './helpers/netns.js';
import { linkDiff, linkLines, snapshotRoundTrip } from './helpers/snapshot.js';

test('netdb snapshot: bridge and port, veth, macvlan, macvtap, vxlan options restored elsewhere', async () => {
  const from = await createNetns(),
    to = await createNetns();
  try {
    await from.batch([
      'link add br0 type bridge forward_delay 500 ageing_time 12000 hello_time 300 priority 7 mcast_snooping 0',
      'link add va type veth peer name vb',
      'link set va master br0',
      'link set va type bridge_slave cost 7 priority 5 learning off hairpin on mcast_flood off',
      'link add vc type veth peer name vd',
      'link add mv0 link vc type macvlan mode vepa',
      'link add mt0 link vc type macvtap mode private',
      'link add vx0 type vxlan id 42 dstport 4790 local 10.0.0.1 ttl 9 ageing 120 nolearning',
      'link add vx1 type vxlan id 43 dev vd dstport 4791 group 239.1.1.1',
      'link set mv0 mtu 1400',
      'link set br0 up',
      'link set va up',
    ]);
    const { diff, ok, error, snapshot } = await snapshotRoundTrip(from, to);
    assert.ok(ok, error);
    const vx = (snapshot as { links: Record<string, unknown>[] }).links.find((l) => l.ifname === 'vx1');
    assert.equal(vx?.vxlanId, 43, 'kind options are in the snapshot');
    assert.equal(vx?.vxlanLink, 'vd', 'a link an option names is named');
    assert.deepEqual(diff, []);
    // Restored onto the namespace it was taken from, it changes nothing.
    await using db = await NetDB.open({ netns: from.name });
    const again = await db.restore(snapshot as never, { dryRun: true });
    assert.equal(again.plan.steps.length, 0, again.plan.toString());
  } finally {
    await deleteNetns(from);
    await deleteNetns(to);
  }
});

test('netdb rollback: a deleted vxlan and macvlan come back with their options', async () => {
  await withNetns(async (ns) => {
    await ns.batch([
      'link add vc type veth peer name vd',
      'link add mv0 link vc type macvlan mode private',
      'link add vx1 type vxlan id 43 dev vd dstport 4791 group 239.1.1.1 ttl 3 tos 0x10',
    ]);
    const before = await linkLines(ns);
    await using db = await NetDB.open({ netns: ns.name });
    const desired = {
      links: [
        { ifname: 'mv0', state: 'absent' as const },
        { ifname: 'vx1', state: 'absent' as const },
        { ifname: 'vc', mtu: 1300 },
      ],
    };
    const r = await db.apply(desired, { failAt: 3 });
    assert.equal(r.ok, false);
    assert.equal(r.rolledBack, true);
    assert.deepEqual(r.rollbackErrors, []);
    assert.deepEqual(linkDiff(before, await linkLines(ns)), []);
  });
});

test('netdb snapshot: struct options as records hold them (a vlan flags by name) feed back as specs', () => {
  const spec = (vlanFlags: unknown) =>
    linkBody('add', { ifname: 'x0.7', kind: 'vlan', link: 2, vlanId: 7, vlanFlags } as never);
  assert.deepEqual(
    spec({ flags: ['reorder_hdr'], mask: ['reorder_hdr', 'gvrp'] }),
    spec({ flags: VLAN_FLAG.VLAN_FLAG_REORDER_HDR, mask: VLAN_FLAG.VLAN_FLAG_REORDER_HDR | VLAN_FLAG.VLAN_FLAG_GVRP }),
  );
});

test('netdb snapshot: an l3mdev rule (it names no table) is restored in a fresh namespace', async () => {
  const from = await createNetns(),
    to = await createNetns();
  try {
    await from.batch(['rule add pref 1000 l3mdev', 'rule add pref 1100 fwmark 5 table 100']);
    await from.ip('-6 rule add pref 1000 l3mdev');
    const { ok, error } = await snapshotRoundTrip(from, to);
    assert.ok(ok, error);
    // NetDB marks the rules it makes with its protocol; the rest is as it was.
    const rules = async (ns: typeof from, family: string): Promise<unknown[]> =>
      (await ns.json(`${family} rule show`)).map(({ protocol: _p, ...r }: Record<string, unknown>) => r);
    for (const family of ['-4', '-6']) assert.deepEqual(await rules(to, family), await rules(from, family), family);
  } finally {
    await deleteNetns(from);
    await deleteNetns(to);
  }
});
