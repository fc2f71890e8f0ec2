// One printer for tc's two outputs: each value is written once with its JSON key and its text
// form, so `tc -j` and plain `tc` shapes come from the same declaration in each kind's file.
import { getPsched, tick2time, TIME_UNITS_PER_SEC } from '../rate.js';

type Json = Record<string, unknown>;

/** A qdisc/class/filter/action being shown: its JSON object and its tc-style text. */
export class TcShow {
  readonly root: Json = {};
  private stack: (Json | unknown[])[] = [this.root];
  private out: string[] = [];
  /** `tc -s`: statistics wanted. */
  readonly stats: boolean;
  /** `tc -d`: details wanted. */
  readonly details: boolean;
  /** Interface names by index (mirred's target device). */
  readonly names: ReadonlyMap<number, string>;

  constructor(opts: { stats?: boolean; details?: boolean; names?: ReadonlyMap<number, string> } = {}) {
    this.stats = !!opts.stats;
    this.details = !!opts.details;
    this.names = opts.names ?? new Map();
  }

  private top(): Json | unknown[] {
    return this.stack[this.stack.length - 1];
  }

  /** A value in both outputs: `key` in JSON, `text` in the text (omit text: JSON only). */
  put(key: string | null, value: unknown, text?: string): this {
    const t = this.top();
    if (Array.isArray(t)) t.push(value);
    else if (key !== null) t[key] = value;
    if (text !== undefined) this.out.push(text);
    return this;
  }

  /** Text only. */
  text(s: string): this {
    this.out.push(s);
    return this;
  }

  /** Open a JSON object under `key` (null: an element of the open array). */
  open(key: string | null): this {
    const o: Json = {};
    const t = this.top();
    if (Array.isArray(t)) t.push(o);
    else if (key !== null) t[key] = o;
    this.stack.push(o);
    return this;
  }

  /** Open a JSON array under `key`. */
  openArray(key: string): this {
    const a: unknown[] = [];
    (this.top() as Json)[key] = a;
    this.stack.push(a);
    return this;
  }

  close(): this {
    this.stack.pop();
    return this;
  }

  /** The text written so far. */
  get textOut(): string {
    return this.out.join('');
  }
}

/** C's `%.{prec}g`: at most `prec` significant digits, no trailing zeros. */
export function fmtG(x: number, prec = 6): string {
  if (x === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(x)));
  if (exp < -4 || exp >= prec) {
    const [m, e] = x.toExponential(prec - 1).split('e');
    const mant = m.includes('.') ? m.replace(/\.?0+$/, '') : m;
    const n = Number(e);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const s = x.toFixed(Math.max(0, prec - 1 - exp));
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** A byte count as tc writes it: '20000b', '32Kb', '1Mb'. */
export function sizeText(sz: number): string {
  const kilo = 1024,
    mega = kilo * kilo;
  if (sz >= mega && Math.abs(mega * Math.round(sz / mega) - sz) < 1024) return `${fmtG(Math.round(sz / mega))}Mb`;
  if (sz >= kilo && Math.abs(kilo * Math.round(sz / kilo) - sz) < 16) return `${fmtG(Math.round(sz / kilo))}Kb`;
  return `${sz}b`;
}

/** A rate in bytes/s as tc writes it: '10Mbit', '1500Kbit' (SI units, exact divisions only). */
export function rateText(bytesPerSec: number | bigint): string {
  let rate = BigInt(bytesPerSec) * 8n;
  const units = ['', 'K', 'M', 'G', 'T'];
  let i = 0;
  for (; i < units.length - 1; i++) {
    if (rate < 1000n) break;
    if (rate % 1000n !== 0n && rate < 1000n * 1000n) break;
    rate /= 1000n;
  }
  return `${rate}${units[i]}bit`;
}

/** Microseconds as tc writes them: '400ms', '1.5s', '800us'. */
export function timeText(usec: number): string {
  if (usec >= TIME_UNITS_PER_SEC) return `${fmtG(usec / TIME_UNITS_PER_SEC, 3)}s`;
  if (usec >= TIME_UNITS_PER_SEC / 1000) return `${fmtG(usec / (TIME_UNITS_PER_SEC / 1000), 3)}ms`;
  return `${Math.trunc(usec)}us`;
}

/** Scheduler ticks as microseconds (as a double, like tc_core_tick2time before truncation). */
export function ticksToUsec(ticks: number): number {
  return ticks / getPsched().tickInUsec;
}
export { tick2time };

/** A class id as tc writes it: 'root', 'none', ':20', '1:', '1:20'. */
export function classidText(h: number): string {
  h >>>= 0;
  if (h === 0xffffffff) return 'root';
  if (h === 0) return 'none';
  const maj = h >>> 16,
    min = h & 0xffff;
  if (maj === 0) return `:${min.toString(16)}`;
  return min === 0 ? `${maj.toString(16)}:` : `${maj.toString(16)}:${min.toString(16)}`;
}

/** C's `%#x`: '0' for zero, else '0x...'. */
export const hex0x = (n: number | bigint): string => (BigInt(n) === 0n ? '0' : `0x${n.toString(16)}`);

/** Link layer names tc prints. */
export const LINKLAYER_TEXT: Readonly<Record<number, string>> = { 0: 'unspec', 1: 'ethernet', 2: 'atm' };

// Verdict bits that carry a chain or jump count in their low bits (TC_ACT_EXT_*).
const TC_ACT_EXT_OPCODE_MASK = 0xf0000000;
const TC_ACT_JUMP = 0x10000000;
const TC_ACT_GOTO_CHAIN = 0x20000000;
const TC_ACT_EXT_VAL_MASK = 0x0fffffff;
const VERDICT_TEXT: Readonly<Record<number, string>> = {
  [-1]: 'continue',
  0: 'pass',
  1: 'reclassify',
  2: 'drop',
  3: 'pipe',
  4: 'stolen',
  8: 'trap',
};

/** An action's verdict as tc shows it: `control_action: { type, chain? | jump? }`. */
export function showVerdict(p: TcShow, prefix: string, action: number, suffix: string): void {
  const ext = action & TC_ACT_EXT_OPCODE_MASK;
  const type =
    ext === TC_ACT_GOTO_CHAIN ? 'goto' : ext === TC_ACT_JUMP ? 'jump' : (VERDICT_TEXT[action] ?? String(action));
  p.text(prefix).open('control_action').put('type', type, type);
  if (ext === TC_ACT_GOTO_CHAIN) p.put('chain', action & TC_ACT_EXT_VAL_MASK, ` chain ${action & TC_ACT_EXT_VAL_MASK}`);
  if (ext === TC_ACT_JUMP) p.put('jump', action & TC_ACT_EXT_VAL_MASK, ` ${action & TC_ACT_EXT_VAL_MASK}`);
  p.close().text(suffix);
}

// The kernel reports action times in USER_HZ units, 100 on Linux.
const USER_HZ = 100;

/** An action's install/use times (struct tcf_t), shown with -s. */
export function showTimes(
  p: TcShow,
  tm: { install: bigint; lastuse: bigint; expires: bigint; firstuse: bigint } | undefined,
): void {
  if (!p.stats || !tm) return;
  const sec = (v: bigint): number => Number(BigInt.asUintN(32, v) / BigInt(USER_HZ));
  if (tm.install) p.put('installed', sec(tm.install), ` installed ${sec(tm.install)} sec`);
  if (tm.lastuse) p.put('last_used', sec(tm.lastuse), ` used ${sec(tm.lastuse)} sec`);
  if (tm.firstuse) p.put('first_used', sec(tm.firstuse), ` firstused ${sec(tm.firstuse)} sec`);
  if (tm.expires) p.put('expires', sec(tm.expires), ` expires ${sec(tm.expires)} sec`);
}

/** The `index N ref N bind N` line every classic action ends with (struct tc_gen). */
export function showActionGen(p: TcShow, gen: { index: number; refcnt: number; bindcnt: number }, indent = '\t'): void {
  p.text('\n')
    .put('index', gen.index, `${indent}index ${gen.index}`)
    .put('ref', gen.refcnt, ` ref ${gen.refcnt}`)
    .put('bind', gen.bindcnt, ` bind ${gen.bindcnt}`);
}

/** A filter's classifier flags (TCA_CLS_FLAGS_*) as tc shows them. */
export function showClsFlags(p: TcShow, flags: number, lead = '', trail = ' '): void {
  if (flags & 1) p.put('skip_hw', true, `${lead}skip_hw${trail}`);
  if (flags & 2) p.put('skip_sw', true, `${lead}skip_sw${trail}`);
  if (flags & 4) p.put('in_hw', true, `${lead}in_hw${trail}`);
  else if (flags & 8) p.put('not_in_hw', true, `${lead}not_in_hw${trail}`);
}
