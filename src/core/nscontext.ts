// The async-context default network namespace (set by nlroute/netns run()). Lives in core
// because every socket-creating class sits above core and below netns.
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Default namespace (a path or an fd) for kernel sockets opened in the current async context
 * without an explicit `netns` option. Empty outside `netns.run()`.
 */
export const netnsContext = new AsyncLocalStorage<string | number>();
