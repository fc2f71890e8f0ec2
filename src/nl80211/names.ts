// Friendly names used by the IW API (the seed's names: 'station', '20_noht', 'associated'),
// and their conversion to the kernel's numbers.
import { NetlinkEncodeError } from '../core/index.js';

/** Interface types by the seed's names (NL80211_IFTYPE_* values); 'nan' is newer than the seed. */
export const IFTYPE_NAMES = {
  unspecified: 0,
  adhoc: 1,
  station: 2,
  ap: 3,
  ap_vlan: 4,
  wds: 5,
  monitor: 6,
  mesh_point: 7,
  p2p_client: 8,
  p2p_go: 9,
  p2p_device: 10,
  ocb: 11,
  nan: 12,
} as const;
export type IftypeName = keyof typeof IFTYPE_NAMES;

/** Channel widths by the seed's names (NL80211_CHAN_WIDTH_* values), plus the newer S1G/320 ones. */
export const CHAN_WIDTH_NAMES = {
  '20_noht': 0,
  '20': 1,
  '40': 2,
  '80': 3,
  '80p80': 4,
  '160': 5,
  '5': 6,
  '10': 7,
  '1': 8,
  '2': 9,
  '4': 10,
  '8': 11,
  '16': 12,
  '320': 13,
} as const;
export type ChanWidthName = keyof typeof CHAN_WIDTH_NAMES;

/** Width of each NL80211_CHAN_WIDTH_* value in MHz (20_noht is 20). */
export const CHAN_WIDTH_MHZ = [20, 20, 40, 80, 80, 160, 5, 10, 1, 2, 4, 8, 16, 320] as const;

/** BSS status (NL80211_BSS_STATUS_*). */
export const BSS_STATUS_NAMES = { authenticated: 0, associated: 1, ibss_joined: 2 } as const;

/** TX power setting (NL80211_TX_POWER_*). */
export const TX_POWER_NAMES = { auto: 0, limited: 1, fixed: 2 } as const;
export type TxPowerMode = keyof typeof TX_POWER_NAMES;

/** Authentication types (NL80211_AUTHTYPE_*). */
export const AUTH_TYPE_NAMES = {
  open_system: 0,
  shared_key: 1,
  ft: 2,
  network_eap: 3,
  sae: 4,
  fils_sk: 5,
  fils_sk_pfs: 6,
  fils_pk: 7,
  automatic: 8,
} as const;

/** Band names (NL80211_BAND_*). */
export const BAND_NAMES = ['2GHz', '5GHz', '60GHz', '6GHz', 'S1GHz', 'LC'] as const;

function reverse<N extends Readonly<Record<string, number>>>(names: N): Map<number, keyof N & string> {
  const m = new Map<number, keyof N & string>();
  for (const [k, v] of Object.entries(names)) if (!m.has(v)) m.set(v, k as keyof N & string);
  return m;
}
const iftypeByValue = reverse(IFTYPE_NAMES);
const widthByValue = reverse(CHAN_WIDTH_NAMES);
const statusByValue = reverse(BSS_STATUS_NAMES);
const txpowerByValue = reverse(TX_POWER_NAMES);

/** A name or a number from a table to the number; a clear error for anything else. */
export function lookup<N extends Readonly<Record<string, number>>>(what: string, names: N, v: unknown): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && Object.hasOwn(names, v)) return names[v];
  throw new NetlinkEncodeError(
    `unknown ${what} ${JSON.stringify(v)} (one of ${Object.keys(names).join(', ')}, or a number)`,
  );
}

export const iftypeValue = (v: IftypeName | number): number => lookup('interface type', IFTYPE_NAMES, v);
export const chanWidthValue = (v: ChanWidthName | number): number => lookup('channel width', CHAN_WIDTH_NAMES, v);
export const txPowerValue = (v: TxPowerMode | number): number => lookup('tx power mode', TX_POWER_NAMES, v);

export const iftypeName = (v: number): string => iftypeByValue.get(v) ?? `iftype_${v}`;
export const chanWidthName = (v: number): string => widthByValue.get(v) ?? `width_${v}`;
export const bssStatusName = (v: number): string => statusByValue.get(v) ?? `status_${v}`;
export const txPowerName = (v: number): string => txpowerByValue.get(v) ?? `mode_${v}`;
export const bandName = (v: number): string => BAND_NAMES[v] ?? `band_${v}`;

/** 802.11 channel number of a frequency (MHz), as iw computes it; 0 when none. */
export function freqToChannel(mhz: number): number {
  if (mhz < 1000) return 0;
  if (mhz === 2484) return 14;
  if (mhz < 2484) return (mhz - 2407) / 5;
  if (mhz >= 4910 && mhz <= 4980) return (mhz - 4000) / 5;
  if (mhz < 5950) return (mhz - 5000) / 5;
  if (mhz === 5935) return 2;
  if (mhz <= 45000) return (mhz - 5950) / 5;
  if (mhz >= 58320 && mhz <= 70200) return (mhz - 56160) / 2160;
  return 0;
}

/** IEEE 802.11 status codes cfg80211 reports in connect results (a few common ones by name). */
export const STATUS_CODES: Readonly<Record<number, string>> = {
  0: 'SUCCESS',
  1: 'UNSPECIFIED_FAILURE',
  10: 'CAPS_UNSUPPORTED',
  12: 'ASSOC_DENIED_UNSPEC',
  13: 'NOT_SUPPORTED_AUTH_ALG',
  14: 'UNKNOWN_AUTH_TRANSACTION',
  15: 'CHALLENGE_FAIL',
  16: 'AUTH_TIMEOUT',
  17: 'AP_UNABLE_TO_HANDLE_NEW_STA',
  18: 'ASSOC_DENIED_RATES',
  30: 'ASSOC_REJECTED_TEMPORARILY',
  31: 'ROBUST_MGMT_FRAME_POLICY_VIOLATION',
  37: 'REQUEST_DECLINED',
  40: 'INVALID_IE',
  41: 'INVALID_GROUP_CIPHER',
  42: 'INVALID_PAIRWISE_CIPHER',
  43: 'INVALID_AKMP',
  45: 'CIPHER_SUITE_REJECTED',
  53: 'INVALID_PMKID',
};

/** IEEE 802.11 reason codes (deauthentication / disassociation), common ones by name. */
export const REASON_CODES: Readonly<Record<number, string>> = {
  1: 'UNSPECIFIED',
  2: 'PREV_AUTH_NOT_VALID',
  3: 'DEAUTH_LEAVING',
  4: 'DISASSOC_DUE_TO_INACTIVITY',
  5: 'DISASSOC_AP_BUSY',
  6: 'CLASS2_FRAME_FROM_NONAUTH_STA',
  7: 'CLASS3_FRAME_FROM_NONASSOC_STA',
  8: 'DISASSOC_STA_HAS_LEFT',
  9: 'STA_REQ_ASSOC_WITHOUT_AUTH',
  15: '4WAY_HANDSHAKE_TIMEOUT',
  23: 'IEEE_802_1X_AUTH_FAILED',
};
