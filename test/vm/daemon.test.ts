// nlrouted under a real service manager: the VM booted with systemd as PID 1 (run.sh --init systemd,
// the `daemon` area of run-tests.sh). The package's own units are installed in /run/systemd/system
// with a drop-in that only points ExecStart at this checkout and shortens WatchdogSec, then:
// socket activation, Type=notify readiness, `systemctl reload` through RELOADING=1, watchdog
// keep-alives (and a hung daemon killed by the watchdog), SIGKILL with Restart= while the socket
// unit keeps the API socket, and journald's reading of the `<N>` prefixes. The daemon manages
// objects only in a namespace this test creates.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { inVm } from './vm.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const NLROUTED = join(root, 'dist/bundle/daemon/nlrouted.js');
const NLROUTECTL = join(root, 'dist/bundle/daemon/nlroutectl.js');
const UNITS = '/run/systemd/system';
const API_SOCKET = '/run/nlroute/io.nlroute.Network';
const WATCHDOG_SEC = 3;
// Under TCG on a loaded host a node start plus the first apply takes 10-30 s.
const SLOW_MS = 120_000;

const pid1 = ((): string => {
  try {
    return readFileSync('/proc/1/comm', 'utf8').trim();
  } catch {
    return '';
  }
})();
const underSystemd = {
  skip: inVm && pid1 === 'systemd' ? false : 'needs the VM booted with systemd as PID 1: npm run test:vm -- daemon',
} as const;

const sh = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8', timeout: SLOW_MS });

/** `systemctl show` properties as a record. */
function show(unit: string, props: string[]): Record<string, string> {
  const out = sh('systemctl', ['show', unit, '-p', props.join(',')]);
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

function ctl(args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [NLROUTECTL, ...args], { encoding: 'utf8', timeout: SLOW_MS });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const uptimeUsec = (): number => Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 1e6;

async function until<T>(what: string, fn: () => T | undefined | false, timeoutMs = SLOW_MS): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** Journal entries of the unit (the daemon's lines and the manager's, unit prefix cut) after `cursor`. */
function journal(cursor?: string): Record<string, string>[] {
  const args = ['-u', 'nlrouted.service', '-o', 'json', '--no-pager', ...(cursor ? ['--after-cursor', cursor] : [])];
  return sh('journalctl', args)
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .map((e) => ({ ...e, MESSAGE: String(e.MESSAGE).replace(/^nlrouted\.service: /, '') }));
}
const lastCursor = (): string => {
  const all = journal();
  return all.length ? all[all.length - 1].__CURSOR : '';
};

describe('nlrouted under systemd as PID 1 (VM)', underSystemd, () => {
  const tag = `${process.pid}-${randomBytes(2).toString('hex')}`;
  const ns = `nlr-sd-${tag}`;
  const made = `${ns}-d`;
  const cfg = `/run/nlroute-vmtest-${tag}`;
  const dropIn = join(UNITS, 'nlrouted.service.d');
  const ipj = (args: string): any[] => JSON.parse(sh('ip', ['-n', ns, '-j', ...args.split(' ')]) || '[]');
  const routes = (dst: string): any[] => ipj('route show table all').filter((r) => r.dst === dst);

  before(() => {
    // What the package's postinst does: the API group from the shipped sysusers file.
    sh('systemd-sysusers', [join(root, 'systemd/nlroute.sysusers.conf')]);
    sh('ip', ['netns', 'add', ns]);
    mkdirSync(cfg, { recursive: true });
    writeFileSync(
      join(cfg, '10-vm.yaml'),
      [
        'namespaces:',
        `  ${ns}:`,
        '    create: false',
        '    links:',
        '      - { ifname: br0, kind: bridge, state: up }',
        '      - { ifname: v0, kind: veth, peer: v0p, master: br0, state: up }',
        '    addresses:',
        '      - { ifname: br0, address: 10.77.0.1/24 }',
        '    routes:',
        '      - { dst: 10.78.0.0/16, gateway: 10.77.0.9 }',
        '',
      ].join('\n'),
    );
    for (const u of ['nlrouted.service', 'nlrouted.socket']) copyFileSync(join(root, 'systemd', u), join(UNITS, u));
    mkdirSync(dropIn, { recursive: true });
    // Only what differs from a package install: the binary is this checkout's (reachable only if the
    // sandbox lets it: ProtectHome/PrivateTmp hide a checkout below /home, /root or /tmp), the
    // configuration is this test's, reloads come only from `systemctl reload`, and the watchdog is short.
    const hidden = /^\/(home|root|tmp|var\/tmp)\//.test(root);
    writeFileSync(
      join(dropIn, '50-vm-test.conf'),
      [
        '[Service]',
        'ExecStart=',
        `ExecStart=${process.execPath} ${NLROUTED} --config-dir ${cfg} --no-watch --log-level debug`,
        `WatchdogSec=${WATCHDOG_SEC}s`,
        ...(hidden ? ['ProtectHome=no', 'PrivateTmp=no'] : []),
        '',
      ].join('\n'),
    );
    // The units were never referenced, so the manager loads them (with the drop-in) on first use;
    // a daemon-reload would re-read every unit over 9p (~8 s under TCG).
  });

  after(() => {
    spawnSync('systemctl', ['stop', 'nlrouted.service', 'nlrouted.socket']);
    spawnSync('systemctl', ['reset-failed', 'nlrouted.service']);
    spawnSync('systemd-analyze', ['log-level', 'info']);
    rmSync(dropIn, { recursive: true, force: true });
    for (const u of ['nlrouted.service', 'nlrouted.socket']) rmSync(join(UNITS, u), { force: true });
    rmSync(cfg, { recursive: true, force: true });
    spawnSync('ip', ['netns', 'del', ns]);
    spawnSync('ip', ['netns', 'del', made]);
  });

  it('the socket unit listens on the API path, root:nlroute 0660, before the daemon runs', () => {
    sh('systemctl', ['start', 'nlrouted.socket']);
    assert.deepEqual(show('nlrouted.socket', ['ActiveState', 'SubState']), {
      ActiveState: 'active',
      SubState: 'listening',
    });
    assert.equal(show('nlrouted.service', ['ActiveState']).ActiveState, 'inactive');
    const st = statSync(API_SOCKET);
    assert.ok(st.isSocket());
    assert.equal(st.mode & 0o777, 0o660);
    assert.equal(st.gid, Number(sh('getent', ['group', 'nlroute']).split(':')[2]));
  });

  it('a client activates the service; Type=notify readiness comes after the first apply', () => {
    const r = ctl(['--json', 'status']);
    assert.equal(r.code, 0, r.err);
    const status = JSON.parse(r.out);
    assert.equal(status.state, 'ready');
    const s = show('nlrouted.service', ['ActiveState', 'SubState', 'StatusText', 'Type', 'NRestarts']);
    assert.deepEqual(s, {
      Type: 'notify',
      ActiveState: 'active',
      SubState: 'running',
      StatusText: `ready: ${status.objects_managed} objects managed`,
      NRestarts: '0',
    });
    // The configuration is live in the test's namespace (and only there).
    const br0 = ipj('link show dev br0')[0];
    assert.ok(br0.flags.includes('UP'));
    assert.equal(ipj('link show dev v0')[0].master, 'br0');
    assert.ok(ipj('addr show dev br0')[0].addr_info.some((a: any) => a.local === '10.77.0.1'));
    assert.equal(routes('10.78.0.0/16').length, 1);
  });

  it('systemctl reload goes through RELOADING=1 ... READY=1 and applies the change', async () => {
    writeFileSync(
      join(cfg, '20-more.yaml'),
      `namespaces:\n  ${ns}:\n    routes:\n      - { dst: 10.79.0.0/16, gateway: 10.77.0.9 }\n`,
    );
    const pid = show('nlrouted.service', ['MainPID']).MainPID;
    const cursor = lastCursor();
    // The manager logs the notifications it receives at debug level.
    sh('systemd-analyze', ['log-level', 'debug']);
    try {
      sh('systemctl', ['reload', 'nlrouted.service']);
      await until('the reloaded route', () => routes('10.79.0.0/16').length === 1);
      await until('READY=1 after the reload', () =>
        journal(cursor).some((e) => /^Changed reload -> running$/.test(e.MESSAGE)),
      );
    } finally {
      sh('systemd-analyze', ['log-level', 'info']);
    }
    const msgs = journal(cursor).map((e) => e.MESSAGE);
    assert.ok(
      msgs.some((m) =>
        new RegExp(`^Got notification message from PID ${pid} \\(RELOADING=1, MONOTONIC_USEC=\\d+\\)$`).test(m),
      ),
      msgs.join('\n'),
    );
    assert.ok(msgs.includes('reloading (SIGHUP)'));
    assert.equal(show('nlrouted.service', ['MainPID']).MainPID, pid, 'a reload keeps the process');
    assert.equal(routes('10.78.0.0/16').length, 1);
  });

  it(`watchdog keep-alives keep it running well past WatchdogSec=${WATCHDOG_SEC}s`, async () => {
    const first = show('nlrouted.service', [
      'WatchdogUSec',
      'WatchdogTimestampMonotonic',
      'MainPID',
      'ActiveEnterTimestampMonotonic',
    ]);
    assert.equal(first.WatchdogUSec, `${WATCHDOG_SEC}s`);
    // Two more keep-alives, and more than two watchdog periods since the service became active.
    let seen = first.WatchdogTimestampMonotonic,
      pings = 0;
    await until('two keep-alives', () => {
      const t = show('nlrouted.service', ['WatchdogTimestampMonotonic']).WatchdogTimestampMonotonic;
      if (t !== seen) (seen = t), pings++;
      return pings >= 2;
    });
    await until(
      '2 watchdog periods of uptime',
      () => uptimeUsec() - Number(first.ActiveEnterTimestampMonotonic) > 2 * WATCHDOG_SEC * 1e6,
    );
    assert.deepEqual(show('nlrouted.service', ['MainPID', 'NRestarts', 'SubState']), {
      MainPID: first.MainPID,
      NRestarts: '0',
      SubState: 'running',
    });
  });

  it('SIGKILL: Restart= brings it back with the state intact, the socket unit keeps the API socket', async () => {
    const before = show('nlrouted.service', ['MainPID', 'NRestarts']);
    const sock = show('nlrouted.socket', ['ActiveEnterTimestampMonotonic']);
    const ino = statSync(API_SOCKET).ino;
    sh('systemctl', ['kill', '-s', 'KILL', 'nlrouted.service']);
    // Right away, while the manager restarts the daemon: the connection waits in the held socket.
    const r = ctl(['--json', 'status']);
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).state, 'ready');
    const now = await until('the restarted daemon', () => {
      const s = show('nlrouted.service', ['MainPID', 'NRestarts', 'ActiveState', 'SubState', 'StatusText']);
      return s.SubState === 'running' && s.MainPID !== before.MainPID ? s : undefined;
    });
    assert.equal(Number(now.NRestarts), Number(before.NRestarts) + 1);
    assert.match(now.StatusText, /^ready: \d+ objects managed$/);
    assert.equal(statSync(API_SOCKET).ino, ino, 'the same socket file');
    assert.deepEqual(show('nlrouted.socket', ['ActiveEnterTimestampMonotonic', 'SubState']), {
      ...sock,
      SubState: 'running',
    });
    // The configured state, once each.
    assert.equal(ipj('link show').filter((l) => l.ifname === 'br0').length, 1);
    const addrs = ipj('addr show dev br0')[0].addr_info.filter((a: any) => a.local === '10.77.0.1');
    assert.equal(addrs.length, 1);
    assert.equal(routes('10.78.0.0/16').length, 1);
    assert.equal(routes('10.79.0.0/16').length, 1);
    const after = ctl(['status']);
    assert.equal(after.code, 0, after.err);
  });

  it('a hung daemon misses its keep-alives: the watchdog aborts it and Restart= brings it back', async () => {
    const before = show('nlrouted.service', ['MainPID', 'NRestarts']);
    const cursor = lastCursor();
    sh('systemctl', ['kill', '-s', 'STOP', 'nlrouted.service']);
    await until('the restarted daemon', () => {
      const s = show('nlrouted.service', ['MainPID', 'SubState']);
      return s.SubState === 'running' && s.MainPID !== before.MainPID;
    });
    const msgs = journal(cursor).map((e) => e.MESSAGE);
    assert.ok(msgs.includes(`Watchdog timeout (limit ${WATCHDOG_SEC}s)!`), msgs.join('\n'));
    assert.equal(Number(show('nlrouted.service', ['NRestarts']).NRestarts), Number(before.NRestarts) + 1);
    assert.equal(routes('10.78.0.0/16').length, 1);
  });

  // The unit's mount sandbox (ProtectSystem=strict, PrivateTmp, ...) makes the daemon's mount
  // namespace a slave of the host's: a bind mount it made itself would stay inside the service.
  it('a namespace the daemon creates is visible outside the service, and adopted after a restart', async () => {
    writeFileSync(
      join(cfg, '30-made.yaml'),
      `namespaces:\n  ${made}:\n    links:\n      - { ifname: brd, kind: bridge }\n`,
    );
    const cursor = lastCursor();
    sh('systemctl', ['reload', 'nlrouted.service']);
    await until('the reload', () => journal(cursor).some((e) => /^reloaded: /.test(e.MESSAGE)));
    const r = spawnSync('ip', ['-n', made, '-j', 'link', 'show', 'brd'], { encoding: 'utf8' });
    assert.equal(r.status, 0, `ip -n ${made}: ${r.stderr.trim()}`);
    const pid = show('nlrouted.service', ['MainPID']).MainPID;
    sh('systemctl', ['restart', 'nlrouted.service']);
    const s = show('nlrouted.service', ['MainPID', 'SubState', 'StatusText']);
    assert.notEqual(s.MainPID, pid);
    assert.equal(s.SubState, 'running');
    assert.match(s.StatusText, /^ready: \d+ objects managed$/);
    const links = JSON.parse(sh('ip', ['-n', made, '-j', 'link', 'show'])) as { ifname: string }[];
    assert.deepEqual(links.map((l) => l.ifname).sort(), ['brd', 'lo']);
  });

  it('a name file that is not a namespace: READY=1 with STATUS= and GetStatus saying why', async () => {
    const stale = `${ns}-s`;
    writeFileSync(`/run/netns/${stale}`, '');
    writeFileSync(join(cfg, '40-stale.yaml'), `namespaces:\n  ${stale}:\n    links: []\n`);
    try {
      const cursor = lastCursor();
      sh('systemctl', ['reload', 'nlrouted.service']);
      await until('the failed reload', () => journal(cursor).some((e) => /^reload failed: /.test(e.MESSAGE)));
      const s = await until('the status', () => {
        const v = show('nlrouted.service', ['SubState', 'StatusText']);
        return v.SubState === 'running' ? v : undefined;
      });
      assert.match(s.StatusText, /^failed: configuration not applied: /);
      assert.ok(s.StatusText.includes(`/run/netns/${stale} exists but is not a mounted network namespace`));
      const st = JSON.parse(ctl(['--json', 'status']).out);
      assert.equal(st.state, 'failed');
      assert.ok(st.apply_error.includes(`/run/netns/${stale}`));
    } finally {
      rmSync(join(cfg, '40-stale.yaml'));
      rmSync(`/run/netns/${stale}`, { force: true });
    }
    const cursor = lastCursor();
    sh('systemctl', ['reload', 'nlrouted.service']);
    await until('the reload', () => journal(cursor).some((e) => /^reloaded: /.test(e.MESSAGE)));
    assert.match(show('nlrouted.service', ['StatusText']).StatusText, /^ready: /);
    assert.equal(JSON.parse(ctl(['--json', 'status']).out).state, 'ready');
  });

  it("journald reads the daemon's <N> prefixes as priorities", () => {
    const own = journal().filter((e) => e.SYSLOG_IDENTIFIER === 'nlrouted' && e._TRANSPORT === 'stdout');
    const byPriority = (p: number): string[] => own.filter((e) => e.PRIORITY === String(p)).map((e) => e.MESSAGE);
    assert.ok(
      byPriority(5).some((m) => m.startsWith('ready (ready)')),
      'notice: ready',
    );
    assert.ok(byPriority(6).includes('reloading (SIGHUP)'), 'info: reloading');
    assert.ok(
      byPriority(7).some((m) => / after \d+ ms$/.test(m)),
      'debug: timings',
    );
    assert.deepEqual(
      own.filter((e) => /^<\d>/.test(e.MESSAGE)),
      [],
      'no prefix left in a message',
    );
  });
});
