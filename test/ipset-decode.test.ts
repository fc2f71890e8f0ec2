// Offline ipset tests: protocol version fallback, listings of the types this kernel lacks
// (answers built with the schemas), the captured requests under the strict decoder, and
// the element parser's corners.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { NLMSG_DONE, NLM_F_MULTI, ReplayTransport } from '../src/core/index.js';
import { parseStraceLog } from '../src/tools/straceparse.js';
import {
  IPSet,
  IPSetSyntaxError,
  PortEntry,
  PortRange,
  icmpName,
  icmpTypeCode,
  ipsetMsg,
  ipsetType,
  nfnetlinkMarshal,
  parseEntry,
  setType,
  containerPrefix,
  encodeContainers,
  IPSET_CMD_ADD,
  IPSET_CMD_LIST,
  IPSET_CMD_PROTOCOL,
  IPSET_ERR_PROTOCOL,
} from '../src/ipset/index.js';

const NFGEN = { nfgen_family: 2 };

function done(): Buffer {
  const b = Buffer.alloc(20);
  b.writeUInt32LE(20, 0);
  b.writeUInt16LE(NLMSG_DONE, 4);
  b.writeUInt16LE(NLM_F_MULTI, 6);
  return b;
}

function error(errno: number): Buffer {
  const b = Buffer.alloc(36);
  b.writeUInt32LE(36, 0);
  b.writeUInt16LE(2, 4);
  b.writeInt32LE(-errno, 16);
  return b;
}

const protocolReply = (v: number, min?: number): Buffer =>
  ipsetMsg.encode({
    type: ipsetType(IPSET_CMD_PROTOCOL),
    fields: NFGEN,
    attrs:
      min === undefined
        ? [['IPSET_ATTR_PROTOCOL', v]]
        : [
            ['IPSET_ATTR_PROTOCOL', v],
            ['IPSET_ATTR_PROTOCOL_MIN', min],
          ],
  });

test('protocol version: 7 where the kernel has it, 6 on kernels that refuse 7', async () => {
  const seven = new ReplayTransport([[protocolReply(7, 6)], [done()]]);
  const a = new IPSet({ transport: seven });
  assert.equal(await a.getProtocolVersion(), 7);
  await a.list().all();
  a.close();
  assert.equal(seven.sent[1][20 + 4], 7, 'LIST carries IPSET_ATTR_PROTOCOL 7');

  const six = new ReplayTransport([[error(IPSET_ERR_PROTOCOL)], [protocolReply(6)], [done()]]);
  const b = new IPSet({ transport: six });
  assert.equal(await b.getProtocolVersion(), 6);
  await b.list().all();
  b.close();
  assert.equal(six.sent[0][20 + 4], 7);
  assert.equal(six.sent[1][20 + 4], 6);
  assert.equal(six.sent[2][20 + 4], 6, 'later requests speak 6');
});

/** A LIST answer for one set of `type` holding these elements (ADT-space attribute pairs). */
function listing(type: string, family: number, elems: [string, unknown][][]): Buffer {
  return ipsetMsg.encode({
    type: ipsetType(IPSET_CMD_LIST),
    flags: NLM_F_MULTI,
    fields: NFGEN,
    attrs: [
      ['IPSET_ATTR_PROTOCOL', 7],
      ['IPSET_ATTR_SETNAME', 's'],
      ['IPSET_ATTR_TYPENAME', type],
      ['IPSET_ATTR_FAMILY', family],
      ['IPSET_ATTR_REVISION', setType(type)!.revision],
      [
        'IPSET_ATTR_DATA',
        [
          ['IPSET_ATTR_HASHSIZE', 1024],
          ['IPSET_ATTR_MAXELEM', 65536],
          ['IPSET_ATTR_CADT_FLAGS', 8],
          ['IPSET_ATTR_ELEMENTS', elems.length],
          ['IPSET_ATTR_REFERENCES', 0],
          ['IPSET_ATTR_MEMSIZE', 500],
        ],
      ],
      ['IPSET_ATTR_ADT', elems],
    ],
  });
}

const v4 = (ip: string): [string, string][] => [['IPSET_ATTR_IPADDR_IPV4', ip]];
const v6 = (ip: string): [string, string][] => [['IPSET_ATTR_IPADDR_IPV6', ip]];

test('listings of the set types this kernel lacks decode and print as ipset(8) would', async () => {
  const cases: [string, number, [string, unknown][][], string[]][] = [
    [
      'hash:mac',
      0,
      [
        [
          ['IPSET_ATTR_ETHER', '00:11:22:aa:bb:cc'],
          ['IPSET_ATTR_PACKETS', 1n],
          ['IPSET_ATTR_BYTES', 2n],
        ],
      ],
      ['create s hash:mac hashsize 1024 maxelem 65536 counters', 'add s 00:11:22:AA:BB:CC packets 1 bytes 2'],
    ],
    [
      'hash:ip,mac',
      10,
      [
        [
          ['IPSET_ATTR_IP', v6('2001:db8::1')],
          ['IPSET_ATTR_ETHER', '02:00:00:00:00:01'],
        ],
      ],
      ['create s hash:ip,mac family inet6 hashsize 1024 maxelem 65536 counters', 'add s 2001:db8::1,02:00:00:00:00:01'],
    ],
    [
      'hash:net,net',
      2,
      [
        [
          ['IPSET_ATTR_IP', v4('192.0.2.0')],
          ['IPSET_ATTR_CIDR', 24],
          ['IPSET_ATTR_IP2', v4('10.0.0.0')],
          ['IPSET_ATTR_CIDR2', 8],
          ['IPSET_ATTR_CADT_FLAGS', 4],
        ],
      ],
      [
        'create s hash:net,net family inet hashsize 1024 maxelem 65536 counters',
        'add s 192.0.2.0/24,10.0.0.0/8 nomatch',
      ],
    ],
    [
      'hash:ip,mark',
      2,
      [
        [
          ['IPSET_ATTR_IP', v4('192.0.2.1')],
          ['IPSET_ATTR_MARK', 0x20],
        ],
      ],
      ['create s hash:ip,mark family inet hashsize 1024 maxelem 65536 counters', 'add s 192.0.2.1,0x00000020'],
    ],
    [
      'hash:net,port,net',
      2,
      [
        [
          ['IPSET_ATTR_IP', v4('192.0.2.0')],
          ['IPSET_ATTR_CIDR', 24],
          ['IPSET_ATTR_PORT', 0x0803],
          ['IPSET_ATTR_PROTO', 1],
          ['IPSET_ATTR_IP2', v4('10.0.0.0')],
          ['IPSET_ATTR_CIDR2', 8],
        ],
      ],
      [
        'create s hash:net,port,net family inet hashsize 1024 maxelem 65536 counters',
        'add s 192.0.2.0/24,icmp:8/3,10.0.0.0/8',
      ],
    ],
  ];
  for (const [type, family, elems, save] of cases) {
    const t = new ReplayTransport([[protocolReply(7, 6)], [listing(type, family, elems), done()]]);
    const ipset = new IPSet({ transport: t });
    assert.equal(await ipset.save(), save.join('\n') + '\n', type);
    ipset.close();
  }
  const t = new ReplayTransport([
    [protocolReply(7, 6)],
    [
      listing('hash:ip,mark', 2, [
        [
          ['IPSET_ATTR_IP', v4('192.0.2.1')],
          ['IPSET_ATTR_MARK', 0x20],
        ],
      ]),
      done(),
    ],
  ]);
  const ipset = new IPSet({ transport: t });
  const [s] = await ipset.list();
  ipset.close();
  assert.deepEqual(
    [s.header.type, s.header.counters, s.header.memsize, s.entries[0].ip, s.entries[0].mark],
    ['hash:ip,mark', true, 500, '192.0.2.1', 0x20],
  );
});

test('every captured ipset(8) request decodes strictly', () => {
  const dir = new URL('../../test/fixtures/ipset/', import.meta.url);
  const marshal = nfnetlinkMarshal();
  let n = 0;
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.log'))) {
    for (const tr of parseStraceLog(readFileSync(new URL(f, dir), 'utf8')).transfers) {
      for (const m of marshal.parse(tr.bytes)) {
        assert.match(m.schema.name, /^ipset\./, f);
        m.validate();
        assert.equal(m.getAttr('IPSET_ATTR_PROTOCOL'), 7);
        n++;
      }
    }
  }
  assert.ok(n > 150);
});

test('bulk containers decode strictly: one IPSET_ATTR_DATA per element, LINENO = index + 1', () => {
  const t = setType('hash:net,port')!;
  const plan = {
    list: ['192.0.2.0/24,tcp:80', 'bogus', ['198.51.100.0/24', new PortEntry('echo-request', 'icmp')]] as const,
    dims: t.dims,
    ctx: { kind: t.kind, family: 2 },
    common: { cadtFlags: 0 },
    plain: false,
    prefix: containerPrefix('s', 7, ipsetType(IPSET_CMD_ADD)),
  };
  const failed: number[] = [];
  const c = encodeContainers(plan, null, 0, 3, Infinity, (i) => failed.push(i));
  assert.deepEqual(failed, [1]);
  assert.equal(c.spans.length, 2);
  const [m] = nfnetlinkMarshal().parse(c.bytes.subarray(c.spans[0], c.spans[1]));
  m.validate();
  const adt = m.getAttr('IPSET_ATTR_ADT') as { getAttr(n: string): unknown }[];
  assert.deepEqual(
    adt.map((d) => d.getAttr('IPSET_ATTR_LINENO')),
    [1, 3],
  );
  assert.deepEqual(
    adt.map((d) => d.getAttr('IPSET_ATTR_PORT')),
    [80, 0x0800],
  );
  assert.deepEqual([...c.order.subarray(0, 2)], [0, 2]);
});

test('ICMP names as ipset(8) reads and prints them', () => {
  assert.equal(icmpTypeCode('echo-request'), 8 << 8);
  assert.equal(icmpTypeCode('echo-req'), 8 << 8, 'a leading part is enough');
  assert.equal(icmpTypeCode('echo-reply', true), 129 << 8);
  assert.equal(icmpTypeCode('neigbour-solicitation', true), 135 << 8);
  assert.equal(icmpTypeCode('nope'), undefined);
  assert.equal(icmpName(0x0301), 'host-unreachable');
  assert.equal(icmpName(0x0800), 'echo-request');
  assert.equal(icmpName(0x8000, true), 'echo-request');
  assert.equal(icmpName(0x0909), undefined);
});

test('element parsing: forms, separators, protocols', () => {
  const np = setType('hash:net,port')!;
  const ctx = { kind: np.kind, typeName: np.name, family: 2 };
  assert.deepEqual(
    parseEntry('192.0.2.0/24,tcp:80', np.dims, ctx),
    parseEntry(['192.0.2.0/24', new PortEntry(80, 'tcp')], np.dims, ctx),
  );
  assert.deepEqual(
    parseEntry('192.0.2.0/24,80', np.dims, ctx),
    parseEntry(['192.0.2.0/24', new PortEntry(80)], np.dims, ctx),
  );
  assert.deepEqual(
    parseEntry('192.0.2.0/24,udp:1-2', np.dims, ctx),
    parseEntry(['192.0.2.0/24', new PortRange(1, 2, 17)], np.dims, ctx),
  );
  assert.equal(parseEntry('192.0.2.0/24,icmp:echo-request', np.dims, ctx).port, 0x0800);
  assert.equal(parseEntry('192.0.2.0/24,http', np.dims, ctx).port, 80);
  assert.equal(parseEntry('192.0.2.0/24,tcp:0x10', np.dims, ctx).port, 16);
  assert.equal(parseEntry(['192.0.2.0/24', new PortEntry('ping', 'icmp')], np.dims, ctx).port, 0x0800);
  assert.equal(parseEntry({ ip: '192.0.2.0', cidr: 24, port: 53, proto: 'udp' }, np.dims, ctx).proto, 17);
  assert.throws(
    () => parseEntry('192.0.2.0/24,icmpv6:ping', np.dims, ctx),
    /Protocol ICMPv6 can be used with family inet6 only/,
  );
  assert.throws(
    () => parseEntry('192.0.2.0/24,tcp:80,x', np.dims, ctx),
    /Two elem separators in 192.0.2.0\/24,tcp:80,x, but settype hash:net,port supports one./,
  );
  assert.throws(
    () => parseEntry('192.0.2.0/24,icmp:nonsense', np.dims, ctx),
    /Cannot parse nonsense as an ICMP type\/code./,
  );
  assert.throws(
    () => parseEntry('192.0.2.0/24,tcp:nosuchservice', np.dims, ctx),
    /cannot parse 'nosuchservice' as a tcp port/,
  );
  assert.throws(() => parseEntry([1, 2, 3] as never, np.dims, ctx), IPSetSyntaxError);
  const port = setType('bitmap:port')!;
  assert.equal(
    parseEntry(new PortEntry(80, 'udp'), port.dims, { kind: 'bitmap' }).proto,
    undefined,
    'bitmap:port sends no protocol',
  );
  assert.throws(() => parseEntry('sctp:80', port.dims, { kind: 'bitmap' }), /Only protocols TCP and UDP are valid/);
  const iface = setType('hash:net,iface')!;
  assert.equal(parseEntry('10.0.0.0/8,physdev:eth0', iface.dims, {}).cadtFlags, 2);
  assert.throws(() => parseEntry('10.0.0.0/8,averyveryverylongname', iface.dims, {}), /longer than 15 characters/);
  const mac = setType('bitmap:ip,mac')!;
  assert.equal(parseEntry('10.0.0.1', mac.dims, { required: mac.required }).ether, undefined);
  assert.throws(
    () => parseEntry('10.0.0.1,zz:00:00:00:00:00', mac.dims, { required: mac.required }),
    /cannot parse 'zz:00:00:00:00:00' as ethernet address/,
  );
  assert.equal(new PortEntry(80, 'tcp').toString(), 'tcp:80');
  assert.equal(new PortRange(1, 2, 'udp').toString(), 'udp:1-2');
});
