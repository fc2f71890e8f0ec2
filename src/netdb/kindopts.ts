// A link's kind options (IFLA_INFO_DATA) as records carry them, and back as desired links
// and specs: what a snapshot must hold so that a restore makes the same device again.
import type { Vocab } from '../core/index.js';
import { linkKinds } from '../rtnl/kinds/index.js';
import { VLAN_FLAG } from '../rtnl/kinds/vlan.js';
import { EXCLUDED, type LinkRecord } from './records.js';

/** The options vocabulary of a kind (a tap takes a tun's), if it has one. */
export function kindVocab(kind: string | undefined): Vocab<any, any, any, any> | undefined {
  if (!kind) return undefined;
  return linkKinds.get(kind === 'tap' ? 'tun' : kind)?.vocab;
}

/** Options naming another link by index (vxlanLink, greLink): a snapshot names it instead. */
export const isLinkRef = (key: string): boolean => key.endsWith('Link');

const VLAN_FLAGS_KNOWN = Object.values(VLAN_FLAG).reduce((m, bit) => m | bit, 0);

/**
 * Options whose record value the kernel does not take back as it is. A bridge reports its VLAN
 * filtering (and the MST bit of its boolean options) whatever its configuration, but refuses
 * them (EOPNOTSUPP) without CONFIG_BRIDGE_VLAN_FILTERING even at their default. A record's value
 * becomes what to send, or undefined when it is the default (nothing to send).
 */
const TO_SEND: Readonly<Record<string, (v: unknown) => unknown>> = {
  // A vlan reports its flags with a mask of every bit, and takes only the bits it knows.
  vlanFlags: (v) => ({ flags: (v as { flags: unknown }).flags, mask: VLAN_FLAGS_KNOWN }),
  brVlanFiltering: (v) => (v ? v : undefined),
  // Every boolean option is off on a new bridge: send only those that are on.
  brMultiBoolopt: (v) => {
    const { optval } = v as { optval: number };
    return optval ? { optval, optmask: optval } : undefined;
  },
};

// A bond reports some options in every mode but refuses them (EACCES) in the modes they do not
// apply to, whatever the value: each is sent only in its modes.
const AD = ['802.3ad'];
const NOT_AD_TLB_ALB = ['balance-rr', 'active-backup', 'balance-xor', 'broadcast'];
const BOND_MODES: Readonly<Record<string, readonly string[]>> = {
  bondPacketsPerSlave: ['balance-rr'],
  bondFailOverMac: ['active-backup'],
  bondArpValidate: NOT_AD_TLB_ALB,
  bondMissedMax: NOT_AD_TLB_ALB,
  bondArpInterval: NOT_AD_TLB_ALB,
  bondAdLacpRate: AD,
  bondAdLacpActive: AD,
  bondAdActorSysPrio: AD,
  bondAdUserPortKey: AD,
  bondAdActorSystem: AD,
  bondCoupledControl: AD,
  bondTlbDynamicLb: ['balance-tlb', 'balance-alb'],
};
// Options naming a port: ports join after the link is made, and the kernel picks anew.
const NAMES_A_PORT = new Set(['bondActiveSlave', 'bondPrimary']);

function sendable(l: LinkRecord, key: string): boolean {
  if (l.kind !== 'bond') return true;
  const modes = BOND_MODES[key];
  const mode = (l as { bondMode?: unknown }).bondMode;
  return !NAMES_A_PORT.has(key) && (!modes || modes.includes(String(mode)));
}

/** The options vocabulary of the ports of a master kind ('bridge': brport options). */
export const portVocab = (masterKind: string | undefined): Vocab<any, any, any, any> | undefined =>
  masterKind ? linkKinds.get(`${masterKind}_slave`)?.vocab : undefined;

/** The port kinds, whose options a desired link names for its master. */
export const PORT_KINDS = ['bridge', 'bond', 'vrf'] as const;

// A port's STP state is the bridge's to set (and refused while the port is down).
const PORT_STATE = new Set(['brportState']);

/**
 * The settable kind options a link record holds: every key of its kind's vocabulary, less
 * what the kernel reports and never takes (read-only keys) and what changes by itself.
 */
export function recordKindOptions(l: LinkRecord): [string, unknown][] {
  return optionsOf(l, kindVocab(l.kind));
}

/** The settable port options a link record holds (its master's port kind: brportCost...). */
export function recordPortOptions(l: LinkRecord): [string, unknown][] {
  return optionsOf(l, portVocab(l.slaveKind)).filter(([k]) => !PORT_STATE.has(k));
}

function optionsOf(l: LinkRecord, vocab: Vocab<any, any, any, any> | undefined): [string, unknown][] {
  if (!vocab) return [];
  const rec = l as unknown as Record<string, unknown>;
  const out: [string, unknown][] = [];
  for (const k of vocab.wireOf.keys()) {
    const v = rec[k];
    if (v === undefined || vocab.readOnly.has(k) || EXCLUDED.links.has(k) || !sendable(l, k)) continue;
    const send = TO_SEND[k] ? TO_SEND[k](v) : v;
    if (send !== undefined) out.push([k, send]);
  }
  return out;
}

/** Kinds whose IFLA_LINK is a lower device the link is made on (a veth's is its peer). */
export const hasLowerLink = (l: LinkRecord): boolean =>
  l.kind !== undefined && l.kind !== 'veth' && l.link !== undefined && l.link !== 0 && l.linkNetnsid === undefined;
