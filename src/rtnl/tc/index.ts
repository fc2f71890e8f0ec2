// The registry of traffic-control kinds: what TCA_OPTIONS and TCA_XSTATS mean for each.
import type { NlaType } from '../../core/index.js';
import { basic } from './basic.js';
import { bfifo } from './bfifo.js';
import { cake } from './cake.js';
import { drr } from './drr.js';
import { flower } from './flower.js';
import { fq } from './fq.js';
import { fw } from './fw.js';
import { hfsc } from './hfsc.js';
import { matchall } from './matchall.js';
import { netem } from './netem.js';
import { pfifoFast, prio } from './prio.js';
import { red } from './red.js';
import { route4 } from './route.js';
import { sfq } from './sfq.js';
import { bpfFilter } from './bpf.js';
import { clsact } from './clsact.js';
import { fqCodel } from './fq_codel.js';
import { htb } from './htb.js';
import { ingress } from './ingress.js';
import { pfifo, pfifoHeadDrop } from './pfifo.js';
import { tbf } from './tbf.js';
import { u32Filter } from './u32.js';
import type { TcKind } from './common.js';

export * from './common.js';
export { actionKinds, buildActions, type ActionSpec } from './action.js';
export { parseMatch, packKey, type U32Key } from './u32.js';
export { parseBytecode } from './bpf.js';
export { statsRecord, type TcStatsRecord } from './stats.js';
export { redWlog, redPlog, redIdleDamping } from './red.js';
export { parseCtState } from './flower.js';

/** Every known qdisc, class and filter kind, by TCA_KIND. Register new kinds here. */
export const tcKinds: Readonly<Record<string, TcKind>> = Object.fromEntries(
  [
    pfifo,
    pfifoHeadDrop,
    bfifo,
    tbf,
    htb,
    ingress,
    clsact,
    fqCodel,
    netem,
    fq,
    sfq,
    prio,
    pfifoFast,
    cake,
    red,
    hfsc,
    drr,
    u32Filter,
    bpfFilter,
    matchall,
    basic,
    fw,
    route4,
    flower,
  ].map((k) => [k.kind, k]),
);

/** TCA_OPTIONS types by kind, for select('TCA_KIND', ...). */
export function optionsByKind(): Record<string, NlaType<any, any>> {
  return Object.fromEntries(Object.values(tcKinds).map((k) => [k.kind, k.options]));
}

/** TCA_XSTATS types by kind. */
export function xstatsByKind(): Record<string, NlaType<any, any>> {
  const out: Record<string, NlaType<any, any>> = {};
  for (const k of Object.values(tcKinds)) if (k.xstats) out[k.kind] = k.xstats;
  return out;
}
export * from './specs.js';
