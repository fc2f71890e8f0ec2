// The configuration directory's files and the error of a configuration that cannot be used:
// what the daemon needs before it knows whether there is anything to parse. The parser and
// the schema (config.ts) are loaded only when there is.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './schema.js';

/** A configuration that cannot be used; nothing of it is applied. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly problem: string,
    readonly file?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${file ? `${file}${line ? `:${line}:${column}` : ''}: ` : ''}${problem}`);
  }
}

const EXT = /\.(ya?ml|json)$/;

/** The configuration files of a directory, in the order they are merged. */
export function configFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ConfigError(`cannot read the configuration directory: ${(e as Error).message}`, dir);
  }
  return names
    .filter((n) => EXT.test(n) && !n.startsWith('.'))
    .sort()
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isFile());
}

/** loadConfigDir() of config.ts, loaded only when the directory has files to read. */
export async function readConfigDir(dir: string): Promise<{ config: Config; files: string[] }> {
  if (!configFiles(dir).length) return { config: {}, files: [] };
  const { loadConfigDir } = await import('./config.js');
  return loadConfigDir(dir);
}
