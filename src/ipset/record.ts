// IPSet records: a set's header and its entries as plain JSON-safe objects, named as create()
// and add() take them, so a record can be fed back: `create(h.name, h)`, `add(name, entry)`.
// Counters follow the records convention: numbers while exact, decimal strings beyond 2^53.
import type { U64 } from '../core/index.js';
import type { Family } from './create.js';

/** One element of a set: ipset(8)'s text, its parts, and its options (timeout, counters, comment...). */
export interface IPSetEntryRecord {
  /** The element as ipset(8) writes it: '192.0.2.0/24,tcp:80'. Read only (add() reads the parts). */
  elem: string;
  ip?: string;
  cidr?: number;
  ipTo?: string;
  ip2?: string;
  cidr2?: number;
  ip2To?: string;
  port?: number;
  portTo?: number;
  /** Protocol of the port part, by name ('tcp') or number. */
  proto?: string | number;
  /** Uppercase, as ipset(8) prints it. */
  mac?: string;
  iface?: string;
  physdev?: true;
  wildcard?: true;
  mark?: number;
  /** list:set: the member set's name. */
  name?: string;
  nomatch?: true;
  /** Seconds left (sets with a timeout). */
  timeout?: number;
  packets?: U64;
  bytes?: U64;
  comment?: string;
  /** 'MARK' or 'MARK/MASK' in hex, as ipset(8) takes it. */
  skbmark?: string;
  /** 'MAJOR:MINOR' in hex. */
  skbprio?: string;
  skbqueue?: number;
}

/** A set's header: what create() takes, plus what the kernel reports (read only). */
export interface IPSetHeaderRecord {
  name: string;
  /** Set type: 'hash:ip', 'bitmap:port'... */
  stype: string;
  family?: Family;
  range?: string;
  hashsize?: number;
  maxelem?: number;
  netmask?: number;
  bitmask?: string;
  markmask?: number;
  size?: number;
  /** Default timeout of elements, seconds. */
  timeout?: number;
  bucketsize?: number;
  initval?: number;
  counters?: true;
  comment?: true;
  skbinfo?: true;
  forceadd?: true;
  // Read only: reported by the kernel, accepted back by create() and not sent.
  revision: number;
  /** The kernel's index of the set. */
  index?: number;
  /** Bytes of kernel memory the set uses. */
  memsize?: number;
  references?: number;
  /** Number of entries. */
  elements?: number;
}

/** Header record keys create() accepts but does not send (the kernel's reports). */
export const HEADER_READ_ONLY: ReadonlySet<string> = new Set([
  'name',
  'revision',
  'index',
  'memsize',
  'references',
  'elements',
]);

/** Entry record keys add() accepts but does not read (the text form of the parts). */
export const ENTRY_READ_ONLY: ReadonlySet<string> = new Set(['elem']);

type Inspect = (v: unknown, o: unknown) => string;

/** util.inspect of a record-backed object: `IPSetEntry { elem: '192.0.2.7', packets: 3, ... }`. */
export function inspectRecord(name: string, record: object, depth: number, opts: unknown, inspect: Inspect): string {
  if (depth < 0) return `[${name}]`;
  return `${name} ${inspect(record, opts)}`;
}
