// Plain objects with friendly field names and units from nl80211 messages: what `iw dev`,
// `iw list`, `iw scan`, `iw station dump`, `iw survey dump` and `iw reg get` show.
import { u64Value, type AttrSet, type U64 } from '../core/index.js';
import {
  NL80211_DFS_REGIONS,
  NL80211_EXT_FEATURE_INDEX,
  NL80211_FEATURE_FLAGS,
  NL80211_REG_RULE_FLAGS,
} from './constants.js';
import { summarizeIes, type IeSummary, type InfoElement } from './ies.js';
import { bandName, bssStatusName, chanWidthName, freqToChannel, iftypeName, CHAN_WIDTH_MHZ } from './names.js';
import { commandName, type Nl80211Message } from './nl80211cmd.js';
import { STA_FLAG_BITS, WLAN_CAPABILITY, type rateInfoAttrs } from './attrs.js';
import { flagNames } from '../core/index.js';
import { cipherName } from './suites.js';
import { vhtMcsMap } from './ies.js';

type Attrs = AttrSet<any>;
const num = (v: bigint | number | undefined): number | undefined => (v === undefined ? undefined : Number(v));
/** A u64 in record form (numbers while exact, decimal strings beyond 2^53), as every record keeps them. */
const u64 = (v: bigint | number | undefined): U64 | undefined =>
  v === undefined ? undefined : typeof v === 'number' ? v : u64Value(v);
const strip = (prefix: string, names: string[]): string[] => names.map((n) => n.replace(prefix, ''));
function nameOf(names: Readonly<Record<string, number>>, v: number, prefix: string): string {
  for (const [k, x] of Object.entries(names)) if (x === v) return k.replace(prefix, '');
  return String(v);
}
/** Drop undefined fields so JSON and deepEqual see only what the kernel sent. */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

// ---- interfaces -------------------------------------------------------------------

/** One wireless interface, as `iw dev` shows it. */
export interface InterfaceInfo {
  ifindex?: number;
  ifname?: string;
  wiphy: number;
  /** 'phy0' */
  phy: string;
  /** Wireless device id (u64). */
  wdev?: U64;
  /** Friendly type name ('station', 'monitor'...) and the NL80211_IFTYPE_* value. */
  type: string;
  iftype: number;
  mac?: string;
  ssid?: string;
  /** Operating channel, when the interface has one. */
  frequency?: number;
  channel?: number;
  channelWidth?: string;
  centerFreq1?: number;
  centerFreq2?: number;
  /** TX power in dBm (the kernel reports mBm). */
  txPowerDbm?: number;
  use4addr?: boolean;
  generation?: number;
}

/** InterfaceInfo from an NL80211_CMD_NEW_INTERFACE message. */
export function interfaceInfo(m: Nl80211Message): InterfaceInfo {
  const wiphy = m.getAttr('NL80211_ATTR_WIPHY') ?? -1;
  const iftype = m.getAttr('NL80211_ATTR_IFTYPE') ?? 0;
  const freq = m.getAttr('NL80211_ATTR_WIPHY_FREQ');
  const width = m.getAttr('NL80211_ATTR_CHANNEL_WIDTH');
  const tx = m.getAttr('NL80211_ATTR_WIPHY_TX_POWER_LEVEL');
  const a4 = m.getAttr('NL80211_ATTR_4ADDR');
  return compact({
    ifindex: m.getAttr('NL80211_ATTR_IFINDEX'),
    ifname: m.getAttr('NL80211_ATTR_IFNAME'),
    wiphy,
    phy: `phy${wiphy}`,
    wdev: u64(m.getAttr('NL80211_ATTR_WDEV')),
    type: iftypeName(iftype),
    iftype,
    mac: m.getAttr('NL80211_ATTR_MAC'),
    ssid: m.getAttr('NL80211_ATTR_SSID'),
    frequency: freq,
    channel: freq !== undefined ? freqToChannel(freq) : undefined,
    channelWidth: width !== undefined ? chanWidthName(width) : undefined,
    centerFreq1: m.getAttr('NL80211_ATTR_CENTER_FREQ1'),
    centerFreq2: m.getAttr('NL80211_ATTR_CENTER_FREQ2'),
    txPowerDbm: tx !== undefined ? tx / 100 : undefined,
    use4addr: a4 !== undefined ? a4 !== 0 : undefined,
    generation: m.getAttr('NL80211_ATTR_GENERATION'),
  });
}

// ---- wiphy ---------------------------------------------------------------------------

export interface FrequencyInfo {
  mhz: number;
  channel: number;
  /** Max TX power in dBm (the kernel reports mBm). */
  maxTxPowerDbm?: number;
  disabled: boolean;
  noIr: boolean;
  radar: boolean;
  /** Every flag attribute set, without the NL80211_FREQUENCY_ATTR_ prefix (NO_HT40_MINUS, INDOOR_ONLY...). */
  flags: string[];
  dfsState?: string;
}

export interface BitrateInfo {
  mbps: number;
  shortPreamble: boolean;
}

export interface HtInfo {
  capabilities: number;
  ampduFactor?: number;
  ampduDensity?: number;
  /** RX MCS indexes from the HT MCS set. */
  rxMcs: number[];
}

export interface VhtInfo {
  capabilities: number;
  /** Highest MCS per spatial stream (index = streams - 1). */
  rxMcs: (number | undefined)[];
  txMcs: (number | undefined)[];
}

export interface HeInfo {
  iftypes: string[];
  mac: string;
  phy: string;
  /** Channel width set bits of the HE PHY capabilities (B1..B7). */
  channelWidthSet: number;
  /** Highest HE MCS per spatial stream, for <= 80 MHz, then 160 and 80+80 when present. */
  rxMcs80: (number | undefined)[];
  txMcs80: (number | undefined)[];
  rxMcs160?: (number | undefined)[];
  txMcs160?: (number | undefined)[];
}

export interface BandInfo {
  id: number;
  name: string;
  frequencies: FrequencyInfo[];
  bitrates: BitrateInfo[];
  ht?: HtInfo;
  vht?: VhtInfo;
  he: HeInfo[];
}

export interface IfaceCombinationInfo {
  limits: { max: number; types: string[] }[];
  maxInterfaces: number;
  numChannels: number;
  staApBeaconIntervalMatch: boolean;
  radarDetectWidths: string[];
  beaconIntervalMinGcd?: number;
}

/** One radio, as `iw list` shows it. */
export interface WiphyInfo {
  index: number;
  name: string;
  bands: BandInfo[];
  supportedIftypes: string[];
  softwareIftypes: string[];
  /** Supported commands, without the NL80211_CMD_ prefix. */
  commands: string[];
  cipherSuites: string[];
  interfaceCombinations: IfaceCombinationInfo[];
  maxScanSsids?: number;
  maxScanIeLen?: number;
  maxSchedScanSsids?: number;
  maxMatchSets?: number;
  retryShort?: number;
  retryLong?: number;
  fragThreshold?: number;
  rtsThreshold?: number;
  coverageClass?: number;
  antennaAvailTx?: number;
  antennaAvailRx?: number;
  antennaTx?: number;
  antennaRx?: number;
  maxRemainOnChannelMs?: number;
  featureFlags: string[];
  extFeatures: string[];
  generation?: number;
}

const vhtMcs = vhtMcsMap;
function heMcs(map: number): (number | undefined)[] {
  const out = vhtMcs(map);
  // HE: 0 -> MCS 0-7, 1 -> 0-9, 2 -> 0-11 (VHT's encoding shifted by the same +7, +2 steps).
  return out.map((x) => (x === undefined ? undefined : x === 7 ? 7 : x === 8 ? 9 : 11));
}

function freqInfo(f: Attrs): FrequencyInfo {
  const flags: string[] = [];
  for (const e of f.entries())
    if (e.type?.kind === 'flag' && !String(e.name).startsWith('__'))
      flags.push(String(e.name).replace('NL80211_FREQUENCY_ATTR_', ''));
  const mhz = f.getAttr('NL80211_FREQUENCY_ATTR_FREQ') ?? 0;
  const p = f.getAttr('NL80211_FREQUENCY_ATTR_MAX_TX_POWER');
  const dfs = f.getAttr('NL80211_FREQUENCY_ATTR_DFS_STATE');
  return compact({
    mhz,
    channel: freqToChannel(mhz),
    maxTxPowerDbm: p !== undefined ? p / 100 : undefined,
    disabled: f.has('NL80211_FREQUENCY_ATTR_DISABLED'),
    noIr: f.has('NL80211_FREQUENCY_ATTR_NO_IR'),
    radar: f.has('NL80211_FREQUENCY_ATTR_RADAR'),
    flags,
    dfsState: dfs !== undefined ? (['usable', 'unavailable', 'available'][dfs] ?? String(dfs)) : undefined,
  });
}

function bandInfo(id: number, b: Attrs): BandInfo {
  const out: BandInfo = {
    id,
    name: bandName(id),
    frequencies: (b.getAttr('NL80211_BAND_ATTR_FREQS') ?? []).map(freqInfo),
    bitrates: (b.getAttr('NL80211_BAND_ATTR_RATES') ?? []).map((r: Attrs) => ({
      mbps: (r.getAttr('NL80211_BITRATE_ATTR_RATE') ?? 0) / 10,
      shortPreamble: r.has('NL80211_BITRATE_ATTR_2GHZ_SHORTPREAMBLE'),
    })),
    he: [],
  };
  const htCapa = b.getAttr('NL80211_BAND_ATTR_HT_CAPA');
  if (htCapa !== undefined) {
    const mcs: Buffer | undefined = b.getAttr('NL80211_BAND_ATTR_HT_MCS_SET');
    const rxMcs: number[] = [];
    if (mcs) for (let i = 0; i < 77 && i < mcs.length * 8; i++) if (mcs[i >> 3] & (1 << (i & 7))) rxMcs.push(i);
    out.ht = compact({
      capabilities: htCapa,
      ampduFactor: b.getAttr('NL80211_BAND_ATTR_HT_AMPDU_FACTOR'),
      ampduDensity: b.getAttr('NL80211_BAND_ATTR_HT_AMPDU_DENSITY'),
      rxMcs,
    });
  }
  const vhtCapa = b.getAttr('NL80211_BAND_ATTR_VHT_CAPA');
  if (vhtCapa !== undefined) {
    const mcs: Buffer | undefined = b.getAttr('NL80211_BAND_ATTR_VHT_MCS_SET');
    out.vht = {
      capabilities: vhtCapa,
      rxMcs: mcs && mcs.length >= 8 ? vhtMcs(mcs.readUInt16LE(0)) : [],
      txMcs: mcs && mcs.length >= 8 ? vhtMcs(mcs.readUInt16LE(4)) : [],
    };
  }
  for (const d of (b.getAttr('NL80211_BAND_ATTR_IFTYPE_DATA') ?? []) as Attrs[]) {
    const mac: Buffer | undefined = d.getAttr('NL80211_BAND_IFTYPE_ATTR_HE_CAP_MAC');
    const phy: Buffer | undefined = d.getAttr('NL80211_BAND_IFTYPE_ATTR_HE_CAP_PHY');
    const mcs: Buffer | undefined = d.getAttr('NL80211_BAND_IFTYPE_ATTR_HE_CAP_MCS_SET');
    if (!mac || !phy) continue;
    const widthSet = phy.length ? (phy[0] >> 1) & 0x7f : 0;
    const he: HeInfo = {
      iftypes: ((d.getAttr('NL80211_BAND_IFTYPE_ATTR_IFTYPES') ?? []) as number[]).map(iftypeName),
      mac: mac.toString('hex'),
      phy: phy.toString('hex'),
      channelWidthSet: widthSet,
      rxMcs80: mcs && mcs.length >= 4 ? heMcs(mcs.readUInt16LE(0)) : [],
      txMcs80: mcs && mcs.length >= 4 ? heMcs(mcs.readUInt16LE(2)) : [],
    };
    // 160 MHz maps follow when the PHY capabilities say 160 MHz is supported (B2).
    if (mcs && mcs.length >= 8 && widthSet & 0x4) {
      he.rxMcs160 = heMcs(mcs.readUInt16LE(4));
      he.txMcs160 = heMcs(mcs.readUInt16LE(6));
    }
    out.he.push(he);
  }
  return out;
}

/** WiphyInfo from one (merged) NL80211_CMD_NEW_WIPHY message. */
export function wiphyInfo(m: Nl80211Message): WiphyInfo {
  const bands = [...(m.getAttr('NL80211_ATTR_WIPHY_BANDS') ?? new Map<number, Attrs>())]
    .sort((a, b) => a[0] - b[0])
    .map(([id, b]) => bandInfo(id, b));
  const combos = (m.getAttr('NL80211_ATTR_INTERFACE_COMBINATIONS') ?? []).map((c) =>
    compact({
      limits: (c.getAttr('NL80211_IFACE_COMB_LIMITS') ?? []).map((l) => ({
        max: l.getAttr('NL80211_IFACE_LIMIT_MAX') ?? 0,
        types: (l.getAttr('NL80211_IFACE_LIMIT_TYPES') ?? []).map(iftypeName),
      })),
      maxInterfaces: c.getAttr('NL80211_IFACE_COMB_MAXNUM') ?? 0,
      numChannels: c.getAttr('NL80211_IFACE_COMB_NUM_CHANNELS') ?? 0,
      staApBeaconIntervalMatch: c.has('NL80211_IFACE_COMB_STA_AP_BI_MATCH'),
      radarDetectWidths: (() => {
        const w = c.getAttr('NL80211_IFACE_COMB_RADAR_DETECT_WIDTHS') ?? 0;
        const out: string[] = [];
        for (let i = 0; i < 32; i++) if (w & (1 << i)) out.push(chanWidthName(i));
        return out;
      })(),
      beaconIntervalMinGcd: c.getAttr('NL80211_IFACE_COMB_BI_MIN_GCD'),
    }),
  );
  const ff = m.getAttr('NL80211_ATTR_FEATURE_FLAGS') ?? 0;
  const ext = m.getAttr('NL80211_ATTR_EXT_FEATURES') ?? [];
  return compact({
    index: m.getAttr('NL80211_ATTR_WIPHY') ?? -1,
    name: m.getAttr('NL80211_ATTR_WIPHY_NAME') ?? '',
    bands,
    supportedIftypes: (m.getAttr('NL80211_ATTR_SUPPORTED_IFTYPES') ?? []).map(iftypeName),
    softwareIftypes: (m.getAttr('NL80211_ATTR_SOFTWARE_IFTYPES') ?? []).map(iftypeName),
    commands: (m.getAttr('NL80211_ATTR_SUPPORTED_COMMANDS') ?? []).map((c) =>
      commandName(c).replace('NL80211_CMD_', ''),
    ),
    cipherSuites: (m.getAttr('NL80211_ATTR_CIPHER_SUITES') ?? []).map(cipherName),
    interfaceCombinations: combos,
    maxScanSsids: m.getAttr('NL80211_ATTR_MAX_NUM_SCAN_SSIDS'),
    maxScanIeLen: m.getAttr('NL80211_ATTR_MAX_SCAN_IE_LEN'),
    maxSchedScanSsids: m.getAttr('NL80211_ATTR_MAX_NUM_SCHED_SCAN_SSIDS'),
    maxMatchSets: m.getAttr('NL80211_ATTR_MAX_MATCH_SETS'),
    retryShort: m.getAttr('NL80211_ATTR_WIPHY_RETRY_SHORT'),
    retryLong: m.getAttr('NL80211_ATTR_WIPHY_RETRY_LONG'),
    fragThreshold: m.getAttr('NL80211_ATTR_WIPHY_FRAG_THRESHOLD'),
    rtsThreshold: m.getAttr('NL80211_ATTR_WIPHY_RTS_THRESHOLD'),
    coverageClass: m.getAttr('NL80211_ATTR_WIPHY_COVERAGE_CLASS'),
    antennaAvailTx: m.getAttr('NL80211_ATTR_WIPHY_ANTENNA_AVAIL_TX'),
    antennaAvailRx: m.getAttr('NL80211_ATTR_WIPHY_ANTENNA_AVAIL_RX'),
    antennaTx: m.getAttr('NL80211_ATTR_WIPHY_ANTENNA_TX'),
    antennaRx: m.getAttr('NL80211_ATTR_WIPHY_ANTENNA_RX'),
    maxRemainOnChannelMs: m.getAttr('NL80211_ATTR_MAX_REMAIN_ON_CHANNEL_DURATION'),
    featureFlags: strip('NL80211_FEATURE_', flagNames(ff, NL80211_FEATURE_FLAGS)),
    extFeatures: ext.map((i) => nameOf(NL80211_EXT_FEATURE_INDEX, i, 'NL80211_EXT_FEATURE_')),
    generation: m.getAttr('NL80211_ATTR_GENERATION'),
  });
}

// ---- BSS (scan results) ------------------------------------------------------------------

/** One scan result, as `iw scan` shows it: the BSS attributes with its IEs parsed. */
export interface BssInfo extends IeSummary {
  ifindex?: number;
  wdev?: U64;
  bssid: string;
  frequency: number;
  beaconInterval?: number;
  /** Capability bits by name (ESS, PRIVACY, SHORT_SLOT_TIME...). */
  capability: string[];
  capabilityRaw?: number;
  signalMbm?: number;
  signalDbm?: number;
  signalUnspec?: number;
  seenMsAgo?: number;
  /** 'associated', 'authenticated', 'ibss_joined' when the interface uses this BSS. */
  status?: string;
  tsf?: U64;
  lastSeenBoottimeNs?: U64;
  /** Every element (probe response or beacon), parsed. */
  ies: InfoElement[];
  beaconIes?: InfoElement[];
}

/** BssInfo from an NL80211_CMD_NEW_SCAN_RESULTS message. */
export function bssInfo(m: Nl80211Message): BssInfo | undefined {
  const b = m.getAttr('NL80211_ATTR_BSS');
  if (!b) return undefined;
  const ies = b.getAttr('NL80211_BSS_INFORMATION_ELEMENTS') ?? b.getAttr('NL80211_BSS_BEACON_IES') ?? [];
  const cap = b.getAttr('NL80211_BSS_CAPABILITY');
  const sig = b.getAttr('NL80211_BSS_SIGNAL_MBM');
  const st = b.getAttr('NL80211_BSS_STATUS');
  return compact({
    ifindex: m.getAttr('NL80211_ATTR_IFINDEX'),
    wdev: u64(m.getAttr('NL80211_ATTR_WDEV')),
    bssid: b.getAttr('NL80211_BSS_BSSID') ?? '',
    frequency: b.getAttr('NL80211_BSS_FREQUENCY') ?? 0,
    beaconInterval: b.getAttr('NL80211_BSS_BEACON_INTERVAL'),
    capability: cap !== undefined ? strip('', flagNames(cap, WLAN_CAPABILITY)) : [],
    capabilityRaw: cap,
    signalMbm: sig,
    signalDbm: sig !== undefined ? sig / 100 : undefined,
    signalUnspec: b.getAttr('NL80211_BSS_SIGNAL_UNSPEC'),
    seenMsAgo: b.getAttr('NL80211_BSS_SEEN_MS_AGO'),
    status: st !== undefined ? bssStatusName(st) : undefined,
    tsf: u64(b.getAttr('NL80211_BSS_TSF')),
    lastSeenBoottimeNs: u64(b.getAttr('NL80211_BSS_LAST_SEEN_BOOTTIME')),
    ...summarizeIes(ies),
    ies,
    beaconIes: b.getAttr('NL80211_BSS_BEACON_IES'),
  });
}

// ---- stations ------------------------------------------------------------------------

/** A TX/RX bitrate (struct rate_info): Mb/s and how it was sent. */
export interface RateInfo {
  mbps?: number;
  /** 'HT' (mcs), 'VHT', 'HE', 'EHT' or 'legacy'. */
  mode: 'legacy' | 'HT' | 'VHT' | 'HE' | 'EHT';
  mcs?: number;
  nss?: number;
  widthMhz: number;
  shortGi: boolean;
  heGi?: number;
  heDcm?: number;
}

/** RateInfo from an NL80211_STA_INFO_TX_BITRATE / RX_BITRATE nest. */
export function rateInfo(r: AttrSet<typeof rateInfoAttrs.decl>): RateInfo {
  const b32 = r.getAttr('NL80211_RATE_INFO_BITRATE32'),
    b16 = r.getAttr('NL80211_RATE_INFO_BITRATE');
  const width = r.has('NL80211_RATE_INFO_320_MHZ_WIDTH')
    ? 320
    : r.has('NL80211_RATE_INFO_160_MHZ_WIDTH') || r.has('NL80211_RATE_INFO_80P80_MHZ_WIDTH')
      ? 160
      : r.has('NL80211_RATE_INFO_80_MHZ_WIDTH')
        ? 80
        : r.has('NL80211_RATE_INFO_40_MHZ_WIDTH')
          ? 40
          : r.has('NL80211_RATE_INFO_10_MHZ_WIDTH')
            ? 10
            : r.has('NL80211_RATE_INFO_5_MHZ_WIDTH')
              ? 5
              : 20;
  const out: RateInfo = { mode: 'legacy', widthMhz: width, shortGi: r.has('NL80211_RATE_INFO_SHORT_GI') };
  const rate = b32 ?? b16;
  if (rate !== undefined) out.mbps = rate / 10;
  const eht = r.getAttr('NL80211_RATE_INFO_EHT_MCS'),
    he = r.getAttr('NL80211_RATE_INFO_HE_MCS');
  const vht = r.getAttr('NL80211_RATE_INFO_VHT_MCS'),
    ht = r.getAttr('NL80211_RATE_INFO_MCS');
  if (eht !== undefined) Object.assign(out, { mode: 'EHT', mcs: eht, nss: r.getAttr('NL80211_RATE_INFO_EHT_NSS') });
  else if (he !== undefined)
    Object.assign(
      out,
      compact({
        mode: 'HE',
        mcs: he,
        nss: r.getAttr('NL80211_RATE_INFO_HE_NSS'),
        heGi: r.getAttr('NL80211_RATE_INFO_HE_GI'),
        heDcm: r.getAttr('NL80211_RATE_INFO_HE_DCM'),
      }),
    );
  else if (vht !== undefined)
    Object.assign(out, { mode: 'VHT', mcs: vht, nss: r.getAttr('NL80211_RATE_INFO_VHT_NSS') });
  else if (ht !== undefined) Object.assign(out, { mode: 'HT', mcs: ht });
  return compact(out);
}

/** One station, as `iw station dump` shows it. */
export interface StationInfo {
  ifindex?: number;
  mac: string;
  inactiveTimeMs?: number;
  rxBytes?: U64;
  txBytes?: U64;
  rxPackets?: number;
  txPackets?: number;
  txRetries?: number;
  txFailed?: number;
  rxDropMisc?: U64;
  beaconLoss?: number;
  beaconRx?: U64;
  signalDbm?: number;
  signalAvgDbm?: number;
  chainSignalDbm?: number[];
  beaconSignalAvgDbm?: number;
  ackSignalDbm?: number;
  txBitrate?: RateInfo;
  rxBitrate?: RateInfo;
  expectedThroughputKbps?: number;
  connectedTimeS?: number;
  /** Station flags the kernel reports as set (AUTHORIZED, AUTHENTICATED, ASSOCIATED, WME, MFP...). */
  flags?: string[];
  bssParam?: {
    ctsProtection: boolean;
    shortPreamble: boolean;
    shortSlotTime: boolean;
    dtimPeriod?: number;
    beaconInterval?: number;
  };
  rxDurationUs?: U64;
  txDurationUs?: U64;
  assocAtBoottimeNs?: U64;
}

/** StationInfo from an NL80211_CMD_NEW_STATION message. */
export function stationInfo(m: Nl80211Message): StationInfo {
  const s = m.getAttr('NL80211_ATTR_STA_INFO');
  const out: StationInfo = compact({
    ifindex: m.getAttr('NL80211_ATTR_IFINDEX'),
    mac: m.getAttr('NL80211_ATTR_MAC') ?? '',
  });
  if (!s) return out;
  const rx64 = s.getAttr('NL80211_STA_INFO_RX_BYTES64'),
    tx64 = s.getAttr('NL80211_STA_INFO_TX_BYTES64');
  const txr = s.getAttr('NL80211_STA_INFO_TX_BITRATE'),
    rxr = s.getAttr('NL80211_STA_INFO_RX_BITRATE');
  const chain = s.getAttr('NL80211_STA_INFO_CHAIN_SIGNAL');
  const fl = s.getAttr('NL80211_STA_INFO_STA_FLAGS');
  const bp = s.getAttr('NL80211_STA_INFO_BSS_PARAM');
  Object.assign(
    out,
    compact({
      inactiveTimeMs: s.getAttr('NL80211_STA_INFO_INACTIVE_TIME'),
      rxBytes: rx64 !== undefined ? u64(rx64) : s.getAttr('NL80211_STA_INFO_RX_BYTES'),
      txBytes: tx64 !== undefined ? u64(tx64) : s.getAttr('NL80211_STA_INFO_TX_BYTES'),
      rxPackets: s.getAttr('NL80211_STA_INFO_RX_PACKETS'),
      txPackets: s.getAttr('NL80211_STA_INFO_TX_PACKETS'),
      txRetries: s.getAttr('NL80211_STA_INFO_TX_RETRIES'),
      txFailed: s.getAttr('NL80211_STA_INFO_TX_FAILED'),
      rxDropMisc: u64(s.getAttr('NL80211_STA_INFO_RX_DROP_MISC')),
      beaconLoss: s.getAttr('NL80211_STA_INFO_BEACON_LOSS'),
      beaconRx: u64(s.getAttr('NL80211_STA_INFO_BEACON_RX')),
      signalDbm: s.getAttr('NL80211_STA_INFO_SIGNAL'),
      signalAvgDbm: s.getAttr('NL80211_STA_INFO_SIGNAL_AVG'),
      chainSignalDbm: chain ? [...chain.values()] : undefined,
      beaconSignalAvgDbm: s.getAttr('NL80211_STA_INFO_BEACON_SIGNAL_AVG'),
      ackSignalDbm: s.getAttr('NL80211_STA_INFO_ACK_SIGNAL'),
      txBitrate: txr ? rateInfo(txr) : undefined,
      rxBitrate: rxr ? rateInfo(rxr) : undefined,
      expectedThroughputKbps: s.getAttr('NL80211_STA_INFO_EXPECTED_THROUGHPUT'),
      connectedTimeS: s.getAttr('NL80211_STA_INFO_CONNECTED_TIME'),
      flags: fl ? strip('NL80211_STA_FLAG_', flagNames(fl.set & fl.mask, STA_FLAG_BITS)) : undefined,
      bssParam: bp
        ? compact({
            ctsProtection: bp.has('NL80211_STA_BSS_PARAM_CTS_PROT'),
            shortPreamble: bp.has('NL80211_STA_BSS_PARAM_SHORT_PREAMBLE'),
            shortSlotTime: bp.has('NL80211_STA_BSS_PARAM_SHORT_SLOT_TIME'),
            dtimPeriod: bp.getAttr('NL80211_STA_BSS_PARAM_DTIM_PERIOD'),
            beaconInterval: bp.getAttr('NL80211_STA_BSS_PARAM_BEACON_INTERVAL'),
          })
        : undefined,
      rxDurationUs: u64(s.getAttr('NL80211_STA_INFO_RX_DURATION')),
      txDurationUs: u64(s.getAttr('NL80211_STA_INFO_TX_DURATION')),
      assocAtBoottimeNs: u64(s.getAttr('NL80211_STA_INFO_ASSOC_AT_BOOTTIME')),
    }),
  );
  return out;
}

// ---- survey --------------------------------------------------------------------------

/** One channel's survey, as `iw survey dump` shows it (times in ms). */
export interface SurveyInfo {
  ifindex?: number;
  frequency: number;
  inUse: boolean;
  noiseDbm?: number;
  activeMs?: number;
  busyMs?: number;
  extBusyMs?: number;
  rxMs?: number;
  txMs?: number;
  scanMs?: number;
  bssRxMs?: number;
}

/** SurveyInfo from an NL80211_CMD_NEW_SURVEY_RESULTS message. */
export function surveyInfo(m: Nl80211Message): SurveyInfo | undefined {
  const s = m.getAttr('NL80211_ATTR_SURVEY_INFO');
  if (!s) return undefined;
  return compact({
    ifindex: m.getAttr('NL80211_ATTR_IFINDEX'),
    frequency: s.getAttr('NL80211_SURVEY_INFO_FREQUENCY') ?? 0,
    inUse: s.has('NL80211_SURVEY_INFO_IN_USE'),
    noiseDbm: s.getAttr('NL80211_SURVEY_INFO_NOISE'),
    activeMs: num(s.getAttr('NL80211_SURVEY_INFO_TIME')),
    busyMs: num(s.getAttr('NL80211_SURVEY_INFO_TIME_BUSY')),
    extBusyMs: num(s.getAttr('NL80211_SURVEY_INFO_TIME_EXT_BUSY')),
    rxMs: num(s.getAttr('NL80211_SURVEY_INFO_TIME_RX')),
    txMs: num(s.getAttr('NL80211_SURVEY_INFO_TIME_TX')),
    scanMs: num(s.getAttr('NL80211_SURVEY_INFO_TIME_SCAN')),
    bssRxMs: num(s.getAttr('NL80211_SURVEY_INFO_TIME_BSS_RX')),
  });
}

// ---- regulatory ------------------------------------------------------------------------

export interface RegRuleInfo {
  startMhz: number;
  endMhz: number;
  maxBandwidthMhz: number;
  /** Max antenna gain in dBi and max EIRP in dBm (the kernel reports mBi / mBm). */
  maxAntennaGainDbi: number;
  maxEirpDbm: number;
  /** NL80211_RRF_* flags without the prefix (NO_OUTDOOR, DFS, NO_IR, AUTO_BW...). */
  flags: string[];
  dfsCacTimeMs?: number;
}

/** A regulatory domain, as `iw reg get` shows it: global, or one wiphy's (self-managed). */
export interface RegDomainInfo {
  alpha2: string;
  /** 'UNSET', 'FCC', 'ETSI', 'JP'. */
  dfsRegion?: string;
  /** Set when the domain belongs to one wiphy. */
  wiphy?: number;
  selfManaged: boolean;
  rules: RegRuleInfo[];
}

/** RegDomainInfo from an NL80211_CMD_GET_REG answer or NL80211_CMD_REG_CHANGE event. */
export function regDomainInfo(m: Nl80211Message): RegDomainInfo {
  const dfs = m.getAttr('NL80211_ATTR_DFS_REGION');
  return compact({
    alpha2: m.getAttr('NL80211_ATTR_REG_ALPHA2') ?? '',
    dfsRegion: dfs !== undefined ? nameOf(NL80211_DFS_REGIONS, dfs, 'NL80211_DFS_') : undefined,
    wiphy: m.getAttr('NL80211_ATTR_WIPHY'),
    selfManaged: m.has('NL80211_ATTR_WIPHY_SELF_MANAGED_REG'),
    rules: (m.getAttr('NL80211_ATTR_REG_RULES') ?? []).map((r) =>
      compact({
        startMhz: (r.getAttr('NL80211_ATTR_FREQ_RANGE_START') ?? 0) / 1000,
        endMhz: (r.getAttr('NL80211_ATTR_FREQ_RANGE_END') ?? 0) / 1000,
        maxBandwidthMhz: (r.getAttr('NL80211_ATTR_FREQ_RANGE_MAX_BW') ?? 0) / 1000,
        maxAntennaGainDbi: (r.getAttr('NL80211_ATTR_POWER_RULE_MAX_ANT_GAIN') ?? 0) / 100,
        maxEirpDbm: (r.getAttr('NL80211_ATTR_POWER_RULE_MAX_EIRP') ?? 0) / 100,
        flags: strip('NL80211_RRF_', flagNames(r.getAttr('NL80211_ATTR_REG_RULE_FLAGS') ?? 0, NL80211_REG_RULE_FLAGS)),
        dfsCacTimeMs: r.getAttr('NL80211_ATTR_DFS_CAC_TIME'),
      }),
    ),
  });
}

/** Width in MHz of an NL80211_CHAN_WIDTH_* value. */
export function chanWidthMhz(v: number): number | undefined {
  return CHAN_WIDTH_MHZ[v];
}
