// geneve: IFLA_GENEVE_*.
import { attrMap, be16, be32, enumOf, flag, ipv4, ipv6, nested, struct, u32, u8, vocab } from '../../core/index.js';
import type { LinkKind } from './registry.js';
import { bool, hex0x, present, type IpJsonTable } from './ipjson.js';
import { externalFirst } from './tunjson.js';

export const GENEVE_DF = { GENEVE_DF_UNSET: 0, GENEVE_DF_SET: 1, GENEVE_DF_INHERIT: 2 } as const;

export const geneveAttrs = attrMap('ifla_geneve', {
  IFLA_GENEVE_ID: [1, u32],
  IFLA_GENEVE_REMOTE: [2, ipv4],
  IFLA_GENEVE_TTL: [3, u8],
  IFLA_GENEVE_TOS: [4, u8],
  IFLA_GENEVE_PORT: [5, be16],
  IFLA_GENEVE_COLLECT_METADATA: [6, flag],
  IFLA_GENEVE_REMOTE6: [7, ipv6],
  IFLA_GENEVE_UDP_CSUM: [8, u8],
  IFLA_GENEVE_UDP_ZERO_CSUM6_TX: [9, u8],
  IFLA_GENEVE_UDP_ZERO_CSUM6_RX: [10, u8],
  IFLA_GENEVE_LABEL: [11, be32],
  IFLA_GENEVE_TTL_INHERIT: [12, u8],
  IFLA_GENEVE_DF: [13, enumOf(u8, GENEVE_DF)],
  IFLA_GENEVE_INNER_PROTO_INHERIT: [14, flag],
  IFLA_GENEVE_PORT_RANGE: [15, struct('ifla_geneve_port_range', { low: be16, high: be16 })],
});

/** The friendly names of the geneve options, flat in a link spec or record. */
export const geneveVocab = vocab('geneve options', geneveAttrs, undefined, {
  attrs: {
    geneveId: 'IFLA_GENEVE_ID',
    geneveRemote: 'IFLA_GENEVE_REMOTE',
    geneveTtl: 'IFLA_GENEVE_TTL',
    geneveTos: 'IFLA_GENEVE_TOS',
    genevePort: 'IFLA_GENEVE_PORT',
    geneveCollectMetadata: 'IFLA_GENEVE_COLLECT_METADATA',
    geneveRemote6: 'IFLA_GENEVE_REMOTE6',
    geneveUdpCsum: 'IFLA_GENEVE_UDP_CSUM',
    geneveUdpZeroCsum6Tx: 'IFLA_GENEVE_UDP_ZERO_CSUM6_TX',
    geneveUdpZeroCsum6Rx: 'IFLA_GENEVE_UDP_ZERO_CSUM6_RX',
    geneveLabel: 'IFLA_GENEVE_LABEL',
    geneveTtlInherit: 'IFLA_GENEVE_TTL_INHERIT',
    geneveDf: 'IFLA_GENEVE_DF',
    geneveInnerProtoInherit: 'IFLA_GENEVE_INNER_PROTO_INHERIT',
    genevePortRange: 'IFLA_GENEVE_PORT_RANGE',
  },
});

const DF_TEXT: Readonly<Record<number, string>> = { 0: 'unset', 1: 'set', 2: 'inherit' };

/** `ip -j -d` keys of the geneve options: `external` first in metadata mode, then the tunnel's options. */
export const geneveIpJson: IpJsonTable = externalFirst('IFLA_GENEVE_COLLECT_METADATA', [
  ['IFLA_GENEVE_ID', 'id'],
  ['IFLA_GENEVE_REMOTE', 'remote', (v: string) => (v === '0.0.0.0' ? undefined : v)],
  [
    'IFLA_GENEVE_REMOTE6',
    'remote6',
    (v: string, { data }) =>
      data.getAttr('IFLA_GENEVE_REMOTE' as never) !== undefined || v === '::' || /^ff/i.test(v) ? undefined : v,
  ],
  // With ttl inherit, ip prints no ttl.
  [
    'IFLA_GENEVE_TTL',
    'ttl',
    (v: number, { data }) => (data.getAttr('IFLA_GENEVE_TTL_INHERIT' as never) ? undefined : v),
  ],
  ['IFLA_GENEVE_TOS', 'tos', (v: number) => (v ? hex0x(v) : undefined)],
  ['IFLA_GENEVE_DF', 'df', (v: number) => DF_TEXT[v]],
  ['IFLA_GENEVE_LABEL', 'label', (v: number) => (v ? hex0x(v) : undefined)],
  ['IFLA_GENEVE_PORT', 'port'],
  ['IFLA_GENEVE_UDP_CSUM', 'udp_csum', bool],
  ['IFLA_GENEVE_UDP_ZERO_CSUM6_TX', 'udp_zero_csum6_tx', bool],
  ['IFLA_GENEVE_UDP_ZERO_CSUM6_RX', 'udp_zero_csum6_rx', bool],
  ['IFLA_GENEVE_INNER_PROTO_INHERIT', 'inner_proto_inherit', present],
]);

export const geneve: LinkKind = {
  kind: 'geneve',
  data: nested(geneveAttrs),
  dataMap: geneveAttrs,
  vocab: geneveVocab,
  ipJson: geneveIpJson,
};
