// tc's units and its rate-table arithmetic: '10mbit', '15k/8', '50ms', and the 256-slot
// transmit-time tables (RTAB/CTAB/PTAB) htb and tbf still send, computed the way tc does
// so a request is byte-identical to tc's for the same arguments.
import { readFileSync } from 'node:fs';
import { NetlinkEncodeError } from '../core/index.js';

/** Microseconds per second: tc's time unit. */
export const TIME_UNITS_PER_SEC = 1_000_000;

/** tc_ratespec.linklayer values. */
export const TC_LINKLAYER = { unaware: 0, ethernet: 1, atm: 2 } as const;
export type LinkLayer = keyof typeof TC_LINKLAYER;

// Rate suffixes in bits per second; matched case-insensitively like tc.
const RATE_UNITS: readonly [string, number][] = [
  ['bit', 1],
  ['kibit', 1024],
  ['kbit', 1000],
  ['mibit', 1024 ** 2],
  ['mbit', 1e6],
  ['gibit', 1024 ** 3],
  ['gbit', 1e9],
  ['tibit', 1024 ** 4],
  ['tbit', 1e12],
  ['bps', 8],
  ['kibps', 8 * 1024],
  ['kbps', 8000],
  ['mibps', 8 * 1024 ** 2],
  ['mbps', 8e6],
  ['gibps', 8 * 1024 ** 3],
  ['gbps', 8e9],
  ['tibps', 8 * 1024 ** 4],
  ['tbps', 8e12],
];

// Size suffixes in bytes (tc's get_size: k/m/g are binary; kbit..gbit are bits).
const SIZE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  kbit: 1024 / 8,
  mbit: (1024 * 1024) / 8,
  gbit: (1024 * 1024 * 1024) / 8,
};

const TIME_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  s: 1e6,
  sec: 1e6,
  secs: 1e6,
  ms: 1e3,
  msec: 1e3,
  msecs: 1e3,
  us: 1,
  usec: 1,
  usecs: 1,
};

/** C's strtod prefix: the number and the rest of the text, or undefined if there is no number. */
function splitNumber(text: string): [number, string] | undefined {
  const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(.*)$/.exec(text);
  if (!m) return undefined;
  return [Number(m[1]), m[2]];
}

/** Truncate a double to an unsigned 32-bit value the way a C cast does on x86-64. */
export function toU32(x: number): number {
  if (!Number.isFinite(x)) return 0;
  return Number(BigInt.asUintN(32, BigInt(Math.trunc(x))));
}

/**
 * A rate in bytes per second: '10mbit', '1gbit', '100kbps', '1.5Mibit' (a bare number is
 * bits per second, as in tc). Numbers and bigints are taken as bytes per second already.
 */
export function parseRate(v: string | number | bigint): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0) throw new NetlinkEncodeError(`bad rate ${v}`);
    return Math.trunc(v);
  }
  const n = splitNumber(v);
  if (!n || n[0] < 0) throw new NetlinkEncodeError(`bad rate ${JSON.stringify(v)} (e.g. '10mbit', '100kbps')`);
  let [bps, unit] = n;
  unit = unit.trim().toLowerCase();
  if (unit) {
    const u = RATE_UNITS.find(([name]) => name === unit);
    if (!u) throw new NetlinkEncodeError(`unknown rate unit ${JSON.stringify(unit)} in ${JSON.stringify(v)}`);
    bps *= u[1];
  }
  return Math.trunc(bps / 8);
}

/** A size in bytes: '1540', '15k', '1mb', '64kbit'. Numbers are bytes. */
export function parseSize(v: string | number): number {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new NetlinkEncodeError(`bad size ${v}`);
    return v;
  }
  const n = splitNumber(v);
  const scale = n ? SIZE_UNITS[n[1].trim().toLowerCase()] : undefined;
  if (!n || scale === undefined || n[0] < 0)
    throw new NetlinkEncodeError(`bad size ${JSON.stringify(v)} (e.g. '1540', '15k', '1mb')`);
  return toU32(n[0] * scale);
}

/** tc's 'SIZE[/CELL]' form (burst 15k/8): the size and log2 of the cell, if one is given. */
export function parseSizeAndCell(v: string | number): { size: number; cellLog?: number } {
  if (typeof v === 'number' || !v.includes('/')) return { size: parseSize(v) };
  const [s, c] = v.split('/', 2);
  const cell = Number(c);
  const cellLog = Number.isInteger(cell) && cell > 0 ? Math.log2(cell) : NaN;
  if (!Number.isInteger(cellLog)) throw new NetlinkEncodeError(`cell size ${JSON.stringify(c)} is not a power of two`);
  return { size: parseSize(s), cellLog };
}

/** A time in microseconds: '50ms', '1s', '400us' (a bare number is microseconds, as in tc). */
export function parseTime(v: string | number): number {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0) throw new NetlinkEncodeError(`bad time ${v}`);
    return toU32(v);
  }
  const n = splitNumber(v);
  const scale = n ? TIME_UNITS[n[1].trim().toLowerCase()] : undefined;
  if (!n || scale === undefined || n[0] < 0)
    throw new NetlinkEncodeError(`bad time ${JSON.stringify(v)} (e.g. '50ms', '1s', '400us')`);
  return toU32(n[0] * scale);
}

/** The kernel's packet-scheduler clock, from /proc/net/psched (what tc_core_init reads). */
export interface Psched {
  tickInUsec: number;
  clockFactor: number;
  /** What tc's get_hz() returns: the timer frequency used for default bursts. */
  hz: number;
}

let psched: Psched | undefined;

/** Parse the four hex words of /proc/net/psched. */
export function parsePsched(text: string): Psched {
  const w = text
    .trim()
    .split(/\s+/)
    .map((x) => parseInt(x, 16));
  if (w.length < 3 || w.some((x) => !Number.isFinite(x))) return { tickInUsec: 1, clockFactor: 1, hz: 100 };
  let [t2us] = w;
  const [, us2t, clockRes, nsHz] = w;
  if (clockRes === 1_000_000_000) t2us = us2t;
  const clockFactor = clockRes / TIME_UNITS_PER_SEC;
  return { tickInUsec: (t2us / us2t) * clockFactor, clockFactor, hz: clockRes === 1_000_000 && nsHz ? nsHz : 100 };
}

/** The scheduler clock of this kernel (read once; the clock does not change while running). */
export function getPsched(): Psched {
  if (!psched) {
    let text = '';
    try {
      text = readFileSync('/proc/net/psched', 'utf8');
    } catch {
      /* not Linux: tc's defaults */
    }
    psched = parsePsched(text);
  }
  return psched;
}

/** Microseconds to scheduler ticks (tc_core_time2tick). */
export function time2tick(usec: number): number {
  return toU32(toU32(usec) * getPsched().tickInUsec);
}

/** Scheduler ticks to microseconds. */
export function tick2time(ticks: number): number {
  return toU32(toU32(ticks) / getPsched().tickInUsec);
}

/** Ticks to send `size` bytes at `rate` bytes/s (tc_calc_xmittime). */
export function xmittime(rate: number, size: number): number {
  return time2tick(toU32(TIME_UNITS_PER_SEC * (size / rate)));
}

/** Bytes sent in `ticks` at `rate` bytes/s (tc_calc_xmitsize). */
export function xmitsize(rate: number, ticks: number): number {
  return toU32((rate * tick2time(ticks)) / TIME_UNITS_PER_SEC);
}

/** Bytes on the wire for an ATM link: whole 53-byte cells of 48 payload bytes. */
function alignToAtm(size: number): number {
  return Math.ceil(size / 48) * 53;
}

/** A tc_ratespec as the schemas take it. */
export interface RateSpec {
  cell_log: number;
  linklayer: number;
  overhead: number;
  cell_align: number;
  mpu: number;
  rate: number;
}

/**
 * tc_calc_rtable: the 256 transmit times of packet sizes (i+1) << cell_log, and the
 * ratespec that describes the table. `cellLog` < 0 picks the smallest that covers `mtu`.
 */
export function rateTable(
  rate: number,
  opts: { cellLog?: number; mtu?: number; mpu?: number; overhead?: number; linklayer?: LinkLayer } = {},
): { spec: RateSpec; table: Buffer } {
  const mtu = opts.mtu || 2047;
  const mpu = opts.mpu ?? 0;
  const ll = TC_LINKLAYER[opts.linklayer ?? 'ethernet'];
  if (ll === undefined) throw new NetlinkEncodeError(`unknown link layer ${String(opts.linklayer)} (ethernet or atm)`);
  let cellLog = opts.cellLog ?? -1;
  if (cellLog < 0) {
    cellLog = 0;
    while (mtu >>> cellLog > 255) cellLog++;
  }
  const rate32 = rate >= 2 ** 32 ? 0xffffffff : rate;
  const table = Buffer.alloc(1024);
  for (let i = 0; i < 256; i++) {
    let sz = toU32((i + 1) * 2 ** cellLog);
    if (sz < mpu) sz = mpu;
    if (ll === TC_LINKLAYER.atm) sz = alignToAtm(sz);
    table.writeUInt32LE(xmittime(rate32, sz), i * 4);
  }
  return {
    spec: { cell_log: cellLog, linklayer: ll & 0x0f, overhead: opts.overhead ?? 0, cell_align: -1, mpu, rate: rate32 },
    table,
  };
}

/** '10Mbit' style text for a rate in bytes/s (tc's sprint_rate, SI units). */
export function formatRate(bytesPerSec: number | bigint): string {
  const bits = Number(bytesPerSec) * 8;
  for (const [unit, scale] of [
    ['Tbit', 1e12],
    ['Gbit', 1e9],
    ['Mbit', 1e6],
    ['Kbit', 1e3],
  ] as const) {
    if (bits >= scale) return `${+(bits / scale).toFixed(3)}${unit}`;
  }
  return `${bits}bit`;
}
