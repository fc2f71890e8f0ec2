// The IPSet class: every ipset command over nfnetlink, with ipset(8)'s wire format,
// ipset(8)'s error texts, bulk adds and streamed listings.
import {
  Marshal,
  NETLINK_NETFILTER,
  NLA_F_NESTED,
  NLMSG_ERROR,
  NLMSG_HDRLEN,
  NLM_F_ACK,
  NLM_F_CREATE,
  NLM_F_DUMP,
  NLM_F_EXCL,
  NetlinkError,
  NetlinkSocket,
  Writer,
  describeCalls,
  type AnyMessage,
  type AnySchema,
  type AttrInput,
  type Transport,
} from '../core/index.js';
import {
  BULK_WINDOW,
  MSG_PER_DATAGRAM,
  PreEncoded,
  containerPrefix,
  encodeContainers,
  hasWireOptions,
  type BulkPlan,
  type Containers,
} from './bulk.js';
import {
  IPSET_ATTR_DATA,
  IPSET_CMD_ADD,
  IPSET_CMD_CREATE,
  IPSET_CMD_DEL,
  IPSET_CMD_DESTROY,
  IPSET_CMD_FLUSH,
  IPSET_CMD_GET_BYINDEX,
  IPSET_CMD_GET_BYNAME,
  IPSET_CMD_HEADER,
  IPSET_CMD_LIST,
  IPSET_CMD_PROTOCOL,
  IPSET_CMD_RENAME,
  IPSET_CMD_SAVE,
  IPSET_CMD_SWAP,
  IPSET_CMD_TEST,
  IPSET_CMD_TYPE,
  IPSET_ERR_EXIST,
  IPSET_ERR_FIND_TYPE,
  IPSET_ERR_PROTOCOL,
  IPSET_ERR_TYPE_SPECIFIC,
  IPSET_FLAG_LIST_HEADER,
  IPSET_MAXNAMELEN,
  IPSET_PROTOCOL,
  IPSET_PROTOCOL_MIN,
  NFPROTO_IPV4,
  NFPROTO_IPV6,
  NFPROTO_UNSPEC,
} from './constants.js';
import {
  FAMILY_NAMES,
  createData,
  createOptionsUsed,
  familyNumber,
  type CreateOptions,
  type Family,
} from './create.js';
import { writeEntry } from './encode.js';
import {
  entryOptionsOf,
  parseEntry,
  wireOptions,
  type EntryFields,
  type EntryInput,
  type EntryOptions,
} from './entries.js';
import { IPSET_CALLS } from './describe.js';
import { IPSetError, IPSetSyntaxError, IPSetUnsupportedError } from './errors.js';
import { ipsetMsg, ipsetPolicy, ipsetSchemaFor, ipsetType } from './ipset_msg.js';
import { IPSetHeader, IPSetListing, attrStart, messageChunk, readHeader, topAttrs, type ListChunk } from './listing.js';
import { IPSetRestoreError, parseRestore, saveText } from './save.js';
import { checkAddOptions, checkCreateOptions } from './specs.js';
import {
  SET_TYPES,
  etypeOf,
  parseEtype,
  setType,
  type Dim,
  type Etype,
  type SetType,
  type SetTypeName,
} from './types.js';

export interface IPSetOptions {
  /** Network namespace (name under /var/run/netns, a path, or an fd): the socket is opened there. */
  netns?: string | number;
  /** Talk through this transport instead of a kernel socket (replay, tests). */
  transport?: Transport;
  /** Request timeout in ms (default: none). */
  timeout?: number;
}

export interface AddOptions extends EntryOptions {
  /** Element type ('ip', 'net,port', ...); default: asked from the kernel (the set's type). */
  etype?: Etype;
  /** The set's type, when known: saves asking the kernel (and names it in error messages). */
  stype?: SetTypeName;
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

function checkName(name: unknown, what = 'setname'): string {
  if (typeof name !== 'string' || !name) throw new IPSetSyntaxError(`${what} must be a non-empty string`);
  if (Buffer.byteLength(name) > IPSET_MAXNAMELEN - 1)
    throw new IPSetSyntaxError(`${what} '${name}' is longer than ${IPSET_MAXNAMELEN - 1} characters`);
  return name;
}

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

  /** The namespace the socket was opened in: iface indexes are resolved there. */
  private readonly netns: string | number | undefined;

  constructor(opts: IPSetOptions = {}) {
    this.netns = opts.netns;
    const marshal = new Marshal(ipsetPolicy(), { fixup: (m) => this.noteError(m) });
    this.sock = new NetlinkSocket({
      protocol: NETLINK_NETFILTER,
      netns: opts.netns,
      transport: opts.transport,
      marshal,
      timeout: opts.timeout,
    });
  }

  /** ipset answers a failed element of an ADT container with the request echoed, its LINENO set to the element's. */
  private noteError(m: AnyMessage): void {
    if (m.type !== NLMSG_ERROR || m.length < NLMSG_HDRLEN + 4 + NLMSG_HDRLEN + 4) return;
    const b = m.buf,
      req = m.offset + NLMSG_HDRLEN + 4;
    const reqLen = b.readUInt32LE(req);
    const reqType = b.readUInt16LE(req + 4);
    if (reqType >> 8 !== 6 || req + reqLen > m.offset + m.length || b.readInt32LE(m.offset + NLMSG_HDRLEN) === 0)
      return;
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
        const [m] = await this.sock.request(ipsetMsg, {
          type: ipsetType(IPSET_CMD_PROTOCOL),
          flags: 0,
          fields: NFGEN,
          attrs: [['IPSET_ATTR_PROTOCOL', v]],
        });
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
        r = await ask(IPSET_PROTOCOL_MIN).catch((e2) => {
          throw ipsetError(e2, IPSET_CMD_PROTOCOL);
        });
      }
      const use = Math.min(IPSET_PROTOCOL, r.kernel);
      if (use < IPSET_PROTOCOL_MIN || r.min > IPSET_PROTOCOL) {
        throw new IPSetUnsupportedError(
          `Cannot communicate with kernel: Kernel support protocol versions ${r.min}-${r.kernel} while userspace supports protocol versions ${IPSET_PROTOCOL_MIN}-${IPSET_PROTOCOL}`,
        );
      }
      return { use, ...r };
    })();
    this.proto.catch(() => {
      this.proto = undefined;
    });
    return this.proto;
  }

  /** The kernel's ipset protocol version (7 on current kernels, 6 on old ones). */
  async getProtocolVersion(): Promise<number> {
    return (await this.negotiate()).kernel;
  }

  /** Send one command with IPSET_ATTR_PROTOCOL first; errors become IPSetError. */
  private async cmd(
    cmd: number,
    attrs: [string | number, unknown][],
    flags: number,
    ctx: { setName?: string; typeName?: string; detail?: string } = {},
  ): Promise<AnyMessage[]> {
    const { use } = await this.negotiate();
    const schema: AnySchema = ipsetSchemaFor(cmd);
    try {
      return await this.sock.request(schema, {
        type: ipsetType(cmd),
        flags,
        fields: NFGEN,
        attrs: [['IPSET_ATTR_PROTOCOL', use], ...attrs] as AttrInput,
      });
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
        const [m] = await this.cmd(
          IPSET_CMD_TYPE,
          [
            ['IPSET_ATTR_TYPENAME', name],
            ['IPSET_ATTR_FAMILY', fam],
          ],
          0,
          { typeName: name, detail: `${name}, family ${FAMILY_NAMES[fam] ?? 'unspec'}` },
        );
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
    opts = checkCreateOptions(opts);
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
      if (!ok)
        throw new IPSetSyntaxError(
          `${o} parameter is not allowed in command create with set type ${t.name} and family ${famName}`,
        );
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
        throw new IPSetError(e.errno, IPSET_CMD_CREATE, {
          setName: name,
          typeName: t.name,
          detail: `${t.name} is not available in this kernel`,
        });
      }
      throw e;
    }
    const revision = Math.min(t.revision, kmax);
    if (revision < kmin) {
      throw new IPSetUnsupportedError(
        `Kernel supports revisions ${kmin}-${kmax} of ${t.name}, ipset 7.17 knows up to ${t.revision}`,
      );
    }
    for (const o of asked) {
      const since = t.since[o];
      if (since !== undefined && since > revision) {
        throw new IPSetUnsupportedError(
          `Argument \`${o}' is supported in the kernel module of the set type ${t.name} starting from the revision ${since} and you have installed revision ${revision} only. Your kernel is behind your ipset utility.`,
        );
      }
    }
    const data = createData(t, opts, family);
    await this.cmd(
      IPSET_CMD_CREATE,
      [
        ['IPSET_ATTR_SETNAME', name],
        ['IPSET_ATTR_TYPENAME', t.name],
        ['IPSET_ATTR_REVISION', revision],
        ['IPSET_ATTR_FAMILY', family],
        ['IPSET_ATTR_DATA', data],
      ],
      NLM_F_ACK | NLM_F_CREATE | (opts.exclusive === false ? 0 : NLM_F_EXCL),
      { setName: name, typeName: t.name },
    );
  }

  /** Destroy a set, or every set (not referenced by the kernel) when no name is given. */
  async destroy(name?: string, opts: { exclusive?: boolean } = {}): Promise<void> {
    await this.cmd(
      IPSET_CMD_DESTROY,
      name === undefined ? [] : [['IPSET_ATTR_SETNAME', checkName(name)]],
      NLM_F_ACK | (opts.exclusive === false ? 0 : NLM_F_EXCL),
      { setName: name },
    );
  }

  /** Remove every element of a set, or of every set. */
  async flush(name?: string): Promise<void> {
    await this.cmd(IPSET_CMD_FLUSH, name === undefined ? [] : [['IPSET_ATTR_SETNAME', checkName(name)]], NLM_F_ACK, {
      setName: name,
    });
  }

  /** Rename a set. */
  async rename(from: string, to: string): Promise<void> {
    await this.cmd(
      IPSET_CMD_RENAME,
      [
        ['IPSET_ATTR_SETNAME', checkName(from)],
        ['IPSET_ATTR_SETNAME2', checkName(to, 'new setname')],
      ],
      NLM_F_ACK,
      { setName: from },
    );
  }

  /** Swap two sets' contents (types must match). */
  async swap(a: string, b: string): Promise<void> {
    await this.cmd(
      IPSET_CMD_SWAP,
      [
        ['IPSET_ATTR_SETNAME', checkName(a)],
        ['IPSET_ATTR_SETNAME2', checkName(b)],
      ],
      NLM_F_ACK,
      { setName: a },
    );
  }

  // ---- elements ---------------------------------------------------------------------------------

  /** Type name, revision and family of a set (IPSET_CMD_HEADER, as ipset(8) asks before add/del/test). */
  async typeOf(name: string): Promise<{ type: string; revision: number; family: number }> {
    const [m] = await this.cmd(IPSET_CMD_HEADER, [['IPSET_ATTR_SETNAME', checkName(name)]], 0, { setName: name });
    const a = topAttrs(m.buf, attrStart(m), m.offset + m.length);
    return { type: a.typename ?? '', revision: a.revision ?? 0, family: a.family ?? 0 };
  }

  /** A set's kernel index and family (IPSET_CMD_GET_BYNAME, protocol 7). */
  async getSetByName(name: string): Promise<{ index: number; family: 'inet' | 'inet6' | undefined }> {
    await this.needProtocol7('getSetByName');
    const [m] = await this.cmd(IPSET_CMD_GET_BYNAME, [['IPSET_ATTR_SETNAME', checkName(name)]], 0, { setName: name });
    const a = topAttrs(m.buf, attrStart(m), m.offset + m.length);
    if (a.index === undefined) throw new IPSetError(IPSET_ERR_PROTOCOL, IPSET_CMD_GET_BYNAME, { setName: name });
    return { index: a.index, family: a.family !== undefined ? FAMILY_NAMES[a.family] : undefined };
  }

  /** The name of the set at a kernel index (IPSET_CMD_GET_BYINDEX, protocol 7). */
  async getSetByIndex(index: number): Promise<string> {
    if (!Number.isInteger(index) || index < 0 || index > 0xfffe)
      throw new IPSetSyntaxError(`'${index}' is out of range 0-65534`);
    await this.needProtocol7('getSetByIndex');
    const [m] = await this.cmd(IPSET_CMD_GET_BYINDEX, [['IPSET_ATTR_INDEX', index]], 0);
    const a = topAttrs(m.buf, attrStart(m), m.offset + m.length);
    if (a.setname === undefined) throw new IPSetError(IPSET_ERR_PROTOCOL, IPSET_CMD_GET_BYINDEX);
    return a.setname;
  }

  private async needProtocol7(what: string): Promise<void> {
    if ((await this.negotiate()).use < 7)
      throw new IPSetUnsupportedError(`${what} needs ipset protocol 7; this kernel speaks 6`);
  }

  /** Dimensions and type of the elements to send: from `etype`, else from the set itself. */
  private async elementType(
    name: string,
    opts: AddOptions,
  ): Promise<{ dims: readonly Dim[]; type?: SetType; family: number; guessed?: boolean }> {
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
      const type =
        SET_TYPES.find((t) => t.kind === 'hash' && t.dims.join(',') === key) ??
        SET_TYPES.find((t) => t.dims.join(',') === key);
      return {
        dims,
        type: type && { ...type, required: dims.length },
        family: familyNumber(opts.family, 0),
        guessed: true,
      };
    }
    const h = await this.typeOf(name);
    const type = setType(h.type);
    if (!type) throw new IPSetUnsupportedError(`set ${name} has type ${h.type}, which this library does not know`);
    return { dims: type.dims, type, family: h.family };
  }

  private async adt(
    cmd: number,
    name: string,
    entry: EntryInput,
    opts: AddOptions,
    flags: number,
  ): Promise<AnyMessage[]> {
    checkName(name);
    const { dims, type, family } = await this.elementType(name, opts);
    const eopts: EntryOptions = { ...opts };
    if (dims.includes('iface')) [entry] = await this.ifaceNames([entry], dims, name);
    const e = parseEntry(
      entry,
      dims,
      { kind: type?.kind, family, typeName: type?.name, required: type?.required },
      eopts,
    );
    const wo = wireOptions(entryOptionsOf(entry), wireOptions(eopts));
    const w = new Writer(256);
    writeEntry(w, e, wo, cmd === IPSET_CMD_TEST ? undefined : 0);
    try {
      return await this.cmd(
        cmd,
        [
          ['IPSET_ATTR_SETNAME', name],
          [IPSET_ATTR_DATA | NLA_F_NESTED, w.toBuffer()],
        ],
        flags,
        { setName: name, typeName: type?.name },
      );
    } catch (e) {
      if (e instanceof IPSetError && opts.etype !== undefined && e.errno === IPSET_ERR_PROTOCOL)
        throw await this.etypeError(name, opts.etype, e);
      // Type-specific codes need the real type for ipset(8)'s words.
      if (e instanceof IPSetError && opts.etype !== undefined && e.errno >= IPSET_ERR_TYPE_SPECIFIC) {
        const real = await this.typeOf(name).catch(() => undefined);
        if (real) throw new IPSetError(e.errno, cmd, { setName: name, typeName: real.type, extack: e.extack });
      }
      throw e;
    }
  }

  /**
   * Elements whose iface part is an index, with the index replaced by the interface's name in
   * the set's namespace (hash:net,iface takes names); the others as given. An index with no
   * interface is refused before anything is sent.
   */
  private async ifaceNames(list: readonly EntryInput[], dims: readonly Dim[], set: string): Promise<EntryInput[]> {
    const at = dims.indexOf('iface');
    const indexOf = (e: EntryInput): number | undefined => {
      const v = Array.isArray(e) ? e[at] : isPlainObject(e) ? (e as EntryFields).iface : undefined;
      return typeof v === 'number' ? v : undefined;
    };
    const wanted = new Set<number>();
    for (const e of list) {
      const i = indexOf(e);
      if (i !== undefined) wanted.add(i);
    }
    if (!wanted.size) return list as EntryInput[];
    const names = await this.interfaceNames(wanted, set);
    return list.map((e) => {
      const i = indexOf(e);
      if (i === undefined) return e;
      if (Array.isArray(e)) return e.map((p, k) => (k === at ? names.get(i)! : p));
      return { ...(e as EntryFields), iface: names.get(i)! };
    });
  }

  /** Interface names by index, read with rtnetlink in this socket's namespace. */
  private async interfaceNames(indexes: ReadonlySet<number>, set: string): Promise<Map<number, string>> {
    for (const i of indexes)
      if (!Number.isInteger(i) || i <= 0 || i > 0x7fffffff)
        throw new IPSetSyntaxError(`set ${set}: interface index ${i} is not a positive integer`);
    // Loaded on first use: ipset alone does not load the rtnetlink protocol.
    const { IPRoute } = await import('../rtnl/iproute.js');
    const ipr = new IPRoute({ netns: this.netns });
    const out = new Map<number, string>();
    try {
      for (const i of indexes) {
        try {
          out.set(i, await ipr.ifname(i));
        } catch (e) {
          if (e instanceof NetlinkError && e.code === 'ENODEV')
            throw new NetlinkError(e.errno, {}, undefined, `set ${set}: no interface with index ${i} in its namespace`);
          throw e;
        }
      }
    } finally {
      ipr.close();
    }
    return out;
  }

  /** The kernel could not read the element: say when that is because `etype` is not the set's. */
  private async etypeError(name: string, etype: Etype, e: IPSetError): Promise<Error> {
    const real = await this.typeOf(name).catch(() => undefined);
    const t = real && setType(real.type);
    const given = parseEtype(etype)?.join(',');
    if (!t || given === etypeOf(t)) return e;
    return new IPSetSyntaxError(
      `etype '${given}' does not match set ${name}: its type ${t.name} takes elements of type '${etypeOf(t)}'`,
    );
  }

  /** Add an element. `exclusive` (default true) fails if it is already there. */
  async add(name: string, entry: EntryInput, opts: AddOptions = {}): Promise<void> {
    checkAddOptions('add', opts);
    await this.adt(IPSET_CMD_ADD, name, entry, opts, NLM_F_ACK | (opts.exclusive === false ? 0 : NLM_F_EXCL));
  }

  /** Delete an element. `exclusive` (default true) fails if it is not there. */
  async delete(name: string, entry: EntryInput, opts: AddOptions = {}): Promise<void> {
    checkAddOptions('del', opts);
    await this.adt(IPSET_CMD_DEL, name, entry, opts, NLM_F_ACK | (opts.exclusive === false ? 0 : NLM_F_EXCL));
  }

  /** Whether an element is in the set: true or false, never an error for "not in set". */
  async test(name: string, entry: EntryInput, opts: AddOptions = {}): Promise<boolean> {
    checkAddOptions('test', opts);
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
    checkAddOptions('add', opts, true);
    return this.bulk(IPSET_CMD_ADD, name, entries, opts);
  }

  /** Delete many elements, as addMany adds them. */
  async deleteMany(name: string, entries: Iterable<EntryInput>, opts: AddManyOptions = {}): Promise<BulkResult> {
    checkAddOptions('del', opts, true);
    return this.bulk(IPSET_CMD_DEL, name, entries, opts);
  }

  private async bulk(
    cmd: number,
    name: string,
    input: Iterable<EntryInput>,
    opts: AddManyOptions,
    perEntry?: readonly (EntryOptions | undefined)[],
  ): Promise<BulkResult> {
    checkName(name);
    let list = Array.isArray(input) ? (input as EntryInput[]) : [...input];
    const { use } = await this.negotiate();
    const { dims, type, family, guessed } = await this.elementType(name, opts);
    if (dims.includes('iface')) list = await this.ifaceNames(list, dims, name);
    let typeName: string | undefined = guessed ? undefined : type?.name;
    const ctx = { kind: type?.kind, family, typeName, required: type?.required };
    const common = wireOptions(opts);
    const plain =
      dims.length === 1 &&
      (dims[0] === 'ip' || dims[0] === 'net') &&
      family !== NFPROTO_IPV6 &&
      !hasWireOptions(common) &&
      !perEntry;
    const flags = opts.exclusive === false ? 0 : NLM_F_EXCL;
    const errors: EntryError[] = [];
    const fail = (index: number, error: IPSetError | IPSetSyntaxError): void => {
      errors.push({ index, error });
    };

    const plan: BulkPlan = {
      list,
      dims,
      ctx,
      common,
      plain,
      perEntry,
      prefix: containerPrefix(name, use, ipsetType(cmd)),
    };
    const type16 = ipsetType(cmd);
    const perMessage = opts.perMessage ?? Infinity;
    const encode = (indices: ArrayLike<number> | null, base: number, count: number, cap: number): Containers =>
      encodeContainers(plan, indices, base, count, cap, fail);

    let done = 0;
    const retry: number[] = [];
    const send = async (indices: number[] | null, base: number, count: number, cap: number): Promise<void> => {
      const enc = encode(indices, base, count, cap);
      const nmsg = enc.spans.length / 2;
      if (nmsg === 0) return;
      const schema = new PreEncoded(enc.bytes, enc.spans);
      const items = new Array(nmsg);
      for (let k = 0; k < nmsg; k++) items[k] = { schema, spec: { type: type16, flags, k } };
      const results = await this.sock.batch(items, { acks: 'errors', chunk: cap === 1 ? 256 : MSG_PER_DATAGRAM });
      for (let k = 0; k < nmsg; k++) {
        const r = results[k];
        const lo = enc.ranges[2 * k],
          hi = enc.ranges[2 * k + 1];
        if (r.ok) {
          done += hi - lo;
          continue;
        }
        const seq = schema.seqs[k];
        const line = this.errLines.get(seq);
        this.errLines.delete(seq);
        if (line === undefined) {
          // Refused as a whole (no such set, protocol error): every element shares the error.
          for (let p = lo; p < hi; p++)
            fail(enc.order[p], IPSetError.from(r.error, cmd, { setName: name, typeName, index: enc.order[p] }));
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
    // In windows, so memory stays bounded for millions of elements.
    for (let base = 0; base < list.length; base += BULK_WINDOW)
      await send(null, base, Math.min(BULK_WINDOW, list.length - base), perMessage);
    // The rest of interrupted containers, one element per message: a failure stops nothing else.
    const again = retry.splice(0);
    for (let k = 0; k < again.length; k += BULK_WINDOW) {
      const part = again.slice(k, k + BULK_WINDOW);
      await send(part, 0, part.length, 1);
    }
    // Type-specific codes mean different things per type: name the real one.
    if (guessed && errors.some((x) => x.error instanceof IPSetError && x.error.errno >= IPSET_ERR_TYPE_SPECIFIC)) {
      typeName = (await this.typeOf(name).catch(() => undefined))?.type;
      for (const x of errors) {
        if (x.error instanceof IPSetError)
          x.error = new IPSetError(x.error.errno, cmd, {
            setName: name,
            typeName,
            extack: x.error.extack,
            index: x.index,
          });
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
    const known = new Map<string, SetTypeName | undefined>();
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
          const run = await this.bulk(
            c.cmd === 'add' ? IPSET_CMD_ADD : IPSET_CMD_DEL,
            c.name,
            entries,
            { exclusive, stype },
            per.some((x) => x) ? per : undefined,
          );
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
            known.set(c.name, setType(c.opts.stype ?? 'hash:ip')?.name);
            break;
          case 'test':
            if (!(await this.test(c.name, c.entry, { ...c.opts, stype: known.get(c.name) || undefined }))) {
              throw new IPSetSyntaxError(`${c.entry} is NOT in set ${c.name}.`);
            }
            break;
          case 'destroy':
            await this.destroy(c.name, { exclusive });
            if (c.name) known.delete(c.name);
            else known.clear();
            break;
          case 'flush':
            await this.flush(c.name);
            break;
          case 'rename':
            await this.rename(c.name, c.name2);
            known.delete(c.name);
            break;
          case 'swap':
            await this.swap(c.name, c.name2);
            known.delete(c.name);
            known.delete(c.name2);
            break;
          default:
            throw new IPSetSyntaxError(`${c.cmd} is not allowed in restore mode`);
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
    const stream = this.sock.dump(ipsetMsg as AnySchema, {
      type: ipsetType(cmd),
      flags: NLM_F_ACK | NLM_F_DUMP,
      fields: NFGEN,
      attrs: attrs as AttrInput,
    });
    try {
      for await (const m of stream) {
        const b = m.buf;
        const t = topAttrs(b, attrStart(m), m.offset + m.length);
        if (t.setname === undefined) continue;
        let h = headers.get(t.setname);
        let first = false;
        if (t.typename !== undefined) {
          h = new IPSetHeader(
            t.setname,
            t.typename,
            t.revision ?? 0,
            t.family !== undefined ? FAMILY_NAMES[t.family] : undefined,
            t.index,
          );
          if (t.data) readHeader(h, b, t.data[0], t.data[1]);
          headers.set(t.setname, h);
          first = true;
        }
        if (!h) continue;
        const c = messageChunk(h, first, b, t.adt?.[0] ?? 0, t.adt?.[1] ?? 0);
        if (first || c.hasEntries) yield c;
      }
    } catch (e) {
      throw ipsetError(e, cmd, { setName: name });
    }
  }
}

function ipsetError(
  e: unknown,
  cmd: number,
  ctx: { setName?: string; typeName?: string; detail?: string } = {},
): unknown {
  if (e instanceof NetlinkError && !(e instanceof IPSetError)) return IPSetError.from(e, cmd, ctx);
  return e;
}

// Kernel errors of these calls name the call and point at the caller's line (src/ipset/describe.ts).
describeCalls(IPSet, IPSET_CALLS);

function isPlainObject(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}
