// Traffic control against the real kernel, each test in its own namespace: requests compared
// byte for byte with what tc sends (strace), objects made by nlroute read back with tc, and
// objects made by tc read back with nlroute.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, before, after } from 'node:test';

import { NETLINK_ROUTE, NetlinkError, NetlinkSocket } from '../src/core/index.js';
import { rtnlMarshal } from '../src/rtnl/marshal.js';
import { getClasses, getFilters, getQdiscs, tc, tcRequest, filterKey } from '../src/rtnl/tc.js';
import { parseStraceLog } from '../src/tools/straceparse.js';
import { withNetns, type TestNetns } from './helpers/netns.js';

const has = (cmd: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const haveStrace = has('strace');
const haveLlc = has('llc');
let tmp = '';
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'nlr-tc-'));
});
after(() => {
  rmSync(tmp, { recursive: true, force: true });
});

async function ifindex(ns: TestNetns, dev: string): Promise<number> {
  return (await ns.json(`link show ${dev}`))[0].ifindex;
}

async function veth(ns: TestNetns): Promise<{ d0: number; d1: number }> {
  await ns.ip('link add d0 type veth peer name d1');
  await ns.ip('link set d0 up');
  await ns.ip('link set d1 up');
  return { d0: await ifindex(ns, 'd0'), d1: await ifindex(ns, 'd1') };
}

function sock(ns: TestNetns): NetlinkSocket {
  return new NetlinkSocket({ protocol: NETLINK_ROUTE, marshal: rtnlMarshal(), netns: ns.name });
}

const TC_TYPES = new Set([36, 37, 40, 41, 44, 45]);

/** Run tc under strace in the namespace; the tc request it sent (seq and pid zeroed). */
async function captureTc(ns: TestNetns, args: string | string[]): Promise<Buffer> {
  const log = join(tmp, `strace-${Date.now()}-${Math.random()}.log`);
  await ns.exec('strace', [
    '-f',
    '-x',
    '-s',
    '65536',
    '-e',
    'trace=network',
    '-e',
    'write=all',
    '-o',
    log,
    'tc',
    ...(typeof args === 'string' ? args.split(' ') : args),
  ]);
  const s = parseStraceLog(readFileSync(log, 'utf8'));
  const sent = s.transfers.filter(
    (t) =>
      t.direction === 'send' &&
      t.protocol === NETLINK_ROUTE &&
      t.bytes.length >= 20 &&
      TC_TYPES.has(t.bytes.readUInt16LE(4)),
  );
  assert.equal(sent.length, 1, `one tc request in the capture of tc ${args}`);
  return zeroSeq(sent[0].bytes);
}

function zeroSeq(b: Buffer): Buffer {
  const c = Buffer.from(b);
  c.fill(0, 8, 16);
  return c;
}

/** tc's text output of `class show`, one object per line (tc 6.1 has no JSON for htb classes). */
async function tcClasses(ns: TestNetns, dev: string): Promise<string[]> {
  return (await ns.exec('tc', ['class', 'show', 'dev', dev])).split('\n').filter((l) => l.startsWith('class'));
}

async function tcJson(ns: TestNetns, what: string): Promise<any[]> {
  const out = await ns.exec('tc', ['-j', ...what.split(' ')]);
  return JSON.parse(out.trim() || '[]');
}

describe('tc requests are byte-identical to tc', { skip: !haveStrace && 'strace missing' }, () => {
  it('qdiscs, classes, u32 filters, actions and bpf', async () => {
    await withNetns(async (ns) => {
      const { d0, d1 } = await veth(ns);
      const cases: [string | string[], Buffer][] = [
        [
          'qdisc add dev d0 root handle 1: htb default 20',
          tcRequest('add', 'htb', { index: d0, handle: '1:', default: '20' }),
        ],
        [
          'class add dev d0 parent 1: classid 1:20 htb rate 10mbit',
          tcRequest('add-class', 'htb', { index: d0, parent: '1:', handle: '1:20', rate: '10mbit' }),
        ],
        [
          'class add dev d0 parent 1: classid 1:30 htb rate 3mbit ceil 20mbit burst 15k/8 cburst 3000 prio 2 quantum 1500 mtu 9000',
          tcRequest('add-class', 'htb', {
            index: d0,
            parent: '1:',
            handle: '1:30',
            rate: '3mbit',
            ceil: '20mbit',
            burst: '15k/8',
            cburst: 3000,
            prio: 2,
            quantum: 1500,
            mtu: 9000,
          }),
        ],
        [
          'class add dev d0 parent 1: classid 1:40 htb rate 1gbit ceil 10gbit',
          tcRequest('add-class', 'htb', { index: d0, parent: '1:', handle: '1:40', rate: '1gbit', ceil: '10gbit' }),
        ],
        [
          'filter add dev d0 parent 1: protocol ip prio 1 u32 match ip dst 10.1.0.0/16 match ip sport 80 0xffff flowid 1:20',
          tcRequest('add-filter', 'u32', {
            index: d0,
            parent: '1:',
            protocol: 'ip',
            prio: 1,
            match: ['ip dst 10.1.0.0/16', 'ip sport 80 0xffff'],
            classid: '1:20',
          }),
        ],
        [
          'filter add dev d0 parent 1: protocol ip prio 2 u32 match u32 0x0a000001 0xffffffff at 12 match u8 6 0xff at 9 classid 1:30',
          tcRequest('add-filter', 'u32', {
            index: d0,
            parent: '1:',
            protocol: 'ip',
            prio: 2,
            match: ['u32 0x0a000001 0xffffffff at 12', 'u8 6 0xff at 9'],
            classid: '1:30',
          }),
        ],
        ['qdisc add dev d0 ingress', tcRequest('add', 'ingress', { index: d0 })],
        [
          'filter add dev d0 parent ffff: protocol ip prio 1 u32 match ip dst 10.0.0.0/8 action mirred egress redirect dev d1',
          tcRequest('add-filter', 'u32', {
            index: d0,
            parent: 'ffff:',
            protocol: 'ip',
            prio: 1,
            match: 'ip dst 10.0.0.0/8',
            action: { kind: 'mirred', direction: 'egress', action: 'redirect', ifindex: d1 },
          }),
        ],
        [
          'filter add dev d0 parent ffff: protocol all prio 3 u32 match ip src 192.168.0.0/24 action mirred egress mirror dev d1',
          tcRequest('add-filter', 'u32', {
            index: d0,
            parent: 'ffff:',
            protocol: 'all',
            prio: 3,
            match: 'ip src 192.168.0.0/24',
            action: { kind: 'mirred', action: 'mirror', ifindex: d1 },
          }),
        ],
        [
          'qdisc add dev d1 root handle 2: tbf rate 1mbit burst 32kb latency 400ms',
          tcRequest('add', 'tbf', { index: d1, handle: '2:', rate: '1mbit', burst: '32kb', latency: '400ms' }),
        ],
        [
          'qdisc replace dev d1 root handle 2: tbf rate 8mbit burst 10k/16 limit 30000 peakrate 10mbit mtu 1600 mpu 64',
          tcRequest('replace', 'tbf', {
            index: d1,
            handle: '2:',
            rate: '8mbit',
            burst: '10k/16',
            limit: 30000,
            peakrate: '10mbit',
            mtu: 1600,
            mpu: 64,
          }),
        ],
        ['qdisc replace dev d1 root bfifo limit 10kb', tcRequest('replace', 'bfifo', { index: d1, limit: '10kb' })],
        ['qdisc replace dev d1 root pfifo limit 100', tcRequest('replace', 'pfifo', { index: d1, limit: 100 })],
        ['qdisc change dev d1 root pfifo limit 50', tcRequest('change', 'pfifo', { index: d1, limit: 50 })],
        ['qdisc add dev d1 clsact', tcRequest('add', 'clsact', { index: d1 })],
        [
          [
            'filter',
            'add',
            'dev',
            'd1',
            'egress',
            'bpf',
            'bytecode',
            '1,6 0 0 4294967295',
            'classid',
            '1:1',
          ] as unknown as string,
          tcRequest('add-filter', 'bpf', {
            index: d1,
            parent: 'ffff:fff3',
            bytecode: '1,6 0 0 4294967295',
            classid: '1:1',
          }),
        ],
        ['filter del dev d0 parent 1: prio 2', tcRequest('del-filter', null, { index: d0, parent: '1:', prio: 2 })],
        ['class del dev d0 classid 1:40', tcRequest('del-class', null, { index: d0, handle: '1:40' })],
        ['qdisc del dev d0 ingress', tcRequest('del', 'ingress', { index: d0 })],
      ];
      for (const [args, ours] of cases) {
        const theirs = await captureTc(ns, args);
        assert.equal(zeroSeq(ours).toString('hex'), theirs.toString('hex'), `tc ${args}`);
      }
    });
  });

  it('an eBPF filter by fd, as tc sends it after loading the object', { skip: !haveLlc && 'llc missing' }, async () => {
    await withNetns(async (ns) => {
      const { d0 } = await veth(ns);
      const obj = buildBpfObject();
      await ns.exec('tc', ['qdisc', 'add', 'dev', 'd0', 'clsact']);
      const theirs = await captureTc(ns, `filter add dev d0 ingress bpf da obj ${obj} sec classifier`);
      const attrs = (await import('../src/rtnl/tcmsg.js')).tcmsg.decode(theirs).getAttr('TCA_OPTIONS') as any;
      const fd = attrs.getAttr('TCA_BPF_FD') as number;
      const ours = tcRequest('add-filter', 'bpf', {
        index: d0,
        parent: 'ffff:fff2',
        fd,
        name: 'prog.o:[classifier]',
        direct_action: true,
      });
      assert.equal(zeroSeq(ours).toString('hex'), theirs.toString('hex'));
    });
  });
});

/** A minimal eBPF classifier object (returns TC_ACT_OK), compiled with llc. */
function buildBpfObject(): string {
  const ll = join(tmp, 'prog.ll'),
    obj = join(tmp, 'prog.o');
  writeFileSync(
    ll,
    [
      'define i32 @cls(i8* %skb) section "classifier" {',
      '  ret i32 0',
      '}',
      '@_license = global [4 x i8] c"GPL\\00", section "license"',
    ].join('\n'),
  );
  execFileSync('llc', ['-march=bpf', '-filetype=obj', '-o', obj, ll]);
  return obj;
}

describe('nlroute creates, tc sees', () => {
  it('htb qdisc, classes and a u32 filter; then deletes them', async () => {
    await withNetns(async (ns) => {
      const { d0 } = await veth(ns);
      await using s = sock(ns);
      await tc(s, 'add', 'htb', { index: d0, handle: '1:', default: 0x20, r2q: 5 });
      await tc(s, 'add-class', 'htb', { index: d0, parent: '1:', handle: '1:1', rate: '100mbit' });
      await tc(s, 'add-class', 'htb', {
        index: d0,
        parent: '1:1',
        handle: '1:20',
        rate: '10mbit',
        ceil: '20mbit',
        burst: '15k',
        prio: 2,
      });
      await tc(s, 'add-filter', 'u32', {
        index: d0,
        parent: '1:',
        prio: 1,
        protocol: 'ip',
        match: 'ip dst 10.1.0.0/16',
        classid: '1:20',
      });

      const q = await tcJson(ns, 'qdisc show dev d0');
      assert.equal(q[0].kind, 'htb');
      assert.equal(q[0].handle, '1:');
      assert.equal(q[0].options.default, '0x20');
      assert.equal(q[0].options.r2q, 5);
      const cls = await tcClasses(ns, 'd0');
      assert.ok(
        cls.some((l) => /^class htb 1:20 parent 1:1 prio 2 rate 10Mbit ceil 20Mbit burst 15Kb/.test(l)),
        cls.join('\n'),
      );
      assert.ok(
        cls.some((l) => /^class htb 1:1 root rate 100Mbit/.test(l)),
        cls.join('\n'),
      );
      const f = (await tcJson(ns, 'filter show dev d0')).filter((x) => x.options?.match);
      assert.equal(f.length, 1);
      assert.equal(f[0].options.flowid, '1:20');
      assert.deepEqual(
        [f[0].options.match.value, f[0].options.match.mask, f[0].options.match.off],
        ['a010000', 'ffff0000', 16],
      );
      assert.equal(f[0].protocol, 'ip');
      assert.equal(f[0].pref, 1);

      await tc(s, 'replace-class', 'htb', { index: d0, parent: '1:1', handle: '1:20', rate: '5mbit' });
      assert.ok((await tcClasses(ns, 'd0')).some((l) => /^class htb 1:20 .*rate 5Mbit ceil 5Mbit/.test(l)));
      await tc(s, 'change-class', 'htb', { index: d0, parent: '1:1', handle: '1:20', rate: '6mbit', ceil: '7mbit' });
      assert.ok((await tcClasses(ns, 'd0')).some((l) => /^class htb 1:20 .*rate 6Mbit ceil 7Mbit/.test(l)));
      await assert.rejects(
        tc(s, 'change-class', 'htb', { index: d0, parent: '1:1', handle: '1:77', rate: '6mbit' }),
        NetlinkError,
      );
      await tc(s, 'del-filter', null, { index: d0, parent: '1:', prio: 1 });
      assert.equal((await tcJson(ns, 'filter show dev d0')).length, 0);
      await tc(s, 'del-class', null, { index: d0, handle: '1:20' });
      assert.equal((await tcClasses(ns, 'd0')).length, 1);
      await tc(s, 'del', null, { index: d0 });
      assert.notEqual((await tcJson(ns, 'qdisc show dev d0'))[0].kind, 'htb');
    });
  });

  it('tbf, fifos, ingress with a mirred redirect, clsact with classic BPF', async () => {
    await withNetns(async (ns) => {
      const { d0, d1 } = await veth(ns);
      await using s = sock(ns);
      await tc(s, 'add', 'tbf', { index: d1, handle: '2:', rate: '1mbit', burst: '32kb', latency: '400ms' });
      let q = (await tcJson(ns, 'qdisc show dev d1'))[0];
      assert.equal(q.kind, 'tbf');
      assert.equal(q.options.rate, 125000);
      assert.equal(q.options.burst, 32768);
      await tc(s, 'replace', 'bfifo', { index: d1, limit: '10kb' });
      q = (await tcJson(ns, 'qdisc show dev d1'))[0];
      assert.deepEqual([q.kind, q.options.limit], ['bfifo', 10240]);
      await tc(s, 'replace', 'pfifo', { index: d1, limit: 77 });
      q = (await tcJson(ns, 'qdisc show dev d1'))[0];
      assert.deepEqual([q.kind, q.options.limit], ['pfifo', 77]);

      await tc(s, 'add', 'ingress', { index: d0 });
      await tc(s, 'add-filter', 'u32', {
        index: d0,
        parent: 'ffff:',
        prio: 5,
        protocol: 'ip',
        match: 'ip src 192.168.1.0/24',
        action: { kind: 'mirred', direction: 'egress', action: 'redirect', ifindex: d1 },
      });
      const ing = (await tcJson(ns, 'filter show dev d0 ingress')).filter((x) => x.options?.actions);
      assert.equal(ing.length, 1);
      const a = ing[0].options.actions[0];
      assert.deepEqual([a.kind, a.mirred_action, a.direction, a.to_dev], ['mirred', 'redirect', 'egress', 'd1']);

      await tc(s, 'add', 'clsact', { index: d1 });
      await tc(s, 'add-filter', 'bpf', {
        index: d1,
        parent: 'ffff:fff3',
        bytecode: '1,6 0 0 4294967295',
        classid: '1:1',
      });
      const eg = (await tcJson(ns, 'filter show dev d1 egress')).filter((x) => x.options);
      assert.equal(eg.length, 1);
      assert.deepEqual(eg[0].options.bytecode.insns, [{ code: 6, jt: 0, jf: 0, k: 4294967295 }]);
      assert.equal(eg[0].options.flowid, '1:1');
    });
  });

  it('kernel refusals arrive as NetlinkError with the errno', async () => {
    await withNetns(async (ns) => {
      const { d0 } = await veth(ns);
      await using s = sock(ns);
      await tc(s, 'add', 'htb', { index: d0, handle: '1:' });
      await assert.rejects(
        tc(s, 'add', 'htb', { index: d0, handle: '1:' }),
        (e: unknown) => e instanceof NetlinkError && e.code === 'EEXIST',
      );
      await assert.rejects(
        tc(s, 'add-class', 'htb', { index: d0, parent: '7:', handle: '7:1', rate: '1mbit' }),
        NetlinkError,
      );
      await assert.rejects(tc(s, 'del-class', null, { index: d0, handle: '1:99' }), NetlinkError);
    });
  });
});

describe('tc creates, nlroute reads', () => {
  it('qdiscs, classes and filters with their options and stats', async () => {
    await withNetns(async (ns) => {
      const { d0, d1 } = await veth(ns);
      const T = (args: string) => ns.exec('tc', args.split(' '));
      await T('qdisc add dev d0 root handle 1: htb default 20 r2q 7');
      await T('class add dev d0 parent 1: classid 1:20 htb rate 10mbit ceil 20mbit prio 3');
      await T(
        'filter add dev d0 parent 1: protocol ip prio 4 u32 match ip dst 10.9.0.0/16 match ip dport 443 0xffff flowid 1:20',
      );
      await T('qdisc add dev d1 root handle 5: tbf rate 2mbit burst 20k latency 100ms');
      await T('qdisc add dev d0 ingress');
      await T(
        'filter add dev d0 parent ffff: protocol ip prio 1 u32 match ip src 10.0.0.0/8 action mirred egress mirror dev d1',
      );
      await using s = sock(ns);

      const qd = await getQdiscs(s, { index: d0 });
      const htbQ = qd.find((m) => m.getAttr('TCA_KIND') === 'htb')!;
      assert.equal(htbQ.fields.handle, 0x10000);
      assert.equal(htbQ.fields.parent, 0xffffffff);
      const init = (htbQ.getAttr('TCA_OPTIONS') as any).getAttr('TCA_HTB_INIT');
      // The kernel reports its own HTB version (0x30011), not the 3 tc sends.
      assert.deepEqual([init.rate2quantum, init.defcls], [7, 0x20]);
      assert.equal((htbQ.toJSON().fields as any).handle, '1:');
      const basic = (htbQ.getAttr('TCA_STATS2') as any).getAttr('TCA_STATS_BASIC');
      assert.equal(typeof basic.bytes, 'bigint');
      assert.ok(qd.some((m) => m.getAttr('TCA_KIND') === 'ingress' && m.fields.parent === 0xfffffff1));

      const cl = await getClasses(s, d0);
      const c20 = cl.find((m) => m.fields.handle === 0x10020)!;
      assert.equal(c20.getAttr('TCA_KIND'), 'htb');
      const parms = (c20.getAttr('TCA_OPTIONS') as any).getAttr('TCA_HTB_PARMS');
      assert.deepEqual([parms.rate.rate, parms.ceil.rate, parms.prio], [1_250_000, 2_500_000, 3]);
      const xs = c20.getAttr('TCA_XSTATS') as any;
      assert.equal(typeof xs.tokens, 'number');
      const app = (c20.getAttr('TCA_STATS2') as any).getAttr('TCA_STATS_APP');
      assert.equal(typeof app.ctokens, 'number');

      const fl = (await getFilters(s, d0, '1:')).filter((m) => (m.getAttr('TCA_OPTIONS') as any)?.has('TCA_U32_SEL'));
      assert.equal(fl.length, 1);
      assert.deepEqual(filterKey(fl[0]), { prio: 4, protocol: 0x0800 });
      const u = fl[0].getAttr('TCA_OPTIONS') as any;
      assert.equal(u.getAttr('TCA_U32_CLASSID'), 0x10020);
      assert.deepEqual(u.getAttr('TCA_U32_SEL').keys, [
        { mask: 0xffff0000, val: 0x0a090000, off: 16, offmask: 0 },
        { mask: 0x0000ffff, val: 443, off: 20, offmask: 0 },
      ]);

      const ing = (await getFilters(s, d0, 'ingress')).filter((m) =>
        (m.getAttr('TCA_OPTIONS') as any)?.has('TCA_U32_ACT'),
      );
      assert.equal(ing.length, 1);
      const act = (ing[0].getAttr('TCA_OPTIONS') as any).getAttr('TCA_U32_ACT')[0];
      assert.equal(act.getAttr('TCA_ACT_KIND'), 'mirred');
      const p = act.getAttr('TCA_ACT_OPTIONS').getAttr('TCA_MIRRED_PARMS');
      assert.deepEqual([p.eaction, p.ifindex, p.action], [2, d1, 3]);

      const tbfQ = (await getQdiscs(s, { index: d1, kind: 'tbf' }))[0];
      const t = tbfQ.getAttr('TCA_OPTIONS') as any;
      assert.equal(t.getAttr('TCA_TBF_PARMS').rate.rate, 250_000);
      assert.equal(tbfQ.fields.handle, 0x50000);
      // Whole-message JSON works for every dumped object (no undecodable parts).
      for (const m of [...qd, ...cl, ...fl, ...ing, tbfQ]) {
        m.validate();
        JSON.stringify(m.toJSON());
      }

      // nlroute deletes what tc made.
      await tc(s, 'del', null, { index: d0, parent: 'ingress' });
      await tc(s, 'del', null, { index: d0 });
      assert.deepEqual(
        (await getQdiscs(s, { index: d0 }))
          .map((m) => m.getAttr('TCA_KIND'))
          .filter((k) => k === 'htb' || k === 'ingress'),
        [],
      );
    });
  });

  it('an eBPF filter loaded by tc', { skip: !haveLlc && 'llc missing' }, async () => {
    await withNetns(async (ns) => {
      const { d0 } = await veth(ns);
      const obj = buildBpfObject();
      await ns.exec('tc', ['qdisc', 'add', 'dev', 'd0', 'clsact']);
      await ns.exec('tc', ['filter', 'add', 'dev', 'd0', 'ingress', 'bpf', 'da', 'obj', obj, 'sec', 'classifier']);
      await using s = sock(ns);
      const f = (await getFilters(s, d0, 'ffff:fff2')).filter((m) =>
        (m.getAttr('TCA_OPTIONS') as any)?.has('TCA_BPF_ID'),
      );
      assert.equal(f.length, 1);
      const o = f[0].getAttr('TCA_OPTIONS') as any;
      assert.equal(o.getAttr('TCA_BPF_NAME'), 'prog.o:[classifier]');
      assert.equal(o.getAttr('TCA_BPF_FLAGS'), 1);
      assert.equal(o.getAttr('TCA_BPF_TAG').length, 8);
      assert.ok(o.getAttr('TCA_BPF_ID') > 0);
      await tc(s, 'del-filter', 'bpf', {
        index: d0,
        parent: 'ffff:fff2',
        prio: filterKey(f[0]).prio,
        protocol: 'all',
        handle: f[0].fields.handle,
      });
      assert.equal((await getFilters(s, d0, 'ffff:fff2')).length, 0);
    });
  });
});
