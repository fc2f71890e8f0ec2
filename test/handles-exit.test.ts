// Handles that are idle do not hold the process: a script that never calls close() exits by
// itself, while one still waiting for an answer or an event keeps running until it comes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createNetns, deleteNetns, type TestNetns } from './helpers/netns.js';

const entry = fileURLToPath(new URL('../src/index.js', import.meta.url));
/** A script that is still running after this long is held open by a handle. */
const HUNG_AFTER_MS = 30_000;

/** Run an ES module script in the namespace; resolves with its exit code and output, or 'hung'. */
function runScript(ns: TestNetns, body: string): Promise<{ code: number | null; out: string } | 'hung'> {
  const src = `import * as nl from ${JSON.stringify(entry)};\n${body}`;
  return new Promise((resolve, reject) => {
    const p = spawn('ip', ['netns', 'exec', ns.name, process.execPath, '--input-type=module', '-e', src], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d;
    });
    p.stderr.on('data', (d: Buffer) => {
      out += d;
    });
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      resolve('hung');
    }, HUNG_AFTER_MS);
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

async function exitsByItself(ns: TestNetns, body: string, expect = 'done'): Promise<void> {
  const r = await runScript(ns, `${body}\nconsole.log('done');`);
  assert.notEqual(r, 'hung', 'the script never exited');
  if (r === 'hung') return;
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, new RegExp(expect));
}

describe('handles that do not hold the process', () => {
  let ns: TestNetns;
  before(async () => {
    ns = await createNetns();
  });
  after(async () => {
    await deleteNetns(ns);
  });

  it('IPRoute after getLinks()', () =>
    exitsByItself(ns, `const ipr = new nl.IPRoute(); console.log((await ipr.getLinks()).length, 'links');`, '1 links'));

  it('IPRoute after an events loop left with break', () =>
    exitsByItself(
      ns,
      `
    const ipr = new nl.IPRoute();
    const events = ipr.events(['link']);
    await ipr.link('add', { ifname: 'ev0', kind: 'veth', peer: 'ev1' });
    for await (const ev of events) break;`,
    ));

  it('IPRoute with a subscription nobody reads', () =>
    exitsByItself(
      ns,
      `
    const ipr = new nl.IPRoute();
    ipr.events(['link']);
    await ipr.getAddr();`,
    ));

  it('IPSet after list()', () => exitsByItself(ns, `const s = new nl.IPSet(); await s.list().all();`));

  it('GenericNetlink after resolving a family', () =>
    exitsByItself(ns, `const g = new nl.GenericNetlink(); await g.socket.resolve('nlctrl');`));

  it('TaskStats after a query', () =>
    exitsByItself(ns, `const t = new nl.TaskStats(); await t.getPidStats(process.pid);`));

  it('IW after a failed call on a kernel without nl80211', () =>
    exitsByItself(ns, `const iw = new nl.IW(); await iw.listWiphy().catch(() => {});`));

  it('stays alive while an iterated subscription waits for its event', async () => {
    // The change comes from an unref'd timer: only the waiting subscription keeps the script alive.
    const r = await runScript(
      ns,
      `
      import { execFileSync } from 'node:child_process';
      const ipr = new nl.IPRoute();
      setTimeout(() => execFileSync('ip', ['link', 'add', 'ka0', 'type', 'veth', 'peer', 'name', 'ka1']), 300).unref();
      for await (const ev of ipr.events(['link'])) { if (ev.getAttr?.('IFLA_IFNAME') === 'ka0') break; }
      console.log('saw ka0');`,
    );
    assert.ok(r !== 'hung' && r.code === 0 && /saw ka0/.test(r.out), JSON.stringify(r));
  });
});
