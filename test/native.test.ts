// Tests of the C addon against the real kernel (run as root). State changes only happen in
// network namespaces created and removed here.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  loadNative,
  RECV_EMPTY,
  RECV_TOO_SMALL,
  type NativeBinding,
  type NativeSyscallError,
} from '../src/core/native.js';

const NETLINK_ROUTE = 0;
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const RTM_NEWLINK = 16;
const RTM_GETLINK = 18;
const NLM_F_REQUEST = 0x1;
const NLM_F_DUMP = 0x300;
const IFLA_IFNAME = 3;
const RTMGRP_LINK = 1;

const nativeJs = fileURLToPath(new URL('../src/core/native.js', import.meta.url));

/** nlmsghdr + ifinfomsg (all zero: every family, every link). */
function getLinkRequest(seq: number, flags = NLM_F_REQUEST | NLM_F_DUMP, index = 0): Buffer {
  const b = Buffer.alloc(32);
  b.writeUInt32LE(32, 0);
  b.writeUInt16LE(RTM_GETLINK, 4);
  b.writeUInt16LE(flags, 6);
  b.writeUInt32LE(seq, 8);
  b.writeInt32LE(index, 20);
  return b;
}

interface NlMsg {
  type: number;
  seq: number;
  pid: number;
  body: Buffer;
}

function* messages(buf: Buffer, len: number): Generator<NlMsg> {
  for (let off = 0; off + 16 <= len; ) {
    const size = buf.readUInt32LE(off);
    assert.ok(size >= 16 && off + size <= len, 'sane nlmsg_len');
    yield {
      type: buf.readUInt16LE(off + 4),
      seq: buf.readUInt32LE(off + 8),
      pid: buf.readUInt32LE(off + 12),
      body: buf.subarray(off + 16, off + size),
    };
    off += (size + 3) & ~3;
  }
}

function linkName(body: Buffer): string | undefined {
  for (let off = 16; off + 4 <= body.length; ) {
    const len = body.readUInt16LE(off);
    if (len < 4) break;
    if ((body.readUInt16LE(off + 2) & 0x3fff) === IFLA_IFNAME) {
      return body.toString('latin1', off + 4, off + len).replace(/\0.*$/s, '');
    }
    off += (len + 3) & ~3;
  }
  return undefined;
}

/** Drains fd through poll()+recv() until `done` says so; grows the buffer on RECV_TOO_SMALL. */
function pollUntil(
  nat: NativeBinding,
  fd: number,
  onMsg: (m: NlMsg, info: Int32Array) => boolean,
  timeoutMs = 5000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(256);
    const info = new Int32Array(4);
    const finish = (err?: unknown): void => {
      clearTimeout(timer);
      nat.pollStop(handle);
      if (err === undefined) resolve();
      else reject(err);
    };
    const timer = setTimeout(() => finish(new Error('timeout waiting for netlink data')), timeoutMs);
    const handle = nat.poll(fd, () => {
      try {
        for (;;) {
          const n = nat.recv(fd, buf, 0, info);
          if (n === RECV_EMPTY) return;
          if (n === RECV_TOO_SMALL) {
            buf = Buffer.alloc(info[3]!);
            continue;
          }
          for (const m of messages(buf, n)) if (onMsg(m, info)) return finish();
        }
      } catch (err) {
        finish(err);
      }
    });
  });
}

/** RTM_GETLINK dump on fd: the interface names and the nlmsg_pid of the replies. */
async function dumpLinks(
  nat: NativeBinding,
  fd: number,
  seq = 1,
): Promise<{ names: string[]; pids: Set<number>; senders: Set<number> }> {
  const names: string[] = [];
  const pids = new Set<number>();
  const senders = new Set<number>();
  nat.send(fd, getLinkRequest(seq));
  await pollUntil(nat, fd, (m, info) => {
    assert.equal(m.seq, seq);
    pids.add(m.pid);
    senders.add(info[0]! >>> 0);
    assert.equal(info[2]! & nat.constants.MSG_TRUNC, 0, 'never truncated');
    if (m.type === NLMSG_ERROR) throw new Error(`netlink error ${m.body.readInt32LE(0)}`);
    if (m.type === RTM_NEWLINK) names.push(linkName(m.body) ?? '?');
    return m.type === NLMSG_DONE;
  });
  return { names, pids, senders };
}

function expectSyscallError(fn: () => unknown, code: string, syscall: string): void {
  assert.throws(fn, (err: NativeSyscallError) => {
    assert.ok(err instanceof Error);
    assert.equal(err.code, code);
    assert.equal(err.syscall, syscall);
    assert.ok(err.errno > 0);
    assert.match(err.message, new RegExp(`^${syscall}: .+ \\(${code}\\)$`));
    return true;
  });
}

/** Creates a netns for the duration of fn, always removing it. */
async function withNetns<T>(fn: (path: string, name: string) => Promise<T> | T): Promise<T> {
  const name = `nlr-test-native-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  execFileSync('ip', ['netns', 'add', name]);
  try {
    return await fn(`/var/run/netns/${name}`, name);
  } finally {
    execFileSync('ip', ['netns', 'del', name]);
  }
}

const fdCount = (): number => readdirSync('/proc/self/fd').length;
const nsIds = (): [string, string] => [readlinkSync('/proc/self/ns/net'), readlinkSync('/proc/thread-self/ns/net')];

/** Runs an ESM snippet in a fresh node with `nat` bound to the addon; returns its output. */
function runChild(
  body: string,
  timeout = 10_000,
): { status: number | null; stdout: string; stderr: string; signal: NodeJS.Signals | null } {
  const script = `import { loadNative } from ${JSON.stringify(nativeJs)};\nconst nat = loadNative();\n${body}`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

describe('native addon', () => {
  const nat = loadNative();

  it('loads once and exports the transport API and constants', () => {
    assert.equal(loadNative(), nat);
    for (const fn of [
      'bind',
      'close',
      'getsockname',
      'getsockopt',
      'open',
      'poll',
      'pollRef',
      'pollStop',
      'recv',
      'send',
      'setsockopt',
    ] as const) {
      assert.equal(typeof nat[fn], 'function', fn);
    }
    assert.equal(nat.constants.SOL_NETLINK, 270);
    assert.equal(nat.constants.SOL_SOCKET, 1);
    assert.equal(nat.constants.MSG_PEEK, 2);
    assert.equal(nat.constants.MSG_TRUNC, 0x20);
    assert.equal(nat.constants.NETLINK_EXT_ACK, 11);
    assert.ok(Object.isFrozen(nat.constants));
  });

  it('importing the loader does not load the addon', () => {
    const r = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `
      import { readFileSync } from 'node:fs';
      await import(${JSON.stringify(nativeJs)});
      const loaded = readFileSync('/proc/self/maps', 'utf8').split('\\n').filter((l) => l.endsWith('.node'));
      console.log(JSON.stringify(loaded));`,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '[]');
  });

  it('reports a missing addon as NativeUnavailableError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nlr-native-'));
    try {
      mkdirSync(join(dir, 'dist/src/core'), { recursive: true });
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'nlroute', type: 'module' }));
      copyFileSync(nativeJs, join(dir, 'dist/src/core/native.js'));
      const r = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `
        const m = await import(${JSON.stringify(join(dir, 'dist/src/core/native.js'))});
        try { m.loadNative(); console.log('loaded?!'); }
        catch (e) { console.log(e instanceof m.NativeUnavailableError, e.name, e.code, e.message); }`,
        ],
        { encoding: 'utf8' },
      );
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^true NativeUnavailableError ERR_NLROUTE_NATIVE_UNAVAILABLE /);
      assert.match(r.stdout, /npm rebuild nlroute/);
      assert.match(r.stdout, /node-gyp rebuild/);
      assert.match(r.stdout, /Offline decoding/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('dumps links with bind/getsockname/send/poll/recv and sees lo', async () => {
    const fd = nat.open(NETLINK_ROUTE);
    try {
      nat.bind(fd, 0, 0);
      const port = nat.getsockname(fd);
      assert.ok(port > 0);
      const { names, pids, senders } = await dumpLinks(nat, fd, 42);
      assert.ok(names.includes('lo'), `lo in ${names.join(',')}`);
      assert.deepEqual([...pids], [port], 'replies are addressed to our port id');
      assert.deepEqual([...senders], [0], 'replies come from the kernel');
    } finally {
      nat.close(fd);
    }
  });

  it('sends several buffers as one datagram (batched requests)', async () => {
    const fd = nat.open(NETLINK_ROUTE);
    try {
      // Two single-link GETs for lo (ifindex 1), each split in two buffers: 4 iovecs, 1 syscall.
      const a = getLinkRequest(7, NLM_F_REQUEST, 1);
      const b = getLinkRequest(8, NLM_F_REQUEST, 1);
      assert.equal(nat.send(fd, [a.subarray(0, 16), a.subarray(16), b.subarray(0, 16), b.subarray(16)], 0, 0), 64);
      const seen: number[] = [];
      await pollUntil(nat, fd, (m) => {
        assert.equal(m.type, RTM_NEWLINK);
        assert.equal(linkName(m.body), 'lo');
        seen.push(m.seq);
        return seen.length === 2;
      });
      assert.deepEqual(seen, [7, 8]);
    } finally {
      nat.close(fd);
    }
  });

  it('never truncates: reports the needed size (-2) without consuming, then receives it', async () => {
    const fd = nat.open(NETLINK_ROUTE);
    try {
      nat.send(fd, getLinkRequest(3));
      await new Promise<void>((resolve) => {
        const h = nat.poll(fd, () => {
          nat.pollStop(h);
          resolve();
        });
      });
      const info = new Int32Array(4);
      const tiny = Buffer.alloc(64);
      assert.equal(nat.recv(fd, tiny, 0, info), RECV_TOO_SMALL);
      const need = info[3]!;
      assert.ok(need > 64);
      info[3] = 0;
      assert.equal(nat.recv(fd, tiny, 32, info), RECV_TOO_SMALL, 'nothing was consumed');
      assert.equal(info[3], need);
      const big = Buffer.alloc(need + 100);
      assert.equal(nat.recv(fd, big, 100, info), need, 'exact size at an offset');
      assert.equal(info[3], need);
      assert.equal(big.readUInt32LE(100) <= need, true);
      assert.equal(big.readUInt16LE(104), RTM_NEWLINK);
      // Drain the rest of the dump so the socket is clean, then the queue is empty.
      let n: number;
      let buf = Buffer.alloc(need);
      while ((n = nat.recv(fd, buf, 0, info)) !== RECV_EMPTY) {
        if (n === RECV_TOO_SMALL) buf = Buffer.alloc(info[3]!);
      }
      assert.equal(nat.recv(fd, buf, 0, info), RECV_EMPTY);
    } finally {
      nat.close(fd);
    }
  });

  it('round-trips int socket options', () => {
    const fd = nat.open(NETLINK_ROUTE);
    const c = nat.constants;
    try {
      nat.setsockopt(fd, c.SOL_SOCKET, c.SO_RCVBUF, 65536);
      assert.equal(nat.getsockopt(fd, c.SOL_SOCKET, c.SO_RCVBUF), 131072, 'the kernel doubles SO_RCVBUF');
      nat.setsockopt(fd, c.SOL_SOCKET, c.SO_RCVBUFFORCE, 1 << 20);
      assert.equal(nat.getsockopt(fd, c.SOL_SOCKET, c.SO_RCVBUF), 2 << 20);
      for (const opt of [c.NETLINK_EXT_ACK, c.NETLINK_CAP_ACK, c.NETLINK_GET_STRICT_CHK, c.NETLINK_NO_ENOBUFS]) {
        nat.setsockopt(fd, c.SOL_NETLINK, opt, 1);
        assert.equal(nat.getsockopt(fd, c.SOL_NETLINK, opt), 1);
      }
      // RTNLGRP_BRVLAN (33): groups above 32 only exist through the membership options.
      nat.setsockopt(fd, c.SOL_NETLINK, c.NETLINK_ADD_MEMBERSHIP, 33);
      nat.setsockopt(fd, c.SOL_NETLINK, c.NETLINK_DROP_MEMBERSHIP, 33);
      expectSyscallError(
        () => nat.setsockopt(fd, c.SOL_NETLINK, c.NETLINK_ADD_MEMBERSHIP, 4096),
        'EINVAL',
        'setsockopt',
      );
    } finally {
      nat.close(fd);
    }
  });

  it('throws typed errors', () => {
    expectSyscallError(() => nat.open(9999), 'EPROTONOSUPPORT', 'socket');
    expectSyscallError(() => nat.close(999_999), 'EBADF', 'close');
    expectSyscallError(() => nat.send(999_999, Buffer.alloc(16)), 'EBADF', 'sendmsg');
    expectSyscallError(() => nat.recv(999_999, Buffer.alloc(16), 0, new Int32Array(4)), 'EBADF', 'recvmsg');
    expectSyscallError(() => nat.getsockopt(999_999, 1, 8), 'EBADF', 'getsockopt');
    expectSyscallError(() => nat.open(0, '/nonexistent/netns'), 'ENOENT', 'open');
    const devnull = openSync('/dev/null', 'r');
    try {
      expectSyscallError(() => nat.open(0, devnull), 'EINVAL', 'setns');
    } finally {
      closeSync(devnull);
    }
    const fd = nat.open(NETLINK_ROUTE);
    try {
      expectSyscallError(() => nat.setsockopt(fd, 270, 9999, 1), 'ENOPROTOOPT', 'setsockopt');
      const h = nat.poll(fd, () => {});
      expectSyscallError(() => nat.poll(fd, () => {}), 'EEXIST', 'uv_poll_init');
      nat.pollStop(h);
    } finally {
      nat.close(fd);
    }
  });

  it('rejects wrong argument types with TypeError/RangeError, never crashes', () => {
    const any = nat as unknown as Record<string, (...args: unknown[]) => unknown>;
    const typeErrors: Array<[string, unknown[]]> = [
      ['open', []],
      ['open', ['0']],
      ['open', [0, {}]],
      ['open', [0, true]],
      ['bind', [0, 0]],
      ['getsockname', [null]],
      ['setsockopt', [0, 1, 8, '1']],
      ['getsockopt', [0, 1]],
      ['send', [0]],
      ['send', [0, 'abc']],
      ['send', [0, [Buffer.alloc(1), 5]]],
      ['send', [0, Buffer.alloc(1), '0']],
      ['recv', [0, Buffer.alloc(1), 0]],
      ['recv', [0, 'x', 0, new Int32Array(4)]],
      ['recv', [0, Buffer.alloc(1), 0, new Float64Array(4)]],
      ['recv', [0, Buffer.alloc(1), 0, new Int32Array(3)]],
      ['poll', [0]],
      ['poll', [0, 'cb']],
      ['pollStop', [{}]],
      ['pollStop', []],
      ['pollRef', [{}, true]],
      ['pollRef', []],
      ['close', ['3']],
    ];
    for (const [fn, args] of typeErrors) {
      assert.throws(() => any[fn]!(...args), TypeError, `${fn}(${args.map(String).join(', ')})`);
    }
    const rangeErrors: Array<[string, unknown[]]> = [
      ['open', [1.5]],
      ['open', [0, 2 ** 31]],
      ['open', [0, '']],
      ['bind', [0, -1, 0]],
      ['bind', [0, 0, 2 ** 32]],
      ['recv', [0, Buffer.alloc(4), 5, new Int32Array(4)]],
      ['close', [NaN]],
    ];
    for (const [fn, args] of rangeErrors) {
      assert.throws(() => any[fn]!(...args), RangeError, `${fn}(${args.map(String).join(', ')})`);
    }
  });

  it('creates a socket inside a netns without moving any Node thread', async () => {
    const before = nsIds();
    await withNetns(async (path) => {
      const fd = nat.open(NETLINK_ROUTE, path);
      try {
        assert.deepEqual(nsIds(), before, 'main thread namespace unchanged');
        const { names } = await dumpLinks(nat, fd);
        assert.deepEqual(names, ['lo'], 'only the namespace loopback is visible');
      } finally {
        nat.close(fd);
      }
      // The same through an fd of the namespace.
      const nsfd = openSync(path, 'r');
      try {
        const fd2 = nat.open(NETLINK_ROUTE, nsfd);
        try {
          assert.deepEqual((await dumpLinks(nat, fd2)).names, ['lo']);
        } finally {
          nat.close(fd2);
        }
      } finally {
        closeSync(nsfd);
      }
    });
    assert.deepEqual(nsIds(), before);
  });

  it('leaks no fds over 10,000 opens/closes (half in a netns)', async () => {
    await withNetns((path) => {
      const before = fdCount();
      const nsBefore = nsIds();
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < 10_000; i++) {
        const fd = i % 2 === 0 ? nat.open(NETLINK_ROUTE, path) : nat.open(NETLINK_ROUTE);
        if (i % 100 === 0) nat.pollStop(nat.poll(fd, () => {}));
        nat.close(fd);
      }
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      // Failure paths must not leak the namespace fd either.
      for (let i = 0; i < 100; i++) assert.throws(() => nat.open(9999, path));
      assert.equal(fdCount(), before);
      assert.deepEqual(nsIds(), nsBefore);
      process.stderr.write(`# 10,000 open/close (5,000 via netns thread): ${ms.toFixed(0)} ms\n`);
    });
  });

  it('runs each poll callback in a callback scope: its ticks and promise jobs run right after it', async () => {
    // Two sockets readable in the same loop iteration: what the first callback queues must
    // have run before the second callback starts (as between two I/O callbacks in Node).
    const fds = [nat.open(NETLINK_ROUTE), nat.open(NETLINK_ROUTE)];
    try {
      const req = getLinkRequest(1, NLM_F_REQUEST, 1);
      for (const fd of fds) nat.send(fd, req); // both replies are queued before the loop polls
      let ticked = false;
      let resolved = false;
      const seenBySecond = await new Promise<{ ticked: boolean; resolved: boolean }>((resolve) => {
        let calls = 0;
        const handles = fds.map((fd, i) =>
          nat.poll(fd, () => {
            nat.pollStop(handles[i]!);
            if (++calls === 1) {
              process.nextTick(() => (ticked = true));
              void Promise.resolve().then(() => (resolved = true));
            } else {
              resolve({ ticked, resolved });
            }
          }),
        );
      });
      assert.deepEqual(seenBySecond, { ticked: true, resolved: true });
    } finally {
      for (const fd of fds) nat.close(fd);
    }
  });

  it('turns an exception thrown by the poll callback into an uncaught exception', () => {
    const r = runChild(`
      process.on('uncaughtException', (err) => { console.log('uncaught:' + err.message); process.exit(0); });
      const fd = nat.open(0);
      nat.poll(fd, () => { throw new Error('boom'); });
      nat.send(fd, Buffer.from([32,0,0,0, 18,0,1,0, 1,0,0,0, 0,0,0,0, 0,0,0,0, 1,0,0,0, 0,0,0,0, 0,0,0,0]));`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'uncaught:boom');
    // Without a handler the process dies with the error, as for any uncaught exception.
    const r2 = runChild(`
      const fd = nat.open(0);
      nat.poll(fd, () => { throw new Error('boom2'); });
      nat.send(fd, Buffer.from([32,0,0,0, 18,0,1,0, 1,0,0,0, 0,0,0,0, 0,0,0,0, 1,0,0,0, 0,0,0,0, 0,0,0,0]));`);
    assert.equal(r2.status, 1);
    assert.match(r2.stderr, /Error: boom2/);
  });

  it('close() stops polling: the fd number can be polled again and the process exits', () => {
    const r = runChild(
      `
      const a = nat.open(0);
      const h = nat.poll(a, () => {});
      nat.close(a);                 // no pollStop: close must stop it
      const b = nat.open(0);        // reuses the lowest free fd number, i.e. a's
      const h2 = nat.poll(b, () => {});
      nat.pollStop(h); nat.pollStop(h); nat.pollStop(h2);
      nat.close(b);
      const c = nat.open(0);
      nat.poll(c, () => {});
      nat.close(c);                 // and nothing keeps the loop alive afterwards
      console.log(a === b ? 'reused' : 'fresh');`,
      5000,
    );
    assert.equal(r.signal, null, 'did not hang');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'reused');
  });

  it('an unstopped poll keeps the process alive (like any open socket)', () => {
    const r = runChild(
      `const fd = nat.open(0); nat.poll(fd, () => {}); setTimeout(() => { console.log('alive'); process.exit(0); }, 300);`,
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'alive');
  });

  it("an unref'd poll lets the process exit; ref() holds it again", () => {
    const r = runChild(
      `
      const a = nat.open(0), b = nat.open(0);
      const ha = nat.poll(a, () => {}), hb = nat.poll(b, () => {});
      nat.pollRef(ha, false);         // idle: may exit
      nat.pollRef(hb, false);
      nat.pollRef(hb, true);          // busy again: holds the loop
      setTimeout(() => { console.log('held'); nat.pollRef(hb, false); }, 200).unref();
      process.on('exit', () => console.log('exited'));`,
      5000,
    );
    assert.equal(r.signal, null, 'did not hang');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['held', 'exited']);
  });

  it('stops the poll of a garbage-collected handle (no crash, no loop kept alive)', () => {
    const r = spawnSync(
      process.execPath,
      [
        '--expose-gc',
        '--input-type=module',
        '-e',
        `
      import { loadNative } from ${JSON.stringify(nativeJs)};
      const nat = loadNative();
      const fds = [];
      for (let i = 0; i < 50; i++) { const fd = nat.open(0); fds.push(fd); nat.poll(fd, () => {}); }
      setTimeout(() => {
        globalThis.gc();
        // Finalizers run soon after GC; then nothing may keep the loop alive. The fds stay
        // open (polling was stopped, not the socket): close them at exit.
        process.on('exit', () => { for (const fd of fds) nat.close(fd); console.log('exited'); });
      }, 10);`,
      ],
      { encoding: 'utf8', timeout: 10_000 },
    );
    assert.equal(r.signal, null, 'the process exited on its own');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'exited');
  });

  it('survives worker threads exiting or being terminated with active polls', () => {
    // Each worker has its own N-API environment: its teardown must stop and free its polls.
    const worker = `Promise.all([import(${JSON.stringify(nativeJs)}), import('node:worker_threads')]).then(([{ loadNative }, { workerData }]) => {
      const nat = loadNative();
      for (let i = 0; i < 20; i++) nat.poll(nat.open(0), () => {});
      if (workerData === 'exit') process.exit(0);
      setInterval(() => {}, 1000);
    });`;
    const r = runChild(`
      import { Worker } from 'node:worker_threads';
      const code = ${JSON.stringify(worker)};
      for (let i = 0; i < 4; i++) {
        const w = new Worker(code, { eval: true, workerData: 'exit' });
        await new Promise((res, rej) => { w.on('exit', res); w.on('error', rej); });
      }
      for (let i = 0; i < 4; i++) {
        const w = new Worker(code, { eval: true, workerData: 'stay' });
        await new Promise((r) => setTimeout(r, 200));
        await w.terminate();
      }
      console.log('ok');`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'ok');
  });

  it('reports a receive overrun as ENOBUFS and keeps delivering afterwards', async () => {
    await withNetns(async (path, name) => {
      const fd = nat.open(NETLINK_ROUTE, path);
      const c = nat.constants;
      try {
        nat.bind(fd, 0, RTMGRP_LINK);
        nat.setsockopt(fd, c.SOL_SOCKET, c.SO_RCVBUF, 1); // clamped to the kernel minimum
        // The event loop is blocked while `ip` floods link events: the queue must overrun.
        const flaps = Array.from({ length: 200 }, (_, i) => `link set lo ${i % 2 ? 'down' : 'up'}`).join('\n');
        execFileSync('ip', ['-n', name, '-batch', '-'], { input: flaps + '\n' });
        let overruns = 0;
        let events = 0;
        await new Promise<void>((resolve, reject) => {
          const info = new Int32Array(4);
          let buf = Buffer.alloc(8192);
          let seenAtOverrun = -1;
          let check: NodeJS.Timeout | undefined;
          const finish = (err?: unknown): void => {
            clearTimeout(timer);
            clearInterval(check);
            nat.pollStop(h);
            if (err === undefined) resolve();
            else reject(err);
          };
          const timer = setTimeout(() => finish(new Error(`timeout: overruns=${overruns} events=${events}`)), 5000);
          const h = nat.poll(fd, () => {
            try {
              for (;;) {
                let n: number;
                try {
                  n = nat.recv(fd, buf, 0, info);
                } catch (err) {
                  assert.equal((err as NativeSyscallError).code, 'ENOBUFS');
                  assert.equal((err as NativeSyscallError).syscall, 'recvmsg');
                  overruns++;
                  continue;
                }
                if (n === RECV_EMPTY) break;
                if (n === RECV_TOO_SMALL) {
                  buf = Buffer.alloc(info[3]!);
                  continue;
                }
                assert.equal(info[1], RTMGRP_LINK, 'multicast sender group');
                events++;
              }
              if (overruns > 0 && seenAtOverrun < 0) {
                // After the overrun (which epoll reports as EPOLLERR), new events must still
                // wake us up: the poll must not have been stopped by it.
                seenAtOverrun = events;
                // The flood above ends with lo down, so this is a real change (an event).
                setTimeout(() => execFileSync('ip', ['-n', name, 'link', 'set', 'lo', 'up']), 10);
                check = setInterval(() => events > seenAtOverrun && finish(), 10);
              }
            } catch (err) {
              finish(err);
            }
          });
        });
        assert.ok(overruns >= 1);
      } finally {
        nat.close(fd);
      }
    });
  });
});
