// IPSet list: list one set back completely, every entry's address read.
import { IPSet } from 'nlroute/ipset';
import { nsOpt, runIfMain, type Args, type Result } from './common.js';

export async function run(args: Args): Promise<Result> {
  const name = args.name ?? 'bench';
  const ips = new IPSet(nsOpt(args));
  try {
    const sets = await ips.list(name);
    let count = 0;
    for (const s of sets) for (const e of s.entries) if (e.ip !== undefined) count++;
    return { count };
  } finally {
    ips.close();
  }
}

runIfMain(import.meta.url, run);
