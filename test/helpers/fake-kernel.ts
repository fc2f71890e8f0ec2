// One in-memory kernel for request-engine tests: records what the socket sends, and lets a
// test (or an answering function) decide what arrives, from which port, and when.
import { NLMSG_HDRLEN, type Transport, type TransportSink } from '../../src/core/index.js';

/** The header of one sent message. */
export interface SentMessage {
  seq: number;
  type: number;
  flags: number;
  bytes: Buffer;
}

/** Split a datagram into its messages' headers. */
export function splitSent(datagram: Buffer): SentMessage[] {
  const out: SentMessage[] = [];
  for (let p = 0; p + NLMSG_HDRLEN <= datagram.length; ) {
    const len = datagram.readUInt32LE(p);
    if (len < NLMSG_HDRLEN || p + len > datagram.length) break;
    out.push({
      seq: datagram.readUInt32LE(p + 8),
      type: datagram.readUInt16LE(p + 4),
      flags: datagram.readUInt16LE(p + 6),
      bytes: datagram.subarray(p, p + len),
    });
    p += (len + 3) & ~3;
  }
  return out;
}

export interface FakeKernelOptions {
  portId?: number;
  /** Computes the datagrams answering each sent datagram (default: none, the test answers). */
  answer?: (msgs: SentMessage[]) => Buffer[];
  /** Deliver answers inside send() rather than on a later turn of the event loop. */
  sync?: boolean;
  /** Accept unicast from any port (a transport whose peers are not the kernel). */
  anyPort?: boolean;
}

/** A Transport backed by the test: `deliver()` datagrams, `fail()` receive errors. */
export class FakeKernel implements Transport {
  readonly portId: number;
  readonly anyPort: boolean | undefined;
  /** Every datagram sent, in order. */
  readonly sent: Buffer[] = [];
  sink: TransportSink | undefined;
  paused = false;
  closed = false;
  readonly groups = new Set<number>();
  private readonly backlog: [Buffer, number, number][] = [];

  constructor(private readonly opts: FakeKernelOptions = {}) {
    this.portId = opts.portId ?? 4242;
    this.anyPort = opts.anyPort;
  }

  /** Every message sent, in order. */
  get messages(): SentMessage[] {
    return this.sent.flatMap(splitSent);
  }

  send(bufs: Buffer | readonly Buffer[]): void {
    if (this.closed) throw new Error('fake kernel: send after close');
    const b = Buffer.from(Buffer.isBuffer(bufs) ? bufs : Buffer.concat(bufs as Buffer[]));
    this.sent.push(b);
    const out = this.opts.answer?.(splitSent(b)) ?? [];
    if (this.opts.sync) for (const d of out) this.deliver(d);
    else if (out.length)
      setImmediate(() => {
        for (const d of out) this.deliver(d);
      });
  }

  /** A datagram arrives now (or when reading resumes): unicast from `pid`, or multicast to `groups`. */
  deliver(datagram: Buffer, opts: { pid?: number; groups?: number } = {}): void {
    if (this.closed) return;
    this.backlog.push([datagram, opts.pid ?? 0, opts.groups ?? 0]);
    this.flush();
  }

  /** A receive error, as the socket layer reports ENOBUFS or EIO. */
  fail(code: string, errno?: number): void {
    this.sink?.error(Object.assign(new Error(`recvmsg: ${code}`), { code, errno, syscall: 'recvmsg' }));
  }

  private flush(): void {
    while (this.sink && !this.paused && this.backlog.length) {
      const [b, pid, groups] = this.backlog.shift()!;
      this.sink.data(b, 0, b.length, pid, groups);
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
    this.flush();
  }
  addMembership(g: number): void {
    this.groups.add(g);
  }
  dropMembership(g: number): void {
    this.groups.delete(g);
  }
  close(): void {
    this.closed = true;
    this.sink = undefined;
  }
}
