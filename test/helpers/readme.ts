// README blocks marked `// needs: X`, which the host's README run skips when its kernel lacks X:
// the VM areas that have X run them here, as written, against the compiled sources.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface ReadmeBlock {
  file: string;
  line: number;
  code: string;
}

/** The TypeScript blocks of `file` (relative to the repo) whose first line is `// needs: <needs>`. */
export function readmeBlocks(file: string, needs: string): ReadmeBlock[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out: ReadmeBlock[] = [];
  const re = /^```(?:ts|typescript)\n(\/\/ needs: (\S+)\n[\s\S]*?)^```/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[2] === needs) out.push({ file, line: text.slice(0, m.index).split('\n').length, code: m[1] });
  }
  return out;
}

/**
 * Transpile a block with its `nlroute/<module>` imports pointed at dist/src/<module>/index.js (the
 * bundle may be older than tsc's output) and run it with this node. `wrap` runs the command, e.g.
 * inside a namespace; by default it runs here. Rejects naming the README line and the output.
 */
export async function runReadmeBlock(
  b: ReadmeBlock,
  wrap: (cmd: string, args: string[]) => Promise<unknown> = execNode,
): Promise<void> {
  const code = b.code.replace(/'nlroute\/([a-z0-9]+)'/g, (_m, mod: string) => {
    return `'${pathToFileURL(join(ROOT, `dist/src/${mod}/index.js`)).href}'`;
  });
  const js = ts.transpileModule(code, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  const dir = mkdtempSync(join(tmpdir(), 'nlr-readme-'));
  try {
    const file = join(dir, `readme_${b.line}.mjs`);
    writeFileSync(file, js);
    await wrap(process.execPath, [file]).catch((err: Error) => {
      throw new Error(`${b.file}:${b.line} failed: ${err.message}`);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function execNode(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 60_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}
