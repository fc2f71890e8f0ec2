// Offline checks of tc's units, rate tables, handles, u32 matches and request building:
// no kernel needed. The live, byte-for-byte comparison with tc is in rtnl-tc.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { NetlinkEncodeError } from '../src/core/index.js';
import {
  formatRate,
  parsePsched,
  parseRate,
  parseSize,
  parseSizeAndCell,
  parseTime,
  rateTable,
  toU32,
} from '../src/rtnl/rate.js';
import {
  filterInfo,
  formatHandle,
  parseBytecode,
  parseHandle,
  parseMatch,
  parseVerdict,
  splitFilterInfo,
  type U32Key,
} from '../src/rtnl/tc/index.js';
import { parseU32Handle, tcRequest } from '../src/rtnl/tc.js';
import { tcmsg } from '../src/rtnl/tcmsg.js';

describe('tc units', () => {
  it('parses rates like tc (bytes per second)', () => {
    assert.equal(parseRate('10mbit'), 1_250_000);
    assert.equal(parseRate('1gbit'), 125_000_000);
    assert.equal(parseRate('1Gbit'), 125_000_000);
    assert.equal(parseRate('100kbps'), 100_000);
    assert.equal(parseRate('1.5mibit'), 196_608);
    assert.equal(parseRate('64000'), 8000); // a bare number is bits per second
    assert.equal(parseRate('10tbit'), 1_250_000_000_000);
    assert.equal(parseRate(1000), 1000);
    assert.throws(() => parseRate('10 furlongs'), NetlinkEncodeError);
    assert.throws(() => parseRate('fast'), NetlinkEncodeError);
    assert.throws(() => parseRate(-1), NetlinkEncodeError);
  });

  it('parses sizes and cells', () => {
    assert.equal(parseSize('1540'), 1540);
    assert.equal(parseSize('15k'), 15360);
    assert.equal(parseSize('15kb'), 15360);
    assert.equal(parseSize('1mb'), 1 << 20);
    assert.equal(parseSize('1g'), 1 << 30);
    assert.equal(parseSize('64kbit'), 8192);
    assert.equal(parseSize('10b'), 10);
    assert.deepEqual(parseSizeAndCell('15k/8'), { size: 15360, cellLog: 3 });
    assert.deepEqual(parseSizeAndCell('3000'), { size: 3000 });
    assert.throws(() => parseSizeAndCell('15k/7'), NetlinkEncodeError);
    assert.throws(() => parseSize('12q'), NetlinkEncodeError);
  });

  it('parses times in microseconds', () => {
    assert.equal(parseTime('50ms'), 50_000);
    assert.equal(parseTime('1s'), 1_000_000);
    assert.equal(parseTime('2.5msec'), 2500);
    assert.equal(parseTime('400us'), 400);
    assert.equal(parseTime('400'), 400);
    assert.throws(() => parseTime('5min'), NetlinkEncodeError);
  });

  it('reads the psched clock as tc does', () => {
    const p = parsePsched('000003e8 00000040 000f4240 3b9aca00\n');
    assert.equal(p.tickInUsec, 15.625);
    assert.equal(p.clockFactor, 1);
    assert.equal(p.hz, 1_000_000_000);
    // Nanosecond clock_res: t2us is replaced by us2t.
    assert.equal(parsePsched('000003e8 00000040 3b9aca00 00000064').tickInUsec, 1000);
    assert.equal(parsePsched('').hz, 100);
  });

  it('builds rate tables', () => {
    const { spec, table } = rateTable(1_250_000, { mtu: 1600 });
    assert.deepEqual(spec, { cell_log: 3, linklayer: 1, overhead: 0, cell_align: -1, mpu: 0, rate: 1_250_000 });
    assert.equal(table.length, 1024);
    // Slot i holds the time of (i+1) << cell_log bytes, increasing.
    for (let i = 1; i < 256; i++) assert.ok(table.readUInt32LE(i * 4) >= table.readUInt32LE(i * 4 - 4));
    const atm = rateTable(1_250_000, { mtu: 1600, linklayer: 'atm' });
    assert.equal(atm.spec.linklayer, 2);
    assert.ok(atm.table.readUInt32LE(0) > table.readUInt32LE(0));
    assert.equal(rateTable(2 ** 33, {}).spec.rate, 0xffffffff);
    assert.equal(toU32(2 ** 32 + 5), 5);
  });

  it('formats rates', () => {
    assert.equal(formatRate(1_250_000), '10Mbit');
    assert.equal(formatRate(125), '1Kbit');
    assert.equal(formatRate(10), '80bit');
  });
});

describe('tc handles and keys', () => {
  it('parses and prints handles like tc', () => {
    assert.equal(parseHandle('1:'), 0x10000);
    assert.equal(parseHandle('1:20'), 0x10020);
    assert.equal(parseHandle(':20'), 0x20);
    assert.equal(parseHandle('ffff:'), 0xffff0000);
    assert.equal(parseHandle('ffff:fff2'), 0xfffffff2);
    assert.equal(parseHandle('root'), 0xffffffff);
    assert.equal(parseHandle('ingress'), 0xfffffff1);
    assert.equal(formatHandle(0x10020), '1:20');
    assert.equal(formatHandle(0x10000), '1:');
    assert.equal(formatHandle(0xffffffff), 'root');
    assert.throws(() => parseHandle('1:2:3'), NetlinkEncodeError);
    assert.throws(() => parseHandle('x:'), NetlinkEncodeError);
    assert.equal(parseU32Handle('800::800'), 0x80000800);
    assert.equal(parseU32Handle('1:'), 0x100000);
  });

  it('packs filter info and verdicts', () => {
    assert.equal(filterInfo(1, 0x0800), 0x10008);
    assert.deepEqual(splitFilterInfo(0x10008), { prio: 1, protocol: 0x0800 });
    assert.equal(filterInfo(0, 3), 0x300);
    assert.equal(parseVerdict('drop'), 2);
    assert.equal(parseVerdict('continue'), -1);
    assert.equal(parseVerdict('goto chain 5'), 0x20000005);
    assert.throws(() => parseVerdict('explode'), NetlinkEncodeError);
  });

  it('turns u32 matches into tc keys', () => {
    const keys: U32Key[] = [];
    parseMatch(keys, 'ip dst 10.1.0.0/16');
    parseMatch(keys, 'ip sport 80 0xffff');
    parseMatch(keys, 'ip dport 22 0xffff'); // same word as sport: merged
    parseMatch(keys, 'ip protocol 6 0xff');
    parseMatch(keys, 'u16 0x0800 0xffff at 12');
    assert.deepEqual(keys, [
      { val: 0x0a010000, mask: 0xffff0000, off: 16, offmask: 0 },
      { val: 0x00500016, mask: 0xffffffff, off: 20, offmask: 0 },
      { val: 0x00060000, mask: 0x00ff0000, off: 8, offmask: 0 },
      { val: 0x08000000, mask: 0xffff0000, off: 12, offmask: 0 },
    ]);
    assert.throws(() => parseMatch(keys, 'ip dst 10.2.0.0/16'), /conflicts/);
    assert.throws(() => parseMatch(keys, 'ip dst banana'), NetlinkEncodeError);
    assert.throws(() => parseMatch(keys, 'tcp dst 80'), NetlinkEncodeError);
    const v6: U32Key[] = [];
    parseMatch(v6, 'ip6 dst 2001:db8::/48');
    assert.deepEqual(v6, [
      { val: 0x20010db8, mask: 0xffffffff, off: 24, offmask: 0 },
      { val: 0, mask: 0xffff0000, off: 28, offmask: 0 },
    ]);
  });

  it('parses classic BPF bytecode', () => {
    assert.deepEqual(parseBytecode('2,40 0 0 12,6 0 0 4294967295'), [
      { code: 40, jt: 0, jf: 0, k: 12 },
      { code: 6, jt: 0, jf: 0, k: 0xffffffff },
    ]);
    assert.throws(() => parseBytecode('3,6 0 0 0'), NetlinkEncodeError);
  });
});

describe('tc requests', () => {
  const decode = (b: Buffer) => tcmsg.decode(b);

  it('builds an htb class with tc ratespecs and tables', () => {
    const m = decode(
      tcRequest('add-class', 'htb', {
        index: 2,
        parent: '1:',
        handle: '1:20',
        rate: '10mbit',
        ceil: '20mbit',
        prio: 2,
      }),
    );
    assert.equal(m.type, 40);
    assert.equal(m.fields.parent, 0x10000);
    assert.equal(m.fields.handle, 0x10020);
    const opts = m.getAttr('TCA_OPTIONS') as any;
    const parms = opts.getAttr('TCA_HTB_PARMS');
    assert.equal(parms.rate.rate, 1_250_000);
    assert.equal(parms.ceil.rate, 2_500_000);
    assert.equal(parms.prio, 2);
    assert.equal(parms.rate.cell_log, 3);
    assert.equal(opts.getAttr('TCA_HTB_RTAB').length, 1024);
    assert.equal(opts.getAttr('TCA_HTB_CTAB').length, 1024);
  });

  it('sends 64-bit rates in RATE64 attributes', () => {
    const m = decode(tcRequest('add-class', 'htb', { index: 2, parent: '1:', handle: '1:1', rate: '40gbit' }));
    const opts = m.getAttr('TCA_OPTIONS') as any;
    assert.equal(opts.getAttr('TCA_HTB_RATE64'), 5_000_000_000n);
    assert.equal(opts.getAttr('TCA_HTB_PARMS').rate.rate, 0xffffffff);
  });

  it('builds gact and fq_codel options (kinds this kernel lacks)', () => {
    const f = decode(
      tcRequest('add-filter', 'u32', { index: 2, parent: 'ffff:', match: 'ip src 1.2.3.4', action: 'drop' }),
    );
    const act = (f.getAttr('TCA_OPTIONS') as any).getAttr('TCA_U32_ACT')[0];
    assert.equal(act.getAttr('TCA_ACT_KIND'), 'gact');
    assert.equal(act.getAttr('TCA_ACT_OPTIONS').getAttr('TCA_GACT_PARMS').action, 2);
    const q = decode(
      tcRequest('add', 'fq_codel', { index: 2, limit: 1000, target: '5ms', interval: '100ms', ecn: true }),
    );
    const o = q.getAttr('TCA_OPTIONS') as any;
    assert.equal(o.getAttr('TCA_FQ_CODEL_TARGET'), 5000);
    assert.equal(o.getAttr('TCA_FQ_CODEL_INTERVAL'), 100_000);
    assert.equal(o.getAttr('TCA_FQ_CODEL_ECN'), 1);
    assert.equal(q.fields.parent, 0xffffffff);
  });

  it('places ingress and clsact at ffff:', () => {
    for (const kind of ['ingress', 'clsact']) {
      const m = decode(tcRequest('add', kind, { index: 5 }));
      assert.equal(m.fields.parent, 0xfffffff1);
      assert.equal(m.fields.handle, 0xffff0000);
      assert.equal(m.has('TCA_OPTIONS'), false);
    }
  });

  it('rejects bad input with typed errors', () => {
    assert.throws(() => tcRequest('add-class', 'htb', { index: 1, parent: '1:' }), /rate is required/);
    assert.throws(() => tcRequest('add', 'nosuchqdisc', { index: 1 }), /unknown kind/);
    assert.throws(
      () => tcRequest('add', 'htb', { index: 1, defualt: 5 } as never),
      /unknown key "defualt" \(did you mean default\?\)/,
    );
    assert.throws(() => tcRequest('add', 'htb', {}), /index is required/);
    assert.throws(() => tcRequest('frobnicate' as never, 'htb', { index: 1 } as never), NetlinkEncodeError);
    assert.throws(() => tcRequest('add', 'tbf', { index: 1, rate: '1mbit', burst: '10k' }), /limit and latency/);
    assert.throws(() => tcRequest('add-filter', 'bpf', { index: 1, pinned: '/sys/fs/bpf/x' }), /BPF_OBJ_GET/);
    assert.throws(() => tcRequest('add-filter', 'u32', { index: 1, action: { kind: 'mirred' } }), /ifindex/);
    assert.throws(
      () => tcRequest('add-filter', 'u32', { index: 1, action: { kind: 'teleport' } }),
      /unknown action kind/,
    );
    assert.throws(() => tcRequest('add', 'pfifo', { index: 1, limit: 'lots' }), NetlinkEncodeError);
    assert.throws(() => tcRequest('add-class', 'pfifo', { index: 1 }), /not a class kind/);
  });
});
