// Namespaces for the benchmark: every one made here is removed again, on success, on error
// and on SIGINT/SIGTERM, so a run never leaves state behind on the host.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const live = new Set<string>();
const interruptHooks: (() => void)[] = [];

/** Run `fn` (synchronously) when the benchmark is interrupted, before namespaces go. */
export function onInterrupt(fn: () => void): void {
  interruptHooks.push(fn);
}
let counter = 0;
let handlersInstalled = false;

/** Path of a namespace file as `ip netns` keeps it. */
export const nsPath = (name: string): string => `/var/run/netns/${name}`;

function removeNow(name: string): void {
  try {
    execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
  } catch {
    // Already gone; nothing else to do.
  }
  live.delete(name);
}

/** Remove every namespace this process made (synchronous: safe in exit handlers). */
export function removeAll(): void {
  for (const name of [...live]) removeNow(name);
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', removeAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      for (const fn of interruptHooks)
        try {
          fn();
        } catch {
          /* keep cleaning up */
        }
      removeAll();
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
}

/** Run `ip` inside a namespace (`ip -n NAME ...`); throws with ip's own message on failure. */
export function ipIn(name: string, args: string[]): string {
  return execFileSync('ip', ['-n', name, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Run any command inside a namespace (nsenter --net), for ipset and friends. */
export function execIn(name: string, cmd: string, args: string[], input?: string): string {
  return execFileSync('nsenter', [`--net=${nsPath(name)}`, cmd, ...args], {
    encoding: 'utf8',
    input,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    maxBuffer: 1 << 30,
  });
}

/** Feed `ip -batch` a list of commands inside a namespace (used for set-up, untimed). */
export function ipBatch(name: string, lines: string[], tmpDir: string): void {
  const file = join(tmpDir, `setup-${process.pid}-${counter++}.batch`);
  writeFileSync(file, lines.join('\n') + '\n');
  execFileSync('ip', ['-n', name, '-batch', file], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A fresh namespace with `lo` up; removed by `dispose()` or at exit at the latest. */
export class BenchNetns {
  readonly name: string;
  readonly path: string;

  /** A name of the form nlr-bench-PID-N-TAG, or exactly `name` when given. */
  constructor(tag: string, name?: string) {
    installHandlers();
    this.name = name ?? `nlr-bench-${process.pid}-${counter++}-${tag}`.slice(0, 60);
    this.path = nsPath(this.name);
    execFileSync('ip', ['netns', 'add', this.name], { stdio: ['ignore', 'ignore', 'pipe'] });
    live.add(this.name);
    ipIn(this.name, ['link', 'set', 'lo', 'up']);
  }

  dispose(): void {
    removeNow(this.name);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

/** Run `fn` with a fresh namespace that is removed afterwards, whatever happens. */
export async function withNetns<T>(tag: string, fn: (ns: BenchNetns) => Promise<T>): Promise<T> {
  const ns = new BenchNetns(tag);
  try {
    return await fn(ns);
  } finally {
    ns.dispose();
  }
}
