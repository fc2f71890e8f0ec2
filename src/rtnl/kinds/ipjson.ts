// How `ip -j -d link show` names and formats a kind's IFLA_INFO_DATA / IFLA_INFO_SLAVE_DATA:
// each kind declares one table of (attribute, ip's JSON key, value format) in ip's order.
import type { AttrSet } from '../../core/index.js';

/** What a format may look at besides the value: the whole nest, and interface names by index. */
export interface IpJsonCtx {
  readonly data: AttrSet<any>;
  readonly names: ReadonlyMap<number, string>;
}

/** The JSON value ip prints for an attribute's value; undefined: ip prints nothing for it. */
export type IpJsonFormat = (v: any, ctx: IpJsonCtx) => unknown;

/**
 * One row: the attribute, ip's key, and the format (the value as decoded when absent).
 * The key '' merges an object of several keys (ip prints some attributes as two keys).
 */
export type IpJsonRow = readonly [attr: string, key: string, format?: IpJsonFormat];
export type IpJsonTable = readonly IpJsonRow[];

/** The nest as ip prints it, row by row. */
export function ipJsonOf(table: IpJsonTable, data: AttrSet<any>, names: ReadonlyMap<number, string>): object {
  const out: Record<string, unknown> = {};
  const ctx = { data, names };
  for (const [attr, key, format] of table) {
    const v = data.getAttr(attr as never) as unknown;
    if (v === undefined) continue;
    const j = format ? format(v, ctx) : v;
    if (j === undefined) continue;
    if (key === '') Object.assign(out, j);
    else out[key] = j;
  }
  return out;
}

// Formats ip uses across kinds.

/** print_bool / print_on_off of a u8: true or false. */
export const bool: IpJsonFormat = (v) => !!v;
/** Only when set: `"proxy": true`, nothing when 0. */
export const trueIfSet: IpJsonFormat = (v) => (v ? true : undefined);
/** Only when not zero. */
export const nonZero: IpJsonFormat = (v) => (v ? v : undefined);
/** print_0xhex: "0x2a", and "0" for zero (C's %#llx). */
export const hex0x = (v: number | bigint): string => (BigInt(v) === 0n ? '0' : `0x${v.toString(16)}`);
/** An interface index as ip prints it: the name (nothing for 0). */
export const interfaceName: IpJsonFormat = (v, { names }) => (v ? (names.get(v) ?? `if${v}`) : undefined);
/** A flag attribute ip prints as `true` by its presence. */
export const present: IpJsonFormat = () => true;
/** Lower-case name of an enum value decoded as its number, from a names table. */
export const nameOf =
  (table: Readonly<Record<number, string>>): IpJsonFormat =>
  (v) =>
    table[v] ?? v;

/**
 * A bridge timer (centiseconds) as ip writes it in JSON: seconds with two decimals,
 * printed bare, so a parser reads 184.78 (and 0.00 as 0).
 */
export const centiseconds: IpJsonFormat = (v) => {
  const n = BigInt(v);
  return Number(`${n / 100n}.${String(n % 100n).padStart(2, '0')}`);
};

/** struct ifla_bridge_id as ip writes it: "8000.2:0:0:0:0:10" (priority in hex, MAC bytes unpadded). */
export const bridgeIdText = (v: { prio: unknown; addr: string }): string => {
  const prio = Buffer.isBuffer(v.prio) ? v.prio.toString('hex') : String(v.prio).padStart(4, '0');
  const mac = v.addr
    .split(':')
    .map((b) => parseInt(b, 16).toString(16))
    .join(':');
  return `${prio}.${mac}`;
};

/** ll_proto_n2a's names of ethernet protocols (unknown ones as "[N]"). */
export const ETH_PROTO_TEXT: Readonly<Record<number, string>> = {
  0x0060: 'loop',
  0x0800: 'ip',
  0x0805: 'x25',
  0x0806: 'arp',
  0x8035: 'rarp',
  0x809b: 'atalk',
  0x80f3: 'aarp',
  0x8137: 'ipx',
  0x86dd: 'ipv6',
  0x0003: 'all',
  0x8100: '802.1Q',
  0x88a8: '802.1ad',
  0x8847: 'mpls_uc',
  0x8848: 'mpls_mc',
  0x6558: 'teb',
  0x88cc: 'LLDP',
  0x0001: '802_3',
  0x0004: '802_2',
  0x0005: 'snap',
  0x000c: 'can',
  0x0200: 'pup',
  0x0201: 'pupat',
  0x08ff: 'bpq',
  0x0a00: 'ieeepup',
  0x0a01: 'ieeepupat',
  0x6000: 'dec',
  0x6001: 'dna_dl',
  0x6002: 'dna_rc',
  0x6003: 'dna_rt',
  0x6004: 'lat',
  0x6005: 'diag',
  0x6006: 'cust',
  0x6007: 'sca',
  0x8863: 'ppp_disc',
  0x8864: 'ppp_ses',
  0x884c: 'atmmpoa',
  0x8884: 'atmfate',
  0x0002: 'ax25',
  0x0006: 'ddcmp',
  0x0007: 'wan_ppp',
  0x0008: 'ppp_mp',
  0x0009: 'localtalk',
  0x0010: 'ppptalk',
  0x0011: 'tr_802_2',
  0x0015: 'mobitex',
  0x0016: 'control',
  0x0017: 'irda',
  0x0018: 'econet',
  0x88ca: 'tipc',
  0x8892: 'profinet',
  0x88a2: 'aoe',
  0x88a4: 'ethercat',
};
/** An ethernet protocol (host order) as ip and tc name it. */
export const ethProtoText = (p: number): string => ETH_PROTO_TEXT[p] ?? `[${p}]`;
