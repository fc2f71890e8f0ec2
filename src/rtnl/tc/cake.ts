// cake qdisc: common applications kept enhanced (pkt_sched.h TCA_CAKE_*).
import { NetlinkEncodeError, attrMap, nested, pad, s32, u32, u64 } from '../../core/index.js';
import { parseRate, parseSize, parseTime } from '../rate.js';
import { checkKeys, num, type TcKind, type TcSpec } from './common.js';

export const CAKE_DIFFSERV = { diffserv3: 0, diffserv4: 1, diffserv8: 2, besteffort: 3, precedence: 4 } as const;
export const CAKE_FLOW = {
  flowblind: 0,
  srchost: 1,
  dsthost: 2,
  hosts: 3,
  flows: 4,
  'dual-srchost': 5,
  'dual-dsthost': 6,
  'triple-isolate': 7,
} as const;
export const CAKE_ATM = { noatm: 0, atm: 1, ptm: 2 } as const;
export const CAKE_ACK = { 'no-ack-filter': 0, 'ack-filter': 1, 'ack-filter-aggressive': 2 } as const;

export const cakeMap = attrMap('tca_cake', {
  TCA_CAKE_PAD: [1, pad(0)],
  TCA_CAKE_BASE_RATE64: [2, u64],
  TCA_CAKE_DIFFSERV_MODE: [3, u32],
  TCA_CAKE_ATM: [4, u32],
  TCA_CAKE_FLOW_MODE: [5, u32],
  TCA_CAKE_OVERHEAD: [6, s32],
  TCA_CAKE_RTT: [7, u32],
  TCA_CAKE_TARGET: [8, u32],
  TCA_CAKE_AUTORATE: [9, u32],
  TCA_CAKE_MEMORY: [10, u32],
  TCA_CAKE_NAT: [11, u32],
  TCA_CAKE_RAW: [12, u32],
  TCA_CAKE_WASH: [13, u32],
  TCA_CAKE_MPU: [14, u32],
  TCA_CAKE_INGRESS: [15, u32],
  TCA_CAKE_ACK_FILTER: [16, u32],
  TCA_CAKE_SPLIT_GSO: [17, u32],
  TCA_CAKE_FWMARK: [18, u32],
});

function word<T extends Record<string, number>>(table: T, v: unknown, what: string): number {
  const n = table[String(v) as keyof T];
  if (n === undefined)
    throw new NetlinkEncodeError(`cake: unknown ${what} ${JSON.stringify(v)} (${Object.keys(table).join(', ')})`);
  return n;
}

const KEYS = [
  'bandwidth',
  'unlimited',
  'rtt',
  'target',
  'diffserv',
  'flowmode',
  'atm',
  'overhead',
  'mpu',
  'nat',
  'wash',
  'ingress',
  'ack_filter',
  'split_gso',
  'memlimit',
  'fwmark',
  'raw',
  'autorate',
];
const BOOLS: Record<string, string> = {
  nat: 'TCA_CAKE_NAT',
  wash: 'TCA_CAKE_WASH',
  ingress: 'TCA_CAKE_INGRESS',
  split_gso: 'TCA_CAKE_SPLIT_GSO',
  autorate: 'TCA_CAKE_AUTORATE',
};

/**
 * `{ bandwidth?: '100mbit' | unlimited?: true, rtt?: '100ms', target?, diffserv?: 'diffserv4', flowmode?:
 * 'triple-isolate', atm?: 'ptm', overhead?, mpu?, nat?, wash?, ingress?, ack_filter?: 'ack-filter',
 * split_gso?, memlimit?, fwmark?, raw? }` as `tc qdisc add ... cake`.
 */
export const cake: TcKind = {
  kind: 'cake',
  options: nested(cakeMap),
  keys: { qdisc: KEYS },
  qdisc(spec: TcSpec) {
    checkKeys('cake', spec, KEYS);
    const a: [string, unknown][] = [];
    if (spec.bandwidth !== undefined) a.push(['TCA_CAKE_BASE_RATE64', parseRate(spec.bandwidth as string)]);
    else if (spec.unlimited) a.push(['TCA_CAKE_BASE_RATE64', 0]);
    if (spec.diffserv !== undefined)
      a.push(['TCA_CAKE_DIFFSERV_MODE', word(CAKE_DIFFSERV, spec.diffserv, 'diffserv mode')]);
    if (spec.atm !== undefined) a.push(['TCA_CAKE_ATM', word(CAKE_ATM, spec.atm, 'atm mode')]);
    if (spec.flowmode !== undefined) a.push(['TCA_CAKE_FLOW_MODE', word(CAKE_FLOW, spec.flowmode, 'flow mode')]);
    if (spec.overhead !== undefined) a.push(['TCA_CAKE_OVERHEAD', Number(spec.overhead)]);
    if (spec.raw) a.push(['TCA_CAKE_RAW', 1]);
    if (spec.rtt !== undefined) a.push(['TCA_CAKE_RTT', parseTime(spec.rtt as string)]);
    if (spec.target !== undefined) a.push(['TCA_CAKE_TARGET', parseTime(spec.target as string)]);
    if (spec.memlimit !== undefined) a.push(['TCA_CAKE_MEMORY', parseSize(spec.memlimit as string)]);
    const mpu = num(spec, 'mpu');
    if (mpu !== undefined) a.push(['TCA_CAKE_MPU', mpu]);
    for (const [k, attr] of Object.entries(BOOLS)) if (spec[k] !== undefined) a.push([attr, spec[k] ? 1 : 0]);
    if (spec.ack_filter !== undefined) a.push(['TCA_CAKE_ACK_FILTER', word(CAKE_ACK, spec.ack_filter, 'ack filter')]);
    const fwmark = num(spec, 'fwmark');
    if (fwmark !== undefined) a.push(['TCA_CAKE_FWMARK', fwmark]);
    return a;
  },
};
