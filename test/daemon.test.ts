// nlrouted end to end, as a separate process managing a namespace this test creates:
// readiness over NOTIFY_SOCKET, the API through nlroutectl, reload on file change and
// SIGHUP, drift correction, ownership, try/confirm with its journal across kill -9, socket
// activation by systemd-socket-activate, and authorization with a real unprivileged user.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { VarlinkClient } from '../src/varlink/client.js';
import { createNetns, type TestNetns } from './helpers/netns.js';
import { NotifyListener } from './helpers/notify.js';
import { ctl, NLROUTECTL, NLROUTED, startDaemon, type RunningDaemon } from './helpers/daemon.js';

const work = mkdtempSync(join(tmpdir(), 'nlroute-daemon-'));
chmodSync(work, 0o755);
after(() => rmSync(work, { recursive: true, force: true }));

async function until<T>(
  what: string,
  fn: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('nlrouted', () => {
  let ns: TestNetns;
  let cfg: string;
  let run: string;
  let d: RunningDaemon | undefined;

  const start = (extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<RunningDaemon> =>
    startDaemon({
      netns: ns.name,
      configDir: cfg,
      runtimeDir: run,
      socket: join(run, 'io.nlroute.Network'),
      notifyDir: work,
      watch: true,
      readyTimeout: 20_000,
      extra,
      env,
    });
  const stop = async (sig: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const running = d;
    d = undefined;
    await running?.stop(sig);
  };
  const links = async (): Promise<Record<string, any>> =>
    Object.fromEntries(((await ns.json('-d link show')) as any[]).map((l) => [l.ifname, l]));
  const routes = async (): Promise<any[]> => ns.json('route show table all');

  before(async () => {
    ns = await createNetns();
    cfg = join(work, 'etc');
    run = join(work, 'run');
    mkdirSync(cfg);
    writeFileSync(
      join(cfg, '10-base.yaml'),
      [
        'links:',
        '  - { ifname: br0, kind: bridge, state: up }',
        '  - { ifname: v0, kind: veth, peer: v0p, master: br0, state: up }',
        '  - { ifname: v0p, state: up }',
        'addresses:',
        '  - { ifname: br0, address: 10.77.0.1/24 }',
        'routes:',
        '  - { dst: 10.78.0.0/16, gateway: 10.77.0.9 }',
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await stop('SIGKILL');
    await ns?.exec('true').catch(() => undefined);
    spawnSync('ip', ['netns', 'del', ns.name]);
  });

  it('applies the configuration, then says READY=1', async () => {
    d = await start();
    const l = await links();
    assert.equal(l.br0.linkinfo.info_kind, 'bridge');
    assert.equal(l.v0.master, 'br0');
    assert.ok(l.br0.flags.includes('UP'));
    const r = await routes();
    assert.ok(
      r.some((x) => x.dst === '10.78.0.0/16' && x.gateway === '10.77.0.9'),
      JSON.stringify(r),
    );
    const st = ctl(d.socket, ['status', '--json']);
    assert.equal(st.code, 0, st.err);
    const status = JSON.parse(st.out);
    assert.equal(status.state, 'ready');
    assert.equal(status.objects_managed, 5);
  });

  it('nlroutectl show, diff and exit codes', async () => {
    const s = ctl(d!.socket, ['show', 'links', '--json']);
    assert.equal(s.code, 0, s.err);
    assert.ok(JSON.parse(s.out).links.some((l: any) => l.ifname === 'br0'));
    assert.equal(ctl(d!.socket, ['diff']).code, 0, 'the live state equals the configuration');
    const f = join(work, 'more.yaml');
    writeFileSync(f, 'links:\n  - { ifname: br0, mtu: 1400 }\n');
    const diff = ctl(d!.socket, ['diff', f]);
    assert.equal(diff.code, 3, diff.out + diff.err);
    assert.match(diff.out, /link set/);
    assert.equal(ctl(d!.socket, ['frobnicate']).code, 2);
    assert.equal(ctl(d!.socket, ['apply']).code, 2);
    assert.equal(ctl(join(work, 'nope.sock'), ['status']).code, 1);
  });

  it('reloads on a file change, touching only what changed, with RELOADING=1', async () => {
    const before = await links();
    const from = d!.notify.messages.length;
    writeFileSync(join(cfg, '20-mtu.yaml'), 'links:\n  - { ifname: br0, mtu: 1400 }\n');
    await d!.notify.wait(/^RELOADING=1\nMONOTONIC_USEC=\d+$/, 10_000, from);
    await until('mtu 1400', async () => (await links()).br0.mtu === 1400);
    const afterL = await links();
    // Nothing else bounced: v0 kept its flags and index.
    assert.equal(afterL.v0.ifindex, before.v0.ifindex);
    assert.deepEqual(afterL.v0.flags, before.v0.flags);
  });

  it('keeps the previous configuration when the new one is invalid', async () => {
    writeFileSync(join(cfg, '30-bad.yaml'), 'links:\n  - { ifname: br0, mtu: "9000" }\n');
    const r = ctl(d!.socket, ['reload']);
    assert.equal(r.code, 1);
    assert.match(r.err, /30-bad\.yaml:2:\d+/);
    assert.equal((await links()).br0.mtu, 1400);
    const st = JSON.parse(ctl(d!.socket, ['status', '--json']).out);
    assert.match(st.config_error, /30-bad\.yaml/);
    rmSync(join(cfg, '30-bad.yaml'));
    assert.equal(ctl(d!.socket, ['reload']).code, 0);
  });

  it('corrects drift: a link set down, a route and an address deleted behind its back', async () => {
    await ns.ip('link set br0 down');
    await until('br0 up again', async () => (await links()).br0.flags.includes('UP'));
    await ns.ip('route del 10.78.0.0/16');
    await until('route back', async () => (await routes()).some((x) => x.dst === '10.78.0.0/16'));
    await ns.ip('addr del 10.77.0.1/24 dev br0');
    await until('address back', async () =>
      ((await ns.json('addr show dev br0')) as any[])[0].addr_info.some((a: any) => a.local === '10.77.0.1'),
    );
    const st = JSON.parse(ctl(d!.socket, ['status', '--json']).out);
    assert.ok(st.drift_corrections >= 3, JSON.stringify(st));
  });

  it('leaves foreign routes alone, through reloads', async () => {
    await ns.ip('route add 10.99.0.0/16 via 10.77.0.8 proto static');
    assert.equal(ctl(d!.socket, ['reload']).code, 0);
    await sleep(200);
    assert.ok((await routes()).some((x) => x.dst === '10.99.0.0/16'));
  });

  it('rolls back an unconfirmed --try, and keeps a confirmed one', async () => {
    const f = join(work, 'try.yaml');
    writeFileSync(f, 'routes:\n  - { dst: 10.80.0.0/16, gateway: 10.77.0.9 }\n');
    let r = ctl(d!.socket, ['apply', f, '--try', '1']);
    assert.equal(r.code, 0, r.err);
    assert.ok((await routes()).some((x) => x.dst === '10.80.0.0/16'));
    assert.equal(readdirSync(run).filter((n) => n.startsWith('pending-')).length, 1, 'journaled');
    await until('rolled back', async () => !(await routes()).some((x) => x.dst === '10.80.0.0/16'), 10_000);
    r = ctl(d!.socket, ['apply', f, '--try', '5']);
    assert.equal(r.code, 0, r.err);
    assert.equal(ctl(d!.socket, ['confirm']).code, 0);
    await sleep(300);
    assert.ok((await routes()).some((x) => x.dst === '10.80.0.0/16'));
    assert.equal(ctl(d!.socket, ['confirm']).code, 1, 'nothing pending');
    await ns.ip('route del 10.80.0.0/16');
  });

  it('honours the --try journal after kill -9 and a restart', async () => {
    const f = join(work, 'try2.yaml');
    writeFileSync(f, 'routes:\n  - { dst: 10.81.0.0/16, gateway: 10.77.0.9 }\n');
    assert.equal(ctl(d!.socket, ['apply', f, '--try', '60']).code, 0);
    assert.ok((await routes()).some((x) => x.dst === '10.81.0.0/16'));
    await stop('SIGKILL');
    d = await start();
    assert.ok(!(await routes()).some((x) => x.dst === '10.81.0.0/16'), 'the restarted daemon finished the rollback');
    assert.equal(readdirSync(run).filter((n) => n.startsWith('pending-')).length, 0);
    // And the configured state is intact, without duplicates.
    assert.equal((await routes()).filter((x) => x.dst === '10.78.0.0/16').length, 1);
  });

  it('creates and manages the namespaces the configuration names', async () => {
    const other = `${ns.name}-x`;
    writeFileSync(
      join(cfg, '40-ns.yaml'),
      `namespaces:\n  ${other}:\n    links:\n      - { ifname: brx, kind: bridge, state: up }\n`,
    );
    try {
      const r = ctl(d!.socket, ['reload']);
      assert.equal(r.code, 0, r.err);
      const l = JSON.parse(execFileSync('ip', ['-n', other, '-j', 'link', 'show', 'brx'], { encoding: 'utf8' }));
      assert.ok(l[0].flags.includes('UP'));
      const shown = JSON.parse(ctl(d!.socket, ['show', 'links', '--netns', other, '--json']).out);
      assert.deepEqual(shown.links.map((x: any) => x.ifname).sort(), ['brx', 'lo']);
    } finally {
      rmSync(join(cfg, '40-ns.yaml'));
      spawnSync('ip', ['netns', 'del', other]);
    }
  });

  it('nlroutectl monitor streams changes as JSON lines', async () => {
    const mon = spawn(process.execPath, [NLROUTECTL, '--socket', d!.socket, 'monitor', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    mon.stdout!.on('data', (b) => (out += b));
    mon.stderr!.on('data', (b) => (err += b));
    try {
      await until('subscribed', () => err.includes('monitoring') || undefined);
      await ns.ip('route add 10.98.0.0/16 via 10.77.0.7');
      const line = await until('event', () => out.split('\n').find((l) => l.includes('10.98.0.0/16')));
      const ev = JSON.parse(line);
      assert.equal(ev.event.type, 'added');
      assert.equal(ev.event.object, 'routes');
    } finally {
      mon.kill();
      await ns.ip('route del 10.98.0.0/16').catch(() => undefined);
    }
  });

  it('keeps serving through 10,000 mutated API messages from hostile clients', async () => {
    const seeds = [
      '{"method":"io.nlroute.Network.GetStatus"}',
      '{"method":"io.nlroute.Network.Show","parameters":{"objects":["links"],"filter":{"ifname":"br0"}}}',
      '{"method":"io.nlroute.Network.Diff","parameters":{"desired":{"links":[{"ifname":"br0","mtu":1400}]}}}',
      '{"method":"org.varlink.service.GetInterfaceDescription","parameters":{"interface":"io.nlroute.Network"}}',
    ];
    let rnd = 4242;
    const rand = (n: number): number => (rnd = (rnd * 1103515245 + 12345) & 0x7fffffff) % n;
    const good = await VarlinkClient.connect(`unix:${d!.socket}`);
    let sent = 0;
    try {
      while (sent < 10_000) {
        const s = await new Promise<import('node:net').Socket | undefined>((res) => {
          const c = connect(d!.socket);
          c.once('connect', () => res(c));
          c.once('error', () => res(undefined));
        });
        if (!s) {
          await sleep(10);
          continue;
        }
        s.on('error', () => undefined);
        // Read (and drop) the replies: a socket nobody reads never sees the end, nor 'close'.
        s.resume();
        const chunks: Buffer[] = [];
        for (let k = 0; k < 100; k++, sent++) {
          const b = Buffer.from(seeds[rand(seeds.length)]);
          for (let j = rand(4); j >= 0; j--) b[rand(b.length)] = rand(256);
          chunks.push(b, Buffer.alloc(1));
        }
        s.end(Buffer.concat(chunks));
        await new Promise((r) => s.once('close', r));
        // The previous tests' file changes may still be reloading: serving is what counts here.
        const st = await good.call<{ state: string }>('io.nlroute.Network.GetStatus');
        assert.ok(st.state === 'ready' || st.state === 'reloading', st.state);
      }
    } finally {
      good.close();
    }
    // The namespace is as configured: the fuzz changed nothing.
    assert.equal(ctl(d!.socket, ['diff']).code, 0);
  });

  it('stops with STOPPING=1 on SIGTERM', async () => {
    const n = d!.notify;
    const child = d!.child;
    const closed = new Promise<number | null>((r) => child.once('close', r));
    child.kill('SIGTERM');
    await n.wait(/STOPPING=1/);
    assert.equal(await closed, 0);
    n.close();
    d = undefined;
  });

  it('runs socket-activated by systemd-socket-activate', async () => {
    const sock = join(work, 'activated.sock');
    const notify = await NotifyListener.open(join(work, 'notify-act.sock'));
    const child = spawn(
      'systemd-socket-activate',
      [
        '-l',
        sock,
        '-E',
        `NOTIFY_SOCKET=${notify.path}`,
        process.execPath,
        NLROUTED,
        '--netns',
        ns.name,
        '--config-dir',
        cfg,
        '--runtime-dir',
        run,
        '--group',
        'root',
      ],
      {
        stdio: ['ignore', 'inherit', 'pipe'],
      },
    );
    try {
      await until('socket', () => existsSync(sock) || undefined);
      // The activator accepts on our behalf only once: the first connection starts the daemon.
      const c = await until('connect', () => VarlinkClient.connect(`unix:${sock}`).catch(() => undefined), 20_000);
      const info = await c.call<{ product: string; interfaces: string[] }>('org.varlink.service.GetInfo');
      assert.equal(info.product, 'nlrouted');
      assert.ok(info.interfaces.includes('io.nlroute.Network'));
      c.close();
      await notify.wait(/READY=1/, 20_000);
    } finally {
      child.kill('SIGTERM');
      notify.close();
    }
  });
});

describe('nlrouted authorization (a real unprivileged user)', () => {
  const user = `nlrt${process.pid % 100000}`;
  const group = `nlrg${process.pid % 100000}`;
  let ns: TestNetns;
  let child: ChildProcess | undefined;
  let notify: NotifyListener | undefined;
  const dir = join(work, 'auth');
  const socket = join(dir, 'run', 'api.sock');
  let uid = 0;
  let gid = 0;

  before(async () => {
    ns = await createNetns();
    mkdirSync(join(dir, 'etc'), { recursive: true });
    mkdirSync(join(dir, 'run'), { recursive: true });
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'run'), 0o755);
    execFileSync('groupadd', ['-f', group]);
    execFileSync('useradd', ['-M', '-N', '-g', 'nogroup', '-s', '/usr/sbin/nologin', user]);
    uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }));
    gid = Number(execFileSync('getent', ['group', 'nogroup'], { encoding: 'utf8' }).split(':')[2]);
    notify = await NotifyListener.open(join(dir, 'notify.sock'));
    child = spawn(
      process.execPath,
      [
        NLROUTED,
        '--netns',
        ns.name,
        '--config-dir',
        join(dir, 'etc'),
        '--runtime-dir',
        join(dir, 'run'),
        '--socket',
        socket,
        '--group',
        group,
      ],
      { env: { ...process.env, NOTIFY_SOCKET: notify.path }, stdio: 'ignore' },
    );
    await notify.wait(/READY=1/, 20_000);
  });
  after(() => {
    child?.kill('SIGKILL');
    notify?.close();
    spawnSync('userdel', [user]);
    spawnSync('groupdel', [group]);
    spawnSync('ip', ['netns', 'del', ns.name]);
  });

  it('the socket is 0660 root:<group>', () => {
    const st = execFileSync('stat', ['-c', '%a %U %G', socket], { encoding: 'utf8' }).trim();
    assert.equal(st, `660 root ${group}`);
  });

  it('refuses a user outside the group at the socket (exit 4)', () => {
    const r = ctl(socket, ['status'], { uid, gid });
    assert.equal(r.code, 4, r.err);
  });

  it('lets group members read but not change (io.nlroute.PermissionDenied, exit 4)', () => {
    execFileSync('usermod', ['-a', '-G', group, user]);
    const ggid = Number(execFileSync('getent', ['group', group], { encoding: 'utf8' }).split(':')[2]);
    // spawnSync cannot set supplementary groups: run through setpriv as that user with the group.
    const asUser = (args: string[]) =>
      spawnSync(
        'setpriv',
        [
          '--reuid',
          String(uid),
          '--regid',
          String(gid),
          '--groups',
          String(ggid),
          process.execPath,
          NLROUTECTL,
          '--socket',
          socket,
          ...args,
        ],
        { encoding: 'utf8' },
      );
    const read = asUser(['status', '--json']);
    assert.equal(read.status, 0, read.stderr);
    const f = join(dir, 'x.yaml');
    writeFileSync(f, 'links:\n  - { ifname: evil0, kind: bridge }\n');
    chmodSync(f, 0o644);
    const write = asUser(['apply', f]);
    assert.equal(write.status, 4, write.stderr);
    assert.match(write.stderr, /io\.nlroute\.Network\.PermissionDenied/);
    const l = spawnSync('ip', ['-n', ns.name, 'link', 'show', 'evil0']);
    assert.notEqual(l.status, 0, 'nothing was changed');
  });
});
