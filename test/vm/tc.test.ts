// Traffic control this host's kernel lacks, live in the test VM: qdiscs, filters, actions,
// chains, shared blocks and standalone actions, cross-checked with `tc -j` both ways.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttrSet } from '../../src/core/index.js';
import { IPRoute, estimator, tckinds, type TcMessage } from '../../src/rtnl/index.js';
import { withNetns, type TestNetns } from '../helpers/netns.js';
import { sameShows, vmOnly } from './vm.js';

async function tcj(ns: TestNetns, args: string): Promise<any[]> {
  const out = await ns.exec('tc', ['-j', ...args.split(' ')]);
  try {
    return JSON.parse(out || '[]');
  } catch (e) {
    const at = Number(/position (\d+)/.exec(String(e))?.[1] ?? 0);
    throw new Error(`tc -j ${args}: bad JSON near ${JSON.stringify(out.slice(Math.max(0, at - 150), at + 50))}`);
  }
}
const tc = (ns: TestNetns, args: string): Promise<string> => ns.exec('tc', args.split(' '));
const opts = (m: TcMessage): AttrSet<any> => m.getAttr('TCA_OPTIONS') as AttrSet<any>;
const acts = (o: AttrSet<any>, attr: string): AttrSet<any>[] => o.getAttr(attr) as AttrSet<any>[];
const actOpts = (a: AttrSet<any>): AttrSet<any> => a.getAttr('TCA_ACT_OPTIONS') as AttrSet<any>;

async function dev(ipr: IPRoute, name: string): Promise<number> {
  await ipr.link('add', { ifname: name, kind: 'dummy' });
  await ipr.link('set', { ifname: name, state: 'up' });
  return ipr.ifindex(name);
}
async function rootQdisc(ns: TestNetns, d: string): Promise<any> {
  return (await tcj(ns, `-s qdisc show dev ${d}`)).find((q) => q.root);
}

describe('tc (VM)', vmOnly, () => {
  it('qdiscs netem, fq, sfq, prio, cake, red made by nlroute, read by tc', async () => {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      const d0 = await dev(ipr, 'd0');
      const put = async (kind: string, spec: Record<string, unknown>): Promise<any> => {
        await ipr.tc('add', kind, { index: d0, handle: '1:', ...spec });
        const q = await rootQdisc(ns, 'd0');
        assert.equal(q.kind, kind);
        await ipr.tc('del', kind, { index: d0, handle: '1:' });
        return q.options;
      };
      const ne = await put('netem', {
        delay: '100ms',
        jitter: '10ms',
        delay_corr: '25%',
        loss: '1%',
        corrupt: '0.1%',
        reorder: '25%',
        reorder_corr: '50%',
        rate: '1mbit',
        slot: { min: '800us', max: '1ms', packets: 32 },
        limit: 500,
      });
      assert.equal(ne.limit, 500);
      assert.deepEqual(ne.delay, { delay: 0.1, jitter: 0.01, correlation: 0.25 });
      assert.equal(ne['loss-random'].loss, 0.01);
      assert.deepEqual(ne.reorder, { reorder: 0.25, correlation: 0.5 });
      assert.equal(ne.corrupt.corrupt, 0.001);
      assert.equal(ne.rate.rate, 125000);
      assert.deepEqual([ne.slot['min-delay'], ne.slot['max-delay'], ne.slot.packets], [0.0008, 0.001, 32]);
      const fq = await put('fq', { limit: 1000, flow_limit: 50, quantum: 3028, maxrate: '100mbit', buckets: 256 });
      assert.deepEqual([fq.limit, fq.flow_limit, fq.quantum, fq.buckets, fq.maxrate], [1000, 50, 3028, 256, 12500000]);
      const sfq = await put('sfq', { perturb: 10, quantum: 1514, limit: 64, depth: 32 });
      assert.deepEqual([sfq.limit, sfq.quantum, sfq.perturb, sfq.depth], [64, 1514, 10, 32]);
      const prio = await put('prio', { bands: 4, priomap: [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 3] });
      assert.equal(prio.bands, 4);
      assert.deepEqual(prio.priomap, [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 3]);
      const cake = await put('cake', {
        bandwidth: '100mbit',
        diffserv: 'diffserv4',
        flowmode: 'triple-isolate',
        nat: true,
        rtt: '50ms',
      });
      assert.deepEqual(
        [cake.bandwidth, cake.diffserv, cake.flowmode, cake.nat, cake.rtt],
        [12500000, 'diffserv4', 'triple-isolate', true, 50000],
      );
      const red = await put('red', {
        limit: '400kb',
        avpkt: 1000,
        min: 30000,
        max: 90000,
        probability: 0.02,
        bandwidth: '10mbit',
        ecn: true,
      });
      assert.deepEqual([red.limit, red.min, red.max], [409600, 30000, 90000]);
      assert.match(JSON.stringify(red), /ecn/);
    });
  });

  it('hfsc and drr with classes and an estimator, both ways', async () => {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      const d0 = await dev(ipr, 'd0'),
        d1 = await dev(ipr, 'd1');
      await ipr.tc('add', 'hfsc', { index: d0, handle: '1:', default: 0x10, estimator: ['1s', '8s'] });
      await ipr.tc('add-class', 'hfsc', {
        index: d0,
        parent: '1:',
        handle: '1:10',
        sc: { m1: '2mbit', d: '10ms', m2: '1mbit' },
        ul: '5mbit',
      });
      // tc's JSON for hfsc is malformed (tc 6.1), so its text is read.
      assert.match(await tc(ns, 'qdisc show dev d0'), /qdisc hfsc 1: root refcnt \d+ default 10/);
      const cls = await tc(ns, 'class show dev d0');
      assert.match(cls, /class hfsc 1:10 parent 1: sc m1 2Mbit d 10(\.0)?ms m2 1Mbit ul m1 0bit d 0us m2 5Mbit/);
      const [m] = (await ipr.getQdiscs({ index: d0 })).filter((x) => x.getAttr('TCA_KIND') === 'hfsc');
      // The kernel reports an estimator through its rate in the statistics.
      const st = m.getAttr('TCA_STATS2') as AttrSet<any>;
      assert.ok(st.has('TCA_STATS_RATE_EST') || st.has('TCA_STATS_RATE_EST64'), 'estimator running');
      assert.deepEqual(estimator('1s', '8s'), { interval: 0, ewma_log: 3 });
      await ipr.tc('add', 'drr', { index: d1, handle: '2:' });
      await ipr.tc('add-class', 'drr', { index: d1, parent: '2:', handle: '2:1', quantum: 3000 });
      assert.match(await tc(ns, 'class show dev d1'), /class drr 2:1 root quantum 3000b/);
      // tc makes them, nlroute reads them.
      await tc(ns, 'class add dev d1 parent 2: classid 2:2 drr quantum 1600');
      const classes = await ipr.getClasses(d1);
      const c2 = classes.find((c) => c.fields.handle === tckinds.tcMake(2, 2))!;
      assert.equal(opts(c2).getAttr('TCA_DRR_QUANTUM'), 1600);
      await tc(ns, 'class add dev d0 parent 1: classid 1:20 hfsc rt m2 3mbit');
      const c20 = (await ipr.getClasses(d0)).find((c) => c.fields.handle === tckinds.tcMake(1, 0x20))!;
      assert.deepEqual(opts(c20).getAttr('TCA_HFSC_RSC'), { m1: 0, d: 0, m2: 375000 });
    });
  });

  it('qdiscs made by tc, read by nlroute', async () => {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      const ix: Record<string, number> = {};
      for (const d of ['a', 'b', 'c', 'e', 'f', 'g']) ix[d] = await dev(ipr, d);
      await tc(
        ns,
        'qdisc add dev a root netem delay 20ms 5ms loss 2% duplicate 1% corrupt 0.5% reorder 10% gap 5 rate 2mbit limit 300',
      );
      await tc(ns, 'qdisc add dev b root fq limit 500 flow_limit 20 maxrate 10mbit');
      await tc(ns, 'qdisc add dev c root sfq perturb 5 limit 100');
      await tc(ns, 'qdisc add dev e root prio bands 5');
      await tc(ns, 'qdisc add dev f root cake bandwidth 20mbit besteffort flows');
      await tc(ns, 'qdisc add dev g root red limit 200000 min 20000 max 60000 avpkt 1000 burst 30 probability 0.1');
      const root = async (d: string): Promise<TcMessage> =>
        (await ipr.getQdiscs({ index: ix[d] })).find((m) => m.fields.parent === 0xffffffff)!;
      const ne = opts(await root('a')) as any;
      assert.equal(ne.qopt.limit, 300);
      assert.equal(ne.qopt.gap, 5);
      assert.equal(ne.attrs.getAttr('TCA_NETEM_RATE').rate, 250000);
      assert.equal(ne.attrs.getAttr('TCA_NETEM_CORRUPT').probability, tckinds.percent('0.5%', 'x'));
      assert.equal(ne.qopt.loss, tckinds.percent('2%', 'x'));
      const fq = opts(await root('b'));
      assert.deepEqual(
        [fq.getAttr('TCA_FQ_PLIMIT'), fq.getAttr('TCA_FQ_FLOW_PLIMIT'), fq.getAttr('TCA_FQ_FLOW_MAX_RATE')],
        [500, 20, 1250000],
      );
      const sfq = opts(await root('c')) as any;
      assert.deepEqual([sfq.perturb_period, sfq.limit], [5, 100]);
      assert.equal((opts(await root('e')) as any).bands, 5);
      const cake = opts(await root('f'));
      assert.equal(cake.getAttr('TCA_CAKE_BASE_RATE64'), 2500000n);
      assert.equal(cake.getAttr('TCA_CAKE_DIFFSERV_MODE'), 3);
      assert.equal(cake.getAttr('TCA_CAKE_FLOW_MODE'), 4);
      const red = opts(await root('g')).getAttr('TCA_RED_PARMS') as any;
      assert.deepEqual([red.limit, red.qth_min, red.qth_max], [200000, 20000, 60000]);
      // nlroute computes RED's weight and probability shift as tc does for the same numbers.
      assert.equal(red.Wlog, tckinds.redWlog(20000, 30, 1000));
      assert.equal(red.Plog, tckinds.redPlog(20000, 60000, 0.1));
    });
  });

  it('filters flower, matchall, basic, fw, route with every action kind, read by tc', async () => {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      const d1 = await dev(ipr, 'd1');
      await ipr.tc('add', 'clsact', { index: d1 });
      const add = (kind: string, spec: Record<string, unknown>): Promise<unknown> =>
        ipr.tc('add-filter', kind, { index: d1, parent: 'ffff:fff3', ...spec }).catch((e: Error) => {
          throw new Error(`${kind} prio ${String(spec.prio)}: ${e.message}`);
        });
      await add('flower', {
        prio: 1,
        protocol: 'ip',
        dst_mac: '02:00:00:00:00:01',
        ip_proto: 'tcp',
        src_ip: '10.0.0.0/8',
        dst_ip: '192.168.1.1',
        dst_port: 80,
        src_port: 1234,
        ip_tos: '0x10/0xfc',
        tcp_flags: '0x02/0x12',
        ct_state: '+trk+est',
        ct_zone: 5,
        skip_hw: true,
        action: 'drop',
      });
      await add('flower', {
        prio: 2,
        protocol: 'ip',
        enc_key_id: 42,
        enc_dst_ip: '10.1.1.1',
        enc_src_ip: '10.1.1.2',
        enc_dst_port: 4789,
        action: { kind: 'tunnel_key', op: 'release' },
      });
      await add('matchall', {
        prio: 3,
        action: [
          { kind: 'police', rate: '1mbit', burst: '10k', exceed: 'drop', conform: 'ok' },
          { kind: 'skbedit', mark: 5, priority: '1:2' },
        ],
      });
      await add('basic', {
        prio: 4,
        action: [
          { kind: 'vlan', op: 'push', id: 100, protocol: '802.1ad', priority: 3 },
          { kind: 'csum', update: ['iph', 'tcp'] },
        ],
      });
      await add('fw', {
        prio: 5,
        handle: 7,
        mask: 0xff,
        action: [{ kind: 'nat', direction: 'egress', old: '10.0.0.0/8', new: '192.168.0.0' }],
      });
      await add('route', {
        prio: 6,
        to: 10,
        action: [
          { kind: 'pedit', keys: [{ off: 16, val: 0x0a000001 }] },
          { kind: 'ct', commit: true, zone: 3, mark: 9 },
        ],
      });
      await add('matchall', {
        prio: 7,
        action: {
          kind: 'tunnel_key',
          op: 'set',
          src_ip: '10.0.0.1',
          dst_ip: '10.0.0.2',
          id: 11,
          dst_port: 4789,
          ttl: 64,
        },
      });
      // Port ranges and exact ports cannot share a filter.
      await add('flower', { prio: 9, protocol: 'ip', ip_proto: 'udp', dst_port: '1000-2000', action: 'pass' });
      await add('matchall', {
        prio: 8,
        action: { kind: 'mirred', direction: 'egress', action: 'mirror', ifindex: d1 },
      });
      // tc's JSON for fw and route filters is malformed (tc 6.1): read by priority, those two as text.
      const fl: any[] = [];
      for (const p of [1, 2, 3, 4, 7, 8, 9]) {
        fl.push(
          ...(await tcj(ns, `filter show dev d1 egress pref ${p}`))
            .filter((f) => f.options)
            .map((f) => ({ ...f, pref: p })),
        );
      }
      const by = (prio: number): any => fl.find((f) => f.pref === prio).options;
      // Every mismatch is collected, so one run shows them all with tc's own JSON.
      const bad: string[] = [];
      const eq = (x: unknown, y: unknown, what: string): void => {
        if (JSON.stringify(x) !== JSON.stringify(y))
          bad.push(`${what}: got ${JSON.stringify(x)}, want ${JSON.stringify(y)}`);
      };
      const k1 = by(1).keys;
      eq(
        [k1.dst_mac, k1.eth_type, k1.ip_proto, k1.dst_ip, k1.src_ip, k1.dst_port],
        ['02:00:00:00:00:01', 'ipv4', 'tcp', '192.168.1.1', '10.0.0.0/8', 80],
        'check 1',
      );
      eq(k1.src_port, 1234, 'check 2');
      const k9 = by(9).keys;
      eq([k9.ip_proto, JSON.stringify(k9)].slice(0, 1), ['udp'], 'check 3');
      eq(/1000.*2000/.test(JSON.stringify(k9)), true, 'port range ' + JSON.stringify(k9));
      eq(k1.ct_state, '+trk+est', 'check 4');
      eq(k1.ct_zone, 5, 'check 5');
      eq(
        [k1.tcp_flags].map(String).map((x) => x.replace(/^0x0?2\/0?x?12$/, 'ok').replace(/^2$/, 'ok')),
        ['ok'],
        'tcp_flags',
      );
      eq(
        [String(k1.ip_tos)].map((x) => (/^(0x10\/fc|16)$/.test(x) ? 'ok' : x)),
        ['ok'],
        'ip_tos',
      );
      eq(by(1).skip_hw, true, 'check 6');
      eq(by(1).actions[0].control_action.type, 'drop', 'check 7');
      const k2 = by(2).keys;
      eq([k2.enc_key_id, k2.enc_dst_ip, k2.enc_src_ip, k2.enc_dst_port], [42, '10.1.1.1', '10.1.1.2', 4789], 'check 8');
      eq(by(2).actions[0].kind, 'tunnel_key', 'check 9');
      eq(by(2).actions[0].mode, 'unset', 'check 10');
      const [pol, skb] = by(3).actions;
      eq(pol.kind, 'police', 'check 11');
      // tc's JSON leaves the police rate out; its text has it.
      assert.match(await tc(ns, 'filter show dev d1 egress pref 3'), /police 0x1 rate 1Mbit burst 10Kb/);
      eq(pol.control_action.type, 'drop', 'check 13');
      eq(skb.kind, 'skbedit', 'check 14');
      eq(skb.mark, 5, 'check 15');
      const [vl, cs] = by(4).actions;
      eq([vl.kind, vl.vlan_action, vl.id, vl.protocol, vl.priority], ['vlan', 'push', 100, '802.1ad', 3], 'check 16');
      eq([cs.kind, cs.csum], ['csum', 'iph, tcp'], 'check 17');
      const fw = await tc(ns, 'filter show dev d1 egress pref 5');
      assert.match(fw, /fw chain 0 handle 0x7\/0xff/);
      // tc 6.1 prints the prefix length from the mask in the wrong byte order (/32 for /8), so the
      // mask itself is checked below through nlroute, which reads tc's own /16 correctly.
      assert.match(fw, /action order 1: {2}nat egress 10\.0\.0\.0\/\d+ 192\.168\.0\.0/);
      const rt = await tc(ns, 'filter show dev d1 egress pref 6');
      assert.match(rt, /route chain 0 fh 0xffff000a to 10/);
      assert.match(rt, /pedit .*\n(.*\n)*.*key #0 +at 16: val 0a000001 mask 00000000/);
      assert.match(rt, /ct commit mark 9 zone 3 pipe/);
      const tk = by(7).actions[0];
      eq(
        [tk.mode, tk.src_ip, tk.dst_ip, tk.key_id, tk.dst_port, tk.ttl],
        ['set', '10.0.0.1', '10.0.0.2', 11, 4789, 64],
        'check 18',
      );
      eq([by(8).actions[0].kind, by(8).actions[0].mirred_action], ['mirred', 'mirror'], 'check 19');
      assert.deepEqual(bad, [], JSON.stringify(fl));
      // nlroute reads its own filters back with the same values.
      const ours = await ipr.getFilters(d1, 'ffff:fff3');
      const f1 = ours.find(
        (m) => m.getAttr('TCA_KIND') === 'flower' && opts(m)?.getAttr('TCA_FLOWER_KEY_CT_ZONE') === 5,
      )!;
      assert.equal(opts(f1).getAttr('TCA_FLOWER_KEY_IPV4_SRC_MASK'), '255.0.0.0');
      assert.equal(opts(f1).getAttr('TCA_FLOWER_KEY_CT_STATE'), 10);
    });
  });

  it('filters and actions made by tc, read by nlroute; stats as records', async () => {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      const d1 = await dev(ipr, 'd1');
      await tc(ns, 'qdisc add dev d1 clsact');
      const T = (s: string): Promise<string> => tc(ns, `filter add dev d1 egress ${s}`);
      await T(
        'prio 1 protocol 802.1Q flower vlan_id 5 vlan_ethtype ipv6 src_ip 2001:db8::/32 ip_proto udp dst_port 53 action pass',
      );
      await T('prio 2 protocol ip flower ct_state +trk+new ct_mark 5/0xff action ct commit zone 7');
      await T(
        'prio 3 matchall action police rate 2mbit burst 20k conform-exceed drop/pipe action skbedit queue_mapping 2',
      );
      await T('prio 4 basic action vlan pop action csum udp');
      await T('prio 5 handle 9/0xf fw action nat ingress 192.168.0.0/16 10.0.0.0');
      await T('prio 6 route to 3 from 4 action tunnel_key set src_ip 1.1.1.1 dst_ip 2.2.2.2 id 5 dst_port 6081');
      await T('prio 7 matchall action pedit munge offset 12 u32 set 0x0a000009');
      const all = await ipr.getFilters(d1, 'ffff:fff3');
      const at = (prio: number, kind: string): TcMessage =>
        all.find((m) => tckinds.splitFilterInfo(m.fields.info).prio === prio && m.getAttr('TCA_OPTIONS'))!;
      const o1 = opts(at(1, 'flower'));
      assert.deepEqual(
        [
          o1.getAttr('TCA_FLOWER_KEY_ETH_TYPE'),
          o1.getAttr('TCA_FLOWER_KEY_VLAN_ID'),
          o1.getAttr('TCA_FLOWER_KEY_IPV6_SRC'),
          o1.getAttr('TCA_FLOWER_KEY_IP_PROTO'),
          o1.getAttr('TCA_FLOWER_KEY_UDP_DST'),
        ],
        [0x86dd, 5, '2001:db8::', 17, 53],
      );
      const o2 = opts(at(2, 'flower'));
      assert.deepEqual(
        [
          o2.getAttr('TCA_FLOWER_KEY_CT_STATE'),
          o2.getAttr('TCA_FLOWER_KEY_CT_STATE_MASK'),
          o2.getAttr('TCA_FLOWER_KEY_CT_MARK_MASK'),
        ],
        [9, 9, 0xff],
      );
      const ct = actOpts(acts(o2, 'TCA_FLOWER_ACT')[0]);
      assert.deepEqual([ct.getAttr('TCA_CT_ACTION'), ct.getAttr('TCA_CT_ZONE')], [1, 7]);
      const [pol, skb] = acts(opts(at(3, 'matchall')), 'TCA_MATCHALL_ACT');
      const tbf = actOpts(pol).getAttr('TCA_POLICE_TBF') as any;
      assert.deepEqual([tbf.rate.rate, tbf.action], [250000, 2]);
      assert.equal(actOpts(pol).getAttr('TCA_POLICE_RESULT'), 3);
      assert.equal(actOpts(skb).getAttr('TCA_SKBEDIT_QUEUE_MAPPING'), 2);
      const [vl, cs] = acts(opts(at(4, 'basic')), 'TCA_BASIC_ACT');
      assert.equal((actOpts(vl).getAttr('TCA_VLAN_PARMS') as any).v_action, 1);
      assert.deepEqual((actOpts(cs).getAttr('TCA_CSUM_PARMS') as any).update_flags, 16);
      const fw = at(5, 'fw');
      assert.equal(fw.fields.handle, 9);
      assert.equal(opts(fw).getAttr('TCA_FW_MASK'), 0xf);
      const nat = actOpts(acts(opts(fw), 'TCA_FW_ACT')[0]).getAttr('TCA_NAT_PARMS') as any;
      assert.deepEqual(
        [nat.old_addr, nat.new_addr, nat.mask, nat.flags],
        ['192.168.0.0', '10.0.0.0', '255.255.0.0', 0],
      );
      const rt = opts(at(6, 'route'));
      assert.deepEqual([rt.getAttr('TCA_ROUTE4_TO'), rt.getAttr('TCA_ROUTE4_FROM')], [3, 4]);
      const tk = actOpts(acts(rt, 'TCA_ROUTE4_ACT')[0]);
      assert.deepEqual(
        [
          tk.getAttr('TCA_TUNNEL_KEY_ENC_IPV4_DST'),
          tk.getAttr('TCA_TUNNEL_KEY_ENC_KEY_ID'),
          tk.getAttr('TCA_TUNNEL_KEY_ENC_DST_PORT'),
        ],
        ['2.2.2.2', 5, 6081],
      );
      const pe = actOpts(acts(opts(at(7, 'matchall')), 'TCA_MATCHALL_ACT')[0]).getAttr('TCA_PEDIT_PARMS') as any;
      assert.deepEqual([pe.nkeys, pe.keys[0].off, pe.keys[0].val, pe.keys[0].mask], [1, 12, 0x0a000009, 0]);
      // Statistics as records: qdisc and action counters agree with tc -s.
      const q = (await ipr.getQdiscs({ index: d1 }))[0];
      const rec = tckinds.statsRecord(q.getAttr('TCA_STATS2') as AttrSet<any>);
      assert.equal(typeof rec.bytes, 'bigint');
      assert.deepEqual([rec.drops, rec.qlen, rec.backlog], [0, 0, 0]);
      // The device sends its own IPv6 traffic, so counters only grow between our read and tc's.
      const polStats = tckinds.statsRecord(pol.getAttr('TCA_ACT_STATS') as AttrSet<any>);
      const tcPol = (await tcj(ns, '-s filter show dev d1 egress pref 3')).find((x) => x.options).options.actions[0];
      assert.ok(polStats.packets <= tcPol.stats.packets, `${polStats.packets} <= ${tcPol.stats.packets}`);
      assert.ok(polStats.bytes <= BigInt(tcPol.stats.bytes));
      assert.equal(typeof polStats.overlimits, 'number');
    });
  });

  it('chains with templates and goto, standalone actions, shared blocks', async () => {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      const d0 = await dev(ipr, 'd0'),
        d1 = await dev(ipr, 'd1'),
        d2 = await dev(ipr, 'd2');
      await ipr.tc('add', 'ingress', { index: d0 });
      await ipr.tc('add-chain', 'flower', {
        index: d0,
        parent: 'ffff:',
        chain: 9,
        protocol: 'ip',
        dst_ip: '0.0.0.0/16',
      });
      await ipr.tc('add-filter', 'matchall', { index: d0, parent: 'ffff:', prio: 1, action: 'goto chain 9' });
      await ipr.tc('add-filter', 'flower', {
        index: d0,
        parent: 'ffff:',
        chain: 9,
        prio: 1,
        protocol: 'ip',
        dst_ip: '10.1.0.0/16',
        action: 'drop',
      });
      const chains: any[] = await tcj(ns, 'chain show dev d0 ingress');
      const c9 = chains.find((c) => c.chain === 9);
      assert.equal(c9.kind, 'flower');
      assert.equal(c9.options.keys.dst_ip, '0.0.0.0/16');
      const f: any[] = await tcj(ns, 'filter show dev d0 ingress chain 0');
      const g = f.find((x) => x.options)!.options.actions[0].control_action;
      assert.deepEqual([g.type, g.chain], ['goto', 9]);
      await tc(ns, 'chain add dev d0 ingress chain 4 protocol ip flower ip_proto tcp');
      const ours = await ipr.tc('dump-chain', null, { index: d0, parent: 'ffff:' });
      assert.deepEqual(ours.map((m) => m.getAttr('TCA_CHAIN')).sort(), [0, 4, 9]);
      assert.equal(ours.find((m) => m.getAttr('TCA_CHAIN') === 4)!.getAttr('TCA_KIND'), 'flower');
      // Standalone actions, both ways; a filter binds one by index.
      await ipr.tcAction('add', { kind: 'gact', action: 'drop', index: 77 });
      await tc(ns, 'actions add action skbedit mark 3 index 78');
      const listed: any[] = await tcj(ns, 'actions list action gact');
      assert.ok(JSON.stringify(listed).includes('"index":77'), JSON.stringify(listed));
      const dumped = await ipr.tcAction('dump', { kind: 'skbedit' });
      const tab = dumped.flatMap((m) => (m.getAttr('TCA_ROOT_TAB') as AttrSet<any>[]) ?? []);
      assert.equal(actOpts(tab[0]).getAttr('TCA_SKBEDIT_MARK'), 3);
      assert.equal((actOpts(tab[0]).getAttr('TCA_SKBEDIT_PARMS') as any).index, 78);
      const [got] = await ipr.tcAction('get', { kind: 'gact', index: 77 });
      assert.equal((got.getAttr('TCA_ROOT_TAB') as AttrSet<any>[])[0].getAttr('TCA_ACT_INDEX') ?? 77, 77);
      await ipr.tc('add-filter', 'matchall', {
        index: d0,
        parent: 'ffff:',
        prio: 5,
        action: { kind: 'gact', index: 77 },
      });
      const bound: any[] = (await tcj(ns, 'actions list action gact')).flatMap((x) => x.actions ?? []);
      assert.equal(bound.find((a) => a.index === 77).bind, 1);
      await ipr.tcAction('del', { kind: 'skbedit', index: 78 });
      assert.ok(!JSON.stringify(await tcj(ns, 'actions list action skbedit')).includes('"index":78'));
      // A shared block: two devices, one filter list.
      await ipr.tc('add', 'ingress', { index: d1, ingress_block: 33 });
      await tc(ns, 'qdisc add dev d2 ingress_block 33 ingress');
      await ipr.tc('add-filter', 'matchall', { block: 33, prio: 1, action: 'drop' });
      await tc(ns, 'filter add block 33 prio 2 protocol ip flower dst_ip 10.0.0.1 action pass');
      const blk: any[] = (await tcj(ns, 'filter show block 33')).filter((x) => x.options);
      assert.deepEqual(blk.map((x) => x.kind).sort(), ['flower', 'matchall']);
      const mine = (await ipr.tc('dump-filter', null, { block: 33 })).filter((m) => m.getAttr('TCA_OPTIONS'));
      assert.deepEqual(mine.map((m) => m.getAttr('TCA_KIND')).sort(), ['flower', 'matchall']);
      const q2 = (await ipr.getQdiscs({ index: d2 })).find((m) => m.getAttr('TCA_KIND') === 'ingress')!;
      assert.equal(q2.getAttr('TCA_INGRESS_BLOCK'), 33);
      void d2;
    });
  });
});

/** tc lines for the VM-only kinds nlroute shows as tc does (links stay down: counters stay still). */
const VM_TC = [
  'qdisc add dev d0 root handle 1: prio bands 4 priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 3',
  'qdisc add dev d0 ingress',
  'filter add dev d0 parent ffff: protocol ip prio 1 matchall action drop',
  'filter add dev d0 parent ffff: protocol all prio 2 matchall skip_hw action pass',
  'filter add dev d0 parent ffff: protocol ip prio 3 basic classid 1:2 action continue',
  'qdisc add dev d1 ingress',
  'filter add dev d1 parent ffff: protocol ip prio 4 handle 5 fw classid 1:3',
  'filter add dev d1 parent ffff: protocol ip prio 5 handle 6/0xff fw action drop',
  'filter add dev d0 parent 1: protocol ip prio 1 matchall classid 1:1 action mirred egress redirect dev d1',
];
const VM_TC_SHOWS = [
  'qdisc show dev d0',
  'filter show dev d0 ingress',
  'filter show dev d0 parent 1:',
  'filter show dev d1 ingress',
];
// tc 6.1 writes fw's options as text even with -j, which makes its JSON invalid: text only there.
const TEXT_ONLY = new Set(['filter show dev d1 ingress']);
describe('nlroute tc show prints what tc prints (VM kinds)', vmOnly, () => {
  it('prio, matchall, basic, fw, gact and mirred: JSON and text, with and without -s', async () => {
    await sameShows(['d0', 'd1'], VM_TC, VM_TC_SHOWS, TEXT_ONLY);
  });
  // One batch for all: every node start in the emulated guest costs seconds.
  it('netem, fq_codel, sfq, fq, red and police: JSON and text, with and without -s', async () => {
    const devs = ['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8', 'd9', 'd10', 'd11'];
    await sameShows(
      devs,
      [
        'qdisc add dev d0 root netem limit 500 delay 100ms 10ms 25% loss 1% 30% duplicate 2% 5% ' +
          'corrupt 0.1% 3% reorder 25% 50% rate 1mbit 20 100 -10 slot 800us 1ms packets 32 bytes 6000 ecn',
        'qdisc add dev d1 root handle 2: netem delay 5ms reorder 10% gap 3 loss state 1% 2% 3% 4% 5%',
        'qdisc add dev d2 root netem loss gemodel 1% 10% 70% 0.1% slot 2ms',
        'qdisc add dev d3 root fq_codel limit 2000 flows 512 quantum 1400 target 4ms interval 90ms ecn ' +
          'ce_threshold 2ms memory_limit 8Mb drop_batch 32',
        'qdisc add dev d4 root fq_codel noecn ce_threshold 1.5ms ce_threshold_selector 0x3/0xfc',
        'qdisc add dev d5 root sfq limit 64 quantum 1514 perturb 10 depth 32 divisor 512 headdrop',
        'qdisc add dev d6 root sfq limit 100 redflowlimit 40000 min 5000 max 15000 probability 0.2 ecn harddrop',
        'qdisc add dev d7 root fq limit 1000 flow_limit 50 quantum 3028 initial_quantum 15140 maxrate 100mbit ' +
          'buckets 256 refill_delay 50ms orphan_mask 511 low_rate_threshold 550kbit ce_threshold 3ms ' +
          'timer_slack 20us horizon 5s horizon_cap',
        'qdisc add dev d8 root fq nopacing defrate 1mbit horizon_drop',
        'qdisc add dev d9 root red limit 400000 min 30000 max 90000 avpkt 1000 burst 55 probability 0.02 ' +
          'bandwidth 10mbit ecn harddrop adaptive',
        'qdisc add dev d10 root red limit 100000 min 10000 max 30000 avpkt 1000 burst 20 ecn nodrop',
        'qdisc add dev d11 ingress',
        'filter add dev d11 parent ffff: protocol ip prio 1 matchall action police rate 1mbit burst 10k mtu 2k ' +
          'peakrate 2mbit conform-exceed drop/pipe overhead 14 linklayer atm',
      ],
      [...devs.slice(0, 11).map((d) => `qdisc show dev ${d}`), 'filter show dev d11 ingress'],
    );
  });
  it('skbedit and vlan actions: JSON and text, with and without -s', async () => {
    await sameShows(
      ['d0'],
      [
        'qdisc add dev d0 ingress',
        'filter add dev d0 parent ffff: protocol ip prio 1 matchall action skbedit queue_mapping 3 priority 1:5 ' +
          'mark 7/0xff ptype host pipe',
        'filter add dev d0 parent ffff: protocol ip prio 2 matchall action skbedit mark 9',
        'filter add dev d0 parent ffff: protocol ip prio 3 matchall action vlan push id 100 protocol 802.1ad ' +
          'priority 4 pipe',
        'filter add dev d0 parent ffff: protocol ip prio 4 matchall action vlan modify id 7',
        'filter add dev d0 parent ffff: protocol ip prio 5 matchall action vlan pop continue',
        'filter add dev d0 parent ffff: protocol ip prio 6 matchall action vlan push_eth dst_mac 02:00:00:00:00:01 ' +
          'src_mac 02:00:00:00:00:02',
      ],
      ['filter show dev d0 ingress'],
    );
  });
});
