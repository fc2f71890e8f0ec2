// Typed errors of the nl80211 layer. Kernel refusals stay NetlinkErrors (errno, code and the
// kernel's extack text), with the command and its target in the message.
import { NetlinkError, type ExtAck } from '../core/index.js';
import { GenlFamilyNotFoundError } from '../genl/errors.js';
import { REASON_CODES, STATUS_CODES } from './names.js';

/** The running kernel has no nl80211 family: cfg80211 is not built or not loaded. */
export class Nl80211UnavailableError extends GenlFamilyNotFoundError {
  override name = 'Nl80211UnavailableError';
  constructor(extack: ExtAck = {}) {
    super('nl80211', extack);
    this.message = 'this kernel has no nl80211 (cfg80211 not loaded): generic netlink family "nl80211" not found';
  }
}

/** The kernel refused an nl80211 command; `command` is its NL80211_CMD_* name. */
export class Nl80211Error extends NetlinkError {
  override name = 'Nl80211Error';
  override readonly operation: string;
  override readonly object: string;
  constructor(
    readonly command: string,
    readonly target: string,
    cause: NetlinkError,
  ) {
    super(cause.errno, cause.extack, cause.index, `nl80211 ${command}${target ? ` (${target})` : ''}`);
    this.operation = `nl80211 ${command}`;
    this.object = target;
  }
}

/** The kernel aborted a scan (NL80211_CMD_SCAN_ABORTED), e.g. the interface went down. */
export class ScanAbortedError extends Error {
  override name = 'ScanAbortedError';
  constructor(readonly ifindex: number) {
    super(`scan on ifindex ${ifindex} was aborted by the kernel (NL80211_CMD_SCAN_ABORTED)`);
  }
}

/** A connection attempt ended without success (NL80211_CMD_CONNECT event with a status code). */
export class ConnectFailedError extends Error {
  override name = 'ConnectFailedError';
  constructor(
    readonly ifindex: number,
    readonly ssid: string,
    /** IEEE 802.11 status code (1: unspecified failure, also used when no BSS was found). */
    readonly status: number,
    readonly timedOut: boolean,
    readonly timeoutReason?: number,
  ) {
    const why = timedOut ? `, timed out${timeoutReason !== undefined ? ` (reason ${timeoutReason})` : ''}` : '';
    super(
      `connect to SSID ${JSON.stringify(ssid)} on ifindex ${ifindex} failed: status ${status} ${STATUS_CODES[status] ?? ''}${why}`.replace(
        / +$/,
        '',
      ),
    );
  }
}

/** The link went down while waiting (NL80211_CMD_DISCONNECT during a connect). */
export class DisconnectedError extends Error {
  override name = 'DisconnectedError';
  constructor(
    readonly ifindex: number,
    readonly reason: number | undefined,
    readonly byAp: boolean,
  ) {
    super(
      `ifindex ${ifindex} was disconnected${byAp ? ' by the AP' : ''}${reason !== undefined ? `: reason ${reason} ${REASON_CODES[reason] ?? ''}`.trimEnd() : ''}`,
    );
  }
}
