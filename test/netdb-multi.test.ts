// NetDB over two namespaces: a veth with an end in each, and a link moved between them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NetDB, type Change } from '../src/netdb/index.js';
import { createNetns, deleteNetns } from './helpers/netns.js';
import { settledVsFresh } from './helpers/netdb.js';

test('netdb: two sources, a veth across them, a link moved from one to the other', async () => {
  const a = await createNetns(),
    b = await createNetns();
  try {
    await using db = await NetDB.open({ netns: a.name, source: 'a' });
    await db.attach('b', { netns: b.name });
    assert.deepEqual(db.sourceNames, ['a', 'b']);
    const w = db.watch({ table: 'links', source: 'b' });
    await a.ip(`link add x0 type veth peer name x1 netns ${b.name}`);
    await a.ip('link add m0 type veth peer name m1');
    await a.batch([
      'link set m0 up',
      'link set m1 up',
      'addr add 10.40.0.1/24 dev m0',
      'route add 10.41.0.0/16 via 10.40.0.254',
    ]);
    await db.sync();
    const x0 = db.get('links', 'x0', 'a'),
      x1 = db.get('links', 'x1', 'b');
    assert.ok(x0 && x1);
    assert.equal(x0.source, 'a');
    assert.equal(x1.source, 'b');
    assert.notEqual(x0.linkNetnsid, undefined, 'x0 names the other namespace of its peer');
    assert.equal(x0.link, x1.index);
    assert.equal(db.filter('links', { ifname: 'x1' }).length, 1, 'filter over every source');
    const m0 = db.get('links', 'm0', 'a')!;
    assert.equal(db.filter('routes', { dev: m0.index }, 'a').filter((r) => r.dst === '10.41.0.0/16').length, 1);

    await a.ip(`link set m0 netns ${b.name}`);
    await db.sync();
    assert.equal(db.get('links', 'm0', 'a'), undefined);
    assert.equal(db.filter('addresses', { index: m0.index }, 'a').length, 0, 'its addresses left with it');
    assert.equal(db.get('routes', { dst: '10.41.0.0/16' }, 'a'), undefined, 'its routes went');
    assert.ok(db.get('links', 'm0', 'b'), 'it arrived in the other source');
    // The peer left behind loses its carrier through the kernel's deferred link worker.
    assert.deepEqual((await settledVsFresh(db, a.name, 3000, 'a')).diff, []);
    assert.deepEqual((await settledVsFresh(db, b.name, 3000, 'b')).diff, []);

    const seen: Change[] = [];
    while (seen.length < 10) {
      const c = await w.next();
      seen.push(c.value);
      if (c.value.type === 'added' && (c.value.new as { ifname: string }).ifname === 'm0') break;
    }
    w.close();
    assert.ok(seen.every((c) => c.source === 'b'));
    assert.ok(seen.some((c) => c.type === 'added' && (c.new as { ifname: string }).ifname === 'x1'));
    db.detach('b');
    assert.deepEqual(db.sourceNames, ['a']);
  } finally {
    await deleteNetns(a);
    await deleteNetns(b);
  }
});
