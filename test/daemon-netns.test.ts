// nlrouted and the namespaces its configuration creates: a restart adopts a namespace that
// exists, a name file that is not a namespace is refused by name, and a start whose first
// apply failed says so in STATUS= and GetStatus (READY=1 still comes: the API must answer).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { createNetns, type TestNetns } from './helpers/netns.js';
import { ctl, startDaemon, type RunningDaemon } from './helpers/daemon.js';

const work = mkdtempSync(join(tmpdir(), 'nlroute-daemon-netns-'));
chmodSync(work, 0o755);
after(() => rmSync(work, { recursive: true, force: true }));

const linkNames = (netns: string): string[] =>
  (JSON.parse(execFileSync('ip', ['-n', netns, '-j', 'link', 'show'], { encoding: 'utf8' })) as { ifname: string }[])
    .map((l) => l.ifname)
    .sort();

describe('nlrouted: namespaces it creates', () => {
  let ns: TestNetns;
  let cfg: string;
  let d: RunningDaemon | undefined;
  const socket = (): string => join(work, 'run', 'io.nlroute.Network');
  const made = (): string => `${ns.name}-m`;

  /** Starts the daemon; resolves with its READY=1 message. */
  const start = async (): Promise<string> => {
    d = await startDaemon({
      netns: ns.name,
      configDir: cfg,
      runtimeDir: join(work, 'run'),
      socket: socket(),
      notifyDir: work,
      stdout: 'ignore',
    });
    return d.ready;
  };
  const stop = async (): Promise<void> => {
    const running = d;
    d = undefined;
    await running?.stop('SIGKILL');
  };

  before(async () => {
    ns = await createNetns();
    cfg = join(work, 'etc');
    mkdirSync(cfg);
    writeFileSync(
      join(cfg, '10-made.yaml'),
      `namespaces:\n  ${made()}:\n    links:\n      - { ifname: brm, kind: bridge }\n`,
    );
  });
  after(async () => {
    await stop();
    spawnSync('ip', ['netns', 'del', made()]);
    rmSync(`/run/netns/${made()}`, { force: true });
    spawnSync('ip', ['netns', 'del', ns.name]);
  });

  it('refuses a name file that is not a namespace, by name, and says so in STATUS= and GetStatus', async () => {
    mkdirSync('/run/netns', { recursive: true });
    writeFileSync(`/run/netns/${made()}`, '');
    const ready = await start();
    const path = `/run/netns/${made()}`;
    assert.match(ready, /^STATUS=failed: configuration not applied: /m);
    assert.ok(ready.includes(`${path} exists but is not a mounted network namespace`), ready);
    const st = JSON.parse(ctl(socket(), ['status', '--json']).out);
    assert.equal(st.state, 'failed');
    assert.ok(st.apply_error.includes(path), st.apply_error);
  });

  it('is ready again once a reload (SIGHUP) applies, and creates the namespace', async () => {
    rmSync(`/run/netns/${made()}`);
    const from = d!.notify.messages.length;
    d!.child.kill('SIGHUP');
    assert.match(await d!.notify.wait(/READY=1/, 30_000, from), /^STATUS=ready: /m);
    const st = JSON.parse(ctl(socket(), ['status', '--json']).out);
    assert.equal(st.state, 'ready');
    assert.equal(st.apply_error, undefined);
    assert.deepEqual(linkNames(made()), ['brm', 'lo']);
  });

  it('adopts the namespace it created when it restarts', async () => {
    await stop();
    const ready = await start();
    assert.match(ready, /^STATUS=ready: /m);
    assert.equal(JSON.parse(ctl(socket(), ['status', '--json']).out).state, 'ready');
    assert.deepEqual(linkNames(made()), ['brm', 'lo']);
  });
});
