// Hand-built control messages for request-engine tests: what the kernel answers.
import { NLMSG_DONE, NLMSG_ERROR, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_MULTI } from '../../src/core/index.js';

/** NLMSG_ERROR for `seq`: an ACK (errno 0) or an error, with extended-ACK text if given. */
export function ack(seq: number, errno = 0, text?: string): Buffer {
  const tlv = text ? Buffer.alloc(4 + ((text.length + 1 + 3) & ~3)) : Buffer.alloc(0);
  if (text) {
    tlv.writeUInt16LE(4 + text.length + 1, 0);
    tlv.writeUInt16LE(1, 2);
    tlv.write(text, 4);
  }
  const b = Buffer.alloc(36 + tlv.length);
  b.writeUInt32LE(b.length, 0);
  b.writeUInt16LE(NLMSG_ERROR, 4);
  b.writeUInt16LE(NLM_F_CAPPED | (text ? NLM_F_ACK_TLVS : 0), 6);
  b.writeUInt32LE(seq, 8);
  b.writeInt32LE(-errno, 16);
  b.writeUInt32LE(16, 20);
  tlv.copy(b, 36);
  return b;
}

/** NLMSG_DONE ending a dump. */
export function done(seq: number, flags = NLM_F_MULTI): Buffer {
  const b = Buffer.alloc(20);
  b.writeUInt32LE(20, 0);
  b.writeUInt16LE(NLMSG_DONE, 4);
  b.writeUInt16LE(flags, 6);
  b.writeUInt32LE(seq, 8);
  return b;
}
