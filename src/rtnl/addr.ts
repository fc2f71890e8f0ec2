// Addresses: friendly specs -> RTM_*ADDR requests, and dump filters.
import {
  SpecError,
  anyCheck,
  arrayCheck,
  boolCheck,
  checkSpec,
  eitherCheck,
  ifRefCheck,
  intCheck,
  oneOfCheck,
  stringCheck,
  type Check,
  type MessageSpec,
  type SpecRules,
} from '../core/index.js';
import { AF_INET, AF_INET6, IFAPROT, IFA_F, RTM, RT_SCOPE } from './constants.js';
import { requestHead } from './commands.js';
import { addrVocab, ifaddrmsg, type IfaddrMessage } from './ifaddrmsg.js';
import {
  broadcastOf,
  canonicalIP,
  enumValue,
  familyValue,
  mergeAttrs,
  parsePrefix,
  type IfRef,
  type RawAttrs,
} from './spec.js';

export type AddrCmd = 'add' | 'set' | 'replace' | 'del' | 'dump';

const lftCheck: Check = eitherCheck(intCheck(0, 0xffffffff), oneOfCheck('forever'));
const ADDR_EXTRA: Record<string, Check> = {
  index: ifRefCheck,
  address: stringCheck(),
  local: stringCheck(),
  peer: stringCheck(),
  broadcast: eitherCheck(stringCheck(), boolCheck),
  family: eitherCheck(intCheck(0, 255), stringCheck()),
  validLft: lftCheck,
  preferredLft: lftCheck,
  attrs: arrayCheck(anyCheck),
  label: stringCheck(15),
};
let addrRules: SpecRules | undefined;

/**
 * Check an address spec before anything is sent (unknown keys, wrong values, a prefix length
 * given twice differently). pyroute2's `mask` is `prefixlen`. Throws SpecError.
 */
export function checkAddrSpec<T extends object>(spec: T): T {
  const out = checkSpec('address', spec, (addrRules ??= addrVocab.rules(ADDR_EXTRA))) as AddrSpec;
  const given = out.local ?? out.address;
  const slash = typeof given === 'string' ? given.indexOf('/') : -1;
  if (slash >= 0 && out.prefixlen !== undefined && Number(given!.slice(slash + 1)) !== out.prefixlen) {
    throw new SpecError(
      `address: ${JSON.stringify(given)} has prefix length ${given!.slice(slash + 1)}, but prefixlen is ${out.prefixlen}`,
      { object: 'address', key: 'prefixlen' },
    );
  }
  return out as T;
}

/** An address, pyroute2-style: `{ index, address: '10.0.0.1/24' }` or with `prefixlen`. */
export interface AddrSpec {
  /** The interface (a name is resolved by IPRoute). */
  index?: IfRef;
  /** Our address (IFA_LOCAL), optionally with '/len'. */
  address?: string;
  /** Our address when `address` names the peer (pyroute2's local + address). */
  local?: string;
  prefixlen?: number;
  /** The other end of a point-to-point link (IFA_ADDRESS). */
  peer?: string;
  /** IPv4 broadcast: an address, or true / '+' to compute it from the prefix. */
  broadcast?: string | boolean;
  anycast?: string;
  label?: string;
  family?: number | string;
  scope?: number | string;
  /** IFA_F_* flags: a mask or names ('nodad', 'noprefixroute', 'IFA_F_MANAGETEMPADDR'). */
  flags?: number | readonly string[];
  /** Lifetimes in seconds (IFA_CACHEINFO); 'forever' or omitted = infinite. */
  validLft?: number | 'forever';
  preferredLft?: number | 'forever';
  /** Metric of the prefix route (IFA_RT_PRIORITY). */
  metric?: number;
  proto?: number | string;
  /** Read from records (IFA_MULTICAST); accepted and not sent. */
  multicast?: string;
  attrs?: RawAttrs;
}

const FOREVER = 0xffffffff;
const lft = (v: number | 'forever' | undefined, what: string): number => {
  if (v === undefined || v === 'forever') return FOREVER;
  if (!Number.isInteger(v) || v < 0 || v > FOREVER)
    throw new TypeError(`${what} must be seconds (0..${FOREVER}) or 'forever'`);
  return v;
};

function flagMask(v: AddrSpec['flags']): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v >>> 0;
  if (!Array.isArray(v)) throw new TypeError('flags must be a number or an array of names');
  let n = 0;
  for (const f of v) n |= enumValue(IFA_F, 'IFA_F_', f, 'address flag');
  return n >>> 0;
}

/** Header fields and attributes of an address spec. */
export function addrBody(
  cmd: AddrCmd,
  spec: AddrSpec,
  checked = false,
): { fields: Record<string, unknown>; attrs: [string | number, unknown][] } {
  if (!checked) spec = checkAddrSpec(spec);
  if (typeof spec.index !== 'number')
    throw new TypeError(`address ${cmd} needs the interface index (or a name IPRoute resolves)`);
  // pyroute2: with both, local is ours and address the other end (as peer).
  const both = spec.local !== undefined && spec.address !== undefined && spec.peer === undefined;
  const given = both ? spec.local : (spec.address ?? spec.local);
  if (given === undefined) throw new TypeError(`address ${cmd} needs an address`);
  if (both) spec = { ...spec, peer: spec.address };
  const p = parsePrefix(given, 'address', familyValue(spec.family as number | string | undefined));
  const family = p.family;
  const prefixlen = spec.prefixlen ?? p.len ?? (family === AF_INET6 ? 128 : 32);
  if (!Number.isInteger(prefixlen) || prefixlen < 0 || prefixlen > (family === AF_INET6 ? 128 : 32)) {
    throw new TypeError(`prefixlen ${prefixlen} out of range for ${family === AF_INET6 ? 'IPv6' : 'IPv4'}`);
  }
  const flags = flagMask(spec.flags);
  const fields: Record<string, unknown> = { family, prefixlen, index: spec.index };
  if (flags <= 0xff) fields.flags = flags;
  if (spec.scope !== undefined) fields.scope = enumValue(RT_SCOPE, 'RT_SCOPE_', spec.scope, 'scope');

  // The order of a natural `ip addr add` line, so equal commands give equal bytes.
  const attrs: [string | number, unknown][] = [['IFA_LOCAL', p.addr]];
  if (flags > 0xff) attrs.push(['IFA_FLAGS', flags]);
  if (spec.label !== undefined) {
    if (typeof spec.label !== 'string' || !spec.label || Buffer.byteLength(spec.label) > 15) {
      throw new TypeError(`label must be 1..15 bytes, got ${JSON.stringify(spec.label)}`);
    }
    attrs.push(['IFA_LABEL', spec.label]);
  }
  const bc = spec.broadcast;
  if (typeof bc === 'string' && bc !== '+') attrs.push(['IFA_BROADCAST', parsePrefix(bc, 'broadcast', AF_INET).addr]);
  const peer = spec.peer !== undefined ? parsePrefix(spec.peer, 'peer', family) : undefined;
  attrs.push(['IFA_ADDRESS', peer ? peer.addr : p.addr]);
  if (peer?.len !== undefined && spec.prefixlen === undefined) fields.prefixlen = peer.len;
  if (bc === true || bc === '+') {
    if (family !== AF_INET) throw new TypeError('broadcast applies to IPv4 addresses only');
    attrs.push(['IFA_BROADCAST', broadcastOf(p.addr, prefixlen)]);
  }
  if (spec.anycast !== undefined) attrs.push(['IFA_ANYCAST', parsePrefix(spec.anycast, 'anycast', family).addr]);
  if (spec.validLft !== undefined || spec.preferredLft !== undefined) {
    const valid = lft(spec.validLft, 'validLft'),
      preferred = lft(spec.preferredLft, 'preferredLft');
    if (preferred > valid) throw new TypeError('preferredLft must not exceed validLft');
    attrs.push(['IFA_CACHEINFO', { ifa_prefered: preferred, ifa_valid: valid, cstamp: 0, tstamp: 0 }]);
  }
  if (spec.metric !== undefined) attrs.push(['IFA_RT_PRIORITY', spec.metric]);
  if (spec.proto !== undefined)
    attrs.push(['IFA_PROTO', enumValue(IFAPROT, 'IFAPROT_', spec.proto, 'address protocol')]);
  return { fields, attrs: mergeAttrs(attrs, spec.attrs) };
}

/** The request for `ipr.addr(cmd, spec)`. */
export function addrRequest(
  cmd: AddrCmd,
  spec: AddrSpec,
  checked = false,
): { schema: typeof ifaddrmsg; spec: MessageSpec<any, any> } {
  // checked: as routeRequest's.
  const { fields, attrs } = addrBody(cmd, spec, checked);
  const { type, flags } = requestHead('address', cmd, ['add', 'replace', 'set', 'del'], {
    new: RTM.RTM_NEWADDR,
    del: RTM.RTM_DELADDR,
    get: RTM.RTM_GETADDR,
  });
  return { schema: ifaddrmsg, spec: { type, flags, fields, attrs } };
}

// ---- dumps ---------------------------------------------------------------------------

/** What getAddr() keeps: the kernel filters by family and interface, the rest is compared here. */
export interface AddrFilter {
  index?: IfRef;
  family?: number | string;
  address?: string;
  prefixlen?: number;
  label?: string;
  scope?: number | string;
  /** Any other check, run last. */
  match?: (addr: IfaddrMessage) => boolean;
}

export function addrDumpRequest(filter: AddrFilter = {}): MessageSpec<any, any> {
  const fields: Record<string, unknown> = { family: familyValue(filter.family as number | string | undefined) ?? 0 };
  if (typeof filter.index === 'number') fields.index = filter.index;
  return { type: RTM.RTM_GETADDR, fields };
}

/** The address an ifaddrmsg is about: IFA_LOCAL, else IFA_ADDRESS (IPv6 sends only that). */
export function addrOf(m: IfaddrMessage): string | undefined {
  return m.getAttr('IFA_LOCAL') ?? m.getAttr('IFA_ADDRESS');
}

export function addrMatcher(filter: AddrFilter = {}): ((m: IfaddrMessage) => boolean) | undefined {
  const checks: ((m: IfaddrMessage) => boolean)[] = [];
  // A family without a dump handler gets everything (the kernel falls back to AF_UNSPEC).
  const family = familyValue(filter.family as number | string | undefined);
  if (family && family !== AF_INET && family !== AF_INET6) checks.push((m) => m.family === family);
  // The kernel filters by index only in strict mode; checking again is cheap.
  if (typeof filter.index === 'number') checks.push((m) => m.field('index') === filter.index);
  if (filter.address !== undefined) {
    const p = parsePrefix(filter.address, 'address filter');
    const a = canonicalIP(p.addr);
    checks.push((m) => addrOf(m) === a && (p.len === undefined || m.field('prefixlen') === p.len));
  }
  if (filter.prefixlen !== undefined) checks.push((m) => m.field('prefixlen') === filter.prefixlen);
  if (filter.label !== undefined) checks.push((m) => m.getAttr('IFA_LABEL') === filter.label);
  if (filter.scope !== undefined) {
    const s = enumValue(RT_SCOPE, 'RT_SCOPE_', filter.scope, 'scope');
    checks.push((m) => m.field('scope') === s);
  }
  if (filter.match) checks.push(filter.match);
  if (!checks.length) return undefined;
  return (m) => checks.every((c) => c(m));
}
