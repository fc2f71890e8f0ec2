// tun/tap links. The kernel creates them only through /dev/net/tun ioctls, never over
// rtnetlink (tun's rtnl ops refuse RTM_NEWLINK), so `link('add', { kind: 'tun' | 'tap' })`
// comes here: the native addon makes the device in the IPRoute's namespace, then the rest of
// the spec (mtu, state, master, altname...) is an ordinary change of that link. Reading and
// deleting need nothing special.
import {
  NetlinkError,
  NativeTransport,
  RecordingTransport,
  loadNative,
  netnsPath,
  type NetlinkSocket,
  type Transport,
} from '../core/index.js';
import type { NativeSyscallError, TunCreateOptions } from '../core/native.js';
import { RTM } from './constants.js';
import { ifinfmsg, type IfinfMessage } from './ifinfmsg.js';
import { linkBody, linkRequest, type LinkSpec } from './link.js';
import { checkIfname } from './spec.js';

/** Spec keys that configure the device itself (TUNSETIFF flags, owner, group). */
const TUN_KEYS: Readonly<Record<string, keyof TunCreateOptions>> = {
  tunOwner: 'owner',
  tunGroup: 'group',
  tunMultiQueue: 'multiQueue',
  tunVnetHdr: 'vnetHdr',
  tunPi: 'pi',
  tunPersist: 'persist',
};
const TUN_TYPES: Readonly<Record<string, 'tun' | 'tap'>> = {
  1: 'tun',
  2: 'tap',
  tun: 'tun',
  tap: 'tap',
  IFF_TUN: 'tun',
  IFF_TAP: 'tap',
};

/** Whether `link(cmd, spec)` is a tun/tap creation, which cannot go over rtnetlink. */
export function isTuntapAdd(cmd: string, spec: { kind?: unknown } | undefined): boolean {
  return cmd === 'add' && (spec?.kind === 'tun' || spec?.kind === 'tap');
}

/** What the addon needs, and the rest of the spec to apply afterwards as a link change. */
export interface TuntapPlan {
  /** Wanted name; may hold one %d; undefined lets the kernel pick tun%d / tap%d. */
  name: string | undefined;
  opts: TunCreateOptions;
  rest: LinkSpec;
}

/** Split a tun/tap spec; throws TypeError for what the device cannot be made with. */
export function tuntapPlan(spec: LinkSpec): TuntapPlan {
  const tap = spec.kind === 'tap';
  const opts: TunCreateOptions = { tap };
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec)) {
    if (v === undefined || k === 'kind' || k === 'ifname') continue;
    if (k === 'tunType') {
      if (TUN_TYPES[String(v)] !== spec.kind)
        throw new TypeError(`tunType ${JSON.stringify(v)} contradicts kind ${spec.kind}`);
    } else if (k in TUN_KEYS) {
      const opt = TUN_KEYS[k];
      if (opt === 'owner' || opt === 'group') {
        if (!Number.isInteger(v) || (v as number) < 0 || (v as number) >= 0xffffffff)
          throw new TypeError(`${k} must be a uid/gid number (0..4294967294), got ${JSON.stringify(v)}`);
        opts[opt] = v as number;
      } else {
        if (typeof v !== 'boolean' && v !== 0 && v !== 1)
          throw new TypeError(`${k} must be a boolean, got ${JSON.stringify(v)}`);
        opts[opt] = Boolean(v);
      }
    } else if (/^tun[A-Z]/.test(k)) {
      throw new TypeError(
        `${k} cannot be set on a ${spec.kind}: the device takes ${[...Object.keys(TUN_KEYS), 'tunType'].join(', ')}`,
      );
    } else if (k === 'data' || k === 'peer' || k === 'index') {
      throw new TypeError(`${k} does not apply when creating a ${spec.kind}`);
    } else {
      rest[k] = v;
    }
  }
  // Without persist the device disappears as soon as the creating fd closes.
  if (opts.persist === false)
    throw new TypeError(
      `tunPersist: false would make a ${spec.kind} that is gone at once; IPRoute makes persistent devices`,
    );
  const name = spec.ifname === undefined || spec.ifname === '' ? undefined : checkIfname(spec.ifname);
  // Catch bad options before anything exists (names are already indexes here).
  if (Object.keys(rest).length) linkBody('set', { ...rest, index: 1 });
  return { name, opts, rest };
}

/** Whether requests on sock reach the kernel (not a replay): only then may a device be made. */
function reachesKernel(t: Transport): boolean {
  return t instanceof NativeTransport || (t instanceof RecordingTransport && reachesKernel(t.inner));
}

/** The addon's syscall error as a NetlinkError, so callers handle every link('add') alike. */
function asNetlinkError(e: unknown, name: string | undefined): unknown {
  const err = e as Partial<NativeSyscallError>;
  if (!(e instanceof Error) || typeof err.errno !== 'number' || typeof err.syscall !== 'string') return e;
  const why =
    err.code === 'EBUSY' && name !== undefined
      ? `an interface named ${JSON.stringify(name)} already exists`
      : undefined;
  const out = new NetlinkError(err.errno, why ? { message: why } : {}, undefined, err.syscall);
  return Object.assign(out, { cause: e });
}

/**
 * Create a tun/tap link from a prepared spec (names resolved, namespaces opened) in `netns`
 * (the IPRoute's), then apply the rest of the spec; a failure there deletes the new device
 * again. Resolves with the link as the kernel shows it afterwards ([] if it was moved away).
 */
export async function addTuntap(
  sock: NetlinkSocket,
  netns: string | number | undefined,
  spec: LinkSpec,
): Promise<IfinfMessage[]> {
  const { name, opts, rest } = tuntapPlan(spec);
  if (!reachesKernel(sock.transport))
    throw new TypeError(`a ${spec.kind} can only be created on a kernel socket, not a replayed one`);
  const where = typeof netns === 'string' ? netnsPath(netns) : (netns ?? null);
  let made: string;
  try {
    made = loadNative().tunCreate(name ?? null, opts, where);
  } catch (e) {
    throw asNetlinkError(e, name);
  }
  const get = (by: { index: number } | { ifname: string }): Promise<IfinfMessage[]> =>
    sock.request(ifinfmsg, {
      type: RTM.RTM_GETLINK,
      flags: 0,
      fields: 'index' in by ? { index: by.index } : {},
      attrs:
        'ifname' in by
          ? [
              ['IFLA_IFNAME', by.ifname],
              ['IFLA_EXT_MASK', 8],
            ]
          : [['IFLA_EXT_MASK', 8]],
    });
  const [link] = await get({ ifname: made });
  const index = link.field('index');
  try {
    const { altname, ...change } = rest;
    if (altname !== undefined) {
      const p = linkRequest('property_add', { index, altname });
      await sock.request(p.schema, p.spec);
    }
    if (Object.keys(change).length) {
      const r = linkRequest('set', { ...change, index });
      await sock.request(r.schema, r.spec);
    }
  } catch (e) {
    const d = linkRequest('del', { index });
    await sock.request(d.schema, d.spec).catch(() => undefined);
    throw e;
  }
  try {
    return await get({ index });
  } catch (e) {
    if (e instanceof NetlinkError && e.code === 'ENODEV') return [];
    throw e;
  }
}
