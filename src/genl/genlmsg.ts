// The generic netlink message header and the helpers every genl family builds its classes with.
import {
  AttrMap,
  MessageSchema,
  attrMap,
  enumOf,
  registerMessageClass,
  struct,
  u16,
  u8,
  NLMSG_HDRLEN,
  type AnySchema,
  type AttrDecl,
  type SchemaOptions,
  type SchemaSelector,
} from '../core/index.js';

type CmdNames = Readonly<Record<string, number>>;

/** struct genlmsghdr, with the family's command names for printing and encoding by name. */
export function genlmsghdr<N extends CmdNames>(cmds: N) {
  return struct('genlmsghdr', {
    cmd: enumOf(u8, cmds),
    version: u8,
    reserved: u16,
  });
}
export type GenlHeaderFields<N extends CmdNames = CmdNames> = ReturnType<typeof genlmsghdr<N>>['fields'];

/**
 * A message class of a generic netlink family: genlmsghdr then the family's attributes.
 * `genlSchema('taskstats.taskstats_msg', taskstatsAttrs, TASKSTATS_CMD)`.
 */
export function genlSchema<D extends AttrDecl, N extends CmdNames>(
  name: string,
  attrs: AttrMap<D>,
  cmds: N,
  opts: SchemaOptions<GenlHeaderFields<N>> = {},
): MessageSchema<GenlHeaderFields<N>, D> {
  return new MessageSchema(name, genlmsghdr(cmds), attrs, opts);
}

/** Any genl message of a family we have no schema for: the header, and attributes kept raw. */
export const genlmsg = genlSchema('genl.genlmsg', attrMap('genl', {}), {});
registerMessageClass(genlmsg);

/** Per-command classes of one family: `{ [CMD_GET]: requestSchema, [CMD_NEW]: replySchema }`. */
export type GenlCommandSchemas = Readonly<Record<number, AnySchema>>;

/** What a family registers: one class for every command, or one per command. */
export type GenlSchemas = AnySchema | GenlCommandSchemas;

/** The genlmsghdr command of the message at `off`, or -1 when the message is too short to have one. */
export function genlCommand(buf: Buffer, off: number): number {
  const len = buf.readUInt32LE(off);
  return len >= NLMSG_HDRLEN + 1 && off + NLMSG_HDRLEN < buf.length ? buf[off + NLMSG_HDRLEN] : -1;
}

/**
 * A marshal selector choosing a class by genl command (families whose commands carry
 * different attribute sets, e.g. taskstats requests and replies share attribute ids).
 */
export function commandSelector(schemas: GenlSchemas, fallback: AnySchema = genlmsg): SchemaSelector {
  if (schemas instanceof MessageSchema) return schemas;
  const byCmd = new Map<number, AnySchema>(Object.entries(schemas).map(([k, v]) => [Number(k), v]));
  return (buf, off) => byCmd.get(genlCommand(buf, off)) ?? fallback;
}

/** The class a family uses to send `cmd` (its per-command class, else its only class). */
export function schemaForCommand(schemas: GenlSchemas | undefined, cmd: number): AnySchema | undefined {
  if (!schemas) return undefined;
  if (schemas instanceof MessageSchema) return schemas;
  return (schemas as GenlCommandSchemas)[cmd];
}

/** The number of a command given by name, from the names in the family's classes. */
export function commandByName(schemas: GenlSchemas | undefined, name: string): number | undefined {
  if (!schemas) return undefined;
  const list = schemas instanceof MessageSchema ? [schemas] : Object.values(schemas as GenlCommandSchemas);
  for (const s of list) {
    const names = (s.header.fields.cmd as { names?: Record<string, number> } | undefined)?.names;
    if (names && Object.hasOwn(names, name)) return names[name];
  }
  return undefined;
}
