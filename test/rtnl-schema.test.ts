// rtnl message classes: strict decoding of real dumps, grown structs, round trips of the
// custom types (multipath, veth peer, via, encaps), the kind registry and the marshal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AttrSet,
  NETLINK_ROUTE,
  NLM_F_DUMP,
  NetlinkSocket,
  attrMap,
  messageClass,
  nested,
  protocolMarshal,
  u32,
  vocab,
  type AnyMessage,
} from '../src/core/index.js';
import {
  HeaderedAttrSet,
  IPRoute,
  RTM,
  addrRequest,
  ifaddrmsg,
  ifinfmsg,
  linkKinds,
  linkRequest,
  registerLinkKind,
  routeRequest,
  rtmsg,
  rtnlMarshal,
  type LinkSpec,
} from '../src/rtnl/index.js';
import { withNetns } from './helpers/netns.js';

/** Every attribute name in a message, recursively; numbers are ids the schema does not know. */
function unknownAttrs(set: AttrSet, path: string, out: string[]): void {
  for (const e of set.entries(true)) {
    if (typeof e.name === 'number') out.push(`${path}/${e.name}`);
    if (e.value instanceof AttrSet) unknownAttrs(e.value, `${path}/${e.name}`, out);
    if (Array.isArray(e.value))
      for (const x of e.value) if (x?.attrs instanceof AttrSet) unknownAttrs(x.attrs, `${path}/${e.name}[]`, out);
  }
}

test('a real link/address/route dump decodes strictly, every attribute known', async () => {
  await withNetns(async (ns) => {
    await ns.batch([
      'link add v0 type veth peer name v1',
      'link add br0 type bridge stp_state 1',
      'link set v0 master br0',
      'link add vx0 type vxlan id 5 dstport 4789 local 10.0.0.1',
      'link add ifb0 type ifb',
      'link add mv0 link v1 type macvlan mode bridge',
      'link add mvt0 link v1 type macvtap mode vepa',
      'tuntap add mode tap name tp0',
      'link set lo up',
      'link set v1 up',
      'link set br0 up',
      'addr add 10.1.1.1/24 dev v1',
      'addr add 2001:db8::1/64 dev v1 nodad',
      'route add 10.2.0.0/16 via 10.1.1.254 table 1000',
      'route add 10.3.0.0/16 nexthop via 10.1.1.253 weight 2 nexthop via 10.1.1.254',
    ]);
    const sock = new NetlinkSocket({ protocol: NETLINK_ROUTE, marshal: rtnlMarshal(), netns: ns.name });
    try {
      const all: AnyMessage[] = [];
      for (const family of [0, 7, 10]) {
        all.push(
          ...(await sock.request(ifinfmsg, {
            type: RTM.RTM_GETLINK,
            flags: NLM_F_DUMP,
            fields: { family },
            attrs: [['IFLA_EXT_MASK', 0xff]],
          })),
        );
      }
      all.push(...(await sock.request(ifaddrmsg, { type: RTM.RTM_GETADDR, flags: NLM_F_DUMP })));
      all.push(...(await sock.request(rtmsg, { type: RTM.RTM_GETROUTE, flags: NLM_F_DUMP })));
      assert.ok(all.length > 30);
      const unknown: string[] = [];
      for (const m of all) {
        m.validate();
        unknownAttrs(m, m.schema.name, unknown);
        JSON.stringify(m.toJSON());
      }
      assert.deepEqual(unknown, []);
      const links = all.filter((m) => m.schema === ifinfmsg && m.family === 0);
      const lo = links.find((l) => l.getAttr('IFLA_IFNAME') === 'lo')!;
      const j = lo.toJSON();
      assert.equal(j.fields.ifi_type, 'ARPHRD_LOOPBACK');
      assert.ok((j.fields.flags as string[]).includes('IFF_LOOPBACK'));
      // IFLA_STATS64 is 200 bytes on this kernel: rx_otherhost_dropped decoded, no tail.
      const st = lo.getAttr('IFLA_STATS64')!;
      assert.equal(typeof st.rx_otherhost_dropped, 'bigint');
      assert.equal(st._tail, undefined);
      const vx = links.find((l) => l.getAttr('IFLA_IFNAME') === 'vx0')!;
      const data = vx.getAttr('IFLA_LINKINFO')!.getAttr('IFLA_INFO_DATA') as AttrSet<any>;
      assert.equal(data.getAttr('IFLA_VXLAN_ID'), 5);
      assert.equal(data.getAttr('IFLA_VXLAN_PORT'), 4789);
      assert.equal(data.getAttr('IFLA_VXLAN_LOCAL'), '10.0.0.1');
      const v0 = links.find((l) => l.getAttr('IFLA_IFNAME') === 'v0')!;
      const port = v0.getAttr('IFLA_LINKINFO')!;
      assert.equal(port.getAttr('IFLA_INFO_SLAVE_KIND'), 'bridge');
      assert.equal((port.getAttr('IFLA_INFO_SLAVE_DATA') as AttrSet<any>).getAttr('IFLA_BRPORT_COST'), 2);
      const mp = all.find((m) => m.schema === rtmsg && m.getAttr('RTA_DST') === '10.3.0.0')!;
      const hops = mp.getAttr('RTA_MULTIPATH') as { hops: number; attrs: AttrSet<any> }[];
      assert.deepEqual(
        hops.map((h) => [h.hops + 1, h.attrs.getAttr('RTA_GATEWAY')]),
        [
          [2, '10.1.1.253'],
          [1, '10.1.1.254'],
        ],
      );
      const t1000 = all.find((m) => m.schema === rtmsg && m.getAttr('RTA_DST') === '10.2.0.0')!;
      assert.equal(t1000.getAttr('RTA_TABLE'), 1000);
    } finally {
      sock.close();
    }
  });
});

test('IFLA_STATS64 longer than known keeps its tail; shorter (older kernels) decodes what is there', () => {
  const known = 25 * 8;
  for (const size of [192, known, known + 16]) {
    const raw = Buffer.alloc(size);
    for (let i = 0; i < size / 8; i++) raw.writeBigUInt64LE(BigInt(i + 1), i * 8);
    const buf = ifinfmsg.encode({
      type: RTM.RTM_NEWLINK,
      attrs: [
        ['IFLA_IFNAME', 'x'],
        [23, raw],
      ],
    });
    const m = ifinfmsg.decode(buf);
    m.validate();
    const st = m.getAttr('IFLA_STATS64')!;
    assert.equal(st.rx_packets, 1n);
    assert.equal(st.rx_nohandler, 24n);
    if (size === 192) assert.equal(st.rx_otherhost_dropped, undefined);
    else assert.equal(st.rx_otherhost_dropped, 25n);
    if (size > known) {
      assert.equal(st._tail!.length, 16);
      assert.equal(st._tail!.readBigUInt64LE(0), 26n);
      assert.ok(JSON.stringify(m.toJSON()).includes('_tail'));
    } else assert.equal(st._tail, undefined);
  }
  // Under the minimum is an error, reported in place by lenient decoding.
  const short = ifinfmsg.decode(ifinfmsg.encode({ type: RTM.RTM_NEWLINK, attrs: [[23, Buffer.alloc(100)]] }));
  assert.throws(() => short.validate(), /needs 192 bytes/);
});

test('custom types round-trip: veth peer, multipath, via, MPLS and seg6 encaps, metrics, alt names', () => {
  const link = linkRequest('add', {
    ifname: 'a',
    kind: 'veth',
    peer: { ifname: 'b', mtu: 1300, address: '02:00:00:00:00:02' },
  });
  const m = ifinfmsg.decode(link.schema.encode(link.spec));
  m.validate();
  const peer = (m.getAttr('IFLA_LINKINFO')!.getAttr('IFLA_INFO_DATA') as AttrSet<any>).getAttr(
    'VETH_INFO_PEER',
  ) as HeaderedAttrSet;
  assert.ok(peer instanceof HeaderedAttrSet);
  assert.equal(peer.getAttr('IFLA_IFNAME'), 'b');
  assert.equal(peer.getAttr('IFLA_MTU'), 1300);
  assert.equal(peer.fields.index, 0);

  const r = routeRequest('add', {
    dst: '10.0.0.0/8',
    metrics: { mtu: 1400, ccAlgo: 'cubic', lock: ['mtu'] },
    multipath: [
      { gateway: '192.0.2.1', oif: 2, weight: 3, encap: { type: 'mpls', labels: [100, 200] } },
      { via: 'fe80::1', oif: 3, flags: ['onlink'] },
    ],
  });
  const rm = rtmsg.decode(r.schema.encode(r.spec));
  rm.validate();
  const [a, b] = rm.getAttr('RTA_MULTIPATH')!;
  assert.equal(a.hops, 2);
  assert.equal(a.ifindex, 2);
  assert.equal(a.attrs.getAttr('RTA_GATEWAY'), '192.0.2.1');
  assert.equal((a.attrs.getAttr('RTA_ENCAP') as AttrSet<any>).getAttr('MPLS_IPTUNNEL_DST'), '100/200');
  assert.deepEqual(b.attrs.getAttr('RTA_VIA'), { family: 10, addr: 'fe80::1' });
  assert.equal(b.flags, 4);
  const metrics = rm.getAttr('RTA_METRICS')!;
  assert.equal(metrics.getAttr('RTAX_MTU'), 1400);
  assert.equal(metrics.getAttr('RTAX_CC_ALGO'), 'cubic');
  assert.equal(metrics.getAttr('RTAX_LOCK'), 1 << 2);

  const s = routeRequest('add', {
    dst: '2001:db8::/32',
    oif: 1,
    encap: { type: 'seg6', mode: 'inline', segs: ['fc00::1', 'fc00::2', 'fc00::3'] },
  });
  const sm = rtmsg.decode(s.schema.encode(s.spec));
  sm.validate();
  const srh = (sm.getAttr('RTA_ENCAP') as AttrSet<any>).getAttr('SEG6_IPTUNNEL_SRH') as {
    mode: number;
    segments: string[];
    firstSegment: number;
  };
  assert.equal(srh.mode, 0);
  assert.equal(srh.firstSegment, 2);
  assert.deepEqual(srh.segments, ['fc00::3', 'fc00::2', 'fc00::1']);

  const p = linkRequest('property_add', { index: 5, altname: ['alt-one', 'alt-two'] });
  const pm = ifinfmsg.decode(p.schema.encode(p.spec));
  assert.equal(pm.type, RTM.RTM_NEWLINKPROP);
  assert.deepEqual(pm.getAttr('IFLA_PROP_LIST')!.getAttrs('IFLA_ALT_IFNAME'), ['alt-one', 'alt-two']);
});

test('address specs: pyroute2 local + address means local and peer', () => {
  const a = addrRequest('add', { index: 2, local: '10.0.0.1', address: '10.0.0.2', prefixlen: 32 });
  const m = ifaddrmsg.decode(a.schema.encode(a.spec));
  assert.equal(m.getAttr('IFA_LOCAL'), '10.0.0.1');
  assert.equal(m.getAttr('IFA_ADDRESS'), '10.0.0.2');
  const b = addrRequest('add', { index: 2, address: '10.0.0.1/8' });
  const n = ifaddrmsg.decode(b.schema.encode(b.spec));
  assert.equal(n.getAttr('IFA_LOCAL'), '10.0.0.1');
  assert.equal(n.getAttr('IFA_ADDRESS'), '10.0.0.1');
  assert.equal(n.field('prefixlen'), 8);
});

test('classes and the marshal are registered; a kind added at run time is decoded', () => {
  assert.equal(messageClass('rtnl.ifinfmsg'), ifinfmsg);
  assert.equal(messageClass('rtnl.ifaddrmsg'), ifaddrmsg);
  assert.equal(messageClass('rtnl.rtmsg'), rtmsg);
  const reg = protocolMarshal(NETLINK_ROUTE)!;
  assert.equal(reg.name, 'NETLINK_ROUTE');
  const buf = rtmsg.encode({ type: RTM.RTM_NEWROUTE, fields: { family: 2 }, attrs: [['RTA_DST', '10.0.0.0']] });
  assert.equal(reg.marshal().parse(buf)[0].schema, rtmsg);

  const fooAttrs = attrMap('ifla_foo', { IFLA_FOO_ANSWER: [1, u32] });
  const fooVocab = vocab('foo options', fooAttrs, undefined, { attrs: { fooAnswer: 'IFLA_FOO_ANSWER' } });
  registerLinkKind({ kind: 'foo', data: nested(fooAttrs), dataMap: fooAttrs, vocab: fooVocab });
  try {
    // A kind registered at run time is not in the LinkSpec union (module augmentation of KindVocabs adds it).
    const req = linkRequest('add', { ifname: 'f0', kind: 'foo', fooAnswer: 42 } as unknown as LinkSpec);
    const m = ifinfmsg.decode(req.schema.encode(req.spec));
    assert.equal(
      (m.getAttr('IFLA_LINKINFO')!.getAttr('IFLA_INFO_DATA') as AttrSet<any>).getAttr('IFLA_FOO_ANSWER'),
      42,
    );
    assert.throws(
      () => linkRequest('add', { ifname: 'f0', kind: 'foo', fooQuestion: 1 } as unknown as LinkSpec),
      /unknown key "fooQuestion"; allowed: fooAnswer, /,
    );
  } finally {
    linkKinds.delete('foo');
  }
});

test('IPRoute answers from a replayed socket (no kernel): decoding needs no native addon', async () => {
  // A recorded RTM_NEWLINK for lo followed by NLMSG_DONE, as the kernel sends them.
  const lo = ifinfmsg.encode({
    type: RTM.RTM_NEWLINK,
    flags: 2,
    seq: 1,
    fields: { family: 0, ifi_type: 772, index: 1, flags: 0x49 },
    attrs: [
      ['IFLA_IFNAME', 'lo'],
      ['IFLA_MTU', 65536],
    ],
  });
  const done = Buffer.alloc(20);
  done.writeUInt32LE(20, 0);
  done.writeUInt16LE(3, 4);
  done.writeUInt16LE(2, 6);
  done.writeUInt32LE(1, 8);
  const { ReplayTransport } = await import('../src/core/index.js');
  const sock = new NetlinkSocket({
    transport: new ReplayTransport([[Buffer.concat([lo, done])]]),
    marshal: rtnlMarshal(),
  });
  const ipr = new IPRoute({ socket: sock });
  const links = await ipr.getLinks({ mtu: 65536 });
  assert.equal(links.length, 1);
  assert.equal(links[0].getAttr('IFLA_IFNAME'), 'lo');
  ipr.close();
});
