// A varlink client over a UNIX socket: calls answered in order, streaming calls as async
// iterables, oneway calls; error replies become VarlinkError.
import { connect, type Socket } from 'node:net';
import { VarlinkError } from './errors.js';
import { Framer, frame, VarlinkProtocolError } from './wire.js';

interface Waiter {
  /** Called with each reply; returns true when the call is complete. */
  onReply(msg: Record<string, unknown>): boolean;
  onClose(err: Error): void;
}

/** 'unix:/run/x' or a plain path; '@name' is the abstract namespace. */
function socketPath(address: string): string {
  const path = address.startsWith('unix:') ? address.slice(5).split(';')[0] : address;
  return path.startsWith('@') ? `\0${path.slice(1)}` : path;
}

export class VarlinkClient {
  private readonly waiters: Waiter[] = [];
  private readonly framer: Framer;
  private closed: Error | undefined;

  private constructor(
    private readonly sock: Socket,
    maxMessageBytes: number,
  ) {
    this.framer = new Framer(maxMessageBytes);
    sock.on('data', (chunk: Buffer) => this.onData(chunk));
    sock.on('error', (e) => this.shut(e));
    sock.on('close', () => this.shut(new VarlinkProtocolError('connection closed')));
  }

  /** Connects to a varlink service ('unix:/run/nlroute/io.nlroute.Network'). */
  static connect(address: string, opts: { maxMessageBytes?: number } = {}): Promise<VarlinkClient> {
    return new Promise((resolve, reject) => {
      const s = connect(socketPath(address));
      s.once('error', reject);
      s.once('connect', () => {
        s.off('error', reject);
        resolve(new VarlinkClient(s, opts.maxMessageBytes ?? 16 << 20));
      });
    });
  }

  /** Calls a method and resolves with its reply parameters. */
  call<T = Record<string, unknown>>(method: string, parameters: object = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.send(
        { method, parameters },
        {
          onReply: (msg) => {
            if (typeof msg.error === 'string')
              reject(new VarlinkError(msg.error, (msg.parameters ?? {}) as Record<string, unknown>));
            else resolve((msg.parameters ?? {}) as T);
            return true;
          },
          onClose: reject,
        },
      );
    });
  }

  /** Calls a method with `more`: every reply until the one without `continues`. */
  async *stream<T = Record<string, unknown>>(
    method: string,
    parameters: object = {},
  ): AsyncGenerator<T, void, undefined> {
    const got: (Record<string, unknown> | Error)[] = [];
    let wake: (() => void) | undefined;
    let done = false;
    this.send(
      { method, parameters, more: true },
      {
        onReply: (msg) => {
          got.push(msg);
          wake?.();
          done = msg.continues !== true;
          return done;
        },
        onClose: (err) => {
          got.push(err);
          wake?.();
        },
      },
    );
    for (;;) {
      if (!got.length) await new Promise<void>((r) => (wake = r));
      wake = undefined;
      const msg = got.shift()!;
      if (msg instanceof Error) throw msg;
      if (typeof msg.error === 'string')
        throw new VarlinkError(msg.error, (msg.parameters ?? {}) as Record<string, unknown>);
      yield (msg.parameters ?? {}) as T;
      if (msg.continues !== true) return;
    }
  }

  /** Sends a call that gets no reply. */
  oneway(method: string, parameters: object = {}): void {
    if (this.closed) throw this.closed;
    this.sock.write(frame({ method, parameters, oneway: true }));
  }

  close(): void {
    this.sock.destroy();
  }

  private send(msg: object, w: Waiter): void {
    if (this.closed) {
      w.onClose(this.closed);
      return;
    }
    this.waiters.push(w);
    this.sock.write(frame(msg));
  }

  private onData(chunk: Buffer): void {
    let msgs: Buffer[];
    try {
      msgs = this.framer.push(chunk);
    } catch (e) {
      this.shut(e as Error);
      this.sock.destroy();
      return;
    }
    for (const m of msgs) {
      let v: unknown;
      try {
        v = JSON.parse(m.toString('utf8'));
      } catch {
        this.shut(new VarlinkProtocolError('the service sent a message that is not JSON'));
        this.sock.destroy();
        return;
      }
      const w = this.waiters[0];
      if (!w || typeof v !== 'object' || v === null) {
        this.shut(new VarlinkProtocolError('the service sent a reply nobody asked for'));
        this.sock.destroy();
        return;
      }
      if (w.onReply(v as Record<string, unknown>)) this.waiters.shift();
    }
  }

  private shut(err: Error): void {
    if (this.closed) return;
    this.closed = err;
    for (const w of this.waiters.splice(0)) w.onClose(err);
  }
}
