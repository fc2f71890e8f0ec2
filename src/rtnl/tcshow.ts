// Qdiscs, classes and filters as `tc [-j] [-s] [-d] qdisc|class|filter show` prints them: the
// common head here, the options by each kind's `show` (tc/*.ts), statistics as tc flattens them.
import type { AnyMessage, AttrSet } from '../core/index.js';
import {
  TC_H_INGRESS,
  TC_H_MIN_EGRESS,
  TC_H_MIN_INGRESS,
  TC_H_ROOT,
  tcKinds,
  tcMake,
  type TcTarget,
} from './tc/index.js';
import { ethProtoText } from './kinds/ipjson.js';
import { showStats2 } from './tc/stats.js';
import { TcShow, classidText, hex0x } from './tc/show.js';

/** What `tc ... show` was asked for: the filters it leaves out of each line, and -s / -d. */
export interface TcShowOptions {
  /** Interface names by index. */
  names?: ReadonlyMap<number, string>;
  stats?: boolean;
  details?: boolean;
  /** `dev X` was given: the device is not repeated on each line. */
  ifindex?: number;
  /** Filters: `parent P` was given, so the parent is not repeated. */
  parent?: number;
}

/** One object: the JSON object `tc -j` prints and the text plain `tc` prints. */
export interface TcShown {
  json: Record<string, unknown>;
  text: string;
}

/** The protocol of a filter as tc names it ('ip', 'all', '802.1Q', '[4660]'). */
export const tcProtocolText = ethProtoText;

const htons = (p: number): number => ((p & 0xff) << 8) | ((p >> 8) & 0xff);

function devName(p: TcShow, ifindex: number): string {
  return p.names.get(ifindex) ?? String(ifindex);
}

/** Kind options, or the text tc shows when it cannot read them. */
function showOptions(p: TcShow, m: AnyMessage, target: TcTarget): void {
  const kind = m.getAttr('TCA_KIND') as string;
  const def = tcKinds[kind === 'pfifo_fast' ? 'pfifo_fast' : kind];
  const opts = m.getAttr('TCA_OPTIONS');
  if (opts !== undefined && def?.show) def.show(p, opts, target, m.fields.handle);
}

/** TCA_STATS2 (flattened into the object, or under `stats` for classes) and the kind's xstats. */
function showStats(p: TcShow, m: AnyMessage, target: TcTarget): void {
  const s2 = m.getAttr('TCA_STATS2') as AttrSet<any> | undefined;
  let app: unknown;
  if (s2) {
    app = showStats2(p, s2, ' ');
    p.text('\n');
  }
  const xstats = app ?? m.getAttr('TCA_XSTATS');
  const def = tcKinds[m.getAttr('TCA_KIND') as string];
  if (xstats !== undefined && def?.showXstats) {
    def.showXstats(p, xstats, target);
    p.text('\n');
  }
}

function showQdisc(p: TcShow, m: AnyMessage, o: TcShowOptions): void {
  const f = m.fields;
  p.put('kind', m.getAttr('TCA_KIND'), `qdisc ${m.getAttr('TCA_KIND')}`);
  const handle = `${(f.handle >>> 16).toString(16)}:`;
  p.put('handle', handle, ` ${handle}`).text(' ');
  if (o.ifindex === undefined) p.put('dev', devName(p, f.ifindex), `dev ${devName(p, f.ifindex)} `);
  if (f.parent >>> 0 === TC_H_ROOT) p.put('root', true, 'root ');
  else if (f.parent) p.put('parent', classidText(f.parent), `parent ${classidText(f.parent)} `);
  if (f.info !== 1) p.put('refcnt', f.info, `refcnt ${f.info} `);
  if (m.getAttr('TCA_HW_OFFLOAD')) p.put('offloaded', true, 'offloaded ');
  const ib = m.getAttr('TCA_INGRESS_BLOCK'),
    eb = m.getAttr('TCA_EGRESS_BLOCK');
  if (ib) p.put('ingress_block', ib, `ingress_block ${ib} `);
  if (eb) p.put('egress_block', eb, `egress_block ${eb} `);
  p.open('options');
  showOptions(p, m, 'qdisc');
  p.close().text('\n');
  if (p.stats) showStats(p, m, 'qdisc');
}

// tc 6.1 prints classes as text only; the JSON keys are those of later tc releases.
function showClass(p: TcShow, m: AnyMessage, o: TcShowOptions): void {
  const f = m.fields;
  const handle = f.handle ? classidText(f.handle) : '';
  p.put('class', m.getAttr('TCA_KIND'), `class ${m.getAttr('TCA_KIND')} `).put('handle', handle, `${handle} `);
  if (o.ifindex === undefined) p.put('dev', devName(p, f.ifindex), `dev ${devName(p, f.ifindex)} `);
  if (f.parent >>> 0 === TC_H_ROOT) p.put('root', true, 'root ');
  else p.put('parent', classidText(f.parent), `parent ${classidText(f.parent)} `);
  if (f.info) p.put('leaf', hex0x(f.info >>> 16), `leaf ${(f.info >>> 16).toString(16)}: `);
  showOptions(p, m, 'class');
  p.text('\n');
  if (p.stats) {
    p.open('stats');
    showStats(p, m, 'class');
    p.close();
  }
}

function showFilter(p: TcShow, m: AnyMessage, o: TcShowOptions): void {
  const f = m.fields;
  p.text('filter ');
  if (o.ifindex === undefined) p.put('dev', devName(p, f.ifindex), `dev ${devName(p, f.ifindex)} `);
  const parent = f.parent >>> 0;
  if (o.parent === undefined || o.parent >>> 0 !== parent) {
    if (parent === TC_H_ROOT) p.put('root', true, 'root ');
    else if (parent === tcMake(TC_H_INGRESS >>> 16, TC_H_MIN_INGRESS)) p.put('ingress', true, 'ingress ');
    else if (parent === tcMake(TC_H_INGRESS >>> 16, TC_H_MIN_EGRESS)) p.put('egress', true, 'egress ');
    else p.put('parent', classidText(parent), `parent ${classidText(parent)} `);
  }
  if (f.info) {
    const proto = htons(f.info & 0xffff),
      pref = f.info >>> 16;
    if (proto) p.put('protocol', tcProtocolText(proto), `protocol ${tcProtocolText(proto)} `);
    if (pref) p.put('pref', pref, `pref ${pref} `);
  }
  const kind = m.getAttr('TCA_KIND');
  if (kind !== undefined) p.put('kind', kind, `${kind} `);
  const chain = m.getAttr('TCA_CHAIN');
  if (chain !== undefined) p.put('chain', chain, `chain ${chain} `);
  if (m.getAttr('TCA_OPTIONS') !== undefined) {
    p.open('options');
    showOptions(p, m, 'filter');
    p.close();
  }
  p.text('\n');
  const s2 = m.getAttr('TCA_STATS2') as AttrSet<any> | undefined;
  if (p.stats && s2) {
    showStats2(p, s2, ' ');
    p.text('\n');
  }
}

/** One qdisc, class or filter message as `tc [-s] [-d] [-j] ... show` prints it. */
export function tcShow(m: AnyMessage, target: TcTarget, opts: TcShowOptions = {}): TcShown {
  const p = new TcShow(opts);
  if (target === 'qdisc') showQdisc(p, m, opts);
  else if (target === 'class') showClass(p, m, opts);
  else showFilter(p, m, opts);
  return { json: p.root, text: p.textOut };
}
