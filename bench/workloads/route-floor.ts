// The floor of a route dump: the same RTM_GETROUTE dump received through nlroute's raw
// transport, bytes counted and message headers walked only to find the end; no parsing.
// With --save FILE the datagrams are written back to back (the codec workload's input).
import { writeFileSync } from 'node:fs';
import { NativeTransport, NETLINK_ROUTE, NLMSG_DONE, NLMSG_ERROR, NLM_F_DUMP, NLM_F_REQUEST } from 'nlroute/core';
import { nsOpt, runIfMain, type Args, type Result } from './common.js';

const RTM_GETROUTE = 26;
const AF_INET = 2;

/** nlmsghdr + struct rtmsg { family = AF_INET }: a dump of every IPv4 route. */
function dumpRequest(seq: number): Buffer {
  const b = Buffer.alloc(28);
  b.writeUInt32LE(28, 0);
  b.writeUInt16LE(RTM_GETROUTE, 4);
  b.writeUInt16LE(NLM_F_REQUEST | NLM_F_DUMP, 6);
  b.writeUInt32LE(seq, 8);
  b[16] = AF_INET;
  return b;
}

/** Dump every IPv4 route, counting bytes and messages. */
export async function run(args: Args): Promise<Result> {
  const save = args.save;
  const chunks: Buffer[] = [];
  const t = new NativeTransport(NETLINK_ROUTE, nsOpt(args));
  let bytes = 0,
    count = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      t.start({
        data(buf, start, end) {
          bytes += end - start;
          if (save) chunks.push(Buffer.from(buf.subarray(start, end)));
          for (let p = start; p + 16 <= end; ) {
            const len = buf.readUInt32LE(p);
            const type = buf.readUInt16LE(p + 4);
            if (type === NLMSG_DONE) return resolve();
            if (type === NLMSG_ERROR) return reject(new Error('the dump failed'));
            count++;
            if (len < 16) return reject(new Error('malformed message'));
            p += (len + 3) & ~3;
          }
        },
        error: reject,
      });
      t.send(dumpRequest(1));
    });
  } finally {
    t.close();
  }
  if (save) writeFileSync(save, Buffer.concat(chunks));
  return { count, bytes };
}

runIfMain(import.meta.url, run);
