// IW: nl80211 from Node.js, with the seed IW class's methods (TypeScript names, options
// objects) plus what `iw` users expect (set type / frequency / tx power, regulatory domain,
// survey, wireless events). Methods return nl80211 messages (typed getAttr); info.ts turns
// them into plain objects with friendly names.
import { NLM_F_ACK, NetlinkError, NetlinkTimeoutError, Overrun, type Subscription } from '../core/index.js';
import {
  GenericNetlinkSocket,
  GenlFamilyNotFoundError,
  type GenericNetlinkSocketOptions,
  type GenlFamily,
} from '../genl/index.js';
import { NL80211_COMMANDS, NL80211_MULTICAST_GROUPS, NL80211_SCAN_FLAGS } from './constants.js';
import { checkIwOptions } from './specs.js';
import {
  ConnectFailedError,
  DisconnectedError,
  Nl80211Error,
  Nl80211UnavailableError,
  ScanAbortedError,
} from './errors.js';
import type { InfoElementInput } from './ies.js';
import {
  AUTH_TYPE_NAMES,
  BSS_STATUS_NAMES,
  chanWidthValue,
  iftypeName,
  iftypeValue,
  lookup,
  txPowerValue,
  type ChanWidthName,
  type IftypeName,
  type TxPowerMode,
} from './names.js';
import { nl80211cmd, type Nl80211Message } from './nl80211cmd.js';
import { mergeWiphyParts } from './split.js';

/**
 * An interrupted dump is asked again at least this often, and for this long, before
 * DumpInterruptedError: on a busy machine beacons change the scan cache during every dump.
 */
const DUMP_RETRIES = 5;
const DUMP_RETRY_MS = 5000;

type CmdName = keyof typeof NL80211_COMMANDS;
type AttrsIn = Parameters<typeof nl80211cmd.encode>[0]['attrs'];

/** Multicast group names of nl80211 ('config', 'scan', 'regulatory', 'mlme', 'vendor', 'nan', 'testmode'). */
export type Nl80211Group = (typeof NL80211_MULTICAST_GROUPS)[keyof typeof NL80211_MULTICAST_GROUPS];

export interface IWOptions extends GenericNetlinkSocketOptions {
  /** Timeout of each kernel request in ms (default 10000). */
  timeout?: number;
}

export interface AddInterfaceOptions {
  /** Create on the radio of this interface (ifindex). */
  dev?: number;
  /** Create on this radio (wiphy index); default 0 when `dev` is not given, as in the seed. */
  phy?: number;
  /** Monitor flags (NL80211_MNTR_FLAG_* names or values), for monitor interfaces. */
  monitorFlags?: readonly (string | number)[];
  /** MAC address of the new interface. */
  mac?: string;
  /** 4-address (WDS) mode. */
  use4addr?: boolean;
}

export interface ScanOptions {
  /** SSIDs to probe for (active scan); '' is the wildcard. None: passive scan, as in the seed. */
  ssids?: readonly string[];
  /** Flush the BSS cache before the scan (NL80211_SCAN_FLAG_FLUSH). */
  flushCache?: boolean;
  /** Only these frequencies (MHz). */
  freqs?: readonly number[];
  /** Extra scan flags (NL80211_SCAN_FLAG_* names). */
  flags?: readonly (keyof typeof NL80211_SCAN_FLAGS)[];
  /** How long to wait for the scan to finish, ms (default 30000). */
  timeout?: number;
}

export interface ConnectOptions {
  /** Frequency hint (MHz): the kernel scans only this channel when it has to scan. */
  freq?: number;
  /** Authentication type (default: the kernel chooses). */
  authType?: keyof typeof AUTH_TYPE_NAMES | number;
  /** Extra information elements for the association request. */
  ies?: Uint8Array | string | readonly InfoElementInput[];
  /** Wait for the connect result (default true); false only sends, like the seed. */
  wait?: boolean;
  /** How long to wait for the result, ms (default 20000). */
  timeout?: number;
}

export interface JoinIbssOptions {
  ssid: string;
  freq: number;
  bssid?: string;
  /** Fix the channel (no merging to other channels); then `width` (and `center` for 40+ MHz) is needed. */
  channelFixed?: boolean;
  width?: ChanWidthName | number;
  center?: number;
  center2?: number;
}

export interface SetFrequencyOptions {
  freq: number;
  /** Channel width (default '20_noht'). */
  width?: ChanWidthName | number;
  /** Center frequency of the whole channel; derived for 5/10/20 MHz widths. */
  center1?: number;
  center2?: number;
}

const WIDTH_20_NOHT = 0,
  WIDTH_20 = 1,
  WIDTH_40 = 2,
  WIDTH_80P80 = 4,
  WIDTH_5 = 6,
  WIDTH_10 = 7;
const CHAN_NO_HT = 0,
  CHAN_HT20 = 1,
  CHAN_HT40MINUS = 2,
  CHAN_HT40PLUS = 3;

/**
 * nl80211 client (the seed's IW):
 *
 *     await using iw = new IW();
 *     const ifaces = (await iw.listDev()).map(interfaceInfo);
 *     const bss = (await iw.scan(ifindex, { ssids: [''] })).map(bssInfo);
 *
 * On a kernel without cfg80211 every method rejects with Nl80211UnavailableError.
 */
export class IW {
  /** The generic netlink socket (nl80211 messages decode with `nl80211.nl80211cmd`). */
  readonly genl: GenericNetlinkSocket;

  constructor(opts: IWOptions = {}) {
    this.genl = new GenericNetlinkSocket({ ...opts, timeout: opts.timeout ?? 10_000 });
    this.genl.register('nl80211', nl80211cmd);
  }

  /** The nl80211 family (id, version, multicast groups); Nl80211UnavailableError without cfg80211. */
  async family(): Promise<GenlFamily> {
    try {
      return await this.genl.resolve('nl80211');
    } catch (e) {
      if (e instanceof GenlFamilyNotFoundError) throw new Nl80211UnavailableError(e.extack);
      throw e;
    }
  }

  /** Send one nl80211 command; kernel refusals become Nl80211Error naming the command. */
  async request(
    cmd: CmdName,
    attrs: AttrsIn = {},
    opts: { dump?: boolean; target?: string; flags?: number; timeout?: number } = {},
  ): Promise<Nl80211Message[]> {
    await this.family();
    try {
      // A dump is a snapshot: one the kernel marks interrupted (scan results change with every
      // beacon, stations come and go) is asked again rather than failed.
      const msgs = await this.genl.request<Nl80211Message>('nl80211', cmd, attrs, {
        dump: opts.dump,
        flags: opts.flags ?? (opts.dump ? undefined : NLM_F_ACK),
        timeout: opts.timeout,
        ...(opts.dump ? { retryInterrupted: DUMP_RETRIES, retryInterruptedFor: DUMP_RETRY_MS } : {}),
      });
      return msgs.filter((m) => m.schema === nl80211cmd);
    } catch (e) {
      if (e instanceof NetlinkError && !(e instanceof Nl80211Error))
        throw new Nl80211Error(cmd, opts.target ?? targetOf(attrs), e);
      throw e;
    }
  }

  // ---- interfaces ------------------------------------------------------------------

  /** Create a virtual interface on a radio (`dev`: ifindex of one of its interfaces, or `phy`). */
  async addInterface(
    ifname: string,
    iftype: IftypeName | number,
    opts: AddInterfaceOptions = {},
  ): Promise<Nl80211Message> {
    checkIwOptions('addInterface', opts);
    if (typeof ifname !== 'string' || !ifname || Buffer.byteLength(ifname) > 15)
      throw new TypeError(`interface name must be 1..15 bytes: ${JSON.stringify(ifname)}`);
    const attrs: [string, unknown][] = [];
    if (opts.dev !== undefined) attrs.push(['NL80211_ATTR_IFINDEX', opts.dev]);
    else attrs.push(['NL80211_ATTR_WIPHY', opts.phy ?? 0]);
    attrs.push(['NL80211_ATTR_IFNAME', ifname], ['NL80211_ATTR_IFTYPE', iftypeValue(iftype)]);
    if (opts.monitorFlags) attrs.push(['NL80211_ATTR_MNTR_FLAGS', opts.monitorFlags]);
    if (opts.mac) attrs.push(['NL80211_ATTR_MAC', opts.mac]);
    if (opts.use4addr !== undefined) attrs.push(['NL80211_ATTR_4ADDR', opts.use4addr ? 1 : 0]);
    const [m] = await this.request('NL80211_CMD_NEW_INTERFACE', attrs as AttrsIn, {
      target: opts.dev !== undefined ? `ifindex ${opts.dev}` : `phy ${opts.phy ?? 0}`,
    });
    return m;
  }

  /** Delete a virtual interface by ifindex. */
  async delInterface(dev: number): Promise<void> {
    await this.request('NL80211_CMD_DEL_INTERFACE', { NL80211_ATTR_IFINDEX: dev });
  }

  /** Every wireless interface (the seed's list_dev). */
  listDev(): Promise<Nl80211Message[]> {
    return this.getInterfacesDump();
  }

  /** Every interface (NL80211_CMD_GET_INTERFACE dump). */
  getInterfacesDump(): Promise<Nl80211Message[]> {
    return this.request('NL80211_CMD_GET_INTERFACE', {}, { dump: true });
  }

  /** ifname -> [ifindex, 'phyN', MAC, frequency (0 when none), channel width value], as the seed. */
  async getInterfacesDict(): Promise<Record<string, [number, string, string, number, number | undefined]>> {
    const out: Record<string, [number, string, string, number, number | undefined]> = {};
    for (const m of await this.getInterfacesDump()) {
      const name = m.getAttr('NL80211_ATTR_IFNAME');
      if (name === undefined) continue;
      const width = m.getAttr('NL80211_ATTR_CHANNEL_WIDTH');
      out[name] = [
        m.getAttr('NL80211_ATTR_IFINDEX') ?? 0,
        `phy${m.getAttr('NL80211_ATTR_WIPHY')}`,
        m.getAttr('NL80211_ATTR_MAC') ?? '',
        width !== undefined ? (m.getAttr('NL80211_ATTR_WIPHY_FREQ') ?? 0) : 0,
        width,
      ];
    }
    return out;
  }

  /** Interfaces of one radio. */
  getInterfaceByPhy(phy: number): Promise<Nl80211Message[]> {
    return this.request('NL80211_CMD_GET_INTERFACE', { NL80211_ATTR_WIPHY: phy }, { dump: true });
  }

  /** One interface by ifindex (a one-element list, as the seed). */
  getInterfaceByIfindex(ifindex: number): Promise<Nl80211Message[]> {
    return this.request('NL80211_CMD_GET_INTERFACE', { NL80211_ATTR_IFINDEX: ifindex }, { flags: 0 });
  }

  /** The ifindex of a wireless interface by name; throws Nl80211Error ENODEV when none. */
  async ifindex(name: string | number): Promise<number> {
    if (typeof name === 'number') return name;
    for (const m of await this.getInterfacesDump())
      if (m.getAttr('NL80211_ATTR_IFNAME') === name) return m.getAttr('NL80211_ATTR_IFINDEX') ?? 0;
    throw new Nl80211Error(
      'NL80211_CMD_GET_INTERFACE',
      `ifname ${name}`,
      new NetlinkError(19, { message: `no wireless interface named ${name}` }),
    );
  }

  /** Change an interface's type ('monitor', 'station', 'adhoc'...). */
  async setInterfaceType(ifindex: number, iftype: IftypeName | number): Promise<void> {
    await this.request('NL80211_CMD_SET_INTERFACE', {
      NL80211_ATTR_IFINDEX: ifindex,
      NL80211_ATTR_IFTYPE: iftypeValue(iftype),
    });
  }

  /** The interface's type name ('station', 'monitor'...). */
  async getInterfaceType(ifindex: number): Promise<string> {
    const [m] = await this.getInterfaceByIfindex(ifindex);
    return iftypeName(m?.getAttr('NL80211_ATTR_IFTYPE') ?? 0);
  }

  // ---- radios ----------------------------------------------------------------------

  /**
   * Every radio with everything the kernel reports (split dump, merged to one message per
   * radio): bands, frequencies, bitrates, modes, commands, ciphers, combinations.
   */
  async listWiphy(): Promise<Nl80211Message[]> {
    return mergeWiphyParts(
      await this.request('NL80211_CMD_GET_WIPHY', { NL80211_ATTR_SPLIT_WIPHY_DUMP: true }, { dump: true }),
    );
  }

  /** One radio by wiphy index. */
  async getWiphy(phy: number): Promise<Nl80211Message> {
    const [m] = mergeWiphyParts(
      await this.request(
        'NL80211_CMD_GET_WIPHY',
        { NL80211_ATTR_WIPHY: phy, NL80211_ATTR_SPLIT_WIPHY_DUMP: true },
        { dump: true, target: `phy ${phy}` },
      ),
    );
    if (!m) throw new Nl80211Error('NL80211_CMD_GET_WIPHY', `phy ${phy}`, new NetlinkError(19));
    return m;
  }

  /**
   * Set the operating channel (monitor interfaces, or an AP before start), as `iw dev X set freq`:
   * NL80211_CMD_SET_WIPHY with the frequency, width, legacy channel type and center frequencies.
   */
  async setFrequency(ifindex: number, opts: SetFrequencyOptions): Promise<void> {
    checkIwOptions('setFrequency', opts);
    const width = chanWidthValue(opts.width ?? '20_noht');
    const attrs: [string, unknown][] = [
      ['NL80211_ATTR_IFINDEX', ifindex],
      ['NL80211_ATTR_WIPHY_FREQ', opts.freq],
      ['NL80211_ATTR_CHANNEL_WIDTH', width],
    ];
    let center1 = opts.center1;
    if (center1 === undefined) {
      if (width === WIDTH_20_NOHT || width === WIDTH_20 || width === WIDTH_5 || width === WIDTH_10) center1 = opts.freq;
      else throw new TypeError(`width ${opts.width} needs center1 (the center frequency of the whole channel)`);
    }
    if (width === WIDTH_20_NOHT) attrs.push(['NL80211_ATTR_WIPHY_CHANNEL_TYPE', CHAN_NO_HT]);
    else if (width === WIDTH_20) attrs.push(['NL80211_ATTR_WIPHY_CHANNEL_TYPE', CHAN_HT20]);
    else if (width === WIDTH_40)
      attrs.push(['NL80211_ATTR_WIPHY_CHANNEL_TYPE', opts.freq > center1 ? CHAN_HT40MINUS : CHAN_HT40PLUS]);
    attrs.push(['NL80211_ATTR_CENTER_FREQ1', center1]);
    if (opts.center2 !== undefined) attrs.push(['NL80211_ATTR_CENTER_FREQ2', opts.center2]);
    else if (width === WIDTH_80P80) throw new TypeError('width 80p80 needs center2');
    await this.request('NL80211_CMD_SET_WIPHY', attrs as AttrsIn);
  }

  /** Same as setFrequency (iw's `set channel` sends the same command). */
  setChannel(ifindex: number, opts: SetFrequencyOptions): Promise<void> {
    return this.setFrequency(ifindex, opts);
  }

  /** TX power of an interface's radio: mode 'auto' | 'limited' | 'fixed' (0..2), level in mBm (dBm * 100). */
  async setTxPower(dev: number, mode: TxPowerMode | number, mbm?: number): Promise<void> {
    const m = txPowerValue(mode);
    if (m !== 0 && mbm === undefined) throw new TypeError('tx power modes limited and fixed need a level in mBm');
    await this.request('NL80211_CMD_SET_WIPHY', [
      ['NL80211_ATTR_IFINDEX', dev],
      ['NL80211_ATTR_WIPHY_TX_POWER_SETTING', m],
      ...(mbm !== undefined ? [['NL80211_ATTR_WIPHY_TX_POWER_LEVEL', mbm] as [string, unknown]] : []),
    ] as AttrsIn);
  }

  /** TX power of a whole radio (wiphy index), as `iw phy X set txpower`. */
  async setWiphyTxPower(phy: number, mode: TxPowerMode | number, mbm?: number): Promise<void> {
    const m = txPowerValue(mode);
    if (m !== 0 && mbm === undefined) throw new TypeError('tx power modes limited and fixed need a level in mBm');
    await this.request('NL80211_CMD_SET_WIPHY', [
      ['NL80211_ATTR_WIPHY', phy],
      ['NL80211_ATTR_WIPHY_TX_POWER_SETTING', m],
      ...(mbm !== undefined ? [['NL80211_ATTR_WIPHY_TX_POWER_LEVEL', mbm] as [string, unknown]] : []),
    ] as AttrsIn);
  }

  /** Move a radio to the network namespace of a process. */
  async setWiphyNetnsByPid(wiphy: number, pid: number): Promise<void> {
    await this.request('NL80211_CMD_SET_WIPHY_NETNS', { NL80211_ATTR_WIPHY: wiphy, NL80211_ATTR_PID: pid });
  }

  /** Move a radio to the network namespace an open fd refers to. */
  async setWiphyNetnsByFd(wiphy: number, netnsFd: number): Promise<void> {
    await this.request('NL80211_CMD_SET_WIPHY_NETNS', { NL80211_ATTR_WIPHY: wiphy, NL80211_ATTR_NETNS_FD: netnsFd });
  }

  // ---- regulatory ----------------------------------------------------------------------

  /** The regulatory domain: every domain (global and self-managed radios), or one radio's. */
  getRegulatoryDomain(wiphy?: number): Promise<Nl80211Message[]> {
    if (wiphy === undefined) return this.request('NL80211_CMD_GET_REG', {}, { dump: true });
    return this.request('NL80211_CMD_GET_REG', { NL80211_ATTR_WIPHY: wiphy }, { flags: 0 });
  }

  /** Ask for a regulatory domain by ISO 3166 alpha2 ('US', 'DE', '00' for world). */
  async setRegulatoryDomain(alpha2: string): Promise<void> {
    if (typeof alpha2 !== 'string' || !/^([A-Z]{2}|00)$/.test(alpha2))
      throw new TypeError(`alpha2 must be two capital letters or 00: ${JSON.stringify(alpha2)}`);
    await this.request('NL80211_CMD_REQ_SET_REG', { NL80211_ATTR_REG_ALPHA2: alpha2 });
  }

  // ---- stations, survey, scan --------------------------------------------------------------

  /** Every station known to an interface (peers of an AP / IBSS, the AP of a station). */
  getStations(ifindex: number): Promise<Nl80211Message[]> {
    return this.request('NL80211_CMD_GET_STATION', { NL80211_ATTR_IFINDEX: ifindex }, { dump: true });
  }

  /** Channel survey of an interface's radio. */
  survey(ifindex: number): Promise<Nl80211Message[]> {
    return this.request('NL80211_CMD_GET_SURVEY', { NL80211_ATTR_IFINDEX: ifindex }, { dump: true });
  }

  /** The cached scan results (NL80211_CMD_GET_SCAN dump), without scanning. */
  getScan(ifindex: number): Promise<Nl80211Message[]> {
    return this.request('NL80211_CMD_GET_SCAN', { NL80211_ATTR_IFINDEX: ifindex }, { dump: true });
  }

  /**
   * Trigger a scan, wait for NL80211_CMD_NEW_SCAN_RESULTS on the 'scan' group, then dump the
   * results. ScanAbortedError if the kernel aborts it, NetlinkTimeoutError after `timeout`.
   */
  async scan(ifindex: number, opts: ScanOptions = {}): Promise<Nl80211Message[]> {
    checkIwOptions('scan', opts);
    const timeout = opts.timeout ?? 30_000;
    const attrs: [string, unknown][] = [['NL80211_ATTR_IFINDEX', ifindex]];
    if (opts.ssids) attrs.push(['NL80211_ATTR_SCAN_SSIDS', opts.ssids]);
    if (opts.freqs) attrs.push(['NL80211_ATTR_SCAN_FREQUENCIES', opts.freqs]);
    const flags = [...(opts.flags ?? []), ...(opts.flushCache ? ['NL80211_SCAN_FLAG_FLUSH' as const] : [])];
    if (flags.length) attrs.push(['NL80211_ATTR_SCAN_FLAGS', flags]);
    // Join the group first: the results event can arrive before the trigger's ACK.
    const sub = await this.subscribe(['scan']);
    try {
      await this.request('NL80211_CMD_TRIGGER_SCAN', attrs as AttrsIn, { target: `ifindex ${ifindex}` });
      // The kernel multicasts TRIGGER_SCAN when our scan starts, in order with the other notices
      // of the group: a result or abort before it belongs to an earlier scan (one that was
      // aborted, or someone else's) and is skipped. After an overrun that notice may be lost.
      let started = false;
      await waitFor(
        sub,
        timeout,
        `scan on ifindex ${ifindex}`,
        (m) => {
          if (m.getAttr('NL80211_ATTR_IFINDEX') !== ifindex) return false;
          const cmd = m.field('cmd');
          if (cmd === NL80211_COMMANDS.NL80211_CMD_TRIGGER_SCAN) started = true;
          if (!started) return false;
          if (cmd === NL80211_COMMANDS.NL80211_CMD_SCAN_ABORTED) throw new ScanAbortedError(ifindex);
          return cmd === NL80211_COMMANDS.NL80211_CMD_NEW_SCAN_RESULTS;
        },
        () => {
          started = true;
        },
      );
    } catch (e) {
      // Leave no scan running behind a timeout.
      if (e instanceof NetlinkTimeoutError)
        await this.request('NL80211_CMD_ABORT_SCAN', { NL80211_ATTR_IFINDEX: ifindex }).catch(() => undefined);
      throw e;
    } finally {
      sub.close();
    }
    return this.getScan(ifindex);
  }

  /** The BSS the interface is associated with (or the IBSS it joined), from the scan cache; undefined when none. */
  async getAssociatedBss(ifindex: number): Promise<Nl80211Message | undefined> {
    for (const m of await this.getScan(ifindex)) {
      const st = m.getAttr('NL80211_ATTR_BSS')?.getAttr('NL80211_BSS_STATUS');
      if (st === BSS_STATUS_NAMES.associated || st === BSS_STATUS_NAMES.ibss_joined) return m;
    }
    return undefined;
  }

  // ---- connecting ----------------------------------------------------------------------------

  /**
   * Connect to an SSID (optionally one BSSID) with the kernel's SME. Waits for the connect
   * result on the 'mlme' group and returns that event; ConnectFailedError on a failure
   * status (e.g. no such SSID), NetlinkTimeoutError when no result comes in time.
   */
  async connect(
    ifindex: number,
    ssid: string,
    bssid?: string | null,
    opts: ConnectOptions = {},
  ): Promise<Nl80211Message | undefined> {
    checkIwOptions('connect', opts);
    const attrs: [string, unknown][] = [
      ['NL80211_ATTR_IFINDEX', ifindex],
      ['NL80211_ATTR_SSID', ssid],
    ];
    if (bssid) attrs.push(['NL80211_ATTR_MAC', bssid]);
    if (opts.freq !== undefined) attrs.push(['NL80211_ATTR_WIPHY_FREQ', opts.freq]);
    if (opts.authType !== undefined)
      attrs.push(['NL80211_ATTR_AUTH_TYPE', lookup('auth type', AUTH_TYPE_NAMES, opts.authType)]);
    if (opts.ies !== undefined) attrs.push(['NL80211_ATTR_IE', opts.ies]);
    if (opts.wait === false) {
      await this.request('NL80211_CMD_CONNECT', attrs as AttrsIn);
      return undefined;
    }
    const sub = await this.subscribe(['mlme']);
    try {
      await this.request('NL80211_CMD_CONNECT', attrs as AttrsIn);
      return await waitFor(
        sub,
        opts.timeout ?? 20_000,
        `connect to ${JSON.stringify(ssid)} on ifindex ${ifindex}`,
        (m) => {
          if (m.getAttr('NL80211_ATTR_IFINDEX') !== ifindex) return false;
          const cmd = m.field('cmd');
          if (cmd === NL80211_COMMANDS.NL80211_CMD_DISCONNECT) {
            throw new DisconnectedError(
              ifindex,
              m.getAttr('NL80211_ATTR_REASON_CODE'),
              m.has('NL80211_ATTR_DISCONNECTED_BY_AP'),
            );
          }
          if (cmd !== NL80211_COMMANDS.NL80211_CMD_CONNECT) return false;
          const status = m.getAttr('NL80211_ATTR_STATUS_CODE') ?? 1;
          if (status !== 0 || m.has('NL80211_ATTR_TIMED_OUT'))
            throw new ConnectFailedError(
              ifindex,
              ssid,
              status,
              m.has('NL80211_ATTR_TIMED_OUT'),
              m.getAttr('NL80211_ATTR_TIMEOUT_REASON'),
            );
          return true;
        },
      );
    } finally {
      sub.close();
    }
  }

  /** Disconnect (station) or leave the connection attempt. */
  async disconnect(ifindex: number, opts: { reasonCode?: number } = {}): Promise<void> {
    checkIwOptions('disconnect', opts);
    await this.request(
      'NL80211_CMD_DISCONNECT',
      opts.reasonCode !== undefined
        ? { NL80211_ATTR_IFINDEX: ifindex, NL80211_ATTR_REASON_CODE: opts.reasonCode }
        : { NL80211_ATTR_IFINDEX: ifindex },
    );
  }

  /** Send an Authentication frame (userspace SME). */
  async authenticate(
    ifindex: number,
    opts: { bssid: string; ssid: string; freq: number; authType?: keyof typeof AUTH_TYPE_NAMES | number },
  ): Promise<void> {
    checkIwOptions('authenticate', opts);
    await this.request('NL80211_CMD_AUTHENTICATE', [
      ['NL80211_ATTR_IFINDEX', ifindex],
      ['NL80211_ATTR_MAC', opts.bssid],
      ['NL80211_ATTR_SSID', opts.ssid],
      ['NL80211_ATTR_WIPHY_FREQ', opts.freq],
      ['NL80211_ATTR_AUTH_TYPE', lookup('auth type', AUTH_TYPE_NAMES, opts.authType ?? 0)],
    ] as AttrsIn);
  }

  /** Send an Association Request (after authenticate). */
  async associate(
    ifindex: number,
    opts: { bssid: string; ssid: string; freq: number; ies?: Uint8Array | string | readonly InfoElementInput[] },
  ): Promise<void> {
    checkIwOptions('associate', opts);
    const attrs: [string, unknown][] = [
      ['NL80211_ATTR_IFINDEX', ifindex],
      ['NL80211_ATTR_MAC', opts.bssid],
      ['NL80211_ATTR_SSID', opts.ssid],
      ['NL80211_ATTR_WIPHY_FREQ', opts.freq],
    ];
    if (opts.ies !== undefined) attrs.push(['NL80211_ATTR_IE', opts.ies]);
    await this.request('NL80211_CMD_ASSOCIATE', attrs as AttrsIn);
  }

  /** Send a Deauthentication frame (reason 1, unspecified, by default as the seed). */
  async deauthenticate(ifindex: number, opts: { bssid: string; reasonCode?: number }): Promise<void> {
    checkIwOptions('deauthenticate', opts);
    await this.request('NL80211_CMD_DEAUTHENTICATE', {
      NL80211_ATTR_IFINDEX: ifindex,
      NL80211_ATTR_MAC: opts.bssid,
      NL80211_ATTR_REASON_CODE: opts.reasonCode ?? 1,
    });
  }

  /** Send a Disassociation frame (reason 3, leaving, by default as the seed). */
  async disassociate(ifindex: number, opts: { bssid: string; reasonCode?: number }): Promise<void> {
    checkIwOptions('disassociate', opts);
    await this.request('NL80211_CMD_DISASSOCIATE', {
      NL80211_ATTR_IFINDEX: ifindex,
      NL80211_ATTR_MAC: opts.bssid,
      NL80211_ATTR_REASON_CODE: opts.reasonCode ?? 3,
    });
  }

  /** Join (or create) an IBSS (ad-hoc network); the interface must be of type adhoc. */
  async joinIbss(ifindex: number, opts: JoinIbssOptions): Promise<void> {
    checkIwOptions('joinIbss', opts);
    const attrs: [string, unknown][] = [
      ['NL80211_ATTR_IFINDEX', ifindex],
      ['NL80211_ATTR_SSID', opts.ssid],
      ['NL80211_ATTR_WIPHY_FREQ', opts.freq],
    ];
    if (opts.channelFixed) {
      attrs.push(['NL80211_ATTR_FREQ_FIXED', true]);
      const width = chanWidthValue(opts.width ?? '20_noht');
      if ((width === 2 || width === 3 || width === 5) && opts.center)
        attrs.push(['NL80211_ATTR_CHANNEL_WIDTH', width], ['NL80211_ATTR_CENTER_FREQ1', opts.center]);
      else if (width === WIDTH_80P80 && opts.center && opts.center2) {
        attrs.push(
          ['NL80211_ATTR_CHANNEL_WIDTH', width],
          ['NL80211_ATTR_CENTER_FREQ1', opts.center],
          ['NL80211_ATTR_CENTER_FREQ2', opts.center2],
        );
      } else if (width === 0 || width === 1 || width === WIDTH_5 || width === WIDTH_10)
        attrs.push(['NL80211_ATTR_CHANNEL_WIDTH', width]);
      else throw new TypeError(`width ${opts.width} needs center (and center2 for 80p80)`);
    }
    if (opts.bssid) attrs.push(['NL80211_ATTR_MAC', opts.bssid]);
    await this.request('NL80211_CMD_JOIN_IBSS', attrs as AttrsIn);
  }

  /** Leave the IBSS the interface is in. */
  async leaveIbss(ifindex: number): Promise<void> {
    await this.request('NL80211_CMD_LEAVE_IBSS', { NL80211_ATTR_IFINDEX: ifindex });
  }

  // ---- events --------------------------------------------------------------------------------

  /**
   * Wireless events as an async iterable of parsed nl80211 messages (and Overrun markers):
   * groups 'config', 'scan', 'regulatory', 'mlme' by default. `close()` it when done.
   */
  async events(
    groups: readonly Nl80211Group[] = ['config', 'scan', 'regulatory', 'mlme'],
  ): Promise<Subscription<Nl80211Message>> {
    return this.subscribe(groups);
  }

  private async subscribe(groups: readonly string[]): Promise<Subscription<Nl80211Message>> {
    await this.family();
    return this.genl.subscribe<Nl80211Message>('nl80211', groups);
  }

  close(): void {
    this.genl.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}

/** Target text for errors: the ifindex / wiphy a request names. */
function targetOf(attrs: AttrsIn): string {
  const get = (k: string): unknown =>
    Array.isArray(attrs) ? attrs.find((a) => a[0] === k)?.[1] : (attrs as Record<string, unknown> | undefined)?.[k];
  const i = get('NL80211_ATTR_IFINDEX'),
    w = get('NL80211_ATTR_WIPHY');
  return i !== undefined ? `ifindex ${i}` : w !== undefined ? `phy ${w}` : '';
}

/**
 * The first event for which `match` returns true (it may throw to fail the wait), within
 * `ms`; NetlinkTimeoutError otherwise. Overrun markers are skipped (after telling `onOverrun`).
 */
export async function waitFor<M>(
  sub: Subscription<M>,
  ms: number,
  what: string,
  match: (m: M) => boolean,
  onOverrun?: () => void,
): Promise<M> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NetlinkTimeoutError(what, ms)), ms);
  });
  const loop = (async () => {
    for (;;) {
      const r = await sub.next();
      if (r.done) throw new Error(`${what}: event stream closed`);
      if (r.value instanceof Overrun) {
        onOverrun?.();
        continue;
      }
      if (match(r.value)) return r.value;
    }
  })();
  try {
    return await Promise.race([loop, timeout]);
  } finally {
    clearTimeout(timer);
    loop.catch(() => undefined);
  }
}
