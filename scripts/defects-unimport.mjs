// Rewrites compiled tests' named imports of the library (`import { a, b } from '../src/x.js'`)
// into namespace imports plus a destructuring, keeping the line count: against an older library
// a missing name is undefined and fails the tests that use it, not the whole file at load.
import { readFileSync, writeFileSync } from 'node:fs';

let n = 0;
const NAMED = /import\s*\{([^}]*)\}\s*from\s*(['"])(\.\.?\/[^'"]*src\/[^'"]*)\2;/g;
for (const file of process.argv.slice(2)) {
  const out = readFileSync(file, 'utf8').replace(NAMED, (whole, names, q, path) => {
    const id = `__lib${n++}`;
    const binds = names
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => s.replace(/\s+as\s+/, ': '));
    const lines = '\n'.repeat(whole.split('\n').length - 1);
    return `import * as ${id} from ${q}${path}${q}; const { ${binds.join(', ')} } = ${id};${lines}`;
  });
  writeFileSync(file, out);
}
