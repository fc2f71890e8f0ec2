// The async iterator of NetlinkSocket.dump(): messages as they arrive, with a high-water
// mark the socket uses to stop reading while the consumer lags.
import type { AnyMessage } from './message.js';

/** Messages queued before the socket stops reading for this stream. */
export const STREAM_HIGH = 16384;
/** Consumed slots dropped from the queue's front at a time. */
const COMPACT_AT = 4096;

/** A stream of dump messages with backpressure on the socket. */
export class DumpStream implements AsyncIterableIterator<AnyMessage> {
  private readonly queue: AnyMessage[] = [];
  private head = 0;
  private waiter: { resolve: (r: IteratorResult<AnyMessage>) => void; reject: (e: Error) => void } | undefined;
  private ended = false;
  private error: Error | undefined;
  discard = false;

  constructor(
    private readonly onDrain: () => void,
    private readonly onAbandon: () => void,
  ) {}

  get size(): number {
    return this.queue.length - this.head;
  }

  push(m: AnyMessage): void {
    if (this.discard) return;
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w.resolve({ value: m, done: false });
    } else this.queue.push(m);
  }

  end(err?: Error): void {
    this.ended = true;
    this.error = err;
    const w = this.waiter;
    this.waiter = undefined;
    if (w) err ? w.reject(err) : w.resolve({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<AnyMessage>> {
    if (this.head < this.queue.length) {
      const value = this.queue[this.head++];
      if (this.head >= COMPACT_AT) {
        this.queue.splice(0, this.head);
        this.head = 0;
        this.onDrain();
      }
      return Promise.resolve({ value, done: false });
    }
    this.onDrain();
    if (this.ended) return this.error ? Promise.reject(this.error) : Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<AnyMessage>> {
    // The kernel keeps sending the rest of the dump: drop it as it comes.
    this.discard = true;
    this.queue.length = 0;
    this.head = 0;
    this.onAbandon();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
