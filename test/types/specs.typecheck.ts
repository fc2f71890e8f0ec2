// Type-level tests of specs and records, compiled with `tsc --noEmit -p test/types` (never
// run): each @ts-expect-error line must fail to compile, each plain line must compile.
import {
  IPRoute,
  type AddrRecord,
  type AddrSpec,
  type FdbSpec,
  type LinkRecord,
  type LinkSpec,
  type NeighRecord,
  type NeighSpec,
  type OperState,
  type RouteRecord,
  type RouteSpec,
  type RouteTable,
} from '../../src/rtnl/index.js';

declare const ipr: IPRoute;

export async function correct(): Promise<void> {
  await ipr.link('add', { ifname: 'v0', kind: 'veth', peer: 'v1', mtu: 1400, state: 'up' });
  await ipr.link('add', { ifname: 'v0', kind: 'veth', peer: { ifname: 'v1', netns: 'blue' } });
  await ipr.link('add', {
    ifname: 'vx0',
    kind: 'vxlan',
    vxlanId: 5,
    vxlanPort: 4789,
    vxlanLink: 'v0',
    vxlanLearning: false,
  });
  await ipr.link('add', { ifname: 'br0', kind: 'bridge', brStpState: 1, brForwardDelay: 400 });
  await ipr.link('add', { ifname: 'mv0', kind: 'macvlan', link: 'v0', macvlanMode: 'bridge' });
  await ipr.link('set', { ifname: 'v0', kind: 'bridge_slave', brportCost: 10 });
  await ipr.link('set', { index: 'v0', master: 'br0', address: '02:00:00:00:00:01', txqlen: 500 });
  await ipr.addr('add', { index: 'v0', address: '10.0.0.1/24', broadcast: true, label: 'v0:a' });
  await ipr.route('add', { dst: '10.1.0.0/16', gateway: '10.0.0.9', oif: 'v0', table: 'main', metrics: { mtu: 1400 } });
  await ipr.route('add', { dst: '10.2.0.0/16', multipath: [{ gateway: '10.0.0.7', weight: 2 }, { oif: 'v0' }] });
  await ipr.neigh('add', { dst: '10.0.0.2', lladdr: '02:00:00:00:00:02', ifindex: 'v0' });
  await ipr.fdb('append', { lladdr: '00:00:00:00:00:00', ifindex: 'vx0', dst: '192.0.2.1' });

  // Records read with the spec's names.
  const [l] = await ipr.links();
  const mtu: number | undefined = l.mtu;
  const name: string | undefined = l.ifname;
  const rx = l.stats?.rxBytes;
  if (l.kind === 'vxlan') {
    const id: number | undefined = l.vxlanId;
    void id;
  }
  const [a]: AddrRecord[] = await ipr.addresses();
  const pl: number | undefined = a.prefixlen;
  const [r]: RouteRecord[] = await ipr.routes();
  const gw: string | undefined = r.gateway;
  const w: number | undefined = r.multipath?.[0].weight;
  const [n]: NeighRecord[] = await ipr.neighbours();
  void [mtu, name, rx, pl, gw, w, n];

  // A record is a spec.
  const as: AddrSpec = a;
  const rs: RouteSpec = r;
  const ns: NeighSpec = n;
  await ipr.addr('del', as);
  await ipr.route('del', rs);
  await ipr.neigh('del', ns);
  const fs: FdbSpec = (await ipr.fdbEntries())[0];
  void fs;
  const ls: LinkRecord = l;
  void ls;

  // Enumerations read back as their names; a number only where the kernel keeps unnamed values.
  if (l.operstate === 'up' || l.operstate === 'lowerlayerdown') void l;
  const os: OperState | undefined = l.operstate;
  const main: RouteTable = 'main';
  const t100: RouteTable = 100;
  if (r.table === 'main' || r.table === 100) void r;
  if (r.proto === 'kernel' && r.scope === 'link' && r.type === 'unicast' && r.family === 'inet') void r;
  if (a.scope === 'host' && a.family === 'inet6') void a;
  if (n.state?.includes('permanent') && n.family === 'inet') void n;
  void [os, main, t100];
}

export async function misspelledNames(): Promise<void> {
  const [l] = await ipr.links();
  const [r] = await ipr.routes();
  const [a] = await ipr.addresses();
  const [n] = await ipr.neighbours();
  // @ts-expect-error: 'upp' is no operstate
  if (l.operstate === 'upp') void l;
  // @ts-expect-error: no such operstate
  const os: OperState = 'running';
  // @ts-expect-error: operstate has no numbers
  const os2: NonNullable<LinkRecord['operstate']> = 6;
  // @ts-expect-error: 'mian' is no table
  if (r.table === 'mian') void r;
  // @ts-expect-error: no such table name
  const t: RouteTable = 'mian';
  // @ts-expect-error: 'kernal' is no protocol
  if (r.proto === 'kernal') void r;
  // @ts-expect-error: 'lnk' is no scope
  if (r.scope === 'lnk') void r;
  // @ts-expect-error: 'unicst' is no route type
  if (r.type === 'unicst') void r;
  // @ts-expect-error: route types are all named
  const rt: NonNullable<RouteRecord['type']> = 12;
  // @ts-expect-error: 'ipv4' is no family name
  if (r.family === 'ipv4') void r;
  // @ts-expect-error: 'hst' is no address scope
  if (a.scope === 'hst') void a;
  // @ts-expect-error: 'perm' is no neighbour state
  const st: NeighRecord['state'] = ['perm'];
  // @ts-expect-error: 'inet4' is no family name
  if (n.family === 'inet4') void n;
  void [os, os2, t, rt, st];
}

export async function wrong(): Promise<void> {
  // ---- typo'd keys
  // @ts-expect-error: gatway is a typo of gateway
  await ipr.route('add', { dst: '10.1.0.0/16', gatway: '10.0.0.9' });
  // @ts-expect-error: mtuu
  await ipr.link('set', { ifname: 'v0', mtuu: 1400 });
  // @ts-expect-error: vxlanid is a typo of vxlanId
  await ipr.link('add', { ifname: 'vx0', kind: 'vxlan', vxlanid: 5 });
  // @ts-expect-error: adress
  await ipr.addr('add', { index: 'v0', adress: '10.0.0.1/24' });
  // @ts-expect-error: lladr
  await ipr.neigh('add', { dst: '10.0.0.2', lladr: '02:00:00:00:00:02', ifindex: 'v0' });
  // @ts-expect-error: vlann
  await ipr.fdb('add', { lladdr: '02:00:00:00:00:02', ifindex: 'v0', vlann: 1 });
  // @ts-expect-error: metrics keys are RTAX names
  await ipr.route('add', { dst: '10.1.0.0/16', metrics: { mtuu: 1400 } });

  // ---- wrong kinds, and options of another kind
  // @ts-expect-error: no such kind
  await ipr.link('add', { ifname: 'x0', kind: 'vxlna' });
  // @ts-expect-error: brStpState belongs to bridges
  await ipr.link('add', { ifname: 'vx0', kind: 'vxlan', vxlanId: 5, brStpState: 1 });
  // @ts-expect-error: kind options need their kind
  await ipr.link('add', { ifname: 'vx0', vxlanId: 5 });
  // @ts-expect-error: peer is a veth option
  await ipr.link('add', { ifname: 'br0', kind: 'bridge', peer: 'x' });

  // ---- wrong commands
  // @ts-expect-error: link has no 'ad'
  await ipr.link('ad', { ifname: 'v0' });
  // @ts-expect-error: route has no 'create'
  await ipr.route('create', { dst: '10.0.0.0/8' });
  // @ts-expect-error: neigh has no 'fly'
  await ipr.neigh('fly', { dst: '10.0.0.2' });
  // @ts-expect-error: fdb has no get
  await ipr.fdb('get', { lladdr: '02:00:00:00:00:02' });
  // @ts-expect-error: addr has no 'show'
  await ipr.addr('show', {});

  // ---- wrong value types
  // @ts-expect-error: mtu is a number
  await ipr.link('set', { ifname: 'v0', mtu: '1400' });
  // @ts-expect-error: state is 'up' or 'down'
  await ipr.link('set', { ifname: 'v0', state: 'upp' });
  // @ts-expect-error: vxlanId is a number
  await ipr.link('add', { ifname: 'vx0', kind: 'vxlan', vxlanId: '5' });
  // @ts-expect-error: priority is a number
  await ipr.route('add', { dst: '10.0.0.0/8', priority: '5' });
  // @ts-expect-error: prefixlen is a number
  await ipr.addr('add', { index: 'v0', address: '10.0.0.1', prefixlen: '24' });
  // @ts-expect-error: multipath is a list
  await ipr.route('add', { dst: '10.0.0.0/8', multipath: { gateway: '10.0.0.1' } });
  // @ts-expect-error: records are not messages
  (await ipr.links())[0].getAttr('IFLA_MTU');
  const spec: LinkSpec = { ifname: 'x' };
  void spec;
}
