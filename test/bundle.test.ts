// The bundled build (scripts/bundle.mjs → dist/bundle) that package.json's exports point at:
// fresh, one shared core across subpaths, lazy loading and run-time paths intact.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { withNetns } from './helpers/netns.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Run ESM code in a fresh process inside the package; its last stdout line is JSON. */
function probe(code: string): any {
  const out = execFileSync('node', ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.js'))
    .map((f) => join(dir, f));
}

it('the bundle is built from the current dist/src (run `node scripts/bundle.mjs` after tsc)', () => {
  const newestSrc = Math.max(...jsFiles(join(root, 'dist/src')).map((f) => statSync(f).mtimeMs));
  const oldestBundle = Math.min(...jsFiles(join(root, 'dist/bundle')).map((f) => statSync(f).mtimeMs));
  assert.ok(oldestBundle >= newestSrc, 'dist/bundle is older than dist/src: run `node scripts/bundle.mjs`');
});

it("every export and the bin point into dist/bundle; types stay on tsc's declarations", () => {
  const pkg = probe(
    'import { createRequire } from "node:module"; console.log(JSON.stringify(createRequire(import.meta.url)("./package.json")))',
  );
  for (const [sub, target] of Object.entries<any>(pkg.exports)) {
    if (typeof target === 'string') continue;
    assert.match(target.default, /^\.\/dist\/bundle\//, sub);
    assert.match(target.types, /^\.\/dist\/src\/.*\.d\.ts$/, sub);
    statSync(join(root, target.default));
    statSync(join(root, target.types));
  }
  assert.match(pkg.bin.nlroute, /^\.\/dist\/bundle\//);
});

it('all subpaths share one core: one registry, one class per export', () => {
  const r = probe(`
    const m = {};
    for (const s of ['', '/core', '/rtnl', '/genl', '/taskstats', '/ipset', '/nl80211', '/netns', '/decoder']) m[s] = await import('nlroute' + s);
    const prefixes = [...new Set(m['/core'].messageClassNames().map((n) => n.split('.')[0]))].sort();
    console.log(JSON.stringify({
      prefixes,
      registry: m[''].messageClassNames === m['/core'].messageClassNames,
      socket: m['/rtnl'].NetlinkSocket === undefined || m['/rtnl'].NetlinkSocket === m['/core'].NetlinkSocket,
      error: m[''].NetlinkError === m['/core'].NetlinkError,
      iproute: m[''].IPRoute.prototype === m['/rtnl'].IPRoute.prototype,
      netns: m[''].NetNS.prototype === m['/netns'].NetNS.prototype,
      ipset: m[''].IPSet.prototype === m['/ipset'].IPSet.prototype,
    }));`);
  assert.deepEqual(r, {
    prefixes: ['genl', 'ipset', 'nl80211', 'rtnl', 'taskstats'],
    registry: true,
    socket: true,
    error: true,
    iproute: true,
    netns: true,
    ipset: true,
  });
});

it('the CLI bundle finds every protocol (decode --list) and package.json (--version)', () => {
  const list = execFileSync('node', [join(root, 'dist/bundle/tools/cli.js'), 'decode', '--list'], { encoding: 'utf8' });
  const prefixes = [
    ...new Set(
      list
        .trim()
        .split('\n')
        .map((l) => l.trim().split('.')[0]),
    ),
  ].sort();
  for (const p of ['genl', 'ipset', 'nl80211', 'rtnl', 'taskstats'])
    assert.ok(prefixes.includes(p), `${p} in ${prefixes}`);
  const version = execFileSync('node', [join(root, 'dist/bundle/tools/cli.js'), '--version'], { encoding: 'utf8' });
  assert.match(version, /^nlroute \d+\.\d+\.\d+/);
});

it('the namespace context set by nlroute/netns reaches sockets opened from other subpaths', async () => {
  await withNetns(async (ns) => {
    await ns.ip('link add nlrb0 type veth peer name nlrb1');
    const r = probe(`
      const { run } = await import('nlroute/netns');
      const { IPRoute } = await import('nlroute');
      const names = await run(${JSON.stringify(ns.name)}, async () => {
        const ipr = new IPRoute();
        try { return (await ipr.getLinks()).map((l) => l.getAttr('IFLA_IFNAME')); } finally { ipr.close(); }
      });
      const addon = (await import('node:fs')).readFileSync('/proc/self/maps', 'utf8').includes('nlroute_native.node');
      console.log(JSON.stringify({ names, addon }));`);
    assert.deepEqual(r.names.sort(), ['lo', 'nlrb0', 'nlrb1']);
    assert.equal(r.addon, true, 'the addon, found from dist/bundle, is mapped once a socket is open');
  });
});

it('error classes keep their names in the bundle (console.log shows IPSetError, not _IPSetError)', () => {
  const r = probe(`const { inspect } = await import('node:util');
    const m = await import('nlroute'); const ipset = await import('nlroute/ipset');
    const nl = await import('nlroute/nl80211'); const genl = await import('nlroute/genl'); const ns = await import('nlroute/netns');
    const errs = [new ipset.IPSetError(2, 9, { setName: 's' }), new ipset.IPSetSyntaxError('x'), new genl.GenlFamilyNotFoundError('f'),
      new nl.Nl80211UnavailableError(), new ns.NetnsNameError('a', 'b'), new m.NetlinkError(2), new m.NetlinkEncodeError('x')];
    console.log(JSON.stringify(errs.map((e) => [e.name, e.constructor.name, inspect(e).split(/[: \\n]/)[0]])));`);
  for (const [name, ctor, shown] of r) {
    assert.equal(ctor, name);
    assert.equal(shown, name);
  }
  assert.equal(r.length, 7);
});
