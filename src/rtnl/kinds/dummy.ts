// dummy: no IFLA_INFO_DATA.
import type { LinkKind } from './registry.js';

export const dummy: LinkKind = { kind: 'dummy' };
