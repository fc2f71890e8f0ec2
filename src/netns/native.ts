// Typed view of the namespace functions in the C addon (the netns section of native/nlsock.c).
import { loadNative, type NativeBinding } from '../core/native.js';

/** The addon's namespace operations. Paths are absolute files under /var/run/netns. */
export interface NetnsNative {
  /** mkdir + make `dir` a mount point with shared, recursive propagation (as `ip netns add`). */
  netnsMountDir(dir: string): void;
  /** Create `path` (O_EXCL) and bind-mount a brand-new network namespace on it, from a short-lived thread. */
  netnsCreate(path: string): void;
  /** netnsCreate on a libuv pool thread (which only waits for the short-lived thread). */
  netnsCreateAsync(path: string): Promise<void>;
  /** Create `path` (O_EXCL) and bind-mount the network namespace of `pid` on it. */
  netnsAttach(path: string, pid: number): void;
  /** umount2(MNT_DETACH) then unlink `path`. */
  netnsRemove(path: string): void;
}

/** Loads the addon and checks that it was built with the netns functions. */
export function loadNetnsNative(): NetnsNative {
  const nat = loadNative() as NativeBinding & Partial<NetnsNative>;
  if (typeof nat.netnsCreate !== 'function') {
    throw new Error('nlroute native addon lacks netns support: rebuild it (npx node-gyp rebuild)');
  }
  return nat as NativeBinding & NetnsNative;
}
