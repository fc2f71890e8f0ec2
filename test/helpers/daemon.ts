// nlrouted as a child process for tests and benchmarks: started on a namespace with its own
// configuration, runtime directory and API socket, ready once it says READY=1 on a
// NOTIFY_SOCKET of its own; nlroutectl run against that socket.
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NotifyListener } from './notify.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
export const NLROUTED = join(root, 'dist/bundle/daemon/nlrouted.js');
export const NLROUTECTL = join(root, 'dist/bundle/daemon/nlroutectl.js');

export interface DaemonStart {
  /** The namespace the top-level configuration manages. */
  netns: string;
  configDir: string;
  runtimeDir: string;
  socket: string;
  /** Where the NOTIFY_SOCKET goes (a fresh name each start). */
  notifyDir: string;
  /** Default 'debug'. */
  logLevel?: string;
  /** Default false. */
  watch?: boolean;
  extra?: string[];
  env?: NodeJS.ProcessEnv;
  /** stdout and stderr (default: stdout inherited, stderr kept for stderr()). */
  stdout?: 'inherit' | 'ignore';
  stderr?: 'pipe' | 'inherit';
  /** Options for node itself (--cpu-prof...). */
  nodeArgs?: string[];
  /** A command that runs node (['/usr/bin/time', ...]); its pid is then the child's. */
  wrap?: string[];
  /** ms until READY=1 (default 30 s). */
  readyTimeout?: number;
}

export interface RunningDaemon {
  child: ChildProcess;
  notify: NotifyListener;
  socket: string;
  /** The READY=1 message (with its STATUS= line). */
  ready: string;
  /** process.hrtime.bigint() when it was spawned (the notify socket was open before). */
  spawnedAt: bigint;
  /** What it wrote to stderr so far (when piped). */
  stderr(): string;
  /** Sends `sig` (default SIGTERM), waits for the exit, closes the notify socket; the exit code. */
  stop(sig?: NodeJS.Signals): Promise<number | null>;
}

let starts = 0;

/** The nlrouted command line for these options (without the node binary). */
export function daemonArgs(o: DaemonStart): string[] {
  const args = [NLROUTED, '--netns', o.netns, '--config-dir', o.configDir, '--runtime-dir', o.runtimeDir];
  args.push('--socket', o.socket, '--group', 'root', '--log-level', o.logLevel ?? 'debug');
  if (!o.watch) args.push('--no-watch');
  return [...args, ...(o.extra ?? [])];
}

/** Starts nlrouted and waits for READY=1; on a failed start the error carries its stderr. */
export async function startDaemon(o: DaemonStart): Promise<RunningDaemon> {
  const notify = await NotifyListener.open(join(o.notifyDir, `notify-${process.pid}-${++starts}.sock`));
  let err = '';
  const piped = (o.stderr ?? 'pipe') === 'pipe';
  const spawnedAt = process.hrtime.bigint();
  const [cmd, ...pre] = [...(o.wrap ?? []), process.execPath];
  const child = spawn(cmd, [...pre, ...(o.nodeArgs ?? []), ...daemonArgs(o)], {
    env: { ...process.env, NOTIFY_SOCKET: notify.path, ...o.env },
    stdio: ['ignore', o.stdout ?? 'inherit', piped ? 'pipe' : 'inherit'] as StdioOptions,
  });
  if (piped) child.stderr!.on('data', (b) => (err += b));
  const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  const stop = async (sig: NodeJS.Signals = 'SIGTERM'): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    const code = await exited;
    notify.close();
    return code;
  };
  let ready: string;
  try {
    ready = await notify.wait(/READY=1/, o.readyTimeout ?? 30_000);
  } catch (e) {
    await stop('SIGKILL');
    throw new Error(`${(e as Error).message}\n${err}`);
  }
  return { child, notify, socket: o.socket, ready, spawnedAt, stderr: () => err, stop };
}

/** Runs nlroutectl against a socket: exit code, stdout and stderr. */
export function ctl(
  socket: string,
  args: string[],
  opts: { uid?: number; gid?: number; input?: string } = {},
): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [NLROUTECTL, '--socket', socket, ...args], {
    encoding: 'utf8',
    uid: opts.uid,
    gid: opts.gid,
    input: opts.input,
    timeout: 30_000,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}
