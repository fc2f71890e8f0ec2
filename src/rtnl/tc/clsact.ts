// clsact qdisc: ingress and egress filter hooks (parents ffff:fff2 and ffff:fff3), for bpf 'da'.
import { attrMap, nested } from '../../core/index.js';
import { TC_H_CLSACT, checkKeys, tcMake, type TcKind, type TcSpec } from './common.js';

const none = attrMap('tca_clsact', {});

/** No options. Filters attach with parent 'ffff:fff2' (ingress) or 'ffff:fff3' (egress). */
export const clsact: TcKind = {
  kind: 'clsact',
  options: nested(none),
  qdiscAt: { parent: TC_H_CLSACT, handle: tcMake(0xffff, 0) },
  keys: { qdisc: [] },
  qdisc(spec: TcSpec) {
    checkKeys('clsact', spec, []);
    return undefined;
  },
};
