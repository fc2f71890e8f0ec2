// Every TypeScript example of every README runs, so a broken example fails the suite: each
// block is type-checked against the package's declarations, transpiled, and run as its own
// process inside a fresh network namespace (`ip netns exec`), importing the package by name.
// A block whose first line is `// needs: nl80211` runs only where the kernel has cfg80211 (the VM's
// wireless area runs those blocks: test/wireless/readme.test.ts);
// `// needs: initial-netns` runs in this process's namespace (read-only examples such as
// taskstats, which the kernel answers only there). `// needs: vlan-filtering` runs where the
// kernel has bridge VLAN filtering; the VM's bridge area runs those blocks (test/vm/bridge.test.ts).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { createNetns, deleteNetns } from './helpers/netns.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Inside the package, so `import ... from 'nlroute'` resolves to this package (self-reference).
const OUT = join(ROOT, 'dist', 'readme-examples');
const NETNS_DIR = '/var/run/netns';

interface Example {
  file: string;
  line: number;
  code: string;
  needs?: string;
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? markdownFiles(p) : e.name.endsWith('.md') ? [p] : [];
  });
}

export function examplesOf(file: string): Example[] {
  const text = readFileSync(file, 'utf8');
  const out: Example[] = [];
  const re = /^```(?:ts|typescript)\n([\s\S]*?)^```/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const line = text.slice(0, m.index).split('\n').length;
    const needs = /^\/\/ needs: (\S+)/.exec(m[1])?.[1];
    out.push({ file: relative(ROOT, file), line, code: m[1], needs });
  }
  return out;
}

const files = [join(ROOT, 'README.md'), ...markdownFiles(join(ROOT, 'src'))];
const examples = files.flatMap(examplesOf);
const slug = (e: Example): string => `${e.file.replace(/[^a-zA-Z0-9]+/g, '_')}_${e.line}`;

/** Type errors of all examples at once (one program: a few seconds, not one per block). */
function typeErrors(): Map<string, string[]> {
  mkdirSync(OUT, { recursive: true });
  const names = examples.map((e) => {
    const f = join(OUT, `${slug(e)}.mts`);
    writeFileSync(f, e.code);
    return f;
  });
  const program = ts.createProgram(names, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.esnext.disposable.d.ts'],
    types: ['node'],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  });
  const out = new Map<string, string[]>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    if (!d.file) continue;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    const list = out.get(d.file.fileName) ?? [];
    list.push(`line ${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    out.set(d.file.fileName, list);
  }
  return out;
}

function run(cmd: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
    let out = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d;
    });
    p.stderr.on('data', (d: Buffer) => {
      out += d;
    });
    const timer = setTimeout(() => p.kill('SIGKILL'), 60_000);
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

const namespaces = (): Set<string> => new Set(existsSync(NETNS_DIR) ? readdirSync(NETNS_DIR) : []);
/** Whether this kernel's bridge has VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING). */
async function hasVlanFiltering(ns: string): Promise<boolean> {
  const r = await run('ip', ['-n', ns, 'link', 'add', 'vfprobe', 'type', 'bridge', 'vlan_filtering', '1']);
  if (r.code === 0) await run('ip', ['-n', ns, 'link', 'del', 'vfprobe']);
  return r.code === 0;
}
const hasNl80211 = (): boolean => existsSync('/sys/class/ieee80211') && readdirSync('/sys/class/ieee80211').length > 0;

describe('README examples', () => {
  rmSync(OUT, { recursive: true, force: true });
  const errors = typeErrors();

  it('there are examples in every module README', () => {
    for (const dir of ['rtnl', 'netns', 'ipset', 'genl', 'taskstats', 'nl80211', 'core', 'tools']) {
      assert.ok(
        examples.some((e) => e.file.startsWith(`src/${dir}/`)),
        `src/${dir} has no TypeScript example`,
      );
    }
  });

  for (const e of examples) {
    it(`${e.file}:${e.line}`, async (t) => {
      const src = join(OUT, `${slug(e)}.mts`);
      assert.deepEqual(errors.get(src) ?? [], [], `type errors in ${e.file}:${e.line}`);
      if (e.needs === 'nl80211' && !hasNl80211()) {
        t.skip('this kernel has no cfg80211 (the VM wireless area runs this example: test/wireless/readme.test.ts)');
        return;
      }
      if (e.needs === 'vlan-filtering') {
        const probe = await createNetns();
        const ok = await hasVlanFiltering(probe.name).finally(() => deleteNetns(probe));
        if (!ok) {
          t.skip('this kernel has no bridge VLAN filtering (the VM bridge suite runs this example)');
          return;
        }
      }
      const js = ts.transpileModule(e.code, {
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
      }).outputText;
      const file = join(OUT, `${slug(e)}.mjs`);
      writeFileSync(file, js);
      const before = namespaces();
      const ns = await createNetns();
      let r: { code: number | null; out: string };
      let left: string[];
      try {
        r =
          e.needs === 'initial-netns'
            ? await run(process.execPath, [file])
            : await run('ip', ['netns', 'exec', ns.name, process.execPath, file]);
      } finally {
        await deleteNetns(ns);
        // An example removes the namespaces it creates (other suites' namespaces may come and go meanwhile).
        left = [...namespaces()].filter((n) => !before.has(n) && e.code.includes(`'${n}'`));
        for (const n of left) await run('ip', ['netns', 'del', n]);
      }
      assert.equal(r.code, 0, `${e.file}:${e.line} failed:\n${r.out}`);
      assert.deepEqual(left, [], `${e.file}:${e.line} left namespaces behind`);
    });
  }
});
