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
const HASH = ['family', 'hashsize', 'maxelem'] as const;
const HASH_TAIL = [...EXT, 'forceadd', 'bucketsize', 'initval'] as const;
const HASH_CREATE = [...HASH, ...HASH_TAIL] as const;
/** The element options the extensions bring, in ipset(8)'s print order. */
const ELEMENT_EXT = ['packets', 'bytes', 'comment', 'skbmark', 'skbprio', 'skbqueue'] as const;

/** Element options: timeout, the type's own ones, then the extensions'. */
const adt = (...own: AdtOption[]): readonly AdtOption[] => ['timeout', ...own, ...ELEMENT_EXT];

/** The revision that brought each feature; the element options come with their create option. */
type Revisions = Readonly<Partial<Record<CreateOption | 'nomatch' | 'wildcard', number>>>;
const BRINGS: Readonly<Partial<Record<CreateOption, readonly AdtOption[] | readonly CreateOption[]>>> = {
  counters: ['packets', 'bytes'],
  skbinfo: ['skbmark', 'skbprio', 'skbqueue'],
  bucketsize: ['initval'],
};

function since(r: Revisions): SetType['since'] {
  const out: Partial<Record<CreateOption | AdtOption, number>> = {};
  for (const [k, rev] of Object.entries(r) as [CreateOption, number][]) {
    out[k] = rev;
    for (const also of BRINGS[k] ?? []) out[also] = rev;
  }
  return out;
}

/**
 * A table entry from its name ('hash:net,port': kind and dims) and what sets it apart; a hash
 * type takes either family by default, a bitmap IPv4, and every element timeout and extensions.
 */
function type(
  name: SetTypeName,
  t: {
    revision: number;
    create: readonly CreateOption[];
    since: Revisions;
    adt?: readonly AdtOption[];
    family?: FamilyKind;
    required?: number;
  },
): SetType {
  const [kind, etype] = name.split(':') as [SetType['kind'], string];
  const dims = etype.split(',') as Dim[];
  return {
    name,
    kind,
    dims,
    required: t.required ?? dims.length,
    family: t.family ?? (kind === 'hash' ? 'inet46' : 'inet'),
    revision: t.revision,
    create: t.create,
    adt: t.adt ?? adt(),
    since: since(t.since),
  };
}

const BITMAP_REVS: Revisions = { counters: 1, comment: 2, skbinfo: 3 };

/** Every set type ipset(8) 7.17 knows, by kernel name. */
export const SET_TYPES: readonly SetType[] = [
  type('bitmap:ip', { revision: 3, create: ['range', 'netmask', ...EXT], since: BITMAP_REVS }),
  type('bitmap:ip,mac', { required: 1, revision: 3, create: ['range', ...EXT], since: BITMAP_REVS }),
  type('bitmap:port', { family: 'unspec', revision: 3, create: ['range', ...EXT], since: BITMAP_REVS }),
  type('hash:ip', {
    revision: 6,
    create: [...HASH, 'netmask', 'bitmask', ...HASH_TAIL],
    since: { counters: 1, comment: 2, forceadd: 3, skbinfo: 4, bucketsize: 5, bitmask: 6 },
  }),
  type('hash:mac', { family: 'unspec', revision: 1, create: HASH_CREATE, since: { bucketsize: 1 } }),
  type('hash:ip,mac', { revision: 1, create: HASH_CREATE, since: { bucketsize: 1 } }),
  type('hash:net', {
    revision: 7,
    create: HASH_CREATE,
    adt: adt('nomatch'),
    since: { nomatch: 2, counters: 3, comment: 4, forceadd: 5, skbinfo: 6, bucketsize: 7 },
  }),
  type('hash:net,net', {
    revision: 4,
    create: [...HASH_CREATE, 'netmask', 'bitmask'],
    adt: adt('nomatch'),
    since: { forceadd: 1, skbinfo: 2, bucketsize: 3, netmask: 4, bitmask: 4 },
  }),
  type('hash:ip,port', {
    revision: 7,
    create: [...HASH_CREATE, 'netmask', 'bitmask'],
    since: { counters: 2, comment: 3, forceadd: 4, skbinfo: 5, bucketsize: 6, netmask: 7, bitmask: 7 },
  }),
  type('hash:net,port', {
    revision: 8,
    create: HASH_CREATE,
    adt: adt('nomatch'),
    since: { nomatch: 3, counters: 4, comment: 5, forceadd: 6, skbinfo: 7, bucketsize: 8 },
  }),
  type('hash:ip,port,ip', {
    revision: 6,
    create: HASH_CREATE,
    since: { counters: 2, comment: 3, forceadd: 4, skbinfo: 5, bucketsize: 6 },
  }),
  type('hash:ip,port,net', {
    revision: 8,
    create: HASH_CREATE,
    adt: adt('nomatch'),
    since: { nomatch: 3, counters: 4, comment: 5, forceadd: 6, skbinfo: 7, bucketsize: 8 },
  }),
  type('hash:ip,mark', {
    revision: 3,
    create: ['family', 'markmask', 'hashsize', 'maxelem', ...HASH_TAIL],
    since: { forceadd: 1, skbinfo: 2, bucketsize: 3 },
  }),
  type('hash:net,port,net', {
    revision: 3,
    create: HASH_CREATE,
    adt: adt('nomatch'),
    since: { forceadd: 1, skbinfo: 2, bucketsize: 3 },
  }),
  type('hash:net,iface', {
    revision: 8,
    create: HASH_CREATE,
    adt: adt('nomatch', 'wildcard'),
    since: { nomatch: 1, counters: 3, comment: 4, forceadd: 5, skbinfo: 6, wildcard: 7, bucketsize: 8 },
  }),
  type('list:set', {
    family: 'unspec',
    revision: 3,
    create: ['size', ...EXT],
    adt: adt('before', 'after'),
    since: BITMAP_REVS,
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
