// Child processes inside a namespace. The child is started through `nsenter --net=FILE`
// (util-linux): it setns()es into the namespace and execs the command, so nothing in this
// process changes and no native fork/exec code is needed. `via: 'ip'` uses `ip netns exec`
// instead, which also gives the child a private mount namespace with /sys remounted for the
// namespace and /etc/netns/NAME/* bind-mounted over /etc (resolv.conf and friends).
import { spawn as spawnChild, type ChildProcess, type SpawnOptions } from 'node:child_process';

import { NetnsError, NetnsExecError } from './errors.js';

export { NetnsExecError };
import { requireNetns } from './ops.js';

/** How the child enters the namespace. */
export type ExecVia = 'nsenter' | 'ip';

export interface NetnsSpawnOptions extends Omit<SpawnOptions, 'shell' | 'argv0'> {
  /** 'nsenter' (default): only the network namespace changes. 'ip': `ip netns exec` semantics. */
  via?: ExecVia;
}

export interface NetnsExecOptions {
  via?: ExecVia;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin, which is then closed. */
  input?: string | Uint8Array;
  /** Kill the child with SIGKILL after this many ms. */
  timeout?: number;
  /** Reject with NetnsExecError when the child does not exit with status 0. */
  check?: boolean;
}

/** How a child run by exec() ended, with its whole output. */
export interface ExecResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function command(name: string, argv: readonly string[], via: ExecVia): [string, string[]] {
  if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === 'string')) {
    throw new TypeError('argv must be a non-empty array of strings');
  }
  const path = requireNetns(name, 'exec in');
  if (via === 'ip') {
    if (name.includes('/')) throw new TypeError("via: 'ip' needs a namespace name, not a path");
    return ['ip', ['netns', 'exec', name, ...argv]];
  }
  return ['nsenter', [`--net=${path}`, '--', ...argv]];
}

function launcherError(cmd: string, name: string, e: Error & { code?: string }): Error {
  if (e.code === 'ENOENT') {
    return new NetnsError(
      `cannot exec in network namespace ${JSON.stringify(name)}: ${cmd} is not installed (${cmd === 'ip' ? 'iproute2' : 'util-linux'}) (ENOENT, spawn)`,
      'ENOENT',
      2,
      name,
      'spawn',
      { cause: e },
    );
  }
  return e;
}

/**
 * Start `argv` inside namespace `name` (a name or a namespace file path) and return the
 * ChildProcess. Throws NetnsError ENOENT at once if the namespace does not exist.
 */
export function spawn(name: string, argv: readonly string[], opts: NetnsSpawnOptions = {}): ChildProcess {
  const { via = 'nsenter', ...rest } = opts;
  const [cmd, args] = command(name, argv, via);
  const child = spawnChild(cmd, args, rest);
  // Report a missing launcher as a NetnsError through the usual 'error' event.
  const emit = child.emit.bind(child);
  child.emit = ((event: string | symbol, ...a: unknown[]) =>
    event === 'error'
      ? emit('error', launcherError(cmd, name, a[0] as Error))
      : emit(event, ...a)) as typeof child.emit;
  return child;
}

/** Run `argv` inside namespace `name` to completion and collect its output. */
export function exec(name: string, argv: readonly string[], opts: NetnsExecOptions = {}): Promise<ExecResult> {
  const [cmd, args] = command(name, argv, opts.via ?? 'nsenter');
  return new Promise((resolve, reject) => {
    const child = spawnChild(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.stdin!.on('error', () => {
      /* the child may exit without reading its input */
    });
    child.stdin!.end(opts.input);
    const timer = opts.timeout ? setTimeout(() => child.kill('SIGKILL'), opts.timeout) : undefined;
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(launcherError(cmd, name, e));
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const result = {
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
      if (opts.check && code !== 0) reject(new NetnsExecError(argv, result));
      else resolve(result);
    });
  });
}
