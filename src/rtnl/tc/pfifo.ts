// pfifo qdisc: a FIFO limited in packets. Its options are a bare struct, not attributes.
import { struct, u32 } from '../../core/index.js';
import { checkKeys, num, type TcKind, type TcSpec } from './common.js';
import type { TcShow } from './show.js';

export const tcFifoQopt = struct('tc_fifo_qopt', { limit: u32 });

/** `{ limit?: packets }`; without a limit the kernel uses the device's txqueuelen. */
export const pfifo: TcKind = {
  kind: 'pfifo',
  options: tcFifoQopt,
  keys: { qdisc: ['limit'] },
  read: (o: { limit: number }) => ({ limit: o.limit }),
  show: (p: TcShow, o: { limit: number }) => p.put('limit', o.limit, `limit ${o.limit}p`),
  qdisc(spec: TcSpec) {
    checkKeys('pfifo', spec, ['limit']);
    const limit = num(spec, 'limit');
    return limit === undefined ? undefined : { limit };
  },
};

/** pfifo_head_drop: the same options; drops the oldest packet when full. */
export const pfifoHeadDrop: TcKind = { ...pfifo, kind: 'pfifo_head_drop' };
