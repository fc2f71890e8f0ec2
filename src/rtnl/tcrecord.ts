// Traffic-control objects as plain records: the names tc() takes, handles as tc writes them
// ('1:10', 'root', 'ingress'), the kind's options read back by the kind (tc/*.ts `read`).
import { RTM_NEWQDISC, RTM_NEWTCLASS, RTM_DELQDISC, RTM_DELTCLASS, RTM_GETQDISC, RTM_GETTCLASS } from './tcmsg.js';
import { formatHandle, protocolName, splitFilterInfo, tcKinds, type TcTarget } from './tc/index.js';
import type { TcMessage } from './tc.js';

/** Counters of a qdisc, class or filter (TCA_STATS2, else TCA_STATS). */
export interface TcStats {
  bytes: number | string;
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
  [RTM_NEWQDISC]: 'qdisc', [RTM_DELQDISC]: 'qdisc', [RTM_GETQDISC]: 'qdisc',
  [RTM_NEWTCLASS]: 'class', [RTM_DELTCLASS]: 'class', [RTM_GETTCLASS]: 'class',
};

/** A u64 counter as a number while exact, else its decimal string. */
function exact(v: bigint | number): number | string {
  return typeof v === 'number' || v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

/** A u32 filter handle as tc writes it: 'htid:hash:node' in hex. */
function u32Handle(h: number): string {
  const hex = (n: number): string => (n ? n.toString(16) : '');
  return `${hex(h >>> 20)}:${hex((h >>> 12) & 0xff)}${h & 0xfff ? `:${hex(h & 0xfff)}` : ''}`;
}

function statsOf(m: TcMessage): TcStats | undefined {
  const s2 = m.getAttr('TCA_STATS2');
  if (s2) {
    const b = s2.getAttr('TCA_STATS_BASIC'), q = s2.getAttr('TCA_STATS_QUEUE');
    if (!b && !q) return undefined;
    const out: TcStats = { bytes: exact(b?.bytes ?? 0n), packets: b?.packets ?? 0 };
    const p64 = s2.getAttr('TCA_STATS_PKT64');
    if (p64 !== undefined) out.packets = Number(p64);
    if (q) Object.assign(out, { drops: q.drops, overlimits: q.overlimits, requeues: q.requeues, qlen: q.qlen, backlog: q.backlog });
    return out;
  }
  const s = m.getAttr('TCA_STATS');
  return s ? { bytes: exact(s.bytes), packets: s.packets, drops: s.drops, overlimits: s.overlimits, qlen: s.qlen, backlog: s.backlog } : undefined;
}

/** A tc message as a record (its stats included when the kernel sent them). */
export function tcRecord(m: TcMessage): TcRecord {
  const f = m.fields;
  const object = TARGET[m.type] ?? 'filter';
  const kind = m.getAttr('TCA_KIND') ?? '';
  const r: TcRecord = {
    object, kind, index: f.ifindex,
    handle: object === 'filter' && kind === 'u32' && f.handle ? u32Handle(f.handle) : formatHandle(f.handle),
    parent: formatHandle(f.parent),
  };
  if (object === 'filter') {
    const { prio, protocol } = splitFilterInfo(f.info);
    r.prio = prio;
    r.protocol = protocolName(protocol);
    const chain = m.getAttr('TCA_CHAIN');
    if (chain !== undefined) r.chain = chain;
  }
  const ib = m.getAttr('TCA_INGRESS_BLOCK'), eb = m.getAttr('TCA_EGRESS_BLOCK');
  if (ib !== undefined) r.ingressBlock = ib;
  if (eb !== undefined) r.egressBlock = eb;
  const def = tcKinds[kind];
  const opts = def?.read ? m.getAttr('TCA_OPTIONS') : undefined;
  if (def?.read && opts !== undefined) Object.assign(r, def.read(opts, object));
  const stats = statsOf(m);
  if (stats) r.stats = stats;
  return r;
}
