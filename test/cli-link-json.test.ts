// `nlroute -j -d link show` must print exactly what `ip -j -d link show` prints, kind options
// (info_data, info_slave_data) included, for links made by ip and the same links made by nlroute.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { createNetns, deleteNetns, type TestNetns } from './helpers/netns.js';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../src/tools/cli.js', import.meta.url));

/** ip lines (without "ip") making one link of each kind this host's kernel has, with options set. */
export const LINK_KIND_CORPUS = [
  'link add v0 type veth peer name v1',
  'link add br0 type bridge forward_delay 400 stp_state 0 priority 7',
  'link add br1 type bridge group_fwd_mask 0x4000 mcast_snooping 0 ageing_time 1000',
  'link set v1 master br0',
  'link add vx0 type vxlan id 42 local 10.1.0.1 dstport 4789 dev v0',
  'link add vx1 type vxlan id 7 group 239.1.1.1 dev v0 dstport 0 ttl 9 tos 0x10 nolearning',
  'link add vx2 type vxlan id 8 remote 10.2.0.9 dstport 4790 ageing 0 l2miss l3miss proxy noudpcsum',
  'link add vx3 type vxlan id 9 remote 2001:db8::1 local 2001:db8::2 dstport 4789',
  'link add link v0 name mv0 type macvlan mode bridge',
  'link add link v0 name mv1 type macvlan mode private',
  'link add link v0 name mv2 type macvlan mode vepa',
  'link add link v0 name mv3 type macvtap mode bridge',
  'link add t0 type veth peer name t1',
  'link add ifb0 type ifb',
];

/**
 * Options nlroute's `link add` grammar does not take yet (it refuses them with a usage error):
 * made by ip only, and read back by both tools.
 */
const IP_ONLY = [
  'link add br2 type bridge vlan_protocol 802.1ad',
  'link add vx4 type vxlan id 10 dstport 4792 gbp srcport 1000 2000 maxaddr 9',
  'link add vx5 type vxlan id 11 remote 2001:db8::9 dstport 4793 ttl inherit df set flowlabel 0x12',
  'link add vx6 type vxlan external dstport 4791 udp6zerocsumtx',
  'link add link t0 name mv4 type macvlan mode passthru nopromisc',
  'link add link v0 name mv5 type macvlan mode vepa bcqueuelen 50',
];

// Bridge timers (hello, tcn, topology change, gc, and a port's hold/message age/forward delay)
// run on their own clock: two reads a moment apart differ. The rest is compared exactly.
const VOLATILE = /_timer$/;

function stable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stable);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).flatMap(([k, x]) => (VOLATILE.test(k) ? [] : [[k, stable(x)]])));
  }
  return v;
}

async function nlrouteJson(ns: TestNetns): Promise<unknown> {
  return JSON.parse((await run('node', [cli, '-n', ns.name, '-j', '-d', 'link', 'show'])).stdout);
}

/** Both reads, until they agree (carrier and operstates settle asynchronously), then compared. */
async function compare(ns: TestNetns): Promise<void> {
  let ip = stable(await ns.json('-d link show'));
  let ours = stable(await nlrouteJson(ns));
  for (let i = 0; i < 20 && !isDeepStrictEqual(ours, ip); i++) {
    await sleep(250);
    ip = stable(await ns.json('-d link show'));
    ours = stable(await nlrouteJson(ns));
  }
  assert.deepEqual(ours, ip);
}

describe('nlroute -j -d link show prints what ip prints', () => {
  let byIp: TestNetns, byUs: TestNetns;
  before(async () => {
    byIp = await createNetns();
    byUs = await createNetns();
    await byIp.batch([...LINK_KIND_CORPUS, ...IP_ONLY]);
    await byIp.exec('ip', ['tuntap', 'add', 'tap0', 'mode', 'tap']);
    await byIp.exec('ip', ['tuntap', 'add', 'tun0', 'mode', 'tun', 'multi_queue']);
    // Owner and group: by name where the account files have one (root), else numbers.
    await byIp.exec('ip', ['tuntap', 'add', 'tap1', 'mode', 'tap', 'user', '0', 'group', '0']);
    await byIp.exec('ip', ['tuntap', 'add', 'tun1', 'mode', 'tun', 'user', '4242', 'group', '4343']);
    const batch = LINK_KIND_CORPUS.join('\n') + '\n';
    await byUs.exec('node', [cli, '-batch', '-'], { input: batch });
  });
  after(async () => {
    await deleteNetns(byIp);
    await deleteNetns(byUs);
  });

  it('links made by ip', () => compare(byIp));
  it('links made by nlroute', () => compare(byUs));
  it('bridge ports with options set', async () => {
    await byIp.batch([
      'link set v1 type bridge_slave group_fwd_mask 0x4008 hairpin on guard on cost 9 priority 3',
      'link set v1 type bridge_slave learning off flood off proxy_arp on mcast_flood off neigh_suppress on',
      'link set v1 type bridge_slave isolated on',
    ]);
    await compare(byIp);
  });
});
