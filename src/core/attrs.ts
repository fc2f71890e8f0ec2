// Attribute maps (name <-> id <-> type), the lazy attribute view, and the attribute encoder.
import { NLA_F_NESTED, NLA_TYPE_MASK, align4 } from './constants.js';
import { NetlinkDecodeError, NetlinkEncodeError } from './errors.js';
import { PartCtx, hex, type NlaType, type Owner } from './types.js';
import type { Writer } from './writer.js';

/** Node's util.inspect hook, by its registered symbol (no import of node:util in the core). */
export const INSPECT: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

/** Declaration of an attribute map: `{ IFLA_IFNAME: [3, asciiz], ... }`. */
export type AttrDecl = Readonly<Record<string, readonly [id: number, type: NlaType<any, any>]>>;
export type AttrOut<E> = 0 extends 1 & E ? any : E extends readonly [number, NlaType<infer T, any>] ? T : never;
export type AttrIn<E> = E extends readonly [number, NlaType<any, infer I>] ? I : never;
export type AttrName<D extends AttrDecl> = keyof D & string;

/** Attributes to encode: an object (one of each) or ordered pairs (repeats allowed, raw ids allowed). */
export type AttrInput<D extends AttrDecl = AttrDecl> =
  | { readonly [K in keyof D]?: AttrIn<D[K]> | null }
  | ReadonlyArray<readonly [AttrName<D> | number, unknown]>;

export interface AttrInfo {
  readonly name: string;
  readonly id: number;
  readonly type: NlaType<any, any>;
}

/** A compiled attribute map: lookups by id and by name. */
export class AttrMap<D extends AttrDecl = AttrDecl> {
  readonly byId: (AttrInfo | undefined)[] = [];
  readonly byName = new Map<string, AttrInfo>();
  constructor(
    readonly name: string,
    readonly decl: D,
  ) {
    for (const [n, [id, type]] of Object.entries(decl)) {
      const info = { name: n, id, type };
      this.byName.set(n, info);
      // The first name for an id wins for decoding (aliases stay encodable).
      if (!this.byId[id]) this.byId[id] = info;
    }
  }
}

/** `attrMap('ifla', {...})` — compile a declaration once, at module load. */
export function attrMap<D extends AttrDecl>(name: string, decl: D): AttrMap<D> {
  return new AttrMap(name, decl);
}

/** One decoded attribute, as the decoder and toJSON see it. */
export interface AttrEntry {
  /** Kernel name, or the numeric nla_type (flags included) when unknown. */
  name: string | number;
  id: number;
  /** NLA_F_NESTED / NLA_F_NET_BYTEORDER bits as received. */
  flags: number;
  /** Offset of the attribute header in the buffer. */
  offset: number;
  raw: Buffer;
  type?: NlaType<any, any>;
  value?: unknown;
  error?: NetlinkDecodeError;
}

/**
 * A lazy view of a run of attributes, buf[start, end). Nothing is decoded until asked:
 * getAttr scans the headers and decodes only the attribute requested. Subclasses decide
 * how the span is stored: a nest keeps it (AttrSet), a message derives it from its own
 * header (Message), which keeps the objects of a large dump small.
 */
export abstract class AttrView<D extends AttrDecl = AttrDecl> implements Owner {
  abstract readonly buf: Buffer;
  /** First attribute header. */
  abstract readonly start: number;
  /** End of the attribute run. */
  abstract readonly end: number;
  abstract readonly map: AttrMap<D>;
  /** The message or nest this one sits in (null for a message). */
  abstract readonly parent: Owner | null;
  abstract readonly family: number;

  /** Offset of the first attribute with this id, or -1. Stops at a malformed header. */
  protected find(id: number, from = this.start): number {
    const b = this.buf,
      end = this.end;
    let p = from;
    while (p + 4 <= end) {
      const len = b[p] | (b[p + 1] << 8);
      if (len < 4 || p + len > end) return -1;
      if (((b[p + 2] | (b[p + 3] << 8)) & NLA_TYPE_MASK) === id) return p;
      p += (len + 3) & ~3;
    }
    return -1;
  }

  private info(name: string): AttrInfo {
    const info = this.map.byName.get(name);
    if (!info) throw new TypeError(`${this.map.name} has no attribute ${name}`);
    return info;
  }

  /** Value of the first attribute of that name, or undefined: `msg.getAttr('IFLA_IFNAME')`. */
  getAttr<K extends AttrName<D>>(name: K): AttrOut<D[K]> | undefined {
    const info = this.info(name);
    const p = this.find(info.id);
    if (p < 0) return undefined;
    const len = this.buf[p] | (this.buf[p + 1] << 8);
    return info.type.decode(this.buf, p + 4, len - 4, this) as AttrOut<D[K]>;
  }

  /** Values of every attribute of that name, in order. */
  getAttrs<K extends AttrName<D>>(name: K): AttrOut<D[K]>[] {
    const info = this.info(name);
    const out: AttrOut<D[K]>[] = [];
    for (let p = this.find(info.id); p >= 0; ) {
      const len = this.buf[p] | (this.buf[p + 1] << 8);
      out.push(info.type.decode(this.buf, p + 4, len - 4, this) as AttrOut<D[K]>);
      p = this.find(info.id, p + align4(len));
    }
    return out;
  }

  /** Whether the attribute is present. */
  has(name: AttrName<D>): boolean {
    return this.find(this.info(name).id) >= 0;
  }

  /** Payload bytes of the first attribute of that name. */
  raw(name: AttrName<D>): Buffer | undefined {
    const p = this.find(this.info(name).id);
    if (p < 0) return undefined;
    return this.buf.subarray(p + 4, p + (this.buf[p] | (this.buf[p + 1] << 8)));
  }

  /**
   * Every attribute, decoded. Strict mode throws NetlinkDecodeError at the first malformed
   * attribute; lenient mode marks it (`error`) and keeps its bytes.
   */
  entries(strict = false): AttrEntry[] {
    const b = this.buf,
      end = this.end,
      out: AttrEntry[] = [];
    let p = this.start;
    while (p < end) {
      if (p + 4 > end) {
        const error = new NetlinkDecodeError(`${end - p} stray bytes after the last attribute`, p);
        if (strict) throw error;
        out.push({ name: '(malformed)', id: -1, flags: 0, offset: p, raw: b.subarray(p, end), error });
        break;
      }
      const len = b.readUInt16LE(p),
        full = b.readUInt16LE(p + 2);
      if (len < 4 || p + len > end) {
        const error = new NetlinkDecodeError(
          len < 4
            ? `attribute length ${len} under 4`
            : `attribute length ${len} runs past its container (${end - p} bytes left)`,
          p,
        );
        if (strict) throw error;
        out.push({
          name: '(malformed)',
          id: full & NLA_TYPE_MASK,
          flags: full & ~NLA_TYPE_MASK,
          offset: p,
          raw: b.subarray(p, end),
          error,
        });
        break;
      }
      const id = full & NLA_TYPE_MASK;
      const info = this.map.byId[id];
      const raw = b.subarray(p + 4, p + len);
      const entry: AttrEntry = { name: info ? info.name : full, id, flags: full & ~NLA_TYPE_MASK, offset: p, raw };
      if (info) {
        entry.type = info.type;
        try {
          const v = info.type.decode(b, p + 4, len - 4, this);
          // Decode nested views eagerly here so that errors inside them surface now.
          if (v instanceof AttrView) v.entries(strict);
          entry.value = v;
        } catch (e) {
          if (strict || !(e instanceof NetlinkDecodeError)) throw e;
          entry.error = e;
        }
      }
      out.push(entry);
      p += align4(len);
    }
    return out;
  }

  /** Attributes as `[name, value]` pairs, values in their printable form. */
  attrsJSON(): [string | number, unknown][] {
    return this.entries(false).map((e) => [e.name, entryPretty(e)]);
  }

  toJSON(): unknown {
    return this.attrsJSON();
  }

  /** util.inspect: the attributes by name, not the buffer and map behind them. */
  [INSPECT](depth: number, opts: { stylize?: unknown }, inspect: (v: unknown, o: unknown) => string): string {
    if (depth < 0) return `[${this.map.name}]`;
    return `${this.map.name} ${inspect(attrsObject(this.attrsJSON()), opts)}`;
  }
}

/** `[name, value]` pairs as an object; a repeated name collects its values in an array. */
export function attrsObject(pairs: [string | number, unknown][]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const many = new Set<string | number>();
  for (const [k, v] of pairs) {
    if (!(k in o)) o[k] = v;
    else if (many.has(k)) (o[k] as unknown[]).push(v);
    else {
      o[k] = [o[k], v];
      many.add(k);
    }
  }
  return o;
}

/** The attributes of a nest (or any run of attributes): `msg.getAttr('IFLA_LINKINFO')`. */
export class AttrSet<D extends AttrDecl = AttrDecl> extends AttrView<D> {
  // Declared and assigned (not emitted class fields, whose initializer is a call per object).
  declare readonly buf: Buffer;
  declare readonly start: number;
  declare readonly end: number;
  declare readonly map: AttrMap<D>;
  declare readonly parent: Owner | null;

  constructor(buf: Buffer, start: number, end: number, map: AttrMap<D>, parent: Owner | null) {
    super();
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.map = map;
    this.parent = parent;
  }

  get family(): number {
    return this.parent ? this.parent.family : 0;
  }
}

/** The printable form of one decoded attribute. */
export function entryPretty(e: AttrEntry): unknown {
  if (e.error) return { error: e.error.message, hex: e.raw.toString('hex') };
  if (!e.type) return e.raw.toString('hex');
  return e.type.pretty(e.value);
}

// ---- encoding -----------------------------------------------------------------

/** Value of a sibling attribute in an input (object or pairs), for dependent types. */
export function siblingValue(input: unknown, name: string): unknown {
  if (!input) return undefined;
  if (Array.isArray(input)) return input.find((e) => e[0] === name)?.[1];
  return (input as Record<string, unknown>)[name];
}

/** Append attributes to a writer, each aligned to 4 bytes. */
export function encodeAttrs(w: Writer, map: AttrMap<any>, input: AttrInput<any>, family: number, path: string): void {
  // One context for every attribute of this level; pairs or an object, without copying either.
  const ctx = new PartCtx(path, family, input);
  if (Array.isArray(input)) {
    for (const pair of input as readonly (readonly [string | number, unknown])[])
      encodeAttr(w, map, pair[0], pair[1], ctx, path);
  } else {
    const obj = input as Record<string, unknown>;
    for (const name in obj) if (Object.hasOwn(obj, name)) encodeAttr(w, map, name, obj[name], ctx, path);
  }
}

function encodeAttr(
  w: Writer,
  map: AttrMap<any>,
  name: string | number,
  value: unknown,
  ctx: PartCtx,
  path: string,
): void {
  if (value === undefined || value === null) return;
  const at = w.reserve(4);
  let nlaType: number;
  ctx.name = name;
  if (typeof name === 'number') {
    // A raw attribute: the full nla_type (flags included) and its bytes, e.g. from toJSON().
    if (name < 0 || name > 0xffff) throw new NetlinkEncodeError(`attribute type ${name} out of range`, path);
    nlaType = name;
    hex.encode(w, value as Buffer, ctx);
  } else {
    const info = map.byName.get(name);
    if (!info) throw new NetlinkEncodeError(`${map.name} has no attribute ${name}`, path);
    nlaType = info.id | info.type.nlaFlags;
    info.type.encode(w, value, ctx);
  }
  const len = w.pos - at;
  if (len > 0xffff) throw new NetlinkEncodeError(`attribute ${String(name)} is ${len} bytes, over 65535`, path);
  w.buf.writeUInt16LE(len, at);
  w.buf.writeUInt16LE(nlaType, at + 2);
  w.pad4();
}

// ---- nested types ----------------------------------------------------------------

type MapRef<D extends AttrDecl> = AttrMap<D> | (() => AttrMap<D>);
const deref = <D extends AttrDecl>(m: MapRef<D>): AttrMap<D> => (typeof m === 'function' ? m() : m);

/**
 * Attributes inside an attribute. `flag: true` sends NLA_F_NESTED (ipset and newer
 * families require it; rtnetlink accepts both). Pass a function for recursive maps.
 */
export function nested<D extends AttrDecl>(
  map: MapRef<D>,
  opts: { flag?: boolean } = {},
): NlaType<AttrSet<D>, AttrInput<D> | AttrSet<D>> {
  return {
    kind: 'nested',
    size: 0,
    nlaFlags: opts.flag ? NLA_F_NESTED : 0,
    decode: (b, o, len, owner) => new AttrSet(b, o, o + len, deref(map), owner),
    encode(w, v, ctx) {
      if (v instanceof AttrSet) return w.bytes(v.buf.subarray(v.start, v.end));
      if (typeof v !== 'object') throw new NetlinkEncodeError('nested attribute needs an object or pairs', ctx.path);
      encodeAttrs(w, deref(map), v, ctx.family, ctx.path);
    },
    pretty: (v) => v.attrsJSON(),
  };
}

/**
 * A nest whose children are the items of a list, numbered from `base` (the ids carry
 * no meaning, e.g. IFLA_VFINFO_LIST, RTA_MULTIPATH-like lists, nl80211 bands).
 */
export function nestedArray<T, I>(
  item: NlaType<T, I>,
  opts: { base?: number; flag?: boolean } = {},
): NlaType<T[], readonly I[]> {
  const base = opts.base ?? 1;
  return {
    kind: `nested ${item.kind}[]`,
    size: 0,
    nlaFlags: opts.flag ? NLA_F_NESTED : 0,
    decode(b, o, len, owner) {
      const out: T[] = [];
      const end = o + len;
      for (let p = o; p + 4 <= end; ) {
        const l = b.readUInt16LE(p);
        if (l < 4 || p + l > end) throw new NetlinkDecodeError(`attribute length ${l} invalid in list`, p);
        out.push(item.decode(b, p + 4, l - 4, owner));
        p += align4(l);
      }
      return out;
    },
    encode(w, v, ctx) {
      if (!Array.isArray(v)) throw new NetlinkEncodeError('list attribute needs an array', ctx.path);
      v.forEach((x, i) => {
        const at = w.reserve(4);
        item.encode(w, x, { ...ctx, path: `${ctx.path}[${i}]` });
        w.buf.writeUInt16LE(w.pos - at, at);
        w.buf.writeUInt16LE((base + i) | item.nlaFlags, at + 2);
        w.pad4();
      });
    },
    pretty: (v) => v.map((x) => item.pretty(x)),
  };
}

/**
 * A type chosen by a sibling's value, e.g. IFLA_INFO_DATA by IFLA_INFO_KIND:
 * `select('IFLA_INFO_KIND', { veth: nested(vethMap), ... })`. Unknown choices stay hex.
 */
export function select(
  key: string,
  choices: Readonly<Record<string, NlaType<any, any>>>,
  fallback: NlaType<any, any> = hex,
): NlaType<unknown, unknown> {
  const pick = (v: unknown): NlaType<any, any> => (v !== undefined && choices[String(v)]) || fallback;
  return {
    kind: `select(${key})`,
    size: 0,
    nlaFlags: 0,
    decode: (b, o, len, owner) => pick(owner.getAttr(key)).decode(b, o, len, owner),
    encode(w, v, ctx) {
      const t = pick(siblingValue(ctx.siblings, key));
      t.encode(w, v, ctx);
    },
    // The value carries its own shape (AttrSet, struct object, Buffer).
    pretty: (v) => (v instanceof AttrSet ? v.attrsJSON() : Buffer.isBuffer(v) ? v.toString('hex') : v),
  };
}
