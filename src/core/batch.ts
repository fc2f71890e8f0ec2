// The bookkeeping of NetlinkSocket.batch(): items sent many per datagram, answers found by
// sequence number, failures kept by item index.
import { NetlinkError, type ExtAck } from './errors.js';
import type { AnyMessage, AnySchema, MessageSpec } from './message.js';

/** What a batched request ended with. */
export type BatchResult =
  | { index: number; ok: true; messages: AnyMessage[] }
  | { index: number; ok: false; error: NetlinkError };

export interface BatchOptions {
  /**
   * 'errors' (default): only the last message of each chunk asks for an ACK; the kernel
   * still answers every failure, and handles a datagram in order, so the chunk's final ACK
   * proves the others succeeded. 'all': every message asks for its ACK.
   */
  acks?: 'errors' | 'all';
  /** Messages per datagram (default 1024 in 'errors' mode, 128 in 'all' mode). */
  chunk?: number;
  /** Datagrams in flight at once (default 2). */
  inflight?: number;
  /** Called for each failure as it arrives. */
  onError?: (err: NetlinkError, index: number) => void;
}

/**
 * One datagram of a batch: its items have consecutive sequence numbers, so an answer finds
 * its item by subtraction, and one object tracks them all (no per-item request state).
 */
export class BatchChunk {
  /** Items answered (or given up on); the chunk settles when all are. */
  private readonly answered: Uint8Array;
  private left: number;
  constructor(
    readonly run: BatchRun,
    readonly firstSeq: number,
    /** Index (in the batch) of the chunk's first item. */
    readonly first: number,
    readonly count: number,
  ) {
    this.answered = new Uint8Array(count);
    this.left = count;
  }

  /** Whether item k is still waiting for its answer. */
  open(k: number): boolean {
    return this.answered[k] === 0;
  }

  /** Item k is answered; returns true when that settles the chunk. */
  answer(k: number): boolean {
    if (this.answered[k]) return false;
    this.answered[k] = 1;
    return --this.left === 0;
  }

  /** Every item still open is done, successfully. */
  answerRest(): void {
    this.answered.fill(1);
    this.left = 0;
  }

  /** Items still open, by index in the batch. */
  *openItems(): Generator<number> {
    for (let k = 0; k < this.count; k++) if (!this.answered[k]) yield this.first + k;
  }
}

/** The state of one batch() call: failures and replies by item index, chunks in flight. */
export class BatchRun {
  readonly failed = new Map<number, NetlinkError>();
  /** Messages answered to items (NLM_F_ECHO, a get): rare, so kept only when there are some. */
  replies: Map<number, AnyMessage[]> | undefined;
  fatal: Error | undefined;
  /** Chunks sent and not yet settled. */
  inFlight = 0;
  wake: (() => void) | undefined;
  constructor(
    readonly items: readonly { schema: AnySchema; spec: MessageSpec<any, any> }[],
    readonly all: boolean,
    readonly onError: ((err: NetlinkError, index: number) => void) | undefined,
  ) {}

  fail(index: number, errno: number, extack: ExtAck): void {
    this.failWith(index, new NetlinkError(errno, extack, index));
  }

  failWith(index: number, e: NetlinkError): void {
    this.failed.set(index, e);
    this.onError?.(e, index);
  }

  /** Results in the public shape, built once every item is answered. */
  results(): BatchResult[] {
    const n = this.items.length,
      out = new Array<BatchResult>(n),
      failed = this.failed,
      replies = this.replies;
    for (let i = 0; i < n; i++) {
      const error = failed.size ? failed.get(i) : undefined;
      out[i] = error ? { index: i, ok: false, error } : { index: i, ok: true, messages: replies?.get(i) ?? [] };
    }
    return out;
  }
}
