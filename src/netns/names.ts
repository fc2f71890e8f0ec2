// Namespace names and their files, with the same rules and directory as iproute2's `ip netns`.
import { NETNS_RUN_DIR, netnsPath, validateName } from '../core/netnsref.js';

export { NETNS_RUN_DIR, NETNS_NAME_MAX, validateName } from '../core/netnsref.js';

/** The file of namespace `name`: /var/run/netns/NAME (validates the name). */
export function netnsFile(name: string): string {
  validateName(name);
  return `${NETNS_RUN_DIR}/${name}`;
}

/** A name (validated) or an absolute path to the namespace file; a relative path is refused. */
export function resolveNetns(nameOrPath: string): string {
  return netnsPath(nameOrPath);
}
