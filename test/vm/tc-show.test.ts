// `nlroute tc qdisc|class|filter show` against tc 6.1 for cake, hfsc, drr, flower and route:
// JSON and text, plain, with -s, -d and both. tc writes hfsc's and drr's options, classes and
// route filters as text even under -j (its JSON is then invalid), so those compare as text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IPRoute } from '../../src/rtnl/index.js';
import { withNetns, type TestNetns } from '../helpers/netns.js';
import { nlrouteTc, sameShows, vmOnly } from './vm.js';

const ALL_FLAGS = [[], ['-s'], ['-d'], ['-s', '-d']];

describe('nlroute tc show prints what tc prints: cake, hfsc, drr, flower, route', vmOnly, () => {
  it('cake, hfsc and drr qdiscs and classes', async () => {
    const devs = ['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6'];
    await sameShows(
      devs,
      [
        'qdisc add dev d0 root cake bandwidth 100mbit diffserv4 triple-isolate nat wash ack-filter split-gso ' +
          'rtt 50ms overhead 18 mpu 64 atm memlimit 32mb fwmark 0xff ingress',
        'qdisc add dev d1 root cake',
        'qdisc add dev d2 root cake unlimited besteffort flowblind nonat nowash no-ack-filter no-split-gso raw',
        'qdisc add dev d3 root cake bandwidth 1gbit diffserv8 dual-srchost ptm overhead -10 ack-filter-aggressive ' +
          'autorate-ingress',
        'qdisc add dev d4 root handle 1: hfsc default 10',
        'class add dev d4 parent 1: classid 1:1 hfsc sc m1 2mbit d 10ms m2 1mbit ul m2 5mbit',
        'class add dev d4 parent 1:1 classid 1:10 hfsc rt m2 3mbit ls m1 1mbit d 20ms m2 2mbit',
        'class add dev d4 parent 1:1 classid 1:20 hfsc rt umax 1500b dmax 5ms rate 1mbit ls rate 500kbit',
        'qdisc add dev d5 root handle 2: drr',
        'class add dev d5 parent 2: classid 2:1 drr quantum 3000',
        'class add dev d5 parent 2: classid 2:2 drr',
        'qdisc add dev d6 root handle 3: hfsc',
        'class add dev d6 parent 3: classid 3:1 hfsc ls m2 10mbit ul m1 20mbit d 1s m2 10mbit',
      ],
      [
        ...['d0', 'd1', 'd2', 'd3', 'd5', 'd6'].map((d) => `qdisc show dev ${d}`),
        'qdisc show dev d4',
        'class show dev d4',
        'class show dev d5',
        'class show dev d6',
      ],
      new Set(['qdisc show dev d4', 'class show dev d4', 'class show dev d5', 'class show dev d6']),
      ALL_FLAGS,
    );
  });

  it('flower keys and flags, route realms and interfaces', async () => {
    const flower = 'filter add dev d7 parent ffff: protocol';
    await sameShows(
      ['d7', 'd8'],
      [
        'qdisc add dev d7 ingress',
        `${flower} ip prio 1 flower dst_mac 02:00:00:00:00:01 src_mac 02:00:00:00:00:02/ff:ff:ff:00:00:00 ` +
          'ip_proto tcp src_ip 10.0.0.0/8 dst_ip 192.168.1.1 src_port 1000-2000 dst_port 80 tcp_flags 0x2/0x12 ' +
          'ip_tos 0x10/0xfc ip_ttl 64 skip_hw classid 1:10 action drop',
        `${flower} 802.1Q prio 2 flower vlan_id 100 vlan_prio 3 vlan_ethtype ip dst_ip 10.1.0.0/16 ip_proto udp ` +
          'dst_port 53 src_port 1024/0xfc00 action pass',
        `${flower} ip prio 3 flower ip_proto icmp type 8 code 0 ip_flags frag/nofirstfrag ct_state +trk+est-new ` +
          'ct_zone 5 ct_mark 7/0xff',
        `${flower} ipv6 prio 4 flower ip_proto icmpv6 type 128 code 0 src_ip 2001:db8::/32 dst_ip 2001:db8::1 ` +
          'dst_mac 02:00:00:00:00:01/ff:00:ff:00:00:00',
        `${flower} ip prio 5 flower enc_dst_ip 10.9.9.9 enc_src_ip 10.8.0.0/16 enc_key_id 42 enc_dst_port 4789 ` +
          'enc_tos 0x10/0xff enc_ttl 64 ip_proto sctp dst_port 9 src_port 100-200',
        `${flower} all prio 6 handle 0x7 flower indev d7 src_mac 02:00:00:00:00:03/24 classid 1:2 skip_hw`,
        `${flower} arp prio 7 flower arp_sip 10.0.0.1 arp_tip 10.0.0.0/24 arp_op request arp_sha 02:00:00:00:00:04`,
        `${flower} ip prio 8 flower enc_dst_ip 2001:db8::9 enc_key_id 7 ip_proto 47 ct_state -trk ct_mark 9`,
        `${flower} ipv6 prio 9 flower ip_proto tcp dst_ip 2001:db8::/64 dst_port 443/0xff00`,
        `${flower} mpls_uc prio 10 flower mpls lse depth 1 label 100 tc 3 bos 0 ttl 64 lse depth 2 label 200 bos 1`,
        `${flower} mpls_uc prio 11 flower mpls_label 55 mpls_tc 2 mpls_bos 1 mpls_ttl 9`,
        `${flower} ip prio 12 flower enc_key_id 5 geneve_opts 0102:80:00880022/ffff:ff:ffffffff,` +
          '0103:81:aabbccdd/ffff:ff:ffffffff',
        `${flower} ip prio 13 flower enc_key_id 6 vxlan_opts 1024/0xffff`,
        `${flower} ppp_ses prio 16 flower pppoe_sid 1234 ppp_proto ipv6`,
        `${flower} ppp_ses prio 17 flower pppoe_sid 99 ppp_proto lcp`,
        `${flower} ip prio 14 flower enc_key_id 7 erspan_opts 2:0:1:7/2:0:1:15`,
        `${flower} ip prio 15 flower enc_key_id 8 erspan_opts 1:123:0:0/1:0xffff:0:0`,
        'qdisc add dev d8 root handle 1: prio',
        'filter add dev d8 parent 1: protocol ip prio 1 route to 10 classid 1:1',
        'filter add dev d8 parent 1: protocol ip prio 2 route from 3 to 4 classid 1:2 action drop',
        'filter add dev d8 parent 1: protocol ip prio 3 route fromif d7 classid 1:3',
        'filter add dev d8 parent 1: protocol ip prio 5 route to 0 flowid 1:1',
      ],
      ['filter show dev d7 ingress', 'filter show dev d8'],
      new Set(['filter show dev d8']),
      ALL_FLAGS,
    );
  });

  it('the same objects made by nlroute (library and command line) read back by tc as tc-made ones', async () => {
    const devs = ['d0', 'd1', 'd2', 'd3', 'd4'];
    const flower = 'filter add dev d3 parent ffff: protocol';
    const byTc = [
      'qdisc add dev d0 root handle 1: cake bandwidth 100mbit diffserv4 triple-isolate nat wash ack-filter ' +
        'split-gso rtt 50ms overhead 18 mpu 64 atm memlimit 32mb fwmark 0xff ingress',
      'qdisc add dev d1 root handle 1: hfsc default 10',
      'class add dev d1 parent 1: classid 1:1 hfsc sc m1 2mbit d 10ms m2 1mbit ul m2 5mbit',
      'class add dev d1 parent 1:1 classid 1:20 hfsc rt umax 1500b dmax 5ms rate 1mbit ls rate 500kbit',
      'qdisc add dev d2 root handle 2: drr',
      'class add dev d2 parent 2: classid 2:1 drr quantum 3000',
      'qdisc add dev d3 ingress',
      `${flower} ip prio 1 flower dst_mac 02:00:00:00:00:01 src_mac 02:00:00:00:00:02/ff:ff:ff:00:00:00 ` +
        'ip_proto tcp src_ip 10.0.0.0/8 dst_ip 192.168.1.1 src_port 1000-2000 dst_port 80 tcp_flags 0x2/0x12 ' +
        'ip_tos 0x10/0xfc ip_ttl 64 skip_hw classid 1:10 action drop',
      `${flower} 802.1Q prio 2 flower vlan_id 100 vlan_prio 3 vlan_ethtype ip ip_proto udp src_port 1024/0xfc00`,
      `${flower} ip prio 3 flower ip_proto icmp type 8 code 0 ip_flags frag ct_state +trk+est-new ct_zone 5 ` +
        'ct_mark 7/0xff',
      `${flower} ip prio 4 flower enc_dst_ip 10.9.9.9 enc_src_ip 10.8.0.0/16 enc_key_id 42 enc_dst_port 4789`,
      'qdisc add dev d4 root handle 1: prio',
      'filter add dev d4 parent 1: protocol ip prio 1 route to 10 classid 1:1',
      'filter add dev d4 parent 1: protocol ip prio 2 route from 3 to 4 classid 1:2 action drop',
      'filter add dev d4 parent 1: protocol ip prio 3 route fromif d3 classid 1:3',
    ];
    const byUs = async (ipr: IPRoute, ix: Record<string, number>): Promise<void> => {
      await ipr.tc('add', 'cake', {
        index: ix.d0,
        handle: '1:',
        bandwidth: '100mbit',
        diffserv: 'diffserv4',
        flowmode: 'triple-isolate',
        nat: true,
        wash: true,
        ack_filter: 'ack-filter',
        split_gso: true,
        rtt: '50ms',
        overhead: 18,
        mpu: 64,
        atm: 'atm',
        memlimit: '32mb',
        fwmark: 0xff,
        ingress: true,
      });
      await ipr.tc('add', 'hfsc', { index: ix.d1, handle: '1:', default: 0x10 });
      const sc = { m1: '2mbit', d: '10ms', m2: '1mbit' };
      await ipr.tc('add-class', 'hfsc', { index: ix.d1, parent: '1:', handle: '1:1', sc, ul: '5mbit' });
      const rt = { umax: '1500b', dmax: '5ms', rate: '1mbit' };
      await ipr.tc('add-class', 'hfsc', { index: ix.d1, parent: '1:1', handle: '1:20', rt, ls: { rate: '500kbit' } });
      await ipr.tc('add', 'drr', { index: ix.d2, handle: '2:' });
      await ipr.tc('add-class', 'drr', { index: ix.d2, parent: '2:', handle: '2:1', quantum: 3000 });
      await ipr.tc('add', 'ingress', { index: ix.d3 });
      const f = (prio: number, protocol: string, spec: Record<string, unknown>): Promise<unknown> =>
        ipr.tc('add-filter', 'flower', { index: ix.d3, parent: 'ffff:', prio, protocol, ...spec });
      await f(1, 'ip', {
        dst_mac: '02:00:00:00:00:01',
        src_mac: '02:00:00:00:00:02/ff:ff:ff:00:00:00',
        ip_proto: 'tcp',
        src_ip: '10.0.0.0/8',
        dst_ip: '192.168.1.1',
        src_port: '1000-2000',
        dst_port: 80,
        tcp_flags: '0x2/0x12',
        ip_tos: '0x10/0xfc',
        ip_ttl: 64,
        skip_hw: true,
        classid: '1:10',
        action: 'drop',
      });
      await f(2, '802.1Q', {
        vlan_id: 100,
        vlan_prio: 3,
        vlan_ethtype: 'ip',
        ip_proto: 'udp',
        src_port: '1024/0xfc00',
      });
      await f(3, 'ip', {
        ip_proto: 'icmp',
        icmp_type: 8,
        icmp_code: 0,
        ip_flags: 'frag',
        ct_state: '+trk+est-new',
        ct_zone: 5,
        ct_mark: '7/0xff',
      });
      await f(4, 'ip', { enc_dst_ip: '10.9.9.9', enc_src_ip: '10.8.0.0/16', enc_key_id: 42, enc_dst_port: 4789 });
      await ipr.tc('add', 'prio', { index: ix.d4, handle: '1:' });
      const r = (prio: number, spec: Record<string, unknown>): Promise<unknown> =>
        ipr.tc('add-filter', 'route', { index: ix.d4, parent: '1:', prio, protocol: 'ip', ...spec });
      await r(1, { to: 10, classid: '1:1' });
      await r(2, { from: 3, to: 4, classid: '1:2', action: 'drop' });
      await r(3, { fromif: ix.d3, classid: '1:3' });
    };
    const shows = [
      'qdisc show',
      'class show dev d1',
      'class show dev d2',
      'filter show dev d3 ingress',
      'filter show dev d4',
    ];
    // With -s: cake's tins show the target tc derives from rtt. Action ages tick between reads.
    const read = async (ns: TestNetns): Promise<string> =>
      (await ns.exec('tc', ['-s', '-d', '-batch', '-'], { input: `${shows.join('\n')}\n` }))
        .replace(/ 8\d{3}: /g, ' N: ')
        .replace(/ (installed|used|firstused) \d+ sec/g, ' $1 N sec');
    await withNetns(async (a) => {
      await withNetns(async (b) => {
        await withNetns(async (c) => {
          for (const ns of [a, b, c]) await ns.batch(devs.map((d) => `link add ${d} type dummy`));
          await a.exec('tc', ['-batch', '-'], { input: byTc.join('\n') + '\n' });
          await using ipr = new IPRoute({ netns: b.name });
          const ix: Record<string, number> = {};
          for (const d of devs) ix[d] = await ipr.ifindex(d);
          await byUs(ipr, ix);
          // tc's own lines through `nlroute tc`.
          await nlrouteTc(c.name, [], byTc);
          const want = await read(a);
          assert.equal(await read(b), want, 'made by the library');
          assert.equal(await read(c), want, 'made by nlroute tc');
        });
      });
    });
  });
});
