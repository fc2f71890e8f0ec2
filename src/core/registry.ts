// Names of message classes and protocols, for the decoder: 'rtnl.ifinfmsg' -> schema.
import type { Marshal } from './marshal.js';
import type { AnySchema } from './message.js';

const classes = new Map<string, AnySchema>();
const protocols = new Map<number, { name: string; marshal: () => Marshal }>();

/** Make a message class findable by its name (done by each protocol module). */
export function registerMessageClass(...schemas: AnySchema[]): void {
  for (const s of schemas) classes.set(s.name, s);
}

/** The message class of that name, e.g. messageClass('rtnl.rtmsg'). */
export function messageClass(name: string): AnySchema | undefined {
  return classes.get(name);
}

/** Every registered class name, sorted. */
export function messageClassNames(): string[] {
  return [...classes.keys()].sort();
}

/** Make a protocol's marshal findable by its netlink protocol number. */
export function registerProtocol(protocol: number, name: string, marshal: () => Marshal): void {
  protocols.set(protocol, { name, marshal });
}

/** The marshal for a netlink protocol number, if a module registered one. */
export function protocolMarshal(protocol: number): { name: string; marshal: () => Marshal } | undefined {
  return protocols.get(protocol);
}

/** A class for a family, or a function choosing one per message (e.g. by command). */
export type FamilySchema = AnySchema | ((buf: Buffer, off: number) => AnySchema | undefined);
const genlFamilies = new Map<string, FamilySchema>();

/**
 * The message class of a generic netlink family, by family name ('nl80211', 'TASKSTATS'):
 * genl family ids are dynamic, so offline decoders map ids to names from the session's
 * nlctrl answers and then find the class here.
 */
export function registerGenlFamily(familyName: string, schema: FamilySchema): void {
  genlFamilies.set(familyName, schema);
}

/** The class registered for a family, for the message at `off` of `buf`. */
export function genlFamilySchema(familyName: string, buf: Buffer, off: number): AnySchema | undefined {
  const s = genlFamilies.get(familyName);
  return typeof s === 'function' ? s(buf, off) : s;
}
