// htb qdisc and classes: hierarchical token buckets (pkt_sched.h). Classes carry tc's rate tables.
import {
  NetlinkEncodeError,
  attrMap,
  type AttrSet,
  binary,
  flag,
  nested,
  pad,
  s32,
  struct,
  u32,
  u64,
} from '../../core/index.js';
import { getPsched, parseRate, parseSizeAndCell, rateTable, xmitsize, xmittime, type LinkLayer } from '../rate.js';
import { checkKeys, num, tcRatespec, type TcKind, type TcSpec } from './common.js';
import { LINKLAYER_TEXT, hex0x, rateText, sizeText, type TcShow } from './show.js';

export const tcHtbOpt = struct('tc_htb_opt', {
  rate: tcRatespec,
  ceil: tcRatespec,
  buffer: u32,
  cbuffer: u32,
  quantum: u32,
  level: u32,
  prio: u32,
});
export const tcHtbGlob = struct('tc_htb_glob', {
  version: u32,
  rate2quantum: u32,
  defcls: u32,
  debug: u32,
  direct_pkts: u32,
});
export const tcHtbXstats = struct('tc_htb_xstats', {
  lends: u32,
  borrows: u32,
  giants: u32,
  tokens: s32,
  ctokens: s32,
});

export const htbMap = attrMap('tca_htb', {
  TCA_HTB_PARMS: [1, tcHtbOpt],
  TCA_HTB_INIT: [2, tcHtbGlob],
  TCA_HTB_CTAB: [3, binary],
  TCA_HTB_RTAB: [4, binary],
  TCA_HTB_DIRECT_QLEN: [5, u32],
  TCA_HTB_RATE64: [6, u64],
  TCA_HTB_CEIL64: [7, u64],
  TCA_HTB_PAD: [8, pad(0)],
  TCA_HTB_OFFLOAD: [9, flag],
});

/** The default class: a number (minor id) or tc's hex text ('20' is 0x20; '1:20' takes the minor). */
function defaultClass(v: unknown): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const s = String(v);
  const m = /^(?:[0-9a-f]*:)?(?:0x)?([0-9a-f]+)$/i.exec(s);
  if (!m) throw new NetlinkEncodeError(`htb: bad default class ${JSON.stringify(v)}`);
  return parseInt(m[1], 16);
}

const QDISC_KEYS = ['default', 'r2q', 'directQlen', 'offload', 'debug'];
const CLASS_KEYS = [
  'rate',
  'ceil',
  'burst',
  'buffer',
  'maxburst',
  'cburst',
  'cbuffer',
  'cmaxburst',
  'prio',
  'quantum',
  'mtu',
  'mpu',
  'overhead',
  'linklayer',
];

/**
 * Qdisc: `{ default?: 0x20 | '20', r2q?: 10, directQlen?, offload? }`.
 * Class: `{ rate: '10mbit', ceil?, burst?, cburst?, prio?, quantum?, mtu?: 1600, mpu?, overhead?, linklayer? }`.
 */
export const htb: TcKind = {
  kind: 'htb',
  options: nested(htbMap),
  xstats: tcHtbXstats,
  keys: { qdisc: QDISC_KEYS, class: CLASS_KEYS },
  aliases: { direct_qlen: 'directQlen' },
  show: showHtb,
  showXstats: (p, x) => showHtbXstats(p, x),
  read(o: AttrSet<typeof htbMap.decl>, target) {
    const out: Record<string, unknown> = {};
    if (target === 'qdisc') {
      const g = o.getAttr('TCA_HTB_INIT');
      if (g) Object.assign(out, { default: g.defcls, r2q: g.rate2quantum });
      const dq = o.getAttr('TCA_HTB_DIRECT_QLEN');
      if (dq !== undefined) out.directQlen = dq;
      if (o.has('TCA_HTB_OFFLOAD')) out.offload = true;
      return out;
    }
    const p = o.getAttr('TCA_HTB_PARMS');
    if (!p) return out;
    const rate = Number(o.getAttr('TCA_HTB_RATE64') ?? p.rate.rate);
    const ceil = Number(o.getAttr('TCA_HTB_CEIL64') ?? p.ceil.rate);
    Object.assign(out, {
      rate,
      ceil,
      burst: xmitsize(rate, p.buffer),
      cburst: xmitsize(ceil, p.cbuffer),
      prio: p.prio,
    });
    if (p.quantum) out.quantum = p.quantum;
    if (p.rate.mpu) out.mpu = p.rate.mpu;
    if (p.rate.overhead) out.overhead = p.rate.overhead;
    return out;
  },
  qdisc(spec: TcSpec) {
    checkKeys('htb', spec, QDISC_KEYS);
    const attrs: [string, unknown][] = [
      [
        'TCA_HTB_INIT',
        {
          version: 3,
          rate2quantum: num(spec, 'r2q') ?? 10,
          defcls: defaultClass(spec.default),
          debug: num(spec, 'debug') ?? 0,
        },
      ],
    ];
    const dq = num(spec, 'directQlen');
    if (dq !== undefined) attrs.push(['TCA_HTB_DIRECT_QLEN', dq]);
    if (spec.offload) attrs.push(['TCA_HTB_OFFLOAD', true]);
    return attrs;
  },
  class(spec: TcSpec) {
    checkKeys('htb class', spec, CLASS_KEYS);
    if (spec.rate === undefined) throw new NetlinkEncodeError('htb class: rate is required');
    const rate64 = parseRate(spec.rate as string);
    const ceil64 = spec.ceil === undefined ? rate64 : parseRate(spec.ceil as string);
    const mtu = num(spec, 'mtu') ?? 1600;
    const burst = spec.burst ?? spec.buffer ?? spec.maxburst;
    const cburst = spec.cburst ?? spec.cbuffer ?? spec.cmaxburst;
    const b = burst === undefined ? { size: 0, cellLog: undefined } : parseSizeAndCell(burst as string);
    const cb = cburst === undefined ? { size: 0, cellLog: undefined } : parseSizeAndCell(cburst as string);
    // tc's minimal bursts: one timer tick of traffic plus an mtu.
    const hz = getPsched().hz;
    const buffer = b.size || Math.floor(rate64 / hz) + mtu;
    const cbuffer = cb.size || Math.floor(ceil64 / hz) + mtu;
    const common = {
      mtu,
      mpu: num(spec, 'mpu') ?? 0,
      overhead: num(spec, 'overhead') ?? 0,
      linklayer: spec.linklayer as LinkLayer | undefined,
    };
    const r = rateTable(rate64, { ...common, cellLog: b.cellLog });
    const c = rateTable(ceil64, { ...common, cellLog: cb.cellLog });
    const attrs: [string, unknown][] = [];
    if (rate64 >= 2 ** 32) attrs.push(['TCA_HTB_RATE64', rate64]);
    if (ceil64 >= 2 ** 32) attrs.push(['TCA_HTB_CEIL64', ceil64]);
    attrs.push([
      'TCA_HTB_PARMS',
      {
        rate: r.spec,
        ceil: c.spec,
        buffer: xmittime(rate64, buffer),
        cbuffer: xmittime(ceil64, cbuffer),
        quantum: num(spec, 'quantum') ?? 0,
        level: 0,
        prio: num(spec, 'prio') ?? 0,
      },
    ]);
    attrs.push(['TCA_HTB_RTAB', r.table], ['TCA_HTB_CTAB', c.table]);
    return attrs;
  },
};

/**
 * tc's view of an htb qdisc (r2q, default class, direct counters) or class (prio, rates and
 * bursts). Classes use the keys of tc releases that print them as JSON.
 */
function showHtb(p: TcShow, o: AttrSet<typeof htbMap.decl>): void {
  const h = o.getAttr('TCA_HTB_PARMS');
  if (h) {
    if (!h.level) {
      p.put('prio', h.prio, `prio ${h.prio} `);
      if (p.details) p.put('quantum', h.quantum, `quantum ${h.quantum} `);
    }
    const rate = Number(o.getAttr('TCA_HTB_RATE64') ?? h.rate.rate);
    const ceil = Number(o.getAttr('TCA_HTB_CEIL64') ?? h.ceil.rate);
    p.put('rate', rate, `rate ${rateText(rate)} `);
    if (h.rate.overhead) p.put('overhead', h.rate.overhead, `overhead ${h.rate.overhead} `);
    p.put('ceil', ceil, `ceil ${rateText(ceil)} `);
    const buffer = xmitsize(rate, h.buffer),
      cbuffer = xmitsize(ceil, h.cbuffer);
    const ll = h.rate.linklayer & 0x0f;
    if (ll > 1 || p.details) {
      const name = LINKLAYER_TEXT[ll] ?? 'unknown';
      p.put('linklayer', name, `linklayer ${name} `);
    }
    if (p.details) {
      p.put('burst', buffer, `burst ${sizeText(buffer)}/`).put(
        'burst_cell',
        2 ** h.rate.cell_log,
        `${2 ** h.rate.cell_log} `,
      );
      p.put('mpu_rate', h.rate.mpu, `mpu ${sizeText(h.rate.mpu)} `);
      p.put('cburst', cbuffer, `cburst ${sizeText(cbuffer)}/`);
      p.put('cburst_cell', 2 ** h.ceil.cell_log, `${2 ** h.ceil.cell_log} `);
      p.put('mpu_ceil', h.ceil.mpu, `mpu ${sizeText(h.ceil.mpu)} `).put('level', h.level, `level ${h.level} `);
    } else p.put('burst', buffer, `burst ${sizeText(buffer)} `).put('cburst', cbuffer, `cburst ${sizeText(cbuffer)} `);
  }
  const g = o.getAttr('TCA_HTB_INIT');
  if (g) {
    p.put('r2q', g.rate2quantum, `r2q ${g.rate2quantum}`).put(
      'default',
      hex0x(g.defcls),
      ` default ${hex0x(g.defcls)}`,
    );
    p.put('direct_packets_stat', g.direct_pkts, ` direct_packets_stat ${g.direct_pkts}`);
    if (p.details) {
      const ver = `${g.version >>> 16}.${g.version & 0xffff}`;
      p.put('ver', ver, ` ver ${ver}`);
    }
  }
  const qlen = o.getAttr('TCA_HTB_DIRECT_QLEN');
  if (qlen !== undefined) p.put('direct_qlen', qlen, ` direct_qlen ${qlen}`);
  if (o.getAttr('TCA_HTB_OFFLOAD')) p.put('offload', null, ' offload');
}

/** A class's lends, borrows and tokens (`tc -s class show`). */
function showHtbXstats(
  p: TcShow,
  x: { lends: number; borrows: number; giants: number; tokens: number; ctokens: number },
) {
  p.put('lended', x.lends, ` lended: ${x.lends} `).put('borrowed', x.borrows, `borrowed: ${x.borrows} `);
  p.put('giants', x.giants, `giants: ${x.giants}\n`);
  p.put('tokens', x.tokens, ` tokens: ${x.tokens} `).put('ctokens', x.ctokens, `ctokens: ${x.ctokens}\n`);
}
