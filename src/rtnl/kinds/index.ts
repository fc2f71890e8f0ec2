// Every link kind nlroute knows, in one list. Adding a kind: a file + one line here.
import { bond } from './bond.js';
import { bondSlave } from './bond_slave.js';
import { bridge } from './bridge.js';
import { bridgeSlave } from './bridge_slave.js';
import { dummy } from './dummy.js';
import { geneve } from './geneve.js';
import { greKinds } from './gre.js';
import { ifb } from './ifb.js';
import { iptunKinds } from './iptun.js';
import { ipvlan, ipvtap } from './ipvlan.js';
import { macsec } from './macsec.js';
import { macvlan, macvtap } from './macvlan.js';
import { registerLinkKind, type LinkKind } from './registry.js';
import { tun } from './tun.js';
import { veth } from './veth.js';
import { vlan } from './vlan.js';
import { vrf, vrfSlave } from './vrf.js';
import { vxlan } from './vxlan.js';
import { wireguard } from './wireguard.js';
import { xfrm } from './xfrm.js';

export const builtinKinds: readonly LinkKind[] = [
  veth,
  bridge,
  bridgeSlave,
  macvlan,
  macvtap,
  vxlan,
  tun,
  ifb,
  dummy,
  vlan,
  bond,
  bondSlave,
  vrf,
  vrfSlave,
  ...greKinds,
  ...iptunKinds,
  wireguard,
  ipvlan,
  ipvtap,
  geneve,
  xfrm,
  macsec,
];
registerLinkKind(...builtinKinds);

export * from './registry.js';
export type { KindVocabs, KindSpec, KindRecord, LinkKindName, VethSpec } from './types.js';
