// Message filters for the decoder: `-m protocol=genl,family=nl80211,cmd=NL80211_CMD_NEW_INTERFACE`.
// Several -m options: a message passes when any of them matches; within one, all keys must.
import { NLMSG_HDRLEN, type AnyMessage } from '../core/index.js';
import { NETLINK_PROTOCOLS } from './straceparse.js';
import { PROTOCOL_TARGETS } from './picker.js';

const KEYS = ['protocol', 'type', 'family', 'cmd', 'class'] as const;
type Key = (typeof KEYS)[number];
/** One -m option: for each key, the accepted values (names or numbers, as given). */
export type MessageFilter = Partial<Record<Key, string>>;

/** What the filter looks at for one message. */
export interface FilterSubject {
  message: AnyMessage;
  protocol?: number;
  /** The genl family name, when the message is generic netlink and its id is known. */
  family?: string;
}

/** Parse one `-m KEY=VALUE[,KEY=VALUE...]`; throws with the reason. */
export function parseFilter(text: string): MessageFilter {
  const out: MessageFilter = {};
  for (const part of text.split(',')) {
    const m = /^([a-z]+)=(.+)$/.exec(part.trim());
    if (!m || !(KEYS as readonly string[]).includes(m[1]!)) {
      throw new Error(`-m wants KEY=VALUE[,KEY=VALUE...] with keys ${KEYS.join(', ')}; got ${JSON.stringify(part)}`);
    }
    if (m[1] === 'protocol') protocolNumber(m[2]!);
    out[m[1] as Key] = m[2]!;
  }
  return out;
}

/** A protocol given as a number, `NETLINK_ROUTE`, `route` or a target name (`rtnl`, `genl`). */
export function protocolNumber(v: string): number {
  if (/^\d+$/.test(v)) return Number(v);
  if (Object.hasOwn(PROTOCOL_TARGETS, v)) return PROTOCOL_TARGETS[v]!;
  const full = v.toUpperCase().startsWith('NETLINK_') ? v.toUpperCase() : `NETLINK_${v.toUpperCase()}`;
  const n = NETLINK_PROTOCOLS[full];
  if (n === undefined) throw new Error(`unknown netlink protocol ${JSON.stringify(v)}`);
  return n;
}

/** Whether a message passes any of the filters (no filters: all pass). */
export function passes(filters: readonly MessageFilter[], s: FilterSubject): boolean {
  return !filters.length || filters.some((f) => matches(f, s));
}

function matches(f: MessageFilter, s: FilterSubject): boolean {
  const m = s.message;
  if (f.protocol !== undefined && protocolNumber(f.protocol) !== s.protocol) return false;
  if (f.class !== undefined && m.schema.name !== f.class) return false;
  if (f.type !== undefined && !same(f.type, m.type, m.schema.typeNames.get(m.type))) return false;
  if (f.family !== undefined && !same(f.family, m.type, s.family)) return false;
  if (f.cmd !== undefined) {
    const cmd = m.length > NLMSG_HDRLEN ? m.buf[m.offset + NLMSG_HDRLEN] : undefined;
    if (cmd === undefined || !same(f.cmd, cmd, cmdName(m))) return false;
  }
  return true;
}

function same(want: string, num: number, name: string | undefined): boolean {
  return /^(0x[0-9a-f]+|\d+)$/i.test(want) ? Number(want) === num : want === name;
}

function cmdName(m: AnyMessage): string | undefined {
  try {
    const cmd = (m.toJSON().fields as Record<string, unknown> | undefined)?.cmd;
    return typeof cmd === 'string' ? cmd : undefined;
  } catch {
    return undefined;
  }
}
