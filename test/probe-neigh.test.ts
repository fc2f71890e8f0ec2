// Neighbour and FDB entries as a new user writes them: a link-layer address longer than the
// device's was kept truncated by the kernel; an FDB entry naming its bridge failed with EINVAL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SpecError } from '../src/core/index.js';
import { IPRoute } from '../src/rtnl/index.js';
import { createNetns, deleteNetns, type TestNetns } from './helpers/netns.js';

describe('neighbour link-layer addresses', () => {
  let ns: TestNetns;
  let ipr: IPRoute;
  before(async () => {
    ns = await createNetns();
    await ns.batch(['link add v0 type veth peer name v1', 'link add br0 type bridge', 'link set v1 master br0']);
    ipr = new IPRoute({ netns: ns.name });
  });
  after(async () => {
    ipr.close();
    await deleteNetns(ns);
  });

  it('refuses an lladdr longer than the device address, before sending', async () => {
    const spec = { dst: '10.0.0.7', ifindex: 'v0', lladdr: '02:00:00:00:00:00:01', state: 'permanent' } as const;
    await assert.rejects(ipr.neigh('add', spec), (e: Error) => {
      assert.ok(e instanceof SpecError, `${e.constructor.name}: ${e.message}`);
      assert.match(e.message, /lladdr/);
      assert.match(e.message, /6 bytes/);
      return true;
    });
    assert.equal((await ipr.neighbours({ dst: '10.0.0.7' })).length, 0);
    await assert.rejects(ipr.neigh('replace', { ...spec, lladdr: '02:00:00' }), SpecError);
  });

  it('takes a 6-byte lladdr on an Ethernet device and reads it back', async () => {
    await ipr.neigh('add', { dst: '10.0.0.8', ifindex: 'v0', lladdr: '02:00:00:00:00:08', state: 'permanent' });
    const [n] = await ipr.neighbours({ dst: '10.0.0.8' });
    assert.equal(n.lladdr, '02:00:00:00:00:08');
  });

  it('fdb add with the bridge named as master adds a master entry (bridge fdb add ... master)', async () => {
    await ipr.fdb('add', { ifindex: 'v1', lladdr: '02:00:00:00:00:aa', master: 'br0' });
    const out = await ns.exec('bridge', ['fdb', 'show', 'dev', 'v1']);
    assert.match(out, /^02:00:00:00:00:aa master br0 static/m);
  });
});
