// The first load races changes made meanwhile by `ip` in the namespace: carriers lost and
// regained (published later by the kernel's link worker, with the routes' linkdown marks and
// without events of their own), links set down and up, addresses and routes coming and going.
// Subscribing before dumping must leave no change out: once quiet, the view equals a fresh
// load, round after round. NETDB_SEED=n replays one run, NETDB_SEED=random tries a new one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnyMessage } from '../src/core/index.js';
import { NetDB } from '../src/netdb/index.js';
import { Source } from '../src/netdb/source.js';
import { IPRoute } from '../src/rtnl/index.js';
import { RTEXT_FILTER, RTM } from '../src/rtnl/constants.js';
import { ifinfmsg } from '../src/rtnl/ifinfmsg.js';
import { rtmsg } from '../src/rtnl/rtmsg.js';
import { withNetns } from './helpers/netns.js';
import { ipForce, noDad, rng, seedFromEnv, settledVsFresh } from './helpers/netdb.js';

const SEED = seedFromEnv(7);
const ROUNDS = Number(process.env.NETDB_ROUNDS ?? 25);
const PAIRS = 4;

/** Each pair's addresses and routes (multipath across pairs too), as a round starts from. */
function setup(): string[] {
  const out: string[] = [];
  for (let i = 0; i < PAIRS; i++) {
    out.push(`link set v${i} up`, `link set p${i} up`, `addr replace 10.${i}.0.1/24 dev v${i}`);
    out.push(`addr replace 2001:db8:${i}::1/64 dev v${i} nodad`);
    for (let j = 0; j < 40; j++) out.push(`route replace 10.${100 + i}.${j}.0/24 via 10.${i}.0.254`);
    out.push(`route replace 2001:db8:${100 + i}::/48 via 2001:db8:${i}::fe`);
  }
  out.push('route replace 10.200.0.0/16 nexthop via 10.0.0.254 nexthop via 10.1.0.254');
  return out;
}

/** Random changes of the kinds the kernel follows with silent changes. */
function changes(r: ReturnType<typeof rng>, n: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const i = r.int(PAIRS);
    switch (r.int(6)) {
      case 0:
        out.push(`link set p${i} ${r.int(2) ? 'down' : 'up'}`); // v's carrier
        break;
      case 1:
        out.push(`link set v${i} ${r.int(2) ? 'down' : 'up'}`);
        break;
      case 2:
        out.push(`addr del 10.${i}.0.1/24 dev v${i}`, `addr add 10.${i}.0.1/24 dev v${i}`);
        break;
      case 3:
        out.push(`link set v${i} mtu ${1300 + r.int(200)}`);
        break;
      case 4:
        out.push(`route replace 10.${100 + i}.${r.int(40)}.0/24 via 10.${i}.0.254`);
        break;
      default:
        out.push(`link set p${i} down`, `link set p${i} up`);
    }
  }
  return out;
}

test(`netdb: changes racing the first load are all in the view once quiet (seed ${SEED})`, async (t) => {
  t.diagnostic(`seed ${SEED} (NETDB_SEED=${SEED} replays), ${ROUNDS} rounds`);
  await withNetns(async (ns) => {
    await noDad(ns);
    const pairs: string[] = [];
    for (let i = 0; i < PAIRS; i++) pairs.push(`link add v${i} type veth peer name p${i}`);
    await ns.batch(pairs);
    const r = rng(SEED);
    let raced = 0;
    for (let round = 0; round < ROUNDS; round++) {
      await ipForce(ns.name, setup());
      // ip starts first; the load begins while its changes are under way.
      const racing = ipForce(ns.name, changes(r, 150 + r.int(250)));
      await new Promise((res) => setTimeout(res, r.int(4)));
      let ipDone = false;
      void racing.then(() => (ipDone = true));
      const db = await NetDB.open({ netns: ns.name });
      // Events the load held while dumping, applied once it merged: the race happened.
      if (db.source().applied > 0 && !ipDone) raced++;
      try {
        await racing;
        const { diff } = await settledVsFresh(db, ns.name);
        assert.deepEqual(diff, [], `round ${round} (seed ${SEED})`);
      } finally {
        db.close();
      }
    }
    t.diagnostic(`${raced} of ${ROUNDS} loads met changes while dumping`);
    assert.ok(raced > 0, 'no load met a change while dumping: the test raced nothing');
  });
});

/** Every message of a route dump. */
async function routeDump(ipr: IPRoute): Promise<AnyMessage[]> {
  const out: AnyMessage[] = [];
  for await (const m of ipr.sock.dump(rtmsg, { type: RTM.RTM_GETROUTE, fields: { family: 0 } } as never)) out.push(m);
  return out;
}

test('netdb: a link whose new state the load reads before the kernel marks its routes gets them re-read', async () => {
  await withNetns(async (ns) => {
    await ns.batch([
      'link add v0 type veth peer name p0',
      'link set v0 up',
      'link set p0 up',
      'addr add 10.1.0.1/24 dev v0',
      'route add 10.2.0.0/16 via 10.1.0.254',
    ]);
    await using ipr = new IPRoute({ netns: ns.name });
    const linkdown = async (): Promise<boolean> =>
      JSON.stringify(await ns.json('route show 10.2.0.0/16')).includes('linkdown');
    const v0 = (await ns.json('link show dev v0'))[0].ifindex as number;
    for (let i = 0; i < 100 && (await linkdown()); i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await linkdown(), false);
    const before = await routeDump(ipr);
    // v0 loses its carrier: the kernel's link worker sets its state, marks its routes
    // linkdown (no event), then sends the link's event.
    await ns.ip('link set p0 down');
    for (let i = 0; i < 100 && !(await linkdown()); i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await linkdown(), true);
    const [event] = await ipr.sock.request(ifinfmsg, {
      type: RTM.RTM_GETLINK,
      fields: { index: v0 },
      attrs: [['IFLA_EXT_MASK', RTEXT_FILTER.RTEXT_FILTER_SKIP_STATS]],
    });
    // A load meeting the worker midway: its link dump reads the new state, its route dump the
    // routes before their marks, and the link's event comes while it dumps.
    const src = new Source(
      'main',
      { netns: ns.name },
      () => undefined,
      () => false,
      () => undefined,
    );
    try {
      const sock = src.ipr.sock;
      const dumpBytes = sock.dumpBytes.bind(sock);
      let staged = false;
      sock.dumpBytes = ((
        schema: unknown,
        spec: unknown,
        visit: (buf: Buffer, at: number) => void,
        ...rest: unknown[]
      ) => {
        if (schema !== rtmsg || staged)
          return (dumpBytes as (...a: unknown[]) => Promise<void>)(schema, spec, visit, ...rest);
        staged = true;
        src.onEvent(event);
        for (const m of before) visit(m.buf, m.offset);
        return Promise.resolve();
      }) as typeof sock.dumpBytes;
      await src.start();
      assert.ok(staged, "the load's route dump was the one staged");
      await src.sync();
      const route = src.all('routes').find((r) => r.dst === '10.2.0.0/16');
      assert.deepEqual(route?.flags, ['linkdown'], 'the view has the kernel marks of the routes');
    } finally {
      src.close();
    }
  });
});
