// macvlan and macvtap share IFLA_MACVLAN_*.
import { attrMap, enumOf, flagsOf, l2addr, nested, s32, u16, u32, vocab } from '../../core/index.js';
import type { LinkKind } from './registry.js';
import type { IpJsonTable } from './ipjson.js';

export const MACVLAN_MODE = {
  MACVLAN_MODE_PRIVATE: 1,
  MACVLAN_MODE_VEPA: 2,
  MACVLAN_MODE_BRIDGE: 4,
  MACVLAN_MODE_PASSTHRU: 8,
  MACVLAN_MODE_SOURCE: 16,
} as const;
export const MACVLAN_MACADDR = {
  MACVLAN_MACADDR_ADD: 0,
  MACVLAN_MACADDR_DEL: 1,
  MACVLAN_MACADDR_FLUSH: 2,
  MACVLAN_MACADDR_SET: 3,
} as const;
export const MACVLAN_FLAG = { MACVLAN_FLAG_NOPROMISC: 1, MACVLAN_FLAG_NODST: 2 } as const;

const macaddrData = attrMap('macvlan_macaddr_data', { IFLA_MACVLAN_MACADDR: [4, l2addr] });

export const macvlanAttrs = attrMap('ifla_macvlan', {
  IFLA_MACVLAN_MODE: [1, enumOf(u32, MACVLAN_MODE)],
  IFLA_MACVLAN_FLAGS: [2, flagsOf(u16, MACVLAN_FLAG)],
  IFLA_MACVLAN_MACADDR_MODE: [3, enumOf(u32, MACVLAN_MACADDR)],
  IFLA_MACVLAN_MACADDR: [4, l2addr],
  IFLA_MACVLAN_MACADDR_DATA: [5, nested(macaddrData)],
  IFLA_MACVLAN_MACADDR_COUNT: [6, u32],
  IFLA_MACVLAN_BC_QUEUE_LEN: [7, u32],
  IFLA_MACVLAN_BC_QUEUE_LEN_USED: [8, u32],
  IFLA_MACVLAN_BC_CUTOFF: [9, s32],
});

/** The friendly names of the macvlan options, flat in a link spec or record. */
export const macvlanVocab = vocab('macvlan options', macvlanAttrs, undefined, {
  attrs: {
    macvlanMode: 'IFLA_MACVLAN_MODE',
    macvlanFlags: 'IFLA_MACVLAN_FLAGS',
    macvlanMacaddrMode: 'IFLA_MACVLAN_MACADDR_MODE',
    macvlanMacaddr: 'IFLA_MACVLAN_MACADDR',
    macvlanMacaddrData: 'IFLA_MACVLAN_MACADDR_DATA',
    macvlanMacaddrCount: 'IFLA_MACVLAN_MACADDR_COUNT',
    macvlanBcQueueLen: 'IFLA_MACVLAN_BC_QUEUE_LEN',
    macvlanBcQueueLenUsed: 'IFLA_MACVLAN_BC_QUEUE_LEN_USED',
    macvlanBcCutoff: 'IFLA_MACVLAN_BC_CUTOFF',
  },
  readOnly: ['macvlanMacaddrCount', 'macvlanBcQueueLenUsed'],
});

const MODE_TEXT: Readonly<Record<number, string>> = {
  1: 'private',
  2: 'vepa',
  4: 'bridge',
  8: 'passthru',
  16: 'source',
};
const isSource = (data: { getAttr(a: never): unknown }): boolean =>
  data.getAttr('IFLA_MACVLAN_MODE' as never) === MACVLAN_MODE.MACVLAN_MODE_SOURCE;

/** `ip -j -d` keys of the macvlan options (ip shows nothing without a mode, remotes only in source mode). */
export const macvlanIpJson: IpJsonTable = [
  ['IFLA_MACVLAN_MODE', 'mode', (v: number) => MODE_TEXT[v] ?? 'unknown'],
  [
    'IFLA_MACVLAN_FLAGS',
    '',
    (v: number, { data }) => {
      if (data.getAttr('IFLA_MACVLAN_MODE' as never) === undefined) return undefined;
      const out: Record<string, boolean> = {};
      if (v & MACVLAN_FLAG.MACVLAN_FLAG_NOPROMISC) out.nopromisc = true;
      if (v & MACVLAN_FLAG.MACVLAN_FLAG_NODST) out.nodst = true;
      return out;
    },
  ],
  ['IFLA_MACVLAN_BC_QUEUE_LEN', 'bcqueuelen'],
  ['IFLA_MACVLAN_BC_QUEUE_LEN_USED', 'usedbcqueuelen'],
  ['IFLA_MACVLAN_MACADDR_COUNT', 'macaddr_count', (v: number, { data }) => (isSource(data) ? v : undefined)],
  [
    'IFLA_MACVLAN_MACADDR_DATA',
    'macaddr_data',
    (v: { getAttrs(a: never): string[] }, { data }) =>
      isSource(data) && data.getAttr('IFLA_MACVLAN_MACADDR_COUNT' as never) !== undefined
        ? v.getAttrs('IFLA_MACVLAN_MACADDR' as never)
        : undefined,
  ],
];

const data = nested(macvlanAttrs);
const common = { data, dataMap: macvlanAttrs, vocab: macvlanVocab, ipJson: macvlanIpJson };
export const macvlan: LinkKind = { kind: 'macvlan', ...common };
export const macvtap: LinkKind = { kind: 'macvtap', ...common };
