// One outstanding request of a NetlinkSocket: what it collected, and how it may end.
import type { AnyMessage } from './message.js';

/** A request waiting for its answer: collects it until ACK, error or end of dump. */
export class Pending {
  readonly messages: AnyMessage[] = [];
  interrupted = false;
  /** Holds a slot of the socket's send gate (a request in flight, or the running dump). */
  counted = false;
  /** Handed to the transport: from here on, its answer may be on the way. */
  sent = false;
  /** Something arrived since the idle timer last looked. */
  active = false;
  timer: NodeJS.Timeout | undefined;
  idleTimer: NodeJS.Timeout | undefined;
  constructor(
    readonly seq: number,
    readonly flags: number,
    readonly isDump: boolean,
    readonly done: (err: Error | undefined, p: Pending) => void,
    /** Streaming consumer: gets messages instead of collecting them. */
    readonly onMessage?: (m: AnyMessage) => void,
    /** Streaming consumer of bytes: gets each answer where it lies, with no message object. */
    readonly onBytes?: (buf: Buffer, offset: number) => void,
  ) {}

  clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
  }
}
