// Friendly-spec helpers: interface names, families, prefixes, enumeration values. The names of
// spec keys come from the vocabularies beside the schemas (core/vocab.ts), not from here.
import { didYouMean, ipv4ToString, ipv6ToString, parseIPv4, parseIPv6 } from '../core/index.js';
import { AF, AF_INET, AF_INET6, AF_MPLS } from './constants.js';

/** A spec value that names an interface: its index, or its name (resolved by IPRoute). */
export type IfRef = number | string;

/** Raw attributes merged into a request: `[['IFLA_GROUP', 5], [60, Buffer]]`. */
export type RawAttrs = ReadonlyArray<readonly [string | number, unknown]>;

/** Check an interface name as the kernel would (dev_valid_name), before sending. */
export function checkIfname(name: unknown, what = 'ifname'): string {
  if (typeof name !== 'string') throw new TypeError(`${what} must be a string, got ${typeof name}`);
  const n = Buffer.byteLength(name);
  if (n === 0 || n > 15)
    throw new TypeError(`${what} ${JSON.stringify(name)} must be 1..15 bytes (IFNAMSIZ - 1), has ${n}`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a NUL inside an interface name is what this refuses
  if (name === '.' || name === '..' || /[/:\s\u0000]/.test(name))
    throw new TypeError(`${what} ${JSON.stringify(name)} is not a valid interface name`);
  return name;
}

/** An address family given as a number, 'inet'/'inet6'/'mpls'/'bridge' or 'AF_INET'. */
export function familyValue(v: number | string | undefined): number | undefined {
  if (v === undefined || typeof v === 'number') return v;
  const short: Record<string, number> = {
    inet: AF_INET,
    ipv4: AF_INET,
    inet6: AF_INET6,
    ipv6: AF_INET6,
    mpls: AF_MPLS,
    bridge: 7,
    link: 17,
    packet: 17,
    unspec: 0,
  };
  const n =
    short[v.toLowerCase()] ??
    (AF as Record<string, number>)[v] ??
    (AF as Record<string, number>)[`AF_${v.toUpperCase()}`];
  if (n === undefined) throw new TypeError(`unknown address family ${JSON.stringify(v)}`);
  return n;
}

/** A parsed 'addr/len' (len undefined when absent). */
export interface Prefix {
  addr: string;
  len?: number;
  family: number;
}

/** Parse '10.0.0.0/16', '2001:db8::/32', '10.0.0.1' or an MPLS label; throws TypeError when malformed. */
export function parsePrefix(s: unknown, what = 'prefix', family?: number): Prefix {
  if (typeof s !== 'string' || !s) throw new TypeError(`${what} must be an address string, got ${JSON.stringify(s)}`);
  const slash = s.indexOf('/');
  const addr = slash < 0 ? s : s.slice(0, slash);
  if (family === AF_MPLS) {
    if (!/^\d+$/.test(addr) || Number(addr) >= 1 << 20)
      throw new TypeError(`${what} ${JSON.stringify(s)} is not an MPLS label`);
    return { addr, len: 20, family };
  }
  const fam = addr.includes(':') ? AF_INET6 : AF_INET;
  if (!(fam === AF_INET6 ? parseIPv6(addr) : parseIPv4(addr)))
    throw new TypeError(`${what} ${JSON.stringify(s)}: not an IP address`);
  if (family !== undefined && family !== 0 && family !== fam)
    throw new TypeError(`${what} ${JSON.stringify(s)} does not match address family ${family}`);
  let len: number | undefined;
  if (slash >= 0) {
    const t = s.slice(slash + 1);
    len = /^\d{1,3}$/.test(t) ? Number(t) : NaN;
    const max = fam === AF_INET6 ? 128 : 32;
    if (!(len >= 0 && len <= max)) throw new TypeError(`${what} ${JSON.stringify(s)}: prefix length must be 0..${max}`);
  }
  return { addr, len, family: fam };
}

/** An IP address in the form the decoder prints ('2001:DB8:0::1' -> '2001:db8::1'). */
export function canonicalIP(addr: string): string {
  if (addr.includes(':')) {
    const b = parseIPv6(addr);
    return b ? ipv6ToString(b, 0) : addr;
  }
  const b = parseIPv4(addr);
  return b ? ipv4ToString(b, 0) : addr;
}

/** The network address of addr/len ('10.1.2.3', 16 -> '10.1.0.0'), as bytes. */
export function networkBytes(addr: string, len: number): Uint8Array {
  const b = (addr.includes(':') ? parseIPv6(addr) : parseIPv4(addr))!;
  const out = Uint8Array.from(b);
  for (let i = 0; i < out.length * 8; i++) if (i >= len) out[i >> 3] &= ~(0x80 >> (i & 7));
  return out;
}

/** IPv4 broadcast of addr/len ('10.0.0.2', 24 -> '10.0.0.255'). */
export function broadcastOf(addr: string, len: number): string {
  const b = parseIPv4(addr);
  if (!b) throw new TypeError(`broadcast needs an IPv4 address, got ${addr}`);
  const v = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  const bc = (v | (len >= 32 ? 0 : 0xffffffff >>> len)) >>> 0;
  return `${bc >>> 24}.${(bc >>> 16) & 255}.${(bc >>> 8) & 255}.${bc & 255}`;
}

/**
 * A value of an enumeration table given by number, full name ('RTN_UNICAST') or short
 * name ('unicast'); throws TypeError listing the choices when unknown.
 */
export function enumValue(table: Readonly<Record<string, number>>, prefix: string, v: unknown, what: string): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string') {
    if (/^\d+$/.test(v)) return Number(v);
    const n = table[v] ?? table[prefix + v.toUpperCase().replace(/-/g, '_')];
    if (n !== undefined) return n;
  }
  const names = Object.keys(table).map((k) => (k.startsWith(prefix) ? k.slice(prefix.length).toLowerCase() : k));
  throw new TypeError(`unknown ${what} ${JSON.stringify(v)}${meant(v, names)} (one of ${names.join(', ')})`);
}

/** ` (did you mean "x"?)` for a string close to one of `names`, else ''. */
export function meant(v: unknown, names: readonly string[]): string {
  const guess = typeof v === 'string' ? didYouMean(v.toLowerCase(), names) : undefined;
  return guess ? ` (did you mean "${guess}"?)` : '';
}

/** Merge raw attributes after the modelled ones; a raw entry replaces a modelled one of the same name. */
export function mergeAttrs(
  base: [string | number, unknown][],
  raw: RawAttrs | undefined,
): [string | number, unknown][] {
  if (!raw || !raw.length) return base;
  if (!Array.isArray(raw)) throw new TypeError('attrs must be an array of [name, value] pairs');
  const names = new Set(raw.map((e) => e[0]));
  return [...base.filter(([n]) => !names.has(n)), ...raw.map(([n, v]) => [n, v] as [string | number, unknown])];
}
