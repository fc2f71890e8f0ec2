// `nlroute tc qdisc|class|filter show` against tc 6.1 for cake, hfsc, drr, flower and route:
// JSON and text, plain, with -s, -d and both. tc writes hfsc's and drr's options, classes and
// route filters as text even under -j (its JSON is then invalid), so those compare as text.
import { describe, it } from 'node:test';
import { sameShows, vmOnly } from './vm.js';

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
        `${flower} ipv6 prio 9 flower ip_proto tcp dst_ip 2001:db8::/ffff:0:ffff:: dst_port 443/0xff00`,
        'qdisc add dev d8 root handle 1: prio',
        'filter add dev d8 parent 1: protocol ip prio 1 route to 10 classid 1:1',
        'filter add dev d8 parent 1: protocol ip prio 2 route from 3 to 4 classid 1:2 action drop',
        'filter add dev d8 parent 1: protocol ip prio 3 route fromif d7 classid 1:3',
        'filter add dev d8 parent 1: protocol ip prio 4 route to 0 from 0 flowid 1:1',
        'filter add dev d8 parent 1: protocol ip prio 5 route to 0 flowid 1:1',
      ],
      ['filter show dev d7 ingress', 'filter show dev d8'],
      new Set(['filter show dev d8']),
      ALL_FLAGS,
    );
  });
});
