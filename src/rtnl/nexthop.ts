// Nexthop objects: ipr.nexthop(cmd, spec) as `ip nexthop` does it, and filtered dumps.
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  NLM_F_DUMP,
  NetlinkEncodeError,
  anyCheck,
  checkSpec,
  nestedCheck,
  type Check,
  type Message,
  type NetlinkSocket,
  type SpecRules,
} from '../core/index.js';
import { ask, command } from './commands.js';
import { RTM, RTNH_F, RTPROT } from './constants.js';
import { nhmsg } from './nhmsg.js';
import { encapAttrs, encapCheck, type EncapSpec } from './route.js';

export type NexthopMessage = Message<typeof nhmsg.header.fields, typeof nhmsg.attrs.decl>;

/** Clock ticks per second of the kernel's clock_t values (USER_HZ). */
const USER_HZ = 100;

/** One member of a group: an id, or an id and a weight (1..256, default 1). */
export type NexthopGroupMember = number | { id: number; weight?: number };

export interface NexthopSpec {
  /** NHA_ID; 0 or absent lets the kernel pick one on add. */
  id?: number;
  /** Gateway address; sets the family (IPv4 or IPv6). */
  gateway?: string;
  /** Device index (IPRoute also takes a name). */
  oif?: number;
  blackhole?: boolean;
  /** A nexthop for the bridge FDB (vxlan): gateway only. */
  fdb?: boolean;
  /** Gateway reachable without a matching route (RTNH_F_ONLINK). */
  onlink?: boolean;
  /** Group members: ids, `{ id, weight }`, or ip's text '1,3/2' (weights after commas). */
  group?: readonly NexthopGroupMember[] | string;
  /** 'mpath' (hash-threshold, default) or 'resilient'. */
  groupType?: 'mpath' | 'resilient';
  /** Resilient groups: bucket count, idle and unbalanced timers in seconds. */
  buckets?: number;
  idleTimer?: number;
  unbalancedTimer?: number;
  encap?: EncapSpec;
  /** RTPROT_* name or number; default 'boot' like ip. */
  protocol?: number | string;
  /** 'inet' | 'inet6' when no gateway tells (blackhole, oif-only). */
  family?: 'inet' | 'inet6';
}

/** What dumps filter on; the kernel applies every field. */
export interface NexthopFilter {
  id?: number;
  /** Only groups (NHA_GROUPS). */
  groups?: boolean;
  oif?: number;
  /** Only nexthops whose device is enslaved to this master. */
  master?: number;
  /** Only FDB nexthops. */
  fdb?: boolean;
  family?: 'inet' | 'inet6';
}

const KNOWN = [
  'id',
  'gateway',
  'oif',
  'blackhole',
  'fdb',
  'onlink',
  'group',
  'groupType',
  'buckets',
  'idleTimer',
  'unbalancedTimer',
  'encap',
  'protocol',
  'family',
];

/** Keys of nexthop specs and filters; values keep their own checks below (and their messages). */
const NEXTHOP_RULES: SpecRules = {
  keys: {
    ...Object.fromEntries([...KNOWN, 'groups', 'master'].map((k): [string, Check] => [k, anyCheck])),
    group: nestedCheck(anyCheck, { keys: { id: anyCheck, weight: anyCheck } }),
    encap: encapCheck,
  },
};

function familyOf(spec: { family?: string; gateway?: string }, fallback: number): number {
  if (spec.family === 'inet') return AF_INET;
  if (spec.family === 'inet6') return AF_INET6;
  if (spec.family !== undefined)
    throw new NetlinkEncodeError(`nexthop: family must be inet or inet6, got ${spec.family}`);
  if (spec.gateway) return spec.gateway.includes(':') ? AF_INET6 : AF_INET;
  return fallback;
}

/** Group members on the wire: the kernel stores weight - 1 in a u8. */
export function parseGroup(g: readonly NexthopGroupMember[] | string): { id: number; weight: number }[] {
  const list: NexthopGroupMember[] =
    typeof g === 'string'
      ? g.split('/').map((s) => {
          const [id, w] = s.split(',');
          return { id: Number(id), weight: w === undefined ? 1 : Number(w) };
        })
      : [...g];
  if (!list.length) throw new NetlinkEncodeError('nexthop: group needs at least one member');
  return list.map((m) => {
    const { id, weight = 1 } = typeof m === 'number' ? { id: m } : m;
    if (!Number.isInteger(id) || id <= 0 || id > 0xffffffff)
      throw new NetlinkEncodeError(`nexthop: bad group member id ${id}`);
    if (!Number.isInteger(weight) || weight < 1 || weight > 256) {
      throw new NetlinkEncodeError(`nexthop: weight of ${id} must be 1..256, got ${weight}`);
    }
    return { id, weight: weight - 1 };
  });
}

function protocolOf(p: number | string | undefined): number {
  if (p === undefined) return RTPROT.RTPROT_BOOT;
  if (typeof p === 'number') return p;
  const v = (RTPROT as Record<string, number>)[
    p.toUpperCase().startsWith('RTPROT_') ? p.toUpperCase() : `RTPROT_${p.toUpperCase()}`
  ];
  if (v === undefined) throw new NetlinkEncodeError(`nexthop: unknown protocol ${JSON.stringify(p)}`);
  return v;
}

function body(spec: NexthopSpec): [string, unknown][] {
  const a: [string, unknown][] = [];
  if (spec.id !== undefined) a.push(['NHA_ID', spec.id]);
  if (spec.group !== undefined) {
    a.push(['NHA_GROUP', parseGroup(spec.group)]);
    const res = spec.groupType === 'resilient';
    if (spec.groupType !== undefined && !res && spec.groupType !== 'mpath') {
      throw new NetlinkEncodeError(`nexthop: groupType must be mpath or resilient, got ${spec.groupType}`);
    }
    if (res) {
      a.push(['NHA_GROUP_TYPE', 'NEXTHOP_GRP_TYPE_RES']);
      const r: [string, unknown][] = [];
      if (spec.buckets !== undefined) r.push(['NHA_RES_GROUP_BUCKETS', spec.buckets]);
      if (spec.idleTimer !== undefined) r.push(['NHA_RES_GROUP_IDLE_TIMER', Math.round(spec.idleTimer * USER_HZ)]);
      if (spec.unbalancedTimer !== undefined) {
        r.push(['NHA_RES_GROUP_UNBALANCED_TIMER', Math.round(spec.unbalancedTimer * USER_HZ)]);
      }
      a.push(['NHA_RES_GROUP', r]);
    } else if (spec.buckets !== undefined || spec.idleTimer !== undefined || spec.unbalancedTimer !== undefined) {
      throw new NetlinkEncodeError('nexthop: buckets and timers need groupType resilient');
    }
  }
  if (spec.blackhole) a.push(['NHA_BLACKHOLE', true]);
  if (spec.fdb) a.push(['NHA_FDB', true]);
  if (spec.oif !== undefined) a.push(['NHA_OIF', spec.oif]);
  if (spec.gateway !== undefined) a.push(['NHA_GATEWAY', spec.gateway]);
  if (spec.encap !== undefined) {
    for (const [k, v] of encapAttrs(spec.encap, 'nexthop encap')) a.push([k.replace(/^RTA_/, 'NHA_'), v]);
  }
  return a;
}

/**
 * `nexthop(sock, 'add'|'replace'|'del'|'get'|'dump', spec)`. Examples:
 *
 *     nexthop(s, 'add', { id: 1, gateway: '10.0.0.2', oif: 3 })
 *     nexthop(s, 'add', { id: 10, group: [1, { id: 2, weight: 3 }], groupType: 'resilient', buckets: 32 })
 *     nexthop(s, 'dump', { groups: true })
 */
export async function nexthop(
  sock: NetlinkSocket,
  cmd: string,
  spec: NexthopSpec & NexthopFilter = {},
): Promise<NexthopMessage[]> {
  checkSpec('nexthop', spec, NEXTHOP_RULES);
  const { verb, flags } = command(cmd, ['add', 'create', 'replace', 'del', 'delete', 'remove', 'get', 'dump', 'show']);
  if (verb === 'dump') return getNexthops(sock, spec);
  if (verb !== 'new') {
    if (spec.id === undefined) throw new NetlinkEncodeError(`nexthop ${cmd}: id is required`);
    const type = verb === 'del' ? RTM.RTM_DELNEXTHOP : RTM.RTM_GETNEXTHOP;
    return ask(sock, nhmsg, { type, flags, fields: { family: AF_UNSPEC }, attrs: [['NHA_ID', spec.id]] });
  }
  const kinds = [spec.group !== undefined, !!spec.blackhole, spec.gateway !== undefined || spec.oif !== undefined];
  if (kinds.filter(Boolean).length !== 1 && !(spec.fdb && spec.gateway !== undefined)) {
    throw new NetlinkEncodeError(`nexthop ${cmd}: give exactly one of group, blackhole, or gateway/oif`);
  }
  return ask(sock, nhmsg, {
    type: RTM.RTM_NEWNEXTHOP,
    flags,
    fields: {
      // Groups have no family; the kernel wants one for anything else (ip defaults to IPv4).
      family: familyOf(spec, spec.group !== undefined ? AF_UNSPEC : AF_INET),
      protocol: protocolOf(spec.protocol),
      flags: spec.onlink ? RTNH_F.RTNH_F_ONLINK : 0,
    },
    attrs: body(spec),
  });
}

/** Nexthops matching a filter; the kernel filters (by id, groups, device, master, FDB). */
export async function getNexthops(sock: NetlinkSocket, filter: NexthopFilter = {}): Promise<NexthopMessage[]> {
  if (filter.id !== undefined) {
    try {
      return await ask(sock, nhmsg, {
        type: RTM.RTM_GETNEXTHOP,
        flags: 0,
        fields: { family: AF_UNSPEC },
        attrs: [['NHA_ID', filter.id]],
      });
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return [];
      throw e;
    }
  }
  const attrs: [string, unknown][] = [];
  if (filter.groups) attrs.push(['NHA_GROUPS', true]);
  if (filter.fdb) attrs.push(['NHA_FDB', true]);
  if (filter.oif !== undefined) attrs.push(['NHA_OIF', filter.oif]);
  if (filter.master !== undefined) attrs.push(['NHA_MASTER', filter.master]);
  return ask(sock, nhmsg, {
    type: RTM.RTM_GETNEXTHOP,
    flags: NLM_F_DUMP,
    fields: { family: familyOf(filter, AF_UNSPEC) },
    attrs,
  });
}
