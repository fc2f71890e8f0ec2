// tc(8)'s grammar for the action kinds csum, nat, skbedit, tunnel_key and ct, read into the
// action specs of the tc API: `action ct commit zone 5 nat src addr 10.0.0.1-10.0.0.9 pipe`.
import { UsageError, type Words } from './cli-args.js';

type Spec = Record<string, unknown>;
const VERDICTS = new Set(['ok', 'pass', 'drop', 'shot', 'reclassify', 'continue', 'pipe', 'trap']);

/** The verdict that may end an action (`pipe`, `goto chain N`), then its `index N`, as tc reads them. */
function verdict(w: Words, spec: Spec): Spec {
  const v = w.peek();
  if (v !== undefined && VERDICTS.has(v)) spec.action = w.take();
  else if (v === 'goto' && w.take() && w.next('goto') === 'chain') spec.action = `goto chain ${w.number('chain')}`;
  else if (v === 'goto') throw new UsageError(`${w.context}: goto needs "chain N"`);
  if (w.peek() === 'index') spec.index = w.take() && w.number('index');
  return spec;
}

/** `VALUE[/MASK]` as two numbers. */
function masked(w: Words, what: string): [number, number | undefined] {
  const [v, m] = w.next(what).split('/');
  const n = (s: string): number => {
    const x = /^0x[0-9a-f]+$/i.test(s) ? parseInt(s, 16) : /^\d+$/.test(s) ? Number(s) : NaN;
    if (!Number.isSafeInteger(x) || x > 0xffffffff)
      throw new UsageError(`${w.context}: ${what} "${s}" is not a number`);
    return x;
  };
  return [n(v), m === undefined ? undefined : n(m)];
}

const CSUM_WORDS: Record<string, string> = {
  iph: 'iph',
  ip4h: 'iph',
  icmp: 'icmp',
  igmp: 'igmp',
  tcp: 'tcp',
  udp: 'udp',
  udplite: 'udplite',
  sctp: 'sctp',
};

/** `csum iph and tcp [index N] [VERDICT]`. */
function csum(w: Words): Spec {
  const update: string[] = [];
  const spec: Spec = { kind: 'csum', update };
  for (let word = w.peek(); word !== undefined; word = w.peek()) {
    if (CSUM_WORDS[word]) update.push(CSUM_WORDS[w.take()!]);
    else if (word === 'and') w.take();
    else if (word === 'index') spec.index = w.take() && w.number('index');
    else break;
  }
  if (!update.length)
    throw new UsageError(`${w.context}: csum needs a header (iph, icmp, igmp, tcp, udp, udplite, sctp)`);
  return verdict(w, spec);
}

/** `nat ingress|egress OLD[/LEN] NEW [VERDICT]`. */
function nat(w: Words): Spec {
  const direction = w.next('nat');
  if (direction !== 'ingress' && direction !== 'egress')
    throw new UsageError(`${w.context}: nat takes ingress or egress, not "${direction}"`);
  return verdict(w, { kind: 'nat', direction, old: w.next('nat address'), new: w.next('nat new address') });
}

/** `skbedit [queue_mapping N] [priority H] [mark M[/MASK]] [ptype T] [inheritdsfield] [VERDICT]`. */
function skbedit(w: Words): Spec {
  const spec: Spec = { kind: 'skbedit' };
  for (let word = w.peek(); word !== undefined; word = w.peek()) {
    if (word === 'queue_mapping') spec.queue_mapping = w.take() && w.number(word, 0xffff);
    else if (word === 'priority') spec.priority = w.take() && w.next(word);
    else if (word === 'ptype') spec.ptype = w.take() && w.next(word);
    else if (word === 'inheritdsfield') spec.inheritdsfield = !!w.take();
    else if (word === 'mark') {
      w.take();
      [spec.mark, spec.mask] = masked(w, word);
    } else if (word === 'index') spec.index = w.take() && w.number(word);
    else break;
  }
  return verdict(w, spec);
}

const TUNNEL_VALUES = new Set(['src_ip', 'dst_ip', 'geneve_opts']);
const TUNNEL_NUMBERS: Record<string, number> = {
  id: 0xffffffff,
  dst_port: 0xffff,
  tos: 0xff,
  ttl: 0xff,
  index: 0xffffffff,
};

/** `tunnel_key unset` or `tunnel_key set src_ip A dst_ip A [id N] [dst_port P] [tos T] [ttl T] [csum|nocsum] ...`. */
function tunnelKey(w: Words): Spec {
  const op = w.next('tunnel_key');
  if (op !== 'set' && op !== 'unset') throw new UsageError(`${w.context}: tunnel_key takes set or unset, not "${op}"`);
  const spec: Spec = { kind: 'tunnel_key', op };
  for (let word = w.peek(); word !== undefined && op === 'set'; word = w.peek()) {
    if (TUNNEL_VALUES.has(word)) spec[word] = w.take() && w.next(word);
    else if (word in TUNNEL_NUMBERS) spec[word] = w.take() && w.number(word, TUNNEL_NUMBERS[word]);
    else if (word === 'csum' || word === 'nocsum') spec.csum = w.take() === 'csum';
    else if (word === 'vxlan_opts' || word === 'erspan_opts' || word === 'nofrag') w.unsupported(word);
    else break;
  }
  return verdict(w, spec);
}

/** `nat [src|dst addr A[-B] [port P[-Q]]]` of a ct action. */
function ctNat(w: Words, spec: Spec): void {
  spec.nat = true;
  const dir = w.peek();
  if (dir !== 'src' && dir !== 'dst') return;
  spec.nat = w.take();
  if (w.next('nat') !== 'addr') throw new UsageError(`${w.context}: ct nat ${dir} needs "addr A[-B]"`);
  const [min, max] = w.next('addr').split('-');
  spec.nat_min = min;
  if (max !== undefined) spec.nat_max = max;
  if (w.peek() !== 'port') return;
  w.take();
  const [pmin, pmax] = w.next('port').split('-').map(Number);
  spec.nat_port_min = pmin;
  if (pmax !== undefined) spec.nat_port_max = pmax;
}

/** `ct [commit [force]] [clear] [zone Z] [mark M[/MASK]] [label L[/MASK]] [nat ...] [index N] [VERDICT]`. */
function ct(w: Words): Spec {
  const spec: Spec = { kind: 'ct' };
  for (let word = w.peek(); word !== undefined; word = w.peek()) {
    if (word === 'commit' || word === 'force' || word === 'clear') spec[word] = !!w.take();
    else if (word === 'zone') spec.zone = w.take() && w.number(word, 0xffff);
    else if (word === 'index') spec.index = w.take() && w.number(word);
    else if (word === 'mark') {
      w.take();
      [spec.mark, spec.mark_mask] = masked(w, word);
    } else if (word === 'label') {
      w.take();
      [spec.label, spec.label_mask] = w.next(word).split('/');
    } else if (word === 'nat') {
      w.take();
      ctNat(w, spec);
    } else break;
  }
  return verdict(w, spec);
}

/** The action kinds read here, by tc's name. */
export const ACTION_PARSERS: Readonly<Record<string, (w: Words) => Spec>> = {
  csum,
  nat,
  skbedit,
  tunnel_key: tunnelKey,
  ct,
};
