// The ipset types this host's kernel lacks, live in the test VM, with every extension
// (timeout, counters, comment, skbinfo), cross-checked with ipset(8) both ways and through
// save/restore.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { IPSet, type SetTypeName } from '../../src/ipset/index.js';
import { withNetns, type TestNetns } from '../helpers/netns.js';
import { vmOnly } from './vm.js';

function ipsetOk(ns: TestNetns, args: string[], input?: string): string {
  const r = spawnSync('ip', ['netns', 'exec', ns.name, 'ipset', ...args], { input, encoding: 'utf8' });
  assert.equal(r.status, 0, `ipset ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const untimed = (s: string): string => s.replace(/ timeout \d+/g, ' timeout N');
const adds = (save: string): string[] =>
  untimed(save)
    .split('\n')
    .filter((l) => l.startsWith('add '))
    .sort();
const EXT = { timeout: 600, counters: true, comment: true, skbinfo: true } as const;
const WITH = {
  timeout: 300,
  packets: 5,
  bytes: 500,
  comment: 'vm test',
  skbmark: [0x10, 0xff] as const,
  skbprio: '1:2',
  skbqueue: 3,
};
const TAIL = 'timeout N packets 5 bytes 500 comment "vm test" skbmark 0x10/0xff skbprio 1:2 skbqueue 3';

const CASES: {
  stype: string;
  family?: 'inet' | 'inet6';
  entry: string;
  saved: string;
  made: string;
  second: string;
}[] = [
  {
    stype: 'hash:mac',
    entry: '02:00:00:00:00:0a',
    saved: '02:00:00:00:00:0A',
    made: '02:00:00:00:00:0B',
    second: '02:00:00:00:00:0c',
  },
  {
    stype: 'hash:ip,mac',
    entry: '192.0.2.1,02:00:00:00:00:01',
    saved: '192.0.2.1,02:00:00:00:00:01',
    made: '192.0.2.2,02:00:00:00:00:02',
    second: '192.0.2.3,02:00:00:00:00:04',
  },
  {
    stype: 'hash:ip,mac',
    family: 'inet6',
    entry: '2001:db8::1,02:00:00:00:00:01',
    saved: '2001:db8::1,02:00:00:00:00:01',
    made: '2001:db8::2,02:00:00:00:00:03',
    second: '2001:db8::3,02:00:00:00:00:05',
  },
  {
    stype: 'hash:net,net',
    entry: '192.0.2.0/24,10.0.0.0/8',
    saved: '192.0.2.0/24,10.0.0.0/8',
    made: '198.51.100.0/24,10.1.0.0/16',
    second: '192.0.2.0/25,10.0.0.0/8',
  },
  {
    stype: 'hash:net,port,net',
    entry: '192.0.2.0/24,tcp:80,10.0.0.0/8',
    saved: '192.0.2.0/24,tcp:80,10.0.0.0/8',
    made: '198.51.100.0/25,udp:53,10.2.0.0/16',
    second: '192.0.2.0/24,tcp:81,10.0.0.0/8',
  },
  {
    stype: 'hash:ip,mark',
    entry: '192.0.2.1,0x20',
    saved: '192.0.2.1,0x00000020',
    made: '192.0.2.9,0x00000030',
    second: '192.0.2.1,0x21',
  },
];

describe('ipset types (VM)', vmOnly, () => {
  for (const c of CASES) {
    const name = `${c.stype}${c.family === 'inet6' ? ' inet6' : ''}`;
    it(`${name}: nlroute -> ipset save, ipset restore -> nlroute, save/restore both ways`, async () => {
      await withNetns(async (ns) => {
        const ipset = new IPSet({ netns: ns.name });
        try {
          await ipset.create('s', { stype: c.stype as SetTypeName, family: c.family, ...EXT });
          await ipset.add('s', c.entry, WITH);
          await ipset.add('s', c.second, { timeout: 0 });
          const save = ipsetOk(ns, ['save', 's']);
          assert.match(save, new RegExp(`^create s ${c.stype} .*timeout 600 counters comment skbinfo`, 'm'));
          assert.ok(adds(save).includes(`add s ${c.saved} ${TAIL}`), save);
          assert.equal(untimed(await ipset.save('s')), untimed(save));
          assert.equal(await ipset.test('s', c.entry), true);
          // ipset(8) makes a set, nlroute reads it.
          ipsetOk(
            ns,
            ['restore'],
            `create t ${c.stype}${c.family ? ` family ${c.family}` : ''} timeout 600 counters comment skbinfo\n` +
              `add t ${c.made} timeout 100 packets 9 bytes 90 comment "by ipset" skbmark 0x7 skbprio 3:4 skbqueue 5\n`,
          );
          const [t] = (await ipset.list()).filter((x) => x.header.name === 't');
          assert.equal(t.header.type, c.stype);
          assert.equal(t.entries.length, 1);
          const e = t.entries[0];
          assert.equal(e.toString().toUpperCase(), c.made.toUpperCase());
          assert.deepEqual([e.packets, e.bytes, e.comment, e.skbprio, e.skbqueue], [9n, 90n, 'by ipset', '3:4', 5]);
          assert.ok(e.timeout! > 0 && e.timeout! <= 100);
          // nlroute's save restores into ipset(8) unchanged, and ipset(8)'s into nlroute.
          const all = await ipset.save();
          ipsetOk(ns, ['destroy']);
          ipsetOk(ns, ['restore'], all);
          assert.deepEqual(adds(ipsetOk(ns, ['save'])), adds(all));
          const fromTool = ipsetOk(ns, ['save']);
          await ipset.destroy();
          await ipset.restore(fromTool);
          assert.deepEqual(adds(ipsetOk(ns, ['save'])), adds(fromTool));
        } finally {
          ipset.close();
        }
      });
    });
  }
});
