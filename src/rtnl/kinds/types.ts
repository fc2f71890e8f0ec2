// The options of each link kind in specs and records: a union discriminated by `kind`,
// derived from the kinds' vocabularies, so an option of another kind does not compile.
import type { Vocab, VocabRecord, VocabSpec } from '../../core/index.js';
import type { bondVocab } from './bond.js';
import type { bondSlaveVocab } from './bond_slave.js';
import type { bridgeVocab } from './bridge.js';
import type { brportVocab } from './bridge_slave.js';
import type { geneveVocab } from './geneve.js';
import type { greVocab } from './gre.js';
import type { ip6tnlVocab, iptunVocab } from './iptun.js';
import type { ipvlanVocab } from './ipvlan.js';
import type { macsecVocab } from './macsec.js';
import type { macvlanVocab } from './macvlan.js';
import type { tunVocab } from './tun.js';
import type { vlanVocab } from './vlan.js';
import type { vrfPortVocab, vrfVocab } from './vrf.js';
import type { vxlanVocab } from './vxlan.js';
import type { xfrmVocab } from './xfrm.js';

/** Each kind's vocabulary (`null`: the kind has no options of its own). */
export interface KindVocabs {
  veth: null;
  dummy: null;
  ifb: null;
  wireguard: null;
  bridge: typeof bridgeVocab;
  bridge_slave: typeof brportVocab;
  bond: typeof bondVocab;
  bond_slave: typeof bondSlaveVocab;
  vrf: typeof vrfVocab;
  vrf_slave: typeof vrfPortVocab;
  macvlan: typeof macvlanVocab;
  macvtap: typeof macvlanVocab;
  ipvlan: typeof ipvlanVocab;
  ipvtap: typeof ipvlanVocab;
  vxlan: typeof vxlanVocab;
  geneve: typeof geneveVocab;
  vlan: typeof vlanVocab;
  xfrm: typeof xfrmVocab;
  macsec: typeof macsecVocab;
  tun: typeof tunVocab;
  tap: typeof tunVocab;
  gre: typeof greVocab;
  gretap: typeof greVocab;
  ip6gre: typeof greVocab;
  ip6gretap: typeof greVocab;
  erspan: typeof greVocab;
  ip6erspan: typeof greVocab;
  ipip: typeof iptunVocab;
  sit: typeof iptunVocab;
  ip6tnl: typeof ip6tnlVocab;
}

/** Every link kind nlroute knows by name. */
export type LinkKindName = keyof KindVocabs;

// Options naming a link (vxlanLink, greLink) take a name too, resolved by IPRoute.
type LinkRefs<S> = { [K in keyof S]: K extends `${string}Link` ? number | string : S[K] };
type Opts<V> = V extends Vocab<any, any, any, any> ? LinkRefs<VocabSpec<V>> : unknown;
type Rec<V> = V extends Vocab<any, any, any, any> ? VocabRecord<V> : unknown;

/** A veth's peer: a name, or a spec of its own (ifname, address, netns...). */
export interface VethSpec {
  peer?: string | (import('../link.js').LinkBaseSpec & KindSpec);
}

/** Every kind option key of every kind. */
type AllOptionKeys = { [K in LinkKindName]: keyof Opts<KindVocabs[K]> }[LinkKindName] | 'peer';

/** Kind options of a link spec: `{ kind: 'vxlan', vxlanId: 5 }`, or no kind and none of them. */
export type KindSpec =
  | ({ kind?: undefined } & { [K in AllOptionKeys]?: never })
  | { [K in LinkKindName]: { kind: K } & Opts<KindVocabs[K]> & (K extends 'veth' ? VethSpec : unknown) }[LinkKindName];

/** Kind options of a link record, by its kind. */
export type KindRecord = { kind?: undefined } | { [K in LinkKindName]: { kind: K } & Rec<KindVocabs[K]> }[LinkKindName];
