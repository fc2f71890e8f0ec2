// IPSet adds: create a hash:ip set and add N IPv4 entries, with addMany (packed, pipelined)
// or a plain add() loop (--mode loop).
import { IPSet } from 'nlroute/ipset';
import { intArg, ipv4At, nsOpt, runIfMain, type Args, type Result } from './common.js';

export async function run(args: Args): Promise<Result> {
  const n = intArg(args, 'n');
  const name = args.name ?? 'bench';
  const base = args.base ?? '10.0.0.0';
  const ips = new IPSet(nsOpt(args));
  try {
    await ips.create(name, { stype: 'hash:ip', maxelem: Math.max(65536, 2 * n), hashsize: Math.max(1024, n >> 2) });
    const entries = Array.from({ length: n }, (_, i) => ipv4At(base, i));
    if (args.mode === 'loop') {
      for (const e of entries) await ips.add(name, e, { stype: 'hash:ip' });
    } else {
      const r = await ips.addMany(name, entries, { stype: 'hash:ip' });
      if (r.errors.length) throw new Error(`${r.errors.length} adds failed, first: ${r.errors[0].error.message}`);
      if (r.done !== n) throw new Error(`addMany did ${r.done} of ${n}`);
    }
    return { count: n };
  } finally {
    ips.close();
  }
}

runIfMain(import.meta.url, run);
