// `nlroute ipset ...` (runIpsetCli) against ipset(8) in a namespace: same output, same
// exit codes, ipset(8)'s argument syntax.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { withNetns, type TestNetns } from './helpers/netns.js';
import { runIpsetCli } from '../src/ipset/cli.js';

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

async function cli(ns: TestNetns, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new Sink(),
    err = new Sink();
  const code = await runIpsetCli(['--netns', ns.name, ...args], out, err);
  return { code, out: out.text, err: err.text };
}

function ipset(ns: TestNetns, args: string[], input?: string): { code: number; out: string; err: string } {
  const r = spawnSync('ip', ['netns', 'exec', ns.name, 'ipset', ...args], { input, encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const SETUP = `create a hash:ip family inet hashsize 1024 maxelem 65536 counters comment
add a 192.0.2.1 packets 7 bytes 700 comment "hello world"
add a 192.0.2.2
create b hash:net,port family inet6
add b 2001:db8::/64,tcp:443
add b 2001:db8:1::/48,icmpv6:echo-request
create c bitmap:port range 1-1024
add c 22
add c 80
create e list:set size 4
add e a
`;

test('list, save and list -t/-n/-o save print what ipset(8) prints', async () => {
  await withNetns(async (ns) => {
    assert.equal(ipset(ns, ['restore'], SETUP).code, 0);
    for (const args of [
      ['list'],
      ['list', 'a'],
      ['list', '-t'],
      ['list', '-n'],
      ['-o', 'save', 'list'],
      ['save'],
      ['save', 'b'],
      ['list', 'c'],
    ]) {
      const want = ipset(ns, args);
      const got = await cli(ns, args);
      assert.equal(got.code, want.code, args.join(' '));
      assert.equal(got.out, want.out, args.join(' '));
    }
  });
});

test('list --json', async () => {
  await withNetns(async (ns) => {
    assert.equal(ipset(ns, ['restore'], SETUP).code, 0);
    const r = await cli(ns, ['list', '--json', 'a']);
    assert.equal(r.code, 0);
    const sets = JSON.parse(r.out);
    assert.equal(sets.length, 1);
    assert.equal(sets[0].name, 'a');
    assert.equal(sets[0].type, 'hash:ip');
    assert.equal(sets[0].counters, true);
    const e = sets[0].entries.find((x: { ip: string }) => x.ip === '192.0.2.1');
    assert.deepEqual(e, { elem: '192.0.2.1', ip: '192.0.2.1', packets: 7, bytes: 700, comment: 'hello world' });
    const t = JSON.parse((await cli(ns, ['list', '-t', '--json'])).out);
    assert.deepEqual(
      t.map((s: { name: string }) => s.name),
      ['a', 'b', 'c', 'e'],
    );
    assert.equal(t[0].entries, undefined);
  });
});

test('create, add, del, test, rename, swap, flush, destroy with ipset(8) syntax and exit codes', async () => {
  await withNetns(async (ns) => {
    assert.equal((await cli(ns, ['create', 's', 'hash:ip', 'timeout', '100', 'comment'])).code, 0);
    assert.equal((await cli(ns, ['add', 's', '198.51.100.1', 'timeout', '50', 'comment', 'two words'])).code, 0);
    assert.match(ipset(ns, ['save', 's']).out, /^add s 198\.51\.100\.1 timeout \d+ comment "two words"$/m);

    const yes = await cli(ns, ['test', 's', '198.51.100.1']);
    const yesIpset = ipset(ns, ['test', 's', '198.51.100.1']);
    assert.deepEqual([yes.code, yes.err], [yesIpset.code, yesIpset.err]);
    const no = await cli(ns, ['test', 's', '198.51.100.2']);
    const noIpset = ipset(ns, ['test', 's', '198.51.100.2']);
    assert.deepEqual([no.code, no.err], [noIpset.code, noIpset.err]);

    const dup = await cli(ns, ['add', 's', '198.51.100.1']);
    assert.equal(dup.code, 1);
    assert.equal(dup.err, "nlroute ipset: Element cannot be added to the set: it's already added\n");
    assert.equal((await cli(ns, ['-exist', 'add', 's', '198.51.100.1'])).code, 0);
    assert.equal((await cli(ns, ['-exist', 'create', 's', 'hash:ip', 'timeout', '100', 'comment'])).code, 0);
    assert.equal((await cli(ns, ['create', 's', 'hash:ip'])).code, 1);
    assert.equal((await cli(ns, ['del', 's', '198.51.100.1'])).code, 0);
    assert.equal((await cli(ns, ['del', 's', '198.51.100.1'])).code, 1);
    assert.equal((await cli(ns, ['-exist', 'del', 's', '198.51.100.1'])).code, 0);

    assert.equal((await cli(ns, ['create', 'p', 'bitmap:port', 'range', '1000-2000'])).code, 0);
    assert.equal((await cli(ns, ['add', 'p', '1500-1502'])).code, 0);
    assert.equal((await cli(ns, ['create', 'np', 'hash:net,port'])).code, 0);
    assert.equal((await cli(ns, ['add', 'np', '192.0.2.0/24,icmp:echo-request'])).code, 0);
    assert.equal((await cli(ns, ['add', 'np', '192.0.2.0/24,udp:53', 'nomatch'])).code, 0);
    assert.deepEqual(
      ipset(ns, ['save', 'np'])
        .out.split('\n')
        .filter((l) => l.startsWith('add'))
        .sort(),
      ['add np 192.0.2.0/24,icmp:echo-request', 'add np 192.0.2.0/24,udp:53 nomatch'],
    );

    assert.equal((await cli(ns, ['rename', 'p', 'q'])).code, 0);
    assert.equal((await cli(ns, ['create', 'q2', 'bitmap:port', 'range', '1000-2000'])).code, 0);
    assert.equal((await cli(ns, ['swap', 'q', 'q2'])).code, 0);
    assert.match(ipset(ns, ['save', 'q2']).out, /^add q2 1502$/m);
    assert.equal((await cli(ns, ['flush', 'q2'])).code, 0);
    assert.equal((await cli(ns, ['destroy', 'q2'])).code, 0);
    assert.equal((await cli(ns, ['destroy'])).code, 0);
    assert.equal(ipset(ns, ['list', '-n']).out, '');

    const missing = await cli(ns, ['add', 'nosuch', '1.2.3.4']);
    assert.deepEqual([missing.code, missing.err], [1, 'nlroute ipset: The set with the given name does not exist\n']);
    const bad = await cli(ns, ['add']);
    assert.equal(bad.code, 2); // ipset(8): a missing argument is a parameter problem, status 2
    assert.match(bad.err, /Missing mandatory argument: setname/);
    assert.equal((await cli(ns, ['frobnicate'])).code, 2);
    assert.equal(await runIpsetCli([], new Sink(), new Sink()), 2);
  });
});

test("restore -f from ipset(8)'s save, and ipset(8) restores ours", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nlr-ipset-'));
  try {
    await withNetns(async (a) => {
      await withNetns(async (b) => {
        assert.equal(ipset(a, ['restore'], SETUP).code, 0);
        const file = join(dir, 'sets.save');
        writeFileSync(file, ipset(a, ['save']).out);
        assert.equal((await cli(b, ['restore', '-f', file])).code, 0);
        assert.equal(ipset(b, ['save']).out, ipset(a, ['save']).out);
        const again = await cli(b, ['restore', '-f', file]);
        assert.equal(again.code, 1);
        assert.match(
          again.err,
          /^nlroute ipset: Error in line 1: Set cannot be created: set with the same name already exists\n$/,
        );
        assert.equal((await cli(b, ['-exist', 'restore', '-f', file])).code, 0);
        const ours = (await cli(b, ['save'])).out;
        assert.equal(ipset(a, ['flush']).code, 0);
        assert.equal(ipset(a, ['destroy']).code, 0);
        assert.equal(ipset(a, ['restore'], ours).code, 0);
        assert.equal(ipset(a, ['save']).out, ipset(b, ['save']).out);
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
