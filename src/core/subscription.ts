// A long-lived stream of multicast messages: an async iterable with an explicit close.
import { EventEmitter } from 'node:events';

/** Messages a subscription queues for a reader that lags (sized for a burst such as a link flap storm). */
export const DEFAULT_SUBSCRIPTION_QUEUE = 16384;
/** Consumed slots dropped from the queue's front at a time. */
const COMPACT_AT = 1024;

export interface SubscriptionOptions {
  /**
   * Messages kept for a reader that lags (default 16384). Past it, new messages are dropped
   * and the reader finds an Overrun marker, as after a kernel ENOBUFS: re-read the state.
   */
  maxQueue?: number;
}

/** The kernel dropped messages for this subscriber (ENOBUFS): state must be re-read. */
export class Overrun {
  readonly kind = 'overrun' as const;
  constructor(readonly at: Date = new Date()) {}
}

/**
 * `for await (const ev of sub)` yields messages (and Overrun markers) until `sub.close()`.
 * Also an EventEmitter: 'message', 'overrun', 'close'.
 */
export class Subscription<M> extends EventEmitter implements AsyncIterableIterator<M | Overrun> {
  private readonly queue: (M | Overrun)[] = [];
  private head = 0;
  private waiter: ((r: IteratorResult<M | Overrun>) => void) | undefined;
  private closed = false;
  private onWaiting: ((waiting: boolean) => void) | undefined;
  /** Messages kept for a reader that lags. */
  readonly maxQueue: number;
  /** Overruns seen so far: the kernel's, and the reader's own falling behind. */
  overruns = 0;
  /** Messages delivered so far. */
  received = 0;
  /** Messages dropped because the reader fell more than maxQueue behind. */
  dropped = 0;

  constructor(
    private readonly onClose: () => void,
    private readonly filter?: (m: M) => boolean,
    opts: SubscriptionOptions = {},
  ) {
    super();
    const max = opts.maxQueue ?? DEFAULT_SUBSCRIPTION_QUEUE;
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxQueue must be a positive integer, got ${max}`);
    this.maxQueue = max;
  }

  /** Told when a reader starts or stops waiting in next() (a socket stays referenced meanwhile). */
  watchWaiting(fn: (waiting: boolean) => void): void {
    this.onWaiting = fn;
  }

  /** Called by the socket for each multicast message. */
  push(m: M): void {
    if (this.closed || (this.filter && !this.filter(m))) return;
    this.received++;
    this.emit('message', m);
    if (this.waiter || this.pending < this.maxQueue) return this.deliver(m);
    // The reader lags: keep what is queued, drop the rest behind one Overrun marker.
    this.dropped++;
    if (!(this.queue[this.queue.length - 1] instanceof Overrun)) {
      this.overruns++;
      this.queue.push(new Overrun());
    }
  }

  /** Called by the socket when the kernel reports an overrun. */
  overrun(): void {
    if (this.closed) return;
    this.overruns++;
    const o = new Overrun();
    this.emit('overrun', o);
    this.deliver(o);
  }

  private deliver(x: M | Overrun): void {
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      this.onWaiting?.(false);
      w({ value: x, done: false });
    } else this.queue.push(x);
  }

  /** Messages waiting to be read. */
  get pending(): number {
    return this.queue.length - this.head;
  }

  next(): Promise<IteratorResult<M | Overrun>> {
    if (this.head < this.queue.length) {
      const value = this.queue[this.head++];
      if (this.head > COMPACT_AT && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    this.onWaiting?.(true);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  return(): Promise<IteratorResult<M | Overrun>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Stop receiving; a pending `next()` ends the iteration. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.head = 0;
    const w = this.waiter;
    this.waiter = undefined;
    if (w) this.onWaiting?.(false);
    w?.({ value: undefined, done: true });
    this.onClose();
    this.emit('close');
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}
