// Test helper: run a body inside a fresh, uniquely named network namespace that is always
// deleted afterwards, also when the body throws. Never touches the host namespace.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
let counter = 0;
const live = new Set<string>();

/** A namespace made for one test. */
export interface TestNetns {
  /** Its name under /var/run/netns (pass it as `netns` to sockets). */
  readonly name: string;
  /** Run a command inside the namespace (`ip netns exec`), resolve with its stdout. */
  exec(cmd: string, args?: readonly string[], opts?: { input?: string; timeout?: number }): Promise<string>;
  /** Run `ip -j <cmdline>` inside the namespace and parse its JSON ('-d link show', ...). */
  json<T = any>(cmdline: string | readonly string[]): Promise<T>;
  /** Run `ip <cmdline>` inside the namespace; resolve with stdout. */
  ip(cmdline: string | readonly string[]): Promise<string>;
  /** Feed lines to `ip -batch -` inside the namespace (fast bulk setup). */
  batch(lines: readonly string[]): Promise<void>;
}

const words = (c: string | readonly string[]): string[] => (typeof c === 'string' ? c.trim().split(/\s+/) : [...c]);

async function sh(cmd: string, args: readonly string[], input?: string, timeout = 60_000): Promise<string> {
  if (input === undefined) {
    const { stdout } = await run(cmd, args as string[], { maxBuffer: 1 << 30, timeout });
    return stdout;
  }
  // execFile cannot feed stdin; spawn does.
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args as string[], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [],
      err: Buffer[] = [];
    const timer = setTimeout(() => p.kill('SIGKILL'), timeout);
    p.stdout.on('data', (d: Buffer) => out.push(d));
    p.stderr.on('data', (d: Buffer) => err.push(d));
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(out).toString());
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${Buffer.concat(err).toString().trim()}`));
    });
    p.stdin.end(input);
  });
}

/** Make a namespace (not yet tracked by withNetns): for tests that manage several. */
export async function createNetns(): Promise<TestNetns> {
  const name = `nlr-test-${process.pid}-${++counter}`;
  await sh('ip', ['netns', 'add', name]);
  live.add(name);
  return {
    name,
    exec: (cmd, args = [], opts = {}) => sh('ip', ['netns', 'exec', name, cmd, ...args], opts.input, opts.timeout),
    async json(cmdline) {
      const out = await sh('ip', ['-n', name, '-j', ...words(cmdline)]);
      return JSON.parse(out.trim() || '[]');
    },
    ip: (cmdline) => sh('ip', ['-n', name, ...words(cmdline)]),
    async batch(lines) {
      await sh('ip', ['-n', name, '-batch', '-'], lines.join('\n') + '\n', 300_000);
    },
  };
}

/** Delete a namespace made by createNetns (ignores one already gone). */
export async function deleteNetns(ns: TestNetns | string): Promise<void> {
  const name = typeof ns === 'string' ? ns : ns.name;
  try {
    await sh('ip', ['netns', 'del', name]);
  } catch (e) {
    if (!/No such file/.test(String(e))) throw e;
  }
  live.delete(name);
}

/** Run `body` in a fresh namespace, deleting it afterwards whatever happens. */
export async function withNetns<T>(body: (ns: TestNetns) => Promise<T>): Promise<T> {
  const ns = await createNetns();
  try {
    return await body(ns);
  } finally {
    await deleteNetns(ns);
  }
}

// A crash between create and delete must not leave namespaces behind.
process.on('exit', () => {
  for (const name of live) {
    try {
      execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
    } catch {
      /* already gone */
    }
  }
});
