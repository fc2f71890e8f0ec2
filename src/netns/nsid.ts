// Peer namespace ids (nsid) by namespace name: the number a namespace uses to name another one
// in netlink messages (IFLA_LINK_NETNSID, ...). Each call opens a NETLINK_ROUTE socket in the
// viewing namespace (`in`; default the current one, the process's or run()'s) and uses rtnl's
// socket-level nsid functions (RTM_GETNSID / RTM_NEWNSID, RTNLGRP_NSID events).
import { closeSync, openSync } from 'node:fs';

import { NetlinkError, NetlinkSocket, NETLINK_ROUTE, type Subscription } from '../core/index.js';
import { rtnlMarshal } from '../rtnl/marshal.js';
import { getNsids, nsid as nsidOn, subscribeNsid, type NsidMessage } from '../rtnl/nsid.js';
import { NETNSA_NSID_NOT_ASSIGNED, RTM_DELNSID, RTM_NEWNSID } from '../rtnl/nsidmsg.js';
import { NetnsError, netnsError } from './errors.js';
import { requireNetns } from './ops.js';

export interface NsidOptions {
  /** The namespace whose id table is read or changed (name or path); default: the current one. */
  in?: string;
}

function socket(opts: NsidOptions): NetlinkSocket {
  const netns = opts.in === undefined ? undefined : requireNetns(opts.in, 'use');
  return new NetlinkSocket({ protocol: NETLINK_ROUTE, marshal: rtnlMarshal(), ...(netns ? { netns } : {}) });
}

/** Run `body` with a socket in `in` and an fd of the peer namespace, closing both after. */
async function withPeer<T>(
  name: string,
  op: string,
  opts: NsidOptions,
  body: (sock: NetlinkSocket, fd: number) => Promise<T>,
): Promise<T> {
  const path = requireNetns(name, op);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw netnsError(e, op, name, path);
  }
  try {
    const sock = socket(opts);
    try {
      return await body(sock, fd);
    } catch (e) {
      if (!(e instanceof NetlinkError)) throw e;
      throw new NetnsError(
        `cannot ${op} network namespace ${JSON.stringify(name)}: ${e.message}`,
        e.code,
        e.errno,
        name,
        undefined,
        { cause: e },
      );
    } finally {
      sock.close();
    }
  } finally {
    closeSync(fd);
  }
}

/** The id namespace `in` gives namespace `name`, or undefined if it has none (yet). */
export async function getNsid(name: string, opts: NsidOptions = {}): Promise<number | undefined> {
  const id = await withPeer(name, 'get the nsid of', opts, (sock, fd) => nsidOn(sock, 'get', { fd }));
  return id === NETNSA_NSID_NOT_ASSIGNED ? undefined : id;
}

/**
 * Give namespace `name` the id `id` in namespace `in` (like `ip netns set NAME ID`); -1 or
 * 'auto' lets the kernel pick. Returns the id. EEXIST if the peer has an id or `id` is taken.
 */
export async function setNsid(name: string, id: number | 'auto', opts: NsidOptions = {}): Promise<number> {
  const nsid = id === 'auto' ? -1 : id;
  if (!Number.isInteger(nsid) || nsid < -1 || nsid > 0x7fffffff) {
    throw new NetnsError(
      `cannot set the nsid of network namespace ${JSON.stringify(name)}: id must be an integer in [0, 2^31) or 'auto', got ${String(id)}`,
      'EINVAL',
      22,
      name,
    );
  }
  return withPeer(name, 'set the nsid of', opts, (sock, fd) => nsidOn(sock, 'set', { fd, nsid }));
}

/** Every id assigned in namespace `in` (like `ip netns list-id`), in the kernel's order. */
export async function listNsids(opts: NsidOptions = {}): Promise<number[]> {
  const sock = socket(opts);
  try {
    return (await getNsids(sock)).map((m) => m.getAttr('NETNSA_NSID')).filter((n): n is number => n !== undefined);
  } finally {
    sock.close();
  }
}

/**
 * RTNLGRP_NSID events of namespace `in`: RTM_NEWNSID when a peer gets an id, RTM_DELNSID
 * when it loses it (the peer died). Closing the subscription closes its socket.
 */
export function watchNsid(opts: NsidOptions = {}): Subscription<NsidMessage> {
  const sock = socket(opts);
  try {
    const sub = subscribeNsid(sock);
    sub.once('close', () => sock.close());
    return sub;
  } catch (e) {
    sock.close();
    throw e;
  }
}

export { RTM_NEWNSID, RTM_DELNSID, NETNSA_NSID_NOT_ASSIGNED, type NsidMessage };
