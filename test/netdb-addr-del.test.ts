// NetDB after `ip addr del`: the routes that used the address as source go from the view at
// once, and the kernel's deletion events for its own prefix and local routes then need no
// re-read of whole tables (which costs a dump of every route of main and local).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NetDB } from '../src/netdb/index.js';
import { Source } from '../src/netdb/source.js';
import { withNetns } from './helpers/netns.js';
import { viewVsFresh } from './helpers/netdb.js';

test('netdb: an address deleted by ip takes its routes without a table re-read', async () => {
  await withNetns(async (ns) => {
    await ns.batch([
      'link add v0 type veth peer name p0',
      'link set v0 up',
      'link set p0 up',
      'addr add 10.1.0.1/24 dev v0',
      'addr add 10.1.5.1/24 dev v0',
      'route add 10.9.0.0/16 via 10.1.0.254',
      'route add 10.8.0.0/16 via 10.1.5.254 src 10.1.5.1',
    ]);
    await using db = await NetDB.open({ netns: ns.name });
    const scheduled: string[] = [];
    const schedule = Source.prototype.schedule;
    Source.prototype.schedule = function (this: Source, r) {
      scheduled.push(JSON.stringify(r));
      return schedule.call(this, r);
    };
    try {
      await ns.ip('addr del 10.1.5.1/24 dev v0');
      await db.sync();
    } finally {
      Source.prototype.schedule = schedule;
    }
    assert.deepEqual(
      scheduled.filter((r) => r.includes('"table"')),
      [],
      `table re-reads: ${scheduled.join(', ')}`,
    );
    assert.equal(db.filter('routes', { dst: '10.8.0.0/16' }).length, 0);
    assert.equal(db.filter('routes', { dst: '10.1.5.0/24' }).length, 0);
    assert.equal(db.filter('routes', { dst: '10.9.0.0/16' }).length, 1);
    assert.deepEqual(await viewVsFresh(db, ns.name), []);
  });
});
