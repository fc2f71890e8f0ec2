// Vocabularies: the friendly camelCase names of an object's header fields and attributes,
// declared as data beside its schema (`{ mtu: 'IFLA_MTU', index: 'index' }`). The spec type,
// the record type, the strict-spec rules and the record reader all come from that one table,
// so a friendly name is declared once and found by grep.
//
// Records are plain JSON-safe objects: enums and flags by their short names ('up',
// ['permanent']), addresses and MACs as strings, bytes as hex, 64-bit counters as numbers
// while exact and decimal strings beyond 2^53 (`BigInt(x)` is exact either way). The message a
// record was read from stays reachable with messageOf(record).
import { AttrSet, AttrView, type AttrDecl, type AttrMap } from './attrs.js';
import { NLA_TYPE_MASK, NLMSG_HDRLEN } from './constants.js';
import { anyCheck, checkSpec, typeCheck, type Check, type SpecRules } from './strict.js';
import type { NlaType, Owner, StructFields, StructType } from './types.js';

/** A 64-bit counter in a record: a number while exact (<= 2^53 - 1), else a decimal string. */
export type U64 = number | string;

type Plain<V> = V extends bigint
  ? U64
  : V extends Uint8Array
    ? string
    : V extends AttrView<any>
      ? Record<string, unknown>
      : V extends readonly (infer I)[]
        ? Plain<I>[]
        : V extends object
          ? { [K in Exclude<keyof V, '_tail'>]: Plain<V[K]> }
          : V;

// ---- short names at the type level: what enumNames() gives at run time --------------------

// The common word prefix of a union of names ('IF_OPER_'): the same walked from any member.
type WordPrefix<U extends string, S extends string, Acc extends string = ''> = S extends `${infer A}_${infer B}`
  ? [U] extends [`${Acc}${A}_${string}`]
    ? WordPrefix<U, B, `${Acc}${A}_`>
    : Acc
  : Acc;
type CommonPrefix<U extends string> = U extends string ? WordPrefix<U, U> : never;
// In a table that merges families (RTNH_F_*, RTM_F_*): the longest word prefix K shares with another name.
type OwnPrefix<
  U extends string,
  K extends string,
  S extends string = K,
  Acc extends string = '',
  Best extends string = '',
> = S extends `${infer A}_${infer B}`
  ? OwnPrefix<
      U,
      K,
      B,
      `${Acc}${A}_`,
      [Extract<Exclude<U, K>, `${Acc}${A}_${string}`>] extends [never] ? Best : `${Acc}${A}_`
    >
  : Best;
type OwnShort<U extends string, K extends string> = K extends `${OwnPrefix<U, K>}${infer R}` ? Lowercase<R> : never;
type Shorten<U extends string> =
  CommonPrefix<U> extends infer P extends string
    ? [P] extends ['']
      ? U extends string
        ? OwnShort<U, U>
        : never
      : U extends `${P}${infer R}`
        ? Lowercase<R>
        : never
    : never;

/** The short names of an enumeration or flag table: `ShortNames<typeof IF_OPER>` is 'up' | 'down' | .... */
export type ShortNames<N> = string extends keyof N ? string : Shorten<keyof N & string>;

/** The record form of an enumeration: its short names, and `number` where the kernel takes any value. */
export type EnumRecord<N, Open extends boolean = false> = ShortNames<N> | (Open extends true ? number : never);

/** The record form of a flag mask: short names, bits without a name as '0x..'. */
export type FlagsRecord<N> = (ShortNames<N> | `0x${string}`)[];

/** The record form of a value of the attribute or field type T. */
export type RecordValue<T> = T extends { mode: 'flags'; names: infer N }
  ? FlagsRecord<N>
  : T extends { mode: 'enum'; names: infer N; open: infer O extends boolean }
    ? EnumRecord<N, O>
    : T extends NlaType<infer V, any>
      ? Plain<V>
      : never;

/** What a spec accepts for a value of type T: what the encoder takes, or its record form. */
export type SpecValue<T> = (T extends NlaType<any, infer I> ? I : never) | RecordValue<T>;

type FieldType<H, W> = W extends keyof H ? H[W] : never;
type AttrType<D, W> = W extends keyof D ? (D[W] extends readonly [number, infer T] ? T : never) : never;

/** The table of one object: friendly key -> header field, friendly key -> attribute. */
export interface VocabDecl {
  readonly fields?: Readonly<Record<string, string>>;
  readonly attrs?: Readonly<Record<string, string>>;
  /** Other accepted spellings (pyroute2's keys): alias -> friendly key. Wire names are always accepted. */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Vocabularies of nested attributes and structs, by friendly key: read into sub-records. */
  readonly nests?: Readonly<Record<string, Vocab<any, any, any, any>>>;
  /**
   * Keys the kernel reports but a request does not set (counters, timers, ids): read into
   * records, accepted in specs (a record is a valid spec) and not sent.
   */
  readonly readOnly?: readonly string[];
  /** Record forms of values with a shape of their own (next hops, encapsulations), by friendly key. */
  readonly convert?: Readonly<Record<string, (decoded: any) => unknown>>;
}

/** The record type a vocabulary reads: `VocabRecord<typeof linkVocab>`. */
export type VocabRecord<V> =
  V extends Vocab<infer H, infer D, infer F, infer A>
    ? { -readonly [K in keyof F]?: RecordValue<FieldType<H, F[K]>> } & {
        -readonly [K in keyof A]?: RecordValue<AttrType<D, A[K]>>;
      }
    : never;

/** The spec type a vocabulary checks: `VocabSpec<typeof linkVocab>`. */
export type VocabSpec<V> =
  V extends Vocab<infer H, infer D, infer F, infer A>
    ? { [K in keyof F]?: SpecValue<FieldType<H, F[K]>> } & { [K in keyof A]?: SpecValue<AttrType<D, A[K]>> }
    : never;

// ---- enum and flag names ---------------------------------------------------------------------

/** Short names of an enumeration or flag table: 'IF_OPER_UP' <-> 'up'. */
export interface EnumNames {
  /** The common prefix dropped from the short names ('IF_OPER_'). */
  readonly prefix: string;
  /** Short name of a value, or the number when it has none. */
  short(v: number): string | number;
  /** Short names of the bits of a mask (unnamed bits as '0x..'). */
  flags(mask: number): string[];
  /** The value of a name given short ('up'), full ('IF_OPER_UP'), any case, or as digits. */
  byName(name: string): number | undefined;
  /** The short names. */
  list(): string[];
}

const namesCache = new WeakMap<object, EnumNames>();

function commonPrefix(keys: string[]): string {
  if (!keys.length) return '';
  let p = keys[0];
  for (const k of keys) while (!k.startsWith(p)) p = p.slice(0, -1);
  // Only whole words: up to the last underscore.
  return p.slice(0, p.lastIndexOf('_') + 1);
}

/**
 * The prefix dropped from one name: the table's common prefix, or, in a table that merges
 * families (RTNH_F_* with RTM_F_*), the longest word prefix it shares with another name.
 */
function prefixOf(key: string, keys: string[], common: string): string {
  if (common) return common;
  let best = '';
  for (let i = key.indexOf('_'); i > 0 && i < key.length - 1; i = key.indexOf('_', i + 1)) {
    const p = key.slice(0, i + 1);
    if (keys.some((k) => k !== key && k.startsWith(p))) best = p;
  }
  return best;
}

/** The short-name table of an enumeration or flag set ({ IF_OPER_UP: 6, ... }). */
export function enumNames(names: Readonly<Record<string, number>>): EnumNames {
  let e = namesCache.get(names);
  if (e) return e;
  const keys = Object.keys(names);
  const prefix = commonPrefix(keys);
  const byValue = new Map<number, string>();
  const byShort = new Map<string, number>();
  for (const k of keys) {
    const s = k.slice(prefixOf(k, keys, prefix).length).toLowerCase();
    if (!byValue.has(names[k])) byValue.set(names[k], s);
    byShort.set(s, names[k]);
  }
  const bits = [...byValue].filter(([v]) => v && (v & (v - 1)) === 0);
  e = {
    prefix,
    short: (v) => byValue.get(v) ?? v,
    flags(mask) {
      const out: string[] = [];
      let rest = mask >>> 0;
      for (const [bit, s] of bits)
        if (rest & bit) {
          out.push(s);
          rest = (rest & ~bit) >>> 0;
        }
      if (rest) out.push(`0x${rest.toString(16)}`);
      return out;
    },
    byName(name) {
      if (/^\d+$/.test(name)) return Number(name);
      if (/^0x[0-9a-f]+$/i.test(name)) return parseInt(name, 16);
      return (
        names[name] ??
        byShort.get(name.toLowerCase().replace(/-/g, '_')) ??
        (prefix && name.toUpperCase().startsWith(prefix)
          ? byShort.get(name.slice(prefix.length).toLowerCase())
          : undefined)
      );
    },
    list: () => [...byShort.keys()],
  };
  namesCache.set(names, e);
  return e;
}

type Named = NlaType<any, any> & { names?: Record<string, number>; mode?: 'enum' | 'flags'; fields?: StructFields };

/** The names of an enum or flags type, if it is one. */
export function typeNames(t: NlaType<any, any>): EnumNames | undefined {
  const n = (t as Named).names;
  return n ? enumNames(n) : undefined;
}

// ---- records -------------------------------------------------------------------------------

const MESSAGE = Symbol('nlroute.message');

/** The message a record was read from (undefined for a record built by hand). */
export function messageOf<M = unknown>(record: object): M | undefined {
  return (record as { [MESSAGE]?: M })[MESSAGE];
}

/** Attach the message to a record, invisibly: not enumerable, so JSON, spread and inspect skip it. */
export function attachMessage<R extends object>(record: R, msg: unknown): R {
  Object.defineProperty(record, MESSAGE, { value: msg, enumerable: false, configurable: true });
  return record;
}

// ---- lazy records -------------------------------------------------------------------------

const INSPECT_HOOK = Symbol.for('nodejs.util.inspect.custom');
/** What a key reader returns for a key it cannot read alone: the whole record is built. */
export const WHOLE = Symbol('nlroute.whole');

type Build = (m: any) => object;
type Read = (m: any, key: string) => unknown;

/** How one kind of lazy record is read: its builder and single-key reader, and the records built. */
interface LazyKind {
  build: Build;
  read: Read | undefined;
  built: WeakMap<object, Record<PropertyKey, unknown>>;
  /** Whether any record of the kind was built: until then, no WeakMap lookup per read. */
  anyBuilt: boolean;
}

// The proxy's target is the message itself, so a pending record costs one object (the proxy).
// A record built whole is kept by message in its kind's WeakMap; the traps show only it.
function lazyHandler(kind: LazyKind): ProxyHandler<object> {
  const whole = (m: object): Record<PropertyKey, unknown> => {
    let r = kind.built.get(m);
    if (r === undefined) {
      kind.built.set(m, (r = kind.build(m) as Record<PropertyKey, unknown>));
      kind.anyBuilt = true;
    }
    return r;
  };
  const read = kind.read;
  return {
    get(m, k) {
      // One key read alone, while the record is not built: what a loop over a dump reads. Not
      // cached: reading it again is as cheap as a lookup, and costs no object per record.
      if (typeof k === 'string') {
        if (read !== undefined && !(kind.anyBuilt && kind.built.has(m))) {
          const v = read(m, k);
          if (v !== WHOLE) return v;
        }
        return whole(m)[k];
      }
      if (k === MESSAGE) return m;
      if (k === INSPECT_HOOK) return inspectRecord;
      return whole(m)[k];
    },
    has: (m, k) => k in whole(m),
    // A record is a plain object.
    getPrototypeOf: () => Object.prototype,
    ownKeys: (m) => Reflect.ownKeys(whole(m)),
    getOwnPropertyDescriptor: (m, k) => Reflect.getOwnPropertyDescriptor(whole(m), k),
    set: (m, k, v) => Reflect.set(whole(m), k, v),
    deleteProperty: (m, k) => Reflect.deleteProperty(whole(m), k),
    defineProperty: (m, k, d) => Reflect.defineProperty(whole(m), k, d),
  };
}

const handlers = new WeakMap<Build, ProxyHandler<object>>();

// util.inspect looks through proxies at their target: print the built record, not the pending one.
function inspectRecord(this: object, depth: number, opts: object, inspect: (v: unknown, o: object) => string): string {
  return inspect({ ...this }, opts);
}

/**
 * A record built on first use: `lazyRecord(msg, routeRecord)`. A dump of 100,000 routes
 * returns at once and pays for the records a program reads; each looks and behaves as the
 * plain object `build(msg)` returns (keys, JSON, spread, inspect), and messageOf() works on it.
 * `read(msg, key)`, when given, reads one key without building the rest (or returns WHOLE).
 */
export function lazyRecord<R extends object>(msg: object, build: (m: any) => R, read?: Read): R {
  return new Proxy(msg, handlerOf(build, read)) as unknown as R;
}

/**
 * A dump's messages turned into lazy records in place (the array is reused): one object per
 * record, and the handler looked up once for the whole dump.
 */
export function lazyRecords<R extends object>(msgs: object[], build: (m: any) => R, read?: Read): R[] {
  const h = handlerOf(build, read);
  for (let i = 0; i < msgs.length; i++) msgs[i] = new Proxy(msgs[i], h);
  return msgs as R[];
}

function handlerOf(build: Build, read: Read | undefined): ProxyHandler<object> {
  let h = handlers.get(build);
  if (h === undefined) handlers.set(build, (h = lazyHandler({ build, read, built: new WeakMap(), anyBuilt: false })));
  return h;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** A 64-bit value in record form. */
export const u64Value = (v: bigint): U64 => (v <= MAX_SAFE && v >= -MAX_SAFE ? Number(v) : v.toString());

type Conv = (v: any) => unknown;

/** The function that turns a decoded value of type t into its record form. */
export function recordConverter(t: NlaType<any, any>, sub?: Vocab<any, any, any, any>): Conv {
  const n = t as Named;
  if (n.names && n.mode === 'enum') {
    const e = enumNames(n.names);
    return (v: number) => e.short(v);
  }
  // An empty flag set is left out of records.
  if (n.names && n.mode === 'flags') {
    const e = enumNames(n.names);
    return (v: number) => (v ? e.flags(v) : undefined);
  }
  if (sub) return (v) => (v instanceof AttrView ? sub.readAttrs(v, {}) : sub.readFields(v, {}));
  if (n.fields) {
    const convs = Object.entries(n.fields)
      .filter(([, ft]) => ft.kind !== 'pad')
      .map(([k, ft]) => [k, recordConverter(ft)] as const);
    return (v: Record<string, unknown>) => {
      const o: Record<string, unknown> = {};
      for (const [k, c] of convs) if (v[k] !== undefined) o[k] = c(v[k]);
      return o;
    };
  }
  return plainValue;
}

/** The record form of any decoded value, without type information. */
export function plainValue(v: unknown): unknown {
  switch (typeof v) {
    case 'bigint':
      return u64Value(v);
    case 'object':
      if (v === null) return v;
      if (Buffer.isBuffer(v) || v instanceof Uint8Array) return Buffer.from(v).toString('hex');
      if (v instanceof AttrView) {
        const o: Record<string, unknown> = {};
        for (const [k, x] of v.attrsJSON()) if (!(k in o)) o[k] = plainValue(x);
        return o;
      }
      if (Array.isArray(v)) return v.map(plainValue);
      {
        const o: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) if (k !== '_tail' && x !== undefined) o[k] = plainValue(x);
        return o;
      }
    default:
      return v;
  }
}

interface Term {
  readonly key: string;
  /** An attribute that replaces a header field of the same key (RTA_TABLE over rtm_table). */
  readonly override?: boolean;
  readonly wire: string;
  readonly type: NlaType<any, any>;
  readonly conv: Conv;
}

/**
 * One object's vocabulary: `new Vocab('link', iflaAttrs, ifinfomsgHeader, { fields, attrs })`.
 * Reads header fields and attributes into records, and gives the rules specs are checked by.
 */
export class Vocab<
  H extends StructFields,
  D extends AttrDecl,
  F extends Readonly<Record<string, string>>,
  A extends Readonly<Record<string, string>>,
> {
  /** Attribute terms by attribute id, for the one-pass reader. */
  private readonly byId: (Term | undefined)[] = [];
  private readonly fieldTerms: Term[] = [];
  /** Friendly key -> wire name, and the reverse. */
  readonly wireOf = new Map<string, string>();
  readonly keyOf = new Map<string, string>();
  private rulesCache: SpecRules | undefined;
  /** Keys read into records and not sent (see VocabDecl.readOnly). */
  readonly readOnly: ReadonlySet<string>;

  constructor(
    readonly object: string,
    readonly map: AttrMap<D> | undefined,
    readonly header: StructType<H> | undefined,
    readonly decl: { readonly fields?: F; readonly attrs?: A } & Omit<VocabDecl, 'fields' | 'attrs'>,
  ) {
    this.readOnly = new Set(decl.readOnly ?? []);
    for (const [key, wire] of Object.entries(decl.fields ?? {})) {
      const type = header?.fields[wire];
      if (!type) throw new Error(`vocabulary ${object}: ${header?.kind ?? 'no header'} has no field ${wire}`);
      this.fieldTerms.push({ key, wire, type, conv: decl.convert?.[key] ?? recordConverter(type, decl.nests?.[key]) });
      this.wireOf.set(key, wire);
      this.keyOf.set(wire, key);
    }
    for (const [key, wire] of Object.entries(decl.attrs ?? {})) {
      const info = map?.byName.get(wire);
      if (!info) throw new Error(`vocabulary ${object}: ${map?.name ?? 'no map'} has no attribute ${wire}`);
      // A key may name a header field and an attribute that widens it (rtm_table, RTA_TABLE):
      // the attribute wins when present; specs encode such a key themselves.
      const override = this.wireOf.has(key);
      if (override && this.keyOf.get(this.wireOf.get(key)!) !== key)
        throw new Error(`vocabulary ${object}: ${key} declared twice`);
      const term = {
        key,
        wire,
        type: info.type,
        override,
        conv: decl.convert?.[key] ?? recordConverter(info.type, decl.nests?.[key]),
      };
      // The first key for an id reads it (a twin like IFLA_IF_NETNSID shares the id).
      this.byId[info.id] ??= term;
      if (!override) this.wireOf.set(key, wire);
      this.keyOf.set(wire, key);
    }
  }

  /** Friendly keys, fields first. */
  keys(): string[] {
    return [...this.wireOf.keys()];
  }

  /** The attribute or field type behind a friendly key. */
  typeOf(key: string): NlaType<any, any> | undefined {
    const wire = this.wireOf.get(key);
    if (wire === undefined) return undefined;
    return this.map?.byName.get(wire)?.type ?? this.header?.fields[wire];
  }

  /** The record form of a decoded value of the field or attribute behind a friendly key. */
  recordValue(key: string, decoded: unknown): unknown {
    const t = this.fieldTerms.find((x) => x.key === key) ?? this.byId.find((x) => x?.key === key);
    if (!t) throw new Error(`vocabulary ${this.object} has no key ${key}`);
    return t.conv(decoded);
  }

  /** Header fields (a decoded struct) into `out`, by friendly key. */
  readFields<R extends Record<string, unknown>>(fields: Record<string, unknown>, out: R): R {
    const o = out as Record<string, unknown>;
    for (const t of this.fieldTerms) {
      const v = fields[t.wire];
      if (v !== undefined) o[t.key] = t.conv(v);
    }
    return out;
  }

  /** One key of a message in record form (undefined when absent), without reading the others. */
  readKey(msg: AttrView<any> & { readonly offset: number }, key: string): unknown {
    const f = (this.fieldByKey ??= new Map(this.fieldTerms.map((t) => [t.key, t]))).get(key);
    const a = this.attrTerm(key);
    if (a) {
      const raw = msg.raw(a.wire as never);
      if (raw !== undefined) return a.conv(a.type.decode(raw, 0, raw.length, msg as Owner));
    }
    if (!f) return undefined;
    return f.conv(
      f.type.decode(msg.buf, msg.offset + NLMSG_HDRLEN + this.header!.offsets[f.wire], f.type.size, msg as Owner),
    );
  }

  private attrTerm(key: string): Term | undefined {
    let m = this.attrByKey;
    if (!m) {
      m = this.attrByKey = new Map();
      for (const t of this.byId) if (t && !m.has(t.key)) m.set(t.key, t);
    }
    return m.get(key);
  }
  private attrByKey: Map<string, Term> | undefined;
  private fieldByKey: Map<string, Term> | undefined;

  /**
   * Header fields of a message into `out`, read straight from its bytes (no struct object).
   * A value whose record form is undefined (an empty flag set) is left out.
   */
  readHeader<R extends Record<string, unknown>>(
    msg: { readonly buf: Buffer; readonly offset: number } & Owner,
    out: R,
  ): R {
    const o = out as Record<string, unknown>;
    const b = msg.buf,
      base = msg.offset + NLMSG_HDRLEN,
      offs = this.header!.offsets;
    for (const t of this.fieldTerms) {
      const v = t.conv(t.type.decode(b, base + offs[t.wire], t.type.size, msg));
      if (v !== undefined) o[t.key] = v;
    }
    return out;
  }

  /** Attributes of a message or nest into `out` in one pass; the first of a repeated attribute wins. */
  readAttrs<R extends Record<string, unknown>>(view: AttrView<any>, out: R): R {
    const o = out as Record<string, unknown>;
    const b = view.buf,
      end = view.end,
      byId = this.byId;
    let p = view.start;
    while (p + 4 <= end) {
      const len = b[p] | (b[p + 1] << 8);
      if (len < 4 || p + len > end) break;
      const t = byId[(b[p + 2] | (b[p + 3] << 8)) & NLA_TYPE_MASK];
      if (t !== undefined && (t.override || o[t.key] === undefined)) {
        const v = t.conv(t.type.decode(b, p + 4, len - 4, view as Owner));
        if (v !== undefined) o[t.key] = v;
      }
      p += (len + 3) & ~3;
    }
    return out;
  }

  /** A nest's attributes as a sub-record (a view of this vocabulary's map inside `owner`). */
  readNest(buf: Buffer, start: number, end: number, owner: Owner | null): Record<string, unknown> {
    return this.readAttrs(new AttrSet(buf, start, end, this.map!, owner), {});
  }

  /**
   * The rules specs of this object are checked by: each friendly key by its type, each wire
   * name and declared alias as another name. `extra` adds or replaces keys with their own
   * checks (keys with a meaning beyond one attribute: state, peer, kind...).
   */
  rules(extra: Readonly<Record<string, Check>> = {}, extraAliases: Readonly<Record<string, string>> = {}): SpecRules {
    const keys: Record<string, Check> = {};
    for (const k of this.wireOf.keys()) {
      const t = this.typeOf(k)!;
      keys[k] = this.decl.nests?.[k] || this.decl.convert?.[k] ? anyCheck : typeCheck(t, typeNames(t));
    }
    Object.assign(keys, extra);
    const aliases: Record<string, string> = {};
    for (const [wire, key] of this.keyOf) if (wire !== key) aliases[wire] = key;
    Object.assign(aliases, this.decl.aliases, extraAliases);
    return { keys, aliases };
  }

  /** Check a spec with this vocabulary's rules (cached when no extra keys are given). */
  check<T extends object>(spec: T, extra?: Readonly<Record<string, Check>>): T {
    const rules = extra ? this.rules(extra) : (this.rulesCache ??= this.rules());
    return checkSpec(this.object, spec, rules);
  }

  /**
   * Attributes for the spec keys of this vocabulary, in the spec's order, values in the
   * encoder's form (short enum names resolved, booleans as 0/1 or presence).
   */
  attrPairs(spec: Readonly<Record<string, unknown>>, skip?: ReadonlySet<string>): [string, unknown][] {
    const out: [string, unknown][] = [];
    for (const [k, v] of Object.entries(spec)) {
      if (v === undefined || skip?.has(k) || this.readOnly.has(k)) continue;
      const wire = this.wireOf.get(k);
      if (wire === undefined || !this.map?.byName.has(wire)) continue;
      const t = this.map.byName.get(wire)!.type;
      if (t.kind === 'flag') {
        if (v) out.push([wire, true]);
        continue;
      }
      out.push([wire, encoderValue(t, v)]);
    }
    return out;
  }
}

/** A spec value in the form the type's encoder takes (short names -> numbers, booleans -> 0/1). */
export function encoderValue(t: NlaType<any, any>, v: unknown): unknown {
  const n = typeNames(t);
  if (n && typeof v === 'string') return n.byName(v) ?? v;
  if (n && Array.isArray(v) && (t as Named).mode === 'flags') {
    let mask = 0;
    for (const x of v) mask |= typeof x === 'number' ? x : (n.byName(String(x)) ?? 0);
    return mask >>> 0;
  }
  if (typeof v === 'boolean' && t.size === 1) return v ? 1 : 0;
  // A struct's fields as records give them (a vlan's flags by name): each in its encoder's form.
  const fields = (t as { fields?: Readonly<Record<string, NlaType<any, any>>> }).fields;
  if (fields && v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = fields[k] ? encoderValue(fields[k], x) : x;
    return out;
  }
  return v;
}

/** `vocab('link', iflaAttrs, ifinfomsgHeader, { fields: {...}, attrs: {...} } as const)`. */
export function vocab<
  H extends StructFields,
  D extends AttrDecl,
  const F extends Readonly<Record<string, keyof H & string>> = {},
  const A extends Readonly<Record<string, keyof D & string>> = {},
>(
  object: string,
  map: AttrMap<D> | undefined,
  header: StructType<H> | undefined,
  decl: { fields?: F; attrs?: A } & Omit<VocabDecl, 'fields' | 'attrs'>,
): Vocab<H, D, F, A> {
  return new Vocab(object, map, header, decl);
}
