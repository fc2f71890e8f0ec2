// io.nlroute.Network over varlink: each method mapped onto the daemon, with its access level.
import { ConfigError } from './config-files.js';
import type { Config } from './schema.js';
import { ApplyFailedError, MAIN, type Daemon, type DriftEvent } from './daemon.js';
import { allowed, type Access, type AuthPolicy } from './auth.js';
import { NETWORK_INTERFACE } from './interface.js';
import { VarlinkError } from '../varlink/errors.js';
import type { CallContext, Handler, VarlinkServer } from '../varlink/server.js';
import { TABLES } from '../netdb/records.js';

const IFACE = 'io.nlroute.Network';

/** Changing methods need root or the admin group; the rest the API group. */
export const ACCESS: Record<string, Access> = {
  GetStatus: 'read',
  Show: 'read',
  Diff: 'read',
  Monitor: 'read',
  Apply: 'write',
  Confirm: 'write',
  Rollback: 'write',
  Reload: 'write',
};

/** A desired state given over the API, checked as a file would be (the checker loads on first use). */
async function configFrom(value: unknown): Promise<Config> {
  const { parseConfig } = await import('./config.js');
  try {
    return parseConfig(JSON.stringify(value ?? {}), '<request>');
  } catch (e) {
    if (e instanceof ConfigError) throw new VarlinkError(`${IFACE}.InvalidConfig`, { message: e.problem });
    throw e;
  }
}

function failed(e: unknown): never {
  if (e instanceof VarlinkError) throw e;
  if (e instanceof ApplyFailedError) {
    throw new VarlinkError(`${IFACE}.ApplyFailed`, {
      ...(e.step ? { step: e.step } : {}),
      message: e.message,
      ...(e.errno !== undefined ? { errno: e.errno } : {}),
      rolled_back: e.rolledBack,
    });
  }
  if (e instanceof ConfigError) {
    throw new VarlinkError(`${IFACE}.InvalidConfig`, {
      file: e.file,
      line: e.line,
      column: e.column,
      message: e.problem,
    });
  }
  if (e instanceof Error && /waiting for confirmation/.test(e.message)) throw new VarlinkError(`${IFACE}.Busy`);
  throw e;
}

/** Registers io.nlroute.Network on a server. */
export function addNetworkInterface(server: VarlinkServer, daemon: Daemon, policy: AuthPolicy): void {
  const h: Record<string, Handler> = {
    GetStatus: () => ({
      state: daemon.state,
      config_files: daemon.files,
      ...(daemon.configError ? { config_error: daemon.configError } : {}),
      ...(daemon.applyError ? { apply_error: daemon.applyError } : {}),
      ...(daemon.lastApplyUsec !== undefined ? { last_apply_usec: daemon.lastApplyUsec } : {}),
      applies: daemon.counters.applies,
      failures: daemon.counters.failures,
      drift_corrections: daemon.counters.driftCorrections,
      rollbacks: daemon.counters.rollbacks,
      objects_managed: daemon.objectsManaged(),
      ...(daemon.pendingDeadline !== undefined ? { pending_confirm_deadline_usec: daemon.pendingDeadline * 1000 } : {}),
    }),
    Show: (p: { netns?: string; objects?: string[]; filter?: Record<string, unknown> }) => {
      const source = p.netns ?? MAIN;
      if (!daemon.netdb.sourceNames.includes(source))
        throw new VarlinkError('org.varlink.service.InvalidParameter', { parameter: 'netns' });
      const objects = p.objects ?? [...TABLES];
      const state: Record<string, unknown[]> = {};
      for (const o of objects) {
        if (!(TABLES as readonly string[]).includes(o))
          throw new VarlinkError('org.varlink.service.InvalidParameter', { parameter: 'objects' });
        state[o] = daemon.netdb.filter(o as (typeof TABLES)[number], p.filter ?? {}, source);
      }
      return { state: JSON.parse(JSON.stringify(state)) };
    },
    Diff: async (p: { desired?: unknown }) => {
      try {
        return await daemon.diff(p.desired === undefined ? undefined : await configFrom(p.desired));
      } catch (e) {
        failed(e);
      }
    },
    Apply: async (p: { desired: unknown; dry_run?: boolean; try_seconds?: number }) => {
      if (p.try_seconds !== undefined && p.try_seconds !== null && p.try_seconds <= 0) {
        throw new VarlinkError('org.varlink.service.InvalidParameter', { parameter: 'try_seconds' });
      }
      try {
        const r = await daemon.apply(await configFrom(p.desired), {
          dryRun: p.dry_run ?? false,
          trySeconds: p.try_seconds ?? undefined,
        });
        return { plan: r.plan, applied: r.applied, pending_confirm: r.pendingConfirm };
      } catch (e) {
        failed(e);
      }
    },
    Confirm: async () => {
      if (!(await daemon.confirm())) throw new VarlinkError(`${IFACE}.NoPendingConfirm`);
      return {};
    },
    Rollback: async () => ({ rolled_back: await daemon.rollback() }),
    Reload: async () => {
      try {
        return await daemon.reload();
      } catch (e) {
        failed(e);
      }
    },
    Monitor: async function* (p: { netns?: string }, ctx: CallContext) {
      const queue: unknown[] = [];
      let wake: (() => void) | undefined;
      const push = (x: unknown): void => {
        // A client that does not read is cut off rather than grow the daemon's memory.
        if (queue.length > 10_000) throw new Error('monitor client too slow');
        queue.push(x);
        wake?.();
      };
      const w = daemon.netdb.watch(p.netns ? { source: p.netns } : {});
      const stopDrift = daemon.onDrift((d: DriftEvent) => {
        if (!p.netns || d.netns === p.netns) push({ drift: d });
      });
      const onAbort = (): void => wake?.();
      ctx.signal.addEventListener('abort', onAbort);
      void (async () => {
        for await (const c of w) {
          push({
            event: JSON.parse(
              JSON.stringify({ type: c.type, netns: c.source, object: c.table, old: c.old, new: c.new }),
            ),
          });
        }
      })().catch(() => undefined);
      try {
        // An empty first reply says the subscription is in place: nothing after it is missed.
        yield {};
        while (!ctx.signal.aborted) {
          if (!queue.length) await new Promise<void>((r) => (wake = r));
          wake = undefined;
          while (queue.length) yield queue.shift();
        }
      } finally {
        w.close();
        stopDrift();
        ctx.signal.removeEventListener('abort', onAbort);
      }
      return {};
    },
  };
  server.addInterface(NETWORK_INTERFACE, h);
  const prev = server.authorize;
  server.authorize = (ctx) => {
    prev?.(ctx);
    if (!ctx.method.startsWith(`${IFACE}.`)) return;
    const m = ctx.method.slice(IFACE.length + 1);
    if (!allowed(ctx.peer, ACCESS[m] ?? 'write', policy))
      throw new VarlinkError(`${IFACE}.PermissionDenied`, { method: m });
  };
}
