// The ip-compatible command line: options that change output, device selectors, flags as the
// kernel defines them, exit codes, and options that must be refused rather than ignored.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createNetns, deleteNetns, type TestNetns } from './helpers/netns.js';

const cli = fileURLToPath(new URL('../src/tools/cli.js', import.meta.url));

function nlroute(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('node', [cli, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(...args: string[]): any {
  const r = nlroute(...args);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('nlroute as ip', () => {
  let ns: TestNetns;
  before(async () => {
    ns = await createNetns();
    await ns.batch([
      'link set lo up',
      'link add v0 type veth peer name v1',
      'addr add 10.1.0.1/24 dev v0',
      'addr add 2001:db8::1/64 nodad dev v0',
      'link set v0 up', // v1 stays down: v0 has no carrier, its routes are linkdown
    ]);
  });
  after(async () => {
    await deleteNetns(ns);
  });

  it('link show dev lo and link show lo select one device', async () => {
    const ref = await ns.json('link show dev lo');
    assert.deepEqual(json('-n', ns.name, '-j', 'link', 'show', 'dev', 'lo'), ref);
    assert.deepEqual(json('-n', ns.name, '-j', 'link', 'show', 'lo'), ref);
    const missing = nlroute('-n', ns.name, 'link', 'show', 'nosuchdev');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /nosuchdev/);
  });

  it('-d adds details and -s statistics, as ip -d / ip -s', async () => {
    const plain = json('-n', ns.name, '-j', 'link', 'show', 'v0');
    assert.equal(plain[0].linkinfo, undefined);
    assert.deepEqual(json('-n', ns.name, '-j', '-d', 'link', 'show', 'v0'), await ns.json('-d link show v0'));
    const stats = json('-n', ns.name, '-j', '-s', 'link', 'show', 'lo');
    assert.equal(typeof stats[0].stats64.rx.bytes, 'number');
    assert.equal(plain[0].stats64, undefined);
  });

  it('route show table all lists IPv4 and IPv6, as ip does', async () => {
    const ours = json('-n', ns.name, '-j', 'route', 'show', 'table', 'all');
    assert.deepEqual(ours, await ns.json('route show table all'));
    assert.ok(ours.some((r: any) => r.dst === '2001:db8::/64'));
  });

  it('route flags: linkdown is linkdown, and text keeps it and the table label', async () => {
    const main = json('-n', ns.name, '-j', 'route', 'show');
    const r = main.find((x: any) => x.dst === '10.1.0.0/24');
    assert.deepEqual(r.flags, ['linkdown']);
    const text = nlroute('-n', ns.name, 'route', 'show', 'table', 'all').stdout;
    assert.match(text, /^10\.1\.0\.0\/24 dev v0 proto kernel scope link src 10\.1\.0\.1 linkdown ?$/m);
    assert.match(text, /^local 10\.1\.0\.1 dev v0 table local proto kernel scope host src 10\.1\.0\.1 ?$/m);
  });

  it('-n without a namespace is a usage error, not the host', () => {
    for (const args of [['link', 'show', '-n'], ['-n'], ['-n', '', 'link']]) {
      const r = nlroute(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /-n needs a namespace name/);
    }
  });

  it('refuses what it does not support, with status 2', () => {
    for (const args of [
      ['link', 'show', 'v0', 'frobnicate'],
      ['route', 'add', '10.9.0.0/16', 'via', '10.1.0.2', 'realmz', '1'],
      ['maddress', 'show'],
      ['link', 'add', 'x0', 'type', 'veth', 'peer', 'name', 'x1', 'bogus', '1'],
      ['nosuchcommand'],
      ['link', 'set', 'dev', 'v0', 'mtu'],
      ['--bogus', 'link'],
    ]) {
      const r = nlroute('-n', ns.name, ...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^nlroute: /);
    }
  });

  it('kernel refusals exit 1 with the reason', () => {
    const r = nlroute('-n', ns.name, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v9');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /EEXIST|exists/);
  });

  it('abbreviations resolve as in ip (ip r, ip a, ip l s)', async () => {
    assert.deepEqual(json('-n', ns.name, '-j', 'r'), await ns.json('route show'));
    assert.deepEqual(json('-n', ns.name, '-j', 'a'), await ns.json('addr show'));
    assert.deepEqual(json('-n', ns.name, '-j', 'l', 'sh', 'lo'), await ns.json('link show lo'));
  });

  it("text output is ip's, line for line", async () => {
    for (const view of [
      'link show',
      'addr show',
      'route show table all',
      'neigh show',
      'rule show',
      '-6 rule show',
      '-s link show lo',
    ]) {
      const r = nlroute('-n', ns.name, ...view.split(' '));
      assert.equal(r.code, 0, r.stderr);
      // ip pads some lines with trailing blanks; so do we, but compare without them to name the real difference.
      const trim = (t: string): string[] => t.split('\n').map((l) => l.trimEnd());
      assert.deepEqual(trim(r.stdout), trim(await ns.ip(view)), view);
    }
  });

  it('route get answers like ip route get', async () => {
    assert.deepEqual(json('-n', ns.name, '-j', 'route', 'get', '10.1.0.7'), await ns.json('route get 10.1.0.7'));
  });

  it('ipset: -n after "ipset" means names only; the namespace goes first', async () => {
    await ns.exec('ipset', ['create', 'cli-test-set', 'hash:ip']);
    const r = nlroute('-n', ns.name, 'ipset', 'list', '-n');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'cli-test-set');
    const help = nlroute('help').stdout;
    assert.match(help, /nlroute -n NETNS ipset list/);
    assert.doesNotMatch(help, /show \[-n NETNS\]/);
  });

  it('monitor streams changes, one JSON object per line with -j', async () => {
    const { spawn } = await import('node:child_process');
    const mon = spawn('node', [cli, '-n', ns.name, '-j', 'monitor', 'address'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      const first = new Promise<string>((resolve) => {
        mon.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
        });
      });
      // Keep adding until the monitor, which subscribes asynchronously, has seen one.
      let n = 0;
      const adder = setInterval(() => {
        void ns.ip(`addr add 10.2.0.${++n}/32 dev v0`);
      }, 100);
      const line = await first.finally(() => clearInterval(adder));
      const ev = JSON.parse(line);
      assert.equal(ev.ifname, 'v0');
      assert.match(ev.addr_info[0].local, /^10\.2\.0\.\d+$/);
    } finally {
      mon.kill('SIGTERM');
    }
  });

  it('netns add, list, identify, pids, exec and del', async () => {
    const name = `${ns.name}-cli`;
    assert.equal(nlroute('netns', 'add', name).code, 0);
    try {
      assert.ok(nlroute('netns', 'list').stdout.split('\n').includes(name));
      const r = nlroute('netns', 'exec', name, 'sh', '-c', 'ip -j link show lo >/dev/null && echo inside');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'inside');
      assert.equal(nlroute('netns', 'exec', name, 'false').code, 1);
      assert.equal(nlroute('netns', 'pids', name).stdout, '');
      assert.doesNotMatch(nlroute('netns', 'identify').stdout, new RegExp(name));
    } finally {
      assert.equal(nlroute('netns', 'del', name).code, 0);
    }
    assert.ok(!nlroute('netns', 'list').stdout.split('\n').includes(name));
  });
});
