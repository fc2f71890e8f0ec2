// A nest whose child attribute ids are keys (policy index, attribute type, command),
// unlike nestedArray where they only number the items.
import {
  NLA_F_NESTED,
  NLA_TYPE_MASK,
  NetlinkDecodeError,
  NetlinkEncodeError,
  align4,
  type NlaType,
} from '../core/index.js';

/** Children keyed by their attribute id: decodes to a Map, encodes from a Map or `{ id: value }`. */
export function idNest<T, I>(
  item: NlaType<T, I>,
  opts: { flag?: boolean } = {},
): NlaType<Map<number, T>, ReadonlyMap<number, I> | Readonly<Record<number, I>>> {
  return {
    kind: `nest{id: ${item.kind}}`,
    size: 0,
    nlaFlags: opts.flag ? NLA_F_NESTED : 0,
    decode(b, o, len, owner) {
      const out = new Map<number, T>();
      const end = o + len;
      for (let p = o; p < end; ) {
        if (p + 4 > end) throw new NetlinkDecodeError(`${end - p} stray bytes in keyed nest`, p);
        const l = b.readUInt16LE(p);
        if (l < 4 || p + l > end) throw new NetlinkDecodeError(`attribute length ${l} invalid in keyed nest`, p);
        out.set(b.readUInt16LE(p + 2) & NLA_TYPE_MASK, item.decode(b, p + 4, l - 4, owner));
        p += align4(l);
      }
      return out;
    },
    encode(w, v, ctx) {
      if (typeof v !== 'object' || v === null)
        throw new NetlinkEncodeError('keyed nest needs a Map or an object', ctx.path);
      const pairs = v instanceof Map ? [...v] : Object.entries(v).map(([k, x]) => [Number(k), x] as const);
      for (const [id, x] of pairs) {
        if (!Number.isInteger(id) || id < 0 || id > NLA_TYPE_MASK)
          throw new NetlinkEncodeError(`key ${id} is not an attribute id`, ctx.path);
        const at = w.reserve(4);
        item.encode(w, x as I, { ...ctx, path: `${ctx.path}[${id}]` });
        w.buf.writeUInt16LE(w.pos - at, at);
        w.buf.writeUInt16LE(id | item.nlaFlags, at + 2);
        w.pad4();
      }
    },
    pretty: (v) => Object.fromEntries([...v].map(([k, x]) => [k, item.pretty(x)])),
  };
}
