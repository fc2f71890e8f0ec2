// Typed, lazy loader for the C addon (native/nlsock.c). Importing this module never loads
// the addon: only loadNative() does, so offline code (codec, decoder) works without it.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

declare const pollHandleBrand: unique symbol;
/** Opaque handle returned by NativeBinding.poll(); pass it to pollStop(). */
export type PollHandle = { readonly [pollHandleBrand]: true };

/** Socket-level numeric constants exported by the addon. */
export interface NativeConstants {
  readonly SOL_SOCKET: number;
  readonly SOL_NETLINK: number;
  readonly SO_RCVBUF: number;
  readonly SO_RCVBUFFORCE: number;
  readonly SO_SNDBUF: number;
  readonly SO_SNDBUFFORCE: number;
  readonly NETLINK_ADD_MEMBERSHIP: number;
  readonly NETLINK_DROP_MEMBERSHIP: number;
  readonly NETLINK_PKTINFO: number;
  readonly NETLINK_BROADCAST_ERROR: number;
  readonly NETLINK_NO_ENOBUFS: number;
  readonly NETLINK_LISTEN_ALL_NSID: number;
  readonly NETLINK_CAP_ACK: number;
  readonly NETLINK_EXT_ACK: number;
  readonly NETLINK_GET_STRICT_CHK: number;
  readonly MSG_PEEK: number;
  readonly MSG_TRUNC: number;
  readonly MSG_DONTWAIT: number;
}

/**
 * Error thrown by the addon for a failed syscall (a plain Error with these properties).
 * Argument mistakes throw TypeError (wrong type) or RangeError (bad integer) instead,
 * both with code 'ERR_INVALID_ARG_TYPE' / 'ERR_OUT_OF_RANGE' / 'ERR_INVALID_ARG_VALUE'.
 */
export interface NativeSyscallError extends Error {
  /** errno name, e.g. 'ENOBUFS'; 'E<n>' for unnamed ones. */
  readonly code: string;
  /** Positive errno number. */
  readonly errno: number;
  /** The failing call: 'socket', 'open', 'setns', 'bind', 'sendmsg', 'recvmsg', ... */
  readonly syscall: string;
}

/** recv() result: no datagram queued. */
export const RECV_EMPTY = -1;
/** recv() result: the next datagram does not fit; its size is in info[RECV_INFO.SIZE]. */
export const RECV_TOO_SMALL = -2;
/** Slots of the Int32Array passed to recv(). PID and GROUPS are u32: read them with `>>> 0`. */
export const RECV_INFO = { PID: 0, GROUPS: 1, FLAGS: 2, SIZE: 3 } as const;

/** Options of NativeBinding.tunCreate(); unknown keys are a TypeError. */
export interface TunCreateOptions {
  /** A tap (ethernet frames) instead of a tun (IP packets). Default false. */
  tap?: boolean;
  /** Keep the device after the creating fd closes (TUNSETPERSIST). Default true; false makes a device that is gone on return. */
  persist?: boolean;
  /** uid allowed to attach (TUNSETOWNER). */
  owner?: number | null;
  /** gid allowed to attach (TUNSETGROUP). */
  group?: number | null;
  /** IFF_MULTI_QUEUE. */
  multiQueue?: boolean;
  /** IFF_VNET_HDR. */
  vnetHdr?: boolean;
  /** Keep the packet information header (no IFF_NO_PI). Default false, as `ip tuntap`. */
  pi?: boolean;
}

/** The functions exported by build/Release/nlroute_native.node. All fds are plain numbers. */
export interface NativeBinding {
  /**
   * socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC|SOCK_NONBLOCK, protocol). With `netns` (a
   * namespace path such as /var/run/netns/NAME, or an fd of one) the socket is created inside
   * that namespace by a short-lived thread; the calling thread never changes namespace.
   */
  open(protocol: number, netns?: string | number | null): number;
  /** bind() to sockaddr_nl{pid, groups}; pid 0 lets the kernel pick the port id. */
  bind(fd: number, pid: number, groups: number): void;
  /** Our port id (nl_pid), as an unsigned number. */
  getsockname(fd: number): number;
  /** Sets an int-valued socket option (value may be any int32 or u32). */
  setsockopt(fd: number, level: number, name: number, value: number): void;
  /** Reads an int-valued socket option. */
  getsockopt(fd: number, level: number, name: number): number;
  /** One sendmsg() of all buffers (one datagram) to sockaddr_nl{pid, groups}; returns bytes sent. */
  send(fd: number, bufs: Uint8Array | readonly Uint8Array[], pid?: number, groups?: number): number;
  /**
   * Receives one whole datagram into buf at offset. Returns its length, RECV_EMPTY (-1) when
   * nothing is queued, or RECV_TOO_SMALL (-2) with the needed size in info[3] (nothing is
   * consumed: grow the buffer and call again). On success info = [nl_pid, nl_groups,
   * msg_flags, length]. Throws on errors, including ENOBUFS (receive queue overrun).
   */
  recv(fd: number, buf: Uint8Array, offset: number, info: Int32Array): number;
  /**
   * Calls callback() on the main thread whenever fd is readable (level-triggered: drain with
   * recv() until RECV_EMPTY). Exceptions thrown by callback become uncaught exceptions. Keep
   * the handle: if it is garbage-collected the poll is stopped.
   */
  poll(fd: number, callback: () => void): PollHandle;
  /** Whether a poll keeps the event loop alive (uv_ref/uv_unref); polls start referenced. */
  pollRef(handle: PollHandle, ref: boolean): void;
  /** Stops and frees a poll; safe to call more than once. */
  pollStop(handle: PollHandle): void;
  /** Stops any poll on fd, then closes it. */
  close(fd: number): void;
  /**
   * Creates a tun/tap device through /dev/net/tun (the kernel has no rtnetlink path for it),
   * in `netns` (path or fd) when given, by a short-lived thread. `name` may hold one "%d";
   * empty/null lets the kernel pick tun%d/tap%d. Returns the name created. An existing name is
   * EBUSY (IFF_TUN_EXCL); names over 15 bytes are a RangeError.
   */
  tunCreate(name: string | null | undefined, opts?: TunCreateOptions | null, netns?: string | number | null): string;
  /** SO_PEERCRED of a connected AF_UNIX socket: the peer process's pid, uid and gid. */
  peerCred(fd: number): { pid: number; uid: number; gid: number };
  /**
   * One SOCK_DGRAM datagram to an AF_UNIX path ('@name' is the abstract namespace), as
   * sd_notify sends to NOTIFY_SOCKET; Node's dgram module has no AF_UNIX. Returns bytes sent.
   */
  sendDatagram(path: string, data: Buffer): number;
  readonly constants: NativeConstants;
}

/** The native addon is not built or cannot be loaded on this machine. */
export class NativeUnavailableError extends Error {
  override readonly name = 'NativeUnavailableError';
  readonly code = 'ERR_NLROUTE_NATIVE_UNAVAILABLE';

  constructor(detail: string, options?: { cause?: unknown }) {
    super(
      `nlroute native addon is not available: ${detail}. Talking to the kernel needs it; ` +
        'build it with `npm rebuild nlroute` (or `npx node-gyp rebuild` in the package ' +
        'directory; needs Linux, python3, make and a C compiler). Offline decoding ' +
        '(codec, decoder) does not need it.',
      options,
    );
  }
}

const ADDON_NAME = 'nlroute_native.node';
let cached: NativeBinding | undefined;

/** The directory holding nlroute's package.json, searched upward from this module. */
function packageRoot(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'nlroute') {
          return dir;
        }
      } catch {
        // An unreadable manifest is not ours; keep walking up.
      }
    }
    if (dirname(dir) === dir) {
      throw new NativeUnavailableError(`cannot find the nlroute package root above ${start}`);
    }
  }
}

/** Loads the addon on first call and caches it; throws NativeUnavailableError if it cannot. */
export function loadNative(): NativeBinding {
  if (cached !== undefined) return cached;
  if (process.platform !== 'linux') {
    throw new NativeUnavailableError(`netlink exists only on Linux (this is ${process.platform})`);
  }
  const root = packageRoot();
  const candidates = ['Release', 'Debug'].map((kind) => join(root, 'build', kind, ADDON_NAME));
  const file = candidates.find((path) => existsSync(path));
  if (file === undefined) {
    throw new NativeUnavailableError(`${candidates[0]} does not exist`);
  }
  try {
    // process.dlopen is what require() of a .node file does underneath, without the
    // CommonJS loader's resolution and caching (~1 ms of start-up).
    const mod = { exports: {} as NativeBinding };
    process.dlopen(mod, file);
    cached = mod.exports;
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new NativeUnavailableError(`loading ${file} failed (${why})`, { cause });
  }
  return cached;
}
