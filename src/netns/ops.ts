// create / remove / list / attach: namespace files interoperable with `ip netns`.
// These are synchronous (a handful of syscalls each; see test/netns.test.ts for timings), except
// createAsync, which waits for the kernel off the event loop.
import { readdirSync, statfsSync } from 'node:fs';

import { netnsError, NetnsError } from './errors.js';
import { loadNetnsNative } from './native.js';
import { NETNS_RUN_DIR, netnsFile, resolveNetns, validateName } from './names.js';

/** statfs f_type of nsfs: what a mounted namespace file reports. */
const NSFS_MAGIC = 0x6e736673;

/** Make /var/run/netns a shared mount point, exactly as `ip netns add` does before it adds. */
function prepareDir(op: string, name: string): void {
  try {
    loadNetnsNative().netnsMountDir(NETNS_RUN_DIR);
  } catch (e) {
    throw netnsError(e, op, name, NETNS_RUN_DIR);
  }
}

/**
 * Create network namespace `name` (like `ip netns add NAME`): a new, empty namespace with only
 * a down `lo`, bind-mounted on /var/run/netns/NAME. Neither this thread nor the process moves.
 * Returns the namespace file's path. Throws NetnsError EEXIST if the name is taken.
 */
export function create(name: string): string {
  const path = netnsFile(name);
  prepareDir('create', name);
  try {
    loadNetnsNative().netnsCreate(path);
  } catch (e) {
    throw netnsError(e, 'create', name, path);
  }
  return path;
}

/** create() without blocking the event loop (namespace set-up can take milliseconds under load). */
export async function createAsync(name: string): Promise<string> {
  const path = netnsFile(name);
  prepareDir('create', name);
  try {
    await loadNetnsNative().netnsCreateAsync(path);
  } catch (e) {
    throw netnsError(e, 'create', name, path);
  }
  return path;
}

/**
 * Name the network namespace of process `pid` (like `ip netns attach NAME PID`).
 * Throws NetnsError EEXIST if the name is taken, ESRCH if there is no such process.
 */
export function attach(name: string, pid: number): string {
  const path = netnsFile(name);
  if (!Number.isSafeInteger(pid) || pid <= 0) {
    throw new NetnsError(
      `cannot attach network namespace ${JSON.stringify(name)}: pid must be a positive integer, got ${String(pid)}`,
      'EINVAL',
      22,
      name,
    );
  }
  prepareDir('attach', name);
  try {
    loadNetnsNative().netnsAttach(path, pid);
  } catch (e) {
    throw netnsError(e, 'attach', name, path, { ESRCH: `process ${pid} does not exist` });
  }
  return path;
}

/**
 * Remove network namespace `name` (like `ip netns del NAME`): detach its mount and delete the
 * file. The namespace itself goes away once no process or socket uses it any more.
 * Throws NetnsError ENOENT if there is no such name.
 */
export function remove(name: string): void {
  const path = netnsFile(name);
  try {
    loadNetnsNative().netnsRemove(path);
  } catch (e) {
    throw netnsError(e, 'remove', name, path);
  }
}

/** Names under /var/run/netns (what `ip netns list` shows), sorted; [] if there is none. */
export function list(): string[] {
  let names: string[];
  try {
    names = readdirSync(NETNS_RUN_DIR);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return [];
    throw netnsError(e, 'list', '*', NETNS_RUN_DIR);
  }
  return names.sort();
}

/** Whether `name` is a mounted namespace (a stale file left by a failed add does not count). */
export function exists(name: string): boolean {
  validateName(name);
  try {
    return isNamespace(netnsFile(name));
  } catch {
    return false;
  }
}

function isNamespace(path: string): boolean {
  return Number(statfsSync(path).type) === NSFS_MAGIC;
}

/**
 * The path of a live namespace given by name or path; throws NetnsError ENOENT if it is
 * missing, EINVAL if the file is not a namespace mount.
 */
export function requireNetns(nameOrPath: string, op: string): string {
  const path = resolveNetns(nameOrPath);
  let ok: boolean;
  try {
    ok = isNamespace(path);
  } catch (e) {
    throw netnsError(e, op, nameOrPath, path);
  }
  if (!ok) {
    throw new NetnsError(
      `cannot ${op} network namespace ${JSON.stringify(nameOrPath)}: ${path} is not a mounted namespace (EINVAL)`,
      'EINVAL',
      22,
      nameOrPath,
    );
  }
  return path;
}
