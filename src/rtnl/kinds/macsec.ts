// MACsec (802.1AE): IFLA_MACSEC_*. Keys and secure associations go over generic netlink.
import { attrMap, be16, be64, enumOf, nested, pad, u32, u64, u8, vocab } from '../../core/index.js';
import type { LinkKind } from './registry.js';
import { bool, type IpJsonTable } from './ipjson.js';

export const MACSEC_VALIDATE = {
  MACSEC_VALIDATE_DISABLED: 0,
  MACSEC_VALIDATE_CHECK: 1,
  MACSEC_VALIDATE_STRICT: 2,
} as const;
export const MACSEC_OFFLOAD = { MACSEC_OFFLOAD_OFF: 0, MACSEC_OFFLOAD_PHY: 1, MACSEC_OFFLOAD_MAC: 2 } as const;
/** Cipher suite ids (IFLA_MACSEC_CIPHER_SUITE, if_macsec.h). */
export const MACSEC_CIPHER_ID = {
  GCM_AES_128: 0x0080c20001000001n,
  GCM_AES_256: 0x0080c20001000002n,
  GCM_AES_XPN_128: 0x0080c20001000003n,
  GCM_AES_XPN_256: 0x0080c20001000004n,
} as const;

export const macsecAttrs = attrMap('ifla_macsec', {
  // The SCI is the MAC address and port, sent as 8 bytes in network order.
  IFLA_MACSEC_SCI: [1, be64],
  IFLA_MACSEC_PORT: [2, be16],
  IFLA_MACSEC_ICV_LEN: [3, u8],
  IFLA_MACSEC_CIPHER_SUITE: [4, u64],
  IFLA_MACSEC_WINDOW: [5, u32],
  IFLA_MACSEC_ENCODING_SA: [6, u8],
  IFLA_MACSEC_ENCRYPT: [7, u8],
  IFLA_MACSEC_PROTECT: [8, u8],
  IFLA_MACSEC_INC_SCI: [9, u8],
  IFLA_MACSEC_ES: [10, u8],
  IFLA_MACSEC_SCB: [11, u8],
  IFLA_MACSEC_REPLAY_PROTECT: [12, u8],
  IFLA_MACSEC_VALIDATION: [13, enumOf(u8, MACSEC_VALIDATE)],
  IFLA_MACSEC_PAD: [14, pad(0)],
  IFLA_MACSEC_OFFLOAD: [15, enumOf(u8, MACSEC_OFFLOAD)],
});

/** The friendly names of the macsec options, flat in a link spec or record. */
export const macsecVocab = vocab('macsec options', macsecAttrs, undefined, {
  attrs: {
    macsecSci: 'IFLA_MACSEC_SCI',
    macsecPort: 'IFLA_MACSEC_PORT',
    macsecIcvLen: 'IFLA_MACSEC_ICV_LEN',
    macsecCipherSuite: 'IFLA_MACSEC_CIPHER_SUITE',
    macsecWindow: 'IFLA_MACSEC_WINDOW',
    macsecEncodingSa: 'IFLA_MACSEC_ENCODING_SA',
    macsecEncrypt: 'IFLA_MACSEC_ENCRYPT',
    macsecProtect: 'IFLA_MACSEC_PROTECT',
    macsecIncSci: 'IFLA_MACSEC_INC_SCI',
    macsecEs: 'IFLA_MACSEC_ES',
    macsecScb: 'IFLA_MACSEC_SCB',
    macsecReplayProtect: 'IFLA_MACSEC_REPLAY_PROTECT',
    macsecValidation: 'IFLA_MACSEC_VALIDATION',
    macsecOffload: 'IFLA_MACSEC_OFFLOAD',
  },
});

// The kernel reports GCM-AES-128 by its older id, MACSEC_DEFAULT_CIPHER_ID.
const MACSEC_DEFAULT_CIPHER_ID = 0x0080020001000001n;
const CIPHER_TEXT: ReadonlyMap<bigint, string> = new Map([
  [MACSEC_DEFAULT_CIPHER_ID, 'GCM-AES-128'],
  [MACSEC_CIPHER_ID.GCM_AES_128, 'GCM-AES-128'],
  [MACSEC_CIPHER_ID.GCM_AES_256, 'GCM-AES-256'],
  [MACSEC_CIPHER_ID.GCM_AES_XPN_128, 'GCM-AES-XPN-128'],
  [MACSEC_CIPHER_ID.GCM_AES_XPN_256, 'GCM-AES-XPN-256'],
]);
const VALIDATE_TEXT = ['disabled', 'check', 'strict'];
const OFFLOAD_TEXT = ['off', 'phy', 'mac'];
const SCI_HEX_DIGITS = 16;

/** `ip -j -d` keys of the macsec options, in ip's order. */
export const macsecIpJson: IpJsonTable = [
  ['IFLA_MACSEC_SCI', 'sci', (v: bigint) => BigInt(v).toString(16).padStart(SCI_HEX_DIGITS, '0')],
  ['IFLA_MACSEC_PROTECT', 'protect', bool],
  ['IFLA_MACSEC_CIPHER_SUITE', 'cipher_suite', (v: bigint) => CIPHER_TEXT.get(BigInt(v)) ?? 'unknown'],
  ['IFLA_MACSEC_ICV_LEN', 'icv_len'],
  ['IFLA_MACSEC_ENCODING_SA', 'encoding_sa'],
  ['IFLA_MACSEC_VALIDATION', 'validation', (v: number) => VALIDATE_TEXT[v] ?? String(v)],
  ['IFLA_MACSEC_ENCRYPT', 'encrypt', bool],
  ['IFLA_MACSEC_INC_SCI', 'inc_sci', bool],
  ['IFLA_MACSEC_ES', 'es', bool],
  ['IFLA_MACSEC_SCB', 'scb', bool],
  ['IFLA_MACSEC_REPLAY_PROTECT', 'replay_protect', bool],
  ['IFLA_MACSEC_WINDOW', 'window'],
  ['IFLA_MACSEC_OFFLOAD', 'offload', (v: number) => OFFLOAD_TEXT[v] ?? String(v)],
];

export const macsec: LinkKind = {
  kind: 'macsec',
  data: nested(macsecAttrs),
  dataMap: macsecAttrs,
  vocab: macsecVocab,
  ipJson: macsecIpJson,
};
