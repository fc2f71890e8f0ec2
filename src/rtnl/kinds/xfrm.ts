// xfrm interfaces: IFLA_XFRM_*.
import { attrMap, flag, nested, u32 } from '../../core/index.js';
import type { LinkKind } from './registry.js';

export const xfrmAttrs = attrMap('ifla_xfrm', {
  IFLA_XFRM_LINK: [1, u32],
  IFLA_XFRM_IF_ID: [2, u32],
  IFLA_XFRM_COLLECT_METADATA: [3, flag],
});

export const xfrm: LinkKind = { kind: 'xfrm', data: nested(xfrmAttrs), dataMap: xfrmAttrs, specPrefix: 'xfrm', attrPrefix: 'IFLA_XFRM_' };
