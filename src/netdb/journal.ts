// Journals: the rollback record of a change waiting for confirm(), kept on disk so that another
// process can finish the rollback. Versions before the records spoke the rtnl vocabulary wrote
// enums and flag sets as numbers (table 254, proto 4, flags as masks), some fields under other
// names (an address's `local`, a rule's `iifname`), and keys built from those numbers. Reading
// brings both forms to today's records and keys, so they match the view's.
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { enumNames } from '../core/index.js';
import { RTNH_F } from '../rtnl/constants.js';
import { FIB_RULE, ruleVocab } from '../rtnl/fibrulemsg.js';
import { linkVocab } from '../rtnl/ifinfmsg.js';
import { metricsVocab } from '../rtnl/rtmsg.js';
import type { AddrRecord, LinkRecord, NeighRecord, RouteRecord, RuleRecord, TableName } from './records.js';
import type { Scope, ScopeState } from './scope.js';
import { enumValue, recordForm } from './vocab.js';

/** Journal contents: enough for another process to finish a rollback. */
export interface Journal {
  version: 1;
  source: string;
  netns?: string | number;
  written: string;
  deadline?: string;
  scope: Scope;
  pre: ScopeState;
}

/** A journal file that cannot be read, or is not a NetDB journal. */
export class JournalError extends Error {
  override name = 'JournalError';
}

/** Write a journal whole and rename it into place, so a crash never leaves half of one. */
export function writeJournal(path: string, j: Journal): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(j));
  renameSync(tmp, path);
}

export function removeJournal(path: string): void {
  try {
    unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/** A journal in today's vocabulary (undefined: there is none). JournalError names what is wrong. */
export function readJournal(path: string): Journal | undefined {
  let j: Journal;
  try {
    j = JSON.parse(readFileSync(path, 'utf8')) as Journal;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new JournalError(`recover: ${path} is not a readable journal: ${(e as Error).message}`);
  }
  if (typeof j !== 'object' || j === null || j.version !== 1 || !j.scope || !j.pre)
    throw new JournalError(`recover: ${path} is not a NetDB journal`);
  try {
    return { ...j, scope: upgradeScope(j.scope), pre: upgradeState(j.pre) };
  } catch (e) {
    throw new JournalError(`recover: ${path}: ${(e as Error).message}`);
  }
}

// ---- records ----------------------------------------------------------------------------------

type Rec = Record<string, unknown>;

const list = <T>(v: unknown, what: string): T[] => {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new TypeError(`${what} must be a list, got ${JSON.stringify(v)}`);
  return v as T[];
};

/** The records of a journal's `pre`, in today's vocabulary (records already in it stay as they are). */
export function upgradeState(pre: ScopeState): ScopeState {
  const p = pre as unknown as Rec;
  return {
    links: list<Rec>(p.links, 'links').map(linkRecord),
    addresses: list<Rec>(p.addresses, 'addresses').map(addrRecord),
    routes: list<Rec>(p.routes, 'routes').map(routeRecord),
    neighbours: list<Rec>(p.neighbours, 'neighbours').map(neighRecord),
    rules: list<Rec>(p.rules, 'rules').map(ruleRecord),
  };
}

/** Enum and flag fields in record form; an empty flag set left out, as records leave it. */
function form(table: TableName, r: Rec): Rec {
  const out = { ...recordForm(table, r) };
  for (const k of ['flags', 'state'])
    if (Array.isArray(out[k]) && !(out[k] as unknown[]).length && table !== 'links') delete out[k];
  return out;
}

function linkRecord(r: Rec): LinkRecord {
  const out = { ...r };
  if (typeof r.flags === 'number') {
    const names = linkVocab.recordValue('flags', r.flags);
    if (names === undefined) delete out.flags;
    else out.flags = names;
  }
  return out as unknown as LinkRecord;
}

function addrRecord(r: Rec): AddrRecord {
  const { local, ...rest } = r;
  const out = form('addresses', rest);
  // Older records held IFA_ADDRESS as `address` and ours as `local`: ours is `address` now,
  // and the other end of a point-to-point address its `peer`.
  if (typeof local === 'string') {
    out.address = local;
    if (typeof r.address === 'string' && r.address !== local) out.peer = r.address;
  }
  return out as unknown as AddrRecord;
}

const nhFlags = enumNames(RTNH_F);
const METRIC_ORDER = metricsVocab.keys();

function routeRecord(r: Rec): RouteRecord {
  const { encapType: _encapType, ...rest } = r;
  const out = form('routes', rest);
  // A default route has no `dst` now; the lengths are fields of their own.
  if (out.dst === DEFAULT) delete out.dst;
  out.dstLen ??= prefixLen(out.dst);
  out.srcLen ??= prefixLen(out.src);
  if (Array.isArray(out.multipath))
    out.multipath = (out.multipath as Rec[]).map((nh) => {
      if (typeof nh.flags !== 'number') return nh;
      const { flags, ...h } = nh;
      return flags ? { ...h, flags: nhFlags.flags(flags) } : h;
    });
  if (out.metrics && typeof out.metrics === 'object') out.metrics = metrics(out.metrics as Rec);
  return out as unknown as RouteRecord;
}

const DEFAULT = 'default';
const prefixLen = (p: unknown): number =>
  typeof p === 'string' && p.includes('/') ? Number(p.slice(p.indexOf('/') + 1)) : 0;

/** Metrics under their vocabulary keys (`rto_min` was `rtoMin`'s name), locks as names, in wire order. */
function metrics(m: Rec): Rec {
  const byKey: Rec = {};
  for (const [k, v] of Object.entries(m)) {
    const key = metricsVocab.keyOf.get(`RTAX_${k.toUpperCase()}`) ?? k;
    byKey[key] = key === 'lock' && typeof v === 'number' ? metricsVocab.recordValue('lock', v) : v;
  }
  const out: Rec = {};
  for (const k of METRIC_ORDER) if (byKey[k] !== undefined) out[k] = byKey[k];
  for (const k of Object.keys(byKey)) if (!(k in out)) out[k] = byKey[k];
  return out;
}

function neighRecord(r: Rec): NeighRecord {
  const { proto, ...rest } = r;
  const out = form('neighbours', rest);
  if (proto !== undefined && out.protocol === undefined) out.protocol = enumValue('neighbours', 'protocol', proto);
  return out as unknown as NeighRecord;
}

const NO_MASK = 0xffffffff;

function ruleRecord(r: Rec): RuleRecord {
  const { iifname, oifname, proto, flags, suppressPrefixlen, ...rest } = r;
  const out = form('rules', rest);
  if (typeof out.action === 'number') out.action = ruleVocab.recordValue('action', out.action);
  if (out.table === 'unspec') delete out.table;
  if (iifname !== undefined) out.iif ??= iifname;
  if (oifname !== undefined) out.oif ??= oifname;
  if (proto !== undefined) out.protocol ??= enumValue('rules', 'protocol', proto);
  if (out.protocol === 'unspec') delete out.protocol;
  if (typeof flags === 'number') {
    if (flags & FIB_RULE.FIB_RULE_INVERT) out.invert = true;
  } else if (flags !== undefined) out.flags = flags;
  if (!out.tos) delete out.tos;
  if (out.fwmask === NO_MASK) delete out.fwmask;
  if (suppressPrefixlen !== undefined && suppressPrefixlen !== NO_MASK) out.suppressPrefixlength ??= suppressPrefixlen;
  return out as unknown as RuleRecord;
}

// ---- keys -------------------------------------------------------------------------------------

/** A scope's route and rule keys in today's form (address keys and link indexes never changed). */
export function upgradeScope(scope: Scope): Scope {
  return {
    links: list<number>(scope.links, 'scope links'),
    addrs: list<string>(scope.addrs, 'scope addrs'),
    routes: list<string>(scope.routes, 'scope routes').map(routeBaseKey),
    rules: list<string>(scope.rules, 'scope rules').map(ruleKey),
  };
}

const DIGITS = /^\d+$/;
const named = (table: TableName, key: string, v: string): string =>
  DIGITS.test(v) ? String(enumValue(table, key, Number(v))) : v;

/** family|table|dst|src|tos|metric: the family was '4' or '6', the table a number. */
function routeBaseKey(k: string): string {
  const f = k.split('|');
  if (f.length !== 6) throw new TypeError(`route key ${JSON.stringify(k)} has ${f.length} fields, not 6`);
  f[0] = f[0] === '4' ? 'inet' : f[0] === '6' ? 'inet6' : f[0];
  f[1] = named('routes', 'table', f[1]);
  return f.join('|');
}

/**
 * family|priority|table|action|src|dst|tos|fwmark|fwmask|iif|oif|goto|invert: each was a
 * number (no table 0, a full fwmask, the invert bit 2) where records now have names or nothing.
 */
function ruleKey(k: string): string {
  const f = k.split('|');
  if (f.length !== 13) throw new TypeError(`rule key ${JSON.stringify(k)} has ${f.length} fields, not 13`);
  f[0] = named('rules', 'family', f[0]);
  f[2] = f[2] === '0' ? '' : named('rules', 'table', f[2]);
  if (DIGITS.test(f[3])) f[3] = String(ruleVocab.recordValue('action', Number(f[3])));
  if (f[8] === String(NO_MASK)) f[8] = '';
  if (DIGITS.test(f[12])) f[12] = Number(f[12]) & FIB_RULE.FIB_RULE_INVERT ? 'not' : '';
  return f.join('|');
}
