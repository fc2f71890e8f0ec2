// What a new user of the command line tries first, compared with ip on the same state: rule
// selectors in the text view, proxy neighbours, ip's keyword spellings, the text monitor, the
// route table in JSON and the bridge details.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createNetns, deleteNetns, type TestNetns } from './helpers/netns.js';

const cli = fileURLToPath(new URL('../src/tools/cli.js', import.meta.url));

function nlroute(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('node', [cli, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const lines = (t: string): string[] => t.split('\n').map((l) => l.trimEnd());

describe('nlroute as a new ip user types it', () => {
  let ns: TestNetns;
  before(async () => {
    ns = await createNetns();
    await ns.batch([
      'link add v0 type veth peer name v1',
      'link add br0 type bridge',
      'link set v1 master br0',
      'link set v0 up',
      'link set v1 up',
      'link set br0 up',
      'link add vx0 type vxlan id 42 dstport 4789 dev v0 local 10.0.0.1',
      'link add vx1 type vxlan id 43 dstport 4790 group 239.1.1.1 dev v0 ttl 5 nolearning noudpcsum ageing 100',
      'addr add 10.0.0.1/24 dev v0',
      'neigh add proxy 10.0.0.9 dev v0',
      'rule add not from 10.9.0.0/16 lookup 103 priority 1004',
      'rule add from all ipproto tcp dport 80 table 104 pref 1005',
      'rule add ipproto udp sport 1000-2000 table 104 pref 1006',
      'rule add uidrange 1000-2000 table 105 pref 1007',
      'rule add iif v0 oif v1 blackhole pref 1008',
      'rule add from 10.1.0.0/16 goto 1010 pref 1009',
      'rule add tos 0x10 fwmark 0x10/0xff table 106 pref 1010',
      'rule add table 107 suppress_prefixlength 0 pref 1011',
      'rule add table 108 suppress_ifgroup 5 pref 1012',
      'rule add nop pref 1013',
      'rule add table 109 realms 5 pref 1014',
      'rule add table 109 realms 3/5 pref 1015',
      'rule add table 110 pref 1016 protocol static',
      'rule add ipproto 200 table 5 pref 1018',
      'route add 10.6.0.0/24 table 100 dev v0',
    ]);
  });
  after(async () => {
    await deleteNetns(ns);
  });

  it('rule show prints every selector ip prints (not, uidrange, ipproto, ports...)', async () => {
    const r = nlroute('-n', ns.name, 'rule', 'show');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), lines(await ns.ip('rule show')));
    const j = nlroute('-n', ns.name, '-j', 'rule', 'show');
    assert.deepEqual(JSON.parse(j.stdout), await ns.json('rule show'));
  });

  it('neigh show proxy lists the proxy entries, as ip does', async () => {
    const r = nlroute('-n', ns.name, 'neigh', 'show', 'proxy');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), lines(await ns.ip('neigh show proxy')));
    const j = nlroute('-n', ns.name, '-j', 'neigh', 'show', 'proxy');
    assert.equal(j.code, 0, j.stderr);
    assert.deepEqual(JSON.parse(j.stdout), await ns.json('neigh show proxy'));
  });

  it('takes the spellings ip takes: scope global, rule prio, table abbreviations', async () => {
    let r = nlroute('-n', ns.name, 'route', 'add', '10.7.0.0/16', 'dev', 'v0', 'scope', 'global');
    assert.equal(r.code, 0, r.stderr);
    assert.match(await ns.ip('route show 10.7.0.0/16'), /^10\.7\.0\.0\/16 dev v0 $/m);
    r = nlroute('-n', ns.name, 'rule', 'add', 'iif', 'lo', 'tab', '102', 'prio', '1003');
    assert.equal(r.code, 0, r.stderr);
    assert.match(await ns.ip('rule show'), /^1003:\tfrom all iif lo lookup 102 ?$/m);
  });

  it('-j route show table all gives table names and numbers as ip -j does (strings)', async () => {
    const r = nlroute('-n', ns.name, '-j', 'route', 'show', 'table', 'all');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), await ns.json('route show table all'));
  });

  it('-d link show of a bridge, its port and vxlan prints the words ip prints', async () => {
    // Timers tick between the two reads: compare them masked.
    const mask = (t: string): string[] => lines(t.replace(/(_timer) +[\d.]+/g, '$1 T'));
    for (const dev of ['br0', 'v1', 'vx0', 'vx1']) {
      const r = nlroute('-n', ns.name, '-d', 'link', 'show', 'dev', dev);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(mask(r.stdout), mask(await ns.ip(`-d link show dev ${dev}`)), dev);
    }
  });

  it('monitor (text) prints address, route and rule changes without failing', async () => {
    const mon = spawn('node', [cli, '-n', ns.name, 'monitor'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '',
      err = '';
    mon.stdout.on('data', (d: Buffer) => (out += d.toString()));
    mon.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => mon.on('exit', (c) => resolve(c)));
    try {
      // The monitor subscribes asynchronously: repeat a change until it has printed one.
      for (let n = 1; !out.includes('inet 10.3.0.') && n < 100; n++) {
        await ns.ip(`addr add 10.3.0.${n}/32 dev v0`);
        await new Promise((r) => setTimeout(r, 100));
      }
      await ns.ip('rule add pref 2000 table 5');
      await ns.ip('rule del pref 2000');
      await ns.ip('route add 10.8.0.0/16 dev v0');
      for (let i = 0; i < 50 && !out.includes('10.8.0.0/16'); i++) await new Promise((r) => setTimeout(r, 100));
    } finally {
      mon.kill('SIGTERM');
    }
    await exited;
    assert.equal(err, '');
    assert.match(out, /^\d+: v0 +inet 10\.3\.0\.\d+\/32 scope global v0$/m);
    assert.match(out, /^2000:\tfrom all lookup 5/m);
    assert.match(out, /^Deleted 2000:\tfrom all lookup 5/m);
    assert.match(out, /^10\.8\.0\.0\/16 dev v0 scope link/m);
  });
});
