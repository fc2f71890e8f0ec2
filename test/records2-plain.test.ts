// Records of ipset, genl, taskstats and nl80211 objects: plain JSON-safe objects named as the
// specs name them, counters exact, util.inspect readable, the source reachable with messageOf.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';

import { ReplayTransport, messageOf } from '../src/core/index.js';
import { GenericNetlink } from '../src/genl/index.js';
import { IPSet, IPSetEntry, IPSetHeader } from '../src/ipset/index.js';
import { IW, bssInfo, interfaceInfo, stationInfo } from '../src/nl80211/index.js';
import { TaskStats } from '../src/taskstats/index.js';
import { withNetns, type TestNetns } from './helpers/netns.js';

function ipsetCmd(ns: TestNetns, args: string[], input?: string): string {
  const r = spawnSync('ip', ['netns', 'exec', ns.name, 'ipset', ...args], { input, encoding: 'utf8' });
  assert.equal(r.status, 0, `ipset ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** JSON round trip: what a script writing records to a file and reading them back gets. */
const viaJson = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('ipset records', () => {
  it('entries and headers made by ipset(8) read back as records that match ipset save', async () => {
    await withNetns(async (ns) => {
      ipsetCmd(
        ns,
        ['restore'],
        [
          'create a hash:ip,port family inet counters comment timeout 600 maxelem 1024',
          'add a 192.0.2.7,tcp:80 timeout 500 packets 3 bytes 90 comment "web"',
          'add a 192.0.2.8,udp:53 timeout 0 packets 9007199254740993 bytes 1',
          'create b bitmap:port range 1000-2000',
          'add b 1010',
          '',
        ].join('\n'),
      );
      await using ipset = new IPSet({ netns: ns.name });
      const sets = await ipset.list();
      const a = sets.find((s) => s.header.name === 'a')!;
      const h = viaJson(a.header);
      assert.deepEqual(
        { ...h, initval: undefined, memsize: undefined, bucketsize: undefined },
        {
          name: 'a',
          stype: 'hash:ip,port',
          family: 'inet',
          hashsize: 1024,
          maxelem: 1024,
          timeout: 600,
          counters: true,
          comment: true,
          revision: h.revision,
          index: h.index,
          references: 0,
          elements: 2,
          initval: undefined,
          memsize: undefined,
          bucketsize: undefined,
        },
      );
      const byElem = new Map(viaJson(a.entries.map((e) => e.record())).map((e) => [e.elem, e]));
      const web = byElem.get('192.0.2.7,tcp:80')!;
      assert.equal(web.ip, '192.0.2.7');
      assert.equal(web.port, 80);
      assert.equal(web.proto, 'tcp');
      assert.equal(web.packets, 3);
      assert.equal(web.bytes, 90);
      assert.equal(web.comment, 'web');
      assert.ok(typeof web.timeout === 'number' && web.timeout <= 500);
      // Beyond 2^53 a counter is a decimal string, exact.
      assert.equal(byElem.get('192.0.2.8,udp:53')!.packets, '9007199254740993');
      // The same elements and counters as ipset save prints.
      const save = ipsetCmd(ns, ['save', 'a']);
      for (const e of byElem.values())
        assert.match(
          save,
          new RegExp(`add a ${e.elem.replace(/\./g, '\\.')} timeout \\d+ packets ${e.packets} bytes ${e.bytes}`),
        );
      assert.deepEqual(viaJson(sets.find((s) => s.header.name === 'b')!.entries.map((e) => e.record())), [
        { elem: '1010', port: 1010 },
      ]);
      // messageOf reaches the view a record was read from.
      assert.ok(messageOf(a.entries[0].record()) instanceof IPSetEntry);
      assert.ok(messageOf(a.header.record()) instanceof IPSetHeader);
    });
  });

  it('records feed back: create() from a header record, add() from entry records', async () => {
    await withNetns(async (ns) => {
      await using ipset = new IPSet({ netns: ns.name });
      await ipset.create('src', { stype: 'hash:net', family: 'inet', counters: true, comment: true, maxelem: 64 });
      await ipset.add('src', '198.51.100.0/24', { comment: 'docs', packets: 5, bytes: 500 });
      await ipset.add('src', '203.0.113.0/25', { nomatch: true });
      const [s] = await ipset.list('src');
      const h = s.header.record();
      await ipset.create('copy', { ...h, name: undefined } as never);
      for (const e of s.entries) await ipset.add('copy', e.record() as never);
      const strip = (t: string, name: string): string =>
        t.replace(new RegExp(`\\b${name}\\b`, 'g'), 'X').replace(/initval 0x[0-9a-f]+/, '');
      assert.equal(strip(ipsetCmd(ns, ['save', 'copy']), 'copy'), strip(ipsetCmd(ns, ['save', 'src']), 'src'));
    });
  });

  it('util.inspect shows the element and its options, not the bytes', async () => {
    await withNetns(async (ns) => {
      await using ipset = new IPSet({ netns: ns.name });
      await ipset.create('s', { stype: 'hash:ip', counters: true, comment: true });
      await ipset.add('s', '192.0.2.1', { comment: 'one', packets: 2, bytes: 20 });
      const [s] = await ipset.list('s');
      assert.equal(
        inspect(s.entries[0], { breakLength: Infinity }),
        "IPSetEntry { elem: '192.0.2.1', ip: '192.0.2.1', packets: 2, bytes: 20, comment: 'one' }",
      );
      assert.match(inspect(s.header, { breakLength: Infinity }), /^IPSetHeader \{ name: 's', stype: 'hash:ip'/);
    });
  });
});

describe('genl and taskstats records', () => {
  it('a family is a plain record: mcastGroups by name, JSON keeps them', async () => {
    await using genl = new GenericNetlink();
    const f = viaJson(await genl.resolve('nlctrl'));
    assert.deepEqual(f.mcastGroups, { notify: 16 });
    assert.equal(f.name, 'nlctrl');
  });

  it('pidStats: camelCase names, counters exact and JSON-safe, the raw struct reachable', async () => {
    await using ts = new TaskStats();
    const raw = await ts.getPidStats(process.pid);
    const r = await ts.pidStats(process.pid);
    assert.equal(r.pid, process.pid);
    assert.equal(r.comm, raw.ac_comm);
    assert.equal(typeof r.utime, 'number');
    assert.ok(Array.isArray(r.flags));
    assert.deepEqual(viaJson(r), r);
    const j = viaJson(raw) as unknown as Record<string, unknown>;
    assert.equal(j.ac_pid, process.pid);
    assert.equal(j.ac_utime, Number(raw.ac_utime));
    assert.equal((messageOf(r) as typeof raw).ac_pid, process.pid);
  });
});

describe('nl80211 records', () => {
  const fixture = JSON.parse(
    readFileSync(new URL('../../test/fixtures/nl80211/session.json', import.meta.url), 'utf8'),
  ) as { exchanges: { sent?: string; received: string[] }[] };
  const exchanges = fixture.exchanges.map((x) => ({
    sent: x.sent ? Buffer.from(x.sent, 'hex') : undefined,
    received: x.received.map((r) => Buffer.from(r, 'hex')),
  }));

  it('interfaces, scan results and stations are JSON-safe: 64-bit values as numbers while exact', async () => {
    await using iw = new IW({ transport: new ReplayTransport(exchanges) });
    const devs = (await iw.listDev()).map(interfaceInfo);
    assert.ok(devs.length > 0);
    for (const d of devs) {
      assert.equal(typeof d.wdev, 'number');
      assert.equal(viaJson(d).wdev, d.wdev);
    }
    await iw.getWiphy(0);
    const bss = (await iw.getScan(3)).map(bssInfo).filter((b) => b !== undefined);
    assert.ok(bss.length > 0);
    for (const b of bss) {
      assert.doesNotThrow(() => JSON.stringify(b));
      if (b.tsf !== undefined) assert.equal(typeof b.tsf, 'number');
    }
    const stations = [...(await iw.getStations(2)), ...(await iw.getStations(3))].map(stationInfo);
    assert.ok(stations.length > 0);
    for (const s of stations) assert.doesNotThrow(() => JSON.stringify(s));
  });
});
