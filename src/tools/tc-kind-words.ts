// Kind options in tc's own grammar where it is not `KEY VALUE`: cake's bare words, hfsc's
// service curves, flower's `type`/`code`, route's `fromif DEV`. Everything else stays a pair.
import { UsageError, type Words } from './cli-args.js';

type Spec = Record<string, unknown>;

/** cake's bare words: the spec key each sets and to what. */
const CAKE_WORDS: Readonly<Record<string, readonly [string, unknown]>> = {
  unlimited: ['unlimited', true],
  'autorate-ingress': ['autorate', true],
  besteffort: ['diffserv', 'besteffort'],
  precedence: ['diffserv', 'precedence'],
  diffserv8: ['diffserv', 'diffserv8'],
  diffserv4: ['diffserv', 'diffserv4'],
  diffserv: ['diffserv', 'diffserv4'],
  diffserv3: ['diffserv', 'diffserv3'],
  wash: ['wash', true],
  nowash: ['wash', false],
  'split-gso': ['split_gso', true],
  'no-split-gso': ['split_gso', false],
  nat: ['nat', true],
  nonat: ['nat', false],
  ptm: ['atm', 'ptm'],
  atm: ['atm', 'atm'],
  noatm: ['atm', 'noatm'],
  raw: ['raw', true],
  ingress: ['ingress', true],
  egress: ['ingress', false],
  'no-ack-filter': ['ack_filter', 'no-ack-filter'],
  'ack-filter': ['ack_filter', 'ack-filter'],
  'ack-filter-aggressive': ['ack_filter', 'ack-filter-aggressive'],
};
const CAKE_FLOWS = [
  'flowblind',
  'srchost',
  'dsthost',
  'hosts',
  'flows',
  'dual-srchost',
  'dual-dsthost',
  'triple-isolate',
];
const CAKE_PRESETS = ['datacentre', 'lan', 'metro', 'regional', 'internet', 'oceanic', 'satellite', 'interplanetary'];
const HFSC_CURVES = new Set(['sc', 'rt', 'ls', 'ul']);

/** `m1 R d T m2 R` or `[umax S] [dmax T] rate R`, as tc reads one hfsc curve. */
function hfscCurve(w: Words, name: string): Spec {
  const c: Spec = {};
  const first = w.peek();
  const keys = first === 'm1' || first === 'd' || first === 'm2' ? ['m1', 'd', 'm2'] : ['umax', 'dmax', 'rate'];
  for (const k of keys) {
    if (w.peek() !== k) continue;
    w.take();
    c[k] = w.next(`${name} ${k}`);
  }
  if (c.m2 === undefined && c.rate === undefined)
    throw new UsageError(`${w.context}: hfsc ${name} needs "m1 RATE d TIME m2 RATE" or "[umax S] [dmax T] rate RATE"`);
  return c;
}

/**
 * Reads `word` (and its values) if it is one of `kind`'s own grammar; false leaves it to the
 * KEY VALUE rule. `ifindex` resolves device names; its promises go to `pending`.
 */
export function kindWord(
  kind: string,
  word: string,
  w: Words,
  spec: Spec,
  ifindex: (dev: string) => Promise<number>,
  pending: Promise<unknown>[],
): boolean {
  if (kind === 'cake') {
    const set = CAKE_WORDS[word];
    if (set) spec[set[0]] = set[1];
    else if (CAKE_FLOWS.includes(word)) spec.flowmode = word;
    else if (CAKE_PRESETS.includes(word)) spec.rtt = word;
    else return false;
    return true;
  }
  if (kind === 'hfsc' && HFSC_CURVES.has(word)) {
    spec[word] = hfscCurve(w, word);
    return true;
  }
  if (kind === 'flower' && (word === 'type' || word === 'code')) {
    spec[`icmp_${word}`] = w.next(word);
    return true;
  }
  if (kind === 'route' && word === 'fromif') {
    const dev = w.next(word);
    pending.push(
      ifindex(dev).then((i) => {
        spec.fromif = i;
      }),
    );
    return true;
  }
  return false;
}
