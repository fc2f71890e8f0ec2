// `nlroute netns add|del|list|exec|identify|pids`: `ip netns` over nlroute/netns.
import { readdirSync, statSync } from 'node:fs';
import { NETNS_RUN_DIR, create, list, remove, requireNetns, spawn } from '../netns/index.js';
import { UsageError, pick } from './cli-args.js';
import type { CliContext } from './cli-context.js';

const VERBS = ['list', 'add', 'attach', 'delete', 'identify', 'pids', 'exec', 'show', 'lst', 'help'] as const;

/** The namespace inode of a process, or undefined when it is gone or not ours to read. */
function nsInode(path: string): number | undefined {
  try {
    return statSync(path).ino;
  } catch {
    return undefined;
  }
}

function identify(ctx: CliContext, pid: string | undefined): number {
  const ino = nsInode(`/proc/${pid ?? 'self'}/ns/net`);
  if (ino === undefined) throw new Error(`cannot read the network namespace of process ${pid ?? 'self'}`);
  for (const name of list()) if (nsInode(`${NETNS_RUN_DIR}/${name}`) === ino) ctx.write(`${name}\n`);
  return 0;
}

function pids(ctx: CliContext, name: string): number {
  const ino = nsInode(requireNetns(name, 'pids'));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if (nsInode(`/proc/${entry}/ns/net`) === ino) ctx.write(`${entry}\n`);
  }
  return 0;
}

function exec(name: string, argv: string[]): Promise<number> {
  if (!argv.length) throw new UsageError('netns exec NAME COMMAND...: no command');
  requireNetns(name, 'exec');
  return new Promise((resolve, reject) => {
    const child = spawn(name, argv, { stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

export async function netnsCommand(ctx: CliContext, words: string[]): Promise<number> {
  const [first, ...rest] = words;
  const verb = first === undefined ? 'list' : pick(first, VERBS);
  const name = (): string => {
    if (rest[0] === undefined) throw new UsageError(`netns ${verb}: which namespace?`);
    if (rest.length > 1 && verb !== 'exec') throw new UsageError(`netns ${verb}: "${rest[1]}" is not supported`);
    return rest[0];
  };
  switch (verb) {
    case 'list': case 'show': case 'lst': {
      const names = list().sort();
      if (ctx.opts.json) ctx.write(JSON.stringify(names.map((n) => ({ name: n }))) + '\n');
      else for (const n of names) ctx.write(`${n}\n`);
      return 0;
    }
    case 'add': create(name()); return 0;
    case 'delete': remove(name()); return 0;
    case 'identify': return identify(ctx, rest[0]);
    case 'pids': return pids(ctx, name());
    case 'exec': return exec(name(), rest.slice(1));
    case 'help': ctx.write(NETNS_USAGE); return 0;
    default: throw new UsageError(`netns: "${first}" is not supported (add, del, list, exec, identify, pids)`);
  }
}

export const NETNS_USAGE = `usage: nlroute netns {add|del|pids} NAME
       nlroute netns list
       nlroute netns exec NAME COMMAND...
       nlroute netns identify [PID]
`;

