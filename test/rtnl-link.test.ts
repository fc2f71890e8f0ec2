// Links on the real kernel, each cross-checked with iproute2 both ways:
// nlroute creates -> `ip -j -d link show` sees it; ip creates -> nlroute reads it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NetlinkError, type AttrSet } from '../src/core/index.js';
import { IFF, IPRoute, type IfinfMessage } from '../src/rtnl/index.js';
import { createNetns, deleteNetns, withNetns, type TestNetns } from './helpers/netns.js';

const infoData = (l: IfinfMessage): AttrSet<any> | undefined =>
  l.getAttr('IFLA_LINKINFO')?.getAttr('IFLA_INFO_DATA') as AttrSet<any> | undefined;
const kindOf = (l: IfinfMessage): string | undefined => l.getAttr('IFLA_LINKINFO')?.getAttr('IFLA_INFO_KIND');
async function ipLink(ns: TestNetns, name: string): Promise<any> {
  return (await ns.json(`-d link show dev ${name}`))[0];
}

test('links made by nlroute as iproute2 sees them: veth, bridge, macvlan/macvtap modes, vxlan, ifb', async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    await ipr.link('add', {
      ifname: 'v0',
      kind: 'veth',
      peer: { ifname: 'v1', address: '02:00:00:00:01:01' },
      mtu: 1400,
      address: '02:00:00:00:00:01',
    });
    await ipr.link('add', {
      ifname: 'br0',
      kind: 'bridge',
      brStpState: 1,
      brForwardDelay: 800,
      brAgeingTime: 30000,
      brPriority: 1000,
    });
    await ipr.link('set', { ifname: 'v0', master: 'br0', state: 'up' });
    await ipr.link('add', { ifname: 'mv0', kind: 'macvlan', link: 'v1', macvlanMode: 'private' });
    await ipr.link('add', { ifname: 'mv1', kind: 'macvlan', link: 'v1', macvlanMode: 'vepa' });
    await ipr.link('add', { ifname: 'mvt0', kind: 'macvtap', link: 'v1', macvlanMode: 'bridge' });
    await ipr.link('add', {
      ifname: 'vx0',
      kind: 'vxlan',
      vxlanId: 4242,
      vxlanGroup: '239.1.2.3',
      vxlanLink: 'v1',
      vxlanPort: 8472,
      vxlanTtl: 17,
      vxlanLearning: false,
      vxlanAgeing: 600,
    });
    await ipr.link('add', {
      ifname: 'vx6',
      kind: 'vxlan',
      vxlanId: 7,
      vxlanGroup: 'ff05::100',
      vxlanLink: await ipr.ifindex('v1'),
      vxlanPort: 4789,
    });
    await ipr.link('add', { ifname: 'ifb0', kind: 'ifb', txqlen: 77 });

    const v0 = await ipLink(ns, 'v0');
    assert.equal(v0.mtu, 1400);
    assert.equal(v0.address, '02:00:00:00:00:01');
    assert.equal(v0.master, 'br0');
    assert.ok(v0.flags.includes('UP'));
    assert.equal(v0.linkinfo.info_kind, 'veth');
    assert.equal(v0.linkinfo.info_slave_kind, 'bridge');
    assert.equal((await ipLink(ns, 'v1')).address, '02:00:00:00:01:01');
    const br = (await ipLink(ns, 'br0')).linkinfo.info_data;
    assert.equal(br.stp_state, 1);
    assert.equal(br.forward_delay, 800);
    assert.equal(br.ageing_time, 30000);
    assert.equal(br.priority, 1000);
    assert.equal((await ipLink(ns, 'mv0')).linkinfo.info_data.mode, 'private');
    assert.equal((await ipLink(ns, 'mv1')).linkinfo.info_data.mode, 'vepa');
    const mvt = await ipLink(ns, 'mvt0');
    assert.equal(mvt.linkinfo.info_kind, 'macvtap');
    assert.equal(mvt.linkinfo.info_data.mode, 'bridge');
    assert.equal(mvt.link, 'v1');
    const vx = (await ipLink(ns, 'vx0')).linkinfo.info_data;
    assert.equal(vx.id, 4242);
    assert.equal(vx.group, '239.1.2.3');
    assert.equal(vx.port, 8472);
    assert.equal(vx.ttl, 17);
    assert.equal(vx.learning, false);
    assert.equal(vx.ageing, 600);
    assert.equal((await ipLink(ns, 'vx6')).linkinfo.info_data.group6, 'ff05::100');
    const ifb = await ipLink(ns, 'ifb0');
    assert.equal(ifb.linkinfo.info_kind, 'ifb');
    assert.equal(ifb.txqlen, 77);

    // Kernel-side filters: by kind and by master.
    assert.deepEqual((await ipr.getLinks({ kind: 'macvlan' })).map((l) => l.getAttr('IFLA_IFNAME')).sort(), [
      'mv0',
      'mv1',
    ]);
    assert.deepEqual(
      (await ipr.getLinks({ master: 'br0' })).map((l) => l.getAttr('IFLA_IFNAME')),
      ['v0'],
    );
    assert.deepEqual((await ipr.getLinks({ kind: 'vxlan' })).length, 2);
  });
});

test('links made by iproute2 as nlroute reads them: veth, bridge, vxlan, tun/tap, macvlan', async () => {
  await withNetns(async (ns) => {
    await ns.batch([
      'link add a0 mtu 1280 address 02:aa:00:00:00:01 type veth peer name a1',
      'link add brx type bridge forward_delay 300 hello_time 150',
      'link set a1 master brx',
      'link set a0 up',
      'link add vxx type vxlan id 99 remote 192.0.2.9 local 192.0.2.1 dstport 4790 noudpcsum',
      'tuntap add mode tun name tn0',
      'tuntap add mode tap name tp0 multi_queue',
      'link add mvx link a0 type macvlan mode passthru',
    ]);
    await using ipr = new IPRoute({ netns: ns.name });
    const byName = new Map((await ipr.getLinks()).map((l) => [l.getAttr('IFLA_IFNAME')!, l]));
    const ipj = new Map<string, any>((await ns.json('-d link show')).map((l: any) => [l.ifname, l]));
    for (const [name, l] of byName) {
      const j = ipj.get(name);
      assert.ok(j, name);
      assert.equal(l.field('index'), j.ifindex, name);
      assert.equal(l.getAttr('IFLA_MTU'), j.mtu, name);
      assert.equal(l.getAttr('IFLA_ADDRESS'), j.address, name);
      assert.equal(kindOf(l), j.linkinfo?.info_kind, name);
      assert.equal((l.field('flags') & IFF.IFF_UP) !== 0, j.flags.includes('UP'), name);
    }
    assert.equal(byName.get('a1')!.getAttr('IFLA_MASTER'), byName.get('brx')!.field('index'));
    assert.equal(infoData(byName.get('brx')!)!.getAttr('IFLA_BR_FORWARD_DELAY'), 300);
    assert.equal(infoData(byName.get('brx')!)!.getAttr('IFLA_BR_HELLO_TIME'), 150);
    const vx = infoData(byName.get('vxx')!)!;
    assert.equal(vx.getAttr('IFLA_VXLAN_ID'), 99);
    assert.equal(vx.getAttr('IFLA_VXLAN_GROUP'), '192.0.2.9');
    assert.equal(vx.getAttr('IFLA_VXLAN_LOCAL'), '192.0.2.1');
    assert.equal(vx.getAttr('IFLA_VXLAN_PORT'), 4790);
    assert.equal(vx.getAttr('IFLA_VXLAN_UDP_CSUM'), 0);
    assert.equal(infoData(byName.get('tn0')!)!.getAttr('IFLA_TUN_TYPE'), 1);
    const tp = infoData(byName.get('tp0')!)!;
    assert.equal(tp.getAttr('IFLA_TUN_TYPE'), 2);
    assert.equal(tp.getAttr('IFLA_TUN_MULTI_QUEUE'), 1);
    assert.equal(infoData(byName.get('mvx')!)!.getAttr('IFLA_MACVLAN_MODE'), 8);
    // toJSON prints names.
    assert.ok(JSON.stringify(byName.get('mvx')!.toJSON()).includes('MACVLAN_MODE_PASSTHRU'));
    // get by name and by index, linkLookup
    const [got] = await ipr.link('get', { ifname: 'brx' });
    assert.equal(got.field('index'), byName.get('brx')!.field('index'));
    assert.equal((await ipr.link('get', { index: got.field('index') }))[0].getAttr('IFLA_IFNAME'), 'brx');
    assert.deepEqual(await ipr.linkLookup({ ifname: 'a0' }), [byName.get('a0')!.field('index')]);
    // A passthru macvlan takes over its lower device's MAC.
    assert.deepEqual(await ipr.linkLookup({ address: '02:aa:00:00:00:01' }), [
      byName.get('a0')!.field('index'),
      byName.get('mvx')!.field('index'),
    ]);
    assert.deepEqual(await ipr.linkLookup({ ifname: 'nothere' }), []);
  });
});

test('link changes: up/down, rename, MTU, MAC, alias, master/nomaster, alt names, bridge port options', async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    await ipr.link('add', { ifname: 'p0', kind: 'veth', peer: 'p1' });
    await ipr.link('add', { ifname: 'br9', kind: 'bridge' });
    const ix = await ipr.ifindex('p0');
    await ipr.link('set', { index: ix, state: 'up', mtu: 9000, address: '02:12:34:56:78:9a', ifalias: 'uplink' });
    let j = await ipLink(ns, 'p0');
    assert.ok(j.flags.includes('UP'));
    assert.equal(j.mtu, 9000);
    assert.equal(j.address, '02:12:34:56:78:9a');
    assert.equal(j.ifalias, 'uplink');
    await ipr.link('set', { index: ix, state: 'down' });
    await ipr.link('set', { index: ix, ifname: 'renamed0' });
    j = await ipLink(ns, 'renamed0');
    assert.equal(j.ifindex, ix);
    assert.ok(!j.flags.includes('UP'));
    await ipr.link('set', { ifname: 'renamed0', master: 'br9' });
    assert.equal((await ipLink(ns, 'renamed0')).master, 'br9');
    await ipr.link('set', { index: ix, kind: 'bridge_slave', brportCost: 33, brportPriority: 7 });
    j = await ipLink(ns, 'renamed0');
    assert.equal(j.linkinfo.info_slave_data.cost, 33);
    assert.equal(j.linkinfo.info_slave_data.priority, 7);
    await ipr.link('set', { index: ix, master: 0 });
    assert.equal((await ipLink(ns, 'renamed0')).master, undefined);
    // alternative names
    await ipr.link('property_add', { index: ix, altname: ['uplink-alt', 'second-name'] });
    assert.deepEqual((await ipLink(ns, 'renamed0')).altnames, ['uplink-alt', 'second-name']);
    assert.deepEqual(await ipr.linkLookup({ altname: 'second-name' }), [ix]);
    await ipr.link('property_del', { index: ix, altname: 'uplink-alt' });
    assert.deepEqual((await ipLink(ns, 'renamed0')).altnames, ['second-name']);
    await ipr.link('set', { index: ix, altname: 'third' });
    assert.deepEqual((await ipLink(ns, 'renamed0')).altnames, ['second-name', 'third']);
    // ip changes -> nlroute sees
    await ns.ip('link set dev renamed0 mtu 1500 name back0 up');
    const [l] = await ipr.getLinks({ index: ix });
    assert.equal(l.getAttr('IFLA_IFNAME'), 'back0');
    assert.equal(l.getAttr('IFLA_MTU'), 1500);
    assert.ok(l.field('flags') & IFF.IFF_UP);
    assert.deepEqual(l.getAttr('IFLA_PROP_LIST')!.getAttrs('IFLA_ALT_IFNAME'), ['second-name', 'third']);
    // raw attributes merged in, by name or by numeric id (IFLA_GROUP = 27), for what is not modelled
    await ipr.link('set', { index: ix, attrs: [['IFLA_GROUP', 5]] });
    assert.equal((await ipLink(ns, 'back0')).group, '5');
    const six = Buffer.alloc(4);
    six.writeUInt32LE(6);
    await ipr.link('set', { index: ix, attrs: [[27, six]] });
    assert.equal((await ipLink(ns, 'back0')).group, '6');
    await ipr.link('set', { index: ix, group: 7 });
    assert.equal((await ipr.getLinks({ group: 7 })).length, 1);
    // delete by name
    await ipr.link('del', { ifname: 'br9' });
    assert.deepEqual(await ipr.linkLookup({ ifname: 'br9' }), []);
  });
});

test('namespaces: move a link, create a veth with its peer in another namespace', async () => {
  const a = await createNetns();
  const b = await createNetns();
  try {
    await using ipr = new IPRoute({ netns: a.name });
    await ipr.link('add', { ifname: 'm0', kind: 'ifb' });
    await ipr.link('set', { ifname: 'm0', netns: b.name });
    assert.deepEqual(await ipr.linkLookup({ ifname: 'm0' }), []);
    assert.equal((await ipLink(b, 'm0')).linkinfo.info_kind, 'ifb');
    await ipr.link('add', { ifname: 'here', kind: 'veth', peer: { ifname: 'there', netns: b.name, mtu: 1450 } });
    assert.equal((await ipLink(a, 'here')).linkinfo.info_kind, 'veth');
    const there = await ipLink(b, 'there');
    assert.equal(there.mtu, 1450);
    await using iprB = new IPRoute({ netns: b.name });
    const [t] = await iprB.getLinks({ ifname: 'there' });
    assert.equal(t.getAttr('IFLA_MTU'), 1450);
    assert.equal(typeof t.getAttr('IFLA_LINK_NETNSID'), 'number');
  } finally {
    await deleteNetns(a);
    await deleteNetns(b);
  }
});

test('link errors: typed, before sending when the input is wrong, with the kernel text otherwise', async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    await assert.rejects(
      ipr.link('add', { ifname: 'sixteen-chars-xx', kind: 'ifb' }),
      (e: Error) => e instanceof TypeError && /1\.\.15 bytes/.test(e.message),
    );
    await assert.rejects(
      // @ts-expect-error: not a kind
      ipr.link('add', { ifname: 'x', kind: 'nosuchkind' }),
      (e: Error) => e instanceof TypeError && /unknown kind "nosuchkind"/.test(e.message),
    );
    await assert.rejects(
      // @ts-expect-error: not an option of ifb
      ipr.link('add', { ifname: 'x', kind: 'ifb', bogusOption: 1 }),
      (e: Error) => e instanceof TypeError && /unknown key "bogusOption"/.test(e.message),
    );
    await assert.rejects(
      // @ts-expect-error: a typo of vxlanId
      ipr.link('add', { ifname: 'x', kind: 'vxlan', vxlanIdd: 1 }),
      (e: Error) => e instanceof TypeError && /did you mean vxlanId\?/.test(e.message),
    );
    await assert.rejects(
      // @ts-expect-error: not a macvlan mode
      ipr.link('add', { ifname: 'x', kind: 'macvlan', link: 'lo', macvlanMode: 'sideways' }),
      /macvlanMode must be one of private, vepa, bridge, passthru, source, got the string "sideways"/,
    );
    await assert.rejects(
      ipr.link('set', { ifname: 'nope0', state: 'up' }),
      (e: Error) => e instanceof NetlinkError && e.code === 'ENODEV',
    );
    await assert.rejects(
      ipr.link('set', { ifname: 'x', master: 'nobridge' }),
      (e: Error) => e instanceof NetlinkError && e.code === 'ENODEV' && /nobridge/.test(e.message),
    );
    // The kernel's own words: a kind this kernel lacks, and a duplicate name.
    await assert.rejects(
      ipr.link('add', { ifname: 'd0', kind: 'dummy' }),
      (e: Error) => e instanceof NetlinkError && e.code === 'EOPNOTSUPP' && e.extack.message === 'Unknown device type',
    );
    await ipr.link('add', { ifname: 'dup', kind: 'ifb' });
    await assert.rejects(
      ipr.link('add', { ifname: 'dup', kind: 'ifb' }),
      (e: Error) => e instanceof NetlinkError && e.code === 'EEXIST',
    );
    await assert.rejects(
      ipr.link('add', { ifname: 'v', kind: 'veth', mtu: 10 }),
      (e: Error) => e instanceof NetlinkError && e.code === 'EINVAL',
    );
    await assert.rejects(ipr.link('frob' as never, {}), TypeError);
  });
});
