// Addresses on the real kernel, cross-checked with `ip -j addr show` both ways.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NetlinkError } from '../src/core/index.js';
import { IFA_F, IPRoute, addrOf } from '../src/rtnl/index.js';
import { withNetns } from './helpers/netns.js';

test('addresses made by nlroute as iproute2 sees them: IPv4 broadcast/label/peer, IPv6 flags and lifetimes', async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    await ipr.link('add', { ifname: 'e0', kind: 'veth', peer: 'e1', state: 'up' });
    await ipr.addr('add', { index: 'e0', address: '10.0.0.1/24', broadcast: true });
    await ipr.addr('add', { index: 'e0', address: '10.0.0.2', prefixlen: 24, label: 'e0:two' });
    await ipr.addr('add', { index: 'e0', address: '192.0.2.1', peer: '192.0.2.2/32' });
    await ipr.addr('add', {
      index: 'e0',
      address: '2001:db8::1/64',
      flags: ['nodad'],
      validLft: 3600,
      preferredLft: 1800,
    });
    await ipr.addr('add', { index: 'e0', address: '2001:db8:1::1/64', flags: ['nodad', 'noprefixroute'], metric: 77 });
    const j = (await ns.json('addr show dev e0'))[0].addr_info as any[];
    const by = new Map(j.map((a) => [a.local, a]));
    assert.equal(by.get('10.0.0.1').prefixlen, 24);
    assert.equal(by.get('10.0.0.1').broadcast, '10.0.0.255');
    assert.equal(by.get('10.0.0.2').label, 'e0:two');
    assert.equal(by.get('10.0.0.2').secondary, true);
    assert.equal(by.get('192.0.2.1').address, '192.0.2.2');
    assert.equal(by.get('192.0.2.1').prefixlen, 32);
    const v6 = by.get('2001:db8::1');
    assert.equal(v6.valid_life_time, 3600);
    assert.equal(v6.preferred_life_time, 1800);
    assert.equal(v6.nodad, true);
    assert.equal(by.get('2001:db8:1::1').noprefixroute, true);
    // noprefixroute: no 2001:db8:1::/64 route; the metric applies to the other prefix route only when made.
    assert.equal((await ipr.getRoutes({ family: 'inet6', dst: '2001:db8:1::/64' })).length, 0);

    // replace changes the lifetime; del removes; duplicate add fails with the kernel's words
    await ipr.addr('replace', {
      index: 'e0',
      address: '2001:db8::1/64',
      flags: ['nodad'],
      validLft: 7200,
      preferredLft: 7200,
    });
    const again = (await ns.json('addr show dev e0'))[0].addr_info.find((a: any) => a.local === '2001:db8::1');
    assert.equal(again.valid_life_time, 7200);
    await assert.rejects(
      ipr.addr('add', { index: 'e0', address: '10.0.0.1/24' }),
      (e: Error) => e instanceof NetlinkError && e.code === 'EEXIST' && /already assigned/.test(e.extack.message ?? ''),
    );
    await ipr.addr('del', { index: 'e0', address: '192.0.2.1', peer: '192.0.2.2/32' });
    assert.ok(!(await ns.json('addr show dev e0'))[0].addr_info.some((a: any) => a.local === '192.0.2.1'));
    await assert.rejects(
      ipr.addr('del', { index: 'e0', address: '192.0.2.1/32' }),
      (e: Error) => e instanceof NetlinkError && e.code === 'EADDRNOTAVAIL',
    );
  });
});

test('addresses made by iproute2 as nlroute reads them; kernel-side filters; flush', async () => {
  await withNetns(async (ns) => {
    await ns.batch([
      'link add f0 type veth peer name f1',
      'link set f0 up',
      'link set f1 up',
      'link set lo up',
      'addr add 172.16.0.1/16 brd 172.16.255.255 dev f0 label f0:a',
      'addr add 172.16.0.2/16 dev f0',
      'addr add 172.17.0.1/24 dev f1 scope link',
      'addr add fd00::1/64 dev f0 nodad',
      'addr add fd00::2/64 dev f1 nodad preferred_lft 0',
    ]);
    await using ipr = new IPRoute({ netns: ns.name });
    const ip = await ns.json('addr show');
    const mine = await ipr.getAddr();
    const want = ip
      .flatMap((l: any) => l.addr_info.map((a: any) => `${l.ifindex} ${a.local}/${a.prefixlen} ${a.scope}`))
      .sort();
    const scopeName: Record<number, string> = { 0: 'global', 253: 'link', 254: 'host' };
    const got = mine
      .map((a) => `${a.field('index')} ${addrOf(a)}/${a.field('prefixlen')} ${scopeName[a.field('scope')]}`)
      .sort();
    assert.deepEqual(got, want);
    const f0 = await ipr.ifindex('f0');
    const a = await ipr.getAddr({ index: 'f0', family: 'inet', label: 'f0:a' });
    assert.equal(a.length, 1);
    assert.equal(a[0].getAttr('IFA_BROADCAST'), '172.16.255.255');
    assert.equal(a[0].field('index'), f0);
    assert.equal((await ipr.getAddr({ address: '172.16.0.2' }))[0].getAttr('IFA_LABEL'), 'f0');
    assert.equal((await ipr.getAddr({ address: '172.16.0.2/24' })).length, 0);
    const dep = (await ipr.getAddr({ address: 'fd00::2' }))[0];
    assert.ok(dep.getAttr('IFA_FLAGS')! & IFA_F.IFA_F_DEPRECATED);
    assert.equal(dep.getAttr('IFA_CACHEINFO')!.ifa_prefered, 0);
    assert.deepEqual((await ipr.getAddr({ family: 6 as never })).length, 0); // no such family
    assert.deepEqual((await ipr.getAddr({ index: 'f1', scope: 'link', family: 'inet' })).map(addrOf), ['172.17.0.1']);
    // The kernel filtered by index: ask the socket directly and count.
    const raw = await ipr.sock.request((await import('../src/rtnl/index.js')).ifaddrmsg, {
      type: 22,
      flags: 0x300,
      fields: { family: 2, index: f0 },
    });
    assert.ok(raw.every((m) => m.field('index') === f0) && raw.length === 2);
    // streamed
    let n = 0;
    for await (const x of ipr.dumpAddr({ index: f0 })) {
      assert.equal(x.field('index'), f0);
      n++;
    }
    assert.ok(n >= 3);
    // flush: secondaries first, so no EADDRNOTAVAIL surprises
    await ipr.addr('flush', { index: 'f0' });
    assert.equal((await ipr.getAddr({ index: f0 })).length, 0);
    assert.equal((await ns.json('addr show dev f0'))[0].addr_info.length, 0);
  });
});

test('address input errors are caught before sending', async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    await assert.rejects(ipr.addr('add', { index: 1, address: '10.0.0.300/24' }), TypeError);
    await assert.rejects(ipr.addr('add', { index: 1, address: '10.0.0.3/40' }), /prefix length must be 0\.\.32/);
    await assert.rejects(ipr.addr('add', { index: 1, address: '2001:db8::1', broadcast: true }), /IPv4 addresses only/);
    await assert.rejects(
      ipr.addr('add', { index: 1, address: '10.0.0.1/8', flags: ['shiny'] }),
      /flags must be names among .*nodad.* \(the string "shiny" is not one\)/,
    );
    await assert.rejects(
      ipr.addr('add', { index: 1, address: '10.0.0.1/8', validLft: 5, preferredLft: 10 }),
      /preferredLft/,
    );
    await assert.rejects(ipr.addr('add', { address: '10.0.0.1/8' }), /interface index/);
    await assert.rejects(
      ipr.addr('add', { index: 'nosuch', address: '10.0.0.1/8' }),
      (e: Error) => e instanceof NetlinkError && e.code === 'ENODEV',
    );
  });
});
