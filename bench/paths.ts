// Where things are, from the compiled file's location (dist/bench/*.js) or the source's.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'bench'))) return dir;
    if (dirname(dir) === dir) throw new Error('cannot find the nlroute checkout above ' + import.meta.url);
  }
}

/** The repository root. */
export const ROOT = findRoot();
/** bench/ sources (peer scripts, runstat.c). */
export const BENCH_DIR = join(ROOT, 'bench');
/** Compiled benchmark modules. */
export const DIST_BENCH = join(ROOT, 'dist', 'bench');
/** Installed peers and built helpers (kept out of git). */
export const PEERS_DIR = join(BENCH_DIR, '.peers');
/** Recorded dumps (kept out of git). */
export const DATA_DIR = join(BENCH_DIR, '.data');

for (const d of [PEERS_DIR, DATA_DIR]) mkdirSync(d, { recursive: true });
