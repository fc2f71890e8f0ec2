// The protocol decoder: hex dumps, strace logs and live traces into readable messages.
import {
  Marshal, NLA_TYPE_MASK, NetlinkDecodeError, checkLength, genlFamilySchema, messageClass,
  messageClassNames, protocolMarshal, type AnyMessage, type AnySchema,
} from '../core/index.js';
import { parseHexInput } from './hexinput.js';
import { parseStraceLog, type StraceTransfer } from './straceparse.js';

/** One buffer's worth of decoded messages, with where it came from. */
export interface DecodedBuffer {
  buffer: Buffer;
  messages: AnyMessage[];
  /** Where splitting the buffer failed, if it did. */
  error?: NetlinkDecodeError;
  /** Trailing zero bytes (iproute2 pads some requests). */
  padding: number;
  /** Set when the buffer came from a strace log. */
  transfer?: Omit<StraceTransfer, 'bytes'>;
}

/** Split one buffer with a marshal, never throwing: a bad length is reported in `error`. */
export function decodeBuffer(buffer: Buffer, marshal: Marshal): DecodedBuffer {
  const out: DecodedBuffer = { buffer, messages: [], padding: 0 };
  let p = 0;
  while (p < buffer.length) {
    if (isZero(buffer, p)) {
      out.padding = buffer.length - p;
      break;
    }
    const err = checkLength(buffer, p, buffer.length);
    if (err) {
      out.error = err;
      break;
    }
    const len = buffer.readUInt32LE(p);
    const msgs = marshal.parse(buffer, p, p + len, false);
    out.messages.push(...msgs);
    p += (len + 3) & ~3;
  }
  return out;
}

function isZero(b: Buffer, from: number): boolean {
  for (let i = from; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

/** A marshal that decodes every non-control message with one class. */
export function marshalForClass(name: string): Marshal {
  const schema = messageClass(name);
  if (!schema) {
    throw new Error(`unknown message class ${JSON.stringify(name)}; known: ${messageClassNames().join(', ')}`);
  }
  return new Marshal({}, { fallback: schema });
}

/** Decode hex text (strace strings, strace hex-dump lines or plain hex) with one class. */
export function decodeHex(text: string, className: string): DecodedBuffer[] {
  const marshal = marshalForClass(className);
  return parseHexInput(text).map((b) => decodeBuffer(b, marshal));
}

/**
 * A marshal for generic netlink that learns family ids from the session's nlctrl answers,
 * then decodes each family's messages with its registered class.
 */
class GenlSessionMarshal extends Marshal {
  private readonly names = new Map<number, string>();
  constructor(private readonly base: Marshal) {
    super({}, { fallback: messageClass('genl.genlmsg') ?? base.fallback });
  }

  override schemaFor(buf: Buffer, off: number): AnySchema {
    const type = buf.readUInt16LE(off + 4);
    const name = this.names.get(type);
    const fam = name ? genlFamilySchema(name, buf, off) : undefined;
    return fam ?? this.base.schemaFor(buf, off);
  }

  /** Remember id -> name from a CTRL_CMD_NEWFAMILY answer (CTRL_ATTR_FAMILY_ID 1, _NAME 2). */
  learn(msgs: AnyMessage[]): void {
    for (const m of msgs) {
      if (m.type !== GENL_ID_CTRL_TYPE || m.length < 20) continue;
      let id: number | undefined, name: string | undefined;
      for (let p = m.offset + 20; p + 4 <= m.offset + m.length; ) {
        const len = m.buf.readUInt16LE(p), t = m.buf.readUInt16LE(p + 2) & NLA_TYPE_MASK;
        if (len < 4 || p + len > m.offset + m.length) break;
        if (t === 1 && len >= 6) id = m.buf.readUInt16LE(p + 4);
        if (t === 2) name = m.buf.toString('utf8', p + 4, p + len).replace(/\0+$/, '');
        p += (len + 3) & ~3;
      }
      if (id !== undefined && name) this.names.set(id, name);
    }
  }
}

/**
 * Decode every netlink payload of a strace log in order, picking each socket's protocol
 * from its socket() call. Peeks are skipped (the real read follows).
 */
export function decodeStrace(text: string): DecodedBuffer[] {
  const session = parseStraceLog(text);
  const marshals = new Map<string, Marshal>();
  const out: DecodedBuffer[] = [];
  for (const t of session.transfers) {
    if (t.peek || !t.bytes.length) continue;
    const key = `${t.pid}:${t.fd}:${t.protocol}`;
    let m = marshals.get(key);
    if (!m) {
      const reg = protocolMarshal(t.protocol)?.marshal() ?? new Marshal();
      m = t.protocol === 16 ? new GenlSessionMarshal(reg) : reg;
      marshals.set(key, m);
    }
    const { bytes, ...transfer } = t;
    const d = decodeBuffer(bytes, m);
    if (m instanceof GenlSessionMarshal && t.direction === 'recv') m.learn(d.messages);
    out.push({ ...d, transfer });
  }
  return out;
}

export { messageClassNames };

/** nlctrl's fixed message type. */
const GENL_ID_CTRL_TYPE = 16;
