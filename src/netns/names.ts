// Namespace names and their files, with the same rules and directory as iproute2's `ip netns`.
import { NetnsNameError } from './errors.js';

/** Where `ip netns` keeps its namespace files (iproute2's NETNS_RUN_DIR). */
export const NETNS_RUN_DIR = '/var/run/netns';

/** Longest name in bytes: a file name (NAME_MAX). */
export const NETNS_NAME_MAX = 255;

/** Throws NetnsNameError unless `name` is a name `ip netns` accepts (checked before any syscall). */
export function validateName(name: unknown): asserts name is string {
  if (typeof name !== 'string') throw new NetnsNameError(String(name), `must be a string, not ${name === null ? 'null' : typeof name}`);
  if (name === '') throw new NetnsNameError(name, 'must not be empty');
  if (name.includes('/')) throw new NetnsNameError(name, "must not contain '/'");
  if (name.includes('\0')) throw new NetnsNameError(name, 'must not contain NUL bytes');
  if (name === '.' || name === '..') throw new NetnsNameError(name, "must not be '.' or '..'");
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > NETNS_NAME_MAX) throw new NetnsNameError(name.slice(0, 40) + '...', `is ${bytes} bytes long, at most ${NETNS_NAME_MAX} are allowed`);
}

/** The file of namespace `name`: /var/run/netns/NAME (validates the name). */
export function netnsFile(name: string): string {
  validateName(name);
  return `${NETNS_RUN_DIR}/${name}`;
}

/** A name (validated) or a path (contains '/', used as it is) to the namespace file. */
export function resolveNetns(nameOrPath: string): string {
  if (typeof nameOrPath === 'string' && nameOrPath.includes('/') && nameOrPath !== '') return nameOrPath;
  return netnsFile(nameOrPath);
}
