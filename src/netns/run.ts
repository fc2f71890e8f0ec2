// run(name, fn): nlroute sockets opened by fn (and by everything fn starts, across awaits,
// timers and callbacks) are created inside namespace `name`. JavaScript itself keeps running
// on its own thread in the process's namespace: only nlroute's kernel sockets move.
import { netnsContext } from '../core/nscontext.js';
import { requireNetns } from './ops.js';

/**
 * Call `fn` with `name` (a namespace name or file path) as the default namespace of every
 * nlroute socket created in its async context without an explicit `netns` option. Returns
 * what fn returns (a promise stays a promise). Throws NetnsError ENOENT if `name` is missing.
 *
 * It does NOT move any thread: node:net/dgram/http sockets, child_process, fs and dns inside
 * fn still use the process's namespace (use exec()/spawn() for programs), and nlroute
 * sockets opened before fn keep theirs. An explicit `netns` option always wins.
 */
export function run<T>(name: string, fn: () => T): T {
  return netnsContext.run(requireNetns(name, 'run in'), fn);
}

/** The namespace file set by the innermost enclosing run(), or undefined outside run(). */
export function current(): string | number | undefined {
  return netnsContext.getStore();
}
