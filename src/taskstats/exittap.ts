// Exit records are unicast to each listener with the kernel's own per-CPU sequence
// numbers, so they look like answers to our requests (and may even match a pending one).
// This transport wrapper takes them out of the stream before the socket sees it.
import { ForwardingTransport, NLMSG_HDRLEN, type Transport, type TransportSink } from '../core/index.js';
import { GENL_HDRLEN } from '../genl/constants.js';
import { TASKSTATS_CMD_NEW } from './constants.js';

/** Wraps a transport: datagrams of TASKSTATS_CMD_NEW from `familyId` go to `onRecord`. */
export class ExitRecordTap extends ForwardingTransport {
  /** The TASKSTATS family id, once resolved; until then nothing is diverted. */
  familyId = -1;

  constructor(
    inner: Transport,
    private readonly onRecord: (buf: Buffer, start: number, end: number) => void,
    private readonly onOverrun: () => void,
  ) {
    super(inner);
  }

  override start(sink: TransportSink): void {
    this.inner.start({
      data: (buf, start, end, pid, groups) => {
        // One exit record per datagram: the kernel sends each as its own skb.
        if (
          this.familyId >= 0 &&
          end - start >= NLMSG_HDRLEN + GENL_HDRLEN &&
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
}
