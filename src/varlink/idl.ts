// The varlink interface definition language: parse a `.varlink` description into types a
// server checks incoming parameters against, so a wrong type never reaches a handler.

/** A varlink type. */
export type VType =
  | { t: 'bool' | 'int' | 'float' | 'string' | 'object' }
  | { t: 'named'; name: string }
  | { t: 'struct'; fields: Map<string, VType> }
  | { t: 'enum'; values: string[] }
  | { t: 'array'; of: VType }
  | { t: 'dict'; of: VType }
  | { t: 'nullable'; of: VType };

export interface VMethod {
  name: string;
  input: VType & { t: 'struct' };
  output: VType & { t: 'struct' };
}

export interface VInterface {
  name: string;
  description: string;
  types: Map<string, VType>;
  methods: Map<string, VMethod>;
  errors: Map<string, VType & { t: 'struct' }>;
}

/** A description that does not parse; `offset` is where. */
export class VarlinkSyntaxError extends Error {
  override readonly name = 'VarlinkSyntaxError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const INTERFACE_NAME = /^[A-Za-z](?:-*[A-Za-z0-9])*(?:\.[A-Za-z0-9](?:-*[A-Za-z0-9])*)+$/;
const TOKEN = /\s+|#[^\n]*|->|\[\]|\[string\]|[(),:?]|[A-Za-z_][A-Za-z0-9_.-]*/y;

function tokenize(src: string): { tok: string; at: number }[] {
  const out: { tok: string; at: number }[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(src);
    if (!m) throw new VarlinkSyntaxError(`unexpected character ${JSON.stringify(src[at])}`, at);
    if (!/^\s|^#/.test(m[0])) out.push({ tok: m[0], at });
  }
  return out;
}

/** Parses a varlink interface description. */
export function parseInterface(description: string): VInterface {
  const toks = tokenize(description);
  let i = 0;
  const peek = (): string | undefined => toks[i]?.tok;
  const at = (): number => toks[i]?.at ?? description.length;
  const next = (): string => {
    const t = toks[i++];
    if (!t) throw new VarlinkSyntaxError('unexpected end of description', description.length);
    return t.tok;
  };
  const expect = (want: string): void => {
    const pos = at();
    const got = next();
    if (got !== want) throw new VarlinkSyntaxError(`expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`, pos);
  };
  const ident = (what: string): string => {
    const pos = at();
    const t = next();
    if (!/^[A-Za-z_]/.test(t)) throw new VarlinkSyntaxError(`expected ${what}, got ${JSON.stringify(t)}`, pos);
    return t;
  };

  // After "(": a struct (fields "a: T") or an enum (bare names).
  const structOrEnum = (): VType => {
    expect('(');
    if (peek() === ')') {
      next();
      return { t: 'struct', fields: new Map() };
    }
    const first = ident('a field or enum name');
    if (peek() === ':') {
      const fields = new Map<string, VType>();
      next();
      fields.set(first, type());
      while (peek() === ',') {
        next();
        const f = ident('a field name');
        expect(':');
        fields.set(f, type());
      }
      expect(')');
      return { t: 'struct', fields };
    }
    const values = [first];
    while (peek() === ',') {
      next();
      values.push(ident('an enum value'));
    }
    expect(')');
    return { t: 'enum', values };
  };

  const type = (): VType => {
    const t = peek();
    if (t === '?') {
      next();
      return { t: 'nullable', of: type() };
    }
    if (t === '[]') {
      next();
      return { t: 'array', of: type() };
    }
    if (t === '[string]') {
      next();
      return { t: 'dict', of: type() };
    }
    if (t === '(') return structOrEnum();
    const name = ident('a type');
    if (name === 'bool' || name === 'int' || name === 'float' || name === 'string' || name === 'object') {
      return { t: name };
    }
    return { t: 'named', name };
  };

  const struct = (): VType & { t: 'struct' } => {
    const pos = at();
    const s = structOrEnum();
    if (s.t !== 'struct') throw new VarlinkSyntaxError('expected a struct', pos);
    return s;
  };

  expect('interface');
  const namePos = at();
  const name = next();
  if (!INTERFACE_NAME.test(name))
    throw new VarlinkSyntaxError(`invalid interface name ${JSON.stringify(name)}`, namePos);
  const iface: VInterface = { name, description, types: new Map(), methods: new Map(), errors: new Map() };
  while (i < toks.length) {
    const pos = at();
    const kw = next();
    const member = ident('a member name');
    if (kw === 'type') iface.types.set(member, structOrEnum());
    else if (kw === 'error') iface.errors.set(member, struct());
    else if (kw === 'method') {
      const input = struct();
      expect('->');
      iface.methods.set(member, { name: member, input, output: struct() });
    } else throw new VarlinkSyntaxError(`expected type, method or error, got ${JSON.stringify(kw)}`, pos);
  }
  for (const [n, t] of iface.types) checkRefs(iface, t, n);
  for (const m of iface.methods.values()) {
    checkRefs(iface, m.input, m.name);
    checkRefs(iface, m.output, m.name);
  }
  return iface;
}

function checkRefs(iface: VInterface, t: VType, where: string): void {
  switch (t.t) {
    case 'named':
      if (!iface.types.has(t.name)) throw new VarlinkSyntaxError(`${where}: unknown type ${t.name}`, 0);
      return;
    case 'struct':
      for (const f of t.fields.values()) checkRefs(iface, f, where);
      return;
    case 'array':
    case 'dict':
    case 'nullable':
      checkRefs(iface, t.of, where);
      return;
    default:
      return;
  }
}

/**
 * Checks a JSON value against a type. Returns undefined when it conforms, else the path of
 * the first offending field ('mytype.struct.first'), which varlink's InvalidParameter names.
 */
export function checkValue(iface: VInterface, t: VType, v: unknown, path: string): string | undefined {
  switch (t.t) {
    case 'nullable':
      return v === null || v === undefined ? undefined : checkValue(iface, t.of, v, path);
    case 'named':
      return checkValue(iface, iface.types.get(t.name)!, v, path);
    case 'bool':
      return typeof v === 'boolean' ? undefined : path;
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) ? undefined : path;
    case 'float':
      return typeof v === 'number' && Number.isFinite(v) ? undefined : path;
    case 'string':
      return typeof v === 'string' ? undefined : path;
    case 'object':
      return v === undefined ? path : undefined;
    case 'enum':
      return typeof v === 'string' && t.values.includes(v) ? undefined : path;
    case 'array': {
      if (!Array.isArray(v)) return path;
      for (let k = 0; k < v.length; k++) {
        const bad = checkValue(iface, t.of, v[k], `${path}[${k}]`);
        if (bad !== undefined) return bad;
      }
      return undefined;
    }
    case 'dict': {
      if (!isPlainObject(v)) return path;
      for (const [k, x] of Object.entries(v)) {
        const bad = checkValue(iface, t.of, x, `${path}[${JSON.stringify(k)}]`);
        if (bad !== undefined) return bad;
      }
      return undefined;
    }
    case 'struct': {
      if (!isPlainObject(v)) return path;
      const sub = (f: string): string => (path ? `${path}.${f}` : f);
      for (const k of Object.keys(v)) if (!t.fields.has(k)) return sub(k);
      for (const [f, ft] of t.fields) {
        const bad = checkValue(iface, ft, (v as Record<string, unknown>)[f], sub(f));
        if (bad !== undefined) return bad;
      }
      return undefined;
    }
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
