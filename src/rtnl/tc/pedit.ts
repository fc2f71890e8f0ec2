// pedit action: rewrite packet bytes at offsets (tc_act/tc_pedit.h, the classic key form).
import {
  NetlinkEncodeError,
  arrayOf,
  attrMap,
  be32,
  binary,
  nested,
  pad,
  struct,
  u32,
  u8,
  type NlaType,
} from '../../core/index.js';
import { checkKeys, num, parseVerdict, tcGen, tcfT, type TcActionKind, type TcSpec } from './common.js';

/** One 32-bit edit: packet word at `off` becomes (word & mask) ^ val (both in network order). */
export const tcPeditKey = struct('tc_pedit_key', {
  mask: be32,
  val: be32,
  off: u32,
  at: u32,
  offmask: u32,
  shift: u32,
});
const keys: NlaType<unknown[], readonly unknown[]> = arrayOf(tcPeditKey);
export const tcPeditSel = struct('tc_pedit_sel', { ...tcGen, nkeys: u8, flags: u8, __pad: pad(2) });

/** tc_pedit_sel followed by its keys. */
const parms: NlaType<Record<string, unknown>, Record<string, unknown>> = {
  kind: 'tc_pedit_sel + keys',
  size: 0,
  nlaFlags: 0,
  decode(b, o, len, owner) {
    const v = tcPeditSel.decode(b, o, tcPeditSel.size, owner) as Record<string, unknown>;
    return { ...v, keys: keys.decode(b, o + tcPeditSel.size, len - tcPeditSel.size, owner) };
  },
  encode(w, v, ctx) {
    const { keys: list = [], ...sel } = v as { keys?: unknown[] };
    tcPeditSel.encode(w, { ...sel, nkeys: list.length }, ctx);
    keys.encode(w, list, ctx);
  },
  pretty: (v) => v,
};

export const peditMap = attrMap('tca_pedit', {
  TCA_PEDIT_TM: [1, tcfT],
  TCA_PEDIT_PARMS: [2, parms],
  TCA_PEDIT_PAD: [3, pad(0)],
  TCA_PEDIT_PARMS_EX: [4, parms],
  TCA_PEDIT_KEYS_EX: [5, binary],
});

/** `{ kind: 'pedit', keys: [{ off: 16, val: 0x0a000001, mask?: 0 }], action?: 'pipe', index? }` (tc's `munge offset`). */
export const pedit: TcActionKind = {
  kind: 'pedit',
  options: nested(peditMap),
  build(spec: TcSpec) {
    checkKeys('pedit', spec, ['kind', 'keys', 'action', 'index']);
    const list = spec.keys as { off: number; val: number; mask?: number }[] | undefined;
    if (!Array.isArray(list) || !list.length) throw new NetlinkEncodeError('pedit: keys must be a non-empty list');
    for (const k of list) if (k.off % 4) throw new NetlinkEncodeError(`pedit: offset ${k.off} is not a multiple of 4`);
    return [
      [
        'TCA_PEDIT_PARMS',
        {
          index: num(spec, 'index') ?? 0,
          action: parseVerdict((spec.action ?? 'pipe') as string),
          keys: list.map((k) => ({ off: k.off, val: k.val >>> 0, mask: (k.mask ?? 0) >>> 0 })),
        },
      ],
    ];
  },
};
