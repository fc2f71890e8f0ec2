// veth: a pair; VETH_INFO_PEER carries the peer as a whole ifinfomsg + IFLA attributes.
import { attrMap, nested } from '../../core/index.js';
import { headered } from '../types.js';
import { ifla, type LinkKind } from './registry.js';

export const vethAttrs = attrMap('veth_info', {
  VETH_INFO_PEER: [
    1,
    headered(
      () => ifla.header!,
      () => ifla.map!,
    ),
  ],
});

export const veth: LinkKind = { kind: 'veth', data: nested(vethAttrs), dataMap: vethAttrs };
