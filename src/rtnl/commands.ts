// Shared by the neigh/fdb/rule/tc/nsid API functions: command words to netlink flags, and
// answers re-read with the right message class whatever marshal the socket was built with.
import {
  NLM_F_ACK,
  NLM_F_APPEND,
  NLM_F_CREATE,
  NLM_F_DUMP,
  NLM_F_EXCL,
  NLM_F_REPLACE,
  NLM_F_REQUEST,
  NetlinkEncodeError,
  type AnyMessage,
  type Message,
  type MessageSchema,
  type MessageSpec,
  type NetlinkSocket,
  type StructFields,
  type AttrDecl,
} from '../core/index.js';
import { meant } from './spec.js';

/** What a command does: create/replace/change/delete/get, or dump. */
export type Verb = 'new' | 'del' | 'get' | 'dump';

const COMMANDS: Readonly<Record<string, [Verb, number]>> = {
  add: ['new', NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL],
  create: ['new', NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL],
  append: ['new', NLM_F_ACK | NLM_F_CREATE | NLM_F_APPEND],
  set: ['new', NLM_F_ACK | NLM_F_REPLACE],
  change: ['new', NLM_F_ACK | NLM_F_REPLACE],
  replace: ['new', NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE],
  del: ['del', NLM_F_ACK],
  delete: ['del', NLM_F_ACK],
  remove: ['del', NLM_F_ACK],
  get: ['get', NLM_F_ACK],
  dump: ['dump', NLM_F_DUMP],
  show: ['dump', NLM_F_DUMP],
};

/** Every command word except 'get': objects that are written and dumped, never fetched one by one. */
export const WRITE_AND_DUMP: readonly string[] = Object.keys(COMMANDS).filter((c) => c !== 'get');

/** The verb and netlink flags of a command word ('add', 'replace', 'del', 'dump', ...). */
export function command(cmd: string, allowed?: readonly string[]): { verb: Verb; flags: number } {
  const c = COMMANDS[cmd];
  if (!c || (allowed && !allowed.includes(cmd))) {
    throw new NetlinkEncodeError(
      `unknown command ${JSON.stringify(cmd)} (${(allowed ?? Object.keys(COMMANDS)).join(', ')})`,
    );
  }
  return { verb: c[0], flags: c[1] };
}

/** The message types of one object: its NEW, DEL and GET. */
export interface ObjectTypes {
  new: number;
  del: number;
  get: number;
}

/**
 * Type and header flags of a request for one object ('add', 'replace', 'del', 'get'...): a
 * get asks for the object itself (no ACK, the answer is the object); dumps are not built here.
 * `own` gives the commands an object has unlike the others (type, and flags but the request bit).
 */
export function requestHead(
  what: string,
  cmd: string,
  allowed: readonly string[],
  types: ObjectTypes,
  own: Readonly<Record<string, { type: number; flags: number }>> = {},
): { type: number; flags: number } {
  if (!allowed.includes(cmd) || !(cmd in COMMANDS || Object.hasOwn(own, cmd))) {
    throw new TypeError(`unknown ${what} command ${JSON.stringify(cmd)} (${allowed.join(', ')})`);
  }
  if (Object.hasOwn(own, cmd)) return { type: own[cmd].type, flags: NLM_F_REQUEST | own[cmd].flags };
  const { verb, flags } = command(cmd);
  if (verb === 'get') return { type: types.get, flags: NLM_F_REQUEST };
  if (verb === 'dump') throw new TypeError(`${what} ${cmd}: a dump has no single request`);
  return { type: types[verb], flags: NLM_F_REQUEST | flags };
}

/** Answers as messages of `schema` (the socket's marshal may not know this class). */
export function typed<H extends StructFields, D extends AttrDecl>(
  schema: MessageSchema<H, D>,
  msgs: readonly AnyMessage[],
): Message<H, D>[] {
  return msgs.map((m) => (m.schema === schema ? m : schema.decode(m.buf, m.offset)) as Message<H, D>);
}

/** A request as the API functions build it (names checked by the schema at encode time). */
export interface Req {
  type: number;
  flags?: number;
  fields?: Readonly<Record<string, unknown>>;
  attrs?: ReadonlyArray<readonly [string | number, unknown]>;
}

/** Send one request and return its answers typed. */
export async function ask<H extends StructFields, D extends AttrDecl>(
  sock: NetlinkSocket,
  schema: MessageSchema<H, D>,
  spec: Req,
): Promise<Message<H, D>[]> {
  const isDump = (((spec as { flags?: number }).flags ?? 0) & NLM_F_DUMP) === NLM_F_DUMP;
  // A dump answers "what is there now": a concurrent change retries it rather than failing.
  const answer = isDump
    ? sock.snapshot(schema, spec as MessageSpec<any, any>)
    : sock.request(schema, spec as MessageSpec<any, any>);
  return typed(schema, await answer);
}

/** A mask from names (any case, with or without prefix), a list of them, or a number. */
export function maskOf(v: unknown, names: Readonly<Record<string, number>>, prefix: string, what: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  const list = Array.isArray(v)
    ? v
    : String(v)
        .split(/[\s,|]+/)
        .filter(Boolean);
  let n = 0;
  for (const x of list) {
    if (typeof x === 'number') {
      n |= x;
      continue;
    }
    const key = String(x).toUpperCase();
    const bit = names[key.startsWith(prefix) ? key : prefix + key];
    if (bit === undefined) {
      const all = Object.keys(names).map((k) => k.slice(prefix.length).toLowerCase());
      throw new NetlinkEncodeError(`unknown ${what} ${JSON.stringify(x)}${meant(x, all)} (${all.join(', ')})`);
    }
    n |= bit;
  }
  return n >>> 0;
}
