// Reads pcap and pcapng captures packet by packet (one packet in memory at a time), as
// `tcpdump -i nlmon0 -w` writes them: link type NETLINK (253), each packet a 16-byte
// cooked header (big-endian: packet type, ARPHRD_NETLINK, address length, address[8],
// netlink protocol) followed by the netlink messages the tap saw.
import { readSync } from 'node:fs';

/** Link type of nlmon captures (LINKTYPE_NETLINK). */
export const LINKTYPE_NETLINK = 253;
/** Size of the cooked header in front of every NETLINK packet. */
export const NETLINK_COOKED_HEADER = 16;
const COOKED_PROTOCOL_OFFSET = 14;

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
const PCAPNG_SHB = 0x0a0d0d0a;
const SHB_TYPE_BYTES = Buffer.from([0x0a, 0x0d, 0x0d, 0x0a]);
const PCAPNG_BYTE_ORDER = 0x1a2b3c4d;
const PCAPNG_IDB = 1;
const PCAPNG_OPB = 2;
const PCAPNG_SPB = 3;
const PCAPNG_EPB = 6;
const PCAP_HEADER = 24;
const PCAP_RECORD = 16;
/** Larger than any snap length tcpdump uses: a length above it means a corrupt file. */
const MAX_RECORD = 16 << 20;

/** A capture file that cannot be read further. */
export class CaptureError extends Error {
  override readonly name = 'CaptureError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`);
  }
}

/** One captured packet. */
export interface CapturePacket {
  /** 1-based packet number in the file. */
  index: number;
  linktype: number;
  /** The packet bytes as captured (for NETLINK: cooked header + messages). */
  data: Buffer;
  /** The packet was longer on the wire than captured (snap length). */
  truncated: boolean;
  /** Seconds since the epoch (fractional). */
  time: number;
}

/** The netlink protocol and messages of a NETLINK packet, or why it has none. */
export function netlinkPayload(p: CapturePacket): { protocol: number; messages: Buffer } | { error: string } {
  if (p.linktype !== LINKTYPE_NETLINK) return { error: `link type ${p.linktype} is not NETLINK (${LINKTYPE_NETLINK})` };
  if (p.data.length < NETLINK_COOKED_HEADER) return { error: `${p.data.length} bytes, short of the cooked header` };
  return { protocol: p.data.readUInt16BE(COOKED_PROTOCOL_OFFSET), messages: p.data.subarray(NETLINK_COOKED_HEADER) };
}

/** Whether the first bytes of a file are a pcap or pcapng magic number. */
export function isCapture(head: Buffer): boolean {
  if (head.length < 4) return false;
  const le = head.readUInt32LE(0),
    be = head.readUInt32BE(0);
  return le === PCAPNG_SHB || [PCAP_MAGIC_US, PCAP_MAGIC_NS].some((m) => m === le || m === be);
}

/** Exact-size reads from a file descriptor through a buffer; `head` is data already read. */
export class ByteSource {
  private buf: Buffer;
  private start = 0;
  private end = 0;
  /** Bytes handed out so far. */
  offset = 0;

  constructor(
    private readonly fd: number,
    head: Buffer = Buffer.alloc(0),
    chunk = 1 << 20,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(chunk, head.length));
    head.copy(this.buf);
    this.end = head.length;
  }

  /** Exactly n bytes, or fewer at the end of the input. The result is valid until the next read. */
  read(n: number): Buffer {
    if (this.end - this.start < n) this.fill(n);
    const k = Math.min(n, this.end - this.start);
    const out = this.buf.subarray(this.start, this.start + k);
    this.start += k;
    this.offset += k;
    return out;
  }

  private fill(n: number): void {
    if (this.buf.length < n) {
      const bigger = Buffer.allocUnsafe(Math.max(n, this.buf.length * 2));
      this.buf.copy(bigger, 0, this.start, this.end);
      this.buf = bigger;
    } else {
      this.buf.copy(this.buf, 0, this.start, this.end);
    }
    this.end -= this.start;
    this.start = 0;
    while (this.end < n) {
      const got = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, null);
      if (got === 0) break;
      this.end += got;
    }
  }
}

/** Every packet of a pcap or pcapng capture, in file order. Throws CaptureError on a corrupt file. */
export function* readCapture(src: ByteSource): Generator<CapturePacket> {
  const first = Buffer.from(src.read(4));
  if (first.length < 4) throw new CaptureError('not a capture: empty file', 0);
  if (first.readUInt32LE(0) === PCAPNG_SHB) yield* readPcapng(src);
  else yield* readPcap(src, first);
}

function* readPcap(src: ByteSource, first: Buffer): Generator<CapturePacket> {
  const magicLE = first.readUInt32LE(0);
  const le = magicLE === PCAP_MAGIC_US || magicLE === PCAP_MAGIC_NS;
  const nano = (le ? magicLE : first.readUInt32BE(0)) === PCAP_MAGIC_NS;
  const rest = src.read(PCAP_HEADER - 4);
  if (rest.length < PCAP_HEADER - 4) throw new CaptureError('truncated pcap file header', src.offset);
  const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const linktype = u32(rest, 16) & 0x0fffffff; // the upper bits carry FCS information
  for (let index = 1; ; index++) {
    const at = src.offset;
    const rec = src.read(PCAP_RECORD);
    if (rec.length === 0) return;
    if (rec.length < PCAP_RECORD) throw new CaptureError(`truncated record header of packet ${index}`, at);
    const sec = u32(rec, 0),
      frac = u32(rec, 4),
      incl = u32(rec, 8),
      orig = u32(rec, 12);
    if (incl > MAX_RECORD) throw new CaptureError(`packet ${index} claims ${incl} captured bytes`, at);
    const data = Buffer.from(src.read(incl));
    if (data.length < incl) {
      throw new CaptureError(`packet ${index} is cut short (${data.length} of ${incl} bytes)`, at);
    }
    yield { index, linktype, data, truncated: orig > incl, time: sec + frac / (nano ? 1e9 : 1e6) };
  }
}

interface Iface {
  linktype: number;
  tsDivisor: number;
}

function* readPcapng(src: ByteSource): Generator<CapturePacket> {
  let le = true;
  let ifaces: Iface[] = [];
  let index = 0;
  let firstBlock = true;
  for (;;) {
    const at = src.offset - (firstBlock ? 4 : 0);
    // The first block's type was read to tell pcapng from pcap.
    let head = firstBlock ? Buffer.concat([SHB_TYPE_BYTES, src.read(8)]) : Buffer.from(src.read(8));
    if (head.length === 0) return;
    if (head.length < 8) throw new CaptureError('truncated pcapng block header', at);
    const type = head.readUInt32LE(0); // the SHB type reads the same in both orders
    if (type === PCAPNG_SHB && !firstBlock) head = Buffer.concat([head, src.read(4)]);
    firstBlock = false;
    if (type === PCAPNG_SHB) {
      if (head.length < 12) throw new CaptureError('truncated section header', at);
      const bom = head.readUInt32LE(8);
      if (bom !== PCAPNG_BYTE_ORDER && head.readUInt32BE(8) !== PCAPNG_BYTE_ORDER) {
        throw new CaptureError('bad pcapng byte-order magic', at);
      }
      le = bom === PCAPNG_BYTE_ORDER;
      ifaces = [];
    }
    const total = le ? head.readUInt32LE(4) : head.readUInt32BE(4);
    const headLen = type === PCAPNG_SHB ? 12 : 8;
    if (total < headLen + 4 || total % 4 || total > MAX_RECORD) {
      throw new CaptureError(`bad pcapng block length ${total}`, at);
    }
    const body = Buffer.from(src.read(total - headLen));
    if (body.length < total - headLen) throw new CaptureError('truncated pcapng block', at);
    const u32 = (o: number) => (le ? body.readUInt32LE(o) : body.readUInt32BE(o));
    const u16 = (o: number) => (le ? body.readUInt16LE(o) : body.readUInt16BE(o));
    if (type === PCAPNG_IDB) {
      ifaces.push({ linktype: u16(0), tsDivisor: idbTsDivisor(body, le) });
    } else if (type === PCAPNG_EPB || type === PCAPNG_OPB) {
      const iface = type === PCAPNG_EPB ? u32(0) : u16(0);
      const tsHigh = u32(4),
        tsLow = u32(8),
        cap = u32(12),
        orig = u32(16);
      if (20 + cap > body.length - 4) throw new CaptureError(`packet ${index + 1} runs past its block`, at);
      const info = ifaces[iface];
      if (!info) throw new CaptureError(`packet ${index + 1} names interface ${iface}, not described before`, at);
      yield {
        index: ++index,
        linktype: info.linktype,
        data: body.subarray(20, 20 + cap),
        truncated: orig > cap,
        time: (tsHigh * 2 ** 32 + tsLow) / info.tsDivisor,
      };
    } else if (type === PCAPNG_SPB) {
      const orig = u32(0);
      const info = ifaces[0];
      if (!info) throw new CaptureError('simple packet before any interface description', at);
      const cap = Math.min(orig, body.length - 8);
      const data = body.subarray(4, 4 + cap);
      yield { index: ++index, linktype: info.linktype, data, truncated: orig > cap, time: 0 };
    }
  }
}

// if_tsresol (option 9): 10^-n, or 2^-n with the top bit set; microseconds by default.
function idbTsDivisor(body: Buffer, le: boolean): number {
  for (let p = 8; p + 4 <= body.length - 4; ) {
    const code = le ? body.readUInt16LE(p) : body.readUInt16BE(p);
    const len = le ? body.readUInt16LE(p + 2) : body.readUInt16BE(p + 2);
    if (code === 0) break;
    if (code === 9 && len >= 1) {
      const v = body[p + 4]!;
      return v & 0x80 ? 2 ** (v & 0x7f) : 10 ** v;
    }
    p += 4 + ((len + 3) & ~3);
  }
  return 1e6;
}
