// Per-device IP configuration (RTM_GETNETCONF): what `ip netconf show` prints, as records.
import {
  AF_UNSPEC,
  NLM_F_DUMP,
  attachMessage,
  type Message,
  type NetlinkSocket,
  type VocabRecord,
} from '../core/index.js';
import { ask } from './commands.js';
import { RTM_GETNETCONF, netconfVocab, netconfmsg } from './netconfmsg.js';
import { familyValue } from './spec.js';

export type NetconfMessage = Message<typeof netconfmsg.header.fields, typeof netconfmsg.attrs.decl>;

/** One device's (or 'all'/'default') settings of one family. */
export type NetconfRecord = Omit<
  VocabRecord<typeof netconfVocab>,
  | 'index'
  | 'rpFilter'
  | 'forwarding'
  | 'mcForwarding'
  | 'proxyNeigh'
  | 'ignoreRoutesWithLinkdown'
  | 'input'
  | 'bcForwarding'
> & {
  index?: number | 'all' | 'default';
  forwarding?: boolean;
  /** 'off', 'strict' or 'loose'. */
  rpFilter?: string | number;
  mcForwarding?: boolean;
  proxyNeigh?: boolean;
  ignoreRoutesWithLinkdown?: boolean;
  input?: boolean;
  bcForwarding?: boolean;
};

/** What getNetconf() filters on. */
export interface NetconfFilter {
  family?: number | 'inet' | 'inet6' | 'mpls';
  /** A device index, or 'all' / 'default'. */
  index?: number | 'all' | 'default';
}

/** Settings of every device (of one family, or all). */
export async function getNetconf(sock: NetlinkSocket, filter: NetconfFilter = {}): Promise<NetconfMessage[]> {
  const family = familyValue(filter.family) ?? AF_UNSPEC;
  const all = await ask(sock, netconfmsg, { type: RTM_GETNETCONF, flags: NLM_F_DUMP, fields: { family } });
  if (filter.index === undefined) return all;
  return all.filter((m) => netconfRecord(m).index === filter.index);
}

/** A netconf message as a record. */
export function netconfRecord(m: NetconfMessage): NetconfRecord {
  const r: Record<string, unknown> = {};
  netconfVocab.readFields(m.fields, r);
  netconfVocab.readAttrs(m, r);
  return attachMessage(r, m) as NetconfRecord;
}
