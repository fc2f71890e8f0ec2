// The same ip/tc command lines through ip/tc and through nlroute, each in a fresh namespace:
// the state that `ip -j -d` and `tc -j -d` then report must be equal. Line by line and -batch.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { createNetns, deleteNetns, type TestNetns } from './helpers/netns.js';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../src/tools/cli.js', import.meta.url));

/** ip lines (without "ip"); every one works with the kernel this suite runs on. */
export const IP_CORPUS = [
  'link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02',
  'link add br0 address 02:00:00:00:00:10 type bridge',
  'link add br1 address 02:00:00:00:00:11 type bridge stp_state 0 forward_delay 500 priority 100',
  'link add ifb0 address 02:00:00:00:00:12 type ifb',
  'link add link v0 name mv0 address 02:00:00:00:00:13 type macvlan mode bridge',
  'link add vx0 address 02:00:00:00:00:14 type vxlan id 42 local 10.1.0.1 dstport 4789 dev v0',
  'link set v1 master br0',
  'link set v0 mtu 1400',
  'link set dev v0 alias uplink',
  'link set br0 txqueuelen 500',
  'link set mv0 arp off multicast off',
  'link set lo up',
  'link set v0 up',
  'link set v1 up',
  'link set br0 up',
  'link property add dev v0 altname veth-zero',
  'link del ifb0',
  'addr add 10.1.0.1/24 brd + dev v0',
  'addr add 10.1.0.9 peer 10.1.0.10/32 dev v0',
  'addr add 2001:db8::1/64 nodad dev v0',
  'addr add 10.1.0.20/24 label v0:x dev v0',
  'addr add 10.1.0.21/24 dev v0',
  'addr del 10.1.0.21/24 dev v0',
  'address add 10.5.5.5/32 scope host dev lo',
  'route add 10.2.0.0/16 via 10.1.0.2 metric 50',
  'route add blackhole 10.3.0.0/16',
  'route add unreachable 10.4.0.0/24',
  'route add prohibit 10.4.1.0/24',
  'route add 10.5.0.0/24 dev v0 scope link proto static mtu 1300',
  'route add 10.6.0.0/24 table 100 dev v0',
  'route add 10.7.0.0/24 via 10.1.0.2 dev v0 onlink',
  'route add 10.8.0.0/24 nexthop via 10.1.0.2 dev v0 weight 1 nexthop via 10.1.0.3 dev v0 weight 2',
  'route add 2001:db8:1::/64 via 2001:db8::2 dev v0 metric 7',
  'route replace 10.2.0.0/16 via 10.1.0.3 metric 50',
  'route add default via 10.1.0.254',
  'route del 10.3.0.0/16',
  'r a 10.10.0.0/16 via 10.1.0.2 advmss 1200 mtu lock 1400',
  'neigh add 10.1.0.2 lladdr 02:00:00:00:00:aa dev v0 nud permanent',
  'neigh add 10.1.0.3 lladdr 02:00:00:00:00:bb dev v0 nud permanent',
  'neigh replace 10.1.0.3 lladdr 02:00:00:00:00:cc dev v0 nud permanent',
  'neigh add 10.1.0.4 lladdr 02:00:00:00:00:dd dev v0 nud noarp',
  'neigh del 10.1.0.2 dev v0',
  'rule add from 10.1.0.0/24 table 100 priority 1000',
  'rule add fwmark 0x10/0xff table 100 priority 1001',
  'rule add iif v0 blackhole priority 1002',
  'rule add not to 10.9.0.0/16 lookup main pref 1003',
  'rule add ipproto tcp dport 80 table 100 pref 1004',
  'rule add from all to 10.11.0.0/16 goto 1003 pref 900',
  'rule del priority 1004',
];

/** tc lines (without "tc"). */
export const TC_CORPUS = [
  'qdisc add dev v0 root handle 1: htb default 20',
  'class add dev v0 parent 1: classid 1:20 htb rate 10mbit ceil 20mbit',
  'class add dev v0 parent 1: classid 1:30 htb rate 5mbit burst 15k',
  'filter add dev v0 parent 1: protocol ip prio 1 u32 match ip dst 10.9.0.0/16 flowid 1:20',
  'filter add dev v0 parent 1: protocol ip prio 2 u32 match ip protocol 6 0xff match ip dport 80 0xffff flowid 1:30',
  'qdisc add dev v0 ingress',
  'qdisc add dev br0 root tbf rate 1mbit burst 32kbit latency 400ms',
  'qdisc replace dev br0 root pfifo limit 100',
  'class change dev v0 parent 1: classid 1:30 htb rate 6mbit',
  'qdisc add dev v1 root handle 2: bfifo limit 20000',
  'qdisc del dev v1 root',
];

const words = (line: string): string[] => line.split(/\s+/);

function sh(cmd: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [],
      err: Buffer[] = [];
    p.stdout.on('data', (d: Buffer) => out.push(d));
    p.stderr.on('data', (d: Buffer) => err.push(d));
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0
        ? resolve(Buffer.concat(out).toString())
        : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${Buffer.concat(err).toString().trim()}`)),
    );
    p.stdin.on('error', () => {
      /* a command that reads no input may exit first */
    });
    p.stdin.end(input ?? '');
  });
}

// Values that differ between two namespaces even with equal configuration: running timers,
// and htb's count of packets sent past its classes (IPv6 DAD and router solicitations leave
// at moments of their own).
const VOLATILE = /_timer$|^gc_timer$|^direct_packets_stat$/;

// Handles the kernel picks (major 8000-ffef) come from one counter for the whole host.
const AUTO_HANDLE = /^(8[0-9a-f]{3}|[9a-e][0-9a-f]{3}|f[0-9a-e][0-9a-f]{2}):$/;

function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => !VOLATILE.test(k))
        .map(([k, x]) => [k, normalise(x)]),
    );
  }
  if (typeof v === 'string' && AUTO_HANDLE.test(v)) return 'auto:';
  return v;
}

/** Equal routes of two links (fe80::/64 on v0 and v1) are listed in the order DAD finished. */
const sorted = (rows: unknown): unknown => (rows as unknown[]).map((r) => JSON.stringify(r)).sort();

async function state(ns: TestNetns): Promise<Record<string, unknown>> {
  const ip = async (args: string): Promise<unknown> =>
    JSON.parse((await sh('ip', ['-n', ns.name, '-j', '-d', ...words(args)])) || '[]');
  // tc -j -d prints some htb details as text, so tc's state is read without -d.
  const tc = async (args: string): Promise<unknown> =>
    JSON.parse((await sh('tc', ['-n', ns.name, '-j', ...words(args)])) || '[]');
  return normalise({
    link: await ip('link show'),
    addr: await ip('addr show'),
    route: sorted(await ip('route show table all')),
    neigh: await ip('neigh show'),
    rule4: await ip('-4 rule show'),
    rule6: await ip('-6 rule show'),
    qdisc: await tc('qdisc show'),
    // tc 6.1 prints htb classes as text even with -j.
    class: await sh('tc', ['-n', ns.name, 'class', 'show', 'dev', 'v0']),
    filter: await tc('filter show dev v0'),
  }) as Record<string, unknown>;
}

/** Both namespaces' state, once it has settled (carrier and DAD are asynchronous). */
async function compare(a: TestNetns, b: TestNetns): Promise<void> {
  let sa = await state(a),
    sb = await state(b);
  for (let i = 0; i < 20 && JSON.stringify(sa) !== JSON.stringify(sb); i++) {
    await sleep(250);
    sa = await state(a);
    sb = await state(b);
  }
  for (const k of Object.keys(sa)) assert.deepEqual(sb[k], sa[k], `${k} differs`);
}

async function withPair(body: (ref: TestNetns, ours: TestNetns) => Promise<void>): Promise<void> {
  const ref = await createNetns(),
    ours = await createNetns();
  try {
    await body(ref, ours);
  } finally {
    await deleteNetns(ref);
    await deleteNetns(ours);
  }
}

describe('nlroute and ip/tc give the same state for the same command lines', () => {
  it('line by line', async () => {
    await withPair(async (ref, ours) => {
      for (const line of IP_CORPUS) {
        await sh('ip', ['-n', ref.name, ...words(line)]);
        await run('node', [cli, '-n', ours.name, ...words(line)]).catch((e) => {
          throw new Error(`nlroute ${line}: ${e.stderr || e.message}`);
        });
      }
      for (const line of TC_CORPUS) {
        await sh('tc', ['-n', ref.name, ...words(line)]);
        await run('node', [cli, '-n', ours.name, 'tc', ...words(line)]).catch((e) => {
          throw new Error(`nlroute tc ${line}: ${e.stderr || e.message}`);
        });
      }
      await compare(ref, ours);
    });
  });

  it('-batch', async () => {
    await withPair(async (ref, ours) => {
      await sh('ip', ['-n', ref.name, '-batch', '-'], IP_CORPUS.join('\n') + '\n');
      await sh('tc', ['-n', ref.name, '-batch', '-'], TC_CORPUS.join('\n') + '\n');
      const batch = [...IP_CORPUS, '# tc, as one file', ...TC_CORPUS.map((l) => `tc ${l}`)].join('\n') + '\n';
      await sh('node', [cli, '-n', ours.name, '-batch', '-'], batch);
      await compare(ref, ours);
    });
  });
});
