// IPSet against the real kernel. Sets live per network namespace: every test makes its
// own namespace (deleted afterwards, also on failure) and works only there, checking
// nlroute's work with ipset(8) and ipset(8)'s work with nlroute.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { withNetns, type TestNetns } from './helpers/netns.js';
import {
  IPRange,
  IPSet,
  IPSetError,
  IPSetEntry,
  IPSetRestoreError,
  IPSetSyntaxError,
  PortEntry,
  PortRange,
  SET_TYPES,
  type CreateOptions,
  type EntryInput,
  type AddOptions,
  type SetTypeName,
} from '../src/ipset/index.js';

/** Run ipset(8) in the namespace. */
function ipsetCmd(ns: TestNetns, args: string[], input?: string): { code: number; out: string; err: string } {
  const r = spawnSync('ip', ['netns', 'exec', ns.name, 'ipset', ...args], {
    input,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function ipsetOk(ns: TestNetns, args: string[], input?: string): string {
  const r = ipsetCmd(ns, args, input);
  assert.equal(r.code, 0, `ipset ${args.join(' ')}: ${r.err}`);
  return r.out;
}

/** ipset(8)'s error text without its "ipset v7.17: " prefix. */
function ipsetError(ns: TestNetns, args: string[]): string {
  const r = ipsetCmd(ns, args);
  assert.notEqual(r.code, 0, `ipset ${args.join(' ')} should fail`);
  return r.err.trim().replace(/^ipset v[\d.]+: /, '');
}

async function withIPSet<T>(body: (ipset: IPSet, ns: TestNetns) => Promise<T>): Promise<T> {
  return withNetns(async (ns) => {
    const ipset = new IPSet({ netns: ns.name });
    try {
      return await body(ipset, ns);
    } finally {
      ipset.close();
    }
  });
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l);
const addLines = (save: string, set: string): string[] => lines(save).filter((l) => l.startsWith(`add ${set} `));
/** Remaining timeouts tick between two reads: compare without them. */
const untimed = (save: string): string => save.replace(/ timeout \d+/g, ' timeout N');

test('seed examples, in TypeScript', async () => {
  await withIPSet(async (ipset, ns) => {
    await ipset.create('foo');
    await ipset.add('foo', '198.51.100.1', { etype: 'ip' });
    await ipset.create('bar', { stype: 'bitmap:port', bitmapPortsRange: [1000, 2000] });
    await ipset.add('bar', new PortRange(1500, 2000), { etype: 'port' });
    await ipset.create('np', { stype: 'hash:net,port' });
    await ipset.add('np', ['198.51.100.0/24', new PortEntry(80, 'tcp')], { etype: 'net,port' });
    await ipset.create('np2', { stype: 'hash:net,port' });
    await ipset.add('np2', ['198.51.100.0/24', new PortRange(1000, 2000, 'udp')], { etype: 'net,port' });
    assert.equal(await ipset.test('np2', ['198.51.100.0/24', new PortEntry(1500, 'udp')], { etype: 'net,port' }), true);
    assert.equal(
      await ipset.test('np2', ['198.51.100.0/24', new PortEntry(1500, 'tcp')], { etype: 'net,port' }),
      false,
    );
    assert.equal(await ipset.test('np2', ['198.51.100.0/24', new PortEntry(2001, 'udp')]), false);
    assert.equal(await ipset.test('foo', '198.51.100.1'), true);

    const save = ipsetOk(ns, ['save']);
    assert.match(
      save,
      /^create foo hash:ip family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x[0-9a-f]{8}$/m,
    );
    assert.deepEqual(addLines(save, 'foo'), ['add foo 198.51.100.1']);
    assert.match(save, /^create bar bitmap:port range 1000-2000$/m);
    assert.equal(addLines(save, 'bar').length, 501);
    assert.equal(addLines(save, 'bar')[0], 'add bar 1500');
    assert.deepEqual(addLines(save, 'np'), ['add np 198.51.100.0/24,tcp:80']);
    assert.equal(addLines(save, 'np2').length, 1001);
    assert.ok(addLines(save, 'np2').includes('add np2 198.51.100.0/24,udp:1500'));
  });
});

test('protocol version; a named namespace without moving the process', async () => {
  const before = readlinkSync('/proc/self/ns/net');
  await withIPSet(async (ipset, ns) => {
    assert.equal(await ipset.getProtocolVersion(), 7);
    await ipset.create('here');
    assert.equal(readlinkSync('/proc/self/ns/net'), before);
    assert.equal(ipsetOk(ns, ['list', '-n']).trim(), 'here');
  });
});

interface TypeCase {
  stype: string;
  opts?: CreateOptions;
  setup?: string[];
  entries: [EntryInput, AddOptions?][];
  create: RegExp;
  adds: string[];
  ordered?: boolean;
}

const KERNEL_TYPES: TypeCase[] = [
  {
    stype: 'bitmap:ip',
    opts: { range: '10.0.0.0-10.0.0.255', counters: true, comment: true },
    entries: [
      ['10.0.0.1', { comment: 'one' }],
      [new IPRange('10.0.0.8', '10.0.0.9')],
      ['10.0.0.16/31', { packets: 3, bytes: 90 }],
    ],
    create: /^create s bitmap:ip range 10\.0\.0\.0-10\.0\.0\.255 counters comment$/m,
    adds: [
      'add s 10.0.0.1 packets 0 bytes 0 comment "one"',
      'add s 10.0.0.8 packets 0 bytes 0',
      'add s 10.0.0.9 packets 0 bytes 0',
      'add s 10.0.0.16 packets 3 bytes 90',
      'add s 10.0.0.17 packets 3 bytes 90',
    ],
    ordered: true,
  },
  {
    stype: 'bitmap:ip,mac',
    opts: { range: '10.0.0.0/24' },
    entries: [[['10.0.0.5', '00:11:22:aa:bb:cc']], ['10.0.0.6'], [{ ip: '10.0.0.7', mac: '0:1:2:3:4:5' }]],
    create: /^create s bitmap:ip,mac range 10\.0\.0\.0-10\.0\.0\.255$/m,
    adds: ['add s 10.0.0.5,00:11:22:AA:BB:CC', 'add s 10.0.0.6', 'add s 10.0.0.7,00:01:02:03:04:05'],
    ordered: true,
  },
  {
    stype: 'bitmap:port',
    opts: { bitmapPortsRange: [1000, 2000], skbinfo: true },
    entries: [
      [new PortRange(1500, 1502)],
      [new PortEntry(1999, 'udp'), { skbmark: '0x10/0xff', skbprio: '1:2', skbqueue: 7 }],
      [1000],
    ],
    create: /^create s bitmap:port range 1000-2000 skbinfo$/m,
    adds: [
      'add s 1000',
      'add s 1500',
      'add s 1501',
      'add s 1502',
      'add s 1999 skbmark 0x10/0xff skbprio 1:2 skbqueue 7',
    ],
    ordered: true,
  },
  {
    stype: 'hash:ip',
    opts: { family: 'inet6', netmask: 64, hashsize: 64, maxelem: 1000 },
    entries: [['2001:db8::1'], [{ ip: '2001:db8:1::5' }]],
    create: /^create s hash:ip family inet6 hashsize 64 maxelem 1000 netmask 64 bucketsize 12 initval 0x[0-9a-f]{8}$/m,
    adds: ['add s 2001:db8::', 'add s 2001:db8:1::'],
  },
  {
    stype: 'hash:ip,port',
    opts: { timeout: 0 },
    entries: [
      [['192.0.2.1', new PortEntry(53, 'udp')]],
      ['192.0.2.2,tcp:80-81'],
      [['192.0.2.3', new PortEntry('echo-request', 'icmp')]],
      ['192.0.2.4,sctp:9'],
    ],
    create:
      /^create s hash:ip,port family inet hashsize 1024 maxelem 65536 timeout 0 bucketsize 12 initval 0x[0-9a-f]{8}$/m,
    adds: [
      'add s 192.0.2.1,udp:53 timeout 0',
      'add s 192.0.2.2,tcp:80 timeout 0',
      'add s 192.0.2.2,tcp:81 timeout 0',
      'add s 192.0.2.3,icmp:echo-request timeout 0',
      'add s 192.0.2.4,sctp:9 timeout 0',
    ],
  },
  {
    stype: 'hash:ip,port,ip',
    entries: [['192.0.2.1,80,198.51.100.1'], [['192.0.2.1', new PortEntry(53, 'udp'), '198.51.100.2']]],
    create: /^create s hash:ip,port,ip family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x[0-9a-f]{8}$/m,
    adds: ['add s 192.0.2.1,tcp:80,198.51.100.1', 'add s 192.0.2.1,udp:53,198.51.100.2'],
  },
  {
    stype: 'hash:ip,port,net',
    opts: { counters: true },
    entries: [
      ['192.0.2.1,tcp:22,10.0.0.0/8', { packets: 5, bytes: 100 }],
      [['192.0.2.1', new PortEntry(23), '10.1.0.0/16'], { nomatch: true }],
    ],
    create:
      /^create s hash:ip,port,net family inet hashsize 1024 maxelem 65536 counters bucketsize 12 initval 0x[0-9a-f]{8}$/m,
    adds: [
      'add s 192.0.2.1,tcp:22,10.0.0.0/8 packets 5 bytes 100',
      'add s 192.0.2.1,tcp:23,10.1.0.0/16 nomatch packets 0 bytes 0',
    ],
  },
  {
    stype: 'hash:net',
    opts: { comment: true, maxelem: 16 },
    entries: [
      ['192.0.2.0/24', { comment: 'doc net' }],
      ['198.51.100.0/25', { nomatch: true }],
      [new IPRange('203.0.113.0', '203.0.113.7')],
    ],
    create: /^create s hash:net family inet hashsize 1024 maxelem 16 comment bucketsize 12 initval 0x[0-9a-f]{8}$/m,
    adds: ['add s 192.0.2.0/24 comment "doc net"', 'add s 198.51.100.0/25 nomatch', 'add s 203.0.113.0/29'],
  },
  {
    stype: 'hash:net,port',
    entries: [
      ['198.51.100.0/24,tcp:80'],
      [['198.51.100.0/24', new PortRange(1000, 1001, 'udp')]],
      ['192.0.2.0/24,icmp:echo-request'],
      ['192.0.2.0/25,gre:0'],
    ],
    create: /^create s hash:net,port family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x[0-9a-f]{8}$/m,
    adds: [
      'add s 198.51.100.0/24,tcp:80',
      'add s 198.51.100.0/24,udp:1000',
      'add s 198.51.100.0/24,udp:1001',
      'add s 192.0.2.0/24,icmp:echo-request',
      'add s 192.0.2.0/25,gre:0',
    ],
  },
  {
    stype: 'hash:net,iface',
    opts: { skbinfo: true },
    entries: [
      ['192.0.2.0/24,eth0'],
      [['10.0.0.0/8', 'physdev:veth1']],
      [
        { ip: '10.1.0.0', cidr: 16, iface: 'ppp' },
        { wildcard: true, skbmark: 5 },
      ],
    ],
    create:
      /^create s hash:net,iface family inet hashsize 1024 maxelem 65536 skbinfo bucketsize 12 initval 0x[0-9a-f]{8}$/m,
    adds: ['add s 192.0.2.0/24,eth0', 'add s 10.0.0.0/8,physdev:veth1', 'add s 10.1.0.0/16,ppp wildcard skbmark 0x5'],
  },
  {
    stype: 'list:set',
    opts: { size: 8 },
    setup: ['create m1 hash:ip', 'create m2 hash:net'],
    entries: [['m1'], ['m2', { before: 'm1' }]],
    create: /^create s list:set size 8$/m,
    adds: ['add s m2', 'add s m1'],
    ordered: true,
  },
];

test('the kernel offers exactly the types this module tests live', async () => {
  await withIPSet(async (ipset) => {
    const have: string[] = [];
    for (const t of SET_TYPES) {
      try {
        await ipset.getSupportedRevisions(t.name);
        have.push(t.name);
      } catch (e) {
        assert.ok(e instanceof IPSetError && e.code === 'IPSET_ERR_FIND_TYPE', String(e));
      }
    }
    assert.deepEqual(have.sort(), KERNEL_TYPES.map((c) => c.stype).sort());
  });
});

for (const c of KERNEL_TYPES) {
  test(`${c.stype}: created and filled by nlroute, checked with ipset save`, async () => {
    await withIPSet(async (ipset, ns) => {
      if (c.setup) ipsetOk(ns, ['restore'], c.setup.join('\n') + '\n');
      await ipset.create('s', { stype: c.stype as SetTypeName, ...c.opts });
      for (const [entry, opts] of c.entries) await ipset.add('s', entry, opts);
      const save = ipsetOk(ns, ['save']);
      assert.match(save, c.create);
      const got = addLines(save, 's');
      if (c.ordered) assert.deepEqual(got, c.adds);
      else assert.deepEqual([...got].sort(), [...c.adds].sort());
      // And nlroute reads back exactly what ipset(8) prints.
      assert.equal(await ipset.save(), save);
      for (const [entry, opts] of c.entries) {
        if (!opts?.before) assert.equal(await ipset.test('s', entry), !opts?.nomatch, `test ${String(entry)}`);
      }
    });
  });
}

const IPSET_MADE = `create a hash:ip family inet hashsize 1024 maxelem 65536 timeout 600 counters comment skbinfo
add a 192.0.2.1 timeout 500 packets 7 bytes 700 comment "hello world" skbmark 0x10/0xff skbprio 1:2 skbqueue 3
add a 192.0.2.2 timeout 0
create b hash:net,port family inet6 counters
add b 2001:db8::/64,tcp:443 packets 1 bytes 2
add b 2001:db8:1::/48,icmpv6:echo-request
add b 2001:db8:2::/48,udp:53 nomatch
create c bitmap:ip,mac range 10.0.0.0/24
add c 10.0.0.1,02:00:00:00:00:01
create d hash:net,iface
add d 192.0.2.0/24,physdev:eth0 wildcard
create f hash:ip,port,ip
add f 192.0.2.1,sctp:10,192.0.2.2
create g bitmap:port range 1-1024 comment
add g 22 comment "ssh"
create h hash:ip,port,net
add h 192.0.2.1,udp:53,10.0.0.0/8
create i bitmap:ip range 192.168.0.0/16 netmask 24
add i 192.168.3.0/24
create j hash:net
add j 10.0.0.0/8
create k hash:ip,port family inet6 timeout 0
add k 2001:db8::5,udp:53 timeout 0
create e list:set size 4
add e a
add e b
`;

test('sets made by ipset(8), read by nlroute into typed entries', async () => {
  await withIPSet(async (ipset, ns) => {
    ipsetOk(ns, ['restore'], IPSET_MADE);
    const sets = await ipset.list();
    const by = new Map(sets.map((s) => [s.header.name, s]));
    const a = by.get('a')!;
    assert.equal(a.header.type, 'hash:ip');
    assert.equal(a.header.family, 'inet');
    assert.equal(a.header.timeout, 600);
    assert.ok(a.header.counters && a.header.comment && a.header.skbinfo);
    assert.equal(a.header.elements, 2);
    assert.equal(a.header.references, 1);
    const e1 = a.entries.find((e) => e.ip === '192.0.2.1')!;
    assert.ok(e1 instanceof IPSetEntry);
    assert.ok(e1.timeout! > 400 && e1.timeout! <= 500);
    assert.equal(e1.packets, 7n);
    assert.equal(e1.bytes, 700n);
    assert.equal(e1.comment, 'hello world');
    assert.deepEqual(e1.skbmark, [0x10, 0xff]);
    assert.equal(e1.skbprio, '1:2');
    assert.equal(e1.skbqueue, 3);
    assert.equal(a.entries.find((e) => e.ip === '192.0.2.2')!.timeout, 0);

    const b = by.get('b')!;
    assert.equal(b.header.family, 'inet6');
    const https = b.entries.find((e) => e.port === 443)!;
    assert.equal(https.ip, '2001:db8::');
    assert.equal(https.cidr, 64);
    assert.equal(https.proto, 6);
    assert.equal(https.family, 'inet6');
    const ping = b.entries.find((e) => e.proto === 58)!;
    assert.equal(ping.port, 128 << 8);
    assert.equal(ping.toString(), '2001:db8:1::/48,ipv6-icmp:echo-request');
    assert.equal(b.entries.find((e) => e.port === 53)!.nomatch, true);

    const c = by.get('c')!;
    assert.equal(c.header.range, '10.0.0.0-10.0.0.255');
    assert.equal(c.entries[0].mac, '02:00:00:00:00:01');
    const d = by.get('d')!.entries[0];
    assert.deepEqual([d.ip, d.cidr, d.iface, d.physdev, d.wildcard], ['192.0.2.0', 24, 'eth0', true, true]);
    assert.deepEqual(
      by.get('e')!.entries.map((e) => e.name),
      ['a', 'b'],
    );
    const f = by.get('f')!.entries[0];
    assert.deepEqual([f.ip, f.port, f.proto, f.ip2], ['192.0.2.1', 10, 132, '192.0.2.2']);
    const g = by.get('g')!.entries[0];
    assert.deepEqual([g.port, g.comment, g.toString()], [22, 'ssh', '22']);
    const h = by.get('h')!.entries[0];
    assert.deepEqual([h.ip2, h.cidr2, h.toString()], ['10.0.0.0', 8, '192.0.2.1,udp:53,10.0.0.0/8']);
    assert.equal(by.get('i')!.header.netmask, 24);
    assert.equal(by.get('i')!.entries[0].toString(), '192.168.3.0');
    assert.deepEqual(by.get('j')!.entries[0].toJSON(), { elem: '10.0.0.0/8', ip: '10.0.0.0', cidr: 8 });
    assert.deepEqual(by.get('k')!.entries[0].toJSON(), {
      elem: '2001:db8::5,udp:53',
      ip: '2001:db8::5',
      port: 53,
      proto: 'udp',
      timeout: 0,
    });
    // Every type this kernel has was made by ipset(8) here.
    assert.deepEqual([...new Set(sets.map((x) => x.header.type))].sort(), KERNEL_TYPES.map((c) => c.stype).sort());

    // The whole text, as ipset(8) saves it (timeouts tick between the two reads).
    assert.equal(untimed(await ipset.save()), untimed(ipsetOk(ns, ['save'])));
    // An entry read back is accepted by add/test of another set.
    await ipset.create('copy', { stype: 'hash:ip', timeout: 600, counters: true, comment: true, skbinfo: true });
    await ipset.add('copy', e1);
    const back = addLines(ipsetOk(ns, ['save', 'copy']), 'copy')[0];
    assert.match(
      back,
      /^add copy 192\.0\.2\.1 timeout \d+ packets 7 bytes 700 comment "hello world" skbmark 0x10\/0xff skbprio 1:2 skbqueue 3$/,
    );
    assert.equal(await ipset.test('copy', e1), true);
  });
});

test('supported revisions match ipset help for this kernel', async () => {
  const help = spawnSync('ipset', ['help'], { encoding: 'utf8' }).stdout;
  const table = new Map<string, number[]>();
  for (const m of help.slice(help.indexOf('Supported set types:')).matchAll(/^\s+(\S+)\s+(\d+)\s/gm)) {
    table.set(m[1], [...(table.get(m[1]) ?? []), Number(m[2])]);
  }
  assert.equal(table.size, SET_TYPES.length);
  await withIPSet(async (ipset, ns) => {
    for (const t of SET_TYPES) {
      const revs = table.get(t.name)!;
      assert.ok(revs, `ipset help lists ${t.name}`);
      assert.equal(Math.max(...revs), t.revision, `newest revision of ${t.name} in the table`);
      const r = await ipset.getSupportedRevisions(t.name).catch((e: unknown) => e);
      const created = ipsetCmd(ns, [
        'create',
        `x${SET_TYPES.indexOf(t)}`,
        t.name,
        ...(t.kind === 'bitmap' ? ['range', t.name === 'bitmap:port' ? '1-2' : '10.0.0.0/30'] : []),
      ]);
      if (Array.isArray(r)) {
        const [min, max] = r;
        assert.equal(max, Math.max(...revs), `${t.name}: kernel max = ipset help max`);
        assert.ok(min <= Math.min(...revs), `${t.name}: kernel min ${min}`);
        assert.equal(created.code, 0, created.err);
      } else {
        assert.ok(r instanceof IPSetError && r.code === 'IPSET_ERR_FIND_TYPE');
        assert.notEqual(created.code, 0);
        assert.equal(created.err.trim().replace(/^ipset v[\d.]+: /, ''), r.ipsetMessage);
      }
    }
  });
});

test('types this kernel lacks: create fails with a clear error naming the type', async () => {
  await withIPSet(async (ipset) => {
    for (const stype of ['hash:mac', 'hash:ip,mac', 'hash:net,net', 'hash:ip,mark', 'hash:net,port,net'] as const) {
      await assert.rejects(ipset.create('x', { stype }), (e: unknown) => {
        assert.ok(e instanceof IPSetError);
        assert.equal(e.code, 'IPSET_ERR_FIND_TYPE');
        assert.equal(
          e.ipsetText,
          `Kernel error received: set type not supported (${stype} is not available in this kernel)`,
        );
        assert.equal(e.message, `ipset create x ${stype}: ${e.ipsetText}`);
        return true;
      });
    }
  });
});

test("kernel errors carry ipset(8)'s messages and codes", async () => {
  const cases: [setup: string, args: string[], code: string, run: (s: IPSet) => Promise<unknown>][] = [
    ['create s hash:ip', ['create', 's', 'hash:ip'], 'EEXIST', (s) => s.create('s')],
    ['create s hash:ip\nadd s 1.2.3.4', ['add', 's', '1.2.3.4'], 'IPSET_ERR_EXIST', (s) => s.add('s', '1.2.3.4')],
    ['create s hash:ip', ['del', 's', '1.2.3.5'], 'IPSET_ERR_EXIST', (s) => s.delete('s', '1.2.3.5')],
    ['', ['add', 'nosuch', '1.2.3.4'], 'ENOENT', (s) => s.add('nosuch', '1.2.3.4')],
    [
      'create s hash:ip maxelem 1\nadd s 1.1.1.1',
      ['add', 's', '1.1.1.2'],
      'IPSET_ERR_HASH_FULL',
      (s) => s.add('s', '1.1.1.2'),
    ],
    [
      'create s hash:ip maxelem 1\nadd s 1.1.1.1',
      ['add', 's', '1.1.1.2'],
      'IPSET_ERR_HASH_FULL',
      (s) => s.add('s', '1.1.1.2', { etype: 'ip' }),
    ],
    ['create s bitmap:port range 1-10', ['add', 's', '20'], 'IPSET_ERR_BITMAP_RANGE', (s) => s.add('s', 20)],
    ['create l list:set', ['add', 'l', 'nosuch'], 'IPSET_ERR_NAME', (s) => s.add('l', 'nosuch')],
    ['create l list:set\ncreate l2 list:set', ['add', 'l', 'l2'], 'IPSET_ERR_LOOP', (s) => s.add('l', 'l2')],
    [
      'create l list:set\ncreate s hash:ip\ncreate t hash:ip\nadd l s',
      ['add', 'l', 't', 'before', 'u'],
      'IPSET_ERR_NAMEREF',
      (s) => s.add('l', 't', { before: 'u' }),
    ],
    ['create s hash:ip\ncreate t hash:ip', ['rename', 's', 't'], 'IPSET_ERR_EXIST_SETNAME2', (s) => s.rename('s', 't')],
    ['create s hash:ip', ['swap', 's', 'nosuch'], 'IPSET_ERR_EXIST_SETNAME2', (s) => s.swap('s', 'nosuch')],
    [
      'create s hash:ip\ncreate b bitmap:port range 1-2',
      ['swap', 's', 'b'],
      'IPSET_ERR_TYPE_MISMATCH',
      (s) => s.swap('s', 'b'),
    ],
    ['create s hash:ip\ncreate l list:set\nadd l s', ['destroy', 's'], 'IPSET_ERR_BUSY', (s) => s.destroy('s')],
    [
      'create s hash:ip',
      ['add', 's', '1.2.3.4', 'timeout', '5'],
      'IPSET_ERR_TIMEOUT',
      (s) => s.add('s', '1.2.3.4', { timeout: 5 }),
    ],
    [
      'create s hash:ip',
      ['add', 's', '1.2.3.4', 'packets', '5'],
      'IPSET_ERR_COUNTER',
      (s) => s.add('s', '1.2.3.4', { packets: 5 }),
    ],
    [
      'create s hash:ip',
      ['add', 's', '1.2.3.4', 'comment', 'x'],
      'IPSET_ERR_COMMENT',
      (s) => s.add('s', '1.2.3.4', { comment: 'x' }),
    ],
    [
      'create s hash:ip',
      ['add', 's', '1.2.3.4', 'skbmark', '0x1'],
      'IPSET_ERR_SKBINFO',
      (s) => s.add('s', '1.2.3.4', { skbmark: 1 }),
    ],
    ['create n hash:net', ['add', 'n', '10.0.0.0/0'], 'IPSET_ERR_INVALID_CIDR', (s) => s.add('n', '10.0.0.0/0')],
  ];
  for (const [setup, args, code, run] of cases) {
    await withIPSet(async (ipset, ns) => {
      if (setup) ipsetOk(ns, ['restore'], setup + '\n');
      const want = ipsetError(ns, args);
      await assert.rejects(run(ipset), (e: unknown) => {
        assert.ok(e instanceof IPSetError, `${args.join(' ')}: ${String(e)}`);
        assert.equal(e.code, code, args.join(' '));
        assert.equal(e.ipsetMessage, want.replace(/^Syntax error: /, ''), args.join(' '));
        return true;
      });
    });
  }
});

test('input errors are typed and worded like ipset(8)', async () => {
  await withIPSet(async (ipset, ns) => {
    ipsetOk(ns, ['restore'], 'create s6 hash:ip family inet6\ncreate np hash:net,port\ncreate s hash:ip\n');
    const cases: [string[], (s: IPSet) => Promise<unknown>][] = [
      [['add', 's6', '1.2.3.4'], (s) => s.add('s6', '1.2.3.4')],
      [['add', 's', '2001:db8::1'], (s) => s.add('s', '2001:db8::1')],
      [['add', 'np', '10.0.0.0/8,gre:5'], (s) => s.add('np', '10.0.0.0/8,gre:5')],
      [['add', 'np', '10.0.0.0/8'], (s) => s.add('np', '10.0.0.0/8')],
      [['add', 's', '1.2.3.4,80'], (s) => s.add('s', '1.2.3.4,80')],
      [['add', 'np', '10.0.0.0/33,80'], (s) => s.add('np', '10.0.0.0/33,80')],
      [['add', 's', '1.2.3.4', 'comment', 'a"b'], (s) => s.add('s', '1.2.3.4', { comment: 'a"b' })],
      [['create', 'x', 'hash:foo'], (s) => s.create('x', { stype: 'hash:foo' as never })],
    ];
    for (const [args, run] of cases) {
      const want = ipsetError(ns, args);
      await assert.rejects(run(ipset), (e: unknown) => {
        assert.ok(e instanceof IPSetSyntaxError, `${args.join(' ')}: ${String(e)}`);
        assert.equal(e.message, want, args.join(' '));
        return true;
      });
    }
    // Bad values never reach the kernel, and never crash.
    await assert.rejects(ipset.add('s', ''), IPSetSyntaxError);
    await assert.rejects(ipset.add('s', { ip: 'nope' }), IPSetSyntaxError);
    await assert.rejects(ipset.add('s', '1.2.3.4', { timeout: -1 }), IPSetSyntaxError);
    await assert.rejects(ipset.add('x'.repeat(40), '1.2.3.4'), IPSetSyntaxError);
    await assert.rejects(ipset.create('x', { stype: 'hash:ip', range: '1.2.3.4-1.2.3.5' }), IPSetSyntaxError);
    assert.throws(() => new PortEntry(70000), IPSetSyntaxError);
    assert.throws(() => new PortEntry(80, 'nosuchproto'), IPSetSyntaxError);
  });
});

test('test() answers true/false; nomatch entries test false', async () => {
  await withIPSet(async (ipset) => {
    await ipset.create('n', { stype: 'hash:net' });
    await ipset.add('n', '10.0.0.0/8');
    await ipset.add('n', '10.1.0.0/16', { nomatch: true });
    assert.equal(await ipset.test('n', '10.2.3.4'), true);
    assert.equal(await ipset.test('n', '10.1.2.3'), false);
    assert.equal(await ipset.test('n', '192.0.2.1'), false);
    await assert.rejects(
      ipset.test('nosuch', '1.2.3.4'),
      (e: unknown) => e instanceof IPSetError && e.code === 'ENOENT',
    );
  });
});

test('rename, swap, flush, destroy', async () => {
  await withIPSet(async (ipset, ns) => {
    await ipset.create('a');
    await ipset.create('b');
    await ipset.addMany('a', ['1.1.1.1', '1.1.1.2']);
    await ipset.rename('a', 'c');
    await ipset.swap('c', 'b');
    assert.deepEqual((await ipset.list('b'))[0].entries.map(String).sort(), ['1.1.1.1', '1.1.1.2']);
    assert.equal((await ipset.headers('c')).elements, 0);
    await ipset.flush('b');
    assert.equal((await ipset.headers('b')).elements, 0);
    await ipset.destroy('b');
    assert.equal(ipsetOk(ns, ['list', '-n']).trim(), 'c');
    await ipset.destroy();
    assert.equal(ipsetOk(ns, ['list', '-n']).trim(), '');
    await ipset.destroy('gone', { exclusive: false });
    await assert.rejects(ipset.destroy('gone'), (e: unknown) => e instanceof IPSetError && e.code === 'ENOENT');
    // create without exclusive is idempotent for the same set
    await ipset.create('z', { stype: 'hash:ip', exclusive: false });
    await ipset.create('z', { stype: 'hash:ip', exclusive: false });
    await assert.rejects(
      ipset.create('z', { stype: 'hash:ip' }),
      (e: unknown) => e instanceof IPSetError && e.code === 'EEXIST',
    );
  });
});

test('getSetByName / getSetByIndex', async () => {
  await withIPSet(async (ipset) => {
    await ipset.create('first');
    await ipset.create('second', { family: 'inet6' });
    const [a, b] = await ipset.list();
    assert.deepEqual(await ipset.getSetByName('second'), { index: b.header.index, family: 'inet6' });
    assert.equal(await ipset.getSetByIndex(a.header.index!), 'first');
    await assert.rejects(ipset.getSetByName('nosuch'), (e: unknown) => e instanceof IPSetError && e.code === 'ENOENT');
    await assert.rejects(ipset.getSetByIndex(4000), (e: unknown) => e instanceof IPSetError && e.code === 'ENOENT');
  });
});

test('headers(): type, revision, family, sizes, references, entries', async () => {
  await withIPSet(async (ipset, ns) => {
    ipsetOk(
      ns,
      ['restore'],
      'create s hash:ip hashsize 128 maxelem 500 timeout 30\nadd s 1.2.3.4\ncreate l list:set\nadd l s\n',
    );
    const h = await ipset.headers('s');
    const terse = ipsetOk(ns, ['list', '-t', 's']);
    assert.equal(h.type, 'hash:ip');
    assert.equal(h.revision, Number(/Revision: (\d+)/.exec(terse)![1]));
    assert.equal(h.family, 'inet');
    assert.equal(h.hashsize, 128);
    assert.equal(h.maxelem, 500);
    assert.equal(h.timeout, 30);
    assert.equal(h.memsize, Number(/Size in memory: (\d+)/.exec(terse)![1]));
    assert.equal(h.references, 1);
    assert.equal(h.elements, 1);
    assert.equal(`Header: ${h.toString()}`, /^Header: .*$/m.exec(terse)![0]);
    await assert.rejects(ipset.headers('nosuch'), (e: unknown) => e instanceof IPSetError && e.code === 'ENOENT');
  });
});

test('addMany: 100,000 entries in bulk; a listing streams them', async () => {
  await withIPSet(async (ipset, ns) => {
    await ipset.create('big', { maxelem: 200000 });
    const entries: string[] = [];
    for (let i = 0; i < 100000; i++) entries.push(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    const r = await ipset.addMany('big', entries);
    assert.deepEqual(r, { done: 100000, errors: [] });
    assert.match(ipsetOk(ns, ['list', '-t', 'big']), /Number of entries: 100000/);

    let n = 0;
    const seen = new Set<string>();
    for await (const e of ipset.list('big')) {
      n++;
      if (n % 997 === 0) seen.add(e.ip!);
      assert.equal(e.set.name, 'big');
    }
    assert.equal(n, 100000);
    for (const ip of seen) assert.ok(entries.includes(ip));
    const all = await ipset.list('big');
    assert.equal(all[0].entries.length, 100000);
    assert.equal(all[0].header.elements, 100000);
    // An abandoned stream leaves the socket usable.
    for await (const e of ipset.list('big')) {
      void e;
      break;
    }
    assert.equal(await ipset.test('big', '10.0.0.1'), true);
  });
});

test('addMany: failures come back per entry with their index, the rest is added', async () => {
  await withIPSet(async (ipset, ns) => {
    await ipset.create('s');
    const r = await ipset.addMany('s', [
      '10.0.0.1',
      'bogus',
      '10.0.0.2',
      '10.0.0.1',
      '2001:db8::1',
      '10.0.0.3',
      { ip: '10.0.0.4' },
    ]);
    assert.equal(r.done, 4);
    assert.deepEqual(
      r.errors.map((e) => [e.index, e.error.name, (e.error as { code?: string }).code]),
      [
        [1, 'IPSetSyntaxError', undefined],
        [3, 'IPSetError', 'IPSET_ERR_EXIST'],
        [4, 'IPSetSyntaxError', undefined],
      ],
    );
    assert.equal(r.errors[1].error.message, "Element cannot be added to the set: it's already added");

    // Failures inside big messages: the kernel stops the message there, the rest still goes in.
    await ipset.create('t', { maxelem: 10000 });
    const list: string[] = [];
    for (let i = 0; i < 5000; i++) list.push(`172.16.${i >> 8}.${i & 255}`);
    await ipset.addMany('t', [list[700], list[2500], list[4999]]);
    const r2 = await ipset.addMany('t', list);
    assert.deepEqual(
      r2.errors.map((e) => e.index),
      [700, 2500, 4999],
    );
    assert.equal(r2.done, 4997);
    assert.match(ipsetOk(ns, ['list', '-t', 't']), /Number of entries: 5000/);
    // exclusive: false accepts what is already there
    assert.deepEqual(await ipset.addMany('t', list, { exclusive: false }), { done: 5000, errors: [] });

    // Type-specific errors in ipset(8)'s words, also when only the element type was given.
    await ipset.create('p', { stype: 'bitmap:port', bitmapPortsRange: [1, 100] });
    const r3 = await ipset.addMany('p', [5, 500, 6, new PortRange(90, 110)], { etype: 'port' });
    assert.deepEqual(
      r3.errors.map((e) => [e.index, e.error.message]),
      [
        [1, 'Element is out of the range of the set'],
        [3, 'Element is out of the range of the set'],
      ],
    );
    const d = await ipset.deleteMany('p', [5, 6, 7]);
    assert.deepEqual(
      d.errors.map((e) => [e.index, e.error.message]),
      [[2, "Element cannot be deleted from the set: it's not added"]],
    );
    const missing = await ipset.addMany('nosuch', ['1.2.3.4'], { etype: 'ip' });
    assert.deepEqual(
      missing.errors.map((e) => [e.index, e.error.message]),
      [[0, 'The set with the given name does not exist']],
    );
  });
});

test('save/restore: files move between ipset(8) and nlroute', async () => {
  await withNetns(async (a) => {
    await withNetns(async (b) => {
      ipsetOk(a, ['restore'], IPSET_MADE);
      const fromIpset = ipsetOk(a, ['save']);
      // ipset(8)'s file into nlroute...
      const ib = new IPSet({ netns: b.name });
      try {
        await ib.restore(fromIpset);
        assert.equal(untimed(ipsetOk(b, ['save'])), untimed(fromIpset));
        // ...and nlroute's file into ipset(8).
        const fromNlroute = await ib.save();
        ipsetOk(b, ['flush']);
        ipsetOk(b, ['destroy']);
        ipsetOk(b, ['restore'], fromNlroute);
        assert.equal(untimed(ipsetOk(b, ['save'])), untimed(fromIpset));
        // -exist semantics and the error line of a failing restore
        await ib.restore(fromIpset, { exist: true });
        await assert.rejects(ib.restore('create q hash:ip\nadd q 1.2.3.4\nadd q 1.2.3.4\n'), (e: unknown) => {
          assert.ok(e instanceof IPSetRestoreError);
          assert.equal(e.line, 3);
          assert.equal(e.message, "Error in line 3: Element cannot be added to the set: it's already added");
          return true;
        });
        await assert.rejects(
          ib.restore('create r hash:ip\nfrobnicate r\n'),
          (e: unknown) => e instanceof IPSetRestoreError && e.line === 2,
        );
        assert.equal((await ib.save('q')).split('\n')[1], 'add q 1.2.3.4');
      } finally {
        ib.close();
      }
    });
  });
});

test('list:set before/after keeps the order ipset(8) shows', async () => {
  await withIPSet(async (ipset, ns) => {
    for (const n of ['m1', 'm2', 'm3']) await ipset.create(n);
    await ipset.create('l', { stype: 'list:set' });
    await ipset.add('l', 'm1');
    await ipset.add('l', 'm3', { after: 'm1' });
    await ipset.add('l', 'm2,before,m3');
    assert.deepEqual(
      (await ipset.list('l'))[0].entries.map((e) => e.name),
      ['m1', 'm2', 'm3'],
    );
    assert.deepEqual(addLines(ipsetOk(ns, ['save', 'l']), 'l'), ['add l m1', 'add l m2', 'add l m3']);
    assert.equal(await ipset.test('l', 'm2', { before: 'm3' }), true);
    assert.equal(await ipset.test('l', 'm3', { before: 'm2' }), false);
  });
});
