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

describe('scope "global", as ip names scope 0', () => {
  let ns: TestNetns;
  let ipr: IPRoute;
  before(async () => {
    ns = await createNetns();
    await ns.batch(['link add v0 type veth peer name v1', 'link set v0 up']);
    ipr = new IPRoute({ netns: ns.name });
  });
  after(async () => {
    ipr.close();
    await deleteNetns(ns);
  });

  it('is taken by route and addr specs and filters, and records still say universe', async () => {
    await ipr.addr('add', { index: 'v0', address: '10.60.0.1/24', scope: 'global' });
    await ipr.route('add', { dst: '10.61.0.0/16', oif: 'v0', scope: 'global' });
    const [r] = await ipr.routes({ dst: '10.61.0.0/16' });
    assert.equal(r.scope, 'universe');
    assert.equal((await ipr.addresses({ index: 'v0', scope: 'global', family: 'inet' })).length, 1);
  });

  it("routes({ table: 'all' }) lists every table, as ip route show table all", async () => {
    const all = await ipr.routes({ table: 'all' });
    assert.deepEqual(all.length, (await ipr.routes()).length);
    assert.ok(all.some((r) => r.table === 'local'));
    assert.ok(all.some((r) => r.table === 'main'));
  });

  it('nlroute addr flush dev v0 scope global works as with ip', async () => {
    const { spawnSync } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const cli = fileURLToPath(new URL('../src/tools/cli.js', import.meta.url));
    const r = spawnSync('node', [cli, '-n', ns.name, 'addr', 'flush', 'dev', 'v0', 'scope', 'global'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(await ns.ip('-4 addr show dev v0'), /10\.60\.0\.1/);
  });
});
