// Strict specs: every key of a spec is known and every value has the expected shape, or the
// call fails before anything is sent, naming the key, what was expected and what was given.
import type { NlaType } from './types.js';

/** A spec key or value the library cannot use: thrown before any request is made. */
export class SpecError extends TypeError {
  /** The object the spec is for ('link', 'route', 'ipset create'...). */
  readonly object: string;
  /** The offending key (a dotted path for nested specs: 'multipath[0].gatway'). */
  readonly key: string;
  /** Every key that spec accepts (empty when the key was known but its value wrong). */
  readonly allowed: readonly string[];
  /** The closest allowed key, when the key looks like a typo of one. */
  readonly suggestion: string | undefined;
  constructor(
    message: string,
    opts: { object: string; key: string; allowed?: readonly string[]; suggestion?: string },
  ) {
    super(message);
    this.object = opts.object;
    this.key = opts.key;
    this.allowed = opts.allowed ?? [];
    this.suggestion = opts.suggestion;
  }
  override get name(): string {
    return 'SpecError';
  }
}

/** Checks one value; returns an expectation ("an integer 0..255") when it does not fit. */
export type Check = (value: unknown) => string | undefined;

/** How a spec is checked: a check per key, and other accepted names of keys (alias -> key). */
export interface SpecRules {
  readonly keys: Readonly<Record<string, Check>>;
  readonly aliases?: Readonly<Record<string, string>>;
}

/** 'the string "1400"', 'the number 1.5', 'an array', 'null'... for error messages. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (Buffer.isBuffer(v)) return `a Buffer of ${v.length} bytes`;
  switch (typeof v) {
    case 'string':
      return `the string ${JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}...` : v)}`;
    case 'number':
    case 'bigint':
    case 'boolean':
      return `the ${typeof v} ${String(v)}`;
    case 'undefined':
      return 'undefined';
    case 'function':
      return 'a function';
    default:
      return 'an object';
  }
}

// Damerau-Levenshtein distance (adjacent swaps count once), case-insensitive.
function distance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

const prefixOf = (typo: string, key: string): boolean => key.toLowerCase().startsWith(typo.toLowerCase());

/** The allowed key closest to a typo, if close enough to be a likely meaning. */
export function didYouMean(key: string, allowed: Iterable<string>): string | undefined {
  let best: string | undefined,
    bestD = Infinity;
  for (const k of allowed) {
    const dist = distance(key, k);
    // Ties go to a key the typo begins ('prot': proto rather than port).
    if (dist < bestD || (dist === bestD && best !== undefined && !prefixOf(key, best) && prefixOf(key, k))) {
      best = k;
      bestD = dist;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** The error for a key the spec does not know. */
export function unknownKey(object: string, key: string, allowed: readonly string[], bare = key): SpecError {
  // A nested key ('encap.tll') is compared by its last part.
  const suggestion = didYouMean(bare, allowed);
  const hint = suggestion ? ` (did you mean ${suggestion}?)` : '';
  const list = allowed.length > 40 ? `${allowed.slice(0, 40).join(', ')}, ...` : allowed.join(', ');
  return new SpecError(`${object}: unknown key ${JSON.stringify(key)}${hint}; allowed: ${list}`, {
    object,
    key,
    allowed,
    suggestion,
  });
}

/** The error for a value of the wrong shape: `mtu must be an integer 0..4294967295, got the string "1400"`. */
export function badValue(object: string, key: string, expected: string, v: unknown): SpecError {
  return new SpecError(`${object}: ${key} must be ${expected}, got ${describeValue(v)}`, { object, key });
}

/**
 * Check a spec against its rules and return it with aliases replaced by their keys. Unknown
 * keys and wrong values throw SpecError; so does a key given twice (as itself and an alias)
 * with different values. `undefined` values are skipped, as if absent.
 */
export function checkSpec<T extends object>(object: string, spec: T, rules: SpecRules, path = ''): T {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new SpecError(`${object}: the spec must be an object, got ${describeValue(spec)}`, { object, key: path });
  }
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(spec)) {
    const v = (spec as Record<string, unknown>)[k];
    const key = rules.keys[k] ? k : rules.aliases?.[k];
    if (key === undefined || !rules.keys[key]) throw unknownKey(object, path + k, Object.keys(rules.keys), k);
    if (v === undefined) continue;
    const check = rules.keys[key];
    const why = check(v);
    if (why !== undefined) throw badValue(object, path + k, why, v);
    const inner = (check as NestedCheck).rules;
    if (inner !== undefined) checkNested(object, v, inner, path + k);
    if (key !== k) {
      out ??= { ...spec } as Record<string, unknown>;
      const other = (spec as Record<string, unknown>)[key];
      if (other !== undefined && other !== v) {
        throw new SpecError(
          `${object}: ${path}${k} is another name for ${key}, and both are given with different values`,
          { object, key: path + k },
        );
      }
      delete out[k];
      out[key] = v;
    }
  }
  return (out ?? spec) as T;
}

/** A check whose objects have keys of their own (a struct, a next hop): see nestedCheck. */
type NestedCheck = Check & { rules?: SpecRules | ((v: object) => SpecRules) };

const isPlain = (v: unknown): v is object => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
};

// Plain objects, alone or as the items of an array, are checked as specs of their own: an unknown
// key inside is refused with its path ('encap.labls', 'group[1].wieght').
function checkNested(object: string, v: unknown, rules: NonNullable<NestedCheck['rules']>, path: string): void {
  if (isPlain(v)) checkSpec(object, v, typeof rules === 'function' ? rules(v) : rules, `${path}.`);
  else if (Array.isArray(v))
    v.forEach((x, i) => {
      if (isPlain(x)) checkSpec(object, x, typeof rules === 'function' ? rules(x) : rules, `${path}[${i}].`);
    });
}

/**
 * `check`, and for the plain objects it accepts (alone or as array items) the keys of `rules`
 * (or of the rules chosen by the object, e.g. by its `type`), checked as a spec.
 */
export function nestedCheck(check: Check, rules: SpecRules | ((v: object) => SpecRules)): Check {
  const c: NestedCheck = (v) => check(v);
  c.rules = rules;
  return c;
}

// ---- checks -------------------------------------------------------------------------------

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** An integer lo..hi. */
export const intCheck =
  (lo: number, hi: number): Check =>
  (v) =>
    isInt(v) && v >= lo && v <= hi ? undefined : `an integer ${lo}..${hi}`;

/** A 64-bit integer: a safe integer, a bigint, or a decimal string. */
export const u64Check =
  (signed = false): Check =>
  (v) => {
    let x: bigint | undefined;
    if (typeof v === 'bigint') x = v;
    else if (isInt(v)) x = BigInt(v);
    else if (typeof v === 'string' && /^-?\d+$/.test(v)) x = BigInt(v);
    const lo = signed ? -(1n << 63n) : 0n,
      hi = signed ? (1n << 63n) - 1n : (1n << 64n) - 1n;
    return x !== undefined && x >= lo && x <= hi
      ? undefined
      : `a ${signed ? 's64' : 'u64'} integer (number, bigint or decimal string)`;
  };

/** A string without NUL bytes (a NUL would cut it short in the kernel), at most `max` bytes. */
export const stringCheck =
  (max?: number): Check =>
  (v) => {
    if (typeof v !== 'string') return 'a string';
    if (v.includes('\u0000')) return 'a string without NUL characters';
    if (max !== undefined && Buffer.byteLength(v) > max) return `a string of at most ${max} bytes`;
    return undefined;
  };

export const boolCheck: Check = (v) => (typeof v === 'boolean' ? undefined : 'true or false');
export const anyCheck: Check = () => undefined;
export const objectCheck: Check = (v) => (typeof v === 'object' && v !== null ? undefined : 'an object');

/** One of some literal values. */
export const oneOfCheck =
  (...vals: readonly (string | number | boolean)[]): Check =>
  (v) =>
    vals.includes(v as string) ? undefined : `one of ${vals.map((x) => JSON.stringify(x)).join(', ')}`;

/** Any of the checks. */
export const eitherCheck =
  (...checks: Check[]): Check =>
  (v) => {
    const why: string[] = [];
    for (const c of checks) {
      const w = c(v);
      if (w === undefined) return undefined;
      why.push(w);
    }
    return why.join(' or ');
  };

/** An interface: its index, or its name. */
export const ifRefCheck: Check = eitherCheck(intCheck(0, 0x7fffffff), stringCheck(15));

/** An array of values each passing `item`. */
export const arrayCheck =
  (item: Check): Check =>
  (v) => {
    if (!Array.isArray(v)) return 'an array';
    for (const [i, x] of v.entries()) {
      const w = item(x);
      if (w !== undefined) return `an array whose items are ${w} (item ${i} is ${describeValue(x)})`;
    }
    return undefined;
  };

const MAC_RE = /^[0-9a-fA-F]{2}([:-]?[0-9a-fA-F]{2})*$/;

/** A link-layer address 'aa:bb:cc:dd:ee:ff' of `bytes` bytes (any length when omitted). */
export const macCheck =
  (bytes?: number): Check =>
  (v) => {
    const what = bytes
      ? `a ${bytes}-byte link-layer address like "02:00:00:00:00:01"`
      : 'a link-layer address like "02:00:00:00:00:01"';
    if (typeof v !== 'string' || !MAC_RE.test(v)) return what;
    if (bytes !== undefined && v.replace(/[:-]/g, '').length !== bytes * 2) return what;
    return undefined;
  };

const INT_RANGES: Record<string, [number, number]> = {
  u8: [0, 0xff],
  u16: [0, 0xffff],
  u32: [0, 0xffffffff],
  s8: [-0x80, 0x7f],
  s16: [-0x8000, 0x7fff],
  s32: [-0x80000000, 0x7fffffff],
  be16: [0, 0xffff],
  be32: [0, 0xffffffff],
};

/** Base kind of a type ('enum(u8)' -> 'u8'). */
const baseKind = (k: string): string => k.replace(/^(enum|flags)\((.*)\)$/, '$2');

/**
 * The check for a value an attribute or header field of this type accepts, as the encoder
 * would: integers by range, enums by number or name, flags by mask or names, text without
 * NUL, addresses as strings, nests and structs as objects.
 */
export function typeCheck(
  t: NlaType<any, any>,
  names?: { byName(v: string): number | undefined; list(): string[] },
): Check {
  const kind = t.kind;
  const base = baseKind(kind);
  const range = INT_RANGES[base];
  const intC = range ? intCheck(range[0], range[1]) : undefined;
  if (kind.startsWith('enum(') && names) {
    return (v) =>
      typeof v === 'string'
        ? names.byName(v) !== undefined
          ? undefined
          : `one of ${names.list().join(', ')}`
        : intC!(v);
  }
  if (kind.startsWith('flags(') && names) {
    return (v) => {
      if (typeof v === 'number') return intC!(v);
      const arr = typeof v === 'string' ? [v] : v;
      if (!Array.isArray(arr)) return `a number or an array of names (${names.list().join(', ')})`;
      for (const x of arr) {
        if (typeof x !== 'string' || names.byName(x) === undefined)
          return `names among ${names.list().join(', ')} (${describeValue(x)} is not one)`;
      }
      return undefined;
    };
  }
  if (intC && base === 'u8') return (v) => (typeof v === 'boolean' ? undefined : intC(v));
  if (intC) return intC;
  switch (base) {
    case 'u64':
    case 'be64':
      return u64Check(false);
    case 's64':
      return u64Check(true);
    case 'flag':
      return boolCheck;
    case 'asciiz':
    case 'string':
      return stringCheck();
    case 'ipv4':
    case 'ipv6':
    case 'ipaddr':
      return stringCheck();
    case 'l2addr':
      return macCheck();
    case 'mac':
      return macCheck(6);
    case 'binary':
    case 'hex':
      return (v) => (v instanceof Uint8Array || typeof v === 'string' ? undefined : 'a Buffer or a hex string');
    default:
      return structCheck(t);
  }
}

/** A struct value: an object of its fields (each checked by its type), or its bytes. */
function structCheck(t: NlaType<any, any>): Check {
  const fields = (t as { fields?: Record<string, NlaType<any, any>> }).fields;
  if (!fields || !t.kind.startsWith('struct ')) return anyCheck;
  const keys: Record<string, Check> = {};
  // Named fields take their names too (a record's form): the encoder checks those values.
  for (const [k, ft] of Object.entries(fields))
    if (ft.kind !== 'pad') keys[k] = (ft as { names?: object }).names ? anyCheck : typeCheck(ft);
  // Other forms (text a spec layer parses) are left to the encoder; objects are checked by field.
  return nestedCheck(anyCheck, { keys });
}
