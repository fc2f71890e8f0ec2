// xfrm interfaces: IFLA_XFRM_*.
import { attrMap, flag, nested, u32, vocab } from '../../core/index.js';
import type { LinkKind } from './registry.js';

export const xfrmAttrs = attrMap('ifla_xfrm', {
  IFLA_XFRM_LINK: [1, u32],
  IFLA_XFRM_IF_ID: [2, u32],
  IFLA_XFRM_COLLECT_METADATA: [3, flag],
});

/** The friendly names of the xfrm options, flat in a link spec or record. */
export const xfrmVocab = vocab('xfrm options', xfrmAttrs, undefined, {
  attrs: {
    xfrmLink: 'IFLA_XFRM_LINK',
    xfrmIfId: 'IFLA_XFRM_IF_ID',
    xfrmCollectMetadata: 'IFLA_XFRM_COLLECT_METADATA',
  },
});

export const xfrm: LinkKind = { kind: 'xfrm', data: nested(xfrmAttrs), dataMap: xfrmAttrs, vocab: xfrmVocab };
