// flower's tunnel option keys (TCA_FLOWER_KEY_ENC_OPTS and its mask): geneve options, the vxlan
// group policy, erspan's version/index/direction/hardware id, gtp's PDU type and QFI.
import {
  NetlinkDecodeError,
  NetlinkEncodeError,
  attrMap,
  be32,
  nested,
  u32,
  u8,
  type AttrSet,
  type NlaType,
} from '../../core/index.js';
import type { TcShow } from './show.js';

/** One geneve option: class, type and its data. */
export interface GeneveOpt {
  class: number;
  type: number;
  data: Buffer;
}

const GENEVE_CLASS = 1,
  GENEVE_TYPE = 2,
  GENEVE_DATA = 3;
// An attribute's type without the nested/byte-order flag bits.
const NLA_TYPE_MASK = 0x3fff;

/** The geneve nest: CLASS, TYPE, DATA repeated once per option, in order. */
const geneveOpts: NlaType<GeneveOpt[], readonly GeneveOpt[]> = {
  kind: 'flower geneve options',
  size: 0,
  nlaFlags: 0,
  decode(b, o, len) {
    const out: GeneveOpt[] = [];
    let cur: Partial<GeneveOpt> = {};
    for (let p = o, end = o + len; p + 4 <= end; ) {
      const l = b.readUInt16LE(p),
        t = b.readUInt16LE(p + 2) & NLA_TYPE_MASK;
      if (l < 4 || p + l > end) throw new NetlinkDecodeError(`geneve option attribute length ${l} invalid`, p);
      if (t === GENEVE_CLASS) cur.class = b.readUInt16BE(p + 4);
      else if (t === GENEVE_TYPE) cur.type = b[p + 4];
      else if (t === GENEVE_DATA) {
        out.push({ class: cur.class ?? 0, type: cur.type ?? 0, data: Buffer.from(b.subarray(p + 4, p + l)) });
        cur = {};
      }
      p += (l + 3) & ~3;
    }
    return out;
  },
  encode(_w, _v, ctx) {
    throw new NetlinkEncodeError('flower geneve options are read only', ctx.path);
  },
  pretty: (v) => v.map((x) => ({ ...x, data: x.data.toString('hex') })),
};

export const flowerEncOptsMap = attrMap('tca_flower_key_enc_opts', {
  TCA_FLOWER_KEY_ENC_OPTS_GENEVE: [1, geneveOpts],
  TCA_FLOWER_KEY_ENC_OPTS_VXLAN: [2, nested(attrMap('tca_flower_key_enc_opt_vxlan', { GBP: [1, u32] }))],
  TCA_FLOWER_KEY_ENC_OPTS_ERSPAN: [
    3,
    nested(attrMap('tca_flower_key_enc_opt_erspan', { VER: [1, u8], INDEX: [2, be32], DIR: [3, u8], HWID: [4, u8] })),
  ],
  TCA_FLOWER_KEY_ENC_OPTS_GTP: [4, nested(attrMap('tca_flower_key_enc_opt_gtp', { PDU_TYPE: [1, u8], QFI: [2, u8] }))],
});

type EncOpts = AttrSet<typeof flowerEncOptsMap.decl>;
const hex2 = (n: number, w: number): string => n.toString(16).padStart(w, '0');

/** One side (key or mask) in JSON under `name` (gtp has none), and its text tokens. */
function side(p: TcShow, kind: string, o: EncOpts | undefined, suffix: 'key' | 'mask'): string[] {
  const name = `${kind}_opt_${suffix}`;
  if (kind === 'geneve') {
    const list = o?.getAttr('TCA_FLOWER_KEY_ENC_OPTS_GENEVE');
    if (!list) return [];
    p.openArray(name);
    for (const g of list)
      p.open(null)
        .put('class', g.class)
        .put('type', g.type)
        .put('data', [...g.data])
        .close();
    p.close();
    return list.map((g) => `${hex2(g.class, 4)}:${hex2(g.type, 2)}:${g.data.toString('hex')}`);
  }
  if (kind === 'vxlan') {
    const v = o?.getAttr('TCA_FLOWER_KEY_ENC_OPTS_VXLAN');
    if (!v) return [];
    const gbp = v.getAttr('GBP') ?? 0;
    p.openArray(name).open(null).put('gbp', gbp).close().close();
    return [String(gbp)];
  }
  if (kind === 'erspan') {
    const e = o?.getAttr('TCA_FLOWER_KEY_ENC_OPTS_ERSPAN');
    if (!e) return [];
    const ver = e.getAttr('VER') ?? 0;
    // Version 1 carries an index, version 2 a direction and hardware id.
    const index = ver === 1 ? (e.getAttr('INDEX') ?? 0) : 0;
    const dir = ver === 1 ? 0 : (e.getAttr('DIR') ?? 0),
      hwid = ver === 1 ? 0 : (e.getAttr('HWID') ?? 0);
    p.openArray(name).open(null).put('ver', ver).put('index', index).put('dir', dir).put('hwid', hwid);
    p.close().close();
    return [`${ver}:${index}:${dir}:${hwid}`];
  }
  const g = o?.getAttr('TCA_FLOWER_KEY_ENC_OPTS_GTP');
  if (!g) return [];
  return [`${hex2(g.getAttr('PDU_TYPE') ?? 0, 2)}:${hex2(g.getAttr('QFI') ?? 0, 2)}`];
}

/** `geneve_opts CLASS:TYPE:DATA/MASK,...` and the like, as tc prints a flower's tunnel options. */
export function showEncOpts(p: TcShow, key: EncOpts | undefined, mask: EncOpts | undefined): void {
  if (!key) return;
  const kind = key.has('TCA_FLOWER_KEY_ENC_OPTS_GENEVE')
    ? 'geneve'
    : key.has('TCA_FLOWER_KEY_ENC_OPTS_VXLAN')
      ? 'vxlan'
      : key.has('TCA_FLOWER_KEY_ENC_OPTS_ERSPAN')
        ? 'erspan'
        : key.has('TCA_FLOWER_KEY_ENC_OPTS_GTP')
          ? 'gtp'
          : undefined;
  if (!kind) return;
  const keys = side(p, kind, key, 'key'),
    masks = side(p, kind, mask, 'mask');
  p.text(`\n  ${kind}_opts ${keys.map((k, i) => `${k}/${masks[i] ?? ''}`).join(',')}`);
}
