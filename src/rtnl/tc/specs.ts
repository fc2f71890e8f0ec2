// The types of tc specs: the common keys of each object, and each kind's options, chosen by
// the command ('add' a qdisc, 'add-class', 'add-filter') and the kind, so a typo'd or foreign
// option does not compile. The keys match the lists each kind declares (TcKind.keys).
import type { IfRef } from '../spec.js';
import type { ActionSpec } from './action.js';
import type { U32Key } from './u32.js';

/** Command words of tc(): a verb for qdiscs, with '-class' or '-filter' for the others. */
export type TcVerb =
  | 'add'
  | 'create'
  | 'replace'
  | 'change'
  | 'set'
  | 'del'
  | 'delete'
  | 'remove'
  | 'get'
  | 'dump'
  | 'show';
export type TcCmd = TcVerb | `${TcVerb}-class` | `${TcVerb}-filter` | `${TcVerb}-chain`;

/** A size: bytes, or tc's text ('10kb', '1mbit' for rates). */
type Amount = number | string;
type Handle = string | number;

/** Keys of every object, and what a record read back adds (accepted, not sent). */
interface Common {
  /** The interface (required): its index, or its name through IPRoute. */
  index?: IfRef;
  /** '1:', '1:10', a number; for u32 filters also 'htid:hash:node' ('800::800'). */
  handle?: Handle;
  /** 'root', 'ingress', '1:', '1:10', 'ffff:fff2'... */
  parent?: Handle;
  /** Filters and chains of a shared block instead of an interface (`tc filter add block N ...`). */
  block?: number;
  /** Qdiscs and classes: a rate estimator, [interval, time constant] as tc's `estimator 250ms 1sec`. */
  estimator?: readonly [string | number, string | number];
  /** Read from records. */
  object?: 'qdisc' | 'class' | 'filter' | 'chain';
  kind?: string;
  stats?: object;
}

export interface QdiscCommon extends Common {
  /** Shared filter blocks. */
  ingressBlock?: number;
  egressBlock?: number;
  /** @deprecated alias of ingressBlock */ ingress_block?: number;
  /** @deprecated alias of egressBlock */ egress_block?: number;
}
export type ClassCommon = Common;
export interface FilterCommon extends Common {
  /** Priority (tc's 'prio'/'pref'). */
  prio?: number;
  /** 'ip', 'ipv6', 'all', 'arp', '802.1q' or a number; default 'all' when adding. */
  protocol?: string | number;
  chain?: number;
}

export interface FifoSpec {
  limit?: Amount;
}
export interface HtbQdiscSpec {
  /** Default class: its minor id (0x20) or tc's hex text ('20'). */
  default?: number | string;
  r2q?: number;
  directQlen?: number;
  /** @deprecated alias of directQlen */ direct_qlen?: number;
  offload?: boolean;
  debug?: number;
}
export interface HtbClassSpec {
  rate?: Amount;
  ceil?: Amount;
  burst?: Amount;
  buffer?: Amount;
  maxburst?: Amount;
  cburst?: Amount;
  cbuffer?: Amount;
  cmaxburst?: Amount;
  prio?: number;
  quantum?: Amount;
  mtu?: number;
  mpu?: number;
  overhead?: number;
  linklayer?: string;
}
export interface TbfSpec {
  rate?: Amount;
  burst?: Amount;
  buffer?: Amount;
  maxburst?: Amount;
  latency?: Amount;
  limit?: Amount;
  mtu?: Amount;
  minburst?: Amount;
  peakrate?: Amount;
  mpu?: number;
  overhead?: number;
  linklayer?: string;
}
export interface FqCodelSpec {
  limit?: number;
  flows?: number;
  quantum?: Amount;
  interval?: Amount;
  target?: Amount;
  ecn?: boolean;
  ceThreshold?: Amount;
  dropBatch?: number;
  memoryLimit?: Amount;
  /** @deprecated alias of ceThreshold */ ce_threshold?: Amount;
  /** @deprecated alias of dropBatch */ drop_batch?: number;
  /** @deprecated alias of memoryLimit */ memory_limit?: Amount;
}
interface ClsFlags {
  skipHw?: boolean;
  skipSw?: boolean;
  /** @deprecated alias of skipHw */ skip_hw?: boolean;
  /** @deprecated alias of skipSw */ skip_sw?: boolean;
}
export interface U32Spec extends ClsFlags {
  /** tc's match words: 'ip dst 10.0.0.0/8', or a list of them. */
  match?: string | readonly string[];
  /** Keys as 'VALUE/MASK+OFFSET' text (what records hold) or objects. */
  keys?: readonly (string | Partial<U32Key>)[];
  classid?: Handle;
  flowid?: Handle;
  target?: Handle;
  action?: ActionSpec | readonly ActionSpec[];
  divisor?: number;
  link?: Handle;
  hash?: Handle;
  ht?: Handle;
  indev?: string;
  flags?: number;
}
export interface BpfSpec extends ClsFlags {
  fd?: number;
  name?: string;
  bytecode?: string | readonly { code: number; jt: number; jf: number; k: number }[];
  pinned?: string;
  classid?: Handle;
  flowid?: Handle;
  action?: ActionSpec | readonly ActionSpec[];
  directAction?: boolean;
  /** @deprecated alias of directAction */ direct_action?: boolean;
  /** @deprecated alias of directAction */ da?: boolean;
}

/** Options of each qdisc kind. */
export interface TcQdiscSpecs {
  pfifo: FifoSpec;
  pfifo_head_drop: FifoSpec;
  bfifo: FifoSpec;
  tbf: TbfSpec;
  htb: HtbQdiscSpec;
  fq_codel: FqCodelSpec;
  ingress: {};
  clsact: {};
}
/** Options of each class kind. */
export interface TcClassSpecs {
  htb: HtbClassSpec;
}
/** Options of each filter kind. */
export interface TcFilterSpecs {
  u32: U32Spec;
  bpf: BpfSpec;
}

type TargetOf<C> = C extends `${string}-class`
  ? 'class'
  : C extends `${string}-filter` | `${string}-chain`
    ? 'filter'
    : 'qdisc';
type CommonOf<T> = T extends 'class' ? ClassCommon : T extends 'filter' ? FilterCommon : QdiscCommon;
type KindsOf<T> = T extends 'class' ? TcClassSpecs : T extends 'filter' ? TcFilterSpecs : TcQdiscSpecs;

/**
 * The spec tc(cmd, kind, spec) takes: `tc('add-class', 'htb', { index, rate })` allows htb's
 * class options and the common keys of a class. A kind without a typed spec here (fq, cake,
 * flower...) takes any key at compile time; its own file refuses unknown keys at run time.
 */
export type TcSpecOf<C extends TcCmd, K> = K extends keyof KindsOf<TargetOf<C>>
  ? CommonOf<TargetOf<C>> & KindsOf<TargetOf<C>>[K]
  : CommonOf<TargetOf<C>> & { [option: string]: unknown };
