// The namespaces nlrouted creates from its configuration: adopt one that exists, refuse a
// name file that is not a namespace, and create the rest where the rest of the system sees them.
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { promisify } from 'node:util';

import { createAsync, exists, netnsFile } from '../netns/index.js';

const run = promisify(execFile);

/**
 * How new namespaces are named. 'self': the daemon bind-mounts them itself (its mount namespace
 * is the system's). 'systemd-run': under a unit sandbox (ProtectSystem=, PrivateTmp=...) the
 * service has its own mount namespace whose mounts never reach the host, so the daemon asks the
 * service manager to run `ip netns add` outside it; the mount then propagates into the sandbox.
 */
export type NetnsCreator = 'self' | 'systemd-run';

/** A namespace name that is taken by something that is not a network namespace. */
export class NamespaceNameError extends Error {
  override name = 'NamespaceNameError';
  constructor(
    readonly netns: string,
    readonly path: string,
  ) {
    super(
      `namespace ${JSON.stringify(netns)}: ${path} exists but is not a mounted network namespace ` +
        `(a name file left behind by a namespace created elsewhere?); remove it with ` +
        `\`ip netns del ${netns}\` or choose another name`,
    );
  }
}

/** Makes sure namespace `name` exists, creating it if needed; true if it was created. */
export async function ensureNamespace(name: string, how: NetnsCreator = 'self'): Promise<boolean> {
  if (exists(name)) return false;
  const path = netnsFile(name);
  if (present(path)) throw new NamespaceNameError(name, path);
  if (how === 'self') {
    await createAsync(name);
    return true;
  }
  try {
    await run('systemd-run', ['--quiet', '--wait', '--collect', '--service-type=oneshot', 'ip', 'netns', 'add', name]);
  } catch (e) {
    const err = e as Error & { stderr?: string };
    throw new Error(
      `namespace ${JSON.stringify(name)}: systemd-run ip netns add failed: ${(err.stderr || err.message).trim()}`,
    );
  }
  if (!exists(name)) {
    throw new Error(
      `namespace ${JSON.stringify(name)}: created outside the sandbox, but ${path} is not a namespace inside it`,
    );
  }
  return true;
}

function present(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
