// Errors that point at the caller: a refused request names the operation and the object it
// was about, keeps errno, code, the kernel's extended ACK and the request, and its stack reaches
// the line of the program that made the call (V8's async stack trace through the awaits).
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NetlinkError } from '../src/core/index.js';
import { GenericNetlink } from '../src/genl/index.js';
import { IPSet, IPSetError } from '../src/ipset/index.js';
import { IPRoute } from '../src/rtnl/index.js';
import { TaskStats } from '../src/taskstats/index.js';
import { withNetns, type TestNetns } from './helpers/netns.js';

const thisFile = basename(fileURLToPath(import.meta.url));

/** The line of this file the caller is on (read from a fresh stack). */
function lineHere(): number {
  const frame = new Error().stack!.split('\n')[2];
  return Number(/:(\d+):\d+\)?$/.exec(frame)![1]);
}

/** The error a call rejects with (awaited here, so the call's line is in its async stack). */
async function failure(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail('expected the call to fail');
}

/** Whether a stack has a frame on line `line` of this test file. */
function hasLine(stack: string, line: number): boolean {
  return stack.split('\n').some((f) => f.includes(thisFile) && new RegExp(`:${line}:\\d+\\)?$`).test(f));
}

async function veth(ns: TestNetns): Promise<void> {
  await ns.batch([
    'link set lo up',
    'link add e0 type veth peer name e1',
    'link set e0 up',
    'addr add 10.1.0.1/24 dev e0',
  ]);
}

test('a kernel error names the operation and the object, and keeps errno, extack and the request', async () => {
  await withNetns(async (ns) => {
    await veth(ns);
    await using ipr = new IPRoute({ netns: ns.name });
    const spec = { dst: '10.40.0.0/16', gateway: '10.0.0.9' };
    const e = await failure(ipr.route('add', spec));
    assert.ok(e instanceof NetlinkError);
    assert.equal(
      e.message,
      'route add 10.40.0.0/16 via 10.0.0.9 table main: Network is unreachable (ENETUNREACH): Nexthop has invalid gateway',
    );
    assert.equal(e.errno, 101);
    assert.equal(e.code, 'ENETUNREACH');
    assert.equal(e.extack.message, 'Nexthop has invalid gateway');
    assert.equal(e.operation, 'route add');
    assert.equal(e.object, '10.40.0.0/16 via 10.0.0.9 table main');
    assert.deepEqual(e.request, spec);

    const gone = await failure(ipr.route('del', { dst: '10.99.0.0/16' }));
    assert.equal(gone.message, 'route del 10.99.0.0/16 table main: No such process (ESRCH)');
    const dev = await failure(
      ipr
        .route('add', { dst: '10.41.0.0/16', oif: 'e0', table: 100 })
        .then(() => ipr.route('add', { dst: '10.41.0.0/16', oif: 'e0', table: 100 })),
    );
    assert.equal(dev.message, 'route add 10.41.0.0/16 dev e0 table 100: File exists (EEXIST)');
  });
});

test('link set on a missing name names the link', async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    const e = await failure(ipr.link('set', { ifname: 'nlr-missing0', state: 'up' }));
    assert.ok(e instanceof NetlinkError);
    assert.equal(e.code, 'ENODEV');
    assert.match(e.message, /^link set nlr-missing0: No such device \(ENODEV\)/);
    const del = await failure(ipr.link('del', { index: 4242 }));
    assert.match(del.message, /^link del index 4242: No such device \(ENODEV\)/);
    const addr = await failure(ipr.addr('add', { index: 4242, address: '10.9.0.1', prefixlen: 24 }));
    assert.match(addr.message, /^addr add 10\.9\.0\.1\/24 dev index 4242: No such device \(ENODEV\)/);
  });
});

test('every failure of a batch names its request', async () => {
  await withNetns(async (ns) => {
    await veth(ns);
    await using ipr = new IPRoute({ netns: ns.name });
    const res = await ipr.batch([
      ['route', 'add', { dst: '10.50.0.0/16', oif: 'e0' }],
      ['route', 'add', { dst: '10.50.0.0/16', oif: 'e0' }],
      ['addr', 'add', { index: 'e0', address: '10.1.0.1/24' }],
    ]);
    assert.deepEqual(
      res.map((r) => r.ok),
      [true, false, false],
    );
    assert.equal(!res[1].ok && res[1].error.message, 'route add 10.50.0.0/16 dev e0 table main: File exists (EEXIST)');
    assert.equal(
      !res[2].ok && res[2].error.message,
      'addr add 10.1.0.1/24 dev e0: File exists (EEXIST): ipv4: Address already assigned',
    );
  });
});

test("a kernel error thrown by an awaited IPRoute call carries the caller's line", async () => {
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    let e: any;
    const line = lineHere() + 2;
    try {
      await ipr.link('set', { ifname: 'nlr-missing0', mtu: 1400 });
    } catch (err) {
      e = err;
    }
    assert.ok(e instanceof NetlinkError);
    assert.ok(hasLine(String(e.stack), line), `line ${line} of ${thisFile} in:\n${e.stack}`);
    assert.match(String(e.stack), /^NetlinkError: link set nlr-missing0: No such device/);
  });
});

test("IPSet, GenericNetlink and TaskStats errors carry the caller's line and name the object", async () => {
  await withNetns(async (ns) => {
    await using ipset = new IPSet({ netns: ns.name });
    let e: any;
    let line = lineHere() + 2;
    try {
      await ipset.add('nlr-nosuch', '10.0.0.1');
    } catch (err) {
      e = err;
    }
    assert.ok(e instanceof IPSetError);
    assert.ok(hasLine(String(e.stack), line), e.stack);
    assert.equal(e.message, 'ipset add nlr-nosuch 10.0.0.1: The set with the given name does not exist');
    assert.equal(e.ipsetMessage, 'The set with the given name does not exist');

    await using genl = new GenericNetlink({ netns: ns.name });
    line = lineHere() + 2;
    try {
      await genl.resolve('NLR_NO_SUCH');
    } catch (err) {
      e = err;
    }
    assert.equal(e.code, 'ENOENT');
    assert.match(e.message, /NLR_NO_SUCH/);
    assert.ok(hasLine(String(e.stack), line), e.stack);

    await using ts = new TaskStats();
    line = lineHere() + 2;
    try {
      await ts.getPidStats(0x3ffffff0);
    } catch (err) {
      e = err;
    }
    assert.equal(e.code, 'ESRCH');
    assert.ok(hasLine(String(e.stack), line), e.stack);
  });
});

test('EPERM says which capability is missing', () => {
  const e = new NetlinkError(1, { message: 'x' });
  assert.equal(e.code, 'EPERM');
  assert.match(e.message, /^Operation not permitted \(EPERM\): x \(needs CAP_NET_ADMIN\)$/);
});
