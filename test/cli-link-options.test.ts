// `nlroute link add` options of vxlan, macvlan and bridge give the links ip makes of the same line.
import { describe, it } from 'node:test';
import { sameLinks } from './helpers/samelink.js';

describe('nlroute link add kind options as ip takes them', () => {
  it('vxlan gbp, srcport, external, ttl inherit; macvlan nopromisc, bcqueuelen; bridge vlan_protocol', async () => {
    await sameLinks([
      'link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02',
      'link add vx0 address 02:00:00:00:01:00 type vxlan id 10 dstport 4789 gbp srcport 1000 2000',
      'link add vx1 address 02:00:00:00:01:01 type vxlan external dstport 4790',
      'link add vx2 address 02:00:00:00:01:02 type vxlan id 12 dstport 4791 ttl inherit local 10.0.0.1',
      'link add link v0 name mv0 address 02:00:00:00:02:00 type macvlan mode passthru nopromisc',
      'link add link v1 name mv1 address 02:00:00:00:02:01 type macvlan mode bridge bcqueuelen 2000',
      'link add br0 address 02:00:00:00:03:00 type bridge vlan_protocol 802.1ad',
    ]);
  });
});
