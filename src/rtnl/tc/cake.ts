// cake qdisc: common applications kept enhanced (pkt_sched.h TCA_CAKE_*).
import {
  NetlinkEncodeError,
  attrMap,
  nested,
  nestedArray,
  pad,
  s32,
  u32,
  u64,
  type AttrSet,
} from '../../core/index.js';
import { parseRate, parseSize, parseTime } from '../rate.js';
import { checkKeys, num, type TcKind, type TcSpec } from './common.js';
import { hex0x, rateText, sizeText, timeText, type TcShow } from './show.js';

export const CAKE_DIFFSERV = { diffserv3: 0, diffserv4: 1, diffserv8: 2, besteffort: 3, precedence: 4 } as const;
export const CAKE_FLOW = {
  flowblind: 0,
  srchost: 1,
  dsthost: 2,
  hosts: 3,
  flows: 4,
  'dual-srchost': 5,
  'dual-dsthost': 6,
  'triple-isolate': 7,
} as const;
export const CAKE_ATM = { noatm: 0, atm: 1, ptm: 2 } as const;
export const CAKE_ACK = { 'no-ack-filter': 0, 'ack-filter': 1, 'ack-filter-aggressive': 2 } as const;

export const cakeMap = attrMap('tca_cake', {
  TCA_CAKE_PAD: [1, pad(0)],
  TCA_CAKE_BASE_RATE64: [2, u64],
  TCA_CAKE_DIFFSERV_MODE: [3, u32],
  TCA_CAKE_ATM: [4, u32],
  TCA_CAKE_FLOW_MODE: [5, u32],
  TCA_CAKE_OVERHEAD: [6, s32],
  TCA_CAKE_RTT: [7, u32],
  TCA_CAKE_TARGET: [8, u32],
  TCA_CAKE_AUTORATE: [9, u32],
  TCA_CAKE_MEMORY: [10, u32],
  TCA_CAKE_NAT: [11, u32],
  TCA_CAKE_RAW: [12, u32],
  TCA_CAKE_WASH: [13, u32],
  TCA_CAKE_MPU: [14, u32],
  TCA_CAKE_INGRESS: [15, u32],
  TCA_CAKE_ACK_FILTER: [16, u32],
  TCA_CAKE_SPLIT_GSO: [17, u32],
  TCA_CAKE_FWMARK: [18, u32],
});

/** One tin's counters (TCA_CAKE_TIN_STATS_*). */
export const cakeTinStatsMap = attrMap('tca_cake_tin_stats', {
  TCA_CAKE_TIN_STATS_PAD: [1, pad(0)],
  TCA_CAKE_TIN_STATS_SENT_PACKETS: [2, u32],
  TCA_CAKE_TIN_STATS_SENT_BYTES64: [3, u64],
  TCA_CAKE_TIN_STATS_DROPPED_PACKETS: [4, u32],
  TCA_CAKE_TIN_STATS_DROPPED_BYTES64: [5, u64],
  TCA_CAKE_TIN_STATS_ACKS_DROPPED_PACKETS: [6, u32],
  TCA_CAKE_TIN_STATS_ACKS_DROPPED_BYTES64: [7, u64],
  TCA_CAKE_TIN_STATS_ECN_MARKED_PACKETS: [8, u32],
  TCA_CAKE_TIN_STATS_ECN_MARKED_BYTES64: [9, u64],
  TCA_CAKE_TIN_STATS_BACKLOG_PACKETS: [10, u32],
  TCA_CAKE_TIN_STATS_BACKLOG_BYTES: [11, u32],
  TCA_CAKE_TIN_STATS_THRESHOLD_RATE64: [12, u64],
  TCA_CAKE_TIN_STATS_TARGET_US: [13, u32],
  TCA_CAKE_TIN_STATS_INTERVAL_US: [14, u32],
  TCA_CAKE_TIN_STATS_WAY_INDIRECT_HITS: [15, u32],
  TCA_CAKE_TIN_STATS_WAY_MISSES: [16, u32],
  TCA_CAKE_TIN_STATS_WAY_COLLISIONS: [17, u32],
  TCA_CAKE_TIN_STATS_PEAK_DELAY_US: [18, u32],
  TCA_CAKE_TIN_STATS_AVG_DELAY_US: [19, u32],
  TCA_CAKE_TIN_STATS_BASE_DELAY_US: [20, u32],
  TCA_CAKE_TIN_STATS_SPARSE_FLOWS: [21, u32],
  TCA_CAKE_TIN_STATS_BULK_FLOWS: [22, u32],
  TCA_CAKE_TIN_STATS_UNRESPONSIVE_FLOWS: [23, u32],
  TCA_CAKE_TIN_STATS_MAX_SKBLEN: [24, u32],
  TCA_CAKE_TIN_STATS_FLOW_QUANTUM: [25, u32],
});

/** TCA_XSTATS of a cake qdisc (memory, sizes, tins) or of one of its flows (TCA_CAKE_STATS_*). */
export const cakeStatsMap = attrMap('tca_cake_stats', {
  TCA_CAKE_STATS_PAD: [1, pad(0)],
  TCA_CAKE_STATS_CAPACITY_ESTIMATE64: [2, u64],
  TCA_CAKE_STATS_MEMORY_LIMIT: [3, u32],
  TCA_CAKE_STATS_MEMORY_USED: [4, u32],
  TCA_CAKE_STATS_AVG_NETOFF: [5, u32],
  TCA_CAKE_STATS_MIN_NETLEN: [6, u32],
  TCA_CAKE_STATS_MAX_NETLEN: [7, u32],
  TCA_CAKE_STATS_MIN_ADJLEN: [8, u32],
  TCA_CAKE_STATS_MAX_ADJLEN: [9, u32],
  TCA_CAKE_STATS_TIN_STATS: [10, nestedArray(nested(cakeTinStatsMap))],
  TCA_CAKE_STATS_DEFICIT: [11, s32],
  TCA_CAKE_STATS_COBALT_COUNT: [12, u32],
  TCA_CAKE_STATS_DROPPING: [13, u32],
  TCA_CAKE_STATS_DROP_NEXT_US: [14, s32],
  TCA_CAKE_STATS_P_DROP: [15, u32],
  TCA_CAKE_STATS_BLUE_TIMER_US: [16, s32],
});

// tc's named round-trip times: [target, interval] in microseconds.
const CAKE_PRESETS: Readonly<Record<string, readonly [number, number]>> = {
  datacentre: [5, 100],
  lan: [50, 1000],
  metro: [500, 10000],
  regional: [1500, 30000],
  internet: [5000, 100000],
  oceanic: [15000, 300000],
  satellite: [50000, 1000000],
  interplanetary: [50000000, 1000000000],
};

/** rtt (a time or a preset name) and target; as tc, the target is rtt / 20 unless given. */
function cakeTimes(spec: TcSpec): { rtt?: number; target?: number } {
  let rtt: number | undefined, target: number | undefined;
  const preset = typeof spec.rtt === 'string' ? CAKE_PRESETS[spec.rtt] : undefined;
  if (preset) [target, rtt] = preset;
  else if (spec.rtt !== undefined) {
    rtt = parseTime(spec.rtt as string);
    target = Math.max(1, Math.floor(rtt / 20));
  }
  if (spec.target !== undefined) target = parseTime(spec.target as string);
  return { rtt, target };
}

/** Bytes added to each packet's size, -64 to 256 as tc allows. */
function overhead(v: unknown): number {
  const n = typeof v === 'number' ? v : /^-?\d+$/.test(String(v)) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < -64 || n > 256)
    throw new NetlinkEncodeError(`cake: overhead must be an integer from -64 to 256, got ${JSON.stringify(v)}`);
  return n;
}

function word<T extends Record<string, number>>(table: T, v: unknown, what: string): number {
  const n = table[String(v) as keyof T];
  if (n === undefined)
    throw new NetlinkEncodeError(`cake: unknown ${what} ${JSON.stringify(v)} (${Object.keys(table).join(', ')})`);
  return n;
}

const KEYS = [
  'bandwidth',
  'unlimited',
  'rtt',
  'target',
  'diffserv',
  'flowmode',
  'atm',
  'overhead',
  'mpu',
  'nat',
  'wash',
  'ingress',
  'ack_filter',
  'split_gso',
  'memlimit',
  'fwmark',
  'raw',
  'autorate',
];
const BOOLS: Record<string, string> = {
  nat: 'TCA_CAKE_NAT',
  wash: 'TCA_CAKE_WASH',
  ingress: 'TCA_CAKE_INGRESS',
  split_gso: 'TCA_CAKE_SPLIT_GSO',
  autorate: 'TCA_CAKE_AUTORATE',
};

/**
 * `{ bandwidth?: '100mbit' | unlimited?: true, rtt?: '100ms' | 'internet' (tc's presets), target?,
 * diffserv?: 'diffserv4', flowmode?: 'triple-isolate', atm?: 'ptm', overhead?, mpu?, nat?, wash?, ingress?,
 * ack_filter?: 'ack-filter', split_gso?, memlimit?, fwmark?, raw? }` as `tc qdisc add ... cake`.
 */
export const cake: TcKind = {
  kind: 'cake',
  options: nested(cakeMap),
  xstats: nested(cakeStatsMap),
  keys: { qdisc: KEYS },
  show: (p, o) => showCake(p, o),
  showXstats: (p, x) => showCakeXstats(p, x),
  qdisc(spec: TcSpec) {
    checkKeys('cake', spec, KEYS);
    const a: [string, unknown][] = [];
    if (spec.bandwidth !== undefined) a.push(['TCA_CAKE_BASE_RATE64', parseRate(spec.bandwidth as string)]);
    else if (spec.unlimited) a.push(['TCA_CAKE_BASE_RATE64', 0]);
    if (spec.diffserv !== undefined)
      a.push(['TCA_CAKE_DIFFSERV_MODE', word(CAKE_DIFFSERV, spec.diffserv, 'diffserv mode')]);
    if (spec.atm !== undefined) a.push(['TCA_CAKE_ATM', word(CAKE_ATM, spec.atm, 'atm mode')]);
    if (spec.flowmode !== undefined) a.push(['TCA_CAKE_FLOW_MODE', word(CAKE_FLOW, spec.flowmode, 'flow mode')]);
    // raw, as tc: no ATM framing and no overhead, and the kernel told to add none.
    if (spec.raw && spec.atm === undefined) a.push(['TCA_CAKE_ATM', CAKE_ATM.noatm]);
    if (spec.overhead !== undefined) a.push(['TCA_CAKE_OVERHEAD', overhead(spec.overhead)]);
    else if (spec.raw) a.push(['TCA_CAKE_OVERHEAD', 0]);
    if (spec.raw) a.push(['TCA_CAKE_RAW', 0]);
    const { rtt, target } = cakeTimes(spec);
    if (rtt !== undefined) a.push(['TCA_CAKE_RTT', rtt]);
    if (target !== undefined) a.push(['TCA_CAKE_TARGET', target]);
    if (spec.memlimit !== undefined) a.push(['TCA_CAKE_MEMORY', parseSize(spec.memlimit as string)]);
    const mpu = num(spec, 'mpu');
    if (mpu !== undefined) a.push(['TCA_CAKE_MPU', mpu]);
    for (const [k, attr] of Object.entries(BOOLS)) if (spec[k] !== undefined) a.push([attr, spec[k] ? 1 : 0]);
    if (spec.ack_filter !== undefined) a.push(['TCA_CAKE_ACK_FILTER', word(CAKE_ACK, spec.ack_filter, 'ack filter')]);
    const fwmark = num(spec, 'fwmark');
    if (fwmark !== undefined) a.push(['TCA_CAKE_FWMARK', fwmark]);
    return a;
  },
};

const DIFFSERV_TEXT = Object.keys(CAKE_DIFFSERV);
const FLOW_TEXT = Object.keys(CAKE_FLOW);

/** A mode from its table, or tc's '(?key?)' for one it does not know. */
function showMode(p: TcShow, key: string, names: readonly string[], v: number): void {
  if (names[v] !== undefined) p.put(key, names[v], `${names[v]} `);
  else p.put(key, 'unknown', `(?${key}?)`);
}

/** tc's view of cake's options: every switch is shown, on or off. */
function showCake(p: TcShow, o: AttrSet<typeof cakeMap.decl>): void {
  const bw = o.getAttr('TCA_CAKE_BASE_RATE64');
  if (bw !== undefined) {
    if (bw) p.put('bandwidth', Number(bw), `bandwidth ${rateText(bw)} `);
    else p.put('bandwidth', 'unlimited', 'bandwidth unlimited ');
  }
  const autorate = o.getAttr('TCA_CAKE_AUTORATE');
  if (autorate === 1) p.put('autorate', 'autorate-ingress', 'autorate-ingress ');
  else if (autorate) p.put('autorate', 'unknown', '(?autorate?) ');
  const diffserv = o.getAttr('TCA_CAKE_DIFFSERV_MODE');
  if (diffserv !== undefined) showMode(p, 'diffserv', DIFFSERV_TEXT, diffserv);
  const flow = o.getAttr('TCA_CAKE_FLOW_MODE');
  if (flow !== undefined) showMode(p, 'flowmode', FLOW_TEXT, flow);
  const on = (attr: keyof typeof cakeMap.decl): number => (o.getAttr(attr) as number | undefined) ?? 0;
  const sw = (key: string, v: number, yes: string, no: string): void => {
    p.put(key, !!v, v ? yes : no);
  };
  sw('nat', on('TCA_CAKE_NAT'), 'nat ', 'nonat ');
  sw('wash', on('TCA_CAKE_WASH'), 'wash ', 'nowash ');
  sw('ingress', on('TCA_CAKE_INGRESS'), 'ingress ', '');
  const ack = on('TCA_CAKE_ACK_FILTER');
  if (ack === CAKE_ACK['ack-filter-aggressive']) p.put('ack-filter', 'aggressive', 'ack-filter-aggressive ');
  else if (ack === CAKE_ACK['ack-filter']) p.put('ack-filter', 'enabled', 'ack-filter ');
  else p.put('ack-filter', 'disabled', 'no-ack-filter ');
  sw('split_gso', on('TCA_CAKE_SPLIT_GSO'), 'split-gso ', 'no-split-gso ');
  const rtt = on('TCA_CAKE_RTT');
  p.put('rtt', rtt, rtt ? `rtt ${timeText(rtt)} ` : '');
  // The kernel sends TCA_CAKE_RAW only when no overhead is applied; its presence means raw.
  const raw = o.has('TCA_CAKE_RAW');
  p.put('raw', raw, raw ? 'raw ' : '');
  const atm = on('TCA_CAKE_ATM');
  if (atm === CAKE_ATM.atm) p.put('atm', 'atm', 'atm ');
  else if (atm === CAKE_ATM.ptm) p.put('atm', 'ptm', 'ptm ');
  else if (!raw) p.put('atm', 'noatm', 'noatm ');
  const overhead = on('TCA_CAKE_OVERHEAD');
  p.put('overhead', overhead, `overhead ${overhead} `);
  const mpu = on('TCA_CAKE_MPU');
  if (mpu) p.put('mpu', mpu, `mpu ${mpu} `);
  const mem = on('TCA_CAKE_MEMORY');
  if (mem) p.put('memlimit', mem, `memlimit ${sizeText(mem)} `);
  const fwmark = on('TCA_CAKE_FWMARK');
  p.put('fwmark', hex0x(fwmark), fwmark ? `fwmark 0x${fwmark.toString(16)} ` : '');
}

type CakeStats = AttrSet<typeof cakeStatsMap.decl>;
type Tin = AttrSet<typeof cakeTinStatsMap.decl>;
type TinKey = keyof typeof cakeTinStatsMap.decl;

// The tin counters in the order of tc's JSON objects.
const TIN_JSON: readonly [string, TinKey][] = [
  ['threshold_rate', 'TCA_CAKE_TIN_STATS_THRESHOLD_RATE64'],
  ['sent_bytes', 'TCA_CAKE_TIN_STATS_SENT_BYTES64'],
  ['backlog_bytes', 'TCA_CAKE_TIN_STATS_BACKLOG_BYTES'],
  ['target_us', 'TCA_CAKE_TIN_STATS_TARGET_US'],
  ['interval_us', 'TCA_CAKE_TIN_STATS_INTERVAL_US'],
  ['peak_delay_us', 'TCA_CAKE_TIN_STATS_PEAK_DELAY_US'],
  ['avg_delay_us', 'TCA_CAKE_TIN_STATS_AVG_DELAY_US'],
  ['base_delay_us', 'TCA_CAKE_TIN_STATS_BASE_DELAY_US'],
  ['sent_packets', 'TCA_CAKE_TIN_STATS_SENT_PACKETS'],
  ['way_indirect_hits', 'TCA_CAKE_TIN_STATS_WAY_INDIRECT_HITS'],
  ['way_misses', 'TCA_CAKE_TIN_STATS_WAY_MISSES'],
  ['way_collisions', 'TCA_CAKE_TIN_STATS_WAY_COLLISIONS'],
  ['drops', 'TCA_CAKE_TIN_STATS_DROPPED_PACKETS'],
  ['ecn_mark', 'TCA_CAKE_TIN_STATS_ECN_MARKED_PACKETS'],
  ['ack_drops', 'TCA_CAKE_TIN_STATS_ACKS_DROPPED_PACKETS'],
  ['sparse_flows', 'TCA_CAKE_TIN_STATS_SPARSE_FLOWS'],
  ['bulk_flows', 'TCA_CAKE_TIN_STATS_BULK_FLOWS'],
  ['unresponsive_flows', 'TCA_CAKE_TIN_STATS_UNRESPONSIVE_FLOWS'],
  ['max_pkt_len', 'TCA_CAKE_TIN_STATS_MAX_SKBLEN'],
  ['flow_quantum', 'TCA_CAKE_TIN_STATS_FLOW_QUANTUM'],
];

// The rows of tc's tin table: label, counter, how a cell is written.
const TIN_ROWS: readonly [string, TinKey, (v: number | bigint) => string][] = [
  ['  thresh  ', 'TCA_CAKE_TIN_STATS_THRESHOLD_RATE64', (v) => rateText(v)],
  ['  target  ', 'TCA_CAKE_TIN_STATS_TARGET_US', (v) => timeText(Number(v))],
  ['  interval', 'TCA_CAKE_TIN_STATS_INTERVAL_US', (v) => timeText(Number(v))],
  ['  pk_delay', 'TCA_CAKE_TIN_STATS_PEAK_DELAY_US', (v) => timeText(Number(v))],
  ['  av_delay', 'TCA_CAKE_TIN_STATS_AVG_DELAY_US', (v) => timeText(Number(v))],
  ['  sp_delay', 'TCA_CAKE_TIN_STATS_BASE_DELAY_US', (v) => timeText(Number(v))],
  ['  backlog ', 'TCA_CAKE_TIN_STATS_BACKLOG_BYTES', (v) => sizeText(Number(v))],
  ['  pkts    ', 'TCA_CAKE_TIN_STATS_SENT_PACKETS', String],
  ['  bytes   ', 'TCA_CAKE_TIN_STATS_SENT_BYTES64', String],
  ['  way_inds', 'TCA_CAKE_TIN_STATS_WAY_INDIRECT_HITS', String],
  ['  way_miss', 'TCA_CAKE_TIN_STATS_WAY_MISSES', String],
  ['  way_cols', 'TCA_CAKE_TIN_STATS_WAY_COLLISIONS', String],
  ['  drops   ', 'TCA_CAKE_TIN_STATS_DROPPED_PACKETS', String],
  ['  marks   ', 'TCA_CAKE_TIN_STATS_ECN_MARKED_PACKETS', String],
  ['  ack_drop', 'TCA_CAKE_TIN_STATS_ACKS_DROPPED_PACKETS', String],
  ['  sp_flows', 'TCA_CAKE_TIN_STATS_SPARSE_FLOWS', String],
  ['  bk_flows', 'TCA_CAKE_TIN_STATS_BULK_FLOWS', String],
  ['  un_flows', 'TCA_CAKE_TIN_STATS_UNRESPONSIVE_FLOWS', String],
  ['  max_len ', 'TCA_CAKE_TIN_STATS_MAX_SKBLEN', String],
  ['  quantum ', 'TCA_CAKE_TIN_STATS_FLOW_QUANTUM', String],
];

// tc names the tins of the 3- and 4-tin modes; others are numbered.
const TIN_HEADS: Readonly<Record<number, string>> = {
  3: '                   Bulk  Best Effort        Voice\n',
  4: '                   Bulk  Best Effort        Video        Voice\n',
};

/** `tc -s`: cake's memory, capacity and packet sizes, a flow's CoDel/BLUE state, and the tins. */
function showCakeXstats(p: TcShow, st: CakeStats): void {
  const g = (k: keyof typeof cakeStatsMap.decl): any => st.getAttr(k);
  const used = g('TCA_CAKE_STATS_MEMORY_USED'),
    limit = g('TCA_CAKE_STATS_MEMORY_LIMIT');
  if (used !== undefined && limit !== undefined) {
    p.text(` memory used: ${sizeText(used)} of ${sizeText(limit)}\n`);
    p.put('memory_used', used).put('memory_limit', limit);
  }
  const cap = g('TCA_CAKE_STATS_CAPACITY_ESTIMATE64');
  if (cap !== undefined) p.put('capacity_estimate', Number(cap), ` capacity estimate: ${rateText(cap)}\n`);
  const pair = (min: number | undefined, max: number | undefined, keys: [string, string], label: string): void => {
    if (min === undefined || max === undefined) return;
    // tc pads both labels' numbers to end in the same column.
    p.put(keys[0], min, `${label}${String(min).padStart(41 - label.length)}`);
    p.put(keys[1], max, ` /${String(max).padStart(8)}\n`);
  };
  pair(
    g('TCA_CAKE_STATS_MIN_NETLEN'),
    g('TCA_CAKE_STATS_MAX_NETLEN'),
    ['min_network_size', 'max_network_size'],
    ' min/max network layer size: ',
  );
  pair(
    g('TCA_CAKE_STATS_MIN_ADJLEN'),
    g('TCA_CAKE_STATS_MAX_ADJLEN'),
    ['min_adj_size', 'max_adj_size'],
    ' min/max overhead-adjusted size: ',
  );
  const off = g('TCA_CAKE_STATS_AVG_NETOFF');
  if (off !== undefined) p.put('avg_hdr_offset', off, ` average network hdr offset: ${String(off).padStart(12)}\n\n`);
  const deficit = g('TCA_CAKE_STATS_DEFICIT');
  if (deficit !== undefined) p.put('deficit', deficit, `  deficit ${deficit}`);
  const count = g('TCA_CAKE_STATS_COBALT_COUNT');
  if (count !== undefined) p.put('count', count, ` count ${count}`);
  if (g('TCA_CAKE_STATS_DROPPING')) {
    p.put('dropping', true, ' dropping');
    const next = g('TCA_CAKE_STATS_DROP_NEXT_US');
    if (next !== undefined) {
      if (next < 0) p.text(` drop_next -${timeText(-next)}`);
      else p.put('drop_next', next, ` drop_next ${timeText(next)}`);
    }
  }
  const pdrop = g('TCA_CAKE_STATS_P_DROP');
  if (pdrop !== undefined) {
    p.put('blue_prob', pdrop, ` blue_prob ${pdrop}`);
    const timer = g('TCA_CAKE_STATS_BLUE_TIMER_US');
    // tc writes a negative timer as its unsigned value.
    if (timer !== undefined) {
      if (timer < 0) p.text(` blue_timer -${timeText(timer >>> 0)}`);
      else p.put('blue_timer', timer, ` blue_timer ${timeText(timer)}`);
    }
  }
  const tins = (g('TCA_CAKE_STATS_TIN_STATS') as Tin[] | undefined)?.slice(0, 8);
  if (tins?.length) showTins(p, tins);
}

function showTins(p: TcShow, tins: readonly Tin[]): void {
  p.openArray('tins');
  for (const t of tins) {
    p.open(null);
    for (const [key, attr] of TIN_JSON) {
      const v = t.getAttr(attr);
      if (v !== undefined) p.put(key, Number(v));
    }
    p.close();
  }
  p.close();
  p.text(TIN_HEADS[tins.length] ?? `          ${tins.map((_, i) => `        Tin ${i}`).join('')}\n`);
  for (const [label, attr, cell] of TIN_ROWS) {
    if (tins[0].getAttr(attr) === undefined) continue;
    p.text(label + tins.map((t) => ` ${cell((t.getAttr(attr) as number | bigint) ?? 0).padStart(12)}`).join('') + '\n');
  }
}
