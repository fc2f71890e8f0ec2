// Errors that point at the caller. The socket creates a kernel error in its receive callback,
// so that error's own stack holds only library frames. A public method hands it back through
// here instead: a copy is created inside an async function the caller awaits, and V8's async
// stack trace of an error created there runs through every awaiting frame up to the program's
// own line. The copy also says what was asked: `route add 10.40.0.0/16 via 10.0.0.9 table main: ...`.
import { DumpInterruptedError, NetlinkError, NetlinkTimeoutError, SocketClosedError } from './errors.js';

/** What a public call was about: `{ operation: 'route add', object: '10.40.0.0/16 table main', request: spec }`. */
export interface CallDescription {
  operation: string;
  object?: string;
  /** The request as the caller gave it. */
  request?: unknown;
}

/** A CallDescription in one line: `describeCall('route add', '10.0.0.0/8 table main', spec)`. */
export function describeCall(operation: string, object?: string, request?: unknown): CallDescription {
  return { operation, object, request };
}

/** Errors raised away from the caller's stack: in the socket's receive path, or by a timer. */
function fromSocket(e: unknown): e is Error {
  return (
    e instanceof NetlinkError ||
    e instanceof NetlinkTimeoutError ||
    e instanceof SocketClosedError ||
    e instanceof DumpInterruptedError
  );
}

/** The message of a copy before it was described: an outer call describes it anew. */
const bare = new WeakMap<object, string>();

/**
 * A copy of a socket-side error with a stack taken here (frames above `top` left out), named
 * after the call. Any other error comes back as it is: it was thrown on the caller's own path.
 * A copy, because one socket error may fail many requests. When a public method calls another,
 * the outer call's description wins: it is the one the caller made.
 */
export function callerError(e: unknown, what: CallDescription, top?: Function): unknown {
  if (!fromSocket(e)) return e;
  type Described = Error & { -readonly [K in keyof CallDescription]?: CallDescription[K] };
  const copy = Object.create(Object.getPrototypeOf(e)) as Described;
  for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(e))) {
    if (key !== 'stack') Object.defineProperty(copy, key, d);
  }
  const message = bare.get(e) ?? e.message;
  bare.set(copy, message);
  copy.operation = what.operation;
  copy.object = what.object;
  copy.request = what.request;
  copy.message = `${what.operation}${what.object ? ` ${what.object}` : ''}: ${message}`;
  Error.captureStackTrace(copy, top);
  return copy;
}

/** Await `work` for a caller: a socket-side failure is re-thrown from here, described by `what`. */
export async function forCaller<T>(work: Promise<T>, what: () => CallDescription): Promise<T> {
  try {
    return await work;
  } catch (e) {
    throw callerError(e, what(), forCaller);
  }
}

/** The public methods of T that answer later: a promise or an async iterable (a dump). */
type Later = (...args: any[]) => Promise<unknown> | AsyncIterable<unknown>;
export type LaterMethods<T> = { [K in keyof T]: K extends string ? (T[K] extends Later ? K : never) : never }[keyof T];

/**
 * For each public method answering later, how to describe a call from its arguments, or null
 * for one whose result reports its own errors (a subscription). Every such method must be
 * listed: a method added without a description fails to compile.
 */
export type CallTable<T> = {
  [K in LaterMethods<T>]: T[K] extends (...args: infer A) => unknown ? ((...args: A) => CallDescription) | null : never;
};

/**
 * Make the listed methods of a class hand their socket-side errors to the caller through
 * forCaller: a method returning a promise is awaited in forCaller; an async generator (a dump)
 * has each `next()` awaited there. Other results pass through untouched.
 *
 *     describeCalls(IPRoute, { route: (cmd, spec) => ({ operation: `route ${cmd}`, object: describeRoute(spec) }) });
 */
export function describeCalls<T extends object>(cls: { prototype: T }, table: CallTable<T>): void {
  const proto = cls.prototype as Record<string, unknown>;
  type Describe = ((...args: unknown[]) => CallDescription) | null;
  for (const [name, describe] of Object.entries(table) as [string, Describe][]) {
    if (describe === null) continue;
    const method = proto[name];
    if (typeof method !== 'function') throw new TypeError(`describeCalls: ${name} is not a method`);
    const described = function (this: unknown, ...args: unknown[]): unknown {
      const out = method.apply(this, args);
      const what = (): CallDescription => describe(...args);
      if (out instanceof Promise) return forCaller(out, what);
      if (isAsyncGenerator(out)) return iterateForCaller(out, what);
      return out;
    };
    Object.defineProperty(described, 'name', { value: name });
    Object.defineProperty(proto, name, { value: described, writable: true, configurable: true, enumerable: false });
  }
}

// Only generators: an iterable class (a subscription) has more methods than a wrapper keeps.
function isAsyncGenerator(x: unknown): x is AsyncGenerator<unknown> {
  return Object.prototype.toString.call(x) === '[object AsyncGenerator]';
}

/** An async iterator whose `next()` failures point at the loop that awaits them. */
function iterateForCaller<V>(it: AsyncIterableIterator<V>, what: () => CallDescription): AsyncIterableIterator<V> {
  const out: AsyncIterableIterator<V> = {
    next: (...a: [] | [unknown]) => forCaller(it.next(...a), what),
    return: (v?: unknown) => (it.return ? it.return(v) : Promise.resolve({ value: undefined, done: true as const })),
    [Symbol.asyncIterator]: () => out,
  };
  if (it.throw) out.throw = (e?: unknown) => forCaller(it.throw!(e), what);
  return out;
}
