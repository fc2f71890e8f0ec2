// GenericNetlinkSocket: a NETLINK_GENERIC socket that speaks in family names. It resolves
// names to the kernel's dynamic ids (cached), parses each family's answers with the classes
// registered for it, and joins multicast groups by name.
import {
  NETLINK_GENERIC,
  NLM_F_ACK,
  NLM_F_DUMP,
  NetlinkEncodeError,
  NetlinkError,
  NetlinkSocket,
  describeCalls,
  type AnyMessage,
  type AnySchema,
  type AttrInput,
  type Marshal,
  type NetlinkSocketOptions,
  type RequestOptions,
  type Subscription,
} from '../core/index.js';
import { CTRL_CMD_GETFAMILY, CTRL_CMD_GETPOLICY, GENL_ID_CTRL, GENL_NAMSIZ } from './constants.js';
import { ctrlmsg } from './ctrlmsg.js';
import { GENL_SOCKET_CALLS } from './describe.js';
import { GenlFamilyNotFoundError, GenlGroupNotFoundError } from './errors.js';
import { familyFromMessage, type CtrlMessage, type GenlFamily } from './family.js';
import { commandByName, commandSelector, genlmsg, schemaForCommand, type GenlSchemas } from './genlmsg.js';
import { genlMarshal } from './marshal.js';
import { policyFromMessages, type GenlPolicy } from './policy.js';

const ENOENT = 2;
/** nlctrl's own version (CTRL_ATTR_VERSION of nlctrl); 2 has GETPOLICY. */
const CTRL_VERSION = 2;

export type GenericNetlinkSocketOptions = Omit<NetlinkSocketOptions, 'protocol' | 'marshal'>;

export interface GenlRequestOptions extends RequestOptions {
  /** nlmsg flags (NLM_F_REQUEST is always added); default NLM_F_ACK. */
  flags?: number;
  /** Ask for a dump (adds NLM_F_DUMP; no ACK unless `flags` has it). */
  dump?: boolean;
  /** genlmsghdr.version; default: the family's version as the kernel reports it. */
  version?: number;
  /** Encode with this class instead of the one registered for the family and command. */
  schema?: AnySchema;
}

/**
 * A generic netlink socket.
 *
 *     await using genl = new GenericNetlinkSocket();
 *     genl.register('TASKSTATS', { [TASKSTATS_CMD_GET]: cmdSchema, [TASKSTATS_CMD_NEW]: msgSchema });
 *     const [answer] = await genl.request('TASKSTATS', 'TASKSTATS_CMD_GET', { TASKSTATS_CMD_ATTR_PID: pid }, { flags: 0 });
 */
export class GenericNetlinkSocket {
  /** The underlying socket, for anything this class does not cover. */
  readonly socket: NetlinkSocket;
  /** This socket's message policy: nlctrl plus the families registered and resolved. */
  readonly marshal: Marshal;
  private readonly families = new Map<string, Promise<GenlFamily>>();
  private readonly byId = new Map<number, GenlFamily>();
  private readonly schemas = new Map<string, GenlSchemas>();

  constructor(opts: GenericNetlinkSocketOptions = {}) {
    this.marshal = genlMarshal();
    this.socket = new NetlinkSocket({ ...opts, protocol: NETLINK_GENERIC, marshal: this.marshal });
  }

  /** Our netlink port id. */
  get portId(): number {
    return this.socket.portId;
  }

  /**
   * The family of that name (id, version, ops, multicast groups), asked of nlctrl once per
   * socket; concurrent calls share one request. Throws GenlFamilyNotFoundError if the kernel
   * has no such family.
   */
  resolve(name: string): Promise<GenlFamily> {
    let p = this.families.get(name);
    if (!p) {
      const q = this.lookup(name);
      this.families.set(name, q);
      // A failed lookup is not cached: the module may be loaded later.
      q.catch(() => {
        if (this.families.get(name) === q) this.families.delete(name);
      });
      p = q;
    }
    return p;
  }

  private async lookup(name: string): Promise<GenlFamily> {
    if (typeof name !== 'string' || name === '' || name.includes('\0') || Buffer.byteLength(name) >= GENL_NAMSIZ) {
      throw new GenlFamilyNotFoundError(String(name), {}, `a family name is 1 to ${GENL_NAMSIZ - 1} bytes without NUL`);
    }
    let answer: CtrlMessage[];
    try {
      answer = await this.socket.request(ctrlmsg, {
        type: GENL_ID_CTRL,
        fields: { cmd: CTRL_CMD_GETFAMILY, version: CTRL_VERSION },
        attrs: { CTRL_ATTR_FAMILY_NAME: name },
      });
    } catch (e) {
      if (e instanceof NetlinkError && e.errno === ENOENT) throw new GenlFamilyNotFoundError(name, e.extack);
      throw e;
    }
    const m = answer.find((x) => x.type === GENL_ID_CTRL);
    if (!m) throw new GenlFamilyNotFoundError(name, {}, 'nlctrl answered without a family description');
    return this.learn(familyFromMessage(m));
  }

  /** Remember a family's id, and parse its messages with its registered classes from now on. */
  private learn(f: GenlFamily): GenlFamily {
    this.byId.set(f.id, f);
    const s = this.schemas.get(f.name);
    if (s) this.marshal.register(f.id, commandSelector(s));
    return f;
  }

  /** A family this socket has already resolved, by id. */
  familyById(id: number): GenlFamily | undefined {
    return this.byId.get(id);
  }

  /** Drop cached families (all, or one), e.g. after a module was reloaded with a new id. */
  forget(name?: string): void {
    if (name === undefined) {
      this.families.clear();
      this.byId.clear();
      return;
    }
    this.families.delete(name);
    for (const [id, f] of this.byId) if (f.name === name) this.byId.delete(id);
  }

  /** Every family the kernel has (a CTRL_CMD_GETFAMILY dump); also fills the cache. */
  async listFamilies(opts: RequestOptions = {}): Promise<GenlFamily[]> {
    const msgs = await this.socket.request(
      ctrlmsg,
      {
        type: GENL_ID_CTRL,
        flags: NLM_F_DUMP,
        fields: { cmd: CTRL_CMD_GETFAMILY, version: CTRL_VERSION },
      },
      opts,
    );
    const out = msgs.filter((m) => m.type === GENL_ID_CTRL).map((m) => this.learn(familyFromMessage(m)));
    for (const f of out) if (!this.families.has(f.name)) this.families.set(f.name, Promise.resolve(f));
    return out;
  }

  /**
   * Parse this family's messages with `schemas`: one class, or one per command
   * (`{ [CMD_GET]: request, [CMD_NEW]: reply }`). Takes effect once the family is resolved.
   */
  register(familyName: string, schemas: GenlSchemas): void {
    this.schemas.set(familyName, schemas);
    for (const f of this.byId.values())
      if (f.name === familyName) this.marshal.register(f.id, commandSelector(schemas));
  }

  /** The command number for a number or a name known to the family's registered classes. */
  private command(familyName: string, cmd: number | string, schema?: AnySchema): number {
    if (typeof cmd === 'number') return cmd;
    const n = commandByName(schema ?? this.schemas.get(familyName), cmd);
    if (n === undefined)
      throw new NetlinkEncodeError(
        `family ${familyName} has no command named ${cmd} (register its classes first)`,
        familyName,
      );
    return n;
  }

  private async spec(
    familyName: string,
    cmd: number | string,
    attrs: AttrInput<any> | undefined,
    opts: GenlRequestOptions,
    flags: number,
  ) {
    const fam = await this.resolve(familyName);
    const cmdNum = this.command(familyName, cmd, opts.schema);
    const schema = opts.schema ?? schemaForCommand(this.schemas.get(familyName), cmdNum) ?? genlmsg;
    return {
      schema,
      spec: { type: fam.id, flags, fields: { cmd: cmdNum, version: opts.version ?? fam.version }, attrs },
    };
  }

  /**
   * Send one command to a family by name and collect the answer (every message of a dump
   * with `{ dump: true }`). Kernel errors throw NetlinkError.
   */
  async request<M extends AnyMessage = AnyMessage>(
    familyName: string,
    cmd: number | string,
    attrs?: AttrInput<any>,
    opts: GenlRequestOptions = {},
  ): Promise<M[]> {
    const flags = opts.dump ? (opts.flags ?? 0) | NLM_F_DUMP : (opts.flags ?? NLM_F_ACK);
    const { schema, spec } = await this.spec(familyName, cmd, attrs, opts, flags);
    return (await this.socket.request(schema, spec, opts)) as M[];
  }

  /** A dump streamed as it arrives (bounded memory for big dumps). */
  async *dump<M extends AnyMessage = AnyMessage>(
    familyName: string,
    cmd: number | string,
    attrs?: AttrInput<any>,
    opts: GenlRequestOptions = {},
  ): AsyncGenerator<M> {
    const { schema, spec } = await this.spec(familyName, cmd, attrs, opts, opts.flags ?? 0);
    yield* this.socket.dump(schema, spec, opts) as AsyncIterableIterator<M>;
  }

  /**
   * Join a family's multicast groups by name; the subscription yields only that family's
   * messages. Throws GenlGroupNotFoundError for a group the family does not have.
   */
  async subscribe<M extends AnyMessage = AnyMessage>(
    familyName: string,
    groups: string | readonly string[],
  ): Promise<Subscription<M>> {
    const fam = await this.resolve(familyName);
    const ids = (typeof groups === 'string' ? [groups] : groups).map((g) => {
      const id = Object.hasOwn(fam.mcastGroups, g) ? fam.mcastGroups[g] : undefined;
      if (id === undefined) throw new GenlGroupNotFoundError(familyName, g, Object.keys(fam.mcastGroups));
      return id;
    });
    return this.socket.subscribe<M>(ids, (m) => m.type === fam.id);
  }

  /** The family's attribute policies (CTRL_CMD_GETPOLICY), for all commands or one. */
  async getPolicy(familyName: string, cmd?: number, opts: RequestOptions = {}): Promise<GenlPolicy> {
    const fam = await this.resolve(familyName);
    try {
      const msgs = await this.socket.request(
        ctrlmsg,
        {
          type: GENL_ID_CTRL,
          flags: NLM_F_DUMP,
          fields: { cmd: CTRL_CMD_GETPOLICY, version: CTRL_VERSION },
          attrs: { CTRL_ATTR_FAMILY_ID: fam.id, CTRL_ATTR_OP: cmd },
        },
        opts,
      );
      return policyFromMessages(msgs.filter((m) => m.type === GENL_ID_CTRL));
    } catch (e) {
      // The family went away between resolve and the dump.
      if (e instanceof NetlinkError && e.errno === ENOENT && cmd === undefined)
        throw new GenlFamilyNotFoundError(familyName, e.extack);
      throw e;
    }
  }

  /** Close the socket: pending requests fail with SocketClosedError, subscriptions end. */
  close(): void {
    this.socket.close();
  }

  get isClosed(): boolean {
    return this.socket.isClosed;
  }

  [Symbol.dispose](): void {
    this.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}

// Kernel errors of these calls name the call and point at the caller's line (src/genl/describe.ts).
describeCalls(GenericNetlinkSocket, GENL_SOCKET_CALLS);
