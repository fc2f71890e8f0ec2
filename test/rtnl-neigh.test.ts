// Neighbours and the bridge FDB against the real kernel, each test in its own namespace:
// nlroute's entries read back with `ip -j neigh` / `bridge -j fdb`, and the other way round.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  NETLINK_ROUTE,
  NetlinkEncodeError,
  NetlinkError,
  NetlinkSocket,
  NLM_F_ACK,
  NLM_F_CREATE,
  NLM_F_EXCL,
  NLM_F_REQUEST,
} from '../src/core/index.js';
import { rtnlMarshal } from '../src/rtnl/marshal.js';
import { ndmsg, NUD, NTF } from '../src/rtnl/ndmsg.js';
import { getNeighbours, neigh } from '../src/rtnl/neigh.js';
import { fdb, getFdb } from '../src/rtnl/fdb.js';
import { withNetns, type TestNetns } from './helpers/netns.js';

async function ifindex(ns: TestNetns, dev: string): Promise<number> {
  return (await ns.json(`link show ${dev}`))[0].ifindex;
}
function sock(ns: TestNetns): NetlinkSocket {
  return new NetlinkSocket({ protocol: NETLINK_ROUTE, marshal: rtnlMarshal(), netns: ns.name });
}
async function veth(ns: TestNetns): Promise<number> {
  await ns.ip('link add d0 type veth peer name d1');
  await ns.ip('link set d0 up');
  return ifindex(ns, 'd0');
}

describe('neighbours', () => {
  it('nlroute adds, ip neigh sees; replace, get and delete', async () => {
    await withNetns(async (ns) => {
      const d0 = await veth(ns);
      await using s = sock(ns);
      await neigh(s, 'add', { dst: '10.0.0.2', lladdr: '02:00:00:00:00:02', ifindex: d0 });
      await neigh(s, 'add', { dst: '2001:db8::2', lladdr: '02:00:00:00:00:03', ifindex: d0, state: 'stale' });
      await neigh(s, 'add', { dst: '10.0.0.9', ifindex: d0, proxy: true });
      const seen = await ns.json('neigh show');
      assert.deepEqual(seen.map((n: any) => [n.dst, n.dev, n.lladdr, n.state]).sort(), [
        ['10.0.0.2', 'd0', '02:00:00:00:00:02', ['PERMANENT']],
        ['2001:db8::2', 'd0', '02:00:00:00:00:03', ['STALE']],
      ]);
      assert.deepEqual(
        (await ns.json('neigh show proxy')).map((n: any) => n.dst),
        ['10.0.0.9'],
      );

      await assert.rejects(
        neigh(s, 'add', { dst: '10.0.0.2', lladdr: '02:00:00:00:00:04', ifindex: d0 }),
        (e: unknown) => e instanceof NetlinkError && e.code === 'EEXIST',
      );
      await neigh(s, 'replace', { dst: '10.0.0.2', lladdr: '02:00:00:00:00:04', ifindex: d0, state: 'reachable' });
      const [got] = await neigh(s, 'get', { dst: '10.0.0.2', ifindex: d0 });
      assert.equal(got.getAttr('NDA_LLADDR'), '02:00:00:00:00:04');
      assert.ok(got.fields.state & NUD.NUD_REACHABLE);
      assert.equal(typeof got.getAttr('NDA_CACHEINFO')?.ndm_refcnt, 'number');

      await neigh(s, 'del', { dst: '10.0.0.2', ifindex: d0 });
      await neigh(s, 'del', { dst: '10.0.0.9', ifindex: d0, proxy: true });
      assert.deepEqual(
        (await ns.json('neigh show')).map((n: any) => n.dst),
        ['2001:db8::2'],
      );
      assert.deepEqual(await ns.json('neigh show proxy'), []);
    });
  });

  it('ip neigh adds, nlroute reads and filters', async () => {
    await withNetns(async (ns) => {
      const d0 = await veth(ns);
      await ns.ip('neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev d0 nud permanent');
      await ns.ip('neigh add 10.0.0.6 lladdr 02:00:00:00:00:06 dev d0 nud noarp');
      await ns.ip('neigh add fe80::6 lladdr 02:00:00:00:00:07 dev d0 nud stale router');
      await ns.ip('neigh add proxy 10.0.0.7 dev d0');
      await using s = sock(ns);
      const all = await getNeighbours(s, { ifindex: d0 });
      const byDst = new Map(all.map((m) => [m.getAttr('NDA_DST'), m]));
      assert.equal(byDst.get('10.0.0.5')!.getAttr('NDA_LLADDR'), '02:00:00:00:00:05');
      assert.equal(byDst.get('10.0.0.5')!.fields.state, NUD.NUD_PERMANENT);
      assert.equal(byDst.get('10.0.0.6')!.fields.state, NUD.NUD_NOARP);
      assert.equal(byDst.get('fe80::6')!.fields.flags & NTF.NTF_ROUTER, NTF.NTF_ROUTER);
      assert.equal(byDst.has('10.0.0.7'), false);
      const json = byDst.get('10.0.0.5')!.toJSON();
      assert.deepEqual(json.fields.state, ['NUD_PERMANENT']);
      assert.deepEqual(
        (await neigh(s, 'dump', { family: 'inet6', ifindex: d0 }))
          .map((m) => m.getAttr('NDA_DST'))
          .filter((d) => d === 'fe80::6'),
        ['fe80::6'],
      );
      assert.deepEqual(
        (await getNeighbours(s, { state: 'permanent' })).map((m) => m.getAttr('NDA_DST')),
        ['10.0.0.5'],
      );
      assert.deepEqual(
        (await getNeighbours(s, { proxy: true })).map((m) => m.getAttr('NDA_DST')),
        ['10.0.0.7'],
      );
      for (const m of all) m.validate();
    });
  });

  it('encodes like ip neigh add and rejects bad input', async () => {
    const b = ndmsg.encode({
      type: 28,
      flags: NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
      fields: { family: 2, ifindex: 3, state: ['NUD_PERMANENT'] },
      attrs: { NDA_DST: '10.0.0.2', NDA_LLADDR: '02:00:00:00:00:02' },
    });
    // ndmsg is 12 bytes: family, 3 pad, ifindex, state u16, flags u8, type u8.
    assert.equal(b.subarray(16, 28).toString('hex'), '020000000300000080000000');
    assert.equal(b.subarray(28).toString('hex'), '08000100' + '0a000002' + '0a000200' + '020000000002' + '0000');
    const fake = {
      request: async (schema: typeof ndmsg, spec: never) => {
        schema.encode(spec);
        return [];
      },
    } as unknown as NetlinkSocket;
    await assert.rejects(neigh(fake, 'add', { lladdr: '02:00:00:00:00:02', ifindex: 1 }), /dst is required/);
    await assert.rejects(neigh(fake, 'add', { dst: '10.0.0.1', ifindex: 1, state: 'sleepy' }), NetlinkEncodeError);
    await assert.rejects(neigh(fake, 'add', { dst: '10.0.0.1', ifindex: 1, bogus: 1 } as never), /unknown key "bogus"/);
    // @ts-expect-error: not a command
    await assert.rejects(neigh(fake, 'fly', { dst: '10.0.0.1' }), /unknown command/);
    await assert.rejects(neigh(fake, 'add', { dst: 'not-an-ip', ifindex: 1 }), NetlinkEncodeError);
  });
});

describe('bridge fdb', () => {
  it('nlroute adds, bridge fdb sees; the other way; delete', async () => {
    await withNetns(async (ns) => {
      await ns.ip('link add d0 type veth peer name d1');
      await ns.ip('link add br0 type bridge'); // this kernel has no bridge VLAN filtering
      await ns.ip('link set d1 master br0');
      await ns.ip('link add vx0 type vxlan id 10 dstport 4789');
      const d1 = await ifindex(ns, 'd1'),
        br0 = await ifindex(ns, 'br0'),
        vx0 = await ifindex(ns, 'vx0');
      await using s = sock(ns);
      await fdb(s, 'add', { lladdr: '02:00:00:00:00:05', ifindex: d1, flags: 'master', state: 'static' });
      await fdb(s, 'append', { lladdr: '00:00:00:00:00:00', ifindex: vx0, dst: '192.0.2.1', state: 'permanent' });
      const bridgeJson = async (): Promise<any[]> => JSON.parse(await ns.exec('bridge', ['-j', 'fdb', 'show']));
      let seen = await bridgeJson();
      const port = seen.find((e) => e.mac === '02:00:00:00:00:05');
      assert.deepEqual([port.ifname, port.master, port.state], ['d1', 'br0', 'static']);
      const vx = seen.find((e) => e.ifname === 'vx0' && e.dst === '192.0.2.1');
      assert.deepEqual([vx.mac, vx.state, vx.flags], ['00:00:00:00:00:00', 'permanent', ['self']]);

      await ns.exec('bridge', ['fdb', 'add', '02:00:00:00:00:06', 'dev', 'd1', 'master', 'static']);
      const mine = await getFdb(s, { lladdr: '02:00:00:00:00:06' });
      assert.equal(mine.length, 1);
      assert.equal(mine[0].fields.ifindex, d1);
      assert.equal(mine[0].getAttr('NDA_MASTER'), br0);
      assert.ok(mine[0].fields.state & NUD.NUD_NOARP);
      const remote = await getFdb(s, { ifindex: vx0, dst: '192.0.2.1' });
      assert.equal(remote.length, 1);
      assert.equal(remote[0].fields.family, 7);
      assert.equal(
        (await fdb(s, 'dump', { master: br0 })).some((m) => m.getAttr('NDA_LLADDR') === '02:00:00:00:00:05'),
        true,
      );

      await fdb(s, 'del', { lladdr: '02:00:00:00:00:05', ifindex: d1, flags: 'master' });
      await fdb(s, 'del', { lladdr: '02:00:00:00:00:06', ifindex: d1, flags: 'master' });
      await fdb(s, 'del', { lladdr: '00:00:00:00:00:00', ifindex: vx0, dst: '192.0.2.1' });
      seen = await bridgeJson();
      assert.equal(
        seen.some((e) => ['02:00:00:00:00:05', '02:00:00:00:00:06'].includes(e.mac) || e.dst === '192.0.2.1'),
        false,
      );
    });
  });
});

describe('bridge fdb requests', () => {
  it('are encoded as bridge fdb builds them', async () => {
    let sent: Buffer | undefined;
    const fake = {
      request: async (schema: typeof ndmsg, spec: never) => {
        sent = schema.encode(spec);
        return [];
      },
    } as unknown as NetlinkSocket;
    await fdb(fake, 'add', { lladdr: '02:00:00:00:00:05', ifindex: 4, vlan: 10, state: 'static', flags: 'master' });
    const m = ndmsg.decode(sent!);
    assert.deepEqual(
      [m.fields.family, m.fields.ifindex, m.fields.state, m.fields.flags],
      [7, 4, NUD.NUD_NOARP | NUD.NUD_REACHABLE, NTF.NTF_MASTER],
    );
    assert.equal(m.getAttr('NDA_VLAN'), 10);
    await fdb(fake, 'append', {
      lladdr: '00:00:00:00:00:00',
      ifindex: 5,
      dst: '2001:db8::1',
      vni: 100,
      port: 4789,
      state: 'permanent',
    });
    const v = ndmsg.decode(sent!);
    assert.deepEqual([v.fields.state, v.fields.flags], [NUD.NUD_NOARP | NUD.NUD_PERMANENT, NTF.NTF_SELF]);
    assert.deepEqual([v.getAttr('NDA_DST'), v.getAttr('NDA_VNI'), v.getAttr('NDA_PORT')], ['2001:db8::1', 100, 4789]);
    assert.equal(v.raw('NDA_PORT')!.toString('hex'), '12b5'); // network byte order
    await fdb(fake, 'add', { lladdr: '02:00:00:00:00:05', ifindex: 4, state: 'dynamic' });
    assert.equal(ndmsg.decode(sent!).fields.state, NUD.NUD_REACHABLE);
    await assert.rejects(fdb(fake, 'add', { ifindex: 4 }), /lladdr and ifindex/);
    // @ts-expect-error: fdb has no get
    await assert.rejects(fdb(fake, 'get', { lladdr: '02:00:00:00:00:05', ifindex: 4 }), /unknown command/);
    await assert.rejects(
      fdb(fake, 'add', { lladdr: '02:00:00:00:00:05', ifindex: 4, flags: 'wobbly' }),
      NetlinkEncodeError,
    );
  });
});
