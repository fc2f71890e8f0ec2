// Typed errors of namespace operations: errno names as codes, messages that say what happened.
import { errnoNumber, errnoText } from '../core/errno.js';

/** A namespace operation failed. `code` is the errno name ('EEXIST', 'ENOENT', 'EPERM', ...). */
export class NetnsError extends Error {
  override name = 'NetnsError';
  constructor(
    message: string,
    readonly code: string,
    readonly errno: number,
    /** The namespace name (or path) the operation was about. */
    readonly netns: string,
    /** The failing syscall, when one failed. */
    readonly syscall?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A namespace name that `ip netns` would not accept either; rejected before any syscall. */
export class NetnsNameError extends NetnsError {
  override name = 'NetnsNameError';
  constructor(netns: string, why: string) {
    super(`invalid network namespace name ${JSON.stringify(netns)}: ${why}`, 'EINVAL', 22, netns);
  }
}

/** Turn a syscall error from the addon or node:fs into a NetnsError about `name`. */
export function netnsError(cause: unknown, op: string, name: string, path: string, detail?: Partial<Record<string, string>>): NetnsError {
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
  else switch (code) {
    case 'EEXIST': text = `cannot ${op} ${ns}: it already exists (${path})`; break;
    case 'ENOENT': text = `cannot ${op} ${ns}: it does not exist (${path})`; break;
    case 'EPERM':
    case 'EACCES': text = `cannot ${op} ${ns}: not permitted (needs root, CAP_SYS_ADMIN)`; break;
    default: text = `cannot ${op} ${ns}: ${errno ? errnoText(errno) : String(e.message)}`;
  }
  return new NetnsError(`${text} (${code}${syscall ? `, ${syscall}` : ''})`, code, errno, name, syscall, { cause });
}
