// A long-lived stream of multicast messages: an async iterable with an explicit close.
import { EventEmitter } from 'node:events';

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
  /** Overruns seen so far. */
  overruns = 0;
  /** Messages delivered so far. */
  received = 0;

  constructor(private readonly onClose: () => void, private readonly filter?: (m: M) => boolean) {
    super();
  }

  /** Called by the socket for each multicast message. */
  push(m: M): void {
    if (this.closed || (this.filter && !this.filter(m))) return;
    this.received++;
    this.emit('message', m);
    this.deliver(m);
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
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => { this.waiter = resolve; });
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
