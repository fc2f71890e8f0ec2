// fq_codel qdisc: fair queueing with CoDel AQM; the default qdisc on most systems (pkt_sched.h).
import {
  NetlinkDecodeError,
  attrMap,
  type AttrSet,
  nested,
  s32,
  struct,
  u32,
  u8,
  type NlaType,
} from '../../core/index.js';
import { parseSize, parseTime } from '../rate.js';
import { checkKeys, num, type TcKind, type TcSpec } from './common.js';
import { hex0x, sizeText, timeText, type TcShow } from './show.js';

export const fqCodelMap = attrMap('tca_fq_codel', {
  TCA_FQ_CODEL_TARGET: [1, u32],
  TCA_FQ_CODEL_LIMIT: [2, u32],
  TCA_FQ_CODEL_INTERVAL: [3, u32],
  TCA_FQ_CODEL_ECN: [4, u32],
  TCA_FQ_CODEL_FLOWS: [5, u32],
  TCA_FQ_CODEL_QUANTUM: [6, u32],
  TCA_FQ_CODEL_CE_THRESHOLD: [7, u32],
  TCA_FQ_CODEL_DROP_BATCH_SIZE: [8, u32],
  TCA_FQ_CODEL_MEMORY_LIMIT: [9, u32],
  TCA_FQ_CODEL_CE_THRESHOLD_SELECTOR: [10, u8],
  TCA_FQ_CODEL_CE_THRESHOLD_MASK: [11, u8],
});

const qdStats = struct(
  'tc_fq_codel_qd_stats',
  {
    maxpacket: u32,
    drop_overlimit: u32,
    ecn_mark: u32,
    new_flow_count: u32,
    new_flows_len: u32,
    old_flows_len: u32,
    ce_mark: u32,
    memory_usage: u32,
    drop_overmemory: u32,
  },
  { minSize: 4 },
);
const clStats = struct(
  'tc_fq_codel_cl_stats',
  {
    deficit: s32,
    ldelay: u32,
    count: u32,
    lastcount: u32,
    dropping: u32,
    drop_next: s32,
  },
  { minSize: 4 },
);

/** struct tc_fq_codel_xstats: a type word, then the qdisc or the class union member. */
export const fqCodelXstats: NlaType<Record<string, unknown>, never> = {
  kind: 'tc_fq_codel_xstats',
  size: 0,
  nlaFlags: 0,
  decode(b, o, len, owner) {
    if (len < 4) throw new NetlinkDecodeError('tc_fq_codel_xstats needs 4 bytes', o);
    const type = b.readUInt32LE(o);
    const body = type === 0 ? qdStats : clStats;
    return {
      type: type === 0 ? 'qdisc' : type === 1 ? 'class' : type,
      ...(len > 4 ? body.decode(b, o + 4, len - 4, owner) : {}),
    };
  },
  encode() {
    throw new Error('tc_fq_codel_xstats is kernel output only');
  },
  pretty: (v) =>
    Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => [k, Buffer.isBuffer(x) ? x.toString('hex') : x]),
    ),
};

const KEYS = ['limit', 'flows', 'quantum', 'interval', 'target', 'ecn', 'ceThreshold', 'dropBatch', 'memoryLimit'];

/** `{ limit?, flows?, quantum?, interval?: '100ms', target?: '5ms', ecn?: boolean, ceThreshold?, dropBatch?, memoryLimit? }`. */
export const fqCodel: TcKind = {
  kind: 'fq_codel',
  keys: { qdisc: KEYS },
  aliases: { ce_threshold: 'ceThreshold', drop_batch: 'dropBatch', memory_limit: 'memoryLimit' },
  options: nested(fqCodelMap),
  xstats: fqCodelXstats,
  show: showFqCodel,
  showXstats: (p, x) => showFqCodelXstats(p, x),
  read(o: AttrSet<typeof fqCodelMap.decl>) {
    const out: Record<string, unknown> = {};
    const put = (k: string, v: unknown): void => {
      if (v !== undefined) out[k] = v;
    };
    put('limit', o.getAttr('TCA_FQ_CODEL_LIMIT'));
    put('flows', o.getAttr('TCA_FQ_CODEL_FLOWS'));
    put('quantum', o.getAttr('TCA_FQ_CODEL_QUANTUM'));
    // Times in microseconds, as the spec takes a bare number.
    put('interval', o.getAttr('TCA_FQ_CODEL_INTERVAL'));
    put('target', o.getAttr('TCA_FQ_CODEL_TARGET'));
    const ecn = o.getAttr('TCA_FQ_CODEL_ECN');
    if (ecn !== undefined) out.ecn = ecn !== 0;
    put('ceThreshold', o.getAttr('TCA_FQ_CODEL_CE_THRESHOLD'));
    put('dropBatch', o.getAttr('TCA_FQ_CODEL_DROP_BATCH_SIZE'));
    put('memoryLimit', o.getAttr('TCA_FQ_CODEL_MEMORY_LIMIT'));
    return out;
  },
  qdisc(spec: TcSpec) {
    checkKeys('fq_codel', spec, KEYS);
    const a: [string, unknown][] = [];
    const limit = num(spec, 'limit'),
      flows = num(spec, 'flows');
    if (limit) a.push(['TCA_FQ_CODEL_LIMIT', limit]);
    if (flows) a.push(['TCA_FQ_CODEL_FLOWS', flows]);
    if (spec.quantum !== undefined) a.push(['TCA_FQ_CODEL_QUANTUM', parseSize(spec.quantum as string)]);
    if (spec.interval !== undefined) a.push(['TCA_FQ_CODEL_INTERVAL', parseTime(spec.interval as string)]);
    if (spec.target !== undefined) a.push(['TCA_FQ_CODEL_TARGET', parseTime(spec.target as string)]);
    if (spec.ecn !== undefined) a.push(['TCA_FQ_CODEL_ECN', spec.ecn ? 1 : 0]);
    if (spec.ceThreshold !== undefined) a.push(['TCA_FQ_CODEL_CE_THRESHOLD', parseTime(spec.ceThreshold as string)]);
    const batch = num(spec, 'dropBatch');
    if (batch) a.push(['TCA_FQ_CODEL_DROP_BATCH_SIZE', batch]);
    if (spec.memoryLimit !== undefined) a.push(['TCA_FQ_CODEL_MEMORY_LIMIT', parseSize(spec.memoryLimit as string)]);
    return a;
  },
};

/** tc's view: counts as numbers, times in microseconds in JSON and with units in the text. */
function showFqCodel(p: TcShow, o: AttrSet<typeof fqCodelMap.decl>): void {
  const u = (k: keyof typeof fqCodelMap.decl): number | undefined => o.getAttr(k) as number | undefined;
  const time = (key: string, v: number | undefined): void => {
    if (v !== undefined) p.put(key, v, `${key} ${timeText(v)} `);
  };
  const limit = u('TCA_FQ_CODEL_LIMIT');
  if (limit !== undefined) p.put('limit', limit, `limit ${limit}p `);
  for (const [attr, key] of [
    ['TCA_FQ_CODEL_FLOWS', 'flows'],
    ['TCA_FQ_CODEL_QUANTUM', 'quantum'],
  ] as const) {
    const v = u(attr);
    if (v !== undefined) p.put(key, v, `${key} ${v} `);
  }
  time('target', u('TCA_FQ_CODEL_TARGET'));
  time('ce_threshold', u('TCA_FQ_CODEL_CE_THRESHOLD'));
  const sel = u('TCA_FQ_CODEL_CE_THRESHOLD_SELECTOR') ?? 0;
  const mask = u('TCA_FQ_CODEL_CE_THRESHOLD_MASK') ?? 0;
  if (sel || mask) {
    p.put('ce_threshold_selector', sel, `ce_threshold_selector ${hex0x(sel)}`);
    p.put('ce_threshold_mask', mask, `/${hex0x(mask)} `);
  }
  time('interval', u('TCA_FQ_CODEL_INTERVAL'));
  const mem = u('TCA_FQ_CODEL_MEMORY_LIMIT');
  if (mem !== undefined) p.put('memory_limit', mem, `memory_limit ${sizeText(mem)} `);
  if (u('TCA_FQ_CODEL_ECN')) p.put('ecn', true, 'ecn ');
  const batch = u('TCA_FQ_CODEL_DROP_BATCH_SIZE');
  if (batch) p.put('drop_batch', batch, `drop_batch ${batch} `);
}

/** `tc -s`: the qdisc's flow counters, or a class's (one flow's) CoDel state. */
function showFqCodelXstats(p: TcShow, x: Record<string, unknown>): void {
  const n = (k: string): number => Number(x[k] ?? 0);
  if (x.type === 'qdisc') {
    p.put('maxpacket', n('maxpacket'), `  maxpacket ${n('maxpacket')}`);
    for (const k of ['drop_overlimit', 'new_flow_count', 'ecn_mark']) p.put(k, n(k), ` ${k} ${n(k)}`);
    if (n('ce_mark')) p.put('ce_mark', n('ce_mark'), ` ce_mark ${n('ce_mark')}`);
    if (n('memory_usage')) p.put('memory_used', n('memory_usage'), ` memory_used ${n('memory_usage')}`);
    if (n('drop_overmemory'))
      p.put('drop_overmemory', n('drop_overmemory'), ` drop_overmemory ${n('drop_overmemory')}`);
    p.text('\n').put('new_flows_len', n('new_flows_len'), `  new_flows_len ${n('new_flows_len')}`);
    p.put('old_flows_len', n('old_flows_len'), ` old_flows_len ${n('old_flows_len')}`);
  } else if (x.type === 'class') {
    p.put('deficit', n('deficit'), `  deficit ${n('deficit')}`);
    p.put('count', n('count'), ` count ${n('count')}`).put('lastcount', n('lastcount'), ` lastcount ${n('lastcount')}`);
    p.put('ldelay', n('ldelay'), ` ldelay ${timeText(n('ldelay'))}`);
    if (n('dropping')) {
      const next = n('drop_next');
      p.put('dropping', true, ' dropping');
      p.put('drop_next', next, ` drop_next ${next < 0 ? '-' : ''}${timeText(Math.abs(next))}`);
    }
  }
}
