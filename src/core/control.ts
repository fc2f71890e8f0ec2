// Netlink's own control messages (NLMSG_ERROR, NLMSG_DONE, ...) and the extended ACK.
import { attrMap } from './attrs.js';
import {
  NLMSG_DONE,
  NLMSG_ERROR,
  NLMSG_HDRLEN,
  NLMSG_NOOP,
  NLMSG_OVERRUN,
  NLM_F_ACK_TLVS,
  NLM_F_CAPPED,
  align4,
} from './constants.js';
import { NetlinkDecodeError, type ExtAck } from './errors.js';
import { MessageSchema } from './message.js';
import { asciiz, binary, hex, s32, struct, u16, u32 } from './types.js';

export const extackAttrs = attrMap('nlmsgerr_attrs', {
  NLMSGERR_ATTR_MSG: [1, asciiz],
  NLMSGERR_ATTR_OFFS: [2, u32],
  NLMSGERR_ATTR_COOKIE: [3, binary],
  NLMSGERR_ATTR_POLICY: [4, hex],
  NLMSGERR_ATTR_MISS_TYPE: [5, u32],
  NLMSGERR_ATTR_MISS_NEST: [6, u32],
});

/** Where the extended-ACK TLVs of an NLMSG_ERROR begin: after the echoed request. */
function errAttrStart(buf: Buffer, off: number, len: number): number {
  const flags = buf.readUInt16LE(off + 6);
  const base = off + NLMSG_HDRLEN + 4;
  if (!(flags & NLM_F_ACK_TLVS)) return off + len;
  if (flags & NLM_F_CAPPED) return base + NLMSG_HDRLEN;
  const echoed = base + 4 <= off + len ? buf.readUInt32LE(base) : NLMSG_HDRLEN;
  // A corrupt echoed length must not point outside the message (nor overflow align4).
  if (echoed > len) return off + len;
  return Math.min(off + len, base + align4(Math.max(echoed, NLMSG_HDRLEN)));
}

export const nlmsgerr = new MessageSchema(
  'core.nlmsgerr',
  struct(
    'nlmsgerr',
    {
      error: s32,
      msg_len: u32,
      msg_type: u16,
      msg_flags: u16,
      msg_seq: u32,
      msg_pid: u32,
    },
    { minSize: 4 },
  ),
  extackAttrs,
  { types: { NLMSG_ERROR }, attrStart: errAttrStart },
);

export const nlmsgdone = new MessageSchema(
  'core.nlmsgdone',
  struct('nlmsgdone', { error: s32 }, { minSize: 0 }),
  extackAttrs,
  {
    types: { NLMSG_DONE },
    attrStart: (buf, off, len) => (buf.readUInt16LE(off + 6) & NLM_F_ACK_TLVS ? off + NLMSG_HDRLEN + 4 : off + len),
  },
);

export const nlmsgempty = new MessageSchema('core.nlmsg', struct('empty', {}), attrMap('none', {}), {
  types: { NLMSG_NOOP, NLMSG_OVERRUN },
});

/** A message class that knows nothing but the header: payload shown as hex. */
export const nlmsgraw = new MessageSchema('core.raw', struct('empty', {}), attrMap('none', {}), {
  attrStart: (_b, off, len) => off + len,
});

/** Read the errno and extended ACK of an NLMSG_ERROR or NLMSG_DONE at `off`. */
export function readAck(buf: Buffer, off: number): { error: number; extack: ExtAck } {
  const len = buf.readUInt32LE(off);
  const type = buf.readUInt16LE(off + 4);
  const error = len >= NLMSG_HDRLEN + 4 ? buf.readInt32LE(off + NLMSG_HDRLEN) : 0;
  const extack: ExtAck = {};
  if (buf.readUInt16LE(off + 6) & NLM_F_ACK_TLVS) {
    const m = (type === NLMSG_ERROR ? nlmsgerr : nlmsgdone).decode(buf, off);
    for (const e of m.entries(false)) {
      if (e.error) continue;
      if (e.name === 'NLMSGERR_ATTR_MSG') extack.message = e.value as string;
      else if (e.name === 'NLMSGERR_ATTR_OFFS') extack.offset = e.value as number;
      else if (e.name === 'NLMSGERR_ATTR_COOKIE') extack.cookie = e.value as Buffer;
      else if (e.name === 'NLMSGERR_ATTR_POLICY') extack.policy = e.value as Buffer;
      else if (e.name === 'NLMSGERR_ATTR_MISS_TYPE') extack.missingType = e.value as number;
      else if (e.name === 'NLMSGERR_ATTR_MISS_NEST') extack.missingNest = e.value as number;
    }
  }
  return { error, extack };
}

/**
 * Why an NLMSG_ERROR or NLMSG_DONE at `off` cannot be trusted, or undefined if it can. The
 * kernel's NLMSG_ERROR always holds an errno and the request's header, and an errno is never
 * positive: anything else must not pass for an ACK.
 */
export function checkAck(buf: Buffer, off: number): NetlinkDecodeError | undefined {
  const len = buf.readUInt32LE(off);
  if (buf.readUInt16LE(off + 4) === NLMSG_ERROR && len < NLMSG_HDRLEN + 4 + NLMSG_HDRLEN) {
    return new NetlinkDecodeError(`NLMSG_ERROR of ${len} bytes is shorter than struct nlmsgerr`, off);
  }
  if (len >= NLMSG_HDRLEN + 4 && buf.readInt32LE(off + NLMSG_HDRLEN) > 0) {
    return new NetlinkDecodeError(`positive errno ${buf.readInt32LE(off + NLMSG_HDRLEN)} in an acknowledgement`, off);
  }
  return undefined;
}
