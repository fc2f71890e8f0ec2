// `nlroute X show -n NS --json` against `ip -n NS -j [-d] X show` for the same objects.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { isDeepStrictEqual, promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createNetns, deleteNetns, type TestNetns } from './helpers/netns.js';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../src/tools/cli.js', import.meta.url));

async function nlroute(...args: string[]): Promise<any> {
  return JSON.parse((await run('node', [cli, ...args])).stdout);
}

/** Drop the bridge timers (hello, gc, a port's hold...): they tick between the two reads. */
function withoutTimers(links: any[]): any[] {
  const noTimers = (o: Record<string, unknown> | undefined) =>
    o && Object.fromEntries(Object.entries(o).filter(([k]) => !k.endsWith('_timer')));
  return links.map((l) => {
    if (!l.linkinfo) return l;
    const li = { ...l.linkinfo };
    if (li.info_data) li.info_data = noTimers(li.info_data);
    if (li.info_slave_data) li.info_slave_data = noTimers(li.info_slave_data);
    return { ...l, linkinfo: li };
  });
}

describe('read-only views match ip -j', () => {
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
      'link set lo up',
      'link set v0 mtu 1400',
      'link property add dev v0 altname veth-zero',
      'addr add 10.1.0.1/24 brd + label v0:main dev v0',
      'addr add 10.1.0.9 peer 10.1.0.10/32 dev v0',
      'addr add 2001:db8::1/64 nodad dev v0',
      'route add 10.2.0.0/16 via 10.1.0.2 metric 50',
      'route add blackhole 10.3.0.0/16',
      'route add unreachable 10.4.0.0/24',
      'route add 10.5.0.0/24 dev v0 scope link proto static mtu 1300',
      'route add 10.6.0.0/24 table 100 dev v0',
      'neigh add 10.1.0.2 lladdr 02:00:00:00:00:02 dev v0 nud permanent',
      'neigh add 10.1.0.3 lladdr 02:00:00:00:00:03 dev v0 nud stale',
      'rule add from 10.1.0.0/24 table 100 priority 1000',
      'rule add fwmark 0x10 table 100 priority 1001',
      'rule add iif v0 blackhole priority 1002',
    ]);
  });
  after(async () => {
    await deleteNetns(ns);
  });

  it('link show', async () => {
    // Operstates settle asynchronously after "up" (a bridge goes UNKNOWN -> UP): read both until they agree.
    let ip = await ns.json('-d link show');
    let ours = await nlroute('-d', 'link', 'show', '-n', ns.name, '--json');
    for (let i = 0; i < 20 && !isDeepStrictEqual(withoutTimers(ours), withoutTimers(ip)); i++) {
      await sleep(250);
      ip = await ns.json('-d link show');
      ours = await nlroute('-d', 'link', 'show', '-n', ns.name, '--json');
    }
    assert.deepEqual(withoutTimers(ours), withoutTimers(ip));
    assert.equal(ours.find((l: any) => l.ifname === 'v1').master, 'br0');
    assert.deepEqual(ours.find((l: any) => l.ifname === 'v0').altnames, ['veth-zero']);
  });

  it('addr show', async () => {
    // Link-local addresses leave "tentative" when DAD ends, at a moment of their own: read both until they agree.
    let ours = await nlroute('addr', 'show', '-n', ns.name, '--json');
    let ip = await ns.json('addr show');
    for (let i = 0; i < 20 && !isDeepStrictEqual(ours, ip); i++) {
      await sleep(250);
      ours = await nlroute('addr', 'show', '-n', ns.name, '--json');
      ip = await ns.json('addr show');
    }
    assert.deepEqual(ours, ip);
  });

  it('route show, main and all tables', async () => {
    assert.deepEqual(await nlroute('route', 'show', '-n', ns.name, '--json'), await ns.json('route show'));
    assert.deepEqual(
      await nlroute('route', 'show', '-n', ns.name, '--json', 'table', '100'),
      await ns.json('route show table 100'),
    );
  });

  it('neigh show', async () => {
    assert.deepEqual(await nlroute('neigh', 'show', '-n', ns.name, '--json'), await ns.json('neigh show'));
  });

  it('rule show', async () => {
    assert.deepEqual(await nlroute('rule', 'show', '-n', ns.name, '--json'), await ns.json('rule show'));
  });
});
