// The codec without a kernel: every NLA type round-trips, unknowns survive byte for byte,
// malformed input gives typed errors with offsets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AttrSet,
  Marshal,
  MessageSchema,
  NetlinkDecodeError,
  NetlinkEncodeError,
  arrayOf,
  asciiz,
  attrMap,
  be16,
  be32,
  be64,
  binary,
  bytes,
  cstring,
  enumOf,
  flag,
  flagsOf,
  hex,
  ipaddr,
  ipv4,
  ipv6,
  l2addr,
  mac,
  nested,
  nestedArray,
  netorder,
  pad,
  s16,
  s32,
  s64,
  s8,
  select,
  string,
  struct,
  u16,
  u32,
  u64,
  u8,
  NLA_F_NESTED,
  NLA_F_NET_BYTEORDER,
  AF_INET6,
  AF_MPLS,
} from '../src/core/index.js';

const inner = attrMap('inner', {
  IN_A: [1, u32],
  IN_B: [2, asciiz],
});

const kindA = attrMap('kind_a', { KA_X: [1, u16] });
const kindB = attrMap('kind_b', { KB_Y: [1, ipv4] });

const hdr = struct('testhdr', { family: u8, __pad: pad(3), index: s32 });

const all = attrMap('all', {
  T_U8: [1, u8],
  T_U16: [2, u16],
  T_U32: [3, u32],
  T_U64: [4, u64],
  T_S8: [5, s8],
  T_S16: [6, s16],
  T_S32: [7, s32],
  T_S64: [8, s64],
  T_BE16: [9, be16],
  T_BE32: [10, be32],
  T_BE64: [11, be64],
  T_IPV4: [12, ipv4],
  T_IPV6: [13, ipv6],
  T_ADDR: [14, ipaddr],
  T_MAC: [15, l2addr],
  T_ASCIIZ: [16, asciiz],
  T_STRING: [17, string],
  T_FLAG: [18, flag],
  T_BIN: [19, binary],
  T_HEX: [20, hex],
  T_NESTED: [21, nested(inner, { flag: true })],
  T_LIST: [22, nestedArray(nested(inner))],
  T_STRUCT: [23, struct('s', { a: u8, __p: pad(1), b: u16, c: u32, m: mac, name: cstring(6), raw: bytes(4) })],
  T_ENUM: [24, enumOf(u8, { ONE: 1, TWO: 2 })],
  T_FLAGS: [25, flagsOf(u32, { F_A: 1, F_B: 2, F_C: 8 })],
  T_ARRAY: [26, arrayOf(u32)],
  T_NETORDER: [27, netorder(be32)],
  T_KIND: [28, asciiz],
  T_DATA: [29, select('T_KIND', { a: nested(kindA), b: nested(kindB) })],
});

const schema = new MessageSchema('test.msg', hdr, all, { familyField: 'family', types: { TEST_NEW: 100 } });

describe('codec round trips', () => {
  const values = {
    T_U8: 255,
    T_U16: 65535,
    T_U32: 4294967295,
    T_U64: 18446744073709551615n,
    T_S8: -128,
    T_S16: -32768,
    T_S32: -2147483648,
    T_S64: -9223372036854775808n,
    T_BE16: 0x1234,
    T_BE32: 0x12345678,
    T_BE64: 0x1122334455667788n,
    T_IPV4: '192.0.2.1',
    T_IPV6: '2001:db8::1',
    T_ADDR: 'fe80::1:2',
    T_MAC: '02:00:00:aa:bb:cc',
    T_ASCIIZ: 'eth0',
    T_STRING: 'text',
    T_FLAG: true,
    T_BIN: Buffer.from([1, 2, 3]),
    T_HEX: Buffer.from('deadbeef', 'hex'),
    T_NESTED: { IN_A: 7, IN_B: 'x' },
    T_LIST: [{ IN_A: 1 }, { IN_A: 2, IN_B: 'two' }],
    T_STRUCT: { a: 1, b: 2, c: 3, m: '01:02:03:04:05:06', name: 'ab', raw: Buffer.from('01020304', 'hex') },
    T_ENUM: 'TWO',
    T_FLAGS: ['F_A', 'F_C'],
    T_ARRAY: [1, 2, 3],
    T_NETORDER: 0xc0000201,
    T_KIND: 'b',
    T_DATA: { KB_Y: '10.0.0.1' },
  } as const;
  const buf = schema.encode({
    type: 100,
    flags: 5,
    seq: 9,
    pid: 3,
    fields: { family: AF_INET6, index: -1 },
    attrs: values,
  });
  const msg = schema.decode(buf);

  it('header and fields', () => {
    assert.equal(msg.length, buf.length);
    assert.equal(msg.type, 100);
    assert.equal(msg.flags, 5);
    assert.equal(msg.seq, 9);
    assert.equal(msg.pid, 3);
    assert.equal(msg.fields.family, AF_INET6);
    assert.equal(msg.fields.index, -1);
    assert.equal(msg.field('index'), -1);
    assert.equal(msg.family, AF_INET6);
  });

  it('every scalar type', () => {
    for (const k of [
      'T_U8',
      'T_U16',
      'T_U32',
      'T_U64',
      'T_S8',
      'T_S16',
      'T_S32',
      'T_S64',
      'T_BE16',
      'T_BE32',
      'T_BE64',
      'T_IPV4',
      'T_IPV6',
      'T_ADDR',
      'T_MAC',
      'T_ASCIIZ',
      'T_STRING',
      'T_NETORDER',
    ] as const) {
      assert.equal(msg.getAttr(k), values[k], k);
    }
    assert.equal(msg.getAttr('T_FLAG'), true);
    assert.deepEqual(msg.getAttr('T_BIN'), values.T_BIN);
    assert.deepEqual(msg.getAttr('T_HEX'), values.T_HEX);
    assert.equal(msg.getAttr('T_ENUM'), 2);
    assert.equal(msg.getAttr('T_FLAGS'), 9);
    assert.deepEqual(msg.getAttr('T_ARRAY'), [1, 2, 3]);
  });

  it('byte order and flags on the wire', () => {
    const be = msg.raw('T_BE32')!;
    assert.equal(be.toString('hex'), '12345678');
    const entries = msg.entries(true);
    const no = entries.find((e) => e.name === 'T_NETORDER')!;
    assert.equal(no.flags, NLA_F_NET_BYTEORDER);
    const nest = entries.find((e) => e.name === 'T_NESTED')!;
    assert.equal(nest.flags, NLA_F_NESTED);
    assert.equal(entries.find((e) => e.name === 'T_LIST')!.flags, 0);
  });

  it('nested, lists, structs and selected types', () => {
    const n = msg.getAttr('T_NESTED')!;
    assert.ok(n instanceof AttrSet);
    assert.equal(n.getAttr('IN_A'), 7);
    assert.equal(n.getAttr('IN_B'), 'x');
    const list = msg.getAttr('T_LIST')!;
    assert.equal(list.length, 2);
    assert.equal(list[1].getAttr('IN_B'), 'two');
    const s = msg.getAttr('T_STRUCT')!;
    assert.deepEqual({ ...s, raw: s.raw.toString('hex') }, { ...values.T_STRUCT, raw: '01020304' });
    const d = msg.getAttr('T_DATA') as AttrSet;
    assert.equal(d.getAttr('KB_Y' as never), '10.0.0.1');
  });

  it('printable form uses names', () => {
    const j = msg.toJSON();
    assert.equal(j.class, 'test.msg');
    assert.equal(j.header.type, 'TEST_NEW');
    const m = new Map(j.attrs);
    assert.equal(m.get('T_ENUM'), 'TWO');
    assert.deepEqual(m.get('T_FLAGS'), ['F_A', 'F_C']);
    assert.equal(m.get('T_U64'), '18446744073709551615');
    assert.equal(m.get('T_HEX'), 'deadbeef');
    assert.deepEqual(m.get('T_NESTED'), [
      ['IN_A', 7],
      ['IN_B', 'x'],
    ]);
    assert.deepEqual(m.get('T_DATA'), [['KB_Y', '10.0.0.1']]);
    assert.doesNotThrow(() => JSON.stringify(j));
  });

  it('re-encodes from decoded attributes byte for byte', () => {
    const pairs = msg.entries(true).map((e) => [e.name, e.value] as [string | number, unknown]);
    const again = schema.encode({
      type: 100,
      flags: 5,
      seq: 9,
      pid: 3,
      fields: { family: AF_INET6, index: -1 },
      attrs: pairs as never,
    });
    assert.deepEqual(again, buf);
  });

  it('MPLS label stacks by message family', () => {
    const b = schema.encode({ type: 100, fields: { family: AF_MPLS }, attrs: { T_ADDR: '100/200' } });
    const m = schema.decode(b);
    assert.equal(m.getAttr('T_ADDR'), '100/200');
    assert.equal(m.raw('T_ADDR')!.toString('hex'), '00064000000c8100');
  });
});

describe('unknown attributes and grown structs', () => {
  it('keeps unknown ids with their bytes and re-encodes them identically', () => {
    const known = schema.encode({
      type: 100,
      attrs: [
        ['T_U8', 1],
        [0x8077, Buffer.from('0800010002000000', 'hex')],
        [99, Buffer.from('abcdef', 'hex')],
      ],
    });
    const m = schema.decode(known);
    const e = m.entries(true);
    assert.equal(e[1].name, 0x8077);
    assert.equal(e[1].id, 0x77);
    assert.equal(e[1].flags, NLA_F_NESTED);
    assert.equal(e[2].raw.toString('hex'), 'abcdef');
    const back = schema.encode({ type: 100, attrs: m.toJSON().attrs as never });
    assert.deepEqual(back, known);
  });

  it('decodes a longer struct than known and keeps the tail', () => {
    const st = struct('grow', { a: u32, b: u64 });
    const map = attrMap('g', { G: [1, st] });
    const sch = new MessageSchema('test.grow', struct('e', {}), map);
    const payload = Buffer.alloc(20);
    payload.writeUInt32LE(5, 0);
    payload.writeBigUInt64LE(6n, 4);
    payload.writeUInt32LE(0xaabbccdd, 12);
    const b = sch.encode({ type: 200, attrs: [[1, payload]] });
    const v = sch.decode(b).getAttr('G')!;
    assert.equal(v.a, 5);
    assert.equal(v.b, 6n);
    assert.equal(v._tail!.toString('hex'), 'ddccbbaa00000000');
  });

  it('rejects a struct shorter than its minimum with an offset', () => {
    const st = struct('s', { a: u32, b: u32 });
    const sch = new MessageSchema('test.short', struct('e', {}), attrMap('s', { S: [1, st] }));
    const b = sch.encode({ type: 200, attrs: [[1, Buffer.alloc(6)]] });
    assert.throws(
      () => sch.decode(b).getAttr('S'),
      (e: unknown) => e instanceof NetlinkDecodeError && e.offset === 20,
    );
  });
});

describe('malformed input', () => {
  const good = schema.encode({ type: 100, attrs: { T_U32: 1, T_ASCIIZ: 'abc', T_NESTED: { IN_A: 1 } } });
  const marshal = new Marshal({ 100: schema });

  it('truncated header', () => {
    assert.throws(
      () => marshal.parse(good.subarray(0, 10)),
      (e: unknown) => e instanceof NetlinkDecodeError && e.offset === 0,
    );
    assert.throws(() => schema.decode(good.subarray(0, 10)), NetlinkDecodeError);
  });

  it('nlmsg_len under 16 and past the end', () => {
    const b = Buffer.from(good);
    b.writeUInt32LE(8, 0);
    assert.throws(() => marshal.parse(b), /under the header size/);
    b.writeUInt32LE(good.length + 4, 0);
    assert.throws(() => marshal.parse(b), /runs past the buffer/);
    const errors: Error[] = [];
    assert.deepEqual(
      marshal.parse(b, 0, b.length, false, (e) => errors.push(e)),
      [],
    );
    assert.equal(errors.length, 1);
  });

  it('attribute length under 4 or past the message', () => {
    for (const len of [2, 200]) {
      const b = Buffer.from(good);
      b.writeUInt16LE(len, 24);
      const m = schema.decode(b);
      assert.throws(
        () => m.entries(true),
        (e: unknown) => e instanceof NetlinkDecodeError && e.offset === 24,
      );
      const lenient = m.entries(false);
      assert.equal(lenient[0].name, '(malformed)');
      assert.ok(lenient[0].error instanceof NetlinkDecodeError);
      assert.equal(m.getAttr('T_U32'), undefined);
      assert.doesNotThrow(() => JSON.stringify(m.toJSON()));
    }
  });

  it('nested attribute overflowing its parent', () => {
    const b = Buffer.from(good);
    const nestAt = b.length - 12; // T_NESTED header, its child at +4
    assert.equal(b.readUInt16LE(nestAt + 2) & 0xff, 21);
    b.writeUInt16LE(40, nestAt + 4);
    const m = schema.decode(b);
    assert.throws(
      () => m.validate(),
      (e: unknown) => e instanceof NetlinkDecodeError && e.offset === nestAt + 4,
    );
    const entry = m.entries(false).find((e) => e.name === 'T_NESTED')!;
    const innerEntries = (entry.value as AttrSet).entries(false);
    assert.equal(innerEntries[0].name, '(malformed)');
    assert.equal(innerEntries[0].error!.offset, nestAt + 4);
  });

  it('string without NUL', () => {
    const b = schema.encode({ type: 100, attrs: [[16, Buffer.from('abcd')]] });
    assert.throws(() => schema.decode(b).getAttr('T_ASCIIZ'), /without NUL/);
  });

  it('encoding errors name the attribute', () => {
    assert.throws(
      () => schema.encode({ type: 100, attrs: { T_U8: 256 } }),
      (e: unknown) => e instanceof NetlinkEncodeError && /T_U8/.test((e as Error).message),
    );
    assert.throws(() => schema.encode({ type: 100, attrs: { T_IPV4: '300.1.1.1' } }), NetlinkEncodeError);
    assert.throws(() => schema.encode({ type: 100, attrs: { NOPE: 1 } as never }), /has no attribute NOPE/);
    assert.throws(() => schema.encode({ type: 100, attrs: { T_ENUM: 'THREE' } as never }), /unknown name THREE/);
    assert.throws(() => schema.encode({ type: 70000 }), NetlinkEncodeError);
  });

  it('several messages in one buffer', () => {
    const two = Buffer.concat([good, good]);
    assert.equal(marshal.parse(two).length, 2);
  });
});
