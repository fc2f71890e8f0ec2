// Codec only: decode a recorded route dump in memory, lazily, reading each destination.
// --mode speed: messages per second (median of timed passes after warm-up passes).
// --mode alloc: bytes allocated per message; needs `node --expose-gc --min-semi-space-size=N
// --max-semi-space-size=N` so that no scavenge runs during the pass (checked, not assumed).
import { readFileSync } from 'node:fs';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { rtnlMarshal } from 'nlroute/rtnl';
import type { RtMessage } from 'nlroute/rtnl';
import { intArg, runIfMain, type Args, type Result } from './common.js';

const RTM_NEWROUTE = 24;
/** What the kernel puts in one dump datagram at most (it grows to 32 KiB). */
const DATAGRAM = 32768;

/** Cut the recording into datagram-sized runs of whole messages, as they arrived. */
function datagrams(buf: Buffer): [number, number][] {
  const out: [number, number][] = [];
  let start = 0,
    p = 0;
  while (p + 16 <= buf.length) {
    const len = buf.readUInt32LE(p);
    if (len < 16) throw new Error(`bad message length ${len} at ${p}`);
    const next = p + ((len + 3) & ~3);
    if (next - start > DATAGRAM && p > start) {
      out.push([start, p]);
      start = p;
    }
    p = next;
  }
  if (p > start) out.push([start, p]);
  return out;
}

/** One decode pass: parse every datagram, read RTA_DST of every route. */
function pass(
  buf: Buffer,
  ranges: [number, number][],
  marshal: ReturnType<typeof rtnlMarshal>,
  keep?: unknown[],
): number {
  let n = 0;
  for (const [s, e] of ranges) {
    const msgs = marshal.parse(buf, s, e);
    for (let i = 0; i < msgs.length; i++) {
      const m = msgs[i];
      if (m.type !== RTM_NEWROUTE) continue;
      const dst = (m as RtMessage).getAttr('RTA_DST');
      if (dst !== undefined) n++;
      if (keep) keep.push(dst);
    }
    if (keep) keep.push(msgs);
  }
  return n;
}

export async function run(args: Args): Promise<Result> {
  if (!args.file) throw new Error('--file is required');
  const buf = readFileSync(args.file);
  const ranges = datagrams(buf);
  const marshal = rtnlMarshal();
  const mode = args.mode ?? 'speed';
  if (mode === 'alloc') {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('alloc mode needs node --expose-gc');
    pass(buf, ranges, marshal); // compile the code paths first
    const gcStarts: number[] = [];
    const obs = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) gcStarts.push(e.startTime);
    });
    obs.observe({ entryTypes: ['gc'] });
    gc();
    const keep: unknown[] = [];
    const t0 = performance.now();
    const before = v8.getHeapStatistics().used_heap_size;
    const count = pass(buf, ranges, marshal, keep);
    const after = v8.getHeapStatistics().used_heap_size;
    const t1 = performance.now();
    await new Promise((r) => setTimeout(r, 10));
    obs.disconnect();
    const gcs = gcStarts.filter((t) => t >= t0 && t <= t1).length;
    // The array holding the results is ours, not the decoder's: subtract its slots.
    const own = keep.length * 8;
    return { count, bytes_per_msg: (after - before - own) / count, gcs_during: gcs, wall_s: 0 };
  }
  const warm = intArg(args, 'warm', 3),
    reps = intArg(args, 'reps', 7);
  const minMsgs = intArg(args, 'min-msgs', 100000);
  let count = 0;
  for (let i = 0; i < warm; i++) count = pass(buf, ranges, marshal);
  // Small recordings are decoded several times per timed pass so that a pass is long enough to time.
  const loops = Math.max(1, Math.ceil(minMsgs / Math.max(1, count)));
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    for (let l = 0; l < loops; l++) pass(buf, ranges, marshal);
    times.push((performance.now() - t0) / 1000 / loops);
  }
  times.sort((a, b) => a - b);
  const median = times[times.length >> 1];
  return { count, wall_s: median, msgs_per_s: count / median, best_msgs_per_s: count / times[0], bytes: buf.length };
}

runIfMain(import.meta.url, run);
