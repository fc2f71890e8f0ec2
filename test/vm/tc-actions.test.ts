// tc actions pedit, csum, nat, ct, tunnel_key and skbedit (VM kernel modules): `nlroute tc ... show`
// prints what tc 6.1 prints, and what nlroute's API adds reads back in tc as the same tc line's result.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IPRoute } from '../../src/rtnl/index.js';
import { withNetns } from '../helpers/netns.js';

import { sameShows, stableJson, vmOnly } from './vm.js';

const matchall = (prio: number, rest: string, proto = 'ip'): string =>
  `filter add dev d0 parent ffff: protocol ${proto} prio ${prio} matchall action ${rest}`;

/** Actions as tc lines: extended and classic pedit, csum, nat, ct, tunnel_key, skbedit. */
const ACTIONS = [
  'pedit ex munge ip src set 10.0.0.1 munge ip dst set 10.0.0.2 pipe',
  'pedit ex munge ip ttl add 255 munge ip tos set 0x10 munge ip dsfield set 0x20 retain 0xfc',
  'pedit ex munge tcp sport set 80 munge tcp dport set 443 munge udp sport set 53 munge udp dport add 1 ' +
    'munge tcp flags set 0x10',
  'pedit ex munge eth dst set 02:00:00:00:00:01 munge eth src set 02:00:00:00:00:02 munge eth type set 0x0800 continue',
  'pedit ex munge offset 16 u32 set 0x01020304 munge ip protocol set 17 munge ip ihl set 5',
  'pedit munge offset 12 u32 set 0x0a000001 munge offset 20 u16 set 0x1234 munge offset 9 u8 set 7 drop',
  'pedit munge ip src set 10.0.0.9 munge ip ttl set 1 munge offset -14 u16 set 0x0800',
  'csum ip4h tcp udp',
  'csum iph and icmp and igmp and udplite and sctp pipe',
  'csum tcp index 33',
  'nat ingress 10.0.0.0/8 192.168.1.0',
  'nat egress 192.168.1.1 10.0.0.1 pipe',
  'nat egress 128.0.0.0/1 10.1.1.1 continue',
  'ct',
  'ct commit zone 5 mark 0x10/0xff label 1122334455667788/ffffffffffffffff',
  'ct clear',
  'ct commit nat src addr 10.0.0.1-10.0.0.10 port 1000-2000',
  'ct commit force zone 3 mark 7 continue',
  'ct nat pipe',
  'ct commit label 11223344556677889900aabbccddeeff',
  'tunnel_key set src_ip 10.0.0.1 dst_ip 10.0.0.2 id 42 dst_port 4789 tos 0x10 ttl 64 nocsum',
  'tunnel_key set src_ip 2001:db8::1 dst_ip 2001:db8::2 id 7 csum geneve_opts 0102:80:00880022,0103:81:12345678',
  'tunnel_key unset',
  'tunnel_key set src_ip 10.0.0.1 dst_ip 10.0.0.2 id 1 vxlan_opts 257 continue',
  'tunnel_key set src_ip 10.0.0.1 dst_ip 10.0.0.2 id 3 erspan_opts 2:0:1:3',
  'tunnel_key set src_ip 10.0.0.1 dst_ip 10.0.0.2 id 4 erspan_opts 1:12:0:0',
  'skbedit inheritdsfield',
  'skbedit priority 1:2 inheritdsfield pipe',
  'pedit ex munge ip src set 10.0.0.1 action csum ip4h action ct commit zone 1 action tunnel_key unset',
];
const V6_ACTIONS = [
  'pedit ex munge ip6 src set 2001:db8::1 munge ip6 dst set 2001:db8::2 munge ip6 hoplimit set 10 ' +
    'munge ip6 traffic_class set 0x8 munge ip6 flow_lbl set 0x12345',
  'ct commit nat dst addr 2001:db8::1 port 80',
  'ct commit nat dst addr 2001:db8::1-2001:db8::5 pipe',
];

/** The same actions through nlroute's API, each beside the tc line that makes it. */
const API_ACTIONS: [string, Record<string, unknown>][] = [
  [
    'pedit ex munge ip src set 10.0.0.1 munge ip ttl add 255 pipe',
    {
      kind: 'pedit',
      action: 'pipe',
      keys: [
        { htype: 'ipv4', off: 12, val: 0x0a000001 },
        { htype: 'ipv4', off: 8, val: 0xff000000, mask: 0x00ffffff, cmd: 'add' },
      ],
    },
  ],
  [
    'pedit munge offset 16 u32 set 0x01020304 drop',
    { kind: 'pedit', action: 'drop', keys: [{ off: 16, val: 0x01020304 }] },
  ],
  ['csum iph and tcp', { kind: 'csum', update: ['iph', 'tcp'] }],
  ['nat egress 10.0.0.0/8 192.168.0.1', { kind: 'nat', direction: 'egress', old: '10.0.0.0/8', new: '192.168.0.1' }],
  [
    'ct commit zone 5 mark 0x10/0xff label 1122/ffff nat src addr 10.0.0.1-10.0.0.10 port 1000-2000',
    {
      kind: 'ct',
      commit: true,
      zone: 5,
      mark: 0x10,
      mark_mask: 0xff,
      label: '1122',
      label_mask: 'ffff',
      nat: 'src',
      nat_min: '10.0.0.1',
      nat_max: '10.0.0.10',
      nat_port_min: 1000,
      nat_port_max: 2000,
    },
  ],
  ['ct clear', { kind: 'ct', clear: true }],
  ['ct nat pipe', { kind: 'ct', nat: true }],
  [
    'tunnel_key set src_ip 10.0.0.1 dst_ip 10.0.0.2 id 42 dst_port 4789 tos 0x10 ttl 64 nocsum',
    {
      kind: 'tunnel_key',
      op: 'set',
      src_ip: '10.0.0.1',
      dst_ip: '10.0.0.2',
      id: 42,
      dst_port: 4789,
      tos: 16,
      ttl: 64,
      csum: false,
    },
  ],
  [
    'tunnel_key set src_ip 2001:db8::1 dst_ip 2001:db8::2 id 7 geneve_opts 0102:80:00880022,0103:81:12345678',
    {
      kind: 'tunnel_key',
      op: 'set',
      src_ip: '2001:db8::1',
      dst_ip: '2001:db8::2',
      id: 7,
      geneve_opts: ['0102:80:00880022', '0103:81:12345678'],
    },
  ],
  ['tunnel_key unset', { kind: 'tunnel_key', op: 'unset' }],
  ['skbedit priority 1:2 inheritdsfield pipe', { kind: 'skbedit', priority: '1:2', inheritdsfield: true }],
];

// Action indexes count per kind and namespace: they differ between the two devices.
const noIndex = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(noIndex)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.entries(v).flatMap(([k, x]) => (k === 'index' || k === 'dev' ? [] : [[k, noIndex(x)]])),
        )
      : v;

describe('tc actions as tc 6.1 shows them (VM)', vmOnly, () => {
  it('pedit, csum, nat, ct, tunnel_key, skbedit made by tc: JSON and text, with and without -s', async () => {
    const setup = [
      'qdisc add dev d0 ingress',
      ...ACTIONS.map((a, i) => matchall(i + 1, a)),
      ...V6_ACTIONS.map((a, i) => matchall(100 + i, a, 'ipv6')),
    ];
    await sameShows(['d0'], setup, ['filter show dev d0 ingress']);
  });

  it('the same actions made by nlroute read back in tc as made by tc', async () => {
    await withNetns(async (ns) => {
      await ns.batch(['link add d0 type dummy', 'link add d1 type dummy']);
      const lines = ['qdisc add dev d0 ingress', ...API_ACTIONS.map(([line], i) => matchall(i + 1, line))];
      await ns.exec('tc', ['-batch', '-'], { input: lines.join('\n') + '\n' });
      await using ipr = new IPRoute({ netns: ns.name });
      const d1 = await ipr.ifindex('d1');
      await ipr.tc('add', 'ingress', { index: d1 });
      for (const [i, [line, spec]] of API_ACTIONS.entries()) {
        await ipr
          .tc('add-filter', 'matchall', { index: d1, parent: 'ffff:', prio: i + 1, protocol: 'ip', action: spec })
          .catch((e: Error) => {
            throw new Error(`${line}: ${e.message}`);
          });
      }
      const read = async (d: string): Promise<unknown> =>
        noIndex(stableJson(JSON.parse(await ns.exec('tc', ['-j', 'filter', 'show', 'dev', d, 'ingress']))));
      // nlroute's show of these is the first test's: the kernel holds the same actions.
      assert.deepEqual(await read('d1'), await read('d0'));
    });
  });
});
