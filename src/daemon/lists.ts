// The object lists of a configuration and the identity of an entry in its list, without the
// schema library: the daemon's apply and drift paths need them before (or without) a check.
import { enumValue } from '../netdb/vocab.js';

/** The object lists of a namespace's desired state. */
export const LIST_KEYS = ['links', 'addresses', 'routes', 'rules', 'neighbours'] as const;
export type ListKey = (typeof LIST_KEYS)[number];

/** The identity of an object within its list: what a later drop-in overrides. */
export function identityOf(list: ListKey, o: Record<string, unknown>): string {
  switch (list) {
    case 'links':
      return String(o.ifname);
    case 'addresses':
      return `${o.ifname}|${o.address}`;
    case 'routes':
      return `${o.dst ?? 'default'}|${named('routes', 'table', o.table ?? 'main')}|${o.priority ?? 0}|${o.tos ?? 0}`;
    case 'rules':
      return `${named('rules', 'family', o.family ?? 'inet')}|${o.priority}`;
    case 'neighbours':
      return `${o.ifname}|${o.dst}`;
  }
}

/** An enum value as records name it; as given when it names nothing (the schema reports it). */
function named(table: 'routes' | 'rules', key: string, v: unknown): unknown {
  try {
    return enumValue(table, key, v);
  } catch {
    return v;
  }
}
