// NetDB events replayed in process: a recorded dump of the namespace's routes (the bytes of
// RTM_NEWROUTE messages, as events carry them) applied to a view as additions, then again
// as deletions. Reports events/s of the apply loop (split from the recording included).
import { performance } from 'node:perf_hooks';
import { NETLINK_ROUTE, NLM_F_DUMP, NetlinkSocket } from 'nlroute/core';
import { RTM, rtmsg, rtnlMarshal } from 'nlroute/rtnl';
import { NetDB } from 'nlroute/netdb';
import { intArg, nsOpt, runIfMain, type Args, type Result } from './common.js';

/** The raw bytes of a route dump, each message kept as it came. */
async function record(args: Args): Promise<Buffer[]> {
  const sock = new NetlinkSocket({ protocol: NETLINK_ROUTE, marshal: rtnlMarshal(), ...nsOpt(args) });
  try {
    const msgs = await sock.request(rtmsg, { type: RTM.RTM_GETROUTE, flags: NLM_F_DUMP, fields: { family: 2 } });
    return msgs.map((m) => Buffer.from(m.bytes()));
  } finally {
    sock.close();
  }
}

export async function run(args: Args): Promise<Result> {
  const min = intArg(args, 'min-routes', 0);
  const adds = await record(args);
  if (adds.length < min) throw new Error(`${adds.length} routes recorded, expected at least ${min}`);
  const dels = adds.map((b) => {
    const d = Buffer.from(b);
    d.writeUInt16LE(RTM.RTM_DELROUTE, 4);
    return d;
  });
  const addBuf = Buffer.concat(adds),
    delBuf = Buffer.concat(dels);
  // A view of an empty namespace-to-be: the recording is applied to its main source.
  const db = await NetDB.open({ ...nsOpt(args), neighbours: false, rules: false });
  try {
    const src = db.source();
    const marshal = rtnlMarshal();
    const before = src.tables.routes.size;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    marshal.each(
      addBuf,
      0,
      addBuf.length,
      (m) => src.apply(m),
      (e) => {
        throw e;
      },
    );
    const mid = src.tables.routes.size;
    marshal.each(
      delBuf,
      0,
      delBuf.length,
      (m) => src.apply(m),
      (e) => {
        throw e;
      },
    );
    const s = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1e6;
    if (src.tables.routes.size !== before - adds.length + (mid - before))
      throw new Error('replay left the table inconsistent');
    const events = adds.length * 2;
    return {
      count: events,
      events_per_s: Math.round(events / s),
      events_per_cpu_s: Math.round(events / cpu),
      replay_s: s,
      replay_cpu_s: cpu,
    };
  } finally {
    db.close();
  }
}

runIfMain(import.meta.url, run);
