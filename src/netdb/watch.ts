// watch(): changes as an async iterable with a bounded queue. A consumer that falls more
// than `limit` changes behind gets WatchOverflowError (it must re-read the view) instead
// of the process growing without bound.
import type { Change } from './source.js';

export class WatchOverflowError extends Error {
  override name = 'WatchOverflowError';
  constructor(readonly limit: number) {
    super(`watch: more than ${limit} changes were waiting to be read; re-read the view and watch again`);
  }
}

export class Watch implements AsyncIterableIterator<Change> {
  private readonly queue: Change[] = [];
  private head = 0;
  private waiter: { resolve: (r: IteratorResult<Change>) => void; reject: (e: Error) => void } | undefined;
  private ended = false;
  private error: Error | undefined;

  constructor(
    private readonly match: (c: Change) => boolean,
    private readonly limit: number,
    private readonly onClose: (w: Watch) => void,
  ) {}

  /** Called for every change of the view. */
  push(c: Change): void {
    if (this.ended || !this.match(c)) return;
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w.resolve({ value: c, done: false });
      return;
    }
    if (this.queue.length - this.head >= this.limit) return this.fail(new WatchOverflowError(this.limit));
    this.queue.push(c);
  }

  private fail(e: Error): void {
    this.error = e;
    this.queue.length = 0;
    this.head = 0;
    this.close();
  }

  next(): Promise<IteratorResult<Change>> {
    if (this.head < this.queue.length) {
      const value = this.queue[this.head++];
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.error) {
      const e = this.error;
      this.error = undefined;
      return Promise.reject(e);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<Change>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Stop watching; a pending next() ends (or rejects, after an overflow). */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.onClose(this);
    const w = this.waiter;
    this.waiter = undefined;
    if (!w) return;
    if (this.error) {
      const e = this.error;
      this.error = undefined;
      w.reject(e);
    } else w.resolve({ value: undefined, done: true });
  }
}
