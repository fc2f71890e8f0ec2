// The configuration file format: NetDB's desired state (record vocabulary) per namespace,
// plus the daemon's policy. Declared with zod, which also emits the JSON Schema shipped for
// editors (`nlroutectl schema`, schema/nlroute.schema.json).
import { z } from 'zod';
import { linkKinds } from '../rtnl/kinds/index.js';
import { enumValue, flagsValue } from '../netdb/vocab.js';
import type { TableName } from '../netdb/records.js';

const ifRef = z.union([z.string().min(1).max(15), z.number().int().min(1)]);
/** An enumeration value: its name, as records carry it ('main', 'static', 'link'), or its number. */
const enumIn = z.union([z.string().min(1), z.number().int().min(0)]);
/** A flag set: names, as records carry them (['permanent']), one name, or a number (a mask). */
const flagsIn = z.union([z.array(z.string().min(1)), z.string().min(1), z.number().int().min(0)]);
const family = z.union([z.enum(['inet', 'inet6']), z.number().int().min(0).max(255)]);

/** Whether a value reads as a name (or number) of a table's enum or flag field. */
function reads(read: () => unknown): boolean {
  try {
    read();
    return true;
  } catch {
    return false;
  }
}
/** An enum field: checked against its names, so a typo is reported with its file and line. */
const enumOf = (table: TableName, key: string) =>
  enumIn.refine((v) => reads(() => enumValue(table, key, v)), { message: `not a ${table} ${key} name or number` });
const flagsOf = (table: TableName, key: string) =>
  flagsIn.refine((v) => reads(() => flagsValue(table, key, v)), { message: `not ${table} ${key} names` });
const u32 = z.number().int().min(0).max(0xffffffff);
const absent = z.literal('absent');
const ip = z.string().regex(/^[0-9a-fA-F:.]+$/, 'an IP address');
const prefix = z
  .string()
  .regex(/^(default|[0-9a-fA-F:.]+(\/\d{1,3})?)$/, "a prefix such as '10.0.0.0/24' or 'default'");

export const linkSchema = z.strictObject({
  ifname: z
    .string()
    .min(1)
    .max(15)
    .regex(/^[^/:\s\0]+$/, 'an interface name'),
  state: z.enum(['up', 'down', 'absent']).optional(),
  kind: z.string().optional(),
  index: z.number().int().min(1).optional(),
  mtu: u32.optional(),
  address: z
    .string()
    .regex(/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2})*$/, 'a MAC address')
    .optional(),
  master: ifRef.nullable().optional(),
  peer: z.string().min(1).max(15).optional(),
  txqlen: u32.optional(),
  group: u32.optional(),
  ifalias: z.string().optional(),
  drift: z.enum(['correct', 'report']).optional(),
  // Kind and port options, flat, as link records carry them (brStpState, vxlanId...);
  // IPRoute checks each against the link's kind.
  ...kindOptions(),
});

/** Every link kind's option keys (from the kinds' vocabularies), each optional. */
function kindOptions(): Record<string, z.ZodOptional<z.ZodType>> {
  const value = z
    .union([z.number(), z.string(), z.boolean(), z.array(z.union([z.number(), z.string()]))])
    .meta({ id: 'kindOption' });
  const out: Record<string, z.ZodOptional<z.ZodType>> = {};
  for (const k of linkKinds.values())
    for (const key of k.vocab?.keys() ?? []) if (!k.vocab?.readOnly.has(key)) out[key] = value.optional();
  return out;
}

export const addressSchema = z.strictObject({
  ifname: ifRef,
  address: prefix,
  prefixlen: z.number().int().min(0).max(128).optional(),
  /** The other end of a point-to-point link (`address` is ours). */
  peer: ip.optional(),
  /** Deprecated: our address, as `address` is. */
  local: ip.optional(),
  broadcast: ip.optional(),
  label: z.string().optional(),
  scope: enumOf('addresses', 'scope').optional(),
  flags: flagsOf('addresses', 'flags').optional(),
  proto: enumOf('addresses', 'proto').optional(),
  state: absent.optional(),
  drift: z.enum(['correct', 'report']).optional(),
});

const nexthop = z.strictObject({
  oif: ifRef.optional(),
  gateway: ip.optional(),
  weight: z.number().int().min(1).max(256).optional(),
});

export const routeSchema = z.strictObject({
  /** 'addr/len' or 'default' (or left out with dstLen 0). */
  dst: prefix.optional(),
  dstLen: z.number().int().min(0).max(128).optional(),
  family: family.optional(),
  table: enumOf('routes', 'table').optional(),
  priority: u32.optional(),
  tos: z.number().int().min(0).max(255).optional(),
  type: enumOf('routes', 'type').optional(),
  proto: enumOf('routes', 'proto').optional(),
  scope: enumOf('routes', 'scope').optional(),
  src: prefix.optional(),
  oif: ifRef.optional(),
  gateway: ip.optional(),
  prefsrc: ip.optional(),
  multipath: z.array(nexthop).optional(),
  metrics: z.record(z.string(), u32).optional(),
  state: absent.optional(),
  drift: z.enum(['correct', 'report']).optional(),
});

export const ruleSchema = z.strictObject({
  priority: u32,
  family: family.optional(),
  table: enumOf('rules', 'table').optional(),
  src: prefix.optional(),
  dst: prefix.optional(),
  tos: z.number().int().min(0).max(255).optional(),
  iif: z.string().optional(),
  oif: z.string().optional(),
  /** Deprecated aliases of iif and oif. */
  iifname: z.string().optional(),
  oifname: z.string().optional(),
  fwmark: u32.optional(),
  fwmask: u32.optional(),
  goto: u32.optional(),
  invert: z.boolean().optional(),
  /** 'table' (default), 'goto', 'nop', 'blackhole', 'unreachable', 'prohibit', or a number. */
  action: enumIn.optional(),
  protocol: enumOf('rules', 'protocol').optional(),
  state: absent.optional(),
  drift: z.enum(['correct', 'report']).optional(),
});

export const neighbourSchema = z.strictObject({
  ifname: ifRef,
  dst: ip,
  lladdr: z.string().optional(),
  /** NUD states as names (default ['permanent']), or 'absent'. */
  state: z.union([absent, flagsOf('neighbours', 'state')]).optional(),
  flags: flagsOf('neighbours', 'flags').optional(),
  protocol: enumOf('neighbours', 'protocol').optional(),
  drift: z.enum(['correct', 'report']).optional(),
});

// Named, so the JSON Schema defines each once and refers to it from every namespace.
const objects = {
  links: z.array(linkSchema.meta({ id: 'link' })).optional(),
  addresses: z.array(addressSchema.meta({ id: 'address' })).optional(),
  routes: z.array(routeSchema.meta({ id: 'route' })).optional(),
  rules: z.array(ruleSchema.meta({ id: 'rule' })).optional(),
  neighbours: z.array(neighbourSchema.meta({ id: 'neighbour' })).optional(),
};

export const namespaceSchema = z.strictObject({
  /** Create the namespace (as `ip netns add`) when it does not exist. Default true. */
  create: z.boolean().optional(),
  ...objects,
});

export const policySchema = z.strictObject({
  /** What to do when a managed object changes behind the daemon's back. */
  drift: z.enum(['correct', 'report']).optional(),
  /** Tables and route protocols whose every route is the daemon's to manage. */
  ownedTables: z.array(z.union([u32, z.string()])).optional(),
  ownedProtocols: z.array(z.union([z.number().int().min(0).max(255), z.string()])).optional(),
});

export const configSchema = z.strictObject({
  ...objects,
  namespaces: z.record(z.string().regex(/^[^/\0]{1,255}$/, 'a namespace name without "/"'), namespaceSchema).optional(),
  policy: policySchema.optional(),
});

export type Config = z.infer<typeof configSchema>;
export type NamespaceConfig = z.infer<typeof namespaceSchema>;

export { LIST_KEYS, identityOf, type ListKey } from './lists.js';

/** The JSON Schema of a configuration file, for editors. */
export function configJsonSchema(): object {
  return {
    ...z.toJSONSchema(configSchema, { target: 'draft-2020-12' }),
    $id: 'https://nlroute.invalid/nlroute.schema.json',
    title: 'nlroute desired network state (nlrouted configuration)',
  };
}
