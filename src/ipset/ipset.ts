// The IPSet class: every ipset command over nfnetlink, with ipset(8)'s wire format,
// ipset(8)'s error texts, bulk adds and streamed listings.
import {
  Marshal, MessageSchema, NETLINK_NETFILTER, NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLMSG_ERROR, NLMSG_HDRLEN,
  NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NetlinkError, NetlinkSocket, Writer, parseIPv4, parseIPv6,
  type AnyMessage, type AnySchema, type AttrInput, type MessageSpec, type Transport,
} from '../core/index.js';
import {
  IPSET_ATTR_ADT, IPSET_ATTR_BITMASK, IPSET_ATTR_BUCKETSIZE, IPSET_ATTR_CADT_FLAGS, IPSET_ATTR_DATA,
  IPSET_ATTR_ELEMENTS, IPSET_ATTR_FAMILY, IPSET_ATTR_HASHSIZE, IPSET_ATTR_INDEX, IPSET_ATTR_INITVAL, IPSET_ATTR_IP,
  IPSET_ATTR_IP_TO, IPSET_ATTR_CIDR, IPSET_ATTR_LINENO, IPSET_ATTR_MARKMASK, IPSET_ATTR_MAXELEM, IPSET_ATTR_MEMSIZE,
  IPSET_ATTR_NETMASK, IPSET_ATTR_PORT, IPSET_ATTR_PORT_TO, IPSET_ATTR_PROTOCOL, IPSET_ATTR_PROTOCOL_MIN,
  IPSET_ATTR_REFERENCES, IPSET_ATTR_REVISION, IPSET_ATTR_REVISION_MIN, IPSET_ATTR_SETNAME, IPSET_ATTR_SIZE,
  IPSET_ATTR_TIMEOUT, IPSET_ATTR_TYPENAME, IPSET_CMD_ADD, IPSET_CMD_CREATE, IPSET_CMD_DEL, IPSET_CMD_DESTROY,
  IPSET_CMD_FLUSH, IPSET_CMD_HEADER, IPSET_CMD_LIST, IPSET_CMD_PROTOCOL, IPSET_CMD_RENAME, IPSET_CMD_SAVE,
  IPSET_CMD_SWAP, IPSET_CMD_TEST, IPSET_CMD_TYPE, IPSET_ERR_EXIST, IPSET_ERR_FIND_TYPE, IPSET_ERR_PROTOCOL,
  IPSET_ERR_TYPE_SPECIFIC, IPSET_FLAG_LIST_HEADER, IPSET_FLAG_WITH_COMMENT, IPSET_FLAG_WITH_COUNTERS,
  IPSET_FLAG_WITH_FORCEADD, IPSET_FLAG_WITH_SKBINFO, IPSET_MAXNAMELEN, IPSET_PROTOCOL, IPSET_PROTOCOL_MIN,
  NFPROTO_IPV4, NFPROTO_IPV6, NFPROTO_UNSPEC,
} from './constants.js';
import {
  IPSetEntry, entryOptionsOf, ipv6Text, parseEntry, parseNumber, wireOptions, writeEntry, writePlainIPv4,
  type EntryInput, type EntryOptions, type EntrySetInfo, type WireOptions,
} from './entries.js';
import { IPSetError, IPSetSyntaxError, IPSetUnsupportedError } from './errors.js';
import { IPSetRestoreError, parseRestore, saveText } from './save.js';
import { ipsetAdtMsg, ipsetMsg, ipsetPolicy, ipsetType } from './ipset_msg.js';
import { SET_TYPES, parseEtype, setType, type CreateOption, type Dim, type SetType } from './types.js';

/** An address family as the API takes it. */
export type Family = 'inet' | 'inet6' | 'ipv4' | 'ipv6' | 'any' | 'unspec' | number;

export interface IPSetOptions {
  /** Network namespace (name under /var/run/netns, a path, or an fd): the socket is opened there. */
  netns?: string | number;
  /** Talk through this transport instead of a kernel socket (replay, tests). */
  transport?: Transport;
  /** Request timeout in ms (default: none). */
  timeout?: number;
}

export interface CreateOptions {
  /** Set type, default 'hash:ip'. */
  stype?: string;
  family?: Family;
  /** Fail if the set exists (default true); false makes create idempotent for an identical set. */
  exclusive?: boolean;
  counters?: boolean;
  comment?: boolean;
  skbinfo?: boolean;
  forceadd?: boolean;
  hashsize?: number;
  maxelem?: number;
  bucketsize?: number;
  initval?: number;
  /** Default timeout of elements, seconds. */
  timeout?: number;
  /** bitmap:port: [first, last]. */
  bitmapPortsRange?: readonly [number, number];
  /** bitmap:ip, bitmap:ip,mac: 'FROM-TO', 'IP/CIDR' or [from, to] (bitmap:port: 'FROM-TO' too). */
  range?: string | readonly [string, string] | readonly [number, number];
  /** Prefix length stored (hash:ip, hash:ip,port, hash:net,net, bitmap:ip). */
  netmask?: number;
  /** Address mask stored (hash:ip, hash:ip,port, hash:net,net). */
  bitmask?: string;
  /** hash:ip,mark. */
  markmask?: number;
  /** list:set: member count. */
  size?: number;
}

export interface AddOptions extends EntryOptions {
  /** Element type ('ip', 'net,port', ...); default: asked from the kernel (the set's type). */
  etype?: string;
  /** The set's type, when known: saves asking the kernel (and names it in error messages). */
  stype?: string;
  /** add: fail if the element exists (default true); del: fail if it is missing. */
  exclusive?: boolean;
  /** The set's family, when the element has no address to tell. */
  family?: Family;
}

export interface AddManyOptions extends AddOptions {
  /** Elements per message (default: up to 16 KiB of attributes). */
  perMessage?: number;
}

/** A failed element of addMany/deleteMany. */
export interface EntryError {
  index: number;
  error: IPSetError | IPSetSyntaxError;
}

export interface BulkResult {
  /** Elements the kernel accepted. */
  done: number;
  /** Failures, by index in the input, in order. */
  errors: EntryError[];
}

/** ipset(8) puts AF_INET in every nfgenmsg; the set's family travels in IPSET_ATTR_FAMILY. */
const NFGEN = { nfgen_family: 2 };

const FAMILY_NAMES: Readonly<Record<number, 'inet' | 'inet6'>> = { [NFPROTO_IPV4]: 'inet', [NFPROTO_IPV6]: 'inet6' };

function familyNumber(f: Family | undefined, fallback: number): number {
  if (f === undefined) return fallback;
  if (typeof f === 'number') {
    if (f === NFPROTO_IPV4 || f === NFPROTO_IPV6 || f === NFPROTO_UNSPEC) return f;
    throw new IPSetSyntaxError(`unknown inet family ${f}`);
  }
  switch (f) {
    case 'inet': case 'ipv4': return NFPROTO_IPV4;
    case 'inet6': case 'ipv6': return NFPROTO_IPV6;
    case 'any': case 'unspec': return NFPROTO_UNSPEC;
    default: throw new IPSetSyntaxError(`unknown inet family ${String(f)}`);
  }
}

function checkName(name: unknown, what = 'setname'): string {
  if (typeof name !== 'string' || !name) throw new IPSetSyntaxError(`${what} must be a non-empty string`);
  if (Buffer.byteLength(name) > IPSET_MAXNAMELEN - 1) throw new IPSetSyntaxError(`${what} '${name}' is longer than ${IPSET_MAXNAMELEN - 1} characters`);
  return name;
}

function uint(v: unknown, what: string, max = 0xffffffff): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw new IPSetSyntaxError(`'${String(v)}' is out of range 0-${max} (${what})`);
  return v;
}

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
    this.adtOrder = t?.adt ?? ['timeout', 'nomatch', 'wildcard', 'packets', 'bytes', 'comment', 'skbmark', 'skbprio', 'skbqueue'];
    this.createOrder = t?.create ?? [];
  }

  /** The header as ipset(8) prints it ("Header:" of list, tail of save's create line). */
  toString(): string {
    const out: string[] = [];
    const t = setType(this.type);
    for (const opt of this.createOrder) {
      switch (opt) {
        case 'family': if (t?.family === 'inet46' && this.family) out.push(`family ${this.family}`); break;
        case 'range': if (this.range !== undefined) out.push(`range ${this.range}`); break;
        case 'hashsize': if (this.hashsize !== undefined) out.push(`hashsize ${this.hashsize}`); break;
        case 'maxelem': if (this.maxelem !== undefined) out.push(`maxelem ${this.maxelem}`); break;
        case 'netmask': if (this.netmask !== undefined) out.push(`netmask ${this.netmask}`); break;
        case 'bitmask': if (this.bitmask !== undefined) out.push(`bitmask ${this.bitmask}`); break;
        case 'markmask': if (this.markmask !== undefined) out.push(`markmask 0x${this.markmask.toString(16).padStart(8, '0')}`); break;
        case 'size': if (this.size !== undefined) out.push(`size ${this.size}`); break;
        case 'timeout': if (this.timeout !== undefined) out.push(`timeout ${this.timeout}`); break;
        case 'counters': if (this.counters) out.push('counters'); break;
        case 'comment': if (this.comment) out.push('comment'); break;
        case 'skbinfo': if (this.skbinfo) out.push('skbinfo'); break;
        case 'forceadd': if (this.forceadd) out.push('forceadd'); break;
        case 'bucketsize': if (this.bucketsize !== undefined) out.push(`bucketsize ${this.bucketsize}`); break;
        case 'initval': if (this.initval !== undefined) out.push(`initval 0x${this.initval.toString(16).padStart(8, '0')}`); break;
      }
    }
    return out.join(' ');
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, type: this.type, revision: this.revision };
    const keys = ['family', 'index', 'range', 'hashsize', 'maxelem', 'netmask', 'bitmask', 'markmask', 'size', 'timeout',
      'bucketsize', 'initval', 'memsize', 'references', 'elements'] as const;
    for (const k of keys) if (this[k] !== undefined) out[k] = this[k];
    for (const k of ['counters', 'comment', 'skbinfo', 'forceadd'] as const) if (this[k]) out[k] = true;
    out.header = this.toString();
    return out;
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

/** What list() returns: await it for every set, or iterate it to stream entries. */
export class IPSetListing implements PromiseLike<IPSetInfo[]>, AsyncIterable<IPSetEntry> {
  constructor(private readonly open: () => AsyncGenerator<ListChunk>) {}

  /** Every set with all its entries. */
  async all(): Promise<IPSetInfo[]> {
    const sets: IPSetInfo[] = [];
    let cur: IPSetInfo | undefined;
    for await (const c of this.open()) {
      if (c.first || cur?.header !== c.header) {
        cur = sets.find((s) => s.header === c.header);
        if (!cur) sets.push(cur = { header: c.header, entries: [] });
      }
      for (const e of c.entries) cur.entries.push(e);
    }
    return sets;
  }

  then<A = IPSetInfo[], B = never>(ok?: ((v: IPSetInfo[]) => A | PromiseLike<A>) | null, fail?: ((e: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
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
      return: async () => { await chunks.return(undefined); return { value: undefined, done: true }; },
    };
  }

  /** The listing message by message: headers with the entries that came with them. */
  chunks(): AsyncGenerator<ListChunk> {
    return this.open();
  }
}

// ---- reading answers ------------------------------------------------------------------------

interface TopAttrs {
  setname?: string; typename?: string; revision?: number; revisionMin?: number; family?: number; protocol?: number;
  index?: number; data?: [number, number]; adt?: [number, number]; lineno?: number;
}

function cstr(b: Buffer, o: number, n: number): string {
  const nul = b.indexOf(0, o);
  return b.toString('utf8', o, nul >= 0 && nul < o + n ? nul : o + n);
}

/** The command-level attributes of an ipset message (offsets for the nests). */
function topAttrs(b: Buffer, start: number, end: number): TopAttrs {
  const t: TopAttrs = {};
  for (let p = start; p + 4 <= end; ) {
    const len = b[p] | (b[p + 1] << 8);
    if (len < 4 || p + len > end) break;
    const id = (b[p + 2] | (b[p + 3] << 8)) & 0x3fff;
    const o = p + 4, n = len - 4;
    switch (id) {
      case IPSET_ATTR_PROTOCOL: t.protocol = b[o]; break;
      case IPSET_ATTR_SETNAME: t.setname = cstr(b, o, n); break;
      case IPSET_ATTR_TYPENAME: t.typename = cstr(b, o, n); break;
      case IPSET_ATTR_REVISION: t.revision = b[o]; break;
      case IPSET_ATTR_FAMILY: t.family = b[o]; break;
      case IPSET_ATTR_DATA: t.data = [o, o + n]; break;
      case IPSET_ATTR_ADT: t.adt = [o, o + n]; break;
      case IPSET_ATTR_LINENO: if (n >= 4) t.lineno = b.readUInt32BE(o); break;
      case IPSET_ATTR_REVISION_MIN: t.revisionMin = b[o]; break;
      case IPSET_ATTR_INDEX: if (n >= 2) t.index = b.readUInt16BE(o); break;
    }
    p += (len + 3) & ~3;
  }
  return t;
}

const attrStart = (m: AnyMessage): number => m.offset + NLMSG_HDRLEN + 4;

function ipOf(b: Buffer, o: number, n: number): string | undefined {
  if (n < 8) return undefined;
  const t = (b[o + 2] | (b[o + 3] << 8)) & 0x3fff;
  if (t === 1) return `${b[o + 4]}.${b[o + 5]}.${b[o + 6]}.${b[o + 7]}`;
  if (t === 2 && n >= 20) return ipv6Text(b, o + 4);
  return undefined;
}

function readHeader(h: IPSetHeader, b: Buffer, start: number, end: number): void {
  let from: string | undefined, to: string | undefined, cidr: number | undefined, pfrom: number | undefined, pto: number | undefined;
  for (let p = start; p + 4 <= end; ) {
    const len = b[p] | (b[p + 1] << 8);
    if (len < 4 || p + len > end) break;
    const id = (b[p + 2] | (b[p + 3] << 8)) & 0x3fff;
    const o = p + 4, n = len - 4;
    const be32 = (): number => b.readUInt32BE(o);
    switch (id) {
      case IPSET_ATTR_IP: from = ipOf(b, o, n); break;
      case IPSET_ATTR_IP_TO: to = ipOf(b, o, n); break;
      case IPSET_ATTR_CIDR: cidr = b[o]; break;
      case IPSET_ATTR_PORT: pfrom = b.readUInt16BE(o); break;
      case IPSET_ATTR_PORT_TO: pto = b.readUInt16BE(o); break;
      case IPSET_ATTR_TIMEOUT: h.timeout = be32(); break;
      case IPSET_ATTR_CADT_FLAGS: {
        const f = be32();
        h.counters = !!(f & IPSET_FLAG_WITH_COUNTERS);
        h.comment = !!(f & IPSET_FLAG_WITH_COMMENT);
        h.skbinfo = !!(f & IPSET_FLAG_WITH_SKBINFO);
        h.forceadd = !!(f & IPSET_FLAG_WITH_FORCEADD);
        break;
      }
      case IPSET_ATTR_MARKMASK: h.markmask = be32(); break;
      case IPSET_ATTR_BITMASK: h.bitmask = ipOf(b, o, n); break;
      case IPSET_ATTR_INITVAL: h.initval = be32(); break;
      case IPSET_ATTR_HASHSIZE: h.hashsize = be32(); break;
      case IPSET_ATTR_MAXELEM: h.maxelem = be32(); break;
      case IPSET_ATTR_NETMASK: h.netmask = b[o]; break;
      case IPSET_ATTR_BUCKETSIZE: h.bucketsize = b[o]; break;
      case IPSET_ATTR_SIZE: h.size = be32(); break;
      case IPSET_ATTR_ELEMENTS: h.elements = be32(); break;
      case IPSET_ATTR_REFERENCES: h.references = be32(); break;
      case IPSET_ATTR_MEMSIZE: h.memsize = be32(); break;
    }
    p += (len + 3) & ~3;
  }
  if (from !== undefined) h.range = to !== undefined ? `${from}-${to}` : cidr !== undefined ? `${from}/${cidr}` : from;
  else if (pfrom !== undefined) h.range = `${pfrom}-${pto ?? pfrom}`;
}

// ---- bulk encoding ----------------------------------------------------------------------------

/**
 * A message class whose messages are already encoded: encodeInto copies the bytes of
 * one container and sets its flags and sequence number (sock.batch drives it).
 */
class PreEncoded extends MessageSchema<any, any> {
  /** Sequence number each container went out with, by container index. */
  readonly seqs: number[] = [];
  constructor(private readonly bytes: Buffer, private readonly spans: Int32Array) {
    super('ipset.ipset_adt_msg', ipsetAdtMsg.header, ipsetAdtMsg.attrs, ipsetAdtMsg.opts);
  }

  override encodeInto(w: Writer, spec: MessageSpec<any, any>): number {
    const k = (spec as unknown as { k: number }).k;
    const from = this.spans[2 * k], to = this.spans[2 * k + 1];
    const at = w.pos;
    w.bytes(this.bytes.subarray(from, to));
    w.buf.writeUInt16LE(spec.flags ?? 0, at + 6);
    w.buf.writeUInt32LE(spec.seq ?? 0, at + 8);
    this.seqs[k] = spec.seq ?? 0;
    return at;
  }
}

const MAX_CONTAINER = 16 * 1024;
const MSG_PER_DATAGRAM = 32;

// ---- the class ---------------------------------------------------------------------------------

/**
 * ipset over nfnetlink. One socket per instance, opened in `netns` if given:
 *
 *     await using ipset = new IPSet({ netns: 'blue' });
 *     await ipset.create('foo', { stype: 'hash:ip' });
 *     await ipset.add('foo', '198.51.100.1', { etype: 'ip' });
 *     await ipset.test('foo', '198.51.100.1');   // true
 */
export class IPSet {
  readonly sock: NetlinkSocket;
  private proto: Promise<{ use: number; kernel: number; min: number }> | undefined;
  private readonly revisions = new Map<string, Promise<[number, number]>>();
  /** LINENO the kernel echoed in an ADT error, by the failed message's sequence number. */
  private readonly errLines = new Map<number, number>();

  constructor(opts: IPSetOptions = {}) {
    const marshal = new Marshal(ipsetPolicy(), { fixup: (m) => this.noteError(m) });
    this.sock = new NetlinkSocket({ protocol: NETLINK_NETFILTER, netns: opts.netns, transport: opts.transport, marshal, timeout: opts.timeout });
  }

  /** ipset answers a failed element of an ADT container with the request echoed, its LINENO set to the element's. */
  private noteError(m: AnyMessage): void {
    if (m.type !== NLMSG_ERROR || m.length < NLMSG_HDRLEN + 4 + NLMSG_HDRLEN + 4) return;
    const b = m.buf, req = m.offset + NLMSG_HDRLEN + 4;
    const reqLen = b.readUInt32LE(req);
    const reqType = b.readUInt16LE(req + 4);
    if (reqType >> 8 !== 6 || req + reqLen > m.offset + m.length || b.readInt32LE(m.offset + NLMSG_HDRLEN) === 0) return;
    const t = topAttrs(b, req + NLMSG_HDRLEN + 4, req + reqLen);
    if (t.lineno !== undefined && t.adt) this.errLines.set(m.seq, t.lineno);
  }

  close(): void {
    this.sock.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  // ---- protocol -----------------------------------------------------------------------------

  private negotiate(): Promise<{ use: number; kernel: number; min: number }> {
    this.proto ??= (async () => {
      const ask = async (v: number) => {
        const [m] = await this.sock.request(ipsetMsg, { type: ipsetType(IPSET_CMD_PROTOCOL), flags: 0, fields: NFGEN, attrs: [['IPSET_ATTR_PROTOCOL', v]] });
        const t = topAttrs(m.buf, attrStart(m), m.offset + m.length);
        // IPSET_ATTR_PROTOCOL_MIN shares its id with IPSET_ATTR_REVISION_MIN.
        return { kernel: t.protocol ?? v, min: t.revisionMin ?? t.protocol ?? v };
      };
      let r: { kernel: number; min: number };
      try {
        r = await ask(IPSET_PROTOCOL);
      } catch (e) {
        // Kernels that speak only version 6 refuse a request marked 7.
        if (!(e instanceof NetlinkError) || e.errno !== IPSET_ERR_PROTOCOL) throw ipsetError(e, IPSET_CMD_PROTOCOL);
        r = await ask(IPSET_PROTOCOL_MIN).catch((e2) => { throw ipsetError(e2, IPSET_CMD_PROTOCOL); });
      }
      const use = Math.min(IPSET_PROTOCOL, r.kernel);
      if (use < IPSET_PROTOCOL_MIN || r.min > IPSET_PROTOCOL) {
        throw new IPSetUnsupportedError(`Cannot communicate with kernel: Kernel support protocol versions ${r.min}-${r.kernel} while userspace supports protocol versions ${IPSET_PROTOCOL_MIN}-${IPSET_PROTOCOL}`);
      }
      return { use, ...r };
    })();
    this.proto.catch(() => { this.proto = undefined; });
    return this.proto;
  }

  /** The kernel's ipset protocol version (7 on current kernels, 6 on old ones). */
  async getProtocolVersion(): Promise<number> {
    return (await this.negotiate()).kernel;
  }

  /** Send one command with IPSET_ATTR_PROTOCOL first; errors become IPSetError. */
  private async cmd(cmd: number, attrs: [string | number, unknown][], flags: number, ctx: { setName?: string; typeName?: string; detail?: string } = {}): Promise<AnyMessage[]> {
    const { use } = await this.negotiate();
    const schema: AnySchema = cmd === IPSET_CMD_ADD || cmd === IPSET_CMD_DEL || cmd === IPSET_CMD_TEST ? ipsetAdtMsg : ipsetMsg;
    try {
      return await this.sock.request(schema, { type: ipsetType(cmd), flags, fields: NFGEN, attrs: [['IPSET_ATTR_PROTOCOL', use], ...attrs] as AttrInput });
    } catch (e) {
      throw ipsetError(e, cmd, ctx);
    }
  }

  // ---- types ----------------------------------------------------------------------------------

  /** [min, max] revision of a set type in this kernel (IPSET_CMD_TYPE). */
  async getSupportedRevisions(stype: string, family?: Family): Promise<[number, number]> {
    const t = setType(stype);
    const name = t?.name ?? stype;
    const fam = familyNumber(family, t?.family === 'unspec' ? NFPROTO_UNSPEC : NFPROTO_IPV4);
    const key = `${name}/${fam}`;
    let p = this.revisions.get(key);
    if (!p) {
      p = (async () => {
        const [m] = await this.cmd(IPSET_CMD_TYPE, [['IPSET_ATTR_TYPENAME', name], ['IPSET_ATTR_FAMILY', fam]], 0,
          { typeName: name, detail: `${name}, family ${FAMILY_NAMES[fam] ?? 'unspec'}` });
        const a = topAttrs(m.buf, attrStart(m), m.offset + m.length);
        const max = a.revision ?? 0;
        return [a.revisionMin ?? max, max] as [number, number];
      })();
      this.revisions.set(key, p);
      p.catch(() => this.revisions.delete(key));
    }
    return p;
  }

  // ---- create / destroy / flush / rename / swap --------------------------------------------------

  /** Create a set (default type hash:ip). */
  async create(name: string, opts: CreateOptions = {}): Promise<void> {
    checkName(name);
    const stype = opts.stype ?? 'hash:ip';
    const t = setType(stype);
    if (!t) throw new IPSetSyntaxError(`typename '${stype}' is unknown`);
    const defFam = t.family === 'unspec' ? NFPROTO_UNSPEC : NFPROTO_IPV4;
    const family = familyNumber(opts.family, defFam);
    const famName = FAMILY_NAMES[family] ?? 'unspec';
    if (opts.family !== undefined && family !== defFam && (t.family !== 'inet46' || family === NFPROTO_UNSPEC)) {
      throw new IPSetSyntaxError(`family ${famName} is not supported by set type ${t.name}`);
    }
    const asked = createOptionsUsed(opts);
    for (const o of asked) {
      const ok = t.create.includes(o) || (o === 'range' && t.name === 'bitmap:port');
      if (!ok) throw new IPSetSyntaxError(`${o} parameter is not allowed in command create with set type ${t.name} and family ${famName}`);
    }
    if (t.name.startsWith('bitmap:') && opts.range === undefined && opts.bitmapPortsRange === undefined) {
      throw new IPSetSyntaxError(`Argument \`range' is mandatory with set type ${t.name}`);
    }
    let kmin: number, kmax: number;
    try {
      // Like ipset(8), ask with the type's default family (it asks before reading the options).
      [kmin, kmax] = await this.getSupportedRevisions(t.name, defFam);
    } catch (e) {
      if (e instanceof IPSetError && e.errno === IPSET_ERR_FIND_TYPE) {
        throw new IPSetError(e.errno, IPSET_CMD_CREATE, { setName: name, typeName: t.name, detail: `${t.name} is not available in this kernel` });
      }
      throw e;
    }
    const revision = Math.min(t.revision, kmax);
    if (revision < kmin) {
      throw new IPSetUnsupportedError(`Kernel supports revisions ${kmin}-${kmax} of ${t.name}, ipset 7.17 knows up to ${t.revision}`);
    }
    for (const o of asked) {
      const since = t.since[o];
      if (since !== undefined && since > revision) {
        throw new IPSetUnsupportedError(`Argument \`${o}' is supported in the kernel module of the set type ${t.name} starting from the revision ${since} and you have installed revision ${revision} only. Your kernel is behind your ipset utility.`);
      }
    }
    const data = createData(t, opts, family);
    await this.cmd(IPSET_CMD_CREATE, [
      ['IPSET_ATTR_SETNAME', name], ['IPSET_ATTR_TYPENAME', t.name], ['IPSET_ATTR_REVISION', revision],
      ['IPSET_ATTR_FAMILY', family], ['IPSET_ATTR_DATA', data],
    ], NLM_F_ACK | NLM_F_CREATE | (opts.exclusive === false ? 0 : NLM_F_EXCL), { setName: name, typeName: t.name });
  }

  /** Destroy a set, or every set (not referenced by the kernel) when no name is given. */
  async destroy(name?: string, opts: { exclusive?: boolean } = {}): Promise<void> {
    await this.cmd(IPSET_CMD_DESTROY, name === undefined ? [] : [['IPSET_ATTR_SETNAME', checkName(name)]],
      NLM_F_ACK | (opts.exclusive === false ? 0 : NLM_F_EXCL), { setName: name });
  }

  /** Remove every element of a set, or of every set. */
  async flush(name?: string): Promise<void> {
    await this.cmd(IPSET_CMD_FLUSH, name === undefined ? [] : [['IPSET_ATTR_SETNAME', checkName(name)]], NLM_F_ACK, { setName: name });
  }

  /** Rename a set. */
  async rename(from: string, to: string): Promise<void> {
    await this.cmd(IPSET_CMD_RENAME, [['IPSET_ATTR_SETNAME', checkName(from)], ['IPSET_ATTR_SETNAME2', checkName(to, 'new setname')]], NLM_F_ACK, { setName: from });
  }

  /** Swap two sets' contents (types must match). */
  async swap(a: string, b: string): Promise<void> {
    await this.cmd(IPSET_CMD_SWAP, [['IPSET_ATTR_SETNAME', checkName(a)], ['IPSET_ATTR_SETNAME2', checkName(b)]], NLM_F_ACK, { setName: a });
  }

  // ---- elements ---------------------------------------------------------------------------------

  /** Type name, revision and family of a set (IPSET_CMD_HEADER, as ipset(8) asks before add/del/test). */
  async typeOf(name: string): Promise<{ type: string; revision: number; family: number }> {
    const [m] = await this.cmd(IPSET_CMD_HEADER, [['IPSET_ATTR_SETNAME', checkName(name)]], 0, { setName: name });
    const a = topAttrs(m.buf, attrStart(m), m.offset + m.length);
    return { type: a.typename ?? '', revision: a.revision ?? 0, family: a.family ?? 0 };
  }

  /** Dimensions and type of the elements to send: from `etype`, else from the set itself. */
  private async elementType(name: string, opts: AddOptions): Promise<{ dims: readonly Dim[]; type?: SetType; family: number; guessed?: boolean }> {
    if (opts.stype !== undefined) {
      const type = setType(opts.stype);
      if (!type) throw new IPSetSyntaxError(`typename '${opts.stype}' is unknown`);
      return { dims: type.dims, type, family: familyNumber(opts.family, 0) };
    }
    if (opts.etype !== undefined) {
      const dims = parseEtype(opts.etype);
      if (!dims) throw new IPSetSyntaxError(`unknown element type '${opts.etype}'`);
      // Only a guess at the set's type (hash:ip or bitmap:ip?): its kind decides how ports are sent.
      const key = dims.join(',');
      const type = SET_TYPES.find((t) => t.kind === 'hash' && t.dims.join(',') === key) ?? SET_TYPES.find((t) => t.dims.join(',') === key);
      return { dims, type: type && { ...type, required: dims.length }, family: familyNumber(opts.family, 0), guessed: true };
    }
    const h = await this.typeOf(name);
    const type = setType(h.type);
    if (!type) throw new IPSetUnsupportedError(`set ${name} has type ${h.type}, which this library does not know`);
    return { dims: type.dims, type, family: h.family };
  }

  private async adt(cmd: number, name: string, entry: EntryInput, opts: AddOptions, flags: number): Promise<AnyMessage[]> {
    checkName(name);
    const { dims, type, family } = await this.elementType(name, opts);
    const eopts: EntryOptions = { ...opts };
    const e = parseEntry(entry, dims, { kind: type?.kind, family, typeName: type?.name, required: type?.required }, eopts);
    const wo = wireOptions(entryOptionsOf(entry), wireOptions(eopts));
    const w = new Writer(256);
    writeEntry(w, e, wo, cmd === IPSET_CMD_TEST ? undefined : 0);
    try {
      return await this.cmd(cmd, [['IPSET_ATTR_SETNAME', name], [IPSET_ATTR_DATA | NLA_F_NESTED, w.toBuffer()]], flags, { setName: name, typeName: type?.name });
    } catch (e) {
      // Type-specific codes need the real type for ipset(8)'s words.
      if (e instanceof IPSetError && opts.etype !== undefined && e.errno >= IPSET_ERR_TYPE_SPECIFIC) {
        const real = await this.typeOf(name).catch(() => undefined);
        if (real) throw new IPSetError(e.errno, cmd, { setName: name, typeName: real.type, extack: e.extack });
      }
      throw e;
    }
  }

  /** Add an element. `exclusive` (default true) fails if it is already there. */
  async add(name: string, entry: EntryInput, opts: AddOptions = {}): Promise<void> {
    await this.adt(IPSET_CMD_ADD, name, entry, opts, NLM_F_ACK | (opts.exclusive === false ? 0 : NLM_F_EXCL));
  }

  /** Delete an element. `exclusive` (default true) fails if it is not there. */
  async delete(name: string, entry: EntryInput, opts: AddOptions = {}): Promise<void> {
    await this.adt(IPSET_CMD_DEL, name, entry, opts, NLM_F_ACK | (opts.exclusive === false ? 0 : NLM_F_EXCL));
  }

  /** Whether an element is in the set: true or false, never an error for "not in set". */
  async test(name: string, entry: EntryInput, opts: AddOptions = {}): Promise<boolean> {
    try {
      await this.adt(IPSET_CMD_TEST, name, entry, opts, NLM_F_ACK);
      return true;
    } catch (e) {
      if (e instanceof IPSetError && e.errno === IPSET_ERR_EXIST) return false;
      throw e;
    }
  }

  /**
   * Add many elements: packed into IPSET_ATTR_ADT containers (hundreds per message, many
   * messages per send), pipelined. Every failure is reported with its index; the rest are
   * added. Fast path for plain IPv4 strings.
   */
  async addMany(name: string, entries: Iterable<EntryInput>, opts: AddManyOptions = {}): Promise<BulkResult> {
    return this.bulk(IPSET_CMD_ADD, name, entries, opts);
  }

  /** Delete many elements, as addMany adds them. */
  async deleteMany(name: string, entries: Iterable<EntryInput>, opts: AddManyOptions = {}): Promise<BulkResult> {
    return this.bulk(IPSET_CMD_DEL, name, entries, opts);
  }

  private async bulk(cmd: number, name: string, input: Iterable<EntryInput>, opts: AddManyOptions, perEntry?: readonly (EntryOptions | undefined)[]): Promise<BulkResult> {
    checkName(name);
    const list = Array.isArray(input) ? input as EntryInput[] : [...input];
    const { use } = await this.negotiate();
    const { dims, type, family, guessed } = await this.elementType(name, opts);
    let typeName = guessed ? undefined : type?.name;
    const ctx = { kind: type?.kind, family, typeName, required: type?.required };
    const common = wireOptions(opts);
    const plain = (dims.length === 1 && (dims[0] === 'ip' || dims[0] === 'net')) && family !== NFPROTO_IPV6 && !hasWireOptions(common) && !perEntry;
    const flags = opts.exclusive === false ? 0 : NLM_F_EXCL;
    const errors: EntryError[] = [];
    const fail = (index: number, error: IPSetError | IPSetSyntaxError): void => { errors.push({ index, error }); };

    // Encode containers: [header | PROTOCOL | SETNAME | LINENO | ADT{ DATA{... LINENO=i+1} ... }].
    const nameBuf = Buffer.from(`${name}\0`);
    const prefix = new Writer(64);
    prefix.zeros(NLMSG_HDRLEN);
    prefix.u8(NFPROTO_IPV4); prefix.u8(0); prefix.u16(0);
    prefix.u16(5); prefix.u16(IPSET_ATTR_PROTOCOL); prefix.u8(use); prefix.zeros(3);
    prefix.u16(4 + nameBuf.length); prefix.u16(IPSET_ATTR_SETNAME); prefix.bytes(nameBuf); prefix.pad4();
    prefix.u16(8); prefix.u16(IPSET_ATTR_LINENO | NLA_F_NET_BYTEORDER); prefix.u32(0);
    const pre = prefix.toBuffer();
    const type16 = ipsetType(cmd);
    const perMessage = opts.perMessage ?? Infinity;

    const encode = (indices: ArrayLike<number> | null, count: number, cap: number): { bytes: Buffer; spans: Int32Array; ranges: Int32Array; n: number; order: Int32Array } => {
      const w = new Writer(Math.max(4096, count * 28 + 1024));
      const spans: number[] = [];
      const ranges: number[] = [];
      const order = new Int32Array(count);
      let placed = 0;
      let msgStart = -1, adtAt = 0, inMsg = 0, firstPlaced = 0;
      const close = (): void => {
        if (msgStart < 0) return;
        w.buf.writeUInt16LE(w.pos - adtAt, adtAt);
        w.buf.writeUInt32LE(w.pos - msgStart, msgStart);
        spans.push(msgStart, w.pos);
        ranges.push(firstPlaced, placed);
        msgStart = -1;
      };
      for (let j = 0; j < count; j++) {
        const i = indices ? indices[j] : j;
        if (msgStart < 0) {
          msgStart = w.pos;
          w.bytes(pre);
          w.buf.writeUInt16LE(type16, msgStart + 4);
          adtAt = w.pos;
          w.u16(0); w.u16(IPSET_ATTR_ADT | NLA_F_NESTED);
          inMsg = 0;
          firstPlaced = placed;
        }
        const at = w.pos;
        w.u32(0);
        const x = list[i];
        let ok = plain && typeof x === 'string' && writePlainIPv4(w, x);
        if (!ok) {
          try {
            const eo: EntryOptions = { ...perEntry?.[i] };
            const e = parseEntry(x, dims, ctx, eo);
            const own = entryOptionsOf(x);
            writeEntry(w, e, own || hasEntryOptions(eo) ? wireOptions(own, wireOptions(eo, common)) : common);
            ok = true;
          } catch (err) {
            w.pos = at;
            if (err instanceof IPSetSyntaxError) { fail(i, err); continue; }
            throw err;
          }
        }
        w.ensure(8);
        w.buf.writeUInt32LE(((IPSET_ATTR_LINENO | NLA_F_NET_BYTEORDER) << 16 | 8) >>> 0, w.pos);
        w.buf.writeUInt32BE(i + 1, w.pos + 4);
        w.pos += 8;
        w.buf.writeUInt32LE((((IPSET_ATTR_DATA | NLA_F_NESTED) << 16) | (w.pos - at)) >>> 0, at);
        order[placed++] = i;
        inMsg++;
        if (w.pos - adtAt >= MAX_CONTAINER || inMsg >= cap) close();
      }
      close();
      return { bytes: w.buf, spans: Int32Array.from(spans), ranges: Int32Array.from(ranges), n: placed, order };
    };

    let done = 0;
    const retry: number[] = [];
    const send = async (indices: number[] | null, count: number, cap: number): Promise<void> => {
      const enc = encode(indices, count, cap);
      const nmsg = enc.spans.length / 2;
      if (nmsg === 0) return;
      const schema = new PreEncoded(enc.bytes, enc.spans);
      const items = new Array(nmsg);
      for (let k = 0; k < nmsg; k++) items[k] = { schema, spec: { type: type16, flags, k } };
      const results = await this.sock.batch(items, { acks: 'errors', chunk: cap === 1 ? 256 : MSG_PER_DATAGRAM });
      for (let k = 0; k < nmsg; k++) {
        const r = results[k];
        const lo = enc.ranges[2 * k], hi = enc.ranges[2 * k + 1];
        if (r.ok) { done += hi - lo; continue; }
        const seq = schema.seqs[k];
        const line = this.errLines.get(seq);
        this.errLines.delete(seq);
        if (line === undefined) {
          // Refused as a whole (no such set, protocol error): every element shares the error.
          for (let p = lo; p < hi; p++) fail(enc.order[p], IPSetError.from(r.error, cmd, { setName: name, typeName, index: enc.order[p] }));
          continue;
        }
        // The kernel stopped at the failed element: those before it are in, those after it go again.
        const bad = line - 1;
        let p = lo;
        for (; p < hi && enc.order[p] !== bad; p++) done++;
        if (p < hi) fail(bad, IPSetError.from(r.error, cmd, { setName: name, typeName, index: bad }));
        for (p++; p < hi; p++) retry.push(enc.order[p]);
      }
    };
    await send(null, list.length, perMessage);
    // The rest of interrupted containers, one element per message: a failure stops nothing else.
    const again = retry.splice(0);
    if (again.length) await send(again, again.length, 1);
    // Type-specific codes mean different things per type: name the real one.
    if (guessed && errors.some((x) => x.error instanceof IPSetError && x.error.errno >= IPSET_ERR_TYPE_SPECIFIC)) {
      typeName = (await this.typeOf(name).catch(() => undefined))?.type;
      for (const x of errors) {
        if (x.error instanceof IPSetError) x.error = new IPSetError(x.error.errno, cmd, { setName: name, typeName, extack: x.error.extack, index: x.index });
      }
    }
    errors.sort((a, b) => a.index - b.index);
    return { done, errors };
  }

  // ---- save / restore ---------------------------------------------------------------------------

  /** ipset(8)'s save text of one set or all (IPSET_CMD_SAVE): 'create ...' and 'add ...' lines. */
  async save(name?: string): Promise<string> {
    if (name !== undefined) checkName(name);
    return saveText(this.saveChunks(name));
  }

  /**
   * Run a restore text (ipset(8)'s save format, or any ipset commands one per line). Like
   * ipset restore it stops at the first failing line (IPSetRestoreError with its number);
   * runs of add/del lines go in bulk, so lines after the failing one in the same run may
   * already be applied. `exist` is ipset's -exist: no error for existing sets or elements.
   */
  async restore(text: string, opts: { exist?: boolean } = {}): Promise<{ commands: number }> {
    const cmds = parseRestore(text);
    const exclusive = !opts.exist;
    const known = new Map<string, string>();
    for (let i = 0; i < cmds.length; ) {
      const { line, command: c } = cmds[i];
      try {
        if (c.cmd === 'add' || c.cmd === 'del') {
          const entries: string[] = [];
          const per: (EntryOptions | undefined)[] = [];
          const lines: number[] = [];
          let j = i;
          for (; j < cmds.length; j++) {
            const d = cmds[j].command;
            if (d.cmd !== c.cmd || d.name !== c.name) break;
            entries.push(d.entry);
            per.push(Object.keys(d.opts).length ? d.opts : undefined);
            lines.push(cmds[j].line);
          }
          const stype = known.get(c.name);
          const run = await this.bulk(c.cmd === 'add' ? IPSET_CMD_ADD : IPSET_CMD_DEL, c.name, entries,
            { exclusive, stype }, per.some((x) => x) ? per : undefined);
          if (run.errors.length) {
            const first = run.errors[0];
            throw new IPSetRestoreError(lines[first.index], first.error);
          }
          i = j;
          continue;
        }
        switch (c.cmd) {
          case 'create':
            await this.create(c.name, { ...c.opts, exclusive });
            known.set(c.name, setType(c.opts.stype ?? 'hash:ip')?.name ?? '');
            break;
          case 'test':
            if (!(await this.test(c.name, c.entry, { ...c.opts, stype: known.get(c.name) || undefined }))) {
              throw new IPSetSyntaxError(`${c.entry} is NOT in set ${c.name}.`);
            }
            break;
          case 'destroy': await this.destroy(c.name, { exclusive }); if (c.name) known.delete(c.name); else known.clear(); break;
          case 'flush': await this.flush(c.name); break;
          case 'rename': await this.rename(c.name, c.name2); known.delete(c.name); break;
          case 'swap': await this.swap(c.name, c.name2); known.delete(c.name); known.delete(c.name2); break;
          default: throw new IPSetSyntaxError(`${c.cmd} is not allowed in restore mode`);
        }
      } catch (e) {
        if (e instanceof IPSetRestoreError) throw e;
        throw new IPSetRestoreError(line, e as Error);
      }
      i++;
    }
    return { commands: cmds.length };
  }

  // ---- listing ------------------------------------------------------------------------------------

  /**
   * List one set or all: `await ipset.list('foo')` gives [{header, entries}];
   * `for await (const e of ipset.list('foo'))` streams the entries.
   */
  list(name?: string, opts: { headersOnly?: boolean } = {}): IPSetListing {
    if (name !== undefined) checkName(name);
    return new IPSetListing(() => this.dumpChunks(IPSET_CMD_LIST, name, opts.headersOnly ?? false));
  }

  /** Header of a set: type, revision, family, sizes, references, number of entries. */
  async headers(name: string): Promise<IPSetHeader> {
    for await (const c of this.dumpChunks(IPSET_CMD_LIST, checkName(name), true)) return c.header;
    throw new IPSetError(2, IPSET_CMD_LIST, { setName: name });
  }

  /** Dump with IPSET_CMD_SAVE (what ipset save sends); same answers as list. */
  saveChunks(name?: string): AsyncGenerator<ListChunk> {
    return this.dumpChunks(IPSET_CMD_SAVE, name, false);
  }

  private async *dumpChunks(cmd: number, name: string | undefined, headersOnly: boolean): AsyncGenerator<ListChunk> {
    const { use } = await this.negotiate();
    const attrs: [string, unknown][] = [['IPSET_ATTR_PROTOCOL', use]];
    if (name !== undefined) attrs.push(['IPSET_ATTR_SETNAME', name]);
    if (headersOnly) attrs.push(['IPSET_ATTR_FLAGS', IPSET_FLAG_LIST_HEADER]);
    const headers = new Map<string, IPSetHeader>();
    const stream = this.sock.dump(ipsetMsg as AnySchema, { type: ipsetType(cmd), flags: NLM_F_ACK | NLM_F_DUMP, fields: NFGEN, attrs: attrs as AttrInput });
    try {
      for await (const m of stream) {
        const b = m.buf;
        const t = topAttrs(b, attrStart(m), m.offset + m.length);
        if (t.setname === undefined) continue;
        let h = headers.get(t.setname);
        let first = false;
        if (t.typename !== undefined) {
          h = new IPSetHeader(t.setname, t.typename, t.revision ?? 0, t.family !== undefined ? FAMILY_NAMES[t.family] : undefined, t.index);
          if (t.data) readHeader(h, b, t.data[0], t.data[1]);
          headers.set(t.setname, h);
          first = true;
        }
        if (!h) continue;
        const entries: IPSetEntry[] = [];
        if (t.adt) {
          const end = t.adt[1];
          for (let p = t.adt[0]; p + 4 <= end; ) {
            const len = b[p] | (b[p + 1] << 8);
            if (len < 4 || p + len > end) break;
            entries.push(new IPSetEntry(h, b, p + 4, p + len));
            p += (len + 3) & ~3;
          }
        }
        if (first || entries.length) yield { header: h, first, entries };
      }
    } catch (e) {
      throw ipsetError(e, cmd, { setName: name });
    }
  }
}

function ipsetError(e: unknown, cmd: number, ctx: { setName?: string; typeName?: string; detail?: string } = {}): unknown {
  if (e instanceof NetlinkError && !(e instanceof IPSetError)) return IPSetError.from(e, cmd, ctx);
  return e;
}

function hasWireOptions(o: WireOptions): boolean {
  return o.cadtFlags !== 0 || o.timeout !== undefined || o.packets !== undefined || o.bytes !== undefined || o.comment !== undefined
    || o.skbmark !== undefined || o.skbprio !== undefined || o.skbqueue !== undefined || o.nameref !== undefined;
}

function hasEntryOptions(o: EntryOptions): boolean {
  for (const k in o) if ((o as Record<string, unknown>)[k] !== undefined) return true;
  return false;
}

/** The create options given, by their table names. */
function createOptionsUsed(o: CreateOptions): CreateOption[] {
  const used: CreateOption[] = [];
  const add = (k: CreateOption, v: unknown): void => { if (v !== undefined && v !== null && v !== false) used.push(k); };
  add('range', o.range ?? o.bitmapPortsRange);
  add('hashsize', o.hashsize); add('maxelem', o.maxelem); add('netmask', o.netmask); add('bitmask', o.bitmask);
  add('markmask', o.markmask); add('size', o.size); add('timeout', o.timeout); add('counters', o.counters);
  add('comment', o.comment); add('skbinfo', o.skbinfo); add('forceadd', o.forceadd); add('bucketsize', o.bucketsize);
  add('initval', o.initval);
  return used;
}

function ipAttrValue(a: Uint8Array): [string, string][] {
  return a.length === 4 ? [['IPSET_ATTR_IPADDR_IPV4', `${a[0]}.${a[1]}.${a[2]}.${a[3]}`]] : [['IPSET_ATTR_IPADDR_IPV6', ipv6Text(a, 0)]];
}

function addrOf(s: string): Uint8Array {
  const a = parseIPv4(s.trim()) ?? parseIPv6(s.trim());
  if (!a) throw new IPSetSyntaxError(`cannot parse ${s}: not an IPv4 or IPv6 address`);
  return a;
}

/** IPSET_ATTR_DATA of a CREATE, in ipset(8)'s order (ascending attribute id). */
function createData(t: SetType, o: CreateOptions, family: number): [string, unknown][] {
  const d: [string, unknown][] = [];
  if (t.name === 'bitmap:port') {
    let r = o.bitmapPortsRange;
    if (!r && o.range !== undefined) {
      if (Array.isArray(o.range)) r = [Number(o.range[0]), Number(o.range[1])];
      else {
        const m = /^\s*(\w+)\s*-\s*(\w+)\s*$/.exec(String(o.range));
        if (!m) throw new IPSetSyntaxError(`range ${String(o.range)} is not FROM-TO`);
        r = [parseNumber(m[1], 65535), parseNumber(m[2], 65535)];
      }
    }
    if (r) {
      d.push(['IPSET_ATTR_PORT', uint(r[0], 'range', 65535)], ['IPSET_ATTR_PORT_TO', uint(r[1], 'range', 65535)]);
    }
  } else if (o.range !== undefined) {
    let from: Uint8Array, to: Uint8Array | undefined, cidr: number | undefined;
    if (Array.isArray(o.range)) {
      from = addrOf(String(o.range[0]));
      to = addrOf(String(o.range[1]));
    } else {
      const s = String(o.range).trim();
      const slash = s.indexOf('/');
      const dash = s.indexOf('-');
      if (slash > 0) { from = addrOf(s.slice(0, slash)); cidr = parseNumber(s.slice(slash + 1), 32); }
      else if (dash > 0) { from = addrOf(s.slice(0, dash)); to = addrOf(s.slice(dash + 1)); }
      else throw new IPSetSyntaxError(`range ${s} is not FROM-TO or IP/CIDR`);
    }
    if (from.length !== 4 || (to && to.length !== 4)) throw new IPSetSyntaxError(`${t.name} takes IPv4 ranges only`);
    d.push(['IPSET_ATTR_IP', ipAttrValue(from)]);
    if (to) d.push(['IPSET_ATTR_IP_TO', ipAttrValue(to)]);
    if (cidr !== undefined) d.push(['IPSET_ATTR_CIDR', cidr]);
  }
  if (o.timeout !== undefined) d.push(['IPSET_ATTR_TIMEOUT', uint(o.timeout, 'timeout', 2147483)]);
  let cadt = 0;
  if (o.counters) cadt |= IPSET_FLAG_WITH_COUNTERS;
  if (o.comment) cadt |= IPSET_FLAG_WITH_COMMENT;
  if (o.forceadd) cadt |= IPSET_FLAG_WITH_FORCEADD;
  if (o.skbinfo) cadt |= IPSET_FLAG_WITH_SKBINFO;
  if (cadt) d.push(['IPSET_ATTR_CADT_FLAGS', cadt]);
  if (o.markmask !== undefined) d.push(['IPSET_ATTR_MARKMASK', uint(o.markmask, 'markmask')]);
  if (o.bitmask !== undefined) {
    const a = addrOf(o.bitmask);
    if ((family === NFPROTO_IPV6) !== (a.length === 16)) throw new IPSetSyntaxError(`bitmask is not valid for family = ${FAMILY_NAMES[family] ?? 'unspec'}`);
    d.push(['IPSET_ATTR_BITMASK', ipAttrValue(a)]);
  }
  if (o.initval !== undefined) d.push(['IPSET_ATTR_INITVAL', uint(o.initval, 'initval')]);
  if (o.hashsize !== undefined) d.push(['IPSET_ATTR_HASHSIZE', uint(o.hashsize, 'hashsize')]);
  if (o.maxelem !== undefined) d.push(['IPSET_ATTR_MAXELEM', uint(o.maxelem, 'maxelem')]);
  if (o.netmask !== undefined) {
    const max = family === NFPROTO_IPV6 ? 128 : 32;
    if (!Number.isInteger(o.netmask) || o.netmask < 1 || o.netmask > max) throw new IPSetSyntaxError(`netmask is out of the inclusive range of 1-${max}`);
    if (o.bitmask !== undefined) throw new IPSetSyntaxError('bitmask and netmask are mutually exclusive, provide only one');
    d.push(['IPSET_ATTR_NETMASK', o.netmask]);
  }
  if (o.bucketsize !== undefined) d.push(['IPSET_ATTR_BUCKETSIZE', uint(o.bucketsize, 'bucketsize', 255)]);
  if (o.size !== undefined) d.push(['IPSET_ATTR_SIZE', uint(o.size, 'size')]);
  return d;
}
