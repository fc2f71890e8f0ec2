// The ipset set types, one table entry each: element dimensions, family, the options each
// takes (in the order ipset(8) prints them) and the revision that brought each feature
// (from ipset 7.17's revision table, `ipset help`).

/** One component of an element. 'ip' and 'net' differ only in how ipset(8) reads them. */
export type Dim = 'ip' | 'net' | 'port' | 'mac' | 'iface' | 'mark' | 'set';
/** A set type by its kernel name. */
export type SetTypeName =
  | 'bitmap:ip'
  | 'bitmap:ip,mac'
  | 'bitmap:port'
  | 'hash:ip'
  | 'hash:mac'
  | 'hash:ip,mac'
  | 'hash:net'
  | 'hash:net,net'
  | 'hash:ip,port'
  | 'hash:net,port'
  | 'hash:ip,port,ip'
  | 'hash:ip,port,net'
  | 'hash:ip,mark'
  | 'hash:net,port,net'
  | 'hash:net,iface'
  | 'list:set';
/** The element type of a set type (its name after the colon), or its parts as an array. */
export type Etype =
  | 'ip'
  | 'mac'
  | 'ip,mac'
  | 'net'
  | 'net,net'
  | 'ip,port'
  | 'net,port'
  | 'ip,port,ip'
  | 'ip,port,net'
  | 'ip,mark'
  | 'net,port,net'
  | 'net,iface'
  | 'port'
  | 'set'
  | readonly Dim[];
/** 'inet': IPv4 only; 'inet46': inet or inet6 (default inet); 'unspec': no address family. */
export type FamilyKind = 'inet' | 'inet46' | 'unspec';
export type CreateOption =
  | 'family'
  | 'range'
  | 'hashsize'
  | 'maxelem'
  | 'netmask'
  | 'bitmask'
  | 'markmask'
  | 'size'
  | 'timeout'
  | 'counters'
  | 'comment'
  | 'skbinfo'
  | 'forceadd'
  | 'bucketsize'
  | 'initval';
export type AdtOption =
  | 'timeout'
  | 'nomatch'
  | 'wildcard'
  | 'packets'
  | 'bytes'
  | 'comment'
  | 'skbmark'
  | 'skbprio'
  | 'skbqueue'
  | 'before'
  | 'after';

export interface SetType {
  /** Kernel name, e.g. 'hash:net,port'. */
  readonly name: SetTypeName;
  readonly kind: 'bitmap' | 'hash' | 'list';
  readonly dims: readonly Dim[];
  /** How many leading dims an element must have (bitmap:ip,mac takes IP[,MAC]). */
  readonly required: number;
  readonly family: FamilyKind;
  /** Newest revision ipset 7.17 knows; create asks for min(this, the kernel's newest). */
  readonly revision: number;
  /** Create options, in ipset(8)'s print order. */
  readonly create: readonly CreateOption[];
  /** Element options, in ipset(8)'s print order. */
  readonly adt: readonly AdtOption[];
  /** First revision with a feature; absent means every revision has it. */
  readonly since: Readonly<Partial<Record<CreateOption | AdtOption, number>>>;
}

const EXT = ['timeout', 'counters', 'comment', 'skbinfo'] as const;
const ADT = ['timeout', 'packets', 'bytes', 'comment', 'skbmark', 'skbprio', 'skbqueue'] as const;
const ADT_NOMATCH = ['timeout', 'nomatch', 'packets', 'bytes', 'comment', 'skbmark', 'skbprio', 'skbqueue'] as const;
const HASH = ['family', 'hashsize', 'maxelem'] as const;
const HASH_TAIL = [...EXT, 'forceadd', 'bucketsize', 'initval'] as const;
/** Same as skbinfo's revision: counters/comment/skbinfo all arrive together in `since`. */
const skbinfoAlso = (r: number) => ({ skbmark: r, skbprio: r, skbqueue: r });
const countersAlso = (r: number) => ({ packets: r, bytes: r });

function type(t: Omit<SetType, 'required'> & { required?: number }): SetType {
  return { ...t, required: t.required ?? t.dims.length };
}

/** Every set type ipset(8) 7.17 knows, by kernel name. */
export const SET_TYPES: readonly SetType[] = [
  type({
    name: 'bitmap:ip',
    kind: 'bitmap',
    dims: ['ip'],
    family: 'inet',
    revision: 3,
    create: ['range', 'netmask', ...EXT],
    adt: ADT,
    since: { counters: 1, ...countersAlso(1), comment: 2, skbinfo: 3, ...skbinfoAlso(3) },
  }),
  type({
    name: 'bitmap:ip,mac',
    kind: 'bitmap',
    dims: ['ip', 'mac'],
    required: 1,
    family: 'inet',
    revision: 3,
    create: ['range', ...EXT],
    adt: ADT,
    since: { counters: 1, ...countersAlso(1), comment: 2, skbinfo: 3, ...skbinfoAlso(3) },
  }),
  type({
    name: 'bitmap:port',
    kind: 'bitmap',
    dims: ['port'],
    family: 'unspec',
    revision: 3,
    create: ['range', ...EXT],
    adt: ADT,
    since: { counters: 1, ...countersAlso(1), comment: 2, skbinfo: 3, ...skbinfoAlso(3) },
  }),
  type({
    name: 'hash:ip',
    kind: 'hash',
    dims: ['ip'],
    family: 'inet46',
    revision: 6,
    create: [...HASH, 'netmask', 'bitmask', ...HASH_TAIL],
    adt: ADT,
    since: {
      counters: 1,
      ...countersAlso(1),
      comment: 2,
      forceadd: 3,
      skbinfo: 4,
      ...skbinfoAlso(4),
      bucketsize: 5,
      initval: 5,
      bitmask: 6,
    },
  }),
  type({
    name: 'hash:mac',
    kind: 'hash',
    dims: ['mac'],
    family: 'unspec',
    revision: 1,
    create: [...HASH, ...HASH_TAIL],
    adt: ADT,
    since: { bucketsize: 1, initval: 1 },
  }),
  type({
    name: 'hash:ip,mac',
    kind: 'hash',
    dims: ['ip', 'mac'],
    family: 'inet46',
    revision: 1,
    create: [...HASH, ...HASH_TAIL],
    adt: ADT,
    since: { bucketsize: 1, initval: 1 },
  }),
  type({
    name: 'hash:net',
    kind: 'hash',
    dims: ['net'],
    family: 'inet46',
    revision: 7,
    create: [...HASH, ...HASH_TAIL],
    adt: ADT_NOMATCH,
    since: {
      nomatch: 2,
      counters: 3,
      ...countersAlso(3),
      comment: 4,
      forceadd: 5,
      skbinfo: 6,
      ...skbinfoAlso(6),
      bucketsize: 7,
      initval: 7,
    },
  }),
  type({
    name: 'hash:net,net',
    kind: 'hash',
    dims: ['net', 'net'],
    family: 'inet46',
    revision: 4,
    create: [...HASH, ...HASH_TAIL, 'netmask', 'bitmask'],
    adt: ADT_NOMATCH,
    since: { forceadd: 1, skbinfo: 2, ...skbinfoAlso(2), bucketsize: 3, initval: 3, netmask: 4, bitmask: 4 },
  }),
  type({
    name: 'hash:ip,port',
    kind: 'hash',
    dims: ['ip', 'port'],
    family: 'inet46',
    revision: 7,
    create: [...HASH, ...HASH_TAIL, 'netmask', 'bitmask'],
    adt: ADT,
    since: {
      counters: 2,
      ...countersAlso(2),
      comment: 3,
      forceadd: 4,
      skbinfo: 5,
      ...skbinfoAlso(5),
      bucketsize: 6,
      initval: 6,
      netmask: 7,
      bitmask: 7,
    },
  }),
  type({
    name: 'hash:net,port',
    kind: 'hash',
    dims: ['net', 'port'],
    family: 'inet46',
    revision: 8,
    create: [...HASH, ...HASH_TAIL],
    adt: ADT_NOMATCH,
    since: {
      nomatch: 3,
      counters: 4,
      ...countersAlso(4),
      comment: 5,
      forceadd: 6,
      skbinfo: 7,
      ...skbinfoAlso(7),
      bucketsize: 8,
      initval: 8,
    },
  }),
  type({
    name: 'hash:ip,port,ip',
    kind: 'hash',
    dims: ['ip', 'port', 'ip'],
    family: 'inet46',
    revision: 6,
    create: [...HASH, ...HASH_TAIL],
    adt: ADT,
    since: {
      counters: 2,
      ...countersAlso(2),
      comment: 3,
      forceadd: 4,
      skbinfo: 5,
      ...skbinfoAlso(5),
      bucketsize: 6,
      initval: 6,
    },
  }),
  type({
    name: 'hash:ip,port,net',
    kind: 'hash',
    dims: ['ip', 'port', 'net'],
    family: 'inet46',
    revision: 8,
    create: [...HASH, ...HASH_TAIL],
    adt: ADT_NOMATCH,
    since: {
      nomatch: 3,
      counters: 4,
      ...countersAlso(4),
      comment: 5,
      forceadd: 6,
      skbinfo: 7,
      ...skbinfoAlso(7),
      bucketsize: 8,
      initval: 8,
    },
  }),
  type({
    name: 'hash:ip,mark',
    kind: 'hash',
    dims: ['ip', 'mark'],
    family: 'inet46',
    revision: 3,
    create: ['family', 'markmask', 'hashsize', 'maxelem', ...HASH_TAIL],
    adt: ADT,
    since: { forceadd: 1, skbinfo: 2, ...skbinfoAlso(2), bucketsize: 3, initval: 3 },
  }),
  type({
    name: 'hash:net,port,net',
    kind: 'hash',
    dims: ['net', 'port', 'net'],
    family: 'inet46',
    revision: 3,
    create: [...HASH, ...HASH_TAIL],
    adt: ADT_NOMATCH,
    since: { forceadd: 1, skbinfo: 2, ...skbinfoAlso(2), bucketsize: 3, initval: 3 },
  }),
  type({
    name: 'hash:net,iface',
    kind: 'hash',
    dims: ['net', 'iface'],
    family: 'inet46',
    revision: 8,
    create: [...HASH, ...HASH_TAIL],
    adt: ['timeout', 'nomatch', 'wildcard', 'packets', 'bytes', 'comment', 'skbmark', 'skbprio', 'skbqueue'],
    since: {
      nomatch: 1,
      counters: 3,
      ...countersAlso(3),
      comment: 4,
      forceadd: 5,
      skbinfo: 6,
      ...skbinfoAlso(6),
      wildcard: 7,
      bucketsize: 8,
      initval: 8,
    },
  }),
  type({
    name: 'list:set',
    kind: 'list',
    dims: ['set'],
    family: 'unspec',
    revision: 3,
    create: ['size', ...EXT],
    adt: ['timeout', 'before', 'after', 'packets', 'bytes', 'comment', 'skbmark', 'skbprio', 'skbqueue'],
    since: { counters: 1, ...countersAlso(1), comment: 2, skbinfo: 3, ...skbinfoAlso(3) },
  }),
];

const BY_NAME = new Map<string, SetType>(SET_TYPES.map((t) => [t.name, t]));
// Names ipset(8) still accepts for old scripts.
const ALIASES: Readonly<Record<string, string>> = {
  ipmap: 'bitmap:ip',
  macipmap: 'bitmap:ip,mac',
  portmap: 'bitmap:port',
  iphash: 'hash:ip',
  machash: 'hash:mac',
  nethash: 'hash:net',
  ipporthash: 'hash:ip,port',
  ipportiphash: 'hash:ip,port,ip',
  ipportnethash: 'hash:ip,port,net',
  netporthash: 'hash:net,port',
  netifacehash: 'hash:net,iface',
  netnethash: 'hash:net,net',
  ipmarkhash: 'hash:ip,mark',
  netportnethash: 'hash:net,port,net',
  setlist: 'list:set',
};

/** The table entry of a type name or alias, or undefined. */
export function setType(name: string): SetType | undefined {
  return BY_NAME.get(name) ?? BY_NAME.get(ALIASES[name] ?? '');
}

/** The element types (etype) of a set type: 'ip', 'net,port', 'ip,port,ip', ... */
export function etypeOf(t: SetType): string {
  return t.dims.join(',');
}

const DIMS = new Set<string>(['ip', 'net', 'port', 'mac', 'iface', 'mark', 'set']);

/** Parse an etype ('net,port' or ['net', 'port']) into dimensions. */
export function parseEtype(etype: string | readonly string[]): Dim[] | undefined {
  const parts = typeof etype === 'string' ? etype.split(',').map((s) => s.trim()) : [...etype];
  const dims: Dim[] = [];
  for (const p of parts) {
    if (!DIMS.has(p)) return undefined;
    dims.push(p as Dim);
  }
  return dims.length ? dims : undefined;
}
