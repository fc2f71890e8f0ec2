// The registry of traffic-control kinds: what TCA_OPTIONS and TCA_XSTATS mean for each.
import type { NlaType } from '../../core/index.js';
import { bfifo } from './bfifo.js';
import { bpfFilter } from './bpf.js';
import { clsact } from './clsact.js';
import { fqCodel } from './fq_codel.js';
import { htb } from './htb.js';
import { ingress } from './ingress.js';
import { netem } from './netem.js';
import { pfifo, pfifoHeadDrop } from './pfifo.js';
import { tbf } from './tbf.js';
import { u32Filter } from './u32.js';
import type { TcKind } from './common.js';

export * from './common.js';
export { actionKinds, buildActions, type ActionSpec } from './action.js';
export { parseMatch, packKey, type U32Key } from './u32.js';
export { parseBytecode } from './bpf.js';

/** Every known qdisc, class and filter kind, by TCA_KIND. Register new kinds here. */
export const tcKinds: Readonly<Record<string, TcKind>> = Object.fromEntries(
  [pfifo, pfifoHeadDrop, bfifo, tbf, htb, ingress, clsact, fqCodel, netem, u32Filter, bpfFilter].map((k) => [k.kind, k]),
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
