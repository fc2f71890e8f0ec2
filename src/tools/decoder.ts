// The protocol decoder: hex dumps, strace logs and live traces into readable messages.
import {
  Marshal,
  NETLINK_GENERIC,
  NetlinkDecodeError,
  checkLength,
  messageClass,
  messageClassNames,
  protocolMarshal,
  type AnyMessage,
} from '../core/index.js';
import { StreamDecoder, type PacketInfo, type StreamDecodeOptions } from './decodestream.js';
import { GenlSessionMarshal } from './picker.js';
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
  /** Set when the buffer came from a capture packet. */
  packet?: PacketInfo;
  /** By message index: why that message is shown raw (its type is not of the class asked for). */
  mismatches?: Record<number, string>;
  /** Problems found in the input around this buffer, one line each. */
  notes?: string[];
  /** A sample file's `#:` metadata block. */
  meta?: unknown;
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

/**
 * Decode hex text (sample files, strace strings, strace hex-dump lines or plain hex) with a
 * class ('rtnl.ifinfmsg') or a whole protocol ('rtnl', 'genl', 'nfnl'). Messages of another
 * class are shown raw, with the reason in `mismatches`. For large input use StreamDecoder.
 */
export function decodeHex(
  text: string,
  target: string,
  opts: Omit<StreamDecodeOptions, 'target'> = {},
): DecodedBuffer[] {
  const out: DecodedBuffer[] = [];
  const dec = new StreamDecoder({ ...opts, target }, (d) => out.push(d));
  dec.write(text);
  dec.endText();
  return out;
}

const NO_BYTES =
  'no bytes: strace printed its own decoding of this netlink buffer; record the bytes with ' +
  'strace -f -x -s 65536 -e trace=network -e write=all -e read=all';

/**
 * Decode every netlink payload of a strace log in order, picking each socket's protocol
 * from its socket() call. Peeks are skipped (the real read follows).
 */
export function decodeStrace(text: string): DecodedBuffer[] {
  const session = parseStraceLog(text);
  const marshals = new Map<string, Marshal>();
  const out: DecodedBuffer[] = [];
  for (const t of session.transfers) {
    if (t.peek) continue;
    if (t.source === 'none' && t.returned > 0) {
      // strace 6 prints a netlink buffer as its own decoding, not its bytes: nothing to decode.
      const { bytes, ...transfer } = t;
      out.push({ buffer: bytes, messages: [], padding: 0, transfer, error: new NetlinkDecodeError(NO_BYTES, 0) });
      continue;
    }
    if (!t.bytes.length) continue;
    const key = `${t.pid}:${t.fd}:${t.protocol}`;
    let m = marshals.get(key);
    if (!m) {
      m =
        t.protocol === NETLINK_GENERIC
          ? new GenlSessionMarshal()
          : (protocolMarshal(t.protocol)?.marshal() ?? new Marshal());
      marshals.set(key, m);
    }
    const { bytes, ...transfer } = t;
    const d = decodeBuffer(bytes, m);
    if (m instanceof GenlSessionMarshal && t.direction === 'recv') for (const msg of d.messages) m.learn(msg);
    out.push({ ...d, transfer });
  }
  return out;
}

export { messageClassNames, StreamDecoder, type StreamDecodeOptions, type PacketInfo };
export type { DecodeSummary } from './decodestream.js';
export { parseHexInput } from './hexstream.js';
export { readCapture, netlinkPayload, isCapture, ByteSource, CaptureError } from './pcap.js';
