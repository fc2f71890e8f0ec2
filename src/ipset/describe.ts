// How an IPSet call is named in its errors, in ipset(8)'s words: `ipset add foo 10.0.0.1`,
// `ipset create foo hash:ip`. A description must never throw, whatever the input.
import type { CallDescription, CallTable } from '../core/index.js';
import type { EntryInput } from './entries.js';
import type { IPSet } from './ipset.js';

/** An element as ipset(8) writes it: `10.0.0.1,tcp:80`; fields objects as JSON. */
export function entryText(entry: EntryInput): string {
  if (typeof entry === 'string' || typeof entry === 'number') return String(entry);
  if (Array.isArray(entry)) return entry.map((p) => entryText(p)).join(',');
  if (typeof entry === 'object' && entry !== null && Object.getPrototypeOf(entry) !== Object.prototype) return String(entry);
  try {
    return JSON.stringify(entry) ?? String(entry);
  } catch {
    return String(entry);
  }
}

const call = (operation: string, object?: string, request?: unknown): CallDescription => ({ operation, object, request });
const setOrAll = (name: unknown): string => (name === undefined ? 'all sets' : String(name));

/** Every public IPSet call that talks to the kernel, and how its errors name it. */
export const IPSET_CALLS: CallTable<IPSet> = {
  getProtocolVersion: () => call('ipset protocol'),
  getSupportedRevisions: (stype, family) => call('ipset type', `${stype}${family !== undefined ? ` family ${family}` : ''}`),
  create: (name, opts) => call('ipset create', `${name} ${opts?.stype ?? 'hash:ip'}`, opts),
  destroy: (name) => call('ipset destroy', setOrAll(name)),
  flush: (name) => call('ipset flush', setOrAll(name)),
  rename: (from, to) => call('ipset rename', `${from} ${to}`),
  swap: (a, b) => call('ipset swap', `${a} ${b}`),
  typeOf: (name) => call('ipset header', name),
  getSetByName: (name) => call('ipset get_byname', name),
  getSetByIndex: (index) => call('ipset get_byindex', String(index)),
  add: (name, entry, opts) => call('ipset add', `${name} ${entryText(entry)}`, opts),
  delete: (name, entry, opts) => call('ipset del', `${name} ${entryText(entry)}`, opts),
  test: (name, entry, opts) => call('ipset test', `${name} ${entryText(entry)}`, opts),
  addMany: (name) => call('ipset add', `${name} (many)`),
  deleteMany: (name) => call('ipset del', `${name} (many)`),
  headers: (name) => call('ipset list', `${name} (header)`),
  save: (name) => call('ipset save', setOrAll(name)),
};
