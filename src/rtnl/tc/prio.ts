// prio qdisc: strict-priority bands. TCA_OPTIONS is struct tc_prio_qopt (pkt_sched.h).
import { NetlinkEncodeError, arrayOf, s32, struct, u8, type NlaType } from '../../core/index.js';
import { checkKeys, num, type TcKind, type TcSpec } from './common.js';
import type { TcShow } from './show.js';

const TC_PRIO_MAX = 15;
/** tc's default map of the 16 packet priorities to 3 bands. */
export const PRIO_DEFAULT_MAP = [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];

const priomap: NlaType<number[], readonly number[]> = { ...arrayOf(u8), size: TC_PRIO_MAX + 1 };
export const tcPrioQopt = struct('tc_prio_qopt', { bands: s32, priomap });

/** `{ bands?: 2..16 (default 3), priomap?: 16 band numbers }` as `tc qdisc add ... prio`. */
export const prio: TcKind = {
  kind: 'prio',
  options: tcPrioQopt,
  keys: { qdisc: ['bands', 'priomap'] },
  qdisc(spec: TcSpec) {
    checkKeys('prio', spec, ['bands', 'priomap']);
    const bands = num(spec, 'bands') ?? 3;
    const map = (spec.priomap as number[] | undefined) ?? PRIO_DEFAULT_MAP;
    if (map.length !== TC_PRIO_MAX + 1) throw new NetlinkEncodeError(`prio: priomap needs ${TC_PRIO_MAX + 1} entries`);
    if (map.some((b) => !Number.isInteger(b) || b < 0 || b >= bands))
      throw new NetlinkEncodeError(`prio: priomap bands must be 0..${bands - 1}`);
    return { bands, priomap: map };
  },
  show: showPrio,
};

/** `bands N priomap ...`; the kernel sends no TCA_PRIO_MQ attribute after the struct today. */
function showPrio(p: TcShow, o: { bands: number; priomap: number[] }): void {
  p.put('bands', o.bands, `bands ${o.bands} `).openArray('priomap').text('priomap');
  for (const b of o.priomap) p.put(null, b, ` ${b}`);
  p.close().text('').put('multiqueue', false);
}

/** pfifo_fast: three fixed bands; tc shows it as prio. It takes no options. */
export const pfifoFast: TcKind = { kind: 'pfifo_fast', options: tcPrioQopt, keys: { qdisc: [] }, show: showPrio };
