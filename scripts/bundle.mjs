// Bundles the package's public entry points (tsc's output in dist/src) into dist/bundle, so
// a process loads a few files instead of ~80 ES modules (module loading was half of the
// start-up time, bench/PROFILE.md §1). Run after tsc: `node scripts/bundle.mjs`.
//
// - Code splitting: all entry points share one copy of each module (the message-class
//   registry and the nscontext AsyncLocalStorage stay single instances across subpaths);
//   a subpath loads only the chunks its own imports reach, so nlroute/ipset never loads rtnl.
// - dist/bundle mirrors dist/src's layout (entry `rtnl/index.js`, chunks one level down), so
//   the relative specifiers resolved at run time (src/lazy.ts's createRequire paths, the
//   decoder's protocol imports, the CLI's package.json) point at the same files there;
//   the check below fails the build if such a module moved in depth.
// - Types are not bundled: package.json's "types" stay on dist/src/**/*.d.ts.
// - esbuild's own postinstall is denied in package.json "allowScripts": its platform binary
//   comes as an optionalDependency (@esbuild/linux-x64), which is all the JS API needs.
import { build } from 'esbuild';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'dist', 'src');
const outDir = join(root, 'dist', 'bundle');

/** The package's entry points, as paths under dist/src (package.json "exports" and "bin"). */
const ENTRIES = [
  'index.js',
  'core/index.js',
  'rtnl/index.js',
  'genl/index.js',
  'taskstats/index.js',
  'ipset/index.js',
  'nl80211/index.js',
  'ipvs/index.js',
  'netns/index.js',
  'netdb/index.js',
  'tools/decoder.js',
  'tools/cli.js',
  'varlink/index.js',
  'daemon/nlrouted.js',
  'daemon/nlroutectl.js',
];

for (const e of ENTRIES) {
  try {
    statSync(join(srcDir, e));
  } catch {
    console.error(`bundle: ${join('dist/src', e)} is missing; run tsc first (npx tsc -p tsconfig.json)`);
    process.exit(1);
  }
}

rmSync(outDir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: ENTRIES.map((e) => join(srcDir, e)),
  outbase: srcDir,
  outdir: outDir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Runtime dependencies (the daemon's zod, yaml, prom-client; CommonJS among them) are
  // installed beside the package: load them, don't copy them in.
  packages: 'external',
  // One level down, like every dist/src module but the root index (see the depth check).
  chunkNames: 'chunks/[name]-[hash]',
  // Linked maps chain through tsc's maps to src/**/*.ts. No minifying: it cut V8's compile
  // of the rtnl closure only from 5.45 to 5.15 ms and made stack traces unreadable.
  sourcemap: true,
  legalComments: 'none',
  // Classes keep their own names: esbuild renames a class that refers to itself (IPSetError
  // became _IPSetError in console.log and in `err.constructor.name`).
  keepNames: true,
  metafile: true,
  logLevel: 'warning',
});

// A module that resolves paths at run time (from import.meta.url, or a dynamic import() of
// a computed specifier, which esbuild leaves alone) must sit as deep in dist/bundle as it
// did in dist/src, or its relative paths would miss.
const depth = (p) => p.split(sep).length - 1;
const resolvesAtRunTime = (code) => code.includes('import.meta.url') || /\bimport\((?!\s*['"`])/.test(code);
const problems = [];
for (const [out, info] of Object.entries(result.metafile.outputs)) {
  if (!out.endsWith('.js')) continue;
  const outDepth = depth(relative(outDir, join(root, out)));
  for (const input of Object.keys(info.inputs)) {
    // Dependencies are bundled as they are; only our own modules' relative paths matter.
    if (input.includes('node_modules')) continue;
    const abs = join(root, input);
    if (!resolvesAtRunTime(readFileSync(abs, 'utf8'))) continue;
    const inDepth = depth(relative(srcDir, abs));
    if (inDepth !== outDepth) problems.push(`${input} (depth ${inDepth}) landed in ${out} (depth ${outDepth})`);
  }
}
if (problems.length) {
  console.error(`bundle: modules resolving paths at run time changed depth:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}

const outputs = Object.entries(result.metafile.outputs).filter(([o]) => o.endsWith('.js'));
const bytes = outputs.reduce((n, [, i]) => n + i.bytes, 0);
console.log(
  `bundle: ${ENTRIES.length} entry points, ${outputs.length} files, ${(bytes / 1024).toFixed(0)} KiB in ${relative(root, outDir)}`,
);
