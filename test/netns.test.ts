// nlroute/netns against the real kernel and iproute2 (run as root). Every namespace made here
// is removed in a finally; the host namespace is only read, never changed.
import assert from 'node:assert/strict';
import { spawn as spawnChild, execFileSync, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import {
  Marshal,
  MessageSchema,
  NetlinkSocket,
  NETLINK_ROUTE,
  NLM_F_DUMP,
  asciiz,
  attrMap,
  pad,
  s32,
  struct,
  u16,
  u32,
  u8,
} from '../src/core/index.js';
import * as netns from '../src/netns/index.js';
import { NetnsError, NetnsNameError } from '../src/netns/index.js';
import { assertOwnNamespace, ownNs, removeNetnsNames, uniqNetnsName as uniq } from './helpers/netns-names.js';

// A minimal link schema, so these tests depend on core only.
const linkmsg = new MessageSchema(
  'test.netns.ifinfmsg',
  struct('ifinfomsg', { family: u8, __pad: pad(1), ifi_type: u16, index: s32, flags: u32, change: u32 }),
  attrMap('ifla', { IFLA_IFNAME: [3, asciiz] }),
);
const RTM_NEWLINK = 16;
const RTM_GETLINK = 18;

const made = new Set<string>();
/** Remove every namespace this file may have left, whichever tool made it. */
function cleanup(...names: string[]): void {
  const these = names.length ? names : [...made];
  for (const n of these) made.delete(n);
  removeNetnsNames(these);
}
after(() => cleanup());

function ipNetnsList(): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' ')[0]);
}

/** Link names seen by a NETLINK_ROUTE socket opened in `ns` (or in the run() context). */
async function linkNames(ns?: string): Promise<string[]> {
  const sock = new NetlinkSocket({
    protocol: NETLINK_ROUTE,
    marshal: new Marshal({ [RTM_NEWLINK]: linkmsg }),
    ...(ns ? { netns: ns } : {}),
  });
  try {
    const msgs = await sock.request(linkmsg, { type: RTM_GETLINK, flags: NLM_F_DUMP });
    return msgs.map((m) => m.getAttr('IFLA_IFNAME') as string).sort();
  } finally {
    sock.close();
  }
}

function nsId(path: string): string {
  const st = statSync(path);
  return `net:[${st.ino}]`;
}

/** Mounts of namespace files whose name starts with `prefix` (other processes may add their own). */
function mountLines(prefix: string): number {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((l) => l.split(' ')[4]?.startsWith(`/run/netns/${prefix}`)).length;
}

const hostLinks = await linkNames();

describe('netns create/list/remove with iproute2', () => {
  it('create with nlroute: ip netns list shows it and ip netns exec works', () => {
    const name = uniq('c');
    made.add(name);
    try {
      const path = netns.create(name);
      assert.equal(path, `/var/run/netns/${name}`);
      assert.ok(ipNetnsList().includes(name));
      assert.ok(netns.list().includes(name));
      assert.ok(netns.exists(name));
      const links = JSON.parse(
        execFileSync('ip', ['netns', 'exec', name, 'ip', '-j', 'link'], { encoding: 'utf8' }),
      ) as { ifname: string }[];
      assert.deepEqual(
        links.map((l) => l.ifname),
        ['lo'],
      );
      // A namespace of its own, not ours.
      assert.notEqual(nsId(path), ownNs);
      // Same propagation set-up as iproute2: the directory is a shared mount point.
      const dirLine = readFileSync('/proc/self/mountinfo', 'utf8')
        .split('\n')
        .find((l) => l.split(' ')[4] === '/run/netns');
      assert.ok(dirLine && / shared:\d+/.test(dirLine), `/run/netns is a shared mount: ${dirLine}`);
    } finally {
      cleanup(name);
    }
    assert.ok(!ipNetnsList().includes(name));
    assertOwnNamespace();
  });

  it('create with ip netns add: nlroute lists it and opens a socket in it', async () => {
    const name = uniq('ip');
    made.add(name);
    try {
      execFileSync('ip', ['netns', 'add', name]);
      assert.ok(netns.list().includes(name));
      assert.ok(netns.exists(name));
      assert.deepEqual(await linkNames(name), ['lo']);
    } finally {
      cleanup(name);
    }
    assertOwnNamespace();
  });

  it('removes both ways, leaving no file and no mount', () => {
    const a = uniq('ra');
    const b = uniq('rb');
    made.add(a).add(b);
    try {
      netns.create(a);
      execFileSync('ip', ['netns', 'del', a]);
      assert.ok(!netns.list().includes(a));
      execFileSync('ip', ['netns', 'add', b]);
      netns.remove(b);
      assert.ok(!ipNetnsList().includes(b));
      assert.ok(!existsSync(`/var/run/netns/${b}`));
      const mi = readFileSync('/proc/self/mountinfo', 'utf8');
      assert.ok(!mi.includes(`/netns/${a} `) && !mi.includes(`/netns/${b} `));
      assert.equal(netns.exists(b), false);
    } finally {
      cleanup(a, b);
    }
  });

  it('attaches the namespace of a process (unshare -n sleep)', async () => {
    const name = uniq('at');
    made.add(name);
    let child: ChildProcess | undefined;
    try {
      child = spawnChild('unshare', ['-n', 'sleep', '60'], { stdio: 'ignore' });
      const pid = child.pid!;
      // unshare execs sleep in place: wait until the pid has left our namespace.
      for (let i = 0; i < 200 && readlinkSync(`/proc/${pid}/ns/net`) === ownNs; i++) await sleep(10);
      const childNs = readlinkSync(`/proc/${pid}/ns/net`);
      assert.notEqual(childNs, ownNs);
      netns.attach(name, pid);
      assert.equal(nsId(`/var/run/netns/${name}`), childNs);
      assert.equal(execFileSync('ip', ['netns', 'identify', String(pid)], { encoding: 'utf8' }).trim(), name);
      assert.deepEqual(await linkNames(name), ['lo']);
      assert.throws(
        () => netns.attach(name, pid),
        (e: NetnsError) => e instanceof NetnsError && e.code === 'EEXIST',
      );
    } finally {
      child?.kill('SIGKILL');
      cleanup(name);
    }
    assertOwnNamespace();
  });
});

describe('same syscalls as iproute2', () => {
  // Both run in a throwaway mount namespace with a fresh tmpfs on /run, so the first-time
  // set-up of /run/netns (bind onto itself, then shared) happens there and nowhere else.
  /** What strace (on stderr) says `cmd` did there. */
  const run = (cmd: string): string => {
    const r = spawnSync(
      'unshare',
      [
        '-m',
        '--propagation',
        'private',
        'sh',
        '-c',
        `mount -t tmpfs tmpfs /run && exec strace -f -qq -e trace=mkdir,flock,mount,unshare,umount2,unlink ${cmd}`,
      ],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`${cmd}: exit ${r.status}: ${r.stderr}`);
    return r.stderr;
  };
  /** Calls as comparable text: no pids, no fs-type pointer, one spelling of the paths. */
  const normalize = (log: string): string[] =>
    log
      .split('\n')
      .map((l) =>
        l
          .replace(/^\[pid\s+\d+\]\s*/, '')
          .replace(/^\d+\s+/, '')
          .replace(/0x[0-9a-f]+/g, 'T')
          .replace(/\/var\/run\//g, '/run/')
          .replace('/proc/thread-self/', '/proc/self/')
          .replace('|UMOUNT_NOFOLLOW', '')
          .replace(/flock\(\d+/, 'flock(FD')
          .replace(/\s+/g, ' ')
          .trim(),
      )
      .filter((l) => /^(mkdir|flock|mount|unshare|umount2|unlink)\(/.test(l) && !l.includes('LOCK_UN'));

  it('create/remove make the same mount, unshare and umount calls as ip netns add/del', {
    skip: !existsSync('/usr/bin/strace') && 'no strace',
  }, () => {
    const script = `const n = await import(${JSON.stringify(new URL('../src/netns/index.js', import.meta.url).href)}); n.create('x'); n.remove('x');`;
    const ours = normalize(run(`${process.execPath} --input-type=module -e "${script.replace(/"/g, '\\"')}"`));
    const theirs = normalize(run("sh -c 'ip netns add x && ip netns del x'"));
    assert.deepEqual(ours, theirs);
    assert.ok(
      theirs.some((l) => l.startsWith('mount("/run/netns", "/run/netns", T, MS_BIND|MS_REC')),
      theirs.join('\n'),
    );
    assert.ok(theirs.some((l) => l.startsWith('unshare(CLONE_NEWNET)')));
  });

  it('bad names make no namespace syscall at all', { skip: !existsSync('/usr/bin/strace') && 'no strace' }, () => {
    const script = `const n = await import(${JSON.stringify(new URL('../src/netns/index.js', import.meta.url).href)});
      let failed = 0;
      for (const name of ['', 'a/b', '..', '.', 'x'.repeat(256)]) for (const f of [n.create, n.remove, (x) => n.attach(x, 1)]) { try { f(name); } catch (e) { if (e.name === 'NetnsNameError') failed++; } }
      if (failed !== 15) process.exit(1);`;
    const calls = normalize(run(`${process.execPath} --input-type=module -e "${script.replace(/"/g, '\\"')}"`));
    assert.deepEqual(calls, []);
  });
});

describe('netns errors', () => {
  it('create of an existing name is EEXIST, also for one made by ip netns add', () => {
    const a = uniq('e1');
    const b = uniq('e2');
    made.add(a).add(b);
    try {
      netns.create(a);
      assert.throws(
        () => netns.create(a),
        (e: NetnsError) => {
          assert.ok(e instanceof NetnsError);
          assert.equal(e.code, 'EEXIST');
          assert.equal(e.errno, 17);
          assert.equal(e.netns, a);
          assert.match(e.message, /already exists/);
          return true;
        },
      );
      execFileSync('ip', ['netns', 'add', b]);
      assert.throws(() => netns.create(b), { code: 'EEXIST' });
      // The failed create did not disturb the existing namespace.
      assert.ok(netns.exists(a) && netns.exists(b));
    } finally {
      cleanup(a, b);
    }
  });

  it('remove of a missing name is ENOENT', () => {
    assert.throws(
      () => netns.remove(uniq('missing')),
      (e: NetnsError) => {
        assert.ok(e instanceof NetnsError);
        assert.equal(e.code, 'ENOENT');
        assert.equal(e.errno, 2);
        assert.match(e.message, /does not exist/);
        return true;
      },
    );
  });

  it('attach of a missing pid is ESRCH and creates nothing', () => {
    const name = uniq('esrch');
    made.add(name);
    try {
      assert.throws(() => netns.attach(name, 0x3ffffff), { name: 'NetnsError', code: 'ESRCH' });
      assert.throws(() => netns.attach(name, -1), { code: 'EINVAL' });
      assert.ok(!existsSync(`/var/run/netns/${name}`));
    } finally {
      cleanup(name);
    }
  });

  it('bad names are rejected before any syscall', () => {
    // Each would reach the kernel as a different error (ENOENT, ENAMETOOLONG, EISDIR...).
    const bad: unknown[] = ['', 'a/b', '/etc', '..', '.', 'x'.repeat(256), 'nul\0byte', 42, undefined, null];
    for (const name of bad) {
      for (const op of [
        () => netns.create(name as string),
        () => netns.remove(name as string),
        () => netns.attach(name as string, process.pid),
        () => netns.exists(name as string),
      ]) {
        assert.throws(
          op,
          (e: NetnsNameError) => e instanceof NetnsNameError && e.code === 'EINVAL',
          `name ${JSON.stringify(name)}`,
        );
      }
    }
    // The longest valid name still works.
    const long = `nlr-test-${process.pid}-`.padEnd(255, 'L');
    made.add(long);
    try {
      netns.create(long);
      assert.ok(netns.exists(long));
    } finally {
      cleanup(long);
    }
    assert.ok(!existsSync('/var/run/netns/a'));
  });

  it('exec/run in a missing namespace is ENOENT', async () => {
    const name = uniq('nx');
    await assert.rejects(async () => netns.exec(name, ['true']), { code: 'ENOENT' });
    assert.throws(() => netns.run(name, () => 1), { code: 'ENOENT' });
  });
});

describe('several namespaces in one process', () => {
  it('each socket sees only its own interfaces; the process does not move', async () => {
    const names = [uniq('m'), uniq('m'), uniq('m')];
    for (const n of names) made.add(n);
    try {
      names.forEach((n, i) => {
        netns.create(n);
        // State changes only inside the test namespaces.
        execFileSync('ip', ['-n', n, 'link', 'add', `nlrbr${i}`, 'type', 'bridge']);
      });
      const seen = await Promise.all(names.map((n) => linkNames(n)));
      seen.forEach((links, i) => assert.deepEqual(links, ['lo', `nlrbr${i}`].sort()));
      // Sockets open at the same time, in different namespaces.
      const socks = names.map(
        (n) =>
          new NetlinkSocket({ protocol: NETLINK_ROUTE, marshal: new Marshal({ [RTM_NEWLINK]: linkmsg }), netns: n }),
      );
      try {
        const again = await Promise.all(socks.map((s) => s.request(linkmsg, { type: RTM_GETLINK, flags: NLM_F_DUMP })));
        again.forEach((msgs, i) =>
          assert.deepEqual(msgs.map((m) => m.getAttr('IFLA_IFNAME')).sort(), ['lo', `nlrbr${i}`].sort()),
        );
      } finally {
        for (const s of socks) s.close();
      }
      assert.deepEqual(await linkNames(), hostLinks);
    } finally {
      cleanup(...names);
    }
    assertOwnNamespace();
  });
});

describe('exec and run', () => {
  it('exec runs a program in the namespace (nsenter and ip netns exec)', async () => {
    const name = uniq('x');
    made.add(name);
    try {
      netns.create(name);
      execFileSync('ip', ['-n', name, 'link', 'add', 'nlrx0', 'type', 'bridge']);
      for (const via of ['nsenter', 'ip'] as const) {
        const r = await netns.exec(name, ['ip', '-j', 'link'], { via });
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual((JSON.parse(r.stdout) as { ifname: string }[]).map((l) => l.ifname).sort(), ['lo', 'nlrx0']);
        const ns = await netns.exec(name, ['readlink', '/proc/self/ns/net'], { via });
        assert.equal(ns.stdout.trim(), nsId(`/var/run/netns/${name}`));
      }
      const cat = await netns.exec(name, ['cat'], { input: 'hello' });
      assert.equal(cat.stdout, 'hello');
      const fail = await netns.exec(name, ['sh', '-c', 'echo oops >&2; exit 3']);
      assert.deepEqual([fail.code, fail.stderr], [3, 'oops\n']);
      await assert.rejects(netns.exec(name, ['false'], { check: true }), { name: 'NetnsExecError' });
      const child = netns.spawn(name, ['readlink', '/proc/self/ns/net'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout!.on('data', (b: Buffer) => {
        out += b;
      });
      await new Promise((r) => child.on('close', r));
      assert.equal(out.trim(), nsId(`/var/run/netns/${name}`));
      assert.throws(() => netns.exec(name, [] as string[]), TypeError);
    } finally {
      cleanup(name);
    }
    assertOwnNamespace();
  });

  it('run: sockets created inside fn, across awaits and timers, land in the namespace', async () => {
    const a = uniq('ra');
    const b = uniq('rb');
    made.add(a).add(b);
    try {
      netns.create(a);
      netns.create(b);
      execFileSync('ip', ['-n', a, 'link', 'add', 'nlra', 'type', 'bridge']);
      execFileSync('ip', ['-n', b, 'link', 'add', 'nlrb', 'type', 'bridge']);
      assert.equal(netns.current(), undefined);
      // Two contexts interleaved: each keeps its own default.
      const [inA, inB] = await Promise.all([
        netns.run(a, async () => {
          assert.equal(netns.current(), `/var/run/netns/${a}`);
          await sleep(5);
          const first = await linkNames();
          const later = await new Promise<string[]>((resolve) => setTimeout(() => resolve(linkNames()), 5));
          // An explicit netns option wins over the context.
          const explicit = await linkNames(b);
          return { first, later, explicit, nested: await netns.run(b, () => linkNames()) };
        }),
        netns.run(b, async () => {
          await sleep(1);
          return linkNames();
        }),
      ]);
      assert.deepEqual(inA.first, ['lo', 'nlra']);
      assert.deepEqual(inA.later, ['lo', 'nlra']);
      assert.deepEqual(inA.explicit, ['lo', 'nlrb']);
      assert.deepEqual(inA.nested, ['lo', 'nlrb']);
      assert.deepEqual(inB, ['lo', 'nlrb']);
      // Outside run() again: the process's own namespace; a sync fn returns its value.
      assert.equal(netns.current(), undefined);
      assert.deepEqual(await linkNames(), hostLinks);
      assert.equal(
        netns.run(a, () => 42),
        42,
      );
    } finally {
      cleanup(a, b);
    }
    assertOwnNamespace();
  });
});

describe('createAsync', () => {
  it('creates many at once off the event loop; pool threads never change namespace', async () => {
    const names = Array.from({ length: 20 }, () => uniq('as'));
    for (const n of names) made.add(n);
    try {
      const paths = await Promise.all(names.map((n) => netns.createAsync(n)));
      assert.deepEqual(
        paths,
        names.map((n) => `/var/run/netns/${n}`),
      );
      const listed = new Set(ipNetnsList());
      assert.ok(names.every((n) => listed.has(n) && netns.exists(n)));
      assert.equal(new Set(paths.map(nsId)).size, 20, 'twenty distinct namespaces');
      assert.deepEqual(await linkNames(names[7]), ['lo']);
      await assert.rejects(
        netns.createAsync(names[0]),
        (e: NetnsError) => e instanceof NetnsError && e.code === 'EEXIST',
      );
      await assert.rejects(async () => netns.createAsync('bad/name'), { name: 'NetnsNameError' });
    } finally {
      cleanup(...names);
    }
    assertOwnNamespace();
  });
});

describe('resources', () => {
  it('creating and removing 200 namespaces leaks no fd and no mount', (t) => {
    const names = Array.from({ length: 200 }, () => uniq('n'));
    const fds = readdirSync('/proc/self/fd').length;
    const prefix = `nlr-test-${process.pid}-n-`;
    const mounts = mountLines(prefix);
    assert.equal(mounts, 0);
    let created = 0;
    const t0 = process.hrtime.bigint();
    let t1 = t0;
    try {
      for (const n of names) {
        made.add(n);
        netns.create(n);
        created++;
      }
      t1 = process.hrtime.bigint();
      assert.equal(mountLines(prefix), 200);
      for (const n of names) netns.remove(n);
    } finally {
      cleanup(...names);
    }
    const t2 = process.hrtime.bigint();
    assert.equal(created, 200);
    assert.equal(readdirSync('/proc/self/fd').length, fds, 'no fd leaked');
    assert.equal(mountLines(prefix), 0, 'no mount leaked');
    assert.equal(readdirSync('/var/run/netns').filter((n) => n.startsWith(prefix)).length, 0, 'no file left');
    const listed = new Set(netns.list());
    assert.ok(names.every((n) => !listed.has(n)));
    t.diagnostic(
      `200 namespaces: create ${(Number(t1 - t0) / 200e3).toFixed(0)} us each, remove ${(Number(t2 - t1) / 200e3).toFixed(0)} us each`,
    );
    assertOwnNamespace();
  });
});
