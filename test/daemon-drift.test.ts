// nlrouted's drift handling, counted exactly: a change that leaves a managed object as
// configured is no drift; a link set down is one drift, and the routes the kernel removed
// with it come back with it, reported as part of it; an object drifting again right after
// its correction waits (backoff), a first drift does not.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { VarlinkClient } from '../src/varlink/client.js';
import { ctl, startDaemon, type RunningDaemon } from './helpers/daemon.js';
import { createNetns, type TestNetns } from './helpers/netns.js';

interface Drift {
  netns: string;
  object: string;
  key: string;
  what: string;
  action: string;
}

const ROUTES = ['10.61.0.0/24', '10.61.1.0/24', '10.61.2.0/24'];

describe('nlrouted drift', () => {
  const work = mkdtempSync(join(tmpdir(), 'nlroute-daemon-drift-'));
  let ns: TestNetns;
  let d: RunningDaemon;
  let mon: VarlinkClient;
  const drifts: Drift[] = [];

  /** Waits for the next drift event; every earlier one must have been taken already. */
  const nextDrift = async (from: number): Promise<Drift> => {
    const end = Date.now() + 20_000;
    while (drifts.length <= from) {
      if (Date.now() > end) throw new Error(`no drift event after ${from}: ${d.stderr()}`);
      await sleep(20);
    }
    return drifts[from];
  };
  const corrections = (): number => JSON.parse(ctl(d.socket, ['status', '--json']).out).drift_corrections;
  const routes = async (): Promise<string[]> => ((await ns.json('route show')) as { dst: string }[]).map((r) => r.dst);

  before(async () => {
    ns = await createNetns();
    const cfg = join(work, 'etc');
    mkdirSync(cfg);
    writeFileSync(
      join(cfg, '10-drift.yaml'),
      [
        'links:',
        '  - { ifname: da, kind: veth, peer: db, state: up }',
        '  - { ifname: db, state: up }',
        'addresses:',
        '  - { ifname: da, address: 10.60.0.1/24 }',
        '  - { ifname: db, address: 10.60.1.1/24 }',
        'routes:',
        ...ROUTES.map((r) => `  - { dst: ${r}, gateway: 10.60.0.2 }`),
        '  - { dst: 10.62.0.0/24, gateway: 10.60.0.2, drift: report }',
        '',
      ].join('\n'),
    );
    d = await startDaemon({
      netns: ns.name,
      configDir: cfg,
      runtimeDir: join(work, 'run'),
      socket: join(work, 'api.sock'),
      notifyDir: work,
    });
    mon = await VarlinkClient.connect(`unix:${d.socket}`);
    const subscribed = new Promise<void>((resolve) => {
      void (async () => {
        for await (const m of mon.stream<{ drift?: Drift }>('io.nlroute.Network.Monitor')) {
          if (m.drift) drifts.push(m.drift);
          else resolve();
        }
      })().catch(() => undefined);
    });
    await subscribed;
  });
  after(async () => {
    mon?.close();
    await d?.stop('SIGKILL');
    if (ns) spawnSync('ip', ['netns', 'del', ns.name]);
    rmSync(work, { recursive: true, force: true });
  });

  it('a change that leaves the object as configured is no drift', async () => {
    const n = corrections();
    // db's configuration names no MTU: a new one is not the daemon's business.
    await ns.ip('link set db mtu 1400');
    // The next real drift is the first event the monitor sees.
    const from = drifts.length;
    await ns.ip('addr del 10.60.1.1/24 dev db');
    const ev = await nextDrift(from);
    assert.equal(ev.object, 'addresses', JSON.stringify(drifts.slice(from)));
    assert.equal(ev.action, 'corrected');
    assert.equal(corrections(), n + 1);
  });

  it('a link set down is one drift; the routes it took come back with it', async () => {
    const n = corrections();
    const from = drifts.length;
    await ns.ip('link set da down');
    const ev = await nextDrift(from);
    assert.deepEqual([ev.object, ev.key, ev.action], ['links', 'da', 'corrected'], ev.what);
    // Its four routes, the one whose own drift is only reported included: they did not drift
    // by themselves, the link took them.
    assert.match(ev.what, /4 routes/);
    // Corrected means restored, routes included.
    const now = await routes();
    for (const r of ROUTES) assert.ok(now.includes(r), `${r} in ${now.join(', ')}`);
    // A drift made afterwards is the very next event: nothing else was counted in between.
    await ns.ip(`route del ${ROUTES[1]}`);
    const next = await nextDrift(from + 1);
    assert.deepEqual([next.object, next.key], ['routes', ROUTES[1]], JSON.stringify(drifts.slice(from)));
    assert.equal(corrections(), n + 2);
  });

  it('a first drift is corrected at once; the same drift right after waits for the backoff', async () => {
    const from = drifts.length;
    await ns.ip(`route del ${ROUTES[2]}`);
    await nextDrift(from);
    assert.doesNotMatch(d.stderr(), new RegExp(`${ROUTES[2]} again: correcting in`));
    await ns.ip(`route del ${ROUTES[2]}`);
    const ev = await nextDrift(from + 1);
    assert.equal(ev.action, 'corrected');
    assert.match(d.stderr(), new RegExp(`route ${ROUTES[2].replace('.', '\\.')} again: correcting in \\d+ ms`));
    assert.ok((await routes()).includes(ROUTES[2]));
  });

  it('drift: report is reported once and left as it is', async () => {
    const n = corrections();
    const from = drifts.length;
    await ns.ip('route del 10.62.0.0/24');
    const ev = await nextDrift(from);
    assert.deepEqual([ev.object, ev.key, ev.action], ['routes', '10.62.0.0/24', 'reported']);
    // A later drift of another object is the next event, and the reported route stays away.
    await ns.ip('addr del 10.60.1.1/24 dev db');
    const next = await nextDrift(from + 1);
    assert.deepEqual([next.object, next.action], ['addresses', 'corrected']);
    assert.ok(!(await routes()).includes('10.62.0.0/24'));
    assert.equal(corrections(), n + 1);
  });
});
