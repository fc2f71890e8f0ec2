// ingress qdisc: the hook for filters on received packets; always ffff: under TC_H_INGRESS.
import { attrMap, nested } from '../../core/index.js';
import type { TcShow } from './show.js';
import { TC_H_INGRESS, checkKeys, tcMake, type TcKind, type TcSpec } from './common.js';

const none = attrMap('tca_ingress', {});

/** No options; tc sends no TCA_OPTIONS. */
export const ingress: TcKind = {
  kind: 'ingress',
  options: nested(none),
  qdiscAt: { parent: TC_H_INGRESS, handle: tcMake(0xffff, 0) },
  keys: { qdisc: [] },
  // tc marks the ingress hook with a rule in the text and shows no options.
  show: (p: TcShow) => p.text('---------------- '),
  qdisc(spec: TcSpec) {
    checkKeys('ingress', spec, []);
    return undefined;
  },
};
