// Events: IPRoute.events() on the link and IPv4 address groups with default settings; count
// address events until N arrived (or SIGTERM); report ENOBUFS overruns and the last event's
// time. Prints 'ready' once subscribed so that the changes start only then.
import { performance } from 'node:perf_hooks';
import { Overrun } from 'nlroute/core';
import { IPRoute } from 'nlroute/rtnl';
import { intArg, nsOpt, runIfMain, type Args, type Result } from './common.js';

const RTM_NEWADDR = 20;

export async function run(args: Args): Promise<Result> {
  const n = intArg(args, 'n');
  const ipr = new IPRoute(nsOpt(args));
  const sub = ipr.events(['link', 'ipv4_ifaddr']);
  const state = { count: 0, other: 0, enobufs: 0, last_ms: 0 };
  const stop = (): void => sub.close();
  process.once('SIGTERM', stop);
  process.stdout.write('ready\n');
  try {
    for await (const ev of sub) {
      if (ev instanceof Overrun) state.enobufs++;
      else if (ev.type === RTM_NEWADDR) {
        state.count++;
        state.last_ms = performance.timeOrigin + performance.now();
        if (state.count >= n) break;
      } else state.other++;
    }
  } finally {
    process.off('SIGTERM', stop);
    ipr.close();
  }
  return state;
}

runIfMain(import.meta.url, run);
