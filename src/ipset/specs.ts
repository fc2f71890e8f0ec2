// The keys IPSet's option objects take, checked with core's strict specs: an unknown key (a
// typo such as `counter` or `comentt`) is refused before anything is sent, with the allowed
// keys and a did-you-mean. Values keep ipset(8)'s own checks and words where it has them.
import {
  anyCheck,
  boolCheck,
  checkSpec,
  eitherCheck,
  intCheck,
  oneOfCheck,
  stringCheck,
  type Check,
  type SpecRules,
} from '../core/index.js';
import type { CreateOptions } from './create.js';
import type { EntryFields, EntryOptions } from './entries.js';
import { ENTRY_READ_ONLY, HEADER_READ_ONLY } from './record.js';

/** Keys a record holds beside the options: accepted (a record is a spec), never sent. */
const readOnly = (keys: ReadonlySet<string>): Record<string, Check> =>
  Object.fromEntries([...keys].map((k) => [k, anyCheck]));
const without = <T extends object>(o: T, keys: ReadonlySet<string>): T =>
  Object.fromEntries(Object.entries(o).filter(([k]) => !keys.has(k))) as T;

const familyCheck: Check = eitherCheck(oneOfCheck('inet', 'inet6', 'ipv4', 'ipv6', 'any', 'unspec'), intCheck(0, 255));
/** Numbers: ipset(8)'s range checks (and messages) come later, in create.ts and entries.ts. */
const numeric = anyCheck;

/** create's options; pyroute2's snake_case name is an alias. */
export const CREATE_RULES: SpecRules = {
  keys: {
    stype: stringCheck(),
    family: familyCheck,
    exclusive: boolCheck,
    counters: boolCheck,
    comment: boolCheck,
    skbinfo: boolCheck,
    forceadd: boolCheck,
    hashsize: numeric,
    maxelem: numeric,
    bucketsize: numeric,
    initval: numeric,
    timeout: numeric,
    bitmapPortsRange: anyCheck,
    range: anyCheck,
    netmask: numeric,
    bitmask: stringCheck(),
    markmask: numeric,
    size: numeric,
    ...readOnly(HEADER_READ_ONLY),
  },
  aliases: { bitmap_ports_range: 'bitmapPortsRange' },
};

/** Per-element options (add/del/test), also inside an element given as fields. */
const ENTRY_OPTION_KEYS: Record<keyof EntryOptions, Check> = {
  timeout: numeric,
  packets: anyCheck,
  bytes: anyCheck,
  comment: stringCheck(),
  skbmark: anyCheck,
  skbprio: anyCheck,
  skbqueue: numeric,
  nomatch: boolCheck,
  wildcard: boolCheck,
  physdev: boolCheck,
  before: stringCheck(),
  after: stringCheck(),
};

/**
 * An element given as fields (`{ ip, cidr, port, proto, iface, timeout, ... }`): its parts, the
 * per-element options, and a listed entry's read-only keys. Values keep ipset(8)'s checks.
 */
export const ELEMENT_RULES: SpecRules = {
  keys: {
    ...({
      ip: anyCheck,
      cidr: anyCheck,
      ipTo: anyCheck,
      ip2: anyCheck,
      cidr2: anyCheck,
      ip2To: anyCheck,
      port: anyCheck,
      portTo: anyCheck,
      proto: anyCheck,
      mac: anyCheck,
      iface: anyCheck,
      mark: anyCheck,
      name: anyCheck,
      ...ENTRY_OPTION_KEYS,
    } satisfies Record<keyof EntryFields, Check>),
    ...readOnly(ENTRY_READ_ONLY),
  },
};

/** Check an element given as a plain object of fields (a listed IPSetEntry reads its own parts). */
export function checkElementFields<T extends object>(fields: T): T {
  const proto = Object.getPrototypeOf(fields);
  if (proto !== Object.prototype && proto !== null) return fields;
  return checkSpec('ipset element', fields, ELEMENT_RULES);
}

/** add/delete/test's options. */
export const ADD_RULES: SpecRules = {
  keys: {
    ...ENTRY_OPTION_KEYS,
    etype: anyCheck,
    stype: stringCheck(),
    exclusive: boolCheck,
    family: familyCheck,
    ...readOnly(ENTRY_READ_ONLY),
  },
};

/** addMany/deleteMany's options. */
export const ADD_MANY_RULES: SpecRules = { keys: { ...ADD_RULES.keys, perMessage: intCheck(1, 0xffff) } };

/** Check create's options; returns them with aliases replaced. */
export function checkCreateOptions(opts: CreateOptions): CreateOptions {
  return without(checkSpec('ipset create', opts, CREATE_RULES), HEADER_READ_ONLY);
}

/** Check the options of add/del/test (`many`: addMany/deleteMany), naming the command. */
export function checkAddOptions<T extends object>(command: string, opts: T, many = false): T {
  return without(checkSpec(`ipset ${command}`, opts, many ? ADD_MANY_RULES : ADD_RULES), ENTRY_READ_ONLY);
}
