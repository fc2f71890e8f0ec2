// u32 filter: matches 32-bit words of the packet at offsets (pkt_cls.h), with tc's 'match' syntax.
import {
  NetlinkDecodeError,
  NetlinkEncodeError,
  arrayOf,
  asciiz,
  attrMap,
  be16,
  be32,
  flagsOf,
  hex,
  pad,
  parseIPv4,
  parseIPv6,
  s16,
  s32,
  struct,
  u16,
  u32,
  u64,
  u8,
  nested,
  type AttrSet,
  type NlaType,
} from '../../core/index.js';
import { actionList, buildActions, showActions, type ActionSpec } from './action.js';
import { classidText, showClsFlags, type TcShow } from './show.js';
import { checkKeys, formatHandle, num, parseHandle, tcHandle, type TcKind, type TcSpec } from './common.js';

export const TC_U32_FLAGS = { TC_U32_TERMINAL: 1, TC_U32_OFFSET: 2, TC_U32_VAROFFSET: 4, TC_U32_EAT: 8 } as const;
export const TCA_CLS_FLAGS = {
  TCA_CLS_FLAGS_SKIP_HW: 1,
  TCA_CLS_FLAGS_SKIP_SW: 2,
  TCA_CLS_FLAGS_IN_HW: 4,
  TCA_CLS_FLAGS_NOT_IN_HW: 8,
  TCA_CLS_FLAGS_VERBOSE: 16,
} as const;

export const tcU32Key = struct('tc_u32_key', { mask: be32, val: be32, off: s32, offmask: s32 });
const selHead = struct('tc_u32_sel', {
  flags: flagsOf(u8, TC_U32_FLAGS),
  offshift: u8,
  nkeys: u8,
  __pad: pad(1),
  offmask: be16,
  off: u16,
  offoff: s16,
  hoff: s16,
  hmask: be32,
});
const keyArray = arrayOf(tcU32Key);

export interface U32Key {
  mask: number;
  val: number;
  off: number;
  offmask: number;
}
export interface U32Sel {
  flags?: number | string[];
  offshift?: number;
  offmask?: number;
  off?: number;
  offoff?: number;
  hoff?: number;
  hmask?: number;
  keys: U32Key[];
}

/** struct tc_u32_sel with its trailing keys; nkeys is filled in from the key list. */
export const tcU32Sel: NlaType<Record<string, unknown>, U32Sel> = {
  kind: 'struct tc_u32_sel',
  size: 0,
  nlaFlags: 0,
  decode(b, o, len, owner) {
    const head = selHead.decode(b, o, len, owner) as Record<string, unknown>;
    delete head._tail;
    const n = head.nkeys as number;
    if (16 + n * 16 > len)
      throw new NetlinkDecodeError(`tc_u32_sel says ${n} keys but has room for ${Math.floor((len - 16) / 16)}`, o);
    return { ...head, keys: keyArray.decode(b, o + 16, n * 16, owner) };
  },
  encode(w, v, ctx) {
    const { keys = [], ...head } = v ?? { keys: [] };
    if (keys.length > 128) throw new NetlinkEncodeError('u32 takes at most 128 keys', ctx.path);
    selHead.encode(w, { ...head, nkeys: keys.length } as never, ctx);
    keyArray.encode(w, keys as never, ctx);
  },
  pretty: (v) => ({
    ...(selHead.pretty(v as never) as object),
    keys: (v.keys as U32Key[]).map((k) => tcU32Key.pretty(k as never)),
  }),
};

export const tcU32Mark = struct('tc_u32_mark', { val: u32, mask: u32, success: u32 });
const tcU32Pcnt = struct('tc_u32_pcnt', { rcnt: u64, rhit: u64 }, { minSize: 16 });

export const u32Map = attrMap('tca_u32', {
  TCA_U32_CLASSID: [1, tcHandle],
  TCA_U32_HASH: [2, u32],
  TCA_U32_LINK: [3, u32],
  TCA_U32_DIVISOR: [4, u32],
  TCA_U32_SEL: [5, tcU32Sel],
  TCA_U32_POLICE: [6, hex],
  TCA_U32_ACT: [7, actionList],
  TCA_U32_INDEV: [8, asciiz],
  TCA_U32_PCNT: [9, tcU32Pcnt],
  TCA_U32_MARK: [10, tcU32Mark],
  TCA_U32_FLAGS: [11, flagsOf(u32, TCA_CLS_FLAGS)],
  TCA_U32_PAD: [12, pad(0)],
});

// ---- tc's selector construction ----------------------------------------------------------

/** Add a key the way tc's pack_key does: keys at the same offset merge, conflicts are errors. */
export function packKey(keys: U32Key[], key: number, mask: number, off: number, offmask = 0): void {
  key = (key & mask) >>> 0;
  for (const k of keys) {
    if (k.off === off && k.offmask === offmask) {
      if (((key ^ k.val) & mask & k.mask) >>> 0)
        throw new NetlinkEncodeError(`u32: match at offset ${off} conflicts with an earlier one`);
      k.val = (k.val | key) >>> 0;
      k.mask = (k.mask | mask) >>> 0;
      return;
    }
  }
  if (off % 4) throw new NetlinkEncodeError(`u32: offset ${off} is not a multiple of 4`);
  if (keys.length >= 128) throw new NetlinkEncodeError('u32: more than 128 keys');
  keys.push({ val: key, mask: mask >>> 0, off, offmask });
}

/** A value narrower than 32 bits at byte offset `off`, shifted into its word like tc's pack_key8/16. */
function packNarrow(keys: U32Key[], bits: 8 | 16, val: number, mask: number, off: number, offmask: number): void {
  const max = bits === 8 ? 0xff : 0xffff;
  if (val > max || mask > max) throw new NetlinkEncodeError(`u32: u${bits} value or mask too large`);
  const byte = ((off % 4) + 4) % 4;
  const shift = 8 * (4 - byte) - bits;
  if (shift < 0) throw new NetlinkEncodeError(`u32: u${bits} at offset ${off} crosses a word`);
  packKey(keys, (val * 2 ** shift) >>> 0, (mask * 2 ** shift) >>> 0, off - byte, offmask);
}

function int(s: string | undefined, what: string): number {
  if (s === undefined || !/^(0x[0-9a-f]+|\d+)$/i.test(s))
    throw new NetlinkEncodeError(`u32: ${what} must be a number, got ${JSON.stringify(s)}`);
  return Number(s);
}

function prefix(text: string | undefined, v6: boolean): { bytes: Uint8Array; len: number } {
  if (!text) throw new NetlinkEncodeError('u32: missing address');
  const [a, l] = text.split('/');
  const bytes = v6 ? parseIPv6(a) : parseIPv4(a);
  const max = v6 ? 128 : 32;
  const len = l === undefined ? max : Number(l);
  if (!bytes || !Number.isInteger(len) || len < 0 || len > max)
    throw new NetlinkEncodeError(`u32: bad address ${JSON.stringify(text)}`);
  return { bytes, len };
}

const IP_FIELDS: Readonly<Record<string, [bits: 8 | 16, off: number]>> = {
  tos: [8, 1],
  dsfield: [8, 1],
  protocol: [8, 9],
  ihl: [8, 0],
  sport: [16, 20],
  dport: [16, 22],
  icmp_type: [8, 20],
  icmp_code: [8, 21],
};
const IP6_FIELDS: Readonly<Record<string, [bits: 8 | 16, off: number]>> = {
  protocol: [8, 6],
  sport: [16, 40],
  dport: [16, 42],
  icmp_type: [8, 40],
  icmp_code: [8, 41],
};

/**
 * One tc 'match' clause into keys: 'ip dst 10.0.0.0/8', 'ip src 1.2.3.4', 'ip protocol 6 0xff',
 * 'ip sport 80 0xffff', 'ip6 dst 2001:db8::/32', 'u32 0x0a000001 0xffffffff at 16',
 * 'u16 0x0800 0xffff at 12', 'u8 6 0xff at 9' (add 'nexthdr+' before the offset for offmask).
 */
export function parseMatch(keys: U32Key[], text: string): void {
  const w = text.trim().split(/\s+/);
  const [sel, field] = w;
  if (sel === 'u32' || sel === 'u16' || sel === 'u8') {
    const val = int(w[1], 'value'),
      mask = int(w[2], 'mask');
    // As in tc, 'at OFFSET' may be left out: the word at offset 0.
    if (w[3] !== undefined && w[3] !== 'at') {
      throw new NetlinkEncodeError(`u32: expected 'at OFFSET' in ${JSON.stringify(text)}`);
    }
    let offText = w[3] === undefined ? '0' : (w[4] ?? '');
    let offmask = 0;
    if (offText.startsWith('nexthdr+')) {
      offText = offText.slice(8);
      offmask = -1;
    }
    const off = /^-?\d+$/.test(offText) ? Number(offText) : NaN;
    if (!Number.isInteger(off)) throw new NetlinkEncodeError(`u32: bad offset in ${JSON.stringify(text)}`);
    if (sel === 'u32') packKey(keys, val >>> 0, mask >>> 0, off, offmask);
    else packNarrow(keys, sel === 'u16' ? 16 : 8, val, mask, off, offmask);
    return;
  }
  if (sel === 'ip' || sel === 'ip6') {
    const v6 = sel === 'ip6';
    if (field === 'src' || field === 'dst') {
      const { bytes, len } = prefix(w[2], v6);
      const base = v6 ? (field === 'src' ? 8 : 24) : field === 'src' ? 12 : 16;
      for (let i = 0; i * 32 < (v6 ? 128 : 32); i++) {
        const bitsHere = Math.max(0, Math.min(32, len - i * 32));
        if (!bitsHere) {
          if (!v6) packKey(keys, 0, 0, base, 0); // tc keeps a /0 IPv4 match as an all-zero key
          break;
        }
        const mask = bitsHere === 32 ? 0xffffffff : (0xffffffff << (32 - bitsHere)) >>> 0;
        const word =
          ((bytes[i * 4] << 24) | (bytes[i * 4 + 1] << 16) | (bytes[i * 4 + 2] << 8) | bytes[i * 4 + 3]) >>> 0;
        packKey(keys, word, mask, base + i * 4, 0);
      }
      return;
    }
    const f = (v6 ? IP6_FIELDS : IP_FIELDS)[field];
    if (f) {
      const val = int(w[2], 'value');
      const mask = w[3] === undefined ? (f[0] === 8 ? 0xff : 0xffff) : int(w[3], 'mask');
      packNarrow(keys, f[0], val, mask, f[1], 0);
      return;
    }
  }
  throw new NetlinkEncodeError(
    `u32: cannot parse match ${JSON.stringify(text)} (e.g. 'ip dst 10.0.0.0/8', 'u32 VAL MASK at OFF')`,
  );
}

/** pyroute2's key form '0x0a000000/0xff000000+16' (value/mask+offset, offset a multiple of 4). */
function parseKeyText(keys: U32Key[], text: string): void {
  const m = /^\s*(0x[0-9a-f]+|\d+)\/(0x[0-9a-f]+|\d+)([+-]\d+)(?:\s+nexthdr)?\s*$/i.exec(text);
  if (!m) throw new NetlinkEncodeError(`u32: bad key ${JSON.stringify(text)} (VALUE/MASK+OFFSET)`);
  packKey(keys, Number(m[1]) >>> 0, Number(m[2]) >>> 0, Number(m[3]), /nexthdr/.test(text) ? -1 : 0);
}

/** A key as parseKeyText reads it back: '0x0a000000/0xff000000+16'. */
function keyText(k: U32Key): string {
  const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
  return `${hex(k.val)}/${hex(k.mask)}${k.off < 0 ? '' : '+'}${k.off}${k.offmask ? ' nexthdr' : ''}`;
}

const KEYS = [
  'match',
  'keys',
  'classid',
  'flowid',
  'target',
  'action',
  'divisor',
  'link',
  'hash',
  'ht',
  'indev',
  'flags',
  'skipHw',
  'skipSw',
];

/**
 * `{ match: 'ip dst 10.0.0.0/8' | [...], keys?: ['0x0a000000/0xff000000+16'], classid?: '1:10',
 * action?: 'drop' | {kind: 'mirred', ...} | [...], divisor?, link?, hash?, indev?, skipHw?, skipSw? }`.
 */
export const u32Filter: TcKind = {
  kind: 'u32',
  options: nested(u32Map),
  keys: { filter: KEYS },
  aliases: { skip_hw: 'skipHw', skip_sw: 'skipSw' },
  show: (p: TcShow, o: AttrSet<typeof u32Map.decl>, _t, handle: number) => showU32(p, o, handle),
  read(o: AttrSet<typeof u32Map.decl>) {
    const out: Record<string, unknown> = {};
    const sel = o.getAttr('TCA_U32_SEL') as { keys: U32Key[] } | undefined;
    // Keys in the 'VALUE/MASK+OFFSET' text the spec takes: tc's 'match' words do not survive packing.
    if (sel?.keys.length) out.keys = sel.keys.map((k) => keyText(k));
    const classid = o.getAttr('TCA_U32_CLASSID');
    if (classid !== undefined) out.classid = formatHandle(classid);
    const divisor = o.getAttr('TCA_U32_DIVISOR');
    if (divisor !== undefined) out.divisor = divisor;
    const link = o.getAttr('TCA_U32_LINK');
    if (link !== undefined) out.link = formatHandle(link);
    const indev = o.getAttr('TCA_U32_INDEV');
    if (indev !== undefined) out.indev = indev;
    const flags = o.getAttr('TCA_U32_FLAGS') ?? 0;
    if (flags & TCA_CLS_FLAGS.TCA_CLS_FLAGS_SKIP_HW) out.skipHw = true;
    if (flags & TCA_CLS_FLAGS.TCA_CLS_FLAGS_SKIP_SW) out.skipSw = true;
    return out;
  },
  filter(spec: TcSpec) {
    checkKeys('u32', spec, KEYS);
    const keys: U32Key[] = [];
    const matches = spec.match === undefined ? [] : Array.isArray(spec.match) ? spec.match : [spec.match];
    for (const m of matches) parseMatch(keys, String(m));
    for (const k of (spec.keys as unknown[] | undefined) ?? []) {
      if (typeof k === 'string') parseKeyText(keys, k);
      else {
        const o = k as Partial<U32Key>;
        packKey(keys, (o.val ?? 0) >>> 0, (o.mask ?? 0) >>> 0, o.off ?? 0, o.offmask ?? 0);
      }
    }
    const attrs: [string, unknown][] = [];
    const classid = spec.classid ?? spec.flowid ?? spec.target;
    let terminal = false;
    if (classid !== undefined) {
      attrs.push(['TCA_U32_CLASSID', parseHandle(classid as string | number, 'classid')]);
      terminal = true;
    }
    if (spec.action !== undefined) {
      attrs.push(['TCA_U32_ACT', buildActions(spec.action as ActionSpec)]);
      terminal = true;
    }
    const divisor = num(spec, 'divisor');
    if (divisor !== undefined) attrs.push(['TCA_U32_DIVISOR', divisor]);
    if (spec.link !== undefined) attrs.push(['TCA_U32_LINK', parseHandle(spec.link as string | number, 'link')]);
    if (spec.indev !== undefined) attrs.push(['TCA_U32_INDEV', String(spec.indev)]);
    const ht = spec.hash ?? spec.ht;
    if (ht !== undefined) attrs.push(['TCA_U32_HASH', parseHandle(ht as string | number, 'hash table')]);
    if (matches.length || keys.length) attrs.push(['TCA_U32_SEL', { flags: terminal ? 1 : 0, keys }]);
    const flags = (num(spec, 'flags') ?? 0) | (spec.skipHw ? 1 : 0) | (spec.skipSw ? 2 : 0);
    if (flags) attrs.push(['TCA_U32_FLAGS', flags]);
    return attrs;
  },
};

/** A u32 handle as tc writes it: 'htid:hash:node' in hex, empty parts left out ('800::800'). */
export function u32HandleText(h: number): string {
  if (!h) return 'none';
  const htid = h >>> 20,
    hash = (h >>> 12) & 0xff,
    node = h & 0xfff;
  let s = htid ? `${htid.toString(16)}:` : '';
  if (hash) s += hash.toString(16);
  if (node) s += `:${node.toString(16)}`;
  return s;
}

const hex32 = (n: number): string => (n >>> 0).toString(16);

/** tc's view of a u32 node or hash table: handle, where it sits, its keys (raw, as `tc` without -p). */
function showU32(p: TcShow, o: AttrSet<typeof u32Map.decl>, handle: number): void {
  if (handle) p.put('fh', u32HandleText(handle), `fh ${u32HandleText(handle)} `);
  if (handle & 0xfff) p.put('order', handle & 0xfff, `order ${handle & 0xfff} `);
  const sel = o.getAttr('TCA_U32_SEL') as (Required<Omit<U32Sel, 'flags'>> & { flags: number }) | undefined;
  const divisor = o.getAttr('TCA_U32_DIVISOR');
  const hash = o.getAttr('TCA_U32_HASH');
  if (divisor !== undefined) p.put('ht_divisor', divisor, `ht divisor ${divisor} `);
  else if (hash !== undefined) {
    p.put('key_ht', hex32((hash >>> 20) & 0xfff), `key ht ${hex32((hash >>> 20) & 0xfff)} `);
    p.put('bkt', hex32((hash >>> 12) & 0xff), `bkt ${hex32((hash >>> 12) & 0xff)} `);
  }
  const terminal = !!sel && (sel.flags & TC_U32_FLAGS.TC_U32_TERMINAL) !== 0;
  const classid = o.getAttr('TCA_U32_CLASSID');
  if (classid !== undefined) {
    if (terminal) p.text('*');
    p.put('flowid', classidText(classid), `flowid ${classidText(classid)} `);
  } else if (terminal) p.text('terminal flowid ');
  const link = o.getAttr('TCA_U32_LINK');
  if (link !== undefined) p.put('link', u32HandleText(link), `link ${u32HandleText(link)} `);
  const flags = o.getAttr('TCA_U32_FLAGS');
  if (flags !== undefined) showClsFlags(p, flags);
  const pcnt = o.getAttr('TCA_U32_PCNT') as { rcnt: bigint; rhit: bigint } | undefined;
  if (sel && p.stats && pcnt) {
    p.put('rule_hit', Number(pcnt.rcnt), `(rule hit ${pcnt.rcnt} `).put(
      'success',
      Number(pcnt.rhit),
      `success ${pcnt.rhit})`,
    );
  }
  const mark = o.getAttr('TCA_U32_MARK');
  if (mark) {
    const h4 = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;
    p.text('\n').put('fwmark_value', `0x${mark.val.toString(16)}`, `  mark ${h4(mark.val)} `);
    p.put('fwmark_mask', `0x${mark.mask.toString(16)}`, `${h4(mark.mask)} `);
    p.put('fwmark_success', mark.success, `(success ${mark.success})`);
  }
  if (sel) showU32Sel(p, sel);
  if (o.getAttr('TCA_U32_POLICE')) p.text('\n');
  const indev = o.getAttr('TCA_U32_INDEV');
  if (indev !== undefined) p.text('\n').put('input_dev', indev, `  input dev ${indev}`).text('\n');
  showActions(p, o.getAttr('TCA_U32_ACT'));
}

/**
 * The keys and offsets of a selector. Each key is a `match` object, so with several keys
 * the JSON object holds the last one, as a parser reads tc's repeated key.
 */
function showU32Sel(p: TcShow, sel: Required<Omit<U32Sel, 'flags'>> & { flags: number }): void {
  for (const k of sel.keys) {
    p.open('match')
      .text('\n')
      .put('value', hex32(k.val), `  match ${hex32(k.val).padStart(8, '0')}`);
    p.put('mask', hex32(k.mask), `/${hex32(k.mask).padStart(8, '0')} `);
    p.put('offmask', k.offmask ? 'nexthdr+' : '', `at ${k.offmask ? 'nexthdr+' : ''}`).put('off', k.off, `${k.off}`);
    p.close();
  }
  if (sel.flags & (TC_U32_FLAGS.TC_U32_VAROFFSET | TC_U32_FLAGS.TC_U32_OFFSET)) {
    p.text('\n    offset ');
    if (sel.flags & TC_U32_FLAGS.TC_U32_VAROFFSET) {
      p.put('offset_mask', hex32(sel.offmask), sel.offmask.toString(16).padStart(4, '0'));
      p.put('offset_shift', sel.offshift, `>>${sel.offshift} `).put('offset_off', sel.offoff, `at ${sel.offoff} `);
    }
    if (sel.off) p.put('plus', sel.off, `plus ${sel.off} `);
  }
  if (sel.flags & TC_U32_FLAGS.TC_U32_EAT) p.text(' eat ');
  if (sel.hmask) {
    p.text('\n').put('hash_mask', hex32(sel.hmask), `    hash mask ${hex32(sel.hmask).padStart(8, '0')} `);
    p.put('hash_off', sel.hoff, `at ${sel.hoff} `);
  }
}
