// `nlroute link add` options of gre, gretap, ipip, sit (ttl inherit, tos, pmtudisc) and bridge
// vlan_protocol, VM kernel kinds: the links ip makes of the same lines.
import { describe, it } from 'node:test';
import { sameLinks } from '../helpers/samelink.js';
import { vmOnly } from './vm.js';

describe('nlroute link add tunnel options as ip takes them (VM)', vmOnly, () => {
  it('gre, gretap, ipip, sit with ttl inherit, tos, pmtudisc; bridge vlan_protocol with vlan filtering', async () => {
    await sameLinks([
      'link add gre1 type gre remote 10.0.0.2 local 10.0.0.1 ttl inherit',
      'link add gre2 type gre remote 10.0.0.3 local 10.0.0.1 ttl 64 tos 10 pmtudisc',
      'link add gt1 address 02:00:00:00:04:00 type gretap remote 10.0.0.4 local 10.0.0.1 ttl inherit nopmtudisc',
      'link add ipip1 type ipip remote 10.0.0.5 local 10.0.0.1 ttl inherit',
      'link add ipip2 type ipip remote 10.0.0.6 local 10.0.0.1 ttl 32 tos inherit',
      'link add sit1 type sit remote 10.0.0.7 local 10.0.0.1 hoplimit inherit tos 0x20',
      'link add br1 address 02:00:00:00:03:01 type bridge vlan_filtering 1 vlan_protocol 802.1ad',
      'link add vx1 address 02:00:00:00:01:01 type vxlan external dstport 4790 gbp',
    ]);
  });
});
