// The `netns` option every socket-owning class takes, and the typed errors of namespaces.
// A namespace is named three ways: a name (no '/', as `ip netns` keeps it under
// /var/run/netns), an absolute path to a namespace file, or an open fd. A relative path is
// refused: it would be opened relative to the working directory, wherever that is.
import { errnoNumber, errnoText } from './errno.js';

/** Where `ip netns` keeps its namespace files (iproute2's NETNS_RUN_DIR). */
export const NETNS_RUN_DIR = '/var/run/netns';

/** Longest name in bytes: a file name (NAME_MAX). */
export const NETNS_NAME_MAX = 255;

/** A namespace operation failed. `code` is the errno name ('EEXIST', 'ENOENT', 'EPERM', ...). */
export class NetnsError extends Error {
  override name = 'NetnsError';
  constructor(
    message: string,
    readonly code: string,
    readonly errno: number,
    /** The namespace name (or path, or `fd N`) the operation was about. */
    readonly netns: string,
    /** The failing syscall, when one failed. */
    readonly syscall?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A namespace name or `netns` value that is refused before any syscall. */
export class NetnsNameError extends NetnsError {
  override name = 'NetnsNameError';
  constructor(netns: string, why: string) {
    super(`invalid network namespace name ${JSON.stringify(netns)}: ${why}`, 'EINVAL', 22, netns);
  }
}

/** Throws NetnsNameError unless `name` is a name `ip netns` accepts (checked before any syscall). */
export function validateName(name: unknown): asserts name is string {
  if (typeof name !== 'string')
    throw new NetnsNameError(String(name), `must be a string, not ${name === null ? 'null' : typeof name}`);
  if (name === '') throw new NetnsNameError(name, 'must not be empty');
  if (name.includes('/')) throw new NetnsNameError(name, "must not contain '/'");
  if (name.includes('\0')) throw new NetnsNameError(name, 'must not contain NUL bytes');
  if (name === '.' || name === '..') throw new NetnsNameError(name, "must not be '.' or '..'");
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > NETNS_NAME_MAX)
    throw new NetnsNameError(
      name.slice(0, 40) + '...',
      `is ${bytes} bytes long, at most ${NETNS_NAME_MAX} are allowed`,
    );
}

/** The namespace file of a name (under /var/run/netns) or an absolute path; a relative path is refused. */
export function netnsPath(ns: string): string {
  if (typeof ns === 'string' && ns.includes('/')) {
    if (!ns.startsWith('/')) {
      throw new NetnsNameError(ns, "is a relative path: a netns is a name without '/', an absolute path or an fd");
    }
    if (ns.includes('\0')) throw new NetnsNameError(ns, 'must not contain NUL bytes');
    return ns;
  }
  validateName(ns);
  return `${NETNS_RUN_DIR}/${ns}`;
}

/** A `netns` option checked: the namespace file to open, or the fd as it is. */
export function netnsTarget(ns: string | number): string | number {
  if (typeof ns === 'number') {
    if (!Number.isInteger(ns) || ns < 0) throw new NetnsNameError(String(ns), 'an fd must be a non-negative integer');
    return ns;
  }
  return netnsPath(ns);
}

/** How a `netns` option reads in messages: the name or path, or `fd N`. */
export function netnsLabel(ns: string | number): string {
  return typeof ns === 'number' ? `fd ${ns}` : ns;
}

/** Turn a syscall error from the addon or node:fs into a NetnsError about `name`. */
export function netnsError(
  cause: unknown,
  op: string,
  name: string,
  path: string,
  detail?: Partial<Record<string, string>>,
): NetnsError {
  const e = cause as { code?: unknown; errno?: unknown; syscall?: unknown; message?: unknown };
  if (typeof e?.code !== 'string' || !/^E[A-Z0-9]+$/.test(e.code)) {
    // Not a syscall failure (a bug, or the addon missing): keep it as it is.
    throw cause;
  }
  const code = e.code;
  const errno = errnoNumber(code) ?? (typeof e.errno === 'number' ? Math.abs(e.errno) : 0);
  const syscall = typeof e.syscall === 'string' ? e.syscall : undefined;
  const ns = `network namespace ${JSON.stringify(name)}`;
  let text: string;
  const special = detail?.[code];
  if (special !== undefined) text = `cannot ${op} ${ns}: ${special}`;
  else
    switch (code) {
      case 'EEXIST':
        text = `cannot ${op} ${ns}: it already exists (${path})`;
        break;
      case 'ENOENT':
        text = `cannot ${op} ${ns}: it does not exist (${path})`;
        break;
      case 'EPERM':
      case 'EACCES':
        text = `cannot ${op} ${ns}: not permitted (needs root, CAP_SYS_ADMIN)`;
        break;
      default:
        text = `cannot ${op} ${ns}: ${errno ? errnoText(errno) : String(e.message)}`;
    }
  return new NetnsError(`${text} (${code}${syscall ? `, ${syscall}` : ''})`, code, errno, name, syscall, { cause });
}
