// ipr.batch() as a new user writes it: a link made by an earlier item is named by a later one,
// and one item naming a missing interface fails alone, as the documentation promises ("every
// failure is reported with its index, none throws"). Both threw ENODEV for the whole batch.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IPRoute } from '../src/rtnl/index.js';
import { createNetns, deleteNetns, type TestNetns } from './helpers/netns.js';

describe('IPRoute.batch with interface names', () => {
  let ns: TestNetns;
  let ipr: IPRoute;
  before(async () => {
    ns = await createNetns();
    ipr = new IPRoute({ netns: ns.name });
  });
  after(async () => {
    ipr.close();
    await deleteNetns(ns);
  });

  it('a later item may name a link an earlier item creates', async () => {
    const res = await ipr.batch([
      ['link', 'add', { ifname: 'br0', kind: 'bridge' }],
      ['link', 'add', { ifname: 'p0', kind: 'veth', peer: 'p1' }],
      ['link', 'set', { ifname: 'p0', master: 'br0', state: 'up' }],
      ['addr', 'add', { index: 'br0', address: '10.50.0.1/24' }],
      ['link', 'set', { ifname: 'br0', state: 'up' }],
      ['route', 'add', { dst: '10.51.0.0/16', oif: 'br0' }],
    ]);
    assert.deepEqual(
      res.map((r) => [r.index, r.ok, r.ok ? '' : r.error.message]),
      res.map((_, i) => [i, true, '']),
    );
    const [p0] = await ns.json('link show p0');
    assert.equal(p0.master, 'br0');
    assert.match(await ns.ip('addr show dev br0'), /inet 10\.50\.0\.1\/24/);
    assert.match(await ns.ip('route show 10.51.0.0/16'), /dev br0/);
  });

  it('an item naming a missing interface fails alone, with its index', async () => {
    const res = await ipr.batch([
      ['addr', 'add', { index: 'br0', address: '10.52.0.1/24' }],
      ['route', 'add', { dst: '10.53.0.0/16', oif: 'nosuch' }],
      ['addr', 'add', { index: 'br0', address: '10.54.0.1/24' }],
    ]);
    assert.equal(res.length, 3);
    assert.deepEqual(
      res.map((r) => r.ok),
      [true, false, true],
    );
    const bad = res[1]!;
    assert.ok(!bad.ok && bad.index === 1 && bad.error.code === 'ENODEV', JSON.stringify(bad));
    assert.match(bad.ok ? '' : bad.error.message, /nosuch/);
    assert.match(await ns.ip('addr show dev br0'), /10\.54\.0\.1\/24/);
  });
});
