// bfifo qdisc: a FIFO limited in bytes ('10kb', 1500...).
import { checkKeys, type TcKind, type TcSpec } from './common.js';
import { tcFifoQopt } from './pfifo.js';
import { parseSize } from '../rate.js';
import { sizeText, type TcShow } from './show.js';

/** `{ limit?: bytes | '64kb' }`. */
export const bfifo: TcKind = {
  kind: 'bfifo',
  options: tcFifoQopt,
  keys: { qdisc: ['limit'] },
  read: (o: { limit: number }) => ({ limit: o.limit }),
  show: (p: TcShow, o: { limit: number }) => p.put('limit', o.limit, `limit ${sizeText(o.limit)}`),
  qdisc(spec: TcSpec) {
    checkKeys('bfifo', spec, ['limit']);
    return spec.limit === undefined ? undefined : { limit: parseSize(spec.limit as string | number) };
  },
};
