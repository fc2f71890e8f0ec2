// Records and strict specs, as a new user meets them: the calls a script written from the
// README makes, each defect of the old API pinned (typos, pyroute2 keys, wrong value types,
// truncated input, unreadable printing).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { SpecError } from '../src/core/index.js';
import { IPRoute, messageOf, type LinkRecord } from '../src/rtnl/index.js';
import { withNetns } from './helpers/netns.js';

const specError =
  (key: string, re: RegExp) =>
  (e: unknown): boolean => {
    assert.ok(e instanceof SpecError, String(e));
    assert.ok(e instanceof TypeError);
    assert.equal(e.key, key);
    assert.match(e.message, re);
    return true;
  };

test('a typo in a route spec is refused with a did-you-mean, and nothing is created', async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    await ipr.link('add', { ifname: 'v0', kind: 'veth', peer: 'v1', state: 'up' });
    await ipr.addr('add', { index: 'v0', address: '10.0.0.1/24' });
    await assert.rejects(
      ipr.route('add', { dst: '10.40.0.0/16', oif: 'v0', gatway: '10.0.0.9' } as never),
      (e: unknown) => {
        specError('gatway', /route: unknown key "gatway" \(did you mean gateway\?\); allowed: .*gateway/)(e);
        assert.equal((e as SpecError).suggestion, 'gateway');
        assert.ok((e as SpecError).allowed.includes('gateway'));
        return true;
      },
    );
    assert.deepEqual(await ns.json('route show 10.40.0.0/16'), []);
  });
});

test("pyroute2's mask: 24 makes a /24, and a prefix given twice differently is refused", async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    await ipr.link('add', { ifname: 'v0', kind: 'veth', peer: 'v1', state: 'up' });
    await ipr.addr('add', { index: 'v0', address: '10.0.0.1', mask: 24 } as never);
    const [a] = await ipr.addresses({ index: 'v0', family: 'inet' });
    assert.equal(a.prefixlen, 24);
    await assert.rejects(
      ipr.addr('add', { index: 'v0', address: '10.0.1.1/24', prefixlen: 16 }),
      specError('prefixlen', /"10\.0\.1\.1\/24" has prefix length 24, but prefixlen is 16/),
    );
    await assert.rejects(
      ipr.route('add', { dst: '10.9.0.0/16', dstLen: 24, oif: 'v0' }),
      specError('dstLen', /prefix length 16, but dstLen is 24/),
    );
    // pyroute2's dst_len is dstLen.
    await ipr.route('add', { dst: '10.9.0.0', dst_len: 16, oif: 'v0' } as never);
    assert.equal((await ns.json('route show 10.9.0.0/16')).length, 1);
  });
});

test('wrong value types say what was expected and what was given', async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    await ipr.link('add', { ifname: 'v0', kind: 'veth', peer: 'v1' });
    await assert.rejects(
      // @ts-expect-error: mtu is a number
      ipr.link('set', { ifname: 'v0', mtu: '1400' }),
      specError('mtu', /link: mtu must be an integer 0\.\.4294967295, got the string "1400"/),
    );
    await assert.rejects(ipr.link('set', { ifname: 'v0', txqlen: 1.5 }), specError('txqlen', /got the number 1\.5/));
    await assert.rejects(
      ipr.route('add', { dst: '10.0.0.0/8', priority: -1 }),
      specError('priority', /priority must be an integer 0\.\.4294967295/),
    );
  });
});

test('truncating input is refused: NUL in a name, a MAC of the wrong length', async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    await assert.rejects(
      ipr.link('add', { ifname: 'a\u0000b', kind: 'veth', peer: 'b0' }),
      specError('ifname', /valid interface name/),
    );
    await ipr.link('add', { ifname: 'v0', kind: 'veth', peer: 'v1' });
    await assert.rejects(
      ipr.link('set', { ifname: 'v0', address: '02:00:00:00:00:01:07' }),
      specError('address', /6-byte link-layer address/),
    );
    await assert.rejects(
      ipr.link('add', { ifname: 'v2', kind: 'veth', peer: 'v3', address: '02:00:00:00:01' }),
      specError('address', /6-byte/),
    );
    await assert.rejects(
      ipr.addr('add', { index: 'v0', address: '10.0.0.1/24', label: 'x\u0000y' }),
      specError('label', /without NUL/),
    );
    const names = (await ipr.links()).map((l) => l.ifname).sort();
    assert.deepEqual(names, ['lo', 'v0', 'v1']);
    // The MAC was not changed either.
    assert.notEqual((await ipr.links({ ifname: 'v0' }))[0].address, '02:00:00:00:00:01');
  });
});

test('link records: names for enums, strings for addresses, exact counters, JSON-safe, readable, message reachable', async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    await ipr.link('add', { ifname: 'v0', kind: 'veth', peer: 'v1', mtu: 1400, state: 'up' });
    const [v0] = await ipr.links({ ifname: 'v0' });
    assert.equal(v0.ifname, 'v0');
    assert.equal(v0.kind, 'veth');
    assert.equal(v0.mtu, 1400);
    assert.equal(v0.state, 'up');
    assert.ok(v0.flags!.includes('up'));
    assert.equal(typeof v0.operstate, 'string');
    assert.match(String(v0.operstate), /^(up|lowerlayerdown|down|unknown)$/);
    assert.match(v0.address!, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    assert.equal(typeof v0.stats!.rxBytes, 'number');
    // JSON round trip keeps everything (no bigint, no Map, no Buffer).
    assert.deepEqual(JSON.parse(JSON.stringify(v0)), { ...v0 });
    const text = inspect(v0);
    assert.doesNotMatch(text, /Buffer|MessageSchema|more bytes/);
    // The message stays reachable, and prints readably too.
    const m = messageOf(v0) as { getAttr(n: string): unknown } | undefined;
    assert.equal(m?.getAttr('IFLA_IFNAME'), 'v0');
    const mt = inspect(m, { depth: 4 });
    assert.match(mt, /rtnl\.ifinfmsg RTM_NEWLINK/);
    assert.match(mt, /IFLA_IFNAME: 'v0'/);
    assert.doesNotMatch(mt, /Buffer|MessageSchema|more bytes/);
    assert.equal(Object.keys(v0).includes('message'), false);
    // Records from a dump are built on first use, and behave as plain objects.
    assert.equal(Object.getPrototypeOf(v0), Object.prototype);
    assert.ok(Object.keys(v0).includes('mtu'));
    const copy = { ...v0, mtu: 9000 };
    assert.equal(copy.mtu, 9000);
    assert.equal(v0.mtu, 1400);
    (v0 as { note?: string }).note = 'mine';
    assert.equal((v0 as { note?: string }).note, 'mine');
  });
});

test('neigh and fdb take interface names; their records use the spec names', async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    await ipr.link('add', { ifname: 'br0', kind: 'bridge' });
    await ipr.link('add', { ifname: 'v0', kind: 'veth', peer: 'v1', master: 'br0' });
    await ipr.neigh('add', { dst: '10.0.0.2', lladdr: '02:00:00:00:00:02', ifindex: 'v0' });
    const [n] = await ipr.neighbours({ ifindex: 'v0', family: 'inet' });
    assert.equal(n.dst, '10.0.0.2');
    assert.equal(n.lladdr, '02:00:00:00:00:02');
    assert.deepEqual(n.state, ['permanent']);
    assert.equal(n.family, 'inet');
    await ipr.fdb('add', { lladdr: '02:00:00:00:00:aa', ifindex: 'v0', flags: ['master'], state: 'static' });
    const f = (await ipr.fdbEntries({ ifindex: 'v0', master: 'br0' })).find((e) => e.lladdr === '02:00:00:00:00:aa');
    assert.ok(f, 'fdb entry read back');
    assert.equal(f.master, (await ipr.links({ ifname: 'br0' }))[0].index);
    assert.ok(f.state!.includes('noarp'));
    // The record is a spec: deleting with it removes the entry.
    await ipr.fdb('del', { ...f, flags: ['master'] } as never);
    assert.equal(
      (await ipr.fdbEntries({ ifindex: 'v0' })).some((e) => e.lladdr === '02:00:00:00:00:aa'),
      false,
    );
    await assert.rejects(
      ipr.fdb('add', { lladdr: '02:00:00:00:00:aa:bb', ifindex: 'v0' }),
      specError('lladdr', /6-byte/),
    );
    await assert.rejects(ipr.neigh('add', { dst: '10.0.0.3', ifindex: 'nosuch0' }), /no interface named "nosuch0"/);
  });
});

test('kind options are discriminated by kind at compile time and checked at run time', async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    await assert.rejects(
      // @ts-expect-error: vxlanid is a typo of vxlanId
      ipr.link('add', { ifname: 'vx0', kind: 'vxlan', vxlanid: 5 }),
      specError('vxlanid', /did you mean vxlanId\?/),
    );
    await assert.rejects(
      // @ts-expect-error: brStpState belongs to bridges
      ipr.link('add', { ifname: 'vx0', kind: 'vxlan', vxlanId: 5, brStpState: 1 }),
      specError('brStpState', /unknown key/),
    );
    await ipr.link('add', { ifname: 'lo1', kind: 'veth', peer: 'lo2' });
    await ipr.link('add', {
      ifname: 'vx0',
      kind: 'vxlan',
      vxlanId: 5,
      vxlanPort: 4789,
      vxlanLink: 'lo1',
      vxlanLearning: false,
    });
    const [vx] = (await ipr.links({ ifname: 'vx0' })) as LinkRecord[];
    assert.equal(vx.kind, 'vxlan');
    if (vx.kind === 'vxlan') {
      assert.equal(vx.vxlanId, 5);
      assert.equal(vx.vxlanPort, 4789);
      assert.equal(vx.vxlanLearning, 0);
    }
  });
});
