// A link's kind options (IFLA_INFO_DATA) as records carry them, and back as desired links
// and specs: what a snapshot must hold so that a restore makes the same device again.
import type { Vocab } from '../core/index.js';
import { linkKinds } from '../rtnl/kinds/index.js';
import { EXCLUDED, type LinkRecord } from './records.js';

/** The options vocabulary of a kind (a tap takes a tun's), if it has one. */
export function kindVocab(kind: string | undefined): Vocab<any, any, any, any> | undefined {
  if (!kind) return undefined;
  return linkKinds.get(kind === 'tap' ? 'tun' : kind)?.vocab;
}

/** Options naming another link by index (vxlanLink, greLink): a snapshot names it instead. */
export const isLinkRef = (key: string): boolean => key.endsWith('Link');

/**
 * Options the kernel reports whatever its configuration, but refuses (EOPNOTSUPP) where it
 * lacks the feature even at their default: a bridge's VLAN filtering (and the MST bit of its
 * boolean options) without CONFIG_BRIDGE_VLAN_FILTERING. A record's value becomes what to send,
 * or undefined when it is the default (nothing to send).
 */
const TO_SEND: Readonly<Record<string, (v: unknown) => unknown>> = {
  brVlanFiltering: (v) => (v ? v : undefined),
  // Every boolean option is off on a new bridge: send only those that are on.
  brMultiBoolopt: (v) => {
    const { optval } = v as { optval: number };
    return optval ? { optval, optmask: optval } : undefined;
  },
};

/**
 * The settable kind options a link record holds: every key of its kind's vocabulary, less
 * what the kernel reports and never takes (read-only keys) and what changes by itself.
 */
export function recordKindOptions(l: LinkRecord): [string, unknown][] {
  const vocab = kindVocab(l.kind);
  if (!vocab) return [];
  const rec = l as unknown as Record<string, unknown>;
  const out: [string, unknown][] = [];
  for (const k of vocab.wireOf.keys()) {
    const v = rec[k];
    if (v === undefined || vocab.readOnly.has(k) || EXCLUDED.links.has(k)) continue;
    const send = TO_SEND[k] ? TO_SEND[k](v) : v;
    if (send !== undefined) out.push([k, send]);
  }
  return out;
}

/** Kinds whose IFLA_LINK is a lower device the link is made on (a veth's is its peer). */
export const hasLowerLink = (l: LinkRecord): boolean =>
  l.kind !== undefined && l.kind !== 'veth' && l.link !== undefined && l.link !== 0 && l.linkNetnsid === undefined;
