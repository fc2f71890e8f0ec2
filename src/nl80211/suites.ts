// Cipher and AKM suite selectors (IEEE 802.11 OUI 00-0F-AC, and the few vendor ones cfg80211
// knows). Not in nl80211.h: written once as data from the standard's suite tables. nl80211
// carries a suite as a u32, OUI in the top three bytes (0x000fac04 = CCMP-128).

/** Cipher suites as nl80211 reports them in NL80211_ATTR_CIPHER_SUITES and friends. */
export const CIPHER_SUITES = {
  USE_GROUP: 0x000fac00,
  WEP40: 0x000fac01,
  TKIP: 0x000fac02,
  CCMP: 0x000fac04,
  WEP104: 0x000fac05,
  AES_CMAC: 0x000fac06,
  GROUP_NOT_ALLOWED: 0x000fac07,
  GCMP: 0x000fac08,
  GCMP_256: 0x000fac09,
  CCMP_256: 0x000fac0a,
  BIP_GMAC_128: 0x000fac0b,
  BIP_GMAC_256: 0x000fac0c,
  BIP_CMAC_256: 0x000fac0d,
  SMS4: 0x00147201,
} as const;

/** AKM suites (authentication and key management), as in RSN elements and NL80211_ATTR_AKM_SUITES. */
export const AKM_SUITES = {
  '8021X': 0x000fac01,
  PSK: 0x000fac02,
  FT_8021X: 0x000fac03,
  FT_PSK: 0x000fac04,
  '8021X_SHA256': 0x000fac05,
  PSK_SHA256: 0x000fac06,
  TDLS: 0x000fac07,
  SAE: 0x000fac08,
  FT_OVER_SAE: 0x000fac09,
  AP_PEER_KEY: 0x000fac0a,
  '8021X_SUITE_B': 0x000fac0b,
  '8021X_SUITE_B_192': 0x000fac0c,
  FT_8021X_SHA384: 0x000fac0d,
  FILS_SHA256: 0x000fac0e,
  FILS_SHA384: 0x000fac0f,
  FT_FILS_SHA256: 0x000fac10,
  FT_FILS_SHA384: 0x000fac11,
  OWE: 0x000fac12,
  FT_PSK_SHA384: 0x000fac13,
  PSK_SHA384: 0x000fac14,
  SAE_EXT_KEY: 0x000fac18,
  FT_SAE_EXT_KEY: 0x000fac19,
  WFA_DPP: 0x506f9a02,
} as const;

const cipherByValue = new Map<number, string>(Object.entries(CIPHER_SUITES).map(([k, v]) => [v, k]));
const akmByValue = new Map<number, string>(Object.entries(AKM_SUITES).map(([k, v]) => [v, k]));

/** 'CCMP', or '00-0f-ac:4'-style text for a suite this table does not know. */
export function cipherName(v: number): string {
  return cipherByValue.get(v >>> 0) ?? suiteText(v);
}

/** 'PSK', 'SAE', or '00-0f-ac:99'-style text. */
export function akmName(v: number): string {
  return akmByValue.get(v >>> 0) ?? suiteText(v);
}

/** A suite selector as OUI:type text. */
export function suiteText(v: number): string {
  const x = v >>> 0;
  const oui = (x >>> 8).toString(16).padStart(6, '0');
  return `${oui.slice(0, 2)}-${oui.slice(2, 4)}-${oui.slice(4)}:${x & 0xff}`;
}
