// ifb: intermediate functional block; no IFLA_INFO_DATA.
import type { LinkKind } from './registry.js';

export const ifb: LinkKind = { kind: 'ifb' };
