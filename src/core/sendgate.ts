// When a tracked request may go to the kernel. The kernel runs one dump per socket at a time
// (EBUSY otherwise), and a burst of dumps or requests would overflow the receive buffer with
// answers: dumps go one by one, other requests up to a limit in flight, the rest wait here.

/** Sends the request if it still wants to go; false when it was settled while waiting. */
export type SendJob = () => boolean;

export class SendGate {
  private inFlight = 0;
  private readonly waiting: SendJob[] = [];
  private dumping = false;
  private readonly dumps: SendJob[] = [];
  private closed = false;

  constructor(private readonly maxInFlight: number) {}

  /** A request (not a dump): sent now if a slot is free; call requestDone() when it ends. */
  request(job: SendJob): void {
    this.waiting.push(job);
    this.pumpRequests();
  }

  requestDone(): void {
    this.inFlight--;
    this.pumpRequests();
  }

  /** A dump: sent when no other dump runs; call dumpDone() when it ends. */
  dump(job: SendJob): void {
    this.dumps.push(job);
    this.pumpDumps();
  }

  dumpDone(): void {
    this.dumping = false;
    this.pumpDumps();
  }

  /** Nothing waiting is ever sent. */
  close(): void {
    this.closed = true;
    this.waiting.length = 0;
    this.dumps.length = 0;
  }

  private pumpRequests(): void {
    while (!this.closed && this.inFlight < this.maxInFlight && this.waiting.length) {
      // Counted before the job runs: a transport may answer (and end it) from inside send().
      this.inFlight++;
      if (!this.waiting.shift()!()) this.inFlight--;
    }
  }

  private pumpDumps(): void {
    while (!this.closed && !this.dumping && this.dumps.length) {
      this.dumping = true;
      if (!this.dumps.shift()!()) this.dumping = false;
    }
  }
}
