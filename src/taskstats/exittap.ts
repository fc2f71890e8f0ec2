// Exit records are unicast to each listener with the kernel's own per-CPU sequence
// numbers, so they look like answers to our requests (and may even match a pending one).
// This transport wrapper takes them out of the stream before the socket sees it.
import type { Transport, TransportSink } from '../core/index.js';
import { TASKSTATS_CMD_NEW } from './constants.js';

/** Wraps a transport: datagrams of TASKSTATS_CMD_NEW from `familyId` go to `onRecord`. */
export class ExitRecordTap implements Transport {
  /** The TASKSTATS family id, once resolved; until then nothing is diverted. */
  familyId = -1;

  constructor(
    readonly inner: Transport,
    private readonly onRecord: (buf: Buffer, start: number, end: number) => void,
    private readonly onOverrun: () => void,
  ) {}

  get portId(): number {
    return this.inner.portId;
  }

  start(sink: TransportSink): void {
    this.inner.start({
      data: (buf, start, end, pid, groups) => {
        // One exit record per datagram: the kernel sends each as its own skb.
        if (
          this.familyId >= 0 &&
          end - start >= 20 &&
          buf.readUInt16LE(start + 4) === this.familyId &&
          buf[start + 16] === TASKSTATS_CMD_NEW
        ) {
          this.onRecord(buf, start, end);
        } else sink.data(buf, start, end, pid, groups);
      },
      error: (err) => {
        if (err.code === 'ENOBUFS') this.onOverrun();
        sink.error(err);
      },
    });
  }

  send(bufs: Buffer | readonly Buffer[]): void {
    this.inner.send(bufs);
  }
  pause(): void {
    this.inner.pause();
  }
  resume(): void {
    this.inner.resume();
  }
  ref(): void {
    this.inner.ref?.();
  }
  unref(): void {
    this.inner.unref?.();
  }
  addMembership(group: number): void {
    this.inner.addMembership(group);
  }
  dropMembership(group: number): void {
    this.inner.dropMembership(group);
  }
  setOption(level: number, name: number, value: number): void {
    this.inner.setOption?.(level, name, value);
  }
  getOption(level: number, name: number): number {
    if (!this.inner.getOption) throw new Error('transport has no socket options');
    return this.inner.getOption(level, name);
  }
  close(): void {
    this.inner.close();
  }
}
