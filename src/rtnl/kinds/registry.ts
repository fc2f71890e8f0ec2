// The link-kind plug-in registry: what IFLA_INFO_DATA / IFLA_INFO_SLAVE_DATA hold for each
// IFLA_INFO_KIND. ifinfmsg's `select`s read these tables at decode time, so a kind
// registered later is still decoded. Kind files import only this module and the core.
import type { AttrMap, NlaType, StructType, Vocab } from '../../core/index.js';
import type { IpJsonTable } from './ipjson.js';

/** One link kind ('veth', 'vxlan', ...): its attribute types and friendly-spec naming. */
export interface LinkKind {
  /** IFLA_INFO_KIND as the kernel spells it. */
  readonly kind: string;
  /** Type of IFLA_INFO_DATA (usually nested(map)); absent when the kind has none (dummy, ifb). */
  readonly data?: NlaType<any, any>;
  /** The attribute map inside IFLA_INFO_DATA, for friendly specs and validation. */
  readonly dataMap?: AttrMap<any>;
  /** Type of IFLA_INFO_XSTATS, if the kind sends any. */
  readonly xstats?: NlaType<any, any>;
  /**
   * For port kinds ('bridge_slave'): the master kind whose ports carry this data. The kernel
   * puts the master's kind in IFLA_INFO_SLAVE_KIND.
   */
  readonly slaveOf?: string;
  readonly slaveData?: NlaType<any, any>;
  readonly slaveDataMap?: AttrMap<any>;
  /**
   * The friendly names of the kind's options (of IFLA_INFO_DATA, or IFLA_INFO_SLAVE_DATA for
   * port kinds): `vxlanId: 'IFLA_VXLAN_ID'`. Specs and records use these names, flat in the link.
   */
  readonly vocab?: Vocab<any, any, any, any>;
  /**
   * How `ip -j -d` prints IFLA_INFO_DATA (for port kinds, IFLA_INFO_SLAVE_DATA): keys and
   * formats in ip's order. Without it, attribute names are lower-cased.
   */
  readonly ipJson?: IpJsonTable;
  /** Whether the running kernel of the test host has this kind (documentation for tests). */
  readonly note?: string;
}

/** IFLA_INFO_DATA type by IFLA_INFO_KIND. */
export const infoData: Record<string, NlaType<any, any>> = {};
/** IFLA_INFO_SLAVE_DATA type by IFLA_INFO_SLAVE_KIND (the master's kind). */
export const infoSlaveData: Record<string, NlaType<any, any>> = {};
/** IFLA_INFO_XSTATS type by IFLA_INFO_KIND. */
export const infoXstats: Record<string, NlaType<any, any>> = {};
/** Every registered kind by name (port kinds by their own name, e.g. 'bridge_slave'). */
export const linkKinds = new Map<string, LinkKind>();

/** Add a link kind; later registrations of the same name replace earlier ones. */
export function registerLinkKind(...kinds: LinkKind[]): void {
  for (const k of kinds) {
    linkKinds.set(k.kind, k);
    if (k.slaveOf) {
      if (k.slaveData) infoSlaveData[k.slaveOf] = k.slaveData;
    } else {
      if (k.data) infoData[k.kind] = k.data;
      else delete infoData[k.kind];
      if (k.xstats) infoXstats[k.kind] = k.xstats;
    }
  }
}

/**
 * The ifinfomsg header and IFLA map, filled in by ifinfmsg.ts, for kinds that carry a whole
 * link inside (VETH_INFO_PEER). Read lazily, so kind files need not import ifinfmsg.
 */
export const ifla: { header?: StructType<any>; map?: AttrMap<any> } = {};
