// MPLS and seg6 routes this host's kernel cannot carry (no mpls_iptunnel, no seg6 encap there),
// live in the test VM and cross-checked with `ip -j` both ways.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttrSet } from '../../src/core/index.js';
import { IPRoute } from '../../src/rtnl/index.js';
import { withNetns, type TestNetns } from '../helpers/netns.js';
import { vmOnly } from './vm.js';

async function setup(ns: TestNetns, ipr: IPRoute): Promise<void> {
  await ipr.link('add', { ifname: 'v0', kind: 'veth', peer: { ifname: 'v1' } });
  for (const l of ['lo', 'v0', 'v1']) await ipr.link('set', { ifname: l, state: 'up' });
  await ipr.addr('add', { index: 'v0', address: '10.0.0.1/24' });
  await ipr.addr('add', { index: 'v0', address: 'fd00::1/64', flags: ['nodad'] });
  await ns.exec('sysctl', [
    '-qw',
    'net.mpls.platform_labels=1000',
    'net.mpls.conf.v0.input=1',
    'net.ipv6.conf.all.seg6_enabled=1',
  ]);
}

describe('MPLS and seg6 (VM)', vmOnly, () => {
  it('MPLS routes with label stacks, and MPLS encap on IPv4/IPv6 routes, both ways', async () => {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      await setup(ns, ipr);
      await ipr.route('add', { family: 'mpls', dst: '100', newdst: [200, 300], via: '10.0.0.2', oif: 'v0' } as any);
      await ipr.route('add', { dst: '10.9.0.0/16', gateway: '10.0.0.2', encap: { type: 'mpls', labels: [500, 600] } });
      await ipr.route('add', { dst: 'fd09::/64', gateway: 'fd00::2', encap: { type: 'mpls', labels: [700], ttl: 9 } });
      assert.match(await ns.ip('-f mpls route show'), /^100 as to 200\/300 via inet 10\.0\.0\.2 dev v0/m);
      const r4: any[] = await ns.json('route show 10.9.0.0/16');
      // ip's JSON repeats "dst" for the encap's labels; the later key wins.
      assert.deepEqual([r4[0].encap, r4[0].dst], ['mpls', '500/600']);
      assert.match(await ns.ip('route show 10.9.0.0/16'), /encap mpls +500\/600/);
      assert.match(await ns.ip('-6 route show fd09::/64'), /encap mpls +700 ttl 9/);
      await ns.ip('-f mpls route add 101 as 201/202/203 via inet 10.0.0.3 dev v0');
      await ns.ip('route add 10.8.0.0/16 encap mpls 42/43 via 10.0.0.3');
      const all = await ipr.getRoutes({ family: 'mpls' } as any);
      const r101 = all.find((r) => JSON.stringify(r.getAttr('RTA_DST')).includes('101'))!;
      assert.match(JSON.stringify(r101.getAttr('RTA_NEWDST')), /201\D+202\D+203/);
      const [r8] = (await ipr.getRoutes({ family: 'inet' } as any)).filter((r) => r.getAttr('RTA_DST') === '10.8.0.0');
      assert.equal(r8.getAttr('RTA_ENCAP_TYPE'), 1);
      assert.match(JSON.stringify((r8.getAttr('RTA_ENCAP') as AttrSet<any>).getAttr('MPLS_IPTUNNEL_DST')), /42\D+43/);
    });
  });

  it('seg6 encap and seg6local actions, both ways', async () => {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      await setup(ns, ipr);
      await ipr.route('add', {
        dst: 'fd10::/64',
        oif: 'v0',
        encap: { type: 'seg6', mode: 'encap', segs: ['fc00::1', 'fc00::2'] },
      } as any);
      assert.match(await ns.ip('-6 route show fd10::/64'), /encap seg6 mode encap segs 2 \[ fc00::1 fc00::2 \]/);
      await ipr.route('add', {
        dst: 'fc00::100/128',
        oif: 'v0',
        encap: { type: 'seg6_local', attrs: [['SEG6_LOCAL_ACTION', 'SEG6_LOCAL_ACTION_END']] },
      } as any);
      assert.match(await ns.ip('-6 route show fc00::100'), /encap seg6local action End /);
      await ns.ip('-6 route add fd11::/64 encap seg6 mode inline segs fc00::5 dev v0');
      await ns.ip('-6 route add fc00::101/128 encap seg6local action End.DX4 nh4 10.0.0.2 dev v0');
      const r6 = await ipr.getRoutes({ family: 'inet6' } as any);
      const inl = r6.find((r) => r.getAttr('RTA_DST') === 'fd11::')!;
      const srh = (inl.getAttr('RTA_ENCAP') as AttrSet<any>).getAttr('SEG6_IPTUNNEL_SRH') as any;
      assert.equal(srh.mode, 0);
      assert.ok(JSON.stringify(srh).includes('fc00::5'), JSON.stringify(srh));
      const dx4 = r6.find((r) => r.getAttr('RTA_DST') === 'fc00::101')!;
      const loc = dx4.getAttr('RTA_ENCAP') as AttrSet<any>;
      assert.equal(loc.getAttr('SEG6_LOCAL_ACTION'), 6);
      assert.equal(loc.getAttr('SEG6_LOCAL_NH4'), '10.0.0.2');
    });
  });
});
