// Peer namespace ids through a socket (and IPRoute) inside a test namespace, cross-checked
// with `ip netns list-id` / `ip netns set`; nsid events; IPRoute's part-B methods.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { NETLINK_ROUTE, NetlinkEncodeError, NetlinkSocket, Overrun } from '../src/core/index.js';
import { IPRoute } from '../src/rtnl/iproute.js';
import { rtnlMarshal } from '../src/rtnl/marshal.js';
import { getNsids, nsid, subscribeNsid, type NsidMessage } from '../src/rtnl/nsid.js';
import { RTM_DELNSID, RTM_NEWNSID } from '../src/rtnl/nsidmsg.js';
import { createNetns, deleteNetns, withNetns } from './helpers/netns.js';

async function next(
  it: AsyncIterator<NsidMessage | Overrun>,
  ok: (m: NsidMessage) => boolean,
  ms = 5000,
): Promise<NsidMessage> {
  const deadline = Date.now() + ms;
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const r = await Promise.race([
      it.next(),
      new Promise<never>((_, rej) => {
        timer = setTimeout(() => rej(new Error('no nsid event')), Math.max(1, deadline - Date.now()));
      }),
    ]);
    clearTimeout(timer);
    if (r.done) throw new Error('subscription ended');
    if (!(r.value instanceof Overrun) && ok(r.value)) return r.value;
  }
}

describe('nsid', () => {
  it('set and get both ways with ip netns, and events', async () => {
    await withNetns(async (ns) => {
      const p1 = await createNetns(),
        p2 = await createNetns(),
        p3 = await createNetns();
      try {
        await using s = new NetlinkSocket({ protocol: NETLINK_ROUTE, marshal: rtnlMarshal(), netns: ns.name });
        const sub = subscribeNsid(s);
        const events = sub[Symbol.asyncIterator]();
        assert.equal(await nsid(s, 'get', { netns: p1.name }), -1);
        assert.equal(await nsid(s, 'set', { netns: p1.name, nsid: 7 }), 7);
        const ev = await next(events, (m) => m.type === RTM_NEWNSID);
        assert.equal(ev.getAttr('NETNSA_NSID'), 7);
        const listed = JSON.parse(await ns.exec('ip', ['-j', 'netns', 'list-id']));
        assert.deepEqual(listed.find((x: any) => x.nsid === 7)?.name, p1.name);

        await ns.exec('ip', ['netns', 'set', p2.name, '9']);
        assert.equal(await nsid(s, 'get', { netns: `/var/run/netns/${p2.name}` }), 9);
        const auto = await nsid(s, 'set', { netns: p3.name });
        assert.ok(auto >= 0 && auto !== 7 && auto !== 9);
        const ids = (await getNsids(s)).map((m) => m.getAttr('NETNSA_NSID')).sort((a, b) => a! - b!);
        assert.deepEqual(
          ids,
          [7, 9, auto].sort((a, b) => a - b),
        );

        await deleteNetns(p1);
        const gone = await next(events, (m) => m.type === RTM_DELNSID);
        assert.equal(gone.getAttr('NETNSA_NSID'), 7);
        sub.close();
      } finally {
        for (const p of [p1, p2, p3]) await deleteNetns(p);
      }
    });
  });

  it('rejects bad input with typed errors', async () => {
    await withNetns(async (ns) => {
      await using s = new NetlinkSocket({ protocol: NETLINK_ROUTE, marshal: rtnlMarshal(), netns: ns.name });
      await assert.rejects(nsid(s, 'get', {}), NetlinkEncodeError);
      await assert.rejects(nsid(s, 'get', { netns: 'a', pid: 1 }), /exactly one/);
      await assert.rejects(nsid(s, 'get', { netns: 'nlr-no-such-namespace' }), /cannot open namespace/);
      await assert.rejects(nsid(s, 'del' as never, { pid: 1 }), /no delete/);
      // Our own namespace seen through a pid: no id until one is asked for.
      assert.equal(typeof (await nsid(s, 'get', { pid: process.pid })), 'number');
    });
  });
});

describe('IPRoute part-B methods', () => {
  it('delegate to the neigh/rule/tc/nsid functions', async () => {
    await withNetns(async (ns) => {
      await ns.ip('link add d0 type veth peer name d1');
      await ns.ip('link set d0 up');
      const d0 = (await ns.json('link show d0'))[0].ifindex as number;
      const ipr = new IPRoute({ netns: ns.name });
      try {
        await ipr.neigh('add', { dst: '10.0.0.2', lladdr: '02:00:00:00:00:02', ifindex: d0 });
        assert.equal((await ipr.getNeighbours({ ifindex: d0, dst: '10.0.0.2' })).length, 1);
        await ipr.rule('add', { priority: 100, table: 10, src: '10.0.0.0/8' });
        assert.equal((await ipr.getRules({ priority: 100 })).length, 1);
        await ipr.tc('add', 'htb', { index: d0, handle: '1:' });
        await ipr.tc('add-class', 'htb', { index: d0, parent: '1:', handle: '1:5', rate: '1mbit' });
        await ipr.tc('add-filter', 'u32', {
          index: d0,
          parent: '1:',
          prio: 3,
          protocol: 'ip',
          match: 'ip dst 10.0.0.2',
          classid: '1:5',
        });
        assert.equal((await ipr.getQdiscs({ index: d0, kind: 'htb' })).length, 1);
        assert.equal((await ipr.getClasses(d0)).length, 1);
        assert.ok((await ipr.getFilters(d0, '1:')).length >= 1);
        assert.equal((await ipr.tc('dump-class', null, { index: d0 })).length, 1);
        assert.deepEqual(await ipr.getNsids(), []);
        assert.equal(typeof ipr.fdb, 'function');
      } finally {
        ipr.close();
      }
    });
  });
});
