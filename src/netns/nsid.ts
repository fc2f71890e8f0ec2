// Peer namespace ids (nsid): the number a namespace uses to name another one in netlink
// messages (IFLA_LINK_NETNSID, ...). RTM_GETNSID / RTM_NEWNSID and RTNLGRP_NSID events,
// asked from a socket in the viewing namespace (`in`), default the process's (or run()'s).
import { closeSync, openSync } from 'node:fs';

import { Marshal, NetlinkSocket, NETLINK_ROUTE, NLM_F_DUMP, NetlinkError, type Subscription } from '../core/index.js';
import { NETNSA_NSID_NOT_ASSIGNED, RTM_DELNSID, RTM_GETNSID, RTM_NEWNSID, RTNLGRP_NSID, nsidmsg } from '../rtnl/nsidmsg.js';
import { NetnsError, netnsError } from './errors.js';
import { requireNetns } from './ops.js';

export interface NsidOptions {
  /** The namespace whose id table is read or changed (name or path); default: the current one. */
  in?: string;
}

/** An nsid event: a peer got an id (RTM_NEWNSID) or lost it (RTM_DELNSID, the peer died). */
export type NsidMessage = ReturnType<typeof nsidmsg.decode>;

function socket(opts: NsidOptions): NetlinkSocket {
  const netns = opts.in === undefined ? undefined : requireNetns(opts.in, 'use');
  return new NetlinkSocket({ protocol: NETLINK_ROUTE, marshal: new Marshal({ [RTM_NEWNSID]: nsidmsg, [RTM_DELNSID]: nsidmsg }), ...(netns ? { netns } : {}) });
}

/** Open the target namespace file for NETNSA_FD. */
function openTarget(name: string, op: string): { fd: number; path: string } {
  const path = requireNetns(name, op);
  try {
    return { fd: openSync(path, 'r'), path };
  } catch (e) {
    throw netnsError(e, op, name, path);
  }
}

function kernelError(e: unknown, op: string, name: string, path: string): unknown {
  if (!(e instanceof NetlinkError)) return e;
  const why = e.extack.message ? `: ${e.extack.message}` : '';
  return new NetnsError(`cannot ${op} network namespace ${JSON.stringify(name)}: ${e.message}${why && !e.message.includes(why) ? why : ''}`, e.code, e.errno, name, undefined, { cause: e });
}

/** The id namespace `in` gives namespace `name`, or undefined if it has none (yet). */
export async function getNsid(name: string, opts: NsidOptions = {}): Promise<number | undefined> {
  const { fd, path } = openTarget(name, 'get the nsid of');
  const sock = socket(opts);
  try {
    const [answer] = await sock.request(nsidmsg, { type: RTM_GETNSID, attrs: { NETNSA_FD: fd } });
    const id = answer?.getAttr('NETNSA_NSID');
    return id === undefined || id === NETNSA_NSID_NOT_ASSIGNED ? undefined : id;
  } catch (e) {
    throw kernelError(e, 'get the nsid of', name, path);
  } finally {
    sock.close();
    closeSync(fd);
  }
}

/**
 * Give namespace `name` the id `id` in namespace `in` (like `ip netns set NAME ID`); -1 or
 * 'auto' lets the kernel pick. Returns the id. EEXIST if the peer has an id or `id` is taken.
 */
export async function setNsid(name: string, id: number | 'auto', opts: NsidOptions = {}): Promise<number> {
  const nsid = id === 'auto' ? -1 : id;
  if (!Number.isInteger(nsid) || nsid < -1 || nsid > 0x7fffffff) {
    throw new NetnsError(`cannot set the nsid of network namespace ${JSON.stringify(name)}: id must be an integer in [0, 2^31) or 'auto', got ${String(id)}`, 'EINVAL', 22, name);
  }
  const { fd, path } = openTarget(name, 'set the nsid of');
  const sock = socket(opts);
  try {
    await sock.request(nsidmsg, { type: RTM_NEWNSID, attrs: { NETNSA_FD: fd, NETNSA_NSID: nsid } });
    if (nsid >= 0) return nsid;
    const [answer] = await sock.request(nsidmsg, { type: RTM_GETNSID, attrs: { NETNSA_FD: fd } });
    return answer.getAttr('NETNSA_NSID') as number;
  } catch (e) {
    throw kernelError(e, 'set the nsid of', name, path);
  } finally {
    sock.close();
    closeSync(fd);
  }
}

/** Every id assigned in namespace `in` (like `ip netns list-id`), in the kernel's order. */
export async function listNsids(opts: NsidOptions = {}): Promise<number[]> {
  const sock = socket(opts);
  try {
    const msgs = await sock.request(nsidmsg, { type: RTM_GETNSID, flags: NLM_F_DUMP });
    return msgs.map((m) => m.getAttr('NETNSA_NSID')).filter((n): n is number => n !== undefined);
  } finally {
    sock.close();
  }
}

/**
 * RTNLGRP_NSID events of namespace `in`: RTM_NEWNSID when a peer gets an id, RTM_DELNSID
 * when it loses it. Closing the subscription closes its socket.
 */
export function watchNsid(opts: NsidOptions = {}): Subscription<NsidMessage> {
  const sock = socket(opts);
  try {
    const sub = sock.subscribe<NsidMessage>([RTNLGRP_NSID]);
    sub.once('close', () => sock.close());
    return sub;
  } catch (e) {
    sock.close();
    throw e;
  }
}

export { RTM_NEWNSID, RTM_DELNSID, NETNSA_NSID_NOT_ASSIGNED };
