// The configuration directory: YAML or JSON files read in name order, each checked against
// the schema (errors carry file, line and column), then merged: a later file's entry for the
// same object overrides the earlier one field by field. Any error rejects the whole set.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { load as loadYaml } from 'js-yaml';
import type { Document, LineCounter, Node } from 'yaml';
import type { z } from 'zod';
import { ConfigError, configFiles } from './config-files.js';
import { identityOf, LIST_KEYS } from './lists.js';
import { configSchema, type Config } from './schema.js';

export { ConfigError, configFiles };

// `yaml` knows where each node is: it is loaded only to place an error.
const require = createRequire(import.meta.url);
let yamlModule: typeof import('yaml') | undefined;
const yaml = (): typeof import('yaml') => (yamlModule ??= require('yaml') as typeof import('yaml'));

/**
 * Parses and checks one file's text. The fast parsers (JSON.parse, js-yaml) read it; only
 * when something is wrong is it parsed again with `yaml`, whose nodes know their positions.
 */
export function parseConfig(text: string, file: string): Config {
  let value: unknown;
  try {
    value = /\.json$/.test(file) ? JSON.parse(text) : loadYaml(text);
  } catch (e) {
    throw syntaxError(text, file, e);
  }
  const r = configSchema.safeParse(value ?? {});
  if (r.success) return r.data;
  const lc = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const issue = r.error.issues[0];
  const unknownKey = issue.code === 'unrecognized_keys';
  const { line, col } = position(doc, lc, unknownKey ? [...issue.path, issue.keys[0]] : issue.path, unknownKey);
  throw new ConfigError(describe(issue), file, line, col);
}

/** A syntax error with the position the full parser finds (or the fast one reported). */
function syntaxError(text: string, file: string, e: unknown): ConfigError {
  const lc = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const pos = lc.linePos(err.pos[0]);
    return new ConfigError(err.message.split('\n')[0], file, pos.line, pos.col);
  }
  const mark = (e as { mark?: { line: number; column: number } }).mark;
  const reason = (e as { reason?: string }).reason ?? (e as Error).message;
  return new ConfigError(reason, file, mark ? mark.line + 1 : undefined, mark ? mark.column + 1 : undefined);
}

function describe(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? `${issue.path.map(String).join('.')}: ` : '';
  if (issue.code === 'unrecognized_keys')
    return `${where}unknown key ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  return `${where}${issue.message}`;
}

/** Line and column of the node at `path`, or of its nearest existing parent. */
function position(
  doc: Document,
  lc: LineCounter,
  path: readonly PropertyKey[],
  atKey = false,
): { line?: number; col?: number } {
  let node: unknown = doc.contents;
  let best = node as Node | null;
  for (const [i, key] of path.entries()) {
    if (yaml().isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown })?.value === key);
      if (!pair) break;
      best = (pair.key as Node) ?? best;
      if (atKey && i === path.length - 1) break;
      node = pair.value;
      if (node) best = node as Node;
    } else if (yaml().isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      if (!node) break;
      best = node as Node;
    } else break;
  }
  const at = best?.range?.[0];
  if (at === undefined) return {};
  const p = lc.linePos(at);
  return { line: p.line, col: p.col };
}

/** Merges checked files: lists by object identity (field by field), the policy key by key. */
export function mergeConfigs(parts: readonly Config[]): Config {
  const out: Config = {};
  const mergeLists = (into: Record<string, unknown>, from: Record<string, unknown>): void => {
    for (const k of LIST_KEYS) {
      const add = from[k] as Record<string, unknown>[] | undefined;
      if (!add) continue;
      const list = ((into[k] as Record<string, unknown>[] | undefined) ?? []).slice();
      // Positions by identity: a large file merges in one pass, not one search per entry.
      const at = new Map<string, number>();
      for (let i = 0; i < list.length; i++) {
        const id = identityOf(k, list[i]);
        if (!at.has(id)) at.set(id, i);
      }
      for (const item of add) {
        const id = identityOf(k, item);
        const i = at.get(id);
        if (i !== undefined) list[i] = { ...list[i], ...item };
        else {
          at.set(id, list.length);
          list.push(item);
        }
      }
      into[k] = list;
    }
  };
  for (const p of parts) {
    mergeLists(out as Record<string, unknown>, p as Record<string, unknown>);
    if (p.policy) out.policy = { ...out.policy, ...p.policy };
    for (const [name, ns] of Object.entries(p.namespaces ?? {})) {
      out.namespaces ??= {};
      const into = (out.namespaces[name] ??= {}) as Record<string, unknown>;
      mergeLists(into, ns as Record<string, unknown>);
    }
  }
  return out;
}

/** Reads, checks and merges a configuration directory; throws ConfigError on any problem. */
export function loadConfigDir(dir: string): { config: Config; files: string[] } {
  const files = configFiles(dir);
  const parts = files.map((f) => {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch (e) {
      throw new ConfigError(`cannot read: ${(e as Error).message}`, f);
    }
    return parseConfig(text, f);
  });
  return { config: mergeConfigs(parts), files };
}
