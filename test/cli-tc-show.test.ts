// `nlroute [-s] [-d] -j tc X show` must print exactly what `tc [-s] [-d] -j X show` prints, and
// the text form exactly tc's text, for objects made by tc and for the same objects made by nlroute.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { createNetns, deleteNetns, type TestNetns } from './helpers/netns.js';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../src/tools/cli.js', import.meta.url));

// The links stay down, so no packet moves a counter between the two tools' reads.
const LINKS = ['link add v0 type veth peer name v1', 'link add t0 type veth peer name t1'];

/** tc lines for every qdisc, class, filter and action kind this host's kernel has. */
export const TC_SHOW_CORPUS = [
  'qdisc add dev v0 root handle 1: htb default 20 r2q 5',
  'class add dev v0 parent 1: classid 1:1 htb rate 100mbit',
  'class add dev v0 parent 1:1 classid 1:20 htb rate 10mbit ceil 20mbit prio 2',
  'class add dev v0 parent 1:1 classid 1:30 htb rate 5mbit burst 15k quantum 1500',
  'qdisc add dev v0 parent 1:20 handle 20: pfifo limit 50',
  'qdisc add dev v0 parent 1:30 handle 30: bfifo limit 30000',
  'filter add dev v0 parent 1: protocol ip prio 1 u32 match ip dst 10.9.0.0/16 flowid 1:20',
  'filter add dev v0 parent 1: protocol ip prio 2 u32 match ip protocol 6 0xff match ip dport 80 0xffff flowid 1:30',
  'filter add dev v0 parent 1: protocol all prio 3 u32 match u32 0 0 flowid 1:30',
  'qdisc add dev v0 ingress',
  'filter add dev v0 parent ffff: protocol all prio 1 u32 match u32 0 0 action mirred egress redirect dev t0',
  'filter add dev v0 parent ffff: protocol ip prio 2 u32 match ip src 10.1.0.0/24 action mirred egress mirror dev t1',
  'qdisc add dev v1 root tbf rate 1mbit burst 32kbit latency 400ms',
  'qdisc add dev t0 root pfifo_head_drop limit 30',
  'qdisc add dev t1 clsact',
  'filter add dev t1 egress protocol ip prio 5 u32 match ip dst 10.3.0.0/16 action mirred egress redirect dev t0',
];

/** What each tool is asked to show. */
const SHOWS = [
  'qdisc show',
  'qdisc show dev v0',
  'filter show dev v0',
  'filter show dev v0 parent 1:',
  'filter show dev v0 ingress',
  'filter show dev t1 egress',
];
const OPTION_SETS = [[], ['-s'], ['-d'], ['-s', '-d']];

// Seconds since an action was installed or last used: they tick between the two tools' reads.
const VOLATILE = new Set(['installed', 'last_used', 'first_used']);

function stable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stable);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).flatMap(([k, x]) => (VOLATILE.has(k) ? [] : [[k, stable(x)]])));
  }
  return v;
}
const stableText = (t: string): string => t.replace(/ (installed|used|firstused) \d+ sec/g, ' $1 N sec');

const words = (s: string): string[] => s.split(/\s+/);

// Handles the kernel picks (major 8000-ffef) come from one counter for the whole host.
const autoHandles = (v: unknown): unknown =>
  JSON.parse(JSON.stringify(v).replace(/"(8[0-9a-f]{3}|[9a-e][0-9a-f]{3}|f[0-9a-e][0-9a-f]{2}):"/g, '"auto:"'));

/** All `lines` through `tc -batch` and `nlroute -batch` with the same global options. */
async function both(ns: TestNetns, opts: string[], lines: string[]): Promise<[string, string]> {
  const ref = await ns.exec('tc', [...opts, '-batch', '-'], { input: lines.join('\n') + '\n' });
  const batch = lines.map((l) => `tc ${l}`).join('\n') + '\n';
  const ours = await ns.exec('node', [cli, ...opts, '-batch', '-'], { input: batch });
  return [ref, ours];
}

/** One JSON array per line, as tc -j prints each command's answer. */
const arrays = (out: string): unknown[] =>
  out
    .trim()
    .split('\n')
    .map((l) => stable(JSON.parse(l)));

async function compareAll(ns: TestNetns): Promise<void> {
  for (const opts of OPTION_SETS) {
    const what = opts.join(' ') || 'no options';
    const [ref, ours] = await both(ns, ['-j', ...opts], SHOWS);
    const r = arrays(ref),
      o = arrays(ours);
    assert.equal(o.length, SHOWS.length, `${what}: one JSON answer per command`);
    for (let i = 0; i < SHOWS.length; i++) assert.deepEqual(o[i], r[i], `-j ${what} ${SHOWS[i]}`);
    // tc 6.1 prints classes as text even with -j: for them the text is the reference.
    const [tref, tours] = await both(ns, opts, [...SHOWS, 'class show dev v0']);
    assert.equal(stableText(tours), stableText(tref), `text, ${what}`);
  }
}

describe('nlroute tc show prints what tc prints', () => {
  let byTc: TestNetns, byUs: TestNetns;
  before(async () => {
    byTc = await createNetns();
    byUs = await createNetns();
    await byTc.batch(LINKS);
    await byUs.batch(LINKS);
    await byTc.exec('tc', ['-batch', '-'], { input: TC_SHOW_CORPUS.join('\n') + '\n' });
    for (const line of TC_SHOW_CORPUS) {
      await run('node', [cli, '-n', byUs.name, 'tc', ...words(line)]).catch((e) => {
        throw new Error(`nlroute tc ${line}: ${e.stderr || e.message}`);
      });
    }
  });
  after(async () => {
    await deleteNetns(byTc);
    await deleteNetns(byUs);
  });

  it('objects made by tc', () => compareAll(byTc));
  it('objects made by nlroute', () => compareAll(byUs));
  it('both namespaces hold the same objects', async () => {
    const [a] = await both(byTc, ['-j'], SHOWS);
    const [b] = await both(byUs, ['-j'], SHOWS);
    assert.deepEqual(arrays(b).map(autoHandles), arrays(a).map(autoHandles));
  });
});
