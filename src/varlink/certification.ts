// org.varlink.certification: the conformance interface of the varlink project. A server
// serves it so the reference client can certify our server; `runCertificationClient` walks
// the reference server through it to certify our client.
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { VarlinkClient } from './client.js';
import { VarlinkError } from './errors.js';
import type { Handler } from './server.js';

export const CERTIFICATION_INTERFACE = `# Conformance tests for varlink implementations: each call's reply is the next call's argument.
interface org.varlink.certification

type Interface (
  foo: ?[]?[string](foo, bar, baz),
  anon: (foo: bool, bar: bool)
)

type MyType (
  object: object,
  enum: (one, two, three),
  struct: (first: int, second: string),
  array: []string,
  dictionary: [string]string,
  stringset: [string](),
  nullable: ?string,
  nullable_array_struct: ?[](first: int, second: string),
  interface: Interface
)

method Start() -> (client_id: string)
method Test01(client_id: string) -> (bool: bool)
method Test02(client_id: string, bool: bool) -> (int: int)
method Test03(client_id: string, int: int) -> (float: float)
method Test04(client_id: string, float: float) -> (string: string)
method Test05(client_id: string, string: string) -> (bool: bool, int: int, float: float, string: string)
method Test06(client_id: string, bool: bool, int: int, float: float, string: string) -> (
  struct: (bool: bool, int: int, float: float, string: string)
)
method Test07(client_id: string, struct: (bool: bool, int: int, float: float, string: string)) -> (
  map: [string]string
)
method Test08(client_id: string, map: [string]string) -> (set: [string]())
method Test09(client_id: string, set: [string]()) -> (mytype: MyType)
method Test10(client_id: string, mytype: MyType) -> (string: string)
method Test11(client_id: string, last_more_replies: []string) -> ()
method End(client_id: string) -> (all_ok: bool)

error ClientIdError ()
error CertificationError (wants: object, got: object)
`;

const ERR = 'org.varlink.certification';
const five = { bool: false, int: 2, float: Math.PI, string: 'a lot of string' };
const map = { foo: 'Foo', bar: 'Bar' };
const set = { one: {}, two: {}, three: {} };
const mytype = {
  object: { method: 'org.varlink.certification.Test09', parameters: { map } },
  enum: 'two',
  struct: { first: 1, second: '2' },
  array: ['one', 'two', 'three'],
  dictionary: map,
  stringset: set,
  interface: {
    foo: [null, { Foo: 'foo', Bar: 'bar' }, null, { one: 'foo', two: 'bar' }],
    anon: { foo: true, bar: false },
  },
};
const replies = Array.from({ length: 10 }, (_, i) => `Reply number ${i + 1}`);

/** The steps: what each call must receive (besides client_id) and what it answers. */
const steps: [string, Record<string, unknown>, Record<string, unknown>][] = [
  ['Test01', {}, { bool: true }],
  ['Test02', { bool: true }, { int: 1 }],
  ['Test03', { int: 1 }, { float: 1 }],
  ['Test04', { float: 1 }, { string: 'ping' }],
  ['Test05', { string: 'ping' }, five],
  ['Test06', five, { struct: five }],
  ['Test07', { struct: five }, { map }],
  ['Test08', { map }, { set }],
  ['Test09', { set }, { mytype }],
];

/** Handlers of the certification interface, for a server in test mode. */
export function certificationHandlers(): Record<string, Handler> {
  const clients = new Map<string, Set<string>>();
  const client = (p: { client_id: string }): Set<string> => {
    const c = clients.get(p.client_id);
    if (!c) throw new VarlinkError(`${ERR}.ClientIdError`);
    return c;
  };
  const check = (wants: unknown, got: unknown): void => {
    if (!isDeepStrictEqual(wants, got)) throw new VarlinkError(`${ERR}.CertificationError`, { wants, got });
  };
  const h: Record<string, Handler> = {
    Start: () => {
      const id = randomUUID();
      clients.set(id, new Set());
      return { client_id: id };
    },
    End: (p: { client_id: string }) => {
      const done = client(p);
      clients.delete(p.client_id);
      return { all_ok: ['Test01', ...steps.map((s) => s[0]).slice(1), 'Test10', 'Test11'].every((s) => done.has(s)) };
    },
    Test10: async function* (p: { client_id: string; mytype: unknown }) {
      const c = client(p);
      check(withoutNulls(mytype), withoutNulls(p.mytype));
      c.add('Test10');
      for (const r of replies.slice(0, -1)) yield { string: r };
      return { string: replies.at(-1) };
    },
    // The reference implementations make Test11 a oneway call and fail it otherwise.
    Test11: (p: { client_id: string; last_more_replies: string[] }, ctx) => {
      const c = client(p);
      if (!ctx.oneway)
        throw new VarlinkError(`${ERR}.CertificationError`, { wants: { oneway: true }, got: { oneway: false } });
      check(replies, p.last_more_replies);
      c.add('Test11');
      return {};
    },
  };
  for (const [name, wants, answer] of steps) {
    h[name] = (p: Record<string, unknown> & { client_id: string }) => {
      const c = client(p);
      const { client_id: _, ...got } = p;
      check(wants, got);
      c.add(name);
      return answer;
    };
  }
  return h;
}

/** Absent and null optional fields are the same value in varlink. */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, x]) => x !== null && x !== undefined)
      .map(([k, x]) => [k, withoutNulls(x)]),
  );
}

/** Walks a certification server through every test; resolves with End's all_ok. */
export async function runCertificationClient(c: VarlinkClient): Promise<boolean> {
  const m = (n: string): string => `${ERR}.${n}`;
  const { client_id } = await c.call<{ client_id: string }>(m('Start'));
  let last: Record<string, unknown> = await c.call(m('Test01'), { client_id });
  for (const [name] of steps.slice(1)) last = await c.call(m(name), { client_id, ...last });
  const got: string[] = [];
  for await (const r of c.stream<{ string: string }>(m('Test10'), { client_id, ...last })) got.push(r.string);
  c.oneway(m('Test11'), { client_id, last_more_replies: got });
  const end = await c.call<{ all_ok: boolean }>(m('End'), { client_id });
  return end.all_ok === true;
}
