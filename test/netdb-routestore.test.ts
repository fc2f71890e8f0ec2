// The route table kept as message bytes, without a kernel: random puts, replacements and
// removals (enough for compactions to run) must leave it equal to a plain map of records
// keyed by routeKey, and every index must answer as a scan of that map does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rtmsg } from '../src/rtnl/rtmsg.js';
import { RTM } from '../src/rtnl/constants.js';
import { DEFAULT_DST, routeDevs, routeKey, type RouteRecord } from '../src/netdb/records.js';
import { RouteStore } from '../src/netdb/routestore.js';

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

/** A random route message from a small space, so keys collide, replace and share indexes. */
function message(rand: () => number): Buffer {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const v6 = rand() < 0.3;
  const dst = v6
    ? pick(['2001:db8::', '2001:db8:1::', '::'])
    : pick(['10.0.0.0', '10.1.0.0', '0.0.0.0', '192.168.7.1']);
  const dstLen = dst === '0.0.0.0' || dst === '::' ? 0 : v6 ? 64 : pick([16, 24, 32]);
  const attrs: [string, unknown][] = [];
  if (dstLen) attrs.push(['RTA_DST', dst]);
  attrs.push(['RTA_TABLE', pick([254, 100, 1000])]);
  if (rand() < 0.5) attrs.push(['RTA_PRIORITY', pick([0, 10])]);
  if (rand() < 0.2) {
    const hops = [1, 2, 3].slice(0, 1 + Math.floor(rand() * 3)).map((i) => ({
      oif: pick([2, 3, 4]),
      ...(v6 ? {} : { gateway: `10.9.0.${i}` }),
    }));
    attrs.push(['RTA_MULTIPATH', hops]);
  } else {
    if (rand() < 0.9) attrs.push(['RTA_OIF', pick([1, 2, 3, 4])]);
    if (rand() < 0.4) attrs.push(['RTA_GATEWAY', v6 ? 'fe80::1' : pick(['10.9.0.1', '10.9.0.2'])]);
  }
  if (!v6 && rand() < 0.3) attrs.push(['RTA_PREFSRC', pick(['10.0.0.1', '10.0.0.2'])]);
  return rtmsg.encode({
    type: RTM.RTM_NEWROUTE,
    fields: {
      family: v6 ? 10 : 2,
      dst_len: dstLen,
      table: 254,
      proto: pick([2, 3, 4]),
      scope: 0,
      type: pick([1, 2]),
      tos: 0,
    } as never,
    attrs: attrs as never,
  });
}

const canon = (r: RouteRecord): string => JSON.stringify(r);

test('netdb route store: random changes and compactions keep it equal to a map of records', () => {
  const rand = rng(0x5eed);
  const store = new RouteStore('s');
  const model = new Map<string, RouteRecord>();
  let compacted = 0;
  for (let step = 0; step < 12000; step++) {
    const b = message(rand);
    const r = store.recordAt(b, 0);
    const key = routeKey(r);
    const slot = store.locate(b, 0);
    assert.equal(slot >= 0, model.has(key), `step ${step}: locate ${key}`);
    if (rand() < 0.45) {
      if (slot >= 0) store.removeSlot(slot);
      model.delete(key);
    } else {
      store.store(b, 0);
      if (slot >= 0) store.replaceStored(slot);
      else store.insertStored();
      model.set(key, r);
    }
    // Compaction numbers the slots densely again.
    const gaps = (): boolean => store.slots().at(-1) !== store.size - 1;
    const before = gaps();
    store.settle();
    if (before && !gaps()) compacted++;
    assert.equal(store.size, model.size);
  }
  assert.ok(compacted > 0 || store.size === 0, 'no compaction ran');
  const got = new Map([...store.entries()].map(([k, r]) => [k, canon(r)]));
  assert.deepEqual(got, new Map([...model].map(([k, r]) => [k, canon(r)])));
  for (const [k, r] of model) assert.equal(canon(store.get(k)!), canon(r));
  const all = [...model.values()];
  const byKey = (rs: RouteRecord[]): string[] => rs.map(routeKey).sort();
  for (const t of ['main', 'local', 100, 1000])
    assert.deepEqual(byKey(store.lookup('table', t)), byKey(all.filter((r) => r.table === t)), `table ${t}`);
  for (const d of [1, 2, 3, 4])
    assert.deepEqual(byKey(store.lookup('dev', d)), byKey(all.filter((r) => routeDevs(r).includes(d))), `dev ${d}`);
  for (const dst of [DEFAULT_DST, '10.0.0.0/24', '2001:db8::/64', '192.168.7.1/32'])
    assert.deepEqual(
      byKey(store.lookup('dst', dst)),
      byKey(all.filter((r) => (r.dst ?? DEFAULT_DST) === dst)),
      `dst ${dst}`,
    );
  for (const p of ['10.0.0.1', '10.0.0.2'])
    assert.deepEqual(byKey(store.lookup('prefsrc', p)), byKey(all.filter((r) => r.prefsrc === p)), `prefsrc ${p}`);
  assert.deepEqual(
    byKey(store.filter({ table: 'main', dev: 2 })),
    byKey(all.filter((r) => r.table === 'main' && routeDevs(r).includes(2))),
  );
  // Header fields with no index are tested on the bytes before a record is made.
  for (const q of [{ proto: 'static' }, { family: 'inet6', type: 'unicast' }, { dstLen: 24, tos: 0 }, { proto: 3 }])
    assert.deepEqual(
      byKey(store.filter(q)),
      byKey(all.filter((r) => Object.entries(q).every(([k, v]) => (r as unknown as Record<string, unknown>)[k] === v))),
      JSON.stringify(q),
    );
  // A record read before a change keeps its values: bytes are never written over.
  const [k0, r0] = [...model][0] ?? [];
  if (k0) {
    const seen = canon(store.get(k0)!);
    const slot = store.slotOfKey(k0);
    store.removeSlot(slot);
    store.settle();
    assert.equal(canon(r0!), seen);
  }
});
