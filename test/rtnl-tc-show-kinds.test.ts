// Offline checks of how cake, hfsc, drr, flower and route options print (kinds this host's kernel
// lacks): requests built by nlroute, decoded, shown. The expected lines are what tc 6.1 prints for
// the same options in the test VM (test/vm/tc-show.test.ts compares the two tools there).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AttrSet } from '../src/core/index.js';
import { tcRequest } from '../src/rtnl/tc.js';
import { flowerEncOptsMap, showEncOpts } from '../src/rtnl/tc/flower-enc-opts.js';
import { realmText } from '../src/rtnl/tc/route.js';
import { tcKinds, type TcTarget } from '../src/rtnl/tc/index.js';
import { TcShow } from '../src/rtnl/tc/show.js';
import { tcmsg } from '../src/rtnl/tcmsg.js';

type Cmd = Parameters<typeof tcRequest>[0];

/** The options of a request nlroute would send, as `tc show` would print them. */
function shown(cmd: Cmd, kind: string, spec: Record<string, unknown>, target: TcTarget, handle = 0) {
  const m = tcmsg.decode(tcRequest(cmd, kind, { index: 2, ...spec } as never));
  const p = new TcShow({ names: new Map([[3, 'eth3']]) });
  tcKinds[kind].show!(p, m.getAttr('TCA_OPTIONS'), target, handle);
  return { json: p.root, text: p.textOut };
}

describe('tc show of VM-only kinds', () => {
  it('cake: every switch, on and off, in tc order', () => {
    const on = shown(
      'add',
      'cake',
      {
        bandwidth: '100mbit',
        diffserv: 'diffserv4',
        flowmode: 'triple-isolate',
        nat: true,
        wash: true,
        ingress: true,
        ack_filter: 'ack-filter',
        split_gso: true,
        rtt: '50ms',
        overhead: 18,
        mpu: 64,
        atm: 'atm',
        memlimit: '32mb',
        fwmark: 0xff,
      },
      'qdisc',
    );
    assert.equal(
      on.text,
      'bandwidth 100Mbit diffserv4 triple-isolate nat wash ingress ack-filter split-gso rtt 50ms atm ' +
        'overhead 18 mpu 64 memlimit 32Mb fwmark 0xff ',
    );
    assert.deepEqual(on.json, {
      bandwidth: 12500000,
      diffserv: 'diffserv4',
      flowmode: 'triple-isolate',
      nat: true,
      wash: true,
      ingress: true,
      'ack-filter': 'enabled',
      split_gso: true,
      rtt: 50000,
      raw: false,
      atm: 'atm',
      overhead: 18,
      mpu: 64,
      memlimit: 33554432,
      fwmark: '0xff',
    });
    const off = shown(
      'add',
      'cake',
      { unlimited: true, diffserv: 'besteffort', nat: false, ack_filter: 'ack-filter-aggressive', overhead: -10 },
      'qdisc',
    );
    assert.equal(
      off.text,
      'bandwidth unlimited besteffort nonat nowash ack-filter-aggressive no-split-gso noatm overhead -10 ',
    );
    assert.equal(off.json.fwmark, '0');
    assert.equal(off.json.rtt, 0);
  });

  it('hfsc: curves as sc when rt equals ls; umax/dmax/rate made into m1 d m2 as tc does', () => {
    const sc = shown(
      'add-class',
      'hfsc',
      { parent: '1:', sc: { m1: '2mbit', d: '10ms', m2: '1mbit' }, ul: '5mbit' },
      'class',
    );
    assert.equal(sc.text, 'sc m1 2Mbit d 10ms m2 1Mbit ul m1 0bit d 0us m2 5Mbit ');
    assert.deepEqual(sc.json, {}, 'tc 6.1 prints hfsc as text only');
    const conv = shown(
      'add-class',
      'hfsc',
      { parent: '1:', rt: { umax: '1500b', dmax: '5ms', rate: '1mbit' }, ls: { rate: '500kbit' } },
      'class',
    );
    assert.equal(conv.text, 'rt m1 2400Kbit d 5ms m2 1Mbit ls m1 0bit d 0us m2 500Kbit ');
    // A convex curve: no first slope, the rate starts after dmax - umax/rate.
    const convex = shown(
      'add-class',
      'hfsc',
      { parent: '1:', rt: { umax: '100b', dmax: '10ms', rate: '1mbit' } },
      'class',
    );
    assert.equal(convex.text, 'rt m1 0bit d 9.2ms m2 1Mbit ');
    assert.throws(() => tcRequest('add-class', 'hfsc', { index: 2, rt: { umax: '1500b', rate: '1mbit' } }), /dmax/);
    assert.equal(shown('add', 'hfsc', { default: 0x10 }, 'qdisc').text, 'default 10 ');
  });

  it('drr: the quantum as a size, text only', () => {
    const c = shown('add-class', 'drr', { parent: '2:', quantum: 3000 }, 'class');
    assert.equal(c.text, 'quantum 3000b ');
    assert.deepEqual(c.json, {});
  });

  it('flower: keys one per line, masks only when partial, ports and ranges by ip_proto', () => {
    const f = shown(
      'add-filter',
      'flower',
      {
        protocol: 'ip',
        dst_mac: '02:00:00:00:00:01',
        src_mac: '02:00:00:00:00:02/ff:ff:ff:00:00:00',
        ip_proto: 'tcp',
        src_ip: '10.0.0.0/8',
        dst_ip: '192.168.1.1/32',
        src_port: '1000-2000',
        dst_port: '80/0xff00',
        tcp_flags: '0x2/0x12',
        ip_tos: '0x10/0xfc',
        classid: '1:10',
        skip_hw: true,
      },
      'filter',
      1,
    );
    assert.equal(
      f.text,
      'handle 0x1 classid 1:10 \n  dst_mac 02:00:00:00:00:01\n  src_mac 02:00:00:00:00:02/24\n  eth_type ipv4' +
        '\n  ip_proto tcp\n  ip_tos 16/0xfc\n  dst_ip 192.168.1.1\n  src_ip 10.0.0.0/8\n  dst_port 80/0xff00' +
        '\n  src_port 1000-2000\n  tcp_flags 0x2/12\n  skip_hw',
    );
    assert.deepEqual(f.json, {
      handle: 1,
      classid: '1:10',
      keys: {
        dst_mac: '02:00:00:00:00:01',
        src_mac: '02:00:00:00:00:02/24',
        eth_type: 'ipv4',
        ip_proto: 'tcp',
        ip_tos: 16,
        ip_tos_mask: 'fc',
        dst_ip: '192.168.1.1',
        src_ip: '10.0.0.0/8',
        dst_port: 80,
        dst_port_mask: 'ff00',
        src_port: { start: 1000, end: 2000 },
        tcp_flags: '0x2/12',
      },
      skip_hw: true,
    });
    const ct = shown(
      'add-filter',
      'flower',
      { protocol: 'ip', ip_proto: 'icmp', icmp_type: 8, ip_flags: 'frag', ct_state: '+trk+est-new', ct_mark: '7/0xff' },
      'filter',
    );
    assert.equal(
      ct.text,
      '\n  eth_type ipv4\n  ip_proto icmp\n  icmp_type 8\n  ip_flags frag\n  ct_state +trk-new+est\n  ct_mark 7/0xff',
    );
    assert.deepEqual(ct.json.keys, {
      eth_type: 'ipv4',
      ip_proto: 'icmp',
      icmp_type: '8',
      ip_flags: { frag: true },
      ct_state: '+trk-new+est',
      ct_mark: 7,
      ct_mark_mask: 'ff',
    });
  });

  it('flower: a mask that is not a prefix prints whole', () => {
    const f = shown('add-filter', 'flower', { protocol: 'ip', dst_ip: '10.0.0.0/255.0.255.0' }, 'filter');
    assert.equal(f.text, '\n  eth_type ipv4\n  dst_ip 10.0.0.0/255.0.255.0');
  });

  it('flower: geneve options, one CLASS TYPE DATA run per option, key/mask pairs', () => {
    const attr = (type: number, data: Buffer): Buffer => {
      const h = Buffer.alloc(4);
      h.writeUInt16LE(4 + data.length);
      h.writeUInt16LE(type, 2);
      return Buffer.concat([h, data, Buffer.alloc((4 - (data.length % 4)) % 4)]);
    };
    const geneve = (opts: [number, number, string][]): AttrSet<typeof flowerEncOptsMap.decl> => {
      const body = Buffer.concat(
        opts.flatMap(([c, t, d]) => [
          attr(1, Buffer.from([c >> 8, c & 0xff])),
          attr(2, Buffer.from([t])),
          attr(3, Buffer.from(d, 'hex')),
        ]),
      );
      const nest = attr(1 | 0x8000, body);
      return new AttrSet(nest, 0, nest.length, flowerEncOptsMap, null);
    };
    const p = new TcShow();
    showEncOpts(
      p,
      geneve([
        [0x102, 0x80, '00880022'],
        [0x103, 0x81, 'aabbccdd'],
      ]),
      geneve([
        [0xffff, 0xff, 'ffffffff'],
        [0xffff, 0xff, 'ffffffff'],
      ]),
    );
    assert.equal(p.textOut, '\n  geneve_opts 0102:80:00880022/ffff:ff:ffffffff,0103:81:aabbccdd/ffff:ff:ffffffff');
    assert.deepEqual(p.root.geneve_opt_key, [
      { class: 0x102, type: 0x80, data: [0, 0x88, 0, 0x22] },
      { class: 0x103, type: 0x81, data: [0xaa, 0xbb, 0xcc, 0xdd] },
    ]);
  });

  it('route: handle, realms by name, input interface, as text', () => {
    const r = shown('add-filter', 'route', { to: 10, from: 3, classid: '1:2' }, 'filter', 0x3000a);
    assert.equal(r.text, 'fh 0x0003000a flowid 1:2 to 10 from 3 ');
    assert.deepEqual(r.json, {});
    const i = shown('add-filter', 'route', { fromif: 3, classid: '1:3' }, 'filter', 0x80038000);
    assert.equal(i.text, 'fh 0x80038000 flowid 1:3 fromif eth3');
    assert.equal(realmText(300), '300');
  });
});
