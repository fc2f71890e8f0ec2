// Who may call what: read methods are open to root and the API group, changing methods to
// root and the admin group. Identities come from SO_PEERCRED, groups from /etc/group and
// the peer's supplementary groups in /proc/PID/status.
import { readFileSync } from 'node:fs';
import type { PeerCred } from '../varlink/server.js';

export interface AuthPolicy {
  /** Group allowed to read (GetStatus, Show, Diff, Monitor). Default 'nlroute'. */
  group: string;
  /** Group allowed to change (Apply, Confirm, Rollback, Reload) besides root. Default none. */
  adminGroup?: string;
}

/** gid of a group name (or a number given as a string); undefined when unknown. */
export function groupId(name: string, groupFile = '/etc/group'): number | undefined {
  if (/^\d+$/.test(name)) return Number(name);
  let text: string;
  try {
    text = readFileSync(groupFile, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const [n, , gid] = line.split(':');
    if (n === name && gid !== undefined && /^\d+$/.test(gid)) return Number(gid);
  }
  return undefined;
}

/** The peer's primary and supplementary groups. */
export function peerGroups(peer: PeerCred): Set<number> {
  const out = new Set([peer.gid]);
  try {
    const status = readFileSync(`/proc/${peer.pid}/status`, 'utf8');
    const m = /^Groups:\s*([\d ]*)$/m.exec(status);
    for (const g of m?.[1]?.trim().split(/\s+/) ?? []) if (g) out.add(Number(g));
  } catch {
    // The peer has exited; its primary group still counts.
  }
  return out;
}

export type Access = 'read' | 'write';

/** Whether a peer may make a call of the given kind. */
export function allowed(peer: PeerCred | undefined, access: Access, policy: AuthPolicy): boolean {
  if (!peer) return false;
  if (peer.uid === 0) return true;
  const groups = peerGroups(peer);
  const want = access === 'read' ? [policy.group, policy.adminGroup] : [policy.adminGroup];
  for (const name of want) {
    if (!name) continue;
    const gid = groupId(name);
    if (gid !== undefined && groups.has(gid)) return true;
  }
  return false;
}
