// nlroute's bridge VLAN database and MDB requests equal bridge(8)'s (iproute2 6.1) byte for byte,
// seq aside. The golden datagrams were captured with strace from `bridge` in the test VM (whose
// kernel has VLAN filtering); options bridge 6.1 does not know (mcast_max_groups, neigh_suppress,
// source lists) are pinned against the UAPI layout instead.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NetlinkSocket } from '../src/core/index.js';
import { IPRoute, rtnlMarshal, type BrVlanSpec, type MdbSpec } from '../src/rtnl/index.js';
import { ack, done } from './helpers/acks.js';
import { FakeKernel, type SentMessage } from './helpers/fake-kernel.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const noSeq = (b: Buffer): string => {
  const c = Buffer.from(b);
  c.fill(0, 8, 16);
  return c.toString('hex');
};

/** An IPRoute over a fake kernel that ACKs every request and ends every dump at once. */
function fake(): { ipr: IPRoute; k: FakeKernel } {
  const k = new FakeKernel({
    answer: (msgs: SentMessage[]) => msgs.map((m) => (m.flags & 0x300 ? done(m.seq) : ack(m.seq))),
  });
  const ipr = new IPRoute({ socket: new NetlinkSocket({ transport: k, marshal: rtnlMarshal() }) });
  return { ipr, k };
}

async function sent(run: (ipr: IPRoute) => Promise<unknown>): Promise<string> {
  const { ipr, k } = fake();
  try {
    await run(ipr);
  } finally {
    ipr.close();
  }
  assert.equal(k.messages.length, 1);
  return noSeq(k.messages[0].bytes);
}

// Captured from bridge 6.1: p0 has index 4, br0 index 2.
const GOLDEN = {
  'vlan set dev p0 vid 10 state learning': `2c000000 7000 0500 00000000 00000000 07000000 04000000
    14000180 08000100 40000a00 05000300 02000000`,
  'vlan set dev p0 vid 100-105 mcast_router 2': `34000000 7000 0500 00000000 00000000 07000000 04000000
    1c000180 08000100 40006400 06000200 69000000 05000600 02000000`,
  'vlan global set dev br0 vid 10 mcast_snooping 1 mcast_igmp_version 3 mcast_query_interval 3000': `40000000
    7000 0500 00000000 00000000 07000000 02000000 28000280 06000100 0a000000 05000300 01000000
    05000400 03000000 0c000c00 b80b0000 00000000`,
  '-d vlan show': `20000000 7200 0103 00000000 00000000 07000000 00000000 08000100 00000000`,
  '-d -s vlan show': `20000000 7200 0103 00000000 00000000 07000000 00000000 08000100 01000000`,
  'vlan global show': `20000000 7200 0103 00000000 00000000 07000000 00000000 08000100 02000000`,
  'mdb add dev br0 port p0 grp 239.1.1.1 permanent vid 10': `38000000 5400 0506 00000000 00000000
    07000000 02000000 20000100 04000000 01000a00 ef010101 00000000 00000000 00000000 08000000`,
  'mdb add dev br0 port p0 grp ff0e::1 temp vid 10': `38000000 5400 0506 00000000 00000000
    07000000 02000000 20000100 04000000 00000a00 ff0e0000 00000000 00000000 00000001 86dd0000`,
  'mdb add dev br0 port p0 grp 01:00:5e:01:01:01 permanent vid 10': `38000000 5400 0506 00000000 00000000
    07000000 02000000 20000100 04000000 01000a00 01005e01 01010000 00000000 00000000 00000000`,
  'mdb add dev br0 port p0 grp 239.1.1.2 src 10.0.0.1 permanent vid 10': `44000000 5400 0506 00000000 00000000
    07000000 02000000 20000100 04000000 01000a00 ef010102 00000000 00000000 00000000 08000000
    0c000280 08000100 0a000001`,
  'mdb del dev br0 port p0 grp 239.1.1.1 vid 10': `38000000 5500 0500 00000000 00000000
    07000000 02000000 20000100 04000000 00000a00 ef010101 00000000 00000000 00000000 08000000`,
  'mdb show': `18000000 5600 0103 00000000 00000000 07000000 00000000`,
};
const golden = (k: keyof typeof GOLDEN): string => hex(GOLDEN[k]).toString('hex');

describe('bridge VLAN database requests, byte for byte with bridge(8)', () => {
  it('vlan set: state, a range with mcast_router', async () => {
    assert.equal(
      await sent((ipr) => ipr.brvlan('set', { ifindex: 4, vid: 10, state: 'learning' })),
      golden('vlan set dev p0 vid 10 state learning'),
    );
    assert.equal(
      await sent((ipr) => ipr.brvlan('set', { ifindex: 4, vid: 100, vidEnd: 105, mcastRouter: 'perm' })),
      golden('vlan set dev p0 vid 100-105 mcast_router 2'),
    );
    // bridge(8)'s words and numbers are accepted as well as the names (aliases: not in the type).
    assert.equal(
      await sent((ipr) => ipr.brvlan('set', { ifindex: 4, vid: 100, vid_end: 105, mcast_router: 2 } as BrVlanSpec)),
      golden('vlan set dev p0 vid 100-105 mcast_router 2'),
    );
  });

  it('vlan global set', async () => {
    assert.equal(
      await sent((ipr) =>
        ipr.brvlanGlobal('set', {
          ifindex: 2,
          vid: 10,
          mcastSnooping: 1,
          mcastIgmpVersion: 3,
          mcastQueryInterval: 3000,
        }),
      ),
      golden('vlan global set dev br0 vid 10 mcast_snooping 1 mcast_igmp_version 3 mcast_query_interval 3000'),
    );
  });

  it('dumps: detailed, with stats, global', async () => {
    assert.equal(await sent((ipr) => ipr.brvlans()), golden('-d vlan show'));
    assert.equal(await sent((ipr) => ipr.brvlans({ stats: true })), golden('-d -s vlan show'));
    assert.equal(await sent((ipr) => ipr.brvlanGlobals()), golden('vlan global show'));
  });

  it('options bridge 6.1 does not know, by the UAPI layout', async () => {
    // ENTRY{INFO{ONLY_OPTS, 10}, MCAST_MAX_GROUPS u32 5, NEIGH_SUPPRESS u8 1}
    assert.equal(
      await sent((ipr) => ipr.brvlan('set', { ifindex: 4, vid: 10, mcastMaxGroups: 5, neighSuppress: true })),
      hex(`34000000 7000 0500 00000000 00000000 07000000 04000000 1c000180 08000100 40000a00
        08000800 05000000 05000900 01000000`).toString('hex'),
    );
  });

  it('refuses bad specs before sending', async () => {
    const { ipr, k } = fake();
    await assert.rejects(ipr.brvlan('set', { ifindex: 4, vid: 4095 }), /vid must be an integer 1\.\.4094/);
    await assert.rejects(ipr.brvlan('set', { ifindex: 4, vid: 10, stat: 'learning' } as never), /stat.*state/s);
    await assert.rejects(ipr.brvlan('add', { ifindex: 4, vid: 20, vidEnd: 10 }), /reversed/);
    await assert.rejects(ipr.brvlan('set', { ifindex: 4, vid: 10, state: 'sleeping' } as never), /state/);
    await assert.rejects(ipr.brvlanGlobal('set', { ifindex: 2, vid: 10, mcastSnoping: 1 } as never), /mcastSnooping/);
    assert.equal(k.sent.length, 0);
    ipr.close();
  });
});

describe('bridge mdb requests, byte for byte with bridge(8)', () => {
  it('add: IPv4 permanent, IPv6 temporary, L2, (S, G); del; dump', async () => {
    const base = { ifindex: 2, port: 4, vid: 10 };
    assert.equal(
      await sent((ipr) => ipr.mdb('add', { ...base, group: '239.1.1.1', state: 'permanent' })),
      golden('mdb add dev br0 port p0 grp 239.1.1.1 permanent vid 10'),
    );
    assert.equal(
      await sent((ipr) => ipr.mdb('add', { ...base, group: 'ff0e::1', state: 'temp' })),
      golden('mdb add dev br0 port p0 grp ff0e::1 temp vid 10'),
    );
    assert.equal(
      await sent((ipr) => ipr.mdb('add', { ...base, grp: '01:00:5e:01:01:01', state: 'permanent' } as MdbSpec)),
      golden('mdb add dev br0 port p0 grp 01:00:5e:01:01:01 permanent vid 10'),
    );
    assert.equal(
      await sent((ipr) => ipr.mdb('add', { ...base, group: '239.1.1.2', source: '10.0.0.1', state: 'permanent' })),
      golden('mdb add dev br0 port p0 grp 239.1.1.2 src 10.0.0.1 permanent vid 10'),
    );
    assert.equal(
      await sent((ipr) => ipr.mdb('del', { ...base, group: '239.1.1.1' })),
      golden('mdb del dev br0 port p0 grp 239.1.1.1 vid 10'),
    );
    assert.equal(await sent((ipr) => ipr.mdbEntries()), golden('mdb show'));
  });

  it('replace with a source list, filter mode and protocol, by the UAPI layout', async () => {
    const b = await sent((ipr) =>
      ipr.mdb('replace', {
        ifindex: 2,
        port: 4,
        group: '239.1.1.3',
        sourceList: ['10.0.0.1', { address: '10.0.0.2' }],
        filterMode: 'include',
        protocol: 'static',
      }),
    );
    // NLM_F_REQUEST|ACK|REPLACE|CREATE; SET_ENTRY; SET_ENTRY_ATTRS{SRC_LIST{ENTRY{ADDRESS}x2}, GROUP_MODE, RTPROT}
    assert.equal(
      b,
      hex(`68000000 5400 0505 00000000 00000000 07000000 02000000 20000100 04000000 00000000 ef010103
        00000000 00000000 00000000 08000000 30000280 1c000280 0c000180 08000100 0a000001 0c000180
        08000100 0a000002 05000300 01000000 05000400 04000000`).toString('hex'),
    );
  });

  it('refuses bad specs before sending', async () => {
    const { ipr, k } = fake();
    await assert.rejects(ipr.mdb('add', { ifindex: 2, port: 4, group: '239.1.1.1', state: 'perm' } as never), /state/);
    await assert.rejects(ipr.mdb('add', { ifindex: 2, port: 4, groop: '239.1.1.1' } as never), /group/);
    await assert.rejects(ipr.mdb('add', { ifindex: 2, port: 4 }), /group is required/);
    await assert.rejects(ipr.mdb('add', { ifindex: 2, port: 4, group: 'nonsense' }), /nonsense/);
    assert.equal(k.sent.length, 0);
    ipr.close();
  });
});
