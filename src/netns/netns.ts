// NetNS: an IPRoute whose sockets live in a named network namespace while the process stays
// in its own. `new NetNS('blue')` is `new IPRoute({ netns: '/var/run/netns/blue' })` plus the
// namespace's name, existence checks, optional creation, and exec/run/remove helpers.
import type { ChildProcess } from 'node:child_process';

import { IPRoute, type IPRouteOptions } from '../rtnl/iproute.js';
import { NetnsError } from './errors.js';
import { exec, spawn, type ExecResult, type NetnsExecOptions, type NetnsSpawnOptions } from './exec.js';
import { create, remove, requireNetns } from './ops.js';
import { resolveNetns } from './names.js';
import { run } from './run.js';

export interface NetNSOptions extends Omit<IPRouteOptions, 'netns' | 'socket'> {
  /**
   * false (default): the namespace must exist (NetnsError ENOENT otherwise). true: create it
   * if it is missing. 'exclusive': create it, NetnsError EEXIST if it already exists.
   */
  create?: boolean | 'exclusive';
}

/** Make sure the namespace exists as asked; returns its path and whether we created it. */
function prepare(name: string, how: NetNSOptions['create']): { path: string; created: boolean } {
  const path = resolveNetns(name);
  if (how === undefined || how === false) return { path: requireNetns(name, 'open'), created: false };
  if (name.includes('/')) throw new TypeError('NetNS: create needs a namespace name, not a path');
  try {
    create(name);
    return { path, created: true };
  } catch (e) {
    if (how === true && e instanceof NetnsError && e.code === 'EEXIST')
      return { path: requireNetns(name, 'open'), created: false };
    throw e;
  }
}

/** Links, addresses and routes of the network namespace `name` (a name or a namespace file path). */
export class NetNS extends IPRoute {
  /** The name (or path) it was opened with. */
  readonly name: string;
  /** The namespace file, e.g. /var/run/netns/blue. */
  readonly path: string;
  /** Whether this object created the namespace (create option). */
  readonly created: boolean;

  constructor(name: string, opts: NetNSOptions = {}) {
    const { create: how, ...rest } = opts;
    const ns = prepare(name, how);
    try {
      super({ ...rest, netns: ns.path });
    } catch (e) {
      // Do not leave behind a namespace nobody can reach through this object.
      if (ns.created)
        try {
          remove(name);
        } catch {
          /* already gone */
        }
      throw e;
    }
    this.name = name;
    this.path = ns.path;
    this.created = ns.created;
  }

  /** Run a program in this namespace to completion (see netns.exec). */
  exec(argv: readonly string[], opts?: NetnsExecOptions): Promise<ExecResult> {
    return exec(opts?.via === 'ip' ? this.name : this.path, argv, opts);
  }

  /** Start a program in this namespace (see netns.spawn). */
  spawn(argv: readonly string[], opts?: NetnsSpawnOptions): ChildProcess {
    return spawn(opts?.via === 'ip' ? this.name : this.path, argv, opts);
  }

  /** Call fn with this namespace as the default of nlroute sockets created in it (see netns.run). */
  run<T>(fn: () => T): T {
    return run(this.path, fn);
  }

  /** Close the sockets and remove the namespace name (like `ip netns del`). */
  remove(): void {
    this.close();
    if (this.name.includes('/')) throw new TypeError('NetNS.remove: opened by path; remove the file yourself');
    remove(this.name);
  }
}
