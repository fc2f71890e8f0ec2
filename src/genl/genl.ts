// GenericNetlink: the user-facing entry to generic netlink (family discovery).
import type { GenlFamily } from './family.js';
import type { GenlPolicy } from './policy.js';
import { describeCalls } from '../core/index.js';
import { GENL_CALLS } from './describe.js';
import { GenericNetlinkSocket, type GenericNetlinkSocketOptions } from './socket.js';

/**
 * Generic netlink families of the running kernel.
 *
 *     await using genl = new GenericNetlink();
 *     const { id, mcastGroups } = await genl.resolve('nlctrl');
 */
export class GenericNetlink {
  /** The socket, for requests to families by name (`genl.socket.request('TASKSTATS', ...)`). */
  readonly socket: GenericNetlinkSocket;

  constructor(opts: GenericNetlinkSocketOptions = {}) {
    this.socket = new GenericNetlinkSocket(opts);
  }

  /** Every family the kernel has. */
  listFamilies(): Promise<GenlFamily[]> {
    return this.socket.listFamilies();
  }

  /** One family by name; GenlFamilyNotFoundError if the kernel has none of that name. */
  resolve(name: string): Promise<GenlFamily> {
    return this.socket.resolve(name);
  }

  /** A family's attribute policies, for all commands or one. */
  getPolicy(name: string, cmd?: number): Promise<GenlPolicy> {
    return this.socket.getPolicy(name, cmd);
  }

  close(): void {
    this.socket.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}

// Kernel errors of these calls name the call and point at the caller's line (src/genl/describe.ts).
describeCalls(GenericNetlink, GENL_CALLS);
