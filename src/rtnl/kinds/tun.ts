// tun/tap: the kernel reports IFLA_TUN_* (creation itself goes through /dev/net/tun ioctls).
import { attrMap, enumOf, nested, u32, u8, vocab } from '../../core/index.js';
import type { LinkKind } from './registry.js';
import { bool, type IpJsonTable } from './ipjson.js';
import { groupName, userName } from './accounts.js';

export const TUN_TYPE = { IFF_TUN: 1, IFF_TAP: 2 } as const;

export const tunAttrs = attrMap('ifla_tun', {
  IFLA_TUN_OWNER: [1, u32],
  IFLA_TUN_GROUP: [2, u32],
  IFLA_TUN_TYPE: [3, enumOf(u8, TUN_TYPE)],
  IFLA_TUN_PI: [4, u8],
  IFLA_TUN_VNET_HDR: [5, u8],
  IFLA_TUN_PERSIST: [6, u8],
  IFLA_TUN_MULTI_QUEUE: [7, u8],
  IFLA_TUN_NUM_QUEUES: [8, u32],
  IFLA_TUN_NUM_DISABLED_QUEUES: [9, u32],
});

/** The friendly names of the tun options, flat in a link spec or record. */
export const tunVocab = vocab('tun options', tunAttrs, undefined, {
  attrs: {
    tunOwner: 'IFLA_TUN_OWNER',
    tunGroup: 'IFLA_TUN_GROUP',
    tunType: 'IFLA_TUN_TYPE',
    tunPi: 'IFLA_TUN_PI',
    tunVnetHdr: 'IFLA_TUN_VNET_HDR',
    tunPersist: 'IFLA_TUN_PERSIST',
    tunMultiQueue: 'IFLA_TUN_MULTI_QUEUE',
    tunNumQueues: 'IFLA_TUN_NUM_QUEUES',
    tunNumDisabledQueues: 'IFLA_TUN_NUM_DISABLED_QUEUES',
  },
  readOnly: ['tunNumQueues', 'tunNumDisabledQueues'],
});

const TYPE_TEXT: Readonly<Record<number, string>> = { 1: 'tun', 2: 'tap' };

/**
 * `ip -j -d` keys of the tun options. The owner and group are names where the account files
 * have them (as ip's getpwuid/getgrgid), numbers otherwise.
 */
export const tunIpJson: IpJsonTable = [
  ['IFLA_TUN_TYPE', 'type', (v: number) => TYPE_TEXT[v] ?? `UNKNOWN:${v}`],
  ['IFLA_TUN_PI', 'pi', bool],
  ['IFLA_TUN_VNET_HDR', 'vnet_hdr', bool],
  // ip prints multi_queue false also when the attribute is absent: TYPE stands in for it then.
  [
    'IFLA_TUN_TYPE',
    '',
    (_v, { data }) => {
      if (!data.getAttr('IFLA_TUN_MULTI_QUEUE' as never)) return { multi_queue: false };
      return {
        multi_queue: true,
        numqueues: data.getAttr('IFLA_TUN_NUM_QUEUES' as never),
        numdisabled: data.getAttr('IFLA_TUN_NUM_DISABLED_QUEUES' as never),
      };
    },
  ],
  ['IFLA_TUN_PERSIST', 'persist', bool],
  ['IFLA_TUN_OWNER', 'user', (v: number) => userName(v) ?? v],
  ['IFLA_TUN_GROUP', 'group', (v: number) => groupName(v) ?? v],
];

export const tun: LinkKind = {
  kind: 'tun',
  data: nested(tunAttrs),
  dataMap: tunAttrs,
  vocab: tunVocab,
  ipJson: tunIpJson,
};
