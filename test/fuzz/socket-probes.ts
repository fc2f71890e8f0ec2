// Figures of the socket layer under abuse, on the shared fake kernel (no kernel needed):
// node dist/test/fuzz/socket-probes.js
import { Marshal, NLM_F_DUMP, NetlinkSocket } from '../../src/core/index.js';
import { FakeKernel } from '../helpers/fake-kernel.js';
import { RTM_GETLINK, RTM_NEWLINK, link } from '../helpers/test-link.js';

const open = (k: FakeKernel): NetlinkSocket =>
  new NetlinkSocket({ transport: k, marshal: new Marshal({ [RTM_NEWLINK]: link }) });
const event = (seq: number, i: number): Buffer =>
  link.encode({ type: RTM_NEWLINK, seq, fields: { index: i }, attrs: { IFLA_IFNAME: `veth${i}`, IFLA_MTU: 1500 } });
const rssMB = (): number => {
  globalThis.gc?.();
  return process.memoryUsage().rss / 2 ** 20;
};

{
  // 1,000 requests and 3 dumps queued behind the in-flight limit, then close().
  const k = new FakeKernel(),
    sock = open(k);
  const add = (i: number): Promise<unknown> =>
    sock.request(link, { type: RTM_NEWLINK, fields: { index: i } }).catch(() => {});
  const all = Array.from({ length: 1000 }, (_, i) => add(i));
  for (let i = 0; i < 3; i++) all.push(sock.request(link, { type: RTM_GETLINK, flags: NLM_F_DUMP }).catch(() => {}));
  const before = k.sent.length;
  sock.close();
  await Promise.all(all);
  console.log(`close: ${before} datagrams sent before close(), ${k.sent.length - before} during it`);
}

{
  // An unread subscription under 100,000 events.
  const k = new FakeKernel(),
    sock = open(k);
  const r0 = rssMB();
  const sub = sock.subscribe([1]);
  for (let i = 0; i < 100_000; i++) k.deliver(event(0, i), { groups: 1 });
  console.log(`unread subscription: ${sub.pending} queued of 100000 events, RSS +${(rssMB() - r0).toFixed(0)} MB`);
  sock.close();
}

{
  // 200,000 unclaimed datagrams after low-level sendto().
  const k = new FakeKernel(),
    sock = open(k);
  const r0 = rssMB();
  sock.sendto(link.encode({ type: RTM_GETLINK, flags: 1, seq: 1 }));
  for (let i = 0; i < 200_000; i++) k.deliver(event(1_000_000 + i, i));
  const dropped = (sock as unknown as { stats?: { strays: number } }).stats?.strays ?? 0;
  const grew = (rssMB() - r0).toFixed(0);
  console.log(`strays: ${200_000 - dropped} kept, ${dropped} dropped and counted, RSS +${grew} MB`);
  sock.close();
}
