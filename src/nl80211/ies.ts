// 802.11 information elements (beacon / probe response / association IEs) as an NlaType:
// a run of (id, length, data) elements, the ones users read parsed into fields, every
// other one kept with its raw bytes (vendor elements always raw, with their OUI).
import { NetlinkEncodeError, type NlaType } from '../core/index.js';
import { akmName, cipherName } from './suites.js';

/** Element ids this parser names (IEEE 802.11-2020 table 9-92, the common ones). */
export const IE_IDS = {
  SSID: 0,
  SUPP_RATES: 1,
  DS_PARAMS: 3,
  CF_PARAMS: 4,
  TIM: 5,
  IBSS_PARAMS: 6,
  COUNTRY: 7,
  REQUEST: 10,
  BSS_LOAD: 11,
  EDCA_PARAMS: 12,
  CHALLENGE: 16,
  POWER_CONSTRAINT: 32,
  POWER_CAPABILITY: 33,
  TPC_REPORT: 35,
  SUPPORTED_CHANNELS: 36,
  CHANNEL_SWITCH: 37,
  QUIET: 40,
  IBSS_DFS: 41,
  ERP: 42,
  HT_CAPABILITY: 45,
  QOS_CAPABILITY: 46,
  RSN: 48,
  EXT_SUPP_RATES: 50,
  AP_CHANNEL_REPORT: 51,
  NEIGHBOR_REPORT: 52,
  MOBILITY_DOMAIN: 54,
  FAST_BSS_TRANSITION: 55,
  TIMEOUT_INTERVAL: 56,
  SUPPORTED_OPERATING_CLASSES: 59,
  HT_OPERATION: 61,
  SECONDARY_CHANNEL_OFFSET: 62,
  RM_ENABLED_CAPABILITIES: 70,
  MULTIPLE_BSSID: 71,
  BSS_COEXISTENCE: 72,
  OVERLAPPING_BSS_SCAN_PARAMS: 74,
  MULTIPLE_BSSID_INDEX: 85,
  INTERWORKING: 107,
  ADVERTISEMENT_PROTOCOL: 108,
  ROAMING_CONSORTIUM: 111,
  MESH_CONFIG: 113,
  MESH_ID: 114,
  EXT_CAPABILITY: 127,
  VHT_CAPABILITY: 191,
  VHT_OPERATION: 192,
  WIDE_BANDWIDTH_CHANNEL_SWITCH: 194,
  TRANSMIT_POWER_ENVELOPE: 195,
  CHANNEL_SWITCH_WRAPPER: 196,
  OPERATING_MODE_NOTIFICATION: 199,
  REDUCED_NEIGHBOR_REPORT: 201,
  VENDOR: 221,
  RSNX: 244,
  EXTENSION: 255,
} as const;

/** Element extension ids (element 255, first data byte). */
export const IE_EXT_IDS = {
  FILS_REQUEST_PARAMS: 2,
  FILS_KEY_CONFIRM: 3,
  FILS_SESSION: 4,
  OWE_DH_PARAM: 32,
  HE_CAPABILITY: 35,
  HE_OPERATION: 36,
  UORA: 37,
  HE_MU_EDCA: 38,
  HE_SPR: 39,
  MULTIPLE_BSSID_CONFIGURATION: 55,
  KNOWN_BSSID: 57,
  SHORT_SSID_LIST: 58,
  HE_6GHZ_CAPABILITY: 59,
  EHT_OPERATION: 106,
  MULTI_LINK: 107,
  EHT_CAPABILITY: 108,
} as const;

const ieNames = new Map<number, string>(Object.entries(IE_IDS).map(([k, v]) => [v, k]));
const extNames = new Map<number, string>(Object.entries(IE_EXT_IDS).map(([k, v]) => [v, k]));

/** Every element: its id, name, payload bytes; parsed fields are added for known ones. */
export interface InfoElementBase {
  id: number;
  name: string;
  data: Buffer;
  /** Set when the element is shorter than its format (the bytes are kept). */
  error?: string;
}

export interface SsidElement extends InfoElementBase {
  name: 'SSID';
  ssid: string;
}
export interface RatesElement extends InfoElementBase {
  name: 'SUPP_RATES' | 'EXT_SUPP_RATES';
  /** Rates in Mb/s, in element order. */
  rates: number[];
  /** The rates marked basic (mandatory) by the BSS. */
  basic: number[];
  /** BSS membership selectors (127 HT, 126 VHT, 122 HE, 123 SAE-H2E). */
  selectors: number[];
}
export interface DsElement extends InfoElementBase {
  name: 'DS_PARAMS';
  channel: number;
}
export interface TimElement extends InfoElementBase {
  name: 'TIM';
  dtimCount: number;
  dtimPeriod: number;
  bitmapControl: number;
  bitmap: Buffer;
}
export interface CountryElement extends InfoElementBase {
  name: 'COUNTRY';
  country: string;
  /** ' ' any, 'I' indoor, 'O' outdoor, 'X' non-country entity. */
  environment: string;
  channels: { firstChannel: number; numChannels: number; maxPowerDbm: number }[];
  /** Operating-class triplets (first byte >= 201). */
  extensions: { regulatoryExtension: number; regulatoryClass: number; coverageClass: number }[];
}
export interface ErpElement extends InfoElementBase {
  name: 'ERP';
  nonErpPresent: boolean;
  useProtection: boolean;
  barkerPreambleMode: boolean;
}
export interface HtCapabilityElement extends InfoElementBase {
  name: 'HT_CAPABILITY';
  capabilities: number;
  ldpc: boolean;
  width40: boolean;
  smps: number;
  greenfield: boolean;
  sgi20: boolean;
  sgi40: boolean;
  txStbc: boolean;
  rxStbc: number;
  maxAmsdu: 3839 | 7935;
  dsssCck40: boolean;
  intolerant40: boolean;
  /** A-MPDU length exponent and minimum MPDU start spacing. */
  ampduFactor: number;
  ampduDensity: number;
  /** HT MCS indexes the station can receive. */
  rxMcs: number[];
  rxHighestRate: number;
  txMcsSetDefined: boolean;
  extCapabilities: number;
  txBeamforming: number;
  aselCapabilities: number;
}
export interface RsnElement extends InfoElementBase {
  name: 'RSN';
  version: number;
  groupCipher?: string;
  pairwiseCiphers: string[];
  akms: string[];
  capabilities?: number;
  /** Capabilities bits by name (pre-auth, MFP required/capable...). */
  flags: string[];
  pmkids: Buffer[];
  groupMgmtCipher?: string;
}
export interface HtOperationElement extends InfoElementBase {
  name: 'HT_OPERATION';
  primaryChannel: number;
  /** 'none', 'above' or 'below' (where the secondary 20 MHz channel is). */
  secondaryChannelOffset: 'none' | 'above' | 'below' | 'reserved';
  /** true: any width the station supports; false: 20 MHz only. */
  anyWidth: boolean;
  rifs: boolean;
  htProtection: 'none' | 'nonmember' | '20MHz' | 'non-HT mixed';
  nonGfPresent: boolean;
  obssNonHtPresent: boolean;
  centerSegment2: number;
  dualBeacon: boolean;
  dualCtsProtection: boolean;
  stbcBeacon: boolean;
  basicMcs: number[];
}
export interface VhtCapabilityElement extends InfoElementBase {
  name: 'VHT_CAPABILITY';
  capabilities: number;
  maxMpdu: 3895 | 7991 | 11454 | 0;
  /** 0: 80 MHz, 1: 160 MHz, 2: 160 and 80+80 MHz. */
  supportedWidths: number;
  rxLdpc: boolean;
  sgi80: boolean;
  sgi160: boolean;
  txStbc: boolean;
  suBeamformer: boolean;
  suBeamformee: boolean;
  muBeamformer: boolean;
  muBeamformee: boolean;
  /** Highest VHT MCS per spatial stream (index = streams - 1): 7, 8, 9, or undefined (not supported). */
  rxMcs: (number | undefined)[];
  txMcs: (number | undefined)[];
  rxHighestRate: number;
  txHighestRate: number;
}
export interface VhtOperationElement extends InfoElementBase {
  name: 'VHT_OPERATION';
  /** 0: 20 or 40 MHz (see HT operation), 1: 80, 160 or 80+80 MHz, 2/3: deprecated 160 / 80+80. */
  channelWidth: number;
  centerSegment0: number;
  centerSegment1: number;
  basicMcs: (number | undefined)[];
}
export interface ExtCapabilityElement extends InfoElementBase {
  name: 'EXT_CAPABILITY';
  bits: number[];
}
export interface VendorElement extends InfoElementBase {
  name: 'VENDOR';
  oui: string;
  ouiType?: number;
}
export interface ExtensionElement extends InfoElementBase {
  name: 'EXTENSION';
  extId: number;
  extName: string;
}
export interface OtherElement extends InfoElementBase {
  name: string;
}

export type InfoElement =
  | SsidElement
  | RatesElement
  | DsElement
  | TimElement
  | CountryElement
  | ErpElement
  | HtCapabilityElement
  | RsnElement
  | HtOperationElement
  | VhtCapabilityElement
  | VhtOperationElement
  | ExtCapabilityElement
  | VendorElement
  | ExtensionElement
  | OtherElement;

/** An element to encode: known payload bytes, or an SSID as text. */
export type InfoElementInput = { id: number; data: Uint8Array } | { id?: 0; ssid: string | Uint8Array };

/** SSID bytes as text: UTF-8 when valid, otherwise each byte outside printable ASCII as \xNN (like iw). */
export function ssidText(b: Buffer): string {
  const s = b.toString('utf8');
  if (!s.includes('\ufffd') && Buffer.byteLength(s) === b.length) return s;
  let out = '';
  for (const c of b)
    out += c >= 0x20 && c < 0x7f && c !== 0x5c ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  return out;
}

function mcsBitmap(b: Buffer, off: number, bytes: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < bytes * 8; i++) if (b[off + (i >> 3)] & (1 << (i & 7))) out.push(i);
  return out;
}

/** Max VHT MCS per spatial stream from a 16-bit MCS map (trailing unsupported streams dropped). */
export function vhtMcsMap(map: number): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  for (let ss = 0; ss < 8; ss++) {
    const v = (map >> (ss * 2)) & 3;
    out.push(v === 3 ? undefined : 7 + v);
  }
  // Trailing "not supported" streams carry no information.
  while (out.length && out[out.length - 1] === undefined) out.pop();
  return out;
}

const RSN_CAPS: [string, number][] = [
  ['PREAUTH', 0x1],
  ['NO_PAIRWISE', 0x2],
  ['MFP_REQUIRED', 0x40],
  ['MFP_CAPABLE', 0x80],
  ['JOINT_MULTIBAND_RSNA', 0x100],
  ['PEERKEY', 0x200],
  ['SPP_AMSDU_CAPABLE', 0x400],
  ['SPP_AMSDU_REQUIRED', 0x800],
  ['PBAC', 0x1000],
  ['EXTENDED_KEY_ID', 0x2000],
  ['OCVC', 0x4000],
];

class Short extends Error {}

/** A bounded reader: running past the element's end throws Short (caught per element). */
class Reader {
  p = 0;
  constructor(readonly b: Buffer) {}
  get left(): number {
    return this.b.length - this.p;
  }
  need(n: number): void {
    if (this.p + n > this.b.length) throw new Short(`needs ${this.p + n} bytes, has ${this.b.length}`);
  }
  u8(): number {
    this.need(1);
    return this.b[this.p++];
  }
  u16(): number {
    this.need(2);
    const v = this.b.readUInt16LE(this.p);
    this.p += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.b.readUInt32LE(this.p);
    this.p += 4;
    return v;
  }
  /** A suite selector: OUI (3 bytes, network order) then type, as nl80211's u32 form. */
  suite(): number {
    this.need(4);
    const v = this.b.readUInt32BE(this.p);
    this.p += 4;
    return v >>> 0;
  }
  bytes(n: number): Buffer {
    this.need(n);
    const v = this.b.subarray(this.p, this.p + n);
    this.p += n;
    return v;
  }
}

function parseRsn(base: InfoElementBase): RsnElement {
  const r = new Reader(base.data);
  const e: RsnElement = {
    ...base,
    name: 'RSN',
    version: r.u16(),
    pairwiseCiphers: [],
    akms: [],
    flags: [],
    pmkids: [],
  };
  // Every field after the version is optional: stop cleanly where the element ends.
  if (r.left < 4) return e;
  e.groupCipher = cipherName(r.suite());
  if (r.left < 2) return e;
  for (let n = r.u16(); n > 0; n--) e.pairwiseCiphers.push(cipherName(r.suite()));
  if (r.left < 2) return e;
  for (let n = r.u16(); n > 0; n--) e.akms.push(akmName(r.suite()));
  if (r.left < 2) return e;
  e.capabilities = r.u16();
  for (const [k, bit] of RSN_CAPS) if (e.capabilities & bit) e.flags.push(k);
  if (r.left < 2) return e;
  for (let n = r.u16(); n > 0; n--) e.pmkids.push(r.bytes(16));
  if (r.left < 4) return e;
  e.groupMgmtCipher = cipherName(r.suite());
  return e;
}

function parseRates(base: InfoElementBase): RatesElement {
  const e: RatesElement = { ...base, name: base.name as RatesElement['name'], rates: [], basic: [], selectors: [] };
  for (const c of base.data) {
    const v = c & 0x7f;
    // Membership selectors are encoded as "basic" rates with reserved values.
    if (c & 0x80 && (v === 127 || v === 126 || v === 122 || v === 123 || v === 121)) {
      e.selectors.push(v);
      continue;
    }
    const rate = v / 2;
    e.rates.push(rate);
    if (c & 0x80) e.basic.push(rate);
  }
  return e;
}

function parseCountry(base: InfoElementBase): CountryElement {
  const r = new Reader(base.data);
  const cc = r.bytes(3);
  const e: CountryElement = {
    ...base,
    name: 'COUNTRY',
    country: cc.toString('latin1', 0, 2),
    environment: String.fromCharCode(cc[2]),
    channels: [],
    extensions: [],
  };
  while (r.left >= 3) {
    const a = r.u8(),
      b = r.u8(),
      c = r.u8();
    if (a >= 201) e.extensions.push({ regulatoryExtension: a, regulatoryClass: b, coverageClass: c });
    else e.channels.push({ firstChannel: a, numChannels: b, maxPowerDbm: c > 127 ? c - 256 : c });
  }
  return e;
}

function parseHtCap(base: InfoElementBase): HtCapabilityElement {
  const r = new Reader(base.data);
  const cap = r.u16(),
    ampdu = r.u8(),
    mcs = r.bytes(16);
  return {
    ...base,
    name: 'HT_CAPABILITY',
    capabilities: cap,
    ldpc: !!(cap & 0x1),
    width40: !!(cap & 0x2),
    smps: (cap >> 2) & 3,
    greenfield: !!(cap & 0x10),
    sgi20: !!(cap & 0x20),
    sgi40: !!(cap & 0x40),
    txStbc: !!(cap & 0x80),
    rxStbc: (cap >> 8) & 3,
    maxAmsdu: cap & 0x800 ? 7935 : 3839,
    dsssCck40: !!(cap & 0x1000),
    intolerant40: !!(cap & 0x4000),
    ampduFactor: ampdu & 3,
    ampduDensity: (ampdu >> 2) & 7,
    rxMcs: mcsBitmap(mcs, 0, 10),
    rxHighestRate: mcs.readUInt16LE(10) & 0x3ff,
    txMcsSetDefined: !!(mcs[12] & 1),
    extCapabilities: r.u16(),
    txBeamforming: r.u32(),
    aselCapabilities: r.u8(),
  };
}

function parseHtOp(base: InfoElementBase): HtOperationElement {
  const r = new Reader(base.data);
  const primary = r.u8(),
    b1 = r.u8(),
    b2 = r.u16(),
    b4 = r.u16(),
    mcs = r.bytes(16);
  const sco = b1 & 3;
  return {
    ...base,
    name: 'HT_OPERATION',
    primaryChannel: primary,
    secondaryChannelOffset: (['none', 'above', 'reserved', 'below'] as const)[sco],
    anyWidth: !!(b1 & 4),
    rifs: !!(b1 & 8),
    htProtection: (['none', 'nonmember', '20MHz', 'non-HT mixed'] as const)[b2 & 3],
    nonGfPresent: !!(b2 & 4),
    obssNonHtPresent: !!(b2 & 0x10),
    centerSegment2: (b2 >> 5) & 0xff,
    dualBeacon: !!(b4 & 0x40),
    dualCtsProtection: !!(b4 & 0x80),
    stbcBeacon: !!(b4 & 0x100),
    basicMcs: mcsBitmap(mcs, 0, 10),
  };
}

function parseVhtCap(base: InfoElementBase): VhtCapabilityElement {
  const r = new Reader(base.data);
  const cap = r.u32(),
    rxMap = r.u16(),
    rxHigh = r.u16(),
    txMap = r.u16(),
    txHigh = r.u16();
  return {
    ...base,
    name: 'VHT_CAPABILITY',
    capabilities: cap,
    maxMpdu: ([3895, 7991, 11454, 0] as const)[cap & 3],
    supportedWidths: (cap >> 2) & 3,
    rxLdpc: !!(cap & 0x10),
    sgi80: !!(cap & 0x20),
    sgi160: !!(cap & 0x40),
    txStbc: !!(cap & 0x80),
    suBeamformer: !!(cap & 0x800),
    suBeamformee: !!(cap & 0x1000),
    muBeamformer: !!(cap & 0x80000),
    muBeamformee: !!(cap & 0x100000),
    rxMcs: vhtMcsMap(rxMap),
    txMcs: vhtMcsMap(txMap),
    rxHighestRate: rxHigh & 0x1fff,
    txHighestRate: txHigh & 0x1fff,
  };
}

function parseVhtOp(base: InfoElementBase): VhtOperationElement {
  const r = new Reader(base.data);
  return {
    ...base,
    name: 'VHT_OPERATION',
    channelWidth: r.u8(),
    centerSegment0: r.u8(),
    centerSegment1: r.u8(),
    basicMcs: vhtMcsMap(r.u16()),
  };
}

function parseOne(id: number, data: Buffer): InfoElement {
  const base: InfoElementBase = { id, name: ieNames.get(id) ?? `IE_${id}`, data };
  try {
    switch (id) {
      case 0:
        return { ...base, name: 'SSID', ssid: ssidText(data) };
      case 1:
      case 50:
        return parseRates(base);
      case 3:
        return { ...base, name: 'DS_PARAMS', channel: new Reader(data).u8() };
      case 5: {
        const r = new Reader(data);
        return {
          ...base,
          name: 'TIM',
          dtimCount: r.u8(),
          dtimPeriod: r.u8(),
          bitmapControl: r.u8(),
          bitmap: data.subarray(3),
        };
      }
      case 7:
        return parseCountry(base);
      case 42: {
        const v = new Reader(data).u8();
        return {
          ...base,
          name: 'ERP',
          nonErpPresent: !!(v & 1),
          useProtection: !!(v & 2),
          barkerPreambleMode: !!(v & 4),
        };
      }
      case 45:
        return parseHtCap(base);
      case 48:
        return parseRsn(base);
      case 61:
        return parseHtOp(base);
      case 127:
        return { ...base, name: 'EXT_CAPABILITY', bits: mcsBitmap(data, 0, data.length) };
      case 191:
        return parseVhtCap(base);
      case 192:
        return parseVhtOp(base);
      case 221: {
        const r = new Reader(data);
        const o = r.bytes(3);
        const e: VendorElement = {
          ...base,
          name: 'VENDOR',
          oui: [...o].map((x) => x.toString(16).padStart(2, '0')).join(':'),
        };
        if (r.left) e.ouiType = r.u8();
        return e;
      }
      case 255: {
        const ext = new Reader(data).u8();
        return { ...base, name: 'EXTENSION', extId: ext, extName: extNames.get(ext) ?? `EXT_${ext}` };
      }
      default:
        return base;
    }
  } catch (e) {
    if (e instanceof Short) return { ...base, error: `truncated ${base.name} element: ${e.message}` };
    throw e;
  }
}

/**
 * Parse a run of elements. Never throws: an element whose length runs past the end is
 * returned as `{ id: -1, name: 'MALFORMED', error }` with the remaining bytes.
 */
export function parseIes(buf: Buffer, off = 0, len = buf.length - off): InfoElement[] {
  const out: InfoElement[] = [];
  const end = off + len;
  let p = off;
  while (p < end) {
    if (p + 2 > end || p + 2 + buf[p + 1] > end) {
      out.push({
        id: -1,
        name: 'MALFORMED',
        data: buf.subarray(p, end),
        error: `element at byte ${p - off} runs past the end (${end - p} bytes left)`,
      });
      break;
    }
    const id = buf[p],
      l = buf[p + 1];
    out.push(parseOne(id, buf.subarray(p + 2, p + 2 + l)));
    p += 2 + l;
  }
  return out;
}

/** Encode elements: raw bytes (Buffer or hex text) or a list of elements. */
export function encodeIes(v: Uint8Array | string | readonly InfoElementInput[]): Buffer {
  if (typeof v === 'string') {
    const hex = v.replace(/[\s:]/g, '');
    if (hex.length % 2 || /[^0-9a-fA-F]/.test(hex))
      throw new NetlinkEncodeError(`information elements: not hex: ${JSON.stringify(v)}`);
    return Buffer.from(hex, 'hex');
  }
  if (v instanceof Uint8Array) return Buffer.from(v);
  if (!Array.isArray(v))
    throw new NetlinkEncodeError('information elements need a Buffer, hex text or a list of elements');
  const parts: Buffer[] = [];
  for (const e of v as readonly InfoElementInput[]) {
    const id = e.id ?? 0;
    const data =
      'data' in e ? Buffer.from(e.data) : typeof e.ssid === 'string' ? Buffer.from(e.ssid) : Buffer.from(e.ssid);
    if (!Number.isInteger(id) || id < 0 || id > 255)
      throw new NetlinkEncodeError(`element id ${id} out of range 0..255`);
    if (data.length > 255) throw new NetlinkEncodeError(`element ${id} has ${data.length} bytes, over 255`);
    parts.push(Buffer.from([id, data.length]), data);
  }
  return Buffer.concat(parts);
}

/** JSON-friendly form: Buffers as hex. */
export function prettyIe(e: InfoElement): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e))
    out[k] = Buffer.isBuffer(v)
      ? v.toString('hex')
      : Array.isArray(v)
        ? v.map((x) => (Buffer.isBuffer(x) ? x.toString('hex') : x))
        : v;
  return out;
}

/** The information-elements attribute type (NL80211_BSS_INFORMATION_ELEMENTS, NL80211_ATTR_IE...). */
export const ies: NlaType<InfoElement[], Uint8Array | string | readonly InfoElementInput[]> = {
  kind: 'ies',
  size: 0,
  nlaFlags: 0,
  decode: (b, o, len) => parseIes(b, o, len),
  encode(w, v, ctx) {
    try {
      w.bytes(encodeIes(v));
    } catch (e) {
      if (e instanceof NetlinkEncodeError) throw new NetlinkEncodeError(e.message, ctx.path);
      throw e;
    }
  },
  pretty: (v) => v.map(prettyIe),
};

/** The first element with that id (and, for 255, extension id). */
export function findIe<T extends InfoElement = InfoElement>(
  list: readonly InfoElement[] | undefined,
  id: number,
  extId?: number,
): T | undefined {
  return list?.find((e) => e.id === id && (extId === undefined || (e as ExtensionElement).extId === extId)) as
    | T
    | undefined;
}

/** What users usually want from a BSS's elements, in one object. */
export interface IeSummary {
  ssid?: string;
  /** Supported plus extended rates, Mb/s. */
  rates: number[];
  basicRates: number[];
  channel?: number;
  country?: string;
  rsn?: { groupCipher?: string; pairwiseCiphers: string[]; akms: string[]; flags: string[]; groupMgmtCipher?: string };
  ht?: { primaryChannel?: number; secondaryChannelOffset?: string; width40: boolean; rxMcs: number[] };
  vht?: { channelWidth?: number; centerSegment0?: number; centerSegment1?: number; rxMcs: (number | undefined)[] };
  he: boolean;
  vendors: { oui: string; ouiType?: number }[];
}

/** Summarize parsed elements (SSID, rates, channel, country, RSN, HT/VHT). */
export function summarizeIes(list: readonly InfoElement[]): IeSummary {
  const ssid = findIe<SsidElement>(list, 0);
  const rates = list.filter((e): e is RatesElement => (e.id === 1 || e.id === 50) && 'rates' in e);
  const ds = findIe<DsElement>(list, 3);
  const country = findIe<CountryElement>(list, 7);
  const rsn = findIe<RsnElement>(list, 48);
  const htCap = findIe<HtCapabilityElement>(list, 45);
  const htOp = findIe<HtOperationElement>(list, 61);
  const vhtCap = findIe<VhtCapabilityElement>(list, 191);
  const vhtOp = findIe<VhtOperationElement>(list, 192);
  const out: IeSummary = {
    rates: rates.flatMap((e) => e.rates),
    basicRates: rates.flatMap((e) => e.basic),
    he: !!findIe(list, 255, 35),
    vendors: list
      .filter((e): e is VendorElement => e.id === 221 && 'oui' in e)
      .map((e) => (e.ouiType === undefined ? { oui: e.oui } : { oui: e.oui, ouiType: e.ouiType })),
  };
  if (ssid && 'ssid' in ssid) out.ssid = ssid.ssid;
  if (ds && 'channel' in ds) out.channel = ds.channel;
  if (country && 'country' in country) out.country = country.country;
  if (rsn && 'akms' in rsn) {
    out.rsn = { pairwiseCiphers: rsn.pairwiseCiphers, akms: rsn.akms, flags: rsn.flags };
    if (rsn.groupCipher) out.rsn.groupCipher = rsn.groupCipher;
    if (rsn.groupMgmtCipher) out.rsn.groupMgmtCipher = rsn.groupMgmtCipher;
  }
  if ((htCap && 'rxMcs' in htCap) || (htOp && 'primaryChannel' in htOp)) {
    out.ht = {
      width40: htCap && 'width40' in htCap ? htCap.width40 : false,
      rxMcs: htCap && 'rxMcs' in htCap ? htCap.rxMcs : [],
    };
    if (htOp && 'primaryChannel' in htOp) {
      out.ht.primaryChannel = htOp.primaryChannel;
      out.ht.secondaryChannelOffset = htOp.secondaryChannelOffset;
    }
  }
  if ((vhtCap && 'rxMcs' in vhtCap) || (vhtOp && 'channelWidth' in vhtOp)) {
    out.vht = { rxMcs: vhtCap && 'rxMcs' in vhtCap ? vhtCap.rxMcs : [] };
    if (vhtOp && 'channelWidth' in vhtOp)
      Object.assign(out.vht, {
        channelWidth: vhtOp.channelWidth,
        centerSegment0: vhtOp.centerSegment0,
        centerSegment1: vhtOp.centerSegment1,
      });
  }
  return out;
}
