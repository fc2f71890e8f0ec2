// Shared pieces of traffic control: handles, ratespecs, verdicts, protocols, kind contracts.
import {
  AttrSet,
  NetlinkEncodeError,
  encodeAttrs,
  enumOf,
  s16,
  s32,
  struct,
  u16,
  u32,
  u64,
  u8,
  type AttrInput,
  type AttrMap,
  type NlaType,
  type StructType,
} from '../../core/index.js';
import { unknownKey } from '../../core/strict.js';
import type { TcShow } from './show.js';

export const TC_H_ROOT = 0xffffffff;
export const TC_H_INGRESS = 0xfffffff1;
export const TC_H_CLSACT = TC_H_INGRESS;
export const TC_H_UNSPEC = 0;
export const TC_H_MIN_INGRESS = 0xfff2;
export const TC_H_MIN_EGRESS = 0xfff3;

/** The handle `maj:min` (both u16). */
export const tcMake = (maj: number, min: number): number => (((maj & 0xffff) << 16) | (min & 0xffff)) >>> 0;

/** tc's text for a handle: '1:', '1:10', 'root', 'ingress', 'none'. */
export function formatHandle(h: number): string {
  h >>>= 0;
  if (h === TC_H_ROOT) return 'root';
  if (h === TC_H_INGRESS) return 'ingress';
  if (h === 0) return 'none';
  const maj = h >>> 16,
    min = h & 0xffff;
  return `${maj.toString(16)}:${min ? min.toString(16) : ''}`;
}

/**
 * A handle from tc's text ('1:', '1:10', ':20', 'ffff:', 'root', 'ingress', 'clsact',
 * 'egress', 'none') or a number. Major and minor are hex, as in tc.
 */
export function parseHandle(v: string | number | undefined, what = 'handle'): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new NetlinkEncodeError(`${what} ${v} out of range`);
    return v >>> 0;
  }
  const s = v.trim().toLowerCase();
  if (s === 'root') return TC_H_ROOT;
  if (s === 'ingress' || s === 'clsact') return TC_H_INGRESS;
  if (s === 'none' || s === '') return 0;
  const m = /^([0-9a-f]{0,4}):([0-9a-f]{0,4})$/.exec(s);
  if (m) return tcMake(m[1] ? parseInt(m[1], 16) : 0, m[2] ? parseInt(m[2], 16) : 0);
  if (/^(0x)?[0-9a-f]{1,8}$/.test(s)) return parseInt(s, 16) >>> 0;
  throw new NetlinkEncodeError(`bad ${what} ${JSON.stringify(v)} (e.g. '1:', '1:10', 'root', 'ingress')`);
}

/** A u32 handle field: decodes to the number, prints like tc, encodes numbers or tc's text. */
export const tcHandle: NlaType<number, number | string> = {
  kind: 'tc_handle',
  size: 4,
  nlaFlags: 0,
  decode: (b, o, len, owner) => u32.decode(b, o, len, owner),
  encode(w, v, ctx) {
    let n: number;
    try {
      n = parseHandle(v);
    } catch (e) {
      throw new NetlinkEncodeError((e as Error).message, ctx.path);
    }
    u32.encode(w, n, ctx);
  },
  pretty: (v) => formatHandle(v),
};

/** struct tc_ratespec. */
export const tcRatespec = struct('tc_ratespec', {
  cell_log: u8,
  linklayer: u8,
  overhead: u16,
  cell_align: s16,
  mpu: u16,
  rate: u32,
});

/** struct tcf_t: install/use times of an action, in jiffies. */
export const tcfT = struct('tcf_t', { install: u64, lastuse: u64, expires: u64, firstuse: u64 });

/** Action verdicts (TC_ACT_*). */
export const TC_ACT = {
  TC_ACT_UNSPEC: -1,
  TC_ACT_OK: 0,
  TC_ACT_RECLASSIFY: 1,
  TC_ACT_SHOT: 2,
  TC_ACT_PIPE: 3,
  TC_ACT_STOLEN: 4,
  TC_ACT_QUEUED: 5,
  TC_ACT_REPEAT: 6,
  TC_ACT_REDIRECT: 7,
  TC_ACT_TRAP: 8,
} as const;
export const TC_ACT_JUMP = 0x10000000;
export const TC_ACT_GOTO_CHAIN = 0x20000000;
export const tcVerdict = enumOf(s32, TC_ACT);

/** A verdict from tc's words ('ok', 'pass', 'drop', 'continue', 'pipe', 'goto chain 3', 'jump 2') or a number. */
export function parseVerdict(v: string | number): number {
  if (typeof v === 'number') return v;
  const s = v.trim().toLowerCase();
  const words: Record<string, number> = {
    continue: -1,
    ok: 0,
    pass: 0,
    reclassify: 1,
    drop: 2,
    shot: 2,
    pipe: 3,
    stolen: 4,
    queued: 5,
    repeat: 6,
    redirect: 7,
    trap: 8,
  };
  if (s in words) return words[s];
  const up = v.trim().toUpperCase();
  if (up in TC_ACT) return TC_ACT[up as keyof typeof TC_ACT];
  let m = /^goto\s+chain\s+(\d+)$/.exec(s);
  if (m) return TC_ACT_GOTO_CHAIN | Number(m[1]);
  m = /^jump\s+(\d+)$/.exec(s);
  if (m) return TC_ACT_JUMP | Number(m[1]);
  throw new NetlinkEncodeError(
    `unknown action verdict ${JSON.stringify(v)} (ok, drop, pipe, continue, reclassify, goto chain N, jump N)`,
  );
}

/** struct tc_gen, the head of every classic action's parameters. */
export const tcGen = { index: u32, capab: u32, action: tcVerdict, refcnt: s32, bindcnt: s32 } as const;

/** Ethernet protocols by tc's names (filters' tcm_info low half). */
export const ETH_P: Readonly<Record<string, number>> = {
  all: 0x0003,
  ip: 0x0800,
  arp: 0x0806,
  ipv6: 0x86dd,
  '802.1q': 0x8100,
  '802.1ad': 0x88a8,
  mpls_uc: 0x8847,
  mpls_mc: 0x8848,
  rarp: 0x8035,
  lldp: 0x88cc,
  ieee802154: 0x00f6,
  loop: 0x0060,
};

/** A protocol number from a name ('ip', 'all', 'ipv6', ...) or a number. */
export function parseProtocol(v: string | number | undefined): number {
  if (v === undefined) return ETH_P.all;
  if (typeof v === 'number') return v;
  const p = ETH_P[v.toLowerCase()];
  if (p !== undefined) return p;
  if (/^(0x)?[0-9a-f]+$/i.test(v)) return parseInt(v, 16);
  throw new NetlinkEncodeError(`unknown protocol ${JSON.stringify(v)} (${Object.keys(ETH_P).join(', ')})`);
}

const htons = (p: number): number => ((p & 0xff) << 8) | ((p >> 8) & 0xff);

/** tcm_info of a filter: priority in the upper half, the protocol in network order below. */
export function filterInfo(prio: number, protocol: number): number {
  return (((prio & 0xffff) << 16) | htons(protocol)) >>> 0;
}

/** Priority and protocol number of a filter's tcm_info. */
export function splitFilterInfo(info: number): { prio: number; protocol: number } {
  return { prio: info >>> 16, protocol: htons(info & 0xffff) };
}

/** Name of an ethernet protocol number, or its hex. */
export function protocolName(p: number): string {
  for (const [k, v] of Object.entries(ETH_P)) if (v === p) return k;
  return `0x${p.toString(16).padStart(4, '0')}`;
}

/** What a tc object is. */
export type TcTarget = 'qdisc' | 'class' | 'filter';

/** A user's spec for one object: options by name. */
export type TcSpec = Readonly<Record<string, unknown>>;

/** What a qdisc, class or filter kind contributes to the schemas and to the API. */
export interface TcKind {
  readonly kind: string;
  /** Type of TCA_OPTIONS for this kind. */
  readonly options: NlaType<any, any>;
  /** Type of TCA_XSTATS (and TCA_STATS_APP) for this kind. */
  readonly xstats?: NlaType<any, any>;
  /**
   * The options each object of this kind takes (the spec's camelCase names), declared once:
   * tc() refuses any other key before anything is sent.
   */
  readonly keys?: {
    readonly qdisc?: readonly string[];
    readonly class?: readonly string[];
    readonly filter?: readonly string[];
  };
  /** Other accepted names of options (tc's and pyroute2's snake_case): alias -> key. */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Header defaults of a qdisc of this kind (ingress and clsact sit at a fixed place). */
  readonly qdiscAt?: { parent: number; handle: number };
  /**
   * The decoded TCA_OPTIONS of a kernel message in the spec's names, so that a record read
   * back can be fed to tc() again. Absent: the record carries no options.
   */
  read?(options: any, target: TcTarget): Record<string, unknown>;
  /** TCA_OPTIONS value for a qdisc spec; undefined sends no TCA_OPTIONS. */
  qdisc?(spec: TcSpec): unknown;
  /** TCA_OPTIONS value for a class spec. */
  class?(spec: TcSpec): unknown;
  /** TCA_OPTIONS value for a filter spec. */
  filter?(spec: TcSpec): unknown;
  /** A filter handle derived from the options when none is given (route: from the realms). */
  filterHandle?(spec: TcSpec): number | undefined;
  /** The filter matches on the ethertype itself (flower): its spec also gets the filter's `protocol`. */
  readonly keysProtocol?: boolean;
  /** Write the decoded TCA_OPTIONS as tc shows them (JSON keys and text); `handle` is a filter's. */
  show?(p: TcShow, options: any, target: TcTarget, handle: number): void;
  /** Write the decoded TCA_XSTATS (or TCA_STATS_APP) as `tc -s` shows them. */
  showXstats?(p: TcShow, xstats: any, target: TcTarget): void;
}

/** What an action kind contributes (the TCA_ACT_OPTIONS of a filter's action list). */
export interface TcActionKind {
  readonly kind: string;
  readonly options: NlaType<any, any>;
  /** TCA_ACT_OPTIONS value for an action spec. */
  build(spec: TcSpec): unknown;
  /** Write the decoded TCA_ACT_OPTIONS as tc shows them (the kind's name first). */
  show?(p: TcShow, options: any): void;
}

/** A spec value as a number, or a typed error naming the option. */
export function num(spec: TcSpec, key: string): number | undefined {
  const v = spec[key];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && /^(0x[0-9a-f]+|\d+)$/i.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw new NetlinkEncodeError(`option ${key} must be an unsigned integer, got ${JSON.stringify(v)}`);
  }
  return n;
}

/** Reject options a kind does not know, so typos do not pass silently (SpecError, with a did-you-mean). */
export function checkKeys(kind: string, spec: TcSpec, known: readonly string[]): void {
  for (const k of Object.keys(spec)) {
    if (spec[k] !== undefined && !known.includes(k)) throw unknownKey(kind, k, known);
  }
}

/** A probability as the kernel stores it (fraction of 2^32 - 1) from tc's '1%', '0.5%' or a fraction. */
export function percent(v: unknown, what: string): number {
  const s = typeof v === 'number' ? `${v * 100}%` : String(v).trim();
  const m = /^(\d+(?:\.\d+)?)%?$/.exec(s);
  const p = m ? Number(m[1]) : NaN;
  if (!m || p > 100)
    throw new NetlinkEncodeError(`${what}: expected a percentage like '1%' or '0.25%', got ${JSON.stringify(v)}`);
  return Math.round((p / 100) * 0xffffffff) >>> 0;
}

/** Options made of a fixed struct followed by attributes (netem): decoded as `{ ...struct, attrs }`. */
export function structThenAttrs<M extends AttrMap<any>>(
  head: StructType<any>,
  map: M,
): NlaType<Record<string, unknown>, unknown> {
  const at = (head.size + 3) & ~3;
  return {
    kind: `${head.kind} + ${map.name}`,
    size: 0,
    nlaFlags: 0,
    decode(b, o, len, owner) {
      const v: Record<string, unknown> = head.decode(b, o, Math.min(len, head.size), owner) as Record<string, unknown>;
      v.attrs = new AttrSet(b, o + Math.min(at, len), o + len, map, owner);
      return v;
    },
    encode(w, v, ctx) {
      const { attrs, ...fields } = v as { attrs?: AttrInput<any> };
      head.encode(w, fields, ctx);
      w.pad4();
      if (attrs) encodeAttrs(w, map, attrs, ctx.family, ctx.path);
    },
    pretty: (v) => ({ ...(head.pretty(v as any) as object), attrs: (v.attrs as AttrSet<any>).attrsJSON() }),
  };
}

/** TCA_CLS_FLAGS_* of a filter spec's skip_hw / skip_sw. */
export const TCA_CLS_FLAGS = { TCA_CLS_FLAGS_SKIP_HW: 1, TCA_CLS_FLAGS_SKIP_SW: 2 } as const;
export function classFlags(spec: TcSpec): number {
  return (
    (spec.skip_hw ? TCA_CLS_FLAGS.TCA_CLS_FLAGS_SKIP_HW : 0) | (spec.skip_sw ? TCA_CLS_FLAGS.TCA_CLS_FLAGS_SKIP_SW : 0)
  );
}
