// Traffic-control objects as plain records: the names tc() takes, handles as tc writes them
// ('1:10', 'root', 'ingress'), the kind's options read back by the kind (tc/*.ts `read`).
import { attachMessage, u64Value, type U64 } from '../core/index.js';
import {
  RTM_NEWQDISC,
  RTM_NEWTCLASS,
  RTM_DELQDISC,
  RTM_DELTCLASS,
  RTM_GETQDISC,
  RTM_GETTCLASS,
  tcVocab,
} from './tcmsg.js';
import { protocolName, splitFilterInfo, tcKinds, type TcTarget } from './tc/index.js';
import type { TcMessage } from './tc.js';

/** Counters of a qdisc, class or filter (TCA_STATS2, else TCA_STATS). */
export interface TcStats {
  bytes: U64;
  packets: number;
  drops?: number;
  overlimits?: number;
  requeues?: number;
  qlen?: number;
  backlog?: number;
}

/**
 * A qdisc, class or filter: what tc(cmd, kind, spec) takes, so `tc('add', r.kind, r)` (with
 * '-class'/'-filter' for `r.object`) makes it again. Kind options sit beside the common keys.
 */
export interface TcRecord {
  object: TcTarget;
  kind: string;
  /** Interface index. */
  index: number;
  /** '1:', '1:10', 'ffff:' (u32 filters: '800::800'). */
  handle: string;
  /** 'root', 'ingress', '1:', 'ffff:fff2'... */
  parent: string;
  /** Filters: priority, protocol name ('ip', 'all'...) and chain. */
  prio?: number;
  protocol?: string;
  chain?: number;
  ingressBlock?: number;
  egressBlock?: number;
  stats?: TcStats;
  /** The kind's options (htb's rate, u32's keys...). */
  [option: string]: unknown;
}

const TARGET: Readonly<Record<number, TcTarget>> = {
  [RTM_NEWQDISC]: 'qdisc',
  [RTM_DELQDISC]: 'qdisc',
  [RTM_GETQDISC]: 'qdisc',
  [RTM_NEWTCLASS]: 'class',
  [RTM_DELTCLASS]: 'class',
  [RTM_GETTCLASS]: 'class',
};

const exact = (v: bigint | number): U64 => (typeof v === 'number' ? v : u64Value(v));

/** A u32 filter handle as tc writes it: 'htid:hash:node' in hex. */
function u32Handle(h: number): string {
  const hex = (n: number): string => (n ? n.toString(16) : '');
  return `${hex(h >>> 20)}:${hex((h >>> 12) & 0xff)}${h & 0xfff ? `:${hex(h & 0xfff)}` : ''}`;
}

function statsOf(m: TcMessage): TcStats | undefined {
  const s2 = m.getAttr('TCA_STATS2');
  if (s2) {
    const b = s2.getAttr('TCA_STATS_BASIC'),
      q = s2.getAttr('TCA_STATS_QUEUE');
    if (!b && !q) return undefined;
    const out: TcStats = { bytes: exact(b?.bytes ?? 0n), packets: b?.packets ?? 0 };
    const p64 = s2.getAttr('TCA_STATS_PKT64');
    if (p64 !== undefined) out.packets = Number(p64);
    if (q)
      Object.assign(out, {
        drops: q.drops,
        overlimits: q.overlimits,
        requeues: q.requeues,
        qlen: q.qlen,
        backlog: q.backlog,
      });
    return out;
  }
  const s = m.getAttr('TCA_STATS');
  return s
    ? {
        bytes: exact(s.bytes),
        packets: s.packets,
        drops: s.drops,
        overlimits: s.overlimits,
        qlen: s.qlen,
        backlog: s.backlog,
      }
    : undefined;
}

/** A tc message as a record (its stats included when the kernel sent them). */
export function tcRecord(m: TcMessage): TcRecord {
  const f = m.fields;
  const object = TARGET[m.type] ?? 'filter';
  const r: Record<string, unknown> = { object };
  tcVocab.readFields(f, r);
  tcVocab.readAttrs(m, r);
  const kind = (r.kind ??= '') as string;
  if (object === 'filter') {
    if (kind === 'u32' && f.handle) r.handle = u32Handle(f.handle);
    const { prio, protocol } = splitFilterInfo(f.info);
    r.prio = prio;
    r.protocol = protocolName(protocol);
  }
  const def = tcKinds[kind];
  const opts = def?.read ? m.getAttr('TCA_OPTIONS') : undefined;
  if (def?.read && opts !== undefined) Object.assign(r, def.read(opts, object));
  const stats = statsOf(m);
  if (stats) r.stats = stats;
  return attachMessage(r, m) as TcRecord;
}
