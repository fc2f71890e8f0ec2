// wireguard: no IFLA_INFO_DATA (keys and peers are configured over generic netlink).
import type { LinkKind } from './registry.js';

export const wireguard: LinkKind = { kind: 'wireguard' };
