// Merging a split wiphy dump (NL80211_ATTR_SPLIT_WIPHY_DUMP): the kernel sends one radio as
// several messages, each with part of it (bands one at a time, a band's frequencies in
// batches). Joined here into one message per radio so that it decodes like a whole one.
import { NLA_TYPE_MASK, align4 } from '../core/index.js';
import { NL80211_ATTRS, NL80211_BAND_ATTR } from './constants.js';
import { nl80211cmd, type Nl80211Message } from './nl80211cmd.js';

interface RawAttr {
  type: number;
  id: number;
  payload: Buffer;
}

function attrsOf(buf: Buffer, start: number, end: number): RawAttr[] {
  const out: RawAttr[] = [];
  for (let p = start; p + 4 <= end; ) {
    const len = buf.readUInt16LE(p);
    if (len < 4 || p + len > end) break;
    const type = buf.readUInt16LE(p + 2);
    out.push({ type, id: type & NLA_TYPE_MASK, payload: buf.subarray(p + 4, p + len) });
    p += align4(len);
  }
  return out;
}

function attrBytes(type: number, payload: Buffer | Buffer[]): Buffer {
  const body = Array.isArray(payload) ? Buffer.concat(payload) : payload;
  const len = 4 + body.length;
  const out = Buffer.alloc(align4(len));
  out.writeUInt16LE(len, 0);
  out.writeUInt16LE(type, 2);
  body.copy(out, 4);
  return out;
}

/** A list nest (frequencies, rates): children renumbered 0..n-1 as the kernel numbers them. */
function listNest(type: number, children: RawAttr[]): Buffer {
  return attrBytes(
    type,
    children.map((c, i) => attrBytes((c.type & ~NLA_TYPE_MASK) | i, c.payload)),
  );
}

interface BandParts {
  type: number;
  order: number[];
  single: Map<number, RawAttr>;
  lists: Map<number, { type: number; items: RawAttr[] }>;
}

const LIST_ATTRS = new Set<number>([
  NL80211_BAND_ATTR.NL80211_BAND_ATTR_FREQS,
  NL80211_BAND_ATTR.NL80211_BAND_ATTR_RATES,
]);
const BANDS = NL80211_ATTRS.NL80211_ATTR_WIPHY_BANDS;
const WIPHY = NL80211_ATTRS.NL80211_ATTR_WIPHY;

/**
 * Join the parts of a split wiphy dump: one message per wiphy, in order of first appearance.
 * Top-level attributes keep their first occurrence; bands are merged by band id, and each
 * band's frequency and bitrate lists are concatenated. Whole (unsplit) messages pass through.
 */
export function mergeWiphyParts(parts: readonly Nl80211Message[]): Nl80211Message[] {
  const groups = new Map<number, Nl80211Message[]>();
  for (const m of parts) {
    const id = m.getAttr('NL80211_ATTR_WIPHY');
    if (id === undefined) continue;
    let g = groups.get(id);
    if (!g) groups.set(id, (g = []));
    g.push(m);
  }
  return [...groups.values()].map((g) => (g.length === 1 ? g[0] : mergeOne(g)));
}

function mergeOne(msgs: Nl80211Message[]): Nl80211Message {
  const top = new Map<number, RawAttr>();
  const order: number[] = [];
  const bands = new Map<number, BandParts>();
  const bandOrder: number[] = [];
  let bandsType: number = BANDS;
  for (const m of msgs) {
    for (const a of attrsOf(m.buf, m.start, m.end)) {
      if (a.id === BANDS) {
        bandsType = a.type;
        if (!order.includes(BANDS)) order.push(BANDS);
        for (const band of attrsOf(a.payload, 0, a.payload.length)) {
          let bp = bands.get(band.id);
          if (!bp) {
            bands.set(band.id, (bp = { type: band.type, order: [], single: new Map(), lists: new Map() }));
            bandOrder.push(band.id);
          }
          for (const x of attrsOf(band.payload, 0, band.payload.length)) {
            if (!bp.order.includes(x.id)) bp.order.push(x.id);
            if (LIST_ATTRS.has(x.id)) {
              let l = bp.lists.get(x.id);
              if (!l) bp.lists.set(x.id, (l = { type: x.type, items: [] }));
              l.items.push(...attrsOf(x.payload, 0, x.payload.length));
            } else if (!bp.single.has(x.id)) bp.single.set(x.id, x);
          }
        }
        continue;
      }
      if (!top.has(a.id)) {
        top.set(a.id, a);
        order.push(a.id);
      }
    }
  }
  const body: Buffer[] = [];
  // WIPHY first, as the kernel puts it.
  const sorted = [WIPHY, ...order.filter((id) => id !== WIPHY)].filter((id) => id === BANDS || top.has(id));
  for (const id of sorted) {
    if (id === BANDS) {
      body.push(
        attrBytes(
          bandsType,
          bandOrder.map((bid) => {
            const bp = bands.get(bid)!;
            return attrBytes(
              bp.type,
              bp.order.map((x) => {
                const l = bp.lists.get(x);
                if (l) return listNest(l.type, l.items);
                const a = bp.single.get(x)!;
                return attrBytes(a.type, a.payload);
              }),
            );
          }),
        ),
      );
    } else {
      const a = top.get(id)!;
      body.push(attrBytes(a.type, a.payload));
    }
  }
  const first = msgs[0];
  const head = Buffer.from(first.buf.subarray(first.offset, first.start));
  const out = Buffer.concat([head, ...body]);
  out.writeUInt32LE(out.length, 0);
  // The merged message is no longer part of a multipart answer.
  out.writeUInt16LE(out.readUInt16LE(6) & ~0x2, 6);
  return nl80211cmd.decode(out);
}
