// A varlink server on a UNIX socket: interfaces declared by their `.varlink` description,
// parameters checked against it before a handler runs, calls on one connection answered in
// order, streaming replies (`more`), oneway calls, and limits for hostile clients.
import { chmodSync, chownSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { loadNative } from '../core/native.js';
import { serviceErrors, VarlinkError } from './errors.js';
import { checkValue, parseInterface, type VInterface } from './idl.js';
import { SERVICE_INTERFACE } from './service.js';
import { Framer, frame, VarlinkProtocolError } from './wire.js';

/** Credentials of the connected process (SO_PEERCRED). */
export interface PeerCred {
  pid: number;
  uid: number;
  gid: number;
}

export interface CallContext {
  /** 'io.nlroute.Network.Show'. */
  method: string;
  /** The peer's credentials; undefined when the socket has none (not AF_UNIX). */
  peer: PeerCred | undefined;
  /** The client asked for several replies. */
  more: boolean;
  oneway: boolean;
  /** Aborted when the connection closes, so long calls (monitors) stop. */
  signal: AbortSignal;
}

/**
 * A method's implementation. It returns the reply parameters, or (for calls with `more`) an
 * async generator that yields every reply but the last and returns the last.
 */
export type Handler = (
  params: any,
  ctx: CallContext,
) => unknown | Promise<unknown> | AsyncGenerator<unknown, unknown, undefined>;

export interface ServiceInfo {
  vendor: string;
  product: string;
  version: string;
  url: string;
}

export interface ServerOptions {
  info: ServiceInfo;
  /** Longest accepted message in bytes; a longer one is refused and the connection closed. Default 1 MiB. */
  maxMessageBytes?: number;
  /** Connections served at once; more are closed on accept. Default 64. */
  maxConnections?: number;
  /** A connection with no call in progress is closed after this many ms. Default 60 000; 0: never. */
  idleTimeoutMs?: number;
  /** Calls queued on one connection before it is closed as abusive. Default 64. */
  maxQueuedCalls?: number;
  /** Called before each method of a registered interface; throw a VarlinkError to deny. */
  authorize?: (ctx: CallContext) => void;
  /** Diagnostics (refused connections, protocol errors); default: silent. */
  log?: (msg: string) => void;
}

interface Registered {
  iface: VInterface;
  handlers: Record<string, Handler>;
}

interface Call {
  method: string;
  parameters: Record<string, unknown>;
  more: boolean;
  oneway: boolean;
}

export class VarlinkServer {
  private readonly interfaces = new Map<string, Registered>();
  private readonly servers: Server[] = [];
  private readonly conns = new Set<Socket>();
  private readonly opts: Required<Omit<ServerOptions, 'authorize' | 'log'>> & ServerOptions;
  private readonly paths: string[] = [];
  /** Called before each method of a registered interface; throw a VarlinkError to deny. */
  authorize: ((ctx: CallContext) => void) | undefined;

  constructor(options: ServerOptions) {
    this.opts = { maxMessageBytes: 1 << 20, maxConnections: 64, idleTimeoutMs: 60_000, maxQueuedCalls: 64, ...options };
    this.authorize = options.authorize;
    this.addInterface(SERVICE_INTERFACE, {
      GetInfo: () => ({ ...this.opts.info, interfaces: [...this.interfaces.keys()] }),
      GetInterfaceDescription: (p: { interface: string }) => {
        const r = this.interfaces.get(p.interface);
        if (!r) throw serviceErrors.interfaceNotFound(p.interface);
        return { description: r.iface.description };
      },
    });
  }

  /** Adds an interface; every method it declares needs a handler. */
  addInterface(description: string, handlers: Record<string, Handler>): VInterface {
    const iface = parseInterface(description);
    if (this.interfaces.has(iface.name)) throw new Error(`interface ${iface.name} is already registered`);
    for (const m of iface.methods.keys()) {
      if (typeof handlers[m] !== 'function') throw new TypeError(`${iface.name}.${m} has no handler`);
    }
    this.interfaces.set(iface.name, { iface, handlers });
    return iface;
  }

  /** Number of open connections. */
  get connections(): number {
    return this.conns.size;
  }

  /**
   * Listens on a socket path (replacing a stale socket file), with `mode` and owner/group, or
   * on an inherited listening fd (socket activation).
   */
  async listen(where: string | { fd: number }, perms?: { mode?: number; uid?: number; gid?: number }): Promise<void> {
    const srv = createServer({ allowHalfOpen: false, pauseOnConnect: false }, (s) => this.accept(s));
    srv.maxConnections = this.opts.maxConnections;
    srv.on('drop', () => this.opts.log?.('connection refused: too many connections'));
    if (typeof where === 'string') {
      try {
        unlinkSync(where);
      } catch {
        // No stale socket to remove.
      }
    }
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(typeof where === 'string' ? where : { fd: where.fd }, () => {
        srv.off('error', reject);
        resolve();
      });
    });
    if (typeof where === 'string') {
      this.paths.push(where);
      if (perms?.uid !== undefined || perms?.gid !== undefined) chownSync(where, perms.uid ?? 0, perms.gid ?? 0);
      chmodSync(where, perms?.mode ?? 0o660);
    }
    this.servers.push(srv);
  }

  /** Stops listening and closes every connection. */
  async close(): Promise<void> {
    for (const c of this.conns) c.destroy();
    await Promise.all(this.servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    this.servers.length = 0;
    for (const p of this.paths.splice(0)) {
      try {
        unlinkSync(p);
      } catch {
        // Already gone.
      }
    }
  }

  /** Serves one connection on an existing socket (tests, socket pairs). */
  accept(sock: Socket): void {
    this.conns.add(sock);
    const framer = new Framer(this.opts.maxMessageBytes);
    const queue: Call[] = [];
    const abort = new AbortController();
    let busy = false;
    let peer: PeerCred | undefined;
    try {
      const fd = (sock as unknown as { _handle?: { fd?: number } })._handle?.fd;
      if (typeof fd === 'number' && fd >= 0) peer = loadNative().peerCred(fd);
    } catch {
      peer = undefined;
    }
    if (this.opts.idleTimeoutMs > 0) {
      sock.setTimeout(this.opts.idleTimeoutMs, () => {
        if (!busy) sock.destroy();
      });
    }
    // Streaming calls (monitors) may be quiet for long: idleness counts only between calls.
    const idle = (on: boolean): void => {
      if (this.opts.idleTimeoutMs > 0) sock.setTimeout(on ? this.opts.idleTimeoutMs : 0);
    };
    const send = (msg: unknown): void => {
      if (!sock.destroyed) sock.write(frame(msg));
    };
    const fail = (err: VarlinkError): void => {
      send({ error: err.error, parameters: err.parameters });
      sock.end();
    };
    sock.on('close', () => {
      this.conns.delete(sock);
      abort.abort();
    });
    sock.on('error', () => sock.destroy());

    const pump = async (): Promise<void> => {
      if (busy) return;
      busy = true;
      idle(false);
      while (queue.length && !sock.destroyed) {
        const call = queue.shift()!;
        await this.run(
          call,
          { method: call.method, peer, more: call.more, oneway: call.oneway, signal: abort.signal },
          send,
        );
      }
      busy = false;
      idle(true);
    };

    sock.on('data', (chunk: Buffer) => {
      let msgs: Buffer[];
      try {
        msgs = framer.push(chunk);
      } catch (e) {
        this.opts.log?.(`closing a connection: ${(e as Error).message}`);
        fail(serviceErrors.invalidParameter('message'));
        return;
      }
      for (const m of msgs) {
        const call = parseCall(m);
        if (call instanceof VarlinkError) {
          fail(call);
          return;
        }
        if (queue.length >= this.opts.maxQueuedCalls) {
          this.opts.log?.('closing a connection: too many queued calls');
          sock.destroy();
          return;
        }
        queue.push(call);
      }
      void pump();
    });
  }

  private async run(call: Call, ctx: CallContext, send: (m: unknown) => void): Promise<void> {
    const reply = (parameters: unknown, continues: boolean): void => {
      if (!call.oneway) send(continues ? { parameters, continues: true } : { parameters });
    };
    const replyError = (e: unknown): void => {
      const err = e instanceof VarlinkError ? e : new VarlinkError('org.varlink.service.InternalError', {});
      if (!(e instanceof VarlinkError)) this.opts.log?.(`${call.method} failed: ${(e as Error)?.stack ?? String(e)}`);
      if (!call.oneway) send({ error: err.error, parameters: err.parameters });
    };
    try {
      const dot = call.method.lastIndexOf('.');
      const ifname = call.method.slice(0, dot);
      const mname = call.method.slice(dot + 1);
      const reg = this.interfaces.get(ifname);
      if (!reg) throw serviceErrors.interfaceNotFound(ifname);
      const m = reg.iface.methods.get(mname);
      if (!m) throw serviceErrors.methodNotFound(call.method);
      const bad = checkValue(reg.iface, m.input, call.parameters, '');
      if (bad !== undefined) throw serviceErrors.invalidParameter(bad);
      if (ifname !== 'org.varlink.service') this.authorize?.(ctx);
      const out = await reg.handlers[mname](call.parameters, ctx);
      if (isAsyncGenerator(out)) {
        if (!call.more && !call.oneway) {
          await out.return(undefined);
          throw serviceErrors.expectedMore();
        }
        for (;;) {
          if (ctx.signal.aborted) {
            await out.return(undefined);
            return;
          }
          const step = await out.next();
          reply(step.value ?? {}, !step.done);
          if (step.done) return;
        }
      }
      reply(out ?? {}, false);
    } catch (e) {
      replyError(e);
    }
  }
}

function isAsyncGenerator(v: unknown): v is AsyncGenerator<unknown, unknown, undefined> {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as AsyncGenerator).next === 'function' &&
    typeof (v as AsyncGenerator)[Symbol.asyncIterator] === 'function'
  );
}

/** One message as a call, or the error to answer a malformed one with. */
function parseCall(buf: Buffer): Call | VarlinkError {
  let v: unknown;
  try {
    v = JSON.parse(buf.toString('utf8'));
  } catch {
    return serviceErrors.invalidParameter('message');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return serviceErrors.invalidParameter('message');
  const o = v as Record<string, unknown>;
  if (typeof o.method !== 'string' || !/^[A-Za-z][\w.-]*\.[A-Z]\w*$/.test(o.method)) {
    return serviceErrors.invalidParameter('method');
  }
  const p = o.parameters ?? {};
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return serviceErrors.invalidParameter('parameters');
  return {
    method: o.method,
    parameters: p as Record<string, unknown>,
    more: o.more === true,
    oneway: o.oneway === true,
  };
}

export { VarlinkProtocolError };
