// Peer namespace ids on a socket: ipr.nsid('set'|'get', spec), getNsids(), nsid events.
// (src/netns/nsid.ts offers the same by namespace name with its own sockets.)
import { closeSync, openSync } from 'node:fs';
import {
  AF_UNSPEC,
  NLM_F_DUMP,
  NetlinkEncodeError,
  attachMessage,
  checkSpec,
  intCheck,
  stringCheck,
  type Message,
  type NetlinkSocket,
  type Subscription,
} from '../core/index.js';
import { ask } from './commands.js';
import { RTM_GETNSID, RTM_NEWNSID, RTNLGRP_NSID, nsidVocab, nsidmsg } from './nsidmsg.js';

export type NsidMessage = Message<typeof nsidmsg.header.fields, typeof nsidmsg.attrs.decl>;

export interface NsidSpec {
  /** The peer as a namespace name (under /var/run/netns) or path. */
  netns?: string;
  /** The peer as an open namespace fd. */
  fd?: number;
  /** The peer as the namespace of a process. */
  pid?: number;
  /** The id to give ('set'); omitted or -1 lets the kernel pick. */
  nsid?: number;
  /** 'get': ask for the id as seen from another namespace (by its nsid here). */
  targetNsid?: number;
  /** @deprecated alias of targetNsid */ target_nsid?: number;
  /** Read from records; accepted and not sent. */
  currentNsid?: number;
}

/** A peer namespace id: its id here and, when it has one, its name under /var/run/netns. */
export interface NsidRecord {
  nsid: number;
  netns?: string;
  currentNsid?: number;
}

const RULES = nsidVocab.rules({ netns: stringCheck(), nsid: intCheck(-1, 0x7fffffff) });

/** The peer id of a dump message as a record (IPRoute.nsids adds the name). */
export function nsidRecord(m: NsidMessage): NsidRecord {
  const r = nsidVocab.readAttrs(m, {} as Record<string, unknown>);
  return attachMessage(r, m) as unknown as NsidRecord;
}

/** Run `body` with NETNSA_FD/PID attributes for the peer, closing an fd we opened. */
async function withPeer<T>(spec: NsidSpec, body: (attrs: [string, unknown][]) => Promise<T>): Promise<T> {
  const given = [spec.netns, spec.fd, spec.pid].filter((x) => x !== undefined).length;
  if (given !== 1) throw new NetlinkEncodeError('nsid: name the peer with exactly one of netns, fd, pid');
  if (spec.pid !== undefined) return body([['NETNSA_PID', spec.pid]]);
  if (spec.fd !== undefined) return body([['NETNSA_FD', spec.fd]]);
  const path = spec.netns!.includes('/') ? spec.netns! : `/var/run/netns/${spec.netns}`;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new NetlinkEncodeError(`nsid: cannot open namespace ${path}: ${(e as Error).message}`);
  }
  try {
    return await body([['NETNSA_FD', fd]]);
  } finally {
    closeSync(fd);
  }
}

/**
 * `nsid(sock, 'set', { netns: 'blue', nsid: 5 })` gives the peer an id in the socket's
 * namespace (RTM_NEWNSID) and resolves with it; `nsid(sock, 'get', { netns })` resolves with
 * the peer's id, or -1 (NETNSA_NSID_NOT_ASSIGNED) when it has none.
 */
export async function nsid(sock: NetlinkSocket, cmd: 'set' | 'add' | 'get', spec: NsidSpec): Promise<number> {
  spec = checkSpec('nsid', spec, RULES);
  if (cmd === 'set' || cmd === 'add') {
    const id = spec.nsid ?? -1;
    await withPeer(spec, (attrs) =>
      ask(sock, nsidmsg, { type: RTM_NEWNSID, fields: { family: AF_UNSPEC }, attrs: [['NETNSA_NSID', id], ...attrs] }),
    );
    return id >= 0 ? id : nsid(sock, 'get', { ...spec, nsid: undefined });
  }
  if (cmd !== 'get')
    throw new NetlinkEncodeError(`nsid: unknown command ${JSON.stringify(cmd)} (set, get; the kernel has no delete)`);
  const answer = await withPeer(spec, (attrs) =>
    ask(sock, nsidmsg, {
      type: RTM_GETNSID,
      flags: 0,
      fields: { family: AF_UNSPEC },
      attrs: spec.targetNsid === undefined ? attrs : [...attrs, ['NETNSA_TARGET_NSID', spec.targetNsid]],
    }),
  );
  return answer[0]?.getAttr('NETNSA_NSID') ?? -1;
}

/** Every peer id assigned in the socket's namespace. */
export async function getNsids(sock: NetlinkSocket): Promise<NsidMessage[]> {
  return ask(sock, nsidmsg, { type: RTM_GETNSID, flags: NLM_F_DUMP, fields: { family: AF_UNSPEC } });
}

/** RTM_NEWNSID / RTM_DELNSID events of the socket's namespace (RTNLGRP_NSID). */
export function subscribeNsid(sock: NetlinkSocket): Subscription<NsidMessage> {
  return sock.subscribe<NsidMessage>([RTNLGRP_NSID]);
}
