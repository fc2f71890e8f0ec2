// pedit action: rewrite packet bytes at offsets (tc_act/tc_pedit.h), in the classic key form or
// the extended one whose keys also name a header type and a command (set or add).
import {
  NetlinkEncodeError,
  arrayOf,
  attrMap,
  be32,
  enumOf,
  nested,
  pad,
  struct,
  u16,
  u32,
  u8,
  type AttrSet,
  type NlaType,
} from '../../core/index.js';
import { checkKeys, num, parseVerdict, tcGen, tcfT, type TcActionKind, type TcSpec } from './common.js';
import { showTimes, showVerdict, type TcShow } from './show.js';

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

/** Header a key's offset is relative to (TCA_PEDIT_KEY_EX_HDR_TYPE_*). */
export const PEDIT_HTYPE = {
  TCA_PEDIT_KEY_EX_HDR_TYPE_NETWORK: 0,
  TCA_PEDIT_KEY_EX_HDR_TYPE_ETH: 1,
  TCA_PEDIT_KEY_EX_HDR_TYPE_IP4: 2,
  TCA_PEDIT_KEY_EX_HDR_TYPE_IP6: 3,
  TCA_PEDIT_KEY_EX_HDR_TYPE_TCP: 4,
  TCA_PEDIT_KEY_EX_HDR_TYPE_UDP: 5,
} as const;
export const PEDIT_CMD = { TCA_PEDIT_KEY_EX_CMD_SET: 0, TCA_PEDIT_KEY_EX_CMD_ADD: 1 } as const;

export const peditKeyExMap = attrMap('tca_pedit_key_ex', {
  TCA_PEDIT_KEY_EX_HTYPE: [1, enumOf(u16, PEDIT_HTYPE)],
  TCA_PEDIT_KEY_EX_CMD: [2, enumOf(u16, PEDIT_CMD)],
});
// TCA_PEDIT_KEYS_EX repeats one attribute, a key's header type and command, in key order.
const keysExMap = attrMap('tca_pedit_keys_ex', { TCA_PEDIT_KEY_EX: [6, nested(peditKeyExMap)] });

export const peditMap = attrMap('tca_pedit', {
  TCA_PEDIT_TM: [1, tcfT],
  TCA_PEDIT_PARMS: [2, parms],
  TCA_PEDIT_PAD: [3, pad(0)],
  TCA_PEDIT_PARMS_EX: [4, parms],
  TCA_PEDIT_KEYS_EX: [5, nested(keysExMap)],
});

// tc's names of the header types, and the reverse for specs.
const HTYPE_TEXT = ['', 'eth', 'ipv4', 'ipv6', 'tcp', 'udp'];
const HTYPE_OF: Readonly<Record<string, number>> = {
  network: 0,
  eth: 1,
  ip4: 2,
  ipv4: 2,
  ip6: 3,
  ipv6: 3,
  tcp: 4,
  udp: 5,
};

interface PeditKeySpec {
  off: number;
  val: number;
  mask?: number;
  /** Extended form: the header `off` is relative to ('eth', 'ipv4', 'ipv6', 'tcp', 'udp', 'network'). */
  htype?: string;
  /** Extended form: 'set' (default) or 'add'. */
  cmd?: 'set' | 'add';
}

function keySpecs(spec: TcSpec): PeditKeySpec[] {
  const list = spec.keys as PeditKeySpec[] | undefined;
  if (!Array.isArray(list) || !list.length) throw new NetlinkEncodeError('pedit: keys must be a non-empty list');
  for (const k of list) {
    if (k.off % 4) throw new NetlinkEncodeError(`pedit: offset ${k.off} is not a multiple of 4`);
    if (k.htype !== undefined && HTYPE_OF[k.htype] === undefined)
      throw new NetlinkEncodeError(
        `pedit: header type ${JSON.stringify(k.htype)} is not one of ${Object.keys(HTYPE_OF)}`,
      );
    if (k.cmd !== undefined && k.cmd !== 'set' && k.cmd !== 'add')
      throw new NetlinkEncodeError(`pedit: cmd must be set or add, got ${JSON.stringify(k.cmd)}`);
  }
  return list;
}

/**
 * `{ kind: 'pedit', keys: [{ off: 16, val: 0x0a000001, mask?: 0, htype?: 'ipv4', cmd?: 'set' | 'add' }],
 * action?: 'pipe', index? }` (tc's `munge offset`; `ex` when any key names htype or cmd).
 */
export const pedit: TcActionKind = {
  kind: 'pedit',
  options: nested(peditMap),
  build(spec: TcSpec) {
    checkKeys('pedit', spec, ['kind', 'keys', 'ex', 'action', 'index']);
    const list = keySpecs(spec);
    const sel = {
      index: num(spec, 'index') ?? 0,
      action: parseVerdict((spec.action ?? 'pipe') as string),
      keys: list.map((k) => ({ off: k.off >>> 0, val: k.val >>> 0, mask: (k.mask ?? 0) >>> 0 })),
    };
    const ex = !!spec.ex || list.some((k) => k.htype !== undefined || k.cmd !== undefined);
    if (!ex) return [['TCA_PEDIT_PARMS', sel]];
    const keysEx = list.map((k) => [
      'TCA_PEDIT_KEY_EX',
      [
        ['TCA_PEDIT_KEY_EX_HTYPE', HTYPE_OF[k.htype ?? 'network']],
        ['TCA_PEDIT_KEY_EX_CMD', k.cmd === 'add' ? PEDIT_CMD.TCA_PEDIT_KEY_EX_CMD_ADD : 0],
      ],
    ]);
    return [
      ['TCA_PEDIT_PARMS_EX', sel],
      ['TCA_PEDIT_KEYS_EX', keysEx],
    ];
  },
  show: showPedit,
};

interface PeditKey {
  mask: number;
  val: number;
  off: number;
}
const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');

/** One key: where it edits (header+offset), its command, value and mask. */
function showKey(p: TcShow, i: number, k: PeditKey, htype: number, cmd: number): void {
  p.open(null).text(`\n\t key #${i}  at `);
  const off = k.off | 0;
  if (htype !== PEDIT_HTYPE.TCA_PEDIT_KEY_EX_HDR_TYPE_NETWORK) {
    const name = HTYPE_TEXT[htype] ?? `unknown(${htype})`;
    p.put('htype', name, name).put('offset', off, off < 0 ? `${off}` : `+${off}`);
  } else p.put('htype', 'network').put('offset', off, `${off}`);
  // tc's text calls "set" "val", as it always did; its JSON says "set".
  p.text(`: ${cmd ? 'add' : 'val'}`).put('cmd', cmd ? 'add' : 'set');
  p.put('val', (k.val >>> 0).toString(16), ` ${hex8(k.val)}`);
  p.put('mask', (k.mask >>> 0).toString(16), ` mask ${hex8(k.mask)}`).close();
}

/** tc's view: verdict and key count, index/ref/bind, then one line per key. */
function showPedit(p: TcShow, o: AttrSet<typeof peditMap.decl> | undefined): void {
  p.put('kind', 'pedit', ' pedit ');
  if (!o) return;
  const classic = o.getAttr('TCA_PEDIT_PARMS');
  const sel = (classic ?? o.getAttr('TCA_PEDIT_PARMS_EX')) as
    | { index: number; refcnt: number; bindcnt: number; action: number; nkeys: number; keys: PeditKey[] }
    | undefined;
  if (!sel) return;
  const ex = classic ? [] : (o.getAttr('TCA_PEDIT_KEYS_EX')?.getAttrs('TCA_PEDIT_KEY_EX') ?? []);
  showVerdict(p, 'action ', sel.action, ' ');
  p.put('nkeys', sel.nkeys, `keys ${sel.nkeys}\n`);
  p.put('index', sel.index, ` \t index ${sel.index}`)
    .put('ref', sel.refcnt, ` ref ${sel.refcnt}`)
    .put('bind', sel.bindcnt, ` bind ${sel.bindcnt}`);
  showTimes(p, o.getAttr('TCA_PEDIT_TM'));
  p.openArray('keys');
  sel.keys.slice(0, sel.nkeys).forEach((k, i) => {
    const e = ex[i];
    showKey(p, i, k, e?.getAttr('TCA_PEDIT_KEY_EX_HTYPE') ?? 0, e?.getAttr('TCA_PEDIT_KEY_EX_CMD') ?? 0);
  });
  if (!sel.nkeys) p.text(`\npedit ${sel.index.toString(16)} keys ${sel.nkeys} is not LEGIT`);
  p.close().text('\n');
}
