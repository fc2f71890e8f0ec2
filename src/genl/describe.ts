// How generic netlink calls are named in their errors: `genl resolve TASKSTATS`,
// `genl TASKSTATS TASKSTATS_CMD_GET`.
import type { CallDescription, CallTable } from '../core/index.js';
import type { GenericNetlink } from './genl.js';
import type { GenericNetlinkSocket } from './socket.js';

const call = (operation: string, object?: string, request?: unknown): CallDescription => ({ operation, object, request });
const command = (family: string, cmd: number | string): string => `${family} ${cmd}`;

/** GenericNetlinkSocket's public calls that talk to the kernel. */
export const GENL_SOCKET_CALLS: CallTable<GenericNetlinkSocket> = {
  resolve: (name) => call('genl resolve', name),
  listFamilies: () => call('genl list families'),
  request: (family, cmd, attrs) => call('genl', command(family, cmd), attrs),
  dump: (family, cmd, attrs) => call('genl dump', command(family, cmd), attrs),
  subscribe: (family, groups) => call('genl subscribe', `${family} ${[groups].flat().join(',')}`),
  getPolicy: (family, cmd) => call('genl policy', cmd === undefined ? family : command(family, cmd)),
};

/** GenericNetlink's public calls. */
export const GENL_CALLS: CallTable<GenericNetlink> = {
  resolve: (name) => call('genl resolve', name),
  listFamilies: () => call('genl list families'),
  getPolicy: (family, cmd) => call('genl policy', cmd === undefined ? family : command(family, cmd)),
};
