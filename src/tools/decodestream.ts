// The streaming decoder: text (hex, strace strings and dumps, sample files) or capture
// packets in, decoded buffers out as soon as each is complete, with a running summary.
// Memory stays bounded by the largest message, not the input.
import { StringDecoder } from 'node:string_decoder';
import { Message, NetlinkDecodeError, type AnyMessage } from '../core/index.js';
import { MessageAssembler } from './assembler.js';
import { passes, type MessageFilter } from './filter.js';
import { HexLineReader, type HexEvent } from './hexstream.js';
import { ClassPicker } from './picker.js';
import { netlinkProtocolName } from './straceparse.js';
import type { DecodedBuffer } from './decoder.js';

/** What a decode run did, for the closing summary and the exit status. */
export interface DecodeSummary {
  messages: number;
  bytesSkipped: number;
  /** Input that could not be decoded: bad text, broken lengths, unreadable packets, wrong classes. */
  errors: number;
  /** Messages left out by filters. */
  filtered: number;
  /** Messages whose type is not of the named class (counted in errors too). */
  mismatched: number;
  packets: number;
}

export interface StreamDecodeOptions {
  /** A class name, a protocol (rtnl, genl, nfnl) or 'auto' (capture packets carry their protocol). */
  target: string;
  /** Generic netlink family ids known in advance: `{ nl80211: 28 }`. */
  families?: Readonly<Record<string, number>>;
  filters?: readonly MessageFilter[];
}

/** Where a packet came from, shown with its messages. */
export interface PacketInfo {
  index: number;
  protocol: number;
  protocolName: string;
  truncated: boolean;
}

/** Larger buffers are handed on in parts, so one huge input buffer does not pile up. */
const MAX_GROUP = 256;

export class StreamDecoder {
  readonly summary: DecodeSummary = { messages: 0, bytesSkipped: 0, errors: 0, filtered: 0, mismatched: 0, packets: 0 };
  private readonly picker: ClassPicker;
  private readonly filters: readonly MessageFilter[];
  private readonly assembler: MessageAssembler;
  private readonly reader: HexLineReader;
  private readonly text = new StringDecoder('utf8');
  private partial = '';
  private cur: DecodedBuffer = { buffer: Buffer.alloc(0), messages: [], padding: 0 };
  private protocol: number | undefined;
  private packet: PacketInfo | undefined;

  /** `out` receives each decoded buffer once it is complete. */
  constructor(
    opts: StreamDecodeOptions,
    private readonly out: (d: DecodedBuffer) => void,
  ) {
    this.picker = new ClassPicker(opts.target, opts.families);
    this.filters = opts.filters ?? [];
    this.protocol = this.picker.protocol;
    this.assembler = new MessageAssembler({
      message: (buf) => this.message(buf),
      error: (err) => this.splitError(err),
      padding: (n) => {
        this.cur.padding += n;
      },
      boundary: () => this.flush(),
    });
    this.reader = new HexLineReader((e) => this.hexEvent(e));
  }

  /** Feed a chunk of text input. */
  write(chunk: Buffer | string): void {
    const s = this.partial + (typeof chunk === 'string' ? chunk : this.text.write(chunk));
    let from = 0;
    for (let nl = s.indexOf('\n'); nl !== -1; nl = s.indexOf('\n', from)) {
      this.reader.line(s.slice(from, nl));
      from = nl + 1;
    }
    this.partial = s.slice(from);
  }

  /** The text input ended. */
  endText(): void {
    const rest = this.partial + this.text.end();
    this.partial = '';
    if (rest) this.reader.line(rest);
    this.reader.end();
    this.assembler.end();
    this.flush();
  }

  /** One capture packet's messages, with the protocol from its cooked header. */
  packetData(info: PacketInfo, messages: Buffer): void {
    this.summary.packets++;
    const wanted = this.picker.protocol;
    if (this.picker.target !== 'auto' && wanted !== undefined && info.protocol !== wanted) {
      this.summary.filtered += countMessages(messages);
      return;
    }
    this.packet = info;
    this.protocol = info.protocol;
    this.assembler.push(messages);
    this.assembler.brk(true);
    if (info.truncated) this.problem(`packet ${info.index} was cut at the capture's snap length`);
    this.flush();
    this.packet = undefined;
  }

  /** A packet that has no netlink messages to decode. */
  packetError(index: number, reason: string): void {
    this.summary.packets++;
    this.problem(`packet ${index}: ${reason}`);
    this.flush();
  }

  /** An error that ends the input (e.g. a corrupt capture file). */
  fatal(reason: string): void {
    this.problem(reason);
    this.flush();
  }

  private hexEvent(e: HexEvent): void {
    switch (e.kind) {
      case 'bytes':
        this.assembler.push(e.bytes);
        break;
      case 'break':
        this.assembler.brk(e.hard);
        break;
      case 'error':
        this.summary.errors++;
        this.assembler.brk(true);
        this.flushWith({ notes: [`!! ${e.error.message}`] });
        break;
      case 'meta':
        this.flushWith({ meta: e.value });
        break;
      case 'code': {
        const lines = e.text.split('\n').length - 1;
        this.flushWith({ notes: [`(code block of ${lines} lines from line ${e.line})`] });
        break;
      }
    }
  }

  private message(buf: Buffer): void {
    const pick = this.picker.pick(buf, 0, this.protocol);
    const m: AnyMessage = new Message(buf, 0, pick.schema);
    this.picker.learn(this.protocol, m);
    const family = this.picker.familyName(this.protocol, m.type);
    if (!passes(this.filters, { message: m, protocol: this.protocol, family })) {
      this.summary.filtered++;
      return;
    }
    this.summary.messages++;
    if (pick.mismatch) {
      this.summary.mismatched++;
      this.summary.errors++;
      (this.cur.mismatches ??= {})[this.cur.messages.length] = pick.mismatch;
    }
    this.cur.messages.push(m);
    if (this.cur.messages.length >= MAX_GROUP) this.flush();
  }

  private splitError(err: NetlinkDecodeError): void {
    this.summary.errors++;
    this.cur.error = err;
  }

  private problem(text: string): void {
    this.summary.errors++;
    (this.cur.notes ??= []).push(`!! ${text}`);
  }

  private flushWith(extra: Partial<DecodedBuffer>): void {
    this.flush();
    this.out({ buffer: Buffer.alloc(0), messages: [], padding: 0, ...extra });
  }

  private flush(): void {
    const d = this.cur;
    if (!d.messages.length && !d.error && !d.padding && !d.notes) return;
    if (this.packet) d.packet = this.packet;
    this.summary.bytesSkipped = this.assembler.bytesSkipped;
    d.buffer = Buffer.concat([...d.messages.map((m) => m.buf), Buffer.alloc(d.padding)]);
    this.cur = { buffer: Buffer.alloc(0), messages: [], padding: 0 };
    this.out(d);
  }
}

/** How many messages a well-formed packet holds (for the filtered count). */
function countMessages(b: Buffer): number {
  let n = 0;
  for (let p = 0; p + 4 <= b.length; n++) {
    const len = b.readUInt32LE(p);
    if (len < 16) break;
    p += (len + 3) & ~3;
  }
  return n;
}

export { netlinkProtocolName };
