// Chooses the class of each message for the decoder: a named class (checked against the
// message type), a whole protocol (the class per type, as the kernel's socket would), or
// each capture packet's own protocol; generic netlink families are learned on the way.
import {
  Marshal,
  NETLINK_GENERIC,
  NETLINK_NETFILTER,
  NETLINK_ROUTE,
  NLA_TYPE_MASK,
  NLMSG_HDRLEN,
  genlFamilySchema,
  messageClass,
  messageClassNames,
  nlmsgraw,
  protocolMarshal,
  type AnyMessage,
  type AnySchema,
} from '../core/index.js';

/** nlctrl's fixed message type and the attributes that map family ids to names. */
const GENL_ID_CTRL = 0x10;
const CTRL_ATTR_FAMILY_ID = 1;
const CTRL_ATTR_FAMILY_NAME = 2;

/**
 * A marshal for generic netlink that learns family ids from nlctrl answers (or is told
 * them), then decodes each family's messages with its registered class.
 */
export class GenlSessionMarshal extends Marshal {
  private readonly names = new Map<number, string>([[GENL_ID_CTRL, 'nlctrl']]);
  private readonly base: Marshal;

  constructor(families: Readonly<Record<string, number>> = {}) {
    const base = protocolMarshal(NETLINK_GENERIC)?.marshal() ?? new Marshal();
    super({}, { fallback: messageClass('genl.genlmsg') ?? base.fallback });
    this.base = base;
    for (const [name, id] of Object.entries(families)) this.names.set(id, name);
  }

  override schemaFor(buf: Buffer, off: number): AnySchema {
    const type = buf.readUInt16LE(off + 4);
    const name = type === GENL_ID_CTRL ? undefined : this.names.get(type);
    const fam = name ? genlFamilySchema(name, buf, off) : undefined;
    return fam ?? this.base.schemaFor(buf, off);
  }

  /** The family name of a message type, once known. */
  familyName(type: number): string | undefined {
    return this.names.get(type);
  }

  /** Remember id -> name from a CTRL_CMD_NEWFAMILY message. */
  learn(m: AnyMessage): void {
    if (m.type !== GENL_ID_CTRL || m.length < NLMSG_HDRLEN + 4) return;
    let id: number | undefined, name: string | undefined;
    const end = m.offset + m.length;
    for (let p = m.offset + NLMSG_HDRLEN + 4; p + 4 <= end; ) {
      const len = m.buf.readUInt16LE(p),
        t = m.buf.readUInt16LE(p + 2) & NLA_TYPE_MASK;
      if (len < 4 || p + len > end) break;
      if (t === CTRL_ATTR_FAMILY_ID && len >= 6) id = m.buf.readUInt16LE(p + 4);
      if (t === CTRL_ATTR_FAMILY_NAME) name = m.buf.toString('utf8', p + 4, p + len).replace(/\0+$/, '');
      p += (len + 3) & ~3;
    }
    if (id !== undefined && name && id !== GENL_ID_CTRL) this.names.set(id, name);
  }
}

/** Protocol-level decode targets, like pyroute2's MarshalRtnl: the class is chosen per type. */
export const PROTOCOL_TARGETS: Readonly<Record<string, number>> = {
  rtnl: NETLINK_ROUTE,
  genl: NETLINK_GENERIC,
  nfnl: NETLINK_NETFILTER,
  ipset: NETLINK_NETFILTER,
};

/** The protocol a class's messages travel on, from its name's prefix. */
const CLASS_PROTOCOL: Readonly<Record<string, number>> = {
  rtnl: NETLINK_ROUTE,
  ipset: NETLINK_NETFILTER,
  genl: NETLINK_GENERIC,
  nl80211: NETLINK_GENERIC,
  taskstats: NETLINK_GENERIC,
  ipvs: NETLINK_GENERIC,
};

/** The class chosen for one message, and why it is not the one asked for, if so. */
export interface Pick {
  schema: AnySchema;
  /** Set when the message is not of the named class: it is shown raw, with this reason. */
  mismatch?: string;
}

/** Marshals per protocol for one decode run (genl ones learn families as they go). */
export class ClassPicker {
  private readonly marshals = new Map<number, Marshal>();
  readonly named?: AnySchema;
  /** The protocol of the target, when the target names one (class or protocol). */
  readonly protocol?: number;

  /** `target`: a class name ('rtnl.ifinfmsg'), a protocol ('rtnl', 'genl', 'nfnl'), or 'auto'. */
  constructor(
    readonly target: string,
    private readonly families: Readonly<Record<string, number>> = {},
  ) {
    if (target === 'auto') return;
    if (Object.hasOwn(PROTOCOL_TARGETS, target)) {
      this.protocol = PROTOCOL_TARGETS[target];
      return;
    }
    const schema = messageClass(target);
    if (!schema) {
      throw new Error(
        `unknown message class ${JSON.stringify(target)}; known: ` +
          `${[...Object.keys(PROTOCOL_TARGETS), ...messageClassNames()].join(', ')}`,
      );
    }
    this.named = schema;
    this.protocol = CLASS_PROTOCOL[target.split('.')[0]!];
  }

  /** The marshal of a protocol (one per run, so genl learns across packets). */
  marshal(protocol: number): Marshal {
    let m = this.marshals.get(protocol);
    if (!m) {
      m =
        protocol === NETLINK_GENERIC
          ? new GenlSessionMarshal(this.families)
          : (protocolMarshal(protocol)?.marshal() ?? new Marshal());
      this.marshals.set(protocol, m);
    }
    return m;
  }

  /** The class for the message at `off` of `buf`, which came over `protocol` if known. */
  pick(buf: Buffer, off: number, protocol = this.protocol): Pick {
    const proto = protocol === undefined ? undefined : this.marshal(protocol);
    const natural = proto?.schemaFor(buf, off);
    const named = this.named;
    if (!named) return { schema: natural ?? nlmsgraw };
    const type = buf.readUInt16LE(off + 4);
    if (type < GENL_ID_CTRL) return { schema: natural ?? new Marshal().schemaFor(buf, off) };
    if (!natural || natural === named) return { schema: named };
    // Generic netlink ids are dynamic: a family's class fits any id we have not learned.
    if (protocol === NETLINK_GENERIC && natural === proto!.fallback && type !== GENL_ID_CTRL) return { schema: named };
    const typeName = natural.typeNames.get(type);
    const what = typeName ? `${typeName} (type ${type})` : `type ${type}`;
    const reason =
      natural === proto!.fallback
        ? `${what} is not a ${named.name} message type`
        : `${what} is a ${natural.name} message, not ${named.name}`;
    return { schema: nlmsgraw, mismatch: reason };
  }

  /** The genl family name of a message type, if learned. */
  familyName(protocol: number | undefined, type: number): string | undefined {
    if (protocol !== NETLINK_GENERIC) return undefined;
    return (this.marshal(NETLINK_GENERIC) as GenlSessionMarshal).familyName(type);
  }

  /** Let genl learn family ids from a decoded message. */
  learn(protocol: number | undefined, m: AnyMessage): void {
    if (protocol === NETLINK_GENERIC) (this.marshal(NETLINK_GENERIC) as GenlSessionMarshal).learn(m);
  }
}

/** `--family nl80211=28`: a genl family id given on the command line. */
export function parseFamilyOption(text: string): [string, number] {
  const m = /^([^=\s]+)=(0x[0-9a-fA-F]+|\d+)$/.exec(text);
  if (!m) throw new Error(`--family wants NAME=ID (e.g. nl80211=28), got ${JSON.stringify(text)}`);
  const id = Number(m[2]);
  if (id < GENL_ID_CTRL || id > 0xffff) throw new Error(`--family ${text}: the id must be 16..65535`);
  return [m[1]!, id];
}
