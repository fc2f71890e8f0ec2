// The configuration file format: NetDB's desired state (record vocabulary) per namespace,
// plus the daemon's policy. Declared with zod, which also emits the JSON Schema shipped for
// editors (`nlroutectl schema`, schema/nlroute.schema.json).
import { z } from 'zod';

const ifRef = z.union([z.string().min(1).max(15), z.number().int().min(1)]);
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
});

export const addressSchema = z.strictObject({
  ifname: ifRef,
  address: prefix,
  prefixlen: z.number().int().min(0).max(128).optional(),
  local: ip.optional(),
  broadcast: ip.optional(),
  label: z.string().optional(),
  scope: z.union([z.number().int(), z.string()]).optional(),
  state: absent.optional(),
  drift: z.enum(['correct', 'report']).optional(),
});

const nexthop = z.strictObject({
  oif: ifRef.optional(),
  gateway: ip.optional(),
  weight: z.number().int().min(1).max(256).optional(),
});

export const routeSchema = z.strictObject({
  dst: prefix,
  table: z.union([u32, z.string()]).optional(),
  priority: u32.optional(),
  tos: z.number().int().min(0).max(255).optional(),
  type: z.union([z.number().int(), z.string()]).optional(),
  proto: z.union([z.number().int(), z.string()]).optional(),
  scope: z.union([z.number().int(), z.string()]).optional(),
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
  family: z.enum(['inet', 'inet6']).optional(),
  table: z.union([u32, z.string()]).optional(),
  src: prefix.optional(),
  dst: prefix.optional(),
  iifname: z.string().optional(),
  oifname: z.string().optional(),
  fwmark: u32.optional(),
  action: z.string().optional(),
  state: absent.optional(),
});

export const neighbourSchema = z.strictObject({
  ifname: ifRef,
  dst: ip,
  lladdr: z.string().optional(),
  state: z.union([z.string(), absent]).optional(),
});

const objects = {
  links: z.array(linkSchema).optional(),
  addresses: z.array(addressSchema).optional(),
  routes: z.array(routeSchema).optional(),
  rules: z.array(ruleSchema).optional(),
  neighbours: z.array(neighbourSchema).optional(),
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
      return `${o.dst}|${o.table ?? 'main'}|${o.priority ?? 0}|${o.tos ?? 0}`;
    case 'rules':
      return `${o.family ?? 'inet'}|${o.priority}`;
    case 'neighbours':
      return `${o.ifname}|${o.dst}`;
  }
}

/** The JSON Schema of a configuration file, for editors. */
export function configJsonSchema(): object {
  return {
    ...z.toJSONSchema(configSchema, { target: 'draft-2020-12' }),
    $id: 'https://nlroute.invalid/nlroute.schema.json',
    title: 'nlroute desired network state (nlrouted configuration)',
  };
}
