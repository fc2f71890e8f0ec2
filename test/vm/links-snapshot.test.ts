// NetDB snapshots of the link kinds this host's kernel lacks (bond, vlan, vrf, ipvlan, dummy,
// gre, geneve), in the test VM: snapshot one namespace, restore the JSON into a fresh one,
// and `ip -j -d link show` shows the same links in both.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createNetns, deleteNetns } from '../helpers/netns.js';
import { snapshotRoundTrip } from '../helpers/snapshot.js';
import { vmOnly } from './vm.js';

describe('netdb snapshot of link kinds (VM)', vmOnly, () => {
  it('bond and its port, vlan, vrf, ipvlan, dummy, gre and geneve options survive a restore', async () => {
    const from = await createNetns(),
      to = await createNetns();
    try {
      await from.batch([
        'link add d0 type dummy',
        'link set d0 mtu 1400',
        'link add bo0 type bond mode active-backup miimon 50 updelay 100',
        'link add bo1 type bond mode 802.3ad lacp_rate fast xmit_hash_policy layer3+4',
        'link add d0.7 link d0 type vlan id 7 protocol 802.1ad',
        'link add vr0 type vrf table 10',
        'link add iv0 link d0 type ipvlan mode l3',
        'link add gre1 type gre remote 10.0.0.2 local 10.0.0.1 ttl 17 key 5',
        'link add gnv0 type geneve id 77 remote 10.0.0.9 dstport 6082',
        'link add d1 type dummy',
        'link set d1 master bo0',
        'link set d1 type bond_slave queue_id 3',
      ]);
      const { diff, ok, error, snapshot } = await snapshotRoundTrip(from, to);
      assert.ok(ok, error);
      const bo = (snapshot as { links: Record<string, unknown>[] }).links.find((l) => l.ifname === 'bo0');
      assert.equal(bo?.bondMode, 'active-backup');
      assert.deepEqual(diff, []);
    } finally {
      await deleteNetns(from);
      await deleteNetns(to);
    }
  });
});
