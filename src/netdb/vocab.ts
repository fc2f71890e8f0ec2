// Input values into the records' form: what a desired state, a query or a daemon config
// names an enum or flag set by ('main', 'RT_TABLE_MAIN', 254, '254') becomes the value a
// record holds ('main'), through the vocabulary beside each schema. Numbers stay accepted
// on input (the vocabulary's spec form); records always carry the names.
import { typeNames, type EnumNames, type Vocab } from '../core/index.js';
import { addrVocab } from '../rtnl/ifaddrmsg.js';
import { AF } from '../rtnl/constants.js';
import { enumNames } from '../core/index.js';
import { neighVocab } from '../rtnl/ndmsg.js';
import { routeVocab } from '../rtnl/rtmsg.js';
import { ruleVocab } from '../rtnl/fibrulemsg.js';
import type { TableName } from './records.js';

/** Input could not be read as a value of its field. */
export class VocabError extends TypeError {
  override name = 'VocabError';
}

const families = enumNames(AF);

// A neighbour's NDA_PROTOCOL is a bare u8 in records; input may name it as routes name theirs.
const routeProtocols = typeNames(routeVocab.typeOf('proto')!);

/**
 * The fields of each table whose values are names of one enumeration (with names of their own
 * when the vocabulary has none; `number` when records hold the number, the names being input only).
 */
const ENUMS: {
  readonly [T in TableName]?: Readonly<Record<string, readonly [Vocab<any, any, any, any>, EnumNames?, 'number'?]>>;
} = {
  routes: {
    family: [routeVocab],
    table: [routeVocab],
    proto: [routeVocab],
    scope: [routeVocab],
    type: [routeVocab],
    pref: [routeVocab],
  },
  addresses: { family: [addrVocab], scope: [addrVocab], proto: [addrVocab] },
  neighbours: { family: [neighVocab, families], protocol: [neighVocab, routeProtocols, 'number'] },
  rules: { family: [ruleVocab, families], table: [ruleVocab], protocol: [ruleVocab] },
};

/** The flag sets of each table: an array of names (or a number as a mask) in records. */
const FLAGS: { readonly [T in TableName]?: Readonly<Record<string, Vocab<any, any, any, any>>> } = {
  links: {},
  addresses: { flags: addrVocab },
  routes: { flags: routeVocab },
  neighbours: { state: neighVocab, flags: neighVocab },
};

function namesOf(v: Vocab<any, any, any, any>, key: string, own?: EnumNames): EnumNames {
  const n = own ?? typeNames(v.typeOf(key)!);
  if (!n) throw new Error(`vocabulary ${v.object}: ${key} has no names`);
  return n;
}

/**
 * The record form of an enum value given by name (any case, short or full) or number:
 * `enumValue('routes', 'table', 254)` -> 'main'. VocabError names the field and the choices.
 */
export function enumValue(table: TableName, key: string, v: unknown): string | number {
  // A plan asks the same few values thousands of times ('main', 'static'...).
  const memo = enumMemo.get(table + ' ' + key);
  const hit = memo?.get(v);
  if (hit !== undefined) return hit;
  const out = enumValueOf(table, key, v);
  if (typeof v === 'string' || typeof v === 'number') {
    if (memo) {
      if (memo.size < ENUM_MEMO_MAX) memo.set(v, out);
    } else enumMemo.set(table + ' ' + key, new Map([[v, out]]));
  }
  return out;
}
const enumMemo = new Map<string, Map<unknown, string | number>>();
/** Values remembered per field: the names, and a few numbers (tables), not every number. */
const ENUM_MEMO_MAX = 256;

function enumValueOf(table: TableName, key: string, v: unknown): string | number {
  const e = ENUMS[table]?.[key];
  if (!e) throw new Error(`${table}: ${key} is not an enumeration`);
  const [vocab, own, form] = e;
  const names = namesOf(vocab, key, own);
  const n = typeof v === 'number' ? v : typeof v === 'string' ? names.byName(v) : undefined;
  if (n === undefined || !Number.isInteger(n) || n < 0)
    throw new VocabError(
      `${table} ${key}: ${JSON.stringify(v)} is not one of ${names.list().join(', ')} (or a number)`,
    );
  if (form === 'number') return n;
  return own ? names.short(n) : (vocab.recordValue(key, n) as string | number);
}

/** The record form of a flag set given as names, one name, or a number (a mask): an array of names. */
export function flagsValue(table: TableName, key: string, v: unknown): string[] {
  const vocab = FLAGS[table]?.[key];
  if (!vocab) throw new Error(`${table}: ${key} is not a flag set`);
  const names = namesOf(vocab, key);
  const list = Array.isArray(v) ? v : typeof v === 'string' || typeof v === 'number' ? [v] : undefined;
  if (!list)
    throw new VocabError(`${table} ${key}: expected names of ${names.list().join(', ')}, got ${JSON.stringify(v)}`);
  let mask = 0;
  for (const x of list) {
    const n = typeof x === 'number' ? x : typeof x === 'string' ? names.byName(x) : undefined;
    if (n === undefined)
      throw new VocabError(`${table} ${key}: ${JSON.stringify(x)} is not one of ${names.list().join(', ')}`);
    mask |= n;
  }
  return names.flags(mask >>> 0);
}

/** Whether a field of a table holds enum names or flag names. */
export const isEnum = (table: TableName, key: string): boolean => ENUMS[table]?.[key] !== undefined;
export const isFlags = (table: TableName, key: string): boolean => FLAGS[table]?.[key] !== undefined;

/**
 * A query (or any partial record given as input) with its enum and flag values in record
 * form: `{ table: 254, family: 2 }` -> `{ table: 'main', family: 'inet' }`.
 */
export function recordForm<Q extends Readonly<Record<string, unknown>>>(table: TableName, q: Q): Q {
  let out: Record<string, unknown> | undefined;
  for (const k in q) {
    const v = q[k];
    if (v === undefined) continue;
    let w: unknown = v;
    if (isEnum(table, k)) w = enumValue(table, k, v);
    else if (isFlags(table, k)) w = flagsValue(table, k, v);
    if (w !== v && !(Array.isArray(v) && JSON.stringify(v) === JSON.stringify(w))) (out ??= { ...q })[k] = w;
  }
  return (out ?? q) as Q;
}
