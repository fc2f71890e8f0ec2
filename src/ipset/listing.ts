// Listings: set headers, entries by dump message, and the object list() returns (await it
// for everything, iterate it to stream).
import { INSPECT, NLMSG_HDRLEN, attachMessage, type AnyMessage } from '../core/index.js';
import {
  IPSET_ATTR_ADT,
  IPSET_ATTR_BITMASK,
  IPSET_ATTR_BUCKETSIZE,
  IPSET_ATTR_CADT_FLAGS,
  IPSET_ATTR_CIDR,
  IPSET_ATTR_DATA,
  IPSET_ATTR_ELEMENTS,
  IPSET_ATTR_FAMILY,
  IPSET_ATTR_HASHSIZE,
  IPSET_ATTR_INDEX,
  IPSET_ATTR_INITVAL,
  IPSET_ATTR_IP,
  IPSET_ATTR_IP_TO,
  IPSET_ATTR_LINENO,
  IPSET_ATTR_MARKMASK,
  IPSET_ATTR_MAXELEM,
  IPSET_ATTR_MEMSIZE,
  IPSET_ATTR_NETMASK,
  IPSET_ATTR_PORT,
  IPSET_ATTR_PORT_TO,
  IPSET_ATTR_PROTOCOL,
  IPSET_ATTR_REFERENCES,
  IPSET_ATTR_REVISION,
  IPSET_ATTR_REVISION_MIN,
  IPSET_ATTR_SETNAME,
  IPSET_ATTR_SIZE,
  IPSET_ATTR_TIMEOUT,
  IPSET_ATTR_TYPENAME,
  IPSET_FLAG_WITH_COMMENT,
  IPSET_FLAG_WITH_COUNTERS,
  IPSET_FLAG_WITH_FORCEADD,
  IPSET_FLAG_WITH_SKBINFO,
} from './constants.js';
import { EntrySource, IPSetEntry, cstr, ipText, type EntrySetInfo } from './entry.js';
import { NFGENMSG_LEN } from './nfnetlink.js';
import { parseEtype, setType, type Dim } from './types.js';
import { inspectRecord, type IPSetHeaderRecord } from './record.js';

// ---- set headers --------------------------------------------------------------------------

/** A set's header as LIST/SAVE/headers() report it. */
export class IPSetHeader implements EntrySetInfo {
  readonly kind: 'bitmap' | 'hash' | 'list';
  readonly dims: readonly Dim[];
  readonly adtOrder: readonly string[];
  readonly createOrder: readonly string[];
  hashsize?: number;
  maxelem?: number;
  /** Bytes of kernel memory the set uses. */
  memsize?: number;
  references?: number;
  /** Number of entries. */
  elements?: number;
  /** Default timeout of elements. */
  timeout?: number;
  counters = false;
  comment = false;
  skbinfo = false;
  forceadd = false;
  netmask?: number;
  bitmask?: string;
  markmask?: number;
  bucketsize?: number;
  initval?: number;
  size?: number;
  /** bitmap types: 'FROM-TO'. */
  range?: string;

  constructor(
    readonly name: string,
    readonly type: string,
    readonly revision: number,
    /** 'inet', 'inet6', or undefined for family-less types (bitmap:port, hash:mac, list:set). */
    readonly family: 'inet' | 'inet6' | undefined,
    /** The kernel's index of the set. */
    readonly index?: number,
  ) {
    const t = setType(type);
    this.kind = t?.kind ?? (type.startsWith('bitmap:') ? 'bitmap' : type.startsWith('list:') ? 'list' : 'hash');
    this.dims = t?.dims ?? parseEtype(type.slice(type.indexOf(':') + 1)) ?? [];
    this.adtOrder = t?.adt ?? [
      'timeout',
      'nomatch',
      'wildcard',
      'packets',
      'bytes',
      'comment',
      'skbmark',
      'skbprio',
      'skbqueue',
    ];
    this.createOrder = t?.create ?? [];
  }

  /** The header as ipset(8) prints it ("Header:" of list, tail of save's create line). */
  toString(): string {
    const out: string[] = [];
    const t = setType(this.type);
    for (const opt of this.createOrder) {
      switch (opt) {
        case 'family':
          if (t?.family === 'inet46' && this.family) out.push(`family ${this.family}`);
          break;
        case 'range':
          if (this.range !== undefined) out.push(`range ${this.range}`);
          break;
        case 'hashsize':
          if (this.hashsize !== undefined) out.push(`hashsize ${this.hashsize}`);
          break;
        case 'maxelem':
          if (this.maxelem !== undefined) out.push(`maxelem ${this.maxelem}`);
          break;
        case 'netmask':
          if (this.netmask !== undefined) out.push(`netmask ${this.netmask}`);
          break;
        case 'bitmask':
          if (this.bitmask !== undefined) out.push(`bitmask ${this.bitmask}`);
          break;
        case 'markmask':
          if (this.markmask !== undefined) out.push(`markmask 0x${this.markmask.toString(16).padStart(8, '0')}`);
          break;
        case 'size':
          if (this.size !== undefined) out.push(`size ${this.size}`);
          break;
        case 'timeout':
          if (this.timeout !== undefined) out.push(`timeout ${this.timeout}`);
          break;
        case 'counters':
          if (this.counters) out.push('counters');
          break;
        case 'comment':
          if (this.comment) out.push('comment');
          break;
        case 'skbinfo':
          if (this.skbinfo) out.push('skbinfo');
          break;
        case 'forceadd':
          if (this.forceadd) out.push('forceadd');
          break;
        case 'bucketsize':
          if (this.bucketsize !== undefined) out.push(`bucketsize ${this.bucketsize}`);
          break;
        case 'initval':
          if (this.initval !== undefined) out.push(`initval 0x${this.initval.toString(16).padStart(8, '0')}`);
          break;
      }
    }
    return out.join(' ');
  }

  /** The header as a record: create()'s names (`stype`, `counters`...) and the kernel's reports. */
  record(): IPSetHeaderRecord {
    const out: Record<string, unknown> = { name: this.name, stype: this.type };
    const keys = [
      'family',
      'range',
      'hashsize',
      'maxelem',
      'netmask',
      'bitmask',
      'markmask',
      'size',
      'timeout',
      'bucketsize',
      'initval',
    ] as const;
    for (const k of keys) if (this[k] !== undefined) out[k] = this[k];
    for (const k of ['counters', 'comment', 'skbinfo', 'forceadd'] as const) if (this[k]) out[k] = true;
    out.revision = this.revision;
    for (const k of ['index', 'memsize', 'references', 'elements'] as const)
      if (this[k] !== undefined) out[k] = this[k];
    return attachMessage(out, this) as unknown as IPSetHeaderRecord;
  }

  toJSON(): IPSetHeaderRecord {
    return this.record();
  }

  /** util.inspect: the record, and the header as ipset(8) prints it. */
  [INSPECT](depth: number, opts: unknown, inspect: (v: unknown, o: unknown) => string): string {
    return inspectRecord('IPSetHeader', this.record(), depth, opts, inspect);
  }
}

/** A listed set: its header and its entries. */
export interface IPSetInfo {
  header: IPSetHeader;
  entries: IPSetEntry[];
}

/** One dump message's worth of a listing: the set, whether its header is new, its entries. */
export interface ListChunk {
  header: IPSetHeader;
  /** True for the first chunk of a set (the header arrived with it). */
  first: boolean;
  entries: IPSetEntry[];
}

/** A ListChunk over one dump message: entry views are made when first asked for. */
export class MessageChunk implements ListChunk {
  private made: IPSetEntry[] | undefined;

  constructor(
    readonly header: IPSetHeader,
    readonly first: boolean,
    private readonly src: EntrySource,
    /** The IPSET_ATTR_ADT nest's payload: [start, end) in src.buf. */
    private readonly start: number,
    private readonly end: number,
  ) {}

  get entries(): IPSetEntry[] {
    if (!this.made) {
      const made: IPSetEntry[] = [];
      this.fill(made, 0);
      this.made = made;
    }
    return this.made;
  }

  /** Whether the message carries at least one entry. */
  get hasEntries(): boolean {
    const b = this.src.buf,
      p = this.start;
    if (p + 4 > this.end) return false;
    const len = b[p] | (b[p + 1] << 8);
    return len >= 4 && p + len <= this.end;
  }

  /** Write this message's entries into `out` from index `at` on; returns the next index. */
  fill(out: IPSetEntry[], at: number): number {
    if (this.made) {
      for (const e of this.made) out[at++] = e;
      return at;
    }
    const src = this.src,
      b = src.buf,
      end = this.end;
    for (let p = this.start; p + 4 <= end; ) {
      const len = b[p] | (b[p + 1] << 8);
      if (len < 4 || p + len > end) break;
      out[at++] = new IPSetEntry(src, p);
      p += (len + 3) & ~3;
    }
    return at;
  }
}

/** An array for `n` entries (as the set's header counts them), filled by index. */
function presized(n: number | undefined): IPSetEntry[] {
  return n !== undefined && n > 0 && n <= 1 << 24 ? new Array<IPSetEntry>(n) : [];
}

/** The entries of a dump message from [start, end) of its IPSET_ATTR_ADT nest. */
export function messageChunk(
  header: IPSetHeader,
  first: boolean,
  buf: Buffer,
  start: number,
  end: number,
): MessageChunk {
  return new MessageChunk(header, first, new EntrySource(header, buf), start, end);
}

/** What list() returns: await it for every set, or iterate it to stream entries. */
export class IPSetListing implements PromiseLike<IPSetInfo[]>, AsyncIterable<IPSetEntry> {
  constructor(private readonly open: () => AsyncGenerator<ListChunk>) {}

  /** Every set with all its entries. */
  async all(): Promise<IPSetInfo[]> {
    const sets: IPSetInfo[] = [];
    /** Entries written so far, by set: arrays start at the size the header announced. */
    const filled: number[] = [];
    let k = -1;
    for await (const c of this.open()) {
      if (c.first || sets[k]?.header !== c.header) {
        k = sets.findIndex((s) => s.header === c.header);
        if (k < 0) {
          k = sets.push({ header: c.header, entries: presized(c.header.elements) }) - 1;
          filled.push(0);
        }
      }
      const out = sets[k].entries;
      if (c instanceof MessageChunk) filled[k] = c.fill(out, filled[k]);
      else for (const e of c.entries) out[filled[k]++] = e;
    }
    // The count may have changed while listing.
    for (let i = 0; i < sets.length; i++) sets[i].entries.length = filled[i];
    return sets;
  }

  // biome-ignore lint/suspicious/noThenProperty: a listing is awaitable on purpose: `await ipset.list()` gives every set
  then<A = IPSetInfo[], B = never>(
    ok?: ((v: IPSetInfo[]) => A | PromiseLike<A>) | null,
    fail?: ((e: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.all().then(ok, fail);
  }

  /** Entries as they arrive (each knows its set: `entry.set`), with backpressure. */
  [Symbol.asyncIterator](): AsyncIterator<IPSetEntry> {
    // Hand-made rather than a generator: one resolved promise per entry, no generator frames.
    const chunks = this.open();
    let buf: IPSetEntry[] = [];
    let i = 0;
    const next = async (): Promise<IteratorResult<IPSetEntry>> => {
      while (i >= buf.length) {
        const r = await chunks.next();
        if (r.done) return { value: undefined, done: true };
        buf = r.value.entries;
        i = 0;
      }
      return { value: buf[i++], done: false };
    };
    return {
      next: () => (i < buf.length ? Promise.resolve({ value: buf[i++], done: false }) : next()),
      return: async () => {
        await chunks.return(undefined);
        return { value: undefined, done: true };
      },
    };
  }

  /** The listing message by message: headers with the entries that came with them. */
  chunks(): AsyncGenerator<ListChunk> {
    return this.open();
  }
}

// ---- reading answers ------------------------------------------------------------------------

/** Command-level attributes of an answer; nests as [start, end) offsets. */
export interface TopAttrs {
  setname?: string;
  typename?: string;
  revision?: number;
  revisionMin?: number;
  family?: number;
  protocol?: number;
  index?: number;
  data?: [number, number];
  adt?: [number, number];
  lineno?: number;
}

/** The command-level attributes of an ipset message (offsets for the nests). */
export function topAttrs(b: Buffer, start: number, end: number): TopAttrs {
  const t: TopAttrs = {};
  for (let p = start; p + 4 <= end; ) {
    const len = b[p] | (b[p + 1] << 8);
    if (len < 4 || p + len > end) break;
    const id = (b[p + 2] | (b[p + 3] << 8)) & 0x3fff;
    const o = p + 4,
      n = len - 4;
    switch (id) {
      case IPSET_ATTR_PROTOCOL:
        t.protocol = b[o];
        break;
      case IPSET_ATTR_SETNAME:
        t.setname = cstr(b, o, n);
        break;
      case IPSET_ATTR_TYPENAME:
        t.typename = cstr(b, o, n);
        break;
      case IPSET_ATTR_REVISION:
        t.revision = b[o];
        break;
      case IPSET_ATTR_FAMILY:
        t.family = b[o];
        break;
      case IPSET_ATTR_DATA:
        t.data = [o, o + n];
        break;
      case IPSET_ATTR_ADT:
        t.adt = [o, o + n];
        break;
      case IPSET_ATTR_LINENO:
        if (n >= 4) t.lineno = b.readUInt32BE(o);
        break;
      case IPSET_ATTR_REVISION_MIN:
        t.revisionMin = b[o];
        break;
      case IPSET_ATTR_INDEX:
        if (n >= 2) t.index = b.readUInt16BE(o);
        break;
    }
    p += (len + 3) & ~3;
  }
  return t;
}

/** Where an ipset message's attributes start: after the netlink and nfgenmsg headers. */
export const attrStart = (m: AnyMessage): number => m.offset + NLMSG_HDRLEN + NFGENMSG_LEN;

/** A nested address attribute (IPSET_ATTR_IPADDR_IPV4/IPV6) in [o, o + n), as text. */
const ipOf = ipText;

/** Fill a header from the create-space DATA of a LIST answer. */
export function readHeader(h: IPSetHeader, b: Buffer, start: number, end: number): void {
  let from: string | undefined,
    to: string | undefined,
    cidr: number | undefined,
    pfrom: number | undefined,
    pto: number | undefined;
  for (let p = start; p + 4 <= end; ) {
    const len = b[p] | (b[p + 1] << 8);
    if (len < 4 || p + len > end) break;
    const id = (b[p + 2] | (b[p + 3] << 8)) & 0x3fff;
    const o = p + 4,
      n = len - 4;
    const be32 = (): number => b.readUInt32BE(o);
    switch (id) {
      case IPSET_ATTR_IP:
        from = ipOf(b, o, n);
        break;
      case IPSET_ATTR_IP_TO:
        to = ipOf(b, o, n);
        break;
      case IPSET_ATTR_CIDR:
        cidr = b[o];
        break;
      case IPSET_ATTR_PORT:
        pfrom = b.readUInt16BE(o);
        break;
      case IPSET_ATTR_PORT_TO:
        pto = b.readUInt16BE(o);
        break;
      case IPSET_ATTR_TIMEOUT:
        h.timeout = be32();
        break;
      case IPSET_ATTR_CADT_FLAGS: {
        const f = be32();
        h.counters = !!(f & IPSET_FLAG_WITH_COUNTERS);
        h.comment = !!(f & IPSET_FLAG_WITH_COMMENT);
        h.skbinfo = !!(f & IPSET_FLAG_WITH_SKBINFO);
        h.forceadd = !!(f & IPSET_FLAG_WITH_FORCEADD);
        break;
      }
      case IPSET_ATTR_MARKMASK:
        h.markmask = be32();
        break;
      case IPSET_ATTR_BITMASK:
        h.bitmask = ipOf(b, o, n);
        break;
      case IPSET_ATTR_INITVAL:
        h.initval = be32();
        break;
      case IPSET_ATTR_HASHSIZE:
        h.hashsize = be32();
        break;
      case IPSET_ATTR_MAXELEM:
        h.maxelem = be32();
        break;
      case IPSET_ATTR_NETMASK:
        h.netmask = b[o];
        break;
      case IPSET_ATTR_BUCKETSIZE:
        h.bucketsize = b[o];
        break;
      case IPSET_ATTR_SIZE:
        h.size = be32();
        break;
      case IPSET_ATTR_ELEMENTS:
        h.elements = be32();
        break;
      case IPSET_ATTR_REFERENCES:
        h.references = be32();
        break;
      case IPSET_ATTR_MEMSIZE:
        h.memsize = be32();
        break;
    }
    p += (len + 3) & ~3;
  }
  if (from !== undefined) h.range = to !== undefined ? `${from}-${to}` : cidr !== undefined ? `${from}/${cidr}` : from;
  else if (pfrom !== undefined) h.range = `${pfrom}-${pto ?? pfrom}`;
}
