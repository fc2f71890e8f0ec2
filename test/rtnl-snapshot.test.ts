// Helpers that read the current state (IPRoute's getters, waitFor) under constant change:
// dumps the kernel marks interrupted are retried, and waitFor fails only by its deadline.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DumpInterruptedError,
  NLM_F_DUMP_INTR,
  NLM_F_MULTI,
  NetlinkSocket,
  NetlinkTimeoutError,
} from '../src/core/index.js';
import { IPRoute, RTM, ifinfmsg, rtnlMarshal } from '../src/rtnl/index.js';
import { done } from './helpers/acks.js';
import { FakeKernel, type SentMessage } from './helpers/fake-kernel.js';
import { createNetns, deleteNetns, type TestNetns } from './helpers/netns.js';

/** A kernel whose link dumps are interrupted `interrupted` times, then answered cleanly. */
function churningKernel(interrupted: number): FakeKernel {
  let dumps = 0;
  return new FakeKernel({
    answer: (msgs: SentMessage[]) =>
      msgs.map((m) => {
        const intr = dumps++ < interrupted ? NLM_F_DUMP_INTR : 0;
        const link = ifinfmsg.encode({
          type: RTM.RTM_NEWLINK,
          flags: NLM_F_MULTI | intr,
          seq: m.seq,
          fields: { index: 7 },
          attrs: { IFLA_IFNAME: 'x0' },
        });
        return Buffer.concat([link, done(m.seq, NLM_F_MULTI | intr)]);
      }),
  });
}

describe('snapshots under change', () => {
  let ns: TestNetns;
  // waitFor also subscribes (a kernel socket): it lives in a namespace made for the test.
  before(async () => {
    ns = await createNetns();
  });
  after(async () => {
    await deleteNetns(ns);
  });
  const ipr = (k: FakeKernel): IPRoute =>
    new IPRoute({ socket: new NetlinkSocket({ transport: k, marshal: rtnlMarshal() }), netns: ns.name });

  it('getLinks retries a dump interrupted many times', async () => {
    const k = churningKernel(20);
    const r = ipr(k);
    const links = await r.getLinks();
    assert.deepEqual(
      links.map((l) => l.getAttr('IFLA_IFNAME')),
      ['x0'],
    );
    assert.equal(k.sent.length, 21);
    r.close();
  });

  it('getLinks gives up with DumpInterruptedError after its retry window', async () => {
    const r = ipr(churningKernel(Infinity));
    await assert.rejects(r.getLinks({}, { retryFor: 50 }), DumpInterruptedError);
    r.close();
  });

  it('waitFor retries interrupted dumps instead of failing', async () => {
    const r = ipr(churningKernel(20));
    const m = await r.waitFor('link', (l) => l.getAttr('IFLA_IFNAME') === 'x0', { timeout: 20_000 });
    assert.equal(m.getAttr('IFLA_IFNAME'), 'x0');
    r.close();
  });

  it('waitFor rejects only with NetlinkTimeoutError when every dump is interrupted', async () => {
    const r = ipr(churningKernel(Infinity));
    const wait = r.waitFor('link', (l) => l.getAttr('IFLA_IFNAME') === 'nope', { timeout: 200 });
    await assert.rejects(wait, NetlinkTimeoutError);
    r.close();
  });
});
