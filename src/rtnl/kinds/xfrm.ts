// xfrm interfaces: IFLA_XFRM_*.
import { attrMap, flag, nested, u32, vocab } from '../../core/index.js';
import type { LinkKind } from './registry.js';
import { hex0x, present, type IpJsonTable } from './ipjson.js';

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

/** `ip -j -d` keys of the xfrm options: `external`, or else the interface id. */
export const xfrmIpJson: IpJsonTable = [
  ['IFLA_XFRM_COLLECT_METADATA', 'external', present],
  [
    'IFLA_XFRM_IF_ID',
    'if_id',
    (v: number, { data }) => (data.getAttr('IFLA_XFRM_COLLECT_METADATA' as never) ? undefined : hex0x(v)),
  ],
];

export const xfrm: LinkKind = {
  kind: 'xfrm',
  data: nested(xfrmAttrs),
  dataMap: xfrmAttrs,
  vocab: xfrmVocab,
  ipJson: xfrmIpJson,
};
