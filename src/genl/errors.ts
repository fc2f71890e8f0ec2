// Typed errors of the generic netlink layer.
import { NetlinkError, type ExtAck } from '../core/index.js';

const ENOENT = 2;

/**
 * The kernel has no generic netlink family of that name (module not loaded or not built,
 * or the family is not visible in this network namespace). A NetlinkError with code ENOENT.
 */
export class GenlFamilyNotFoundError extends NetlinkError {
  override name = 'GenlFamilyNotFoundError';
  constructor(
    readonly family: string,
    extack: ExtAck = {},
    why = 'the kernel has no such family (not built, module not loaded, or not available in this network namespace)',
  ) {
    super(ENOENT, extack);
    this.message = `generic netlink family "${family}" not found: ${why}`;
  }
}

/** The family exists but has no multicast group of that name. */
export class GenlGroupNotFoundError extends Error {
  override name = 'GenlGroupNotFoundError';
  constructor(
    readonly family: string,
    readonly group: string,
    readonly available: readonly string[],
  ) {
    super(
      `generic netlink family "${family}" has no multicast group "${group}" (it has: ${available.length ? available.join(', ') : 'none'})`,
    );
  }
}
