// Message classes: a schema (header struct + attribute map) declared once as data, and the
// lazy Message view it decodes into. Encoding comes from the same declaration.
import {
  AttrSet,
  AttrView,
  INSPECT,
  attrsObject,
  encodeAttrs,
  type AttrDecl,
  type AttrInput,
  type AttrMap,
} from './attrs.js';
import { NLMSG_HDRLEN, align4 } from './constants.js';
import { NetlinkDecodeError, NetlinkEncodeError } from './errors.js';
import type { EncodeCtx, StructFields, StructInput, StructType, StructValue } from './types.js';
import { Writer } from './writer.js';

/** What to send: header fields, the message's own header struct, attributes. */
export interface MessageSpec<H extends StructFields = StructFields, D extends AttrDecl = AttrDecl> {
  type: number;
  flags?: number;
  seq?: number;
  pid?: number;
  fields?: StructInput<H>;
  attrs?: AttrInput<D>;
}

export interface SchemaOptions<H extends StructFields> {
  /** Header field holding the address family, for family-dependent address attributes. */
  familyField?: keyof H & string;
  /** nlmsg_type values this class is used for, by name, for printing. */
  types?: Readonly<Record<string, number>>;
  /** Where attributes begin, when it is not right after the header (NLMSG_ERROR). */
  attrStart?: (buf: Buffer, off: number, len: number) => number;
}

/** A message class, declared once: `new MessageSchema('rtnl.rtmsg', rtmsgHeader, rtaMap)`. */
export class MessageSchema<H extends StructFields = StructFields, D extends AttrDecl = AttrDecl> {
  /** Header struct size, aligned: attributes start this far after the nlmsghdr. */
  readonly headerSize: number;
  readonly familyOffset: number;
  readonly typeNames = new Map<number, string>();
  /** Where attributes begin, from the message start, when no attrStart function is given. */
  readonly attrOffset: number;
  readonly attrStartFn: SchemaOptions<H>['attrStart'];
  /** The header struct's encoding context: the same for every message. */
  private readonly headerCtx: EncodeCtx;

  constructor(
    readonly name: string,
    readonly header: StructType<H>,
    readonly attrs: AttrMap<D>,
    readonly opts: SchemaOptions<H> = {},
  ) {
    this.headerSize = align4(header.size);
    this.familyOffset = opts.familyField ? header.offsets[opts.familyField] : -1;
    this.attrOffset = NLMSG_HDRLEN + this.headerSize;
    this.attrStartFn = opts.attrStart;
    this.headerCtx = Object.freeze({ family: 0, siblings: undefined, path: name });
    for (const [n, v] of Object.entries(opts.types ?? {})) if (!this.typeNames.has(v)) this.typeNames.set(v, n);
  }

  /** Wrap one message at `off` without copying; checks only the length field. */
  decode(buf: Buffer, off = 0): Message<H, D> {
    if (off + NLMSG_HDRLEN > buf.length) throw new NetlinkDecodeError('truncated netlink header', off);
    const len = buf.readUInt32LE(off);
    if (len < NLMSG_HDRLEN || off + len > buf.length) {
      throw new NetlinkDecodeError(`message length ${len} invalid (${buf.length - off} bytes available)`, off);
    }
    return new Message(buf, off, this);
  }

  /** Offset of the first attribute of the message at `off` (its length already checked). */
  attrsAt(buf: Buffer, off: number): number {
    const fn = this.attrStartFn;
    return fn ? fn(buf, off, buf.readUInt32LE(off)) : off + this.attrOffset;
  }

  /**
   * Encode into `w` (appending, for batches) and return the message's offset. `flags` and
   * `seq`, when given, replace the spec's (so callers need not copy the spec to set them).
   */
  encodeInto(w: Writer, spec: MessageSpec<H, D>, flags = spec.flags ?? 0, seq = spec.seq ?? 0): number {
    const at = w.pos;
    if (!Number.isInteger(spec.type) || spec.type < 0 || spec.type > 0xffff) {
      throw new NetlinkEncodeError(`nlmsg_type ${spec.type} out of range`, this.name);
    }
    w.reserve(4);
    w.u16(spec.type);
    w.u16(flags);
    w.u32(seq);
    w.u32(spec.pid ?? 0);
    this.header.encode(w, (spec.fields ?? {}) as StructInput<H>, this.headerCtx);
    w.pad4();
    const family = this.familyOffset >= 0 ? w.buf[at + NLMSG_HDRLEN + this.familyOffset] : 0;
    if (spec.attrs) encodeAttrs(w, this.attrs, spec.attrs, family, this.name);
    w.buf.writeUInt32LE(w.pos - at, at);
    return at;
  }

  /** Encode one message to a new buffer (`flags`, `seq`: as for encodeInto). */
  encode(spec: MessageSpec<H, D>, flags?: number, seq?: number): Buffer {
    const w = new Writer(256);
    this.encodeInto(w, spec, flags, seq);
    return w.toBuffer();
  }
}

/**
 * One netlink message, decoded lazily: header fields and attributes are read from the
 * buffer when asked for. `msg.getAttr('RTA_DST')`, `msg.fields.family`, `msg.toJSON()`.
 * A dump keeps every message, so the object holds only what cannot be derived (buffer,
 * offset, schema, the decoded header once asked): length, start, end and map are read
 * from the bytes and the schema.
 */
export class Message<H extends StructFields = StructFields, D extends AttrDecl = AttrDecl> extends AttrView<D> {
  // Fields are declared, not defined, and assigned in the constructor: emitted class fields
  // run an initializer function for every message, a cost a large dump pays 100,000 times.
  declare readonly buf: Buffer;
  declare readonly offset: number;
  declare readonly schema: MessageSchema<H, D>;
  declare private _fields: StructValue<H> | undefined;

  constructor(buf: Buffer, offset: number, schema: MessageSchema<H, D>) {
    super();
    this.buf = buf;
    this.offset = offset;
    this.schema = schema;
    this._fields = undefined;
  }

  // Header fields are read byte by byte: these run for every message of a dump, often
  // before the JIT has optimized them, where a call to Buffer's readers costs more.

  /** nlmsg_len. */
  get length(): number {
    const b = this.buf,
      o = this.offset;
    return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
  }
  get start(): number {
    const s = this.schema;
    return s.attrStartFn === undefined ? this.offset + s.attrOffset : s.attrsAt(this.buf, this.offset);
  }
  get end(): number {
    return this.offset + this.length;
  }
  get map(): AttrMap<D> {
    return this.schema.attrs;
  }
  get parent(): null {
    return null;
  }

  get family(): number {
    const fo = this.schema.familyOffset;
    return fo >= 0 && NLMSG_HDRLEN + fo < this.length ? this.buf[this.offset + NLMSG_HDRLEN + fo] : 0;
  }

  get type(): number {
    const b = this.buf,
      o = this.offset + 4;
    return b[o] | (b[o + 1] << 8);
  }
  get flags(): number {
    const b = this.buf,
      o = this.offset + 6;
    return b[o] | (b[o + 1] << 8);
  }
  get seq(): number {
    const b = this.buf,
      o = this.offset + 8;
    return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
  }
  get pid(): number {
    const b = this.buf,
      o = this.offset + 12;
    return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
  }

  /** The message's own header struct (ifinfomsg, rtmsg, genlmsghdr...), decoded once. */
  get fields(): StructValue<H> {
    if (!this._fields) {
      const h = this.schema.header,
        len = this.length;
      this._fields = h.decode(
        this.buf,
        this.offset + NLMSG_HDRLEN,
        Math.min(len - NLMSG_HDRLEN, Math.max(h.size, this.start - this.offset - NLMSG_HDRLEN)),
        this,
      );
    }
    return this._fields;
  }

  /** One header field without decoding the rest: `msg.field('dst_len')`. */
  field<K extends keyof StructValue<H> & keyof H & string>(name: K): StructValue<H>[K] {
    const h = this.schema.header;
    const t = h.fields[name];
    const fo = h.offsets[name];
    return t.decode(
      this.buf,
      this.offset + NLMSG_HDRLEN + fo,
      this.length - NLMSG_HDRLEN - fo,
      this,
    ) as StructValue<H>[K];
  }

  /** The whole message bytes (a view, not a copy). */
  bytes(): Buffer {
    return this.buf.subarray(this.offset, this.offset + this.length);
  }

  /** Check the whole message; throws NetlinkDecodeError at the first malformed part. */
  validate(): void {
    void this.fields;
    this.entries(true);
  }

  override toJSON(): MessageJSON {
    let fields: unknown;
    try {
      fields = this.schema.header.pretty(this.fields);
    } catch (e) {
      if (!(e instanceof NetlinkDecodeError)) throw e;
      fields = { error: e.message };
    }
    return {
      class: this.schema.name,
      header: {
        length: this.length,
        type: this.schema.typeNames.get(this.type) ?? this.type,
        flags: this.flags,
        seq: this.seq,
        pid: this.pid,
      },
      fields: fields as Record<string, unknown>,
      attrs: this.attrsJSON(),
    };
  }

  /** util.inspect: type, header fields and attributes by name; no buffer or schema dump. */
  override [INSPECT](depth: number, opts: object, inspect: (v: unknown, o: unknown) => string): string {
    // A lazy record wraps its message, and util.inspect finds this hook through it: print the record.
    if (!(this instanceof Message)) return inspect({ ...(this as object) }, opts);
    const j = this.toJSON();
    const head = `${j.class} ${j.header.type}`;
    if (depth < 0) return `[${head}]`;
    return `${head} ${inspect({ ...j.fields, ...attrsObject(j.attrs) }, opts)}`;
  }
}

// A message is an attribute set too (`msg instanceof AttrSet`), as it always was; the class
// extends AttrView only so that it does not inherit AttrSet's stored span.
Object.setPrototypeOf(Message.prototype, AttrSet.prototype);

export interface MessageJSON {
  class: string;
  header: { length: number; type: number | string; flags: number; seq: number; pid: number };
  fields: Record<string, unknown>;
  attrs: [string | number, unknown][];
}

/** A message type of any schema (for APIs that take any message). */
export type AnyMessage = Message<any, any>;
export type AnySchema = MessageSchema<any, any>;
