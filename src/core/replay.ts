// In-memory transports for tests and offline work: replay recorded kernel answers,
// or record a live session to replay later.
import { NLMSG_HDRLEN } from './constants.js';
import { ForwardingTransport, type Transport, type TransportSink } from './transport.js';

/** One request and the datagrams the kernel answered it with. */
export interface Exchange {
  sent?: Buffer;
  received: Buffer[];
}

/** Each message in a datagram: [offset, length]. Stops at a bad length. */
function messagesOf(buf: Buffer): [number, number][] {
  const out: [number, number][] = [];
  for (let p = 0; p + NLMSG_HDRLEN <= buf.length; ) {
    const len = buf.readUInt32LE(p);
    if (len < NLMSG_HDRLEN || p + len > buf.length) break;
    out.push([p, len]);
    p += (len + 3) & ~3;
  }
  return out;
}

/**
 * Answers each sent message with the next recorded exchange, with sequence numbers and
 * port ids rewritten to match the request, so recorded kernel answers drive a real socket.
 */
export class ReplayTransport implements Transport {
  readonly portId: number;
  /** Every datagram sent, for assertions. */
  readonly sent: Buffer[] = [];
  private sink: TransportSink | undefined;
  private readonly queue: Exchange[];
  private paused = false;
  private backlog: [Buffer, number][] = [];

  constructor(exchanges: (Exchange | Buffer[])[], opts: { portId?: number } = {}) {
    this.queue = exchanges.map((e) => (Array.isArray(e) ? { received: e } : e));
    this.portId = opts.portId ?? 0x4e4c;
  }

  send(bufs: Buffer | readonly Buffer[]): void {
    const buf = Buffer.isBuffer(bufs) ? bufs : Buffer.concat(bufs as Buffer[]);
    this.sent.push(Buffer.from(buf));
    for (const [off] of messagesOf(buf)) {
      const seq = buf.readUInt32LE(off + 8);
      const ex = this.queue.shift();
      if (!ex) throw new Error('replay transport: no recorded answer left for this request');
      for (const d of ex.received) {
        const copy = Buffer.from(d);
        for (const [p] of messagesOf(copy)) {
          copy.writeUInt32LE(seq, p + 8);
          copy.writeUInt32LE(this.portId, p + 12);
        }
        this.deliver(copy, 0);
      }
    }
  }

  /** Deliver a datagram as if the kernel multicast it to `groups`. */
  inject(datagram: Buffer, groups = 1): void {
    this.deliver(Buffer.from(datagram), groups);
  }

  /** Deliver a receive error (e.g. an ENOBUFS overrun). */
  injectError(code: string): void {
    setImmediate(() => this.sink?.error(Object.assign(new Error(code), { code })));
  }

  private deliver(buf: Buffer, groups: number): void {
    this.backlog.push([buf, groups]);
    setImmediate(() => this.flush());
  }

  private flush(): void {
    while (this.sink && !this.paused && this.backlog.length) {
      const [buf, groups] = this.backlog.shift()!;
      this.sink.data(buf, 0, buf.length, 0, groups);
    }
  }

  start(sink: TransportSink): void {
    this.sink = sink;
    this.flush();
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
    setImmediate(() => this.flush());
  }
  addMembership(): void {
    /* nothing to join */
  }
  dropMembership(): void {
    /* nothing to leave */
  }
  close(): void {
    this.sink = undefined;
    this.backlog = [];
  }
}

/** Wraps a transport and records its traffic as exchanges that ReplayTransport can play back. */
export class RecordingTransport extends ForwardingTransport {
  readonly exchanges: Exchange[] = [];
  private readonly bySeq = new Map<number, Exchange>();

  override send(bufs: Buffer | readonly Buffer[]): void {
    const buf = Buffer.isBuffer(bufs) ? bufs : Buffer.concat(bufs as Buffer[]);
    for (const [off, len] of messagesOf(buf)) {
      const ex: Exchange = { sent: Buffer.from(buf.subarray(off, off + len)), received: [] };
      this.exchanges.push(ex);
      this.bySeq.set(buf.readUInt32LE(off + 8), ex);
    }
    this.inner.send(bufs);
  }

  override start(sink: TransportSink): void {
    this.inner.start({
      data: (buf, start, end, pid, groups) => {
        const d = buf.subarray(start, end);
        const ex = end - start >= NLMSG_HDRLEN ? this.bySeq.get(d.readUInt32LE(8)) : undefined;
        if (ex && !groups) ex.received.push(Buffer.from(d));
        sink.data(buf, start, end, pid, groups);
      },
      error: (e) => sink.error(e),
    });
  }
}
