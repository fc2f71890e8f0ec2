// The package's shape: subpath imports load only their protocol, the root loads protocols
// lazily, and nothing loads the native addon before a kernel socket is opened.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Run ESM code in a fresh process inside the package (self-reference by name works there). */
function probe(code: string): any {
  const out = execFileSync('node', ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out);
}

// Each protocol registers its message classes when loaded: the registry tells what was.
const LOADED = `
  const { messageClassNames } = await import('nlroute/core');
  const names = messageClassNames();
  const prefixes = [...new Set(names.map((n) => n.split('.')[0]))].sort();
  const addon = (await import('node:fs')).readFileSync('/proc/self/maps', 'utf8').includes('nlroute_native.node');
  console.log(JSON.stringify({ prefixes, addon }));`;

it('importing one protocol does not load the others, nor the native addon', () => {
  const r = probe(`await import('nlroute/ipset'); ${LOADED}`);
  assert.ok(r.prefixes.includes('ipset'));
  assert.ok(
    !r.prefixes.includes('rtnl') && !r.prefixes.includes('nl80211') && !r.prefixes.includes('taskstats'),
    JSON.stringify(r),
  );
  assert.equal(r.addon, false);
  const t = probe(`await import('nlroute/rtnl'); ${LOADED}`);
  assert.ok(t.prefixes.includes('rtnl') && !t.prefixes.includes('ipset'), JSON.stringify(t));
});

it('the root loads a protocol only when its class is first used', () => {
  const r = probe(`const m = await import('nlroute'); const before = m.messageClassNames().length;
    const C = m.TaskStats; void C.name; const mid = m.messageClassNames().some((n) => n.startsWith('rtnl.'));
    ${LOADED.replace('console.log(JSON.stringify({ prefixes, addon }))', 'console.log(JSON.stringify({ before, mid, prefixes, addon }))')}`);
  assert.equal(r.before, 0);
  assert.equal(r.mid, false);
  assert.deepEqual(r.prefixes, []);
  assert.equal(r.addon, false);
  const s = probe(`const { IPRoute, IPSet, messageClassNames } = await import('nlroute');
    const ipr = new IPRoute(); const links = await ipr.getLinks(); ipr.close();
    const ok = ipr instanceof IPRoute && links.some((l) => l.getAttr('IFLA_IFNAME') === 'lo');
    console.log(JSON.stringify({ ok, names: messageClassNames().filter((n) => n.startsWith('rtnl.')).length,
      ipset: messageClassNames().some((n) => n.startsWith('ipset.')), isClass: typeof IPSet === 'function' }));`);
  assert.deepEqual({ ...s, names: s.names > 3 }, { ok: true, names: true, ipset: false, isClass: true });
});

it('exposes the CLI as a bin and every documented subpath', () => {
  const pkg = JSON.parse(
    execFileSync('node', ['-p', 'JSON.stringify(require("./package.json"))'], { cwd: root, encoding: 'utf8' }),
  );
  assert.equal(pkg.bin.nlroute, './dist/bundle/tools/cli.js');
  for (const sub of [
    '.',
    './core',
    './rtnl',
    './genl',
    './taskstats',
    './ipset',
    './nl80211',
    './netns',
    './netdb',
    './decoder',
  ])
    assert.ok(pkg.exports[sub], sub);
  const help = execFileSync('node', [`${root}/${pkg.bin.nlroute}`, '--help'], { encoding: 'utf8' });
  assert.match(help, /decode TARGET/);
});

it('the root exports constants, entry helpers and error classes without loading a protocol', () => {
  const r = probe(`const m = await import('nlroute');
    const names = ['RTM', 'IFF', 'RTNLGRP', 'IPSET_CMD', 'CTRL_CMD',
      'PortEntry', 'PortRange', 'IPRange', 'NetlinkError', 'IPSetError', 'IPSetSyntaxError', 'NetnsError',
      'NetnsNameError', 'GenlFamilyNotFoundError', 'Nl80211Error', 'Nl80211UnavailableError', 'TaskStatsNamespaceError'];
    const missing = names.filter((n) => m[n] === undefined);
    const before = m.messageClassNames().length;
    const values = { rtm: m.RTM.RTM_NEWLINK, iff: m.IFF.IFF_UP, grp: m.RTNLGRP.RTNLGRP_LINK };
    const after = m.messageClassNames().length;
    const addon = (await import('node:fs')).readFileSync('/proc/self/maps', 'utf8').includes('nlroute_native.node');
    console.log(JSON.stringify({ missing, before, after, values, addon }));`);
  assert.deepEqual(r, { missing: [], before: 0, after: 0, values: { rtm: 16, iff: 1, grp: 1 }, addon: false });
  // Entry helpers and error classes work through the root and are the protocol's own.
  const s = probe(`const m = await import('nlroute'); const ipset = await import('nlroute/ipset');
    const p = new m.PortEntry(80, 'tcp');
    const e = new m.IPSetError(2, 9, { setName: 's' });
    console.log(JSON.stringify({ port: p instanceof ipset.PortEntry, range: new m.PortRange(1, 2) instanceof ipset.PortRange,
      err: e instanceof ipset.IPSetError && e instanceof m.NetlinkError, name: e.constructor.name }));`);
  assert.deepEqual(s, { port: true, range: true, err: true, name: 'IPSetError' });
});
