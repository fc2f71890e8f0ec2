// The route table of the view, kept as message bytes: each route is its RTM_NEWROUTE message
// copied into a slab, found through hash chains and slot sets held in typed arrays. A record
// is built only when read, so a large table costs its bytes and a few words per route, and a
// load makes no object per route. Bytes are never overwritten: a changed route is written
// anew, so a record or message read earlier stays valid. Compaction copies the live bytes
// into fresh slabs when most of them are dead.
import { Message, NLMSG_HDRLEN, parseIPv4, parseIPv6, type AnyMessage } from '../core/index.js';
import { rtmsg } from '../rtnl/rtmsg.js';
import {
  DEFAULT_DST,
  ROUTE_HEADER_BYTES,
  ipText,
  routeDevs,
  routeKey,
  routeRecord,
  routeTableValue,
  type RouteRecord,
} from './records.js';
import { matches } from './table.js';
import { baseKeyBytes, dstHash, hashBytes, keyA, keyB, keyBytes, nexthopDevs, scan, scanned } from './routebytes.js';

/** Bytes per slab: most messages are 52-140 bytes. */
const SLAB_BYTES = 256 * 1024;
/** Slots made at first, and the least dead space worth a compaction. */
const MIN_SLOTS = 1024;
const DEAD = 0xffff;
/** Messages up to this size are copied byte by byte. */
const SMALL_COPY = 512;
const NONE = -1;

/** Slot numbers under one index value, removable in O(1) through a position per slot. */
class SlotSet {
  a = new Int32Array(8);
  n = 0;

  add(slot: number, pos: Int32Array): void {
    if (this.n === this.a.length) {
      const g = new Int32Array(this.a.length * 2);
      g.set(this.a);
      this.a = g;
    }
    pos[slot] = this.n;
    this.a[this.n++] = slot;
  }

  remove(slot: number, pos: Int32Array): void {
    const i = pos[slot],
      last = this.a[--this.n];
    this.a[i] = last;
    pos[last] = i;
    pos[slot] = NONE;
  }

  /** The slots in slot order (the order routes were added in). */
  sorted(): number[] {
    return Array.from(this.a.subarray(0, this.n).slice().sort());
  }
}

function grow<T extends Int32Array | Uint32Array | Uint16Array>(a: T, n: number, fill?: number): T {
  const g = new (a.constructor as new (n: number) => T)(n);
  g.set(a);
  if (fill !== undefined) g.fill(fill, a.length);
  return g;
}

/**
 * A test of a route message's header bytes against the query's header fields (family, proto,
 * scope, type, tos, prefix lengths), so a query with no indexed field builds records only for
 * the routes that can match; undefined when the query names none of them.
 */
function headerTest(query: Readonly<Record<string, unknown>>): ((b: Buffer, h: number) => boolean) | undefined {
  const tests: { at: number; ok: boolean[] }[] = [];
  for (const k of Object.keys(query)) {
    const f = ROUTE_HEADER_BYTES[k];
    if (!f || query[k] === undefined || (typeof query[k] !== 'string' && typeof query[k] !== 'number')) continue;
    tests.push({ at: f.at, ok: f.values.map((v) => v === query[k]) });
  }
  if (!tests.length) return undefined;
  return (b, h) => tests.every((t) => t.ok[b[h + t.at]]);
}

/** Fields the route table answers `filter` and `lookup` through an index. */
const INDEXED = new Set(['table', 'dst', 'dev', 'prefsrc']);

export class RouteStore {
  readonly name = 'routes';
  private slabs: Buffer[] = [];
  private used = SLAB_BYTES;
  /** Slots 0..hwm have been handed out; a removed one is DEAD until compaction renumbers. */
  private hwm = 0;
  private live = 0;
  private liveBytes = 0;
  private deadBytes = 0;
  private slabOf = new Uint16Array(0);
  private offOf = new Uint32Array(0);
  private hashOf = new Uint32Array(0);
  private keyNext = new Int32Array(0);
  private dstHashOf = new Uint32Array(0);
  private dstNext = new Int32Array(0);
  private posTable = new Int32Array(0);
  private posDev = new Int32Array(0);
  private posPrefsrc = new Int32Array(0);
  private keyHeads = new Int32Array(0);
  private dstHeads = new Int32Array(0);
  private readonly tables = new Map<string | number, SlotSet>();
  private readonly devs = new Map<number, SlotSet>();
  /** Multipath routes by each next hop's interface (few: kept as plain sets). */
  private readonly multiDevs = new Map<number, Set<number>>();
  private readonly prefsrcs = new Map<string, SlotSet>();
  /** The last preferred source read, as bytes and text: routes share a handful. */
  private readonly lastPrefsrc = Buffer.alloc(16);
  private lastPrefsrcLen = 0;
  private lastPrefsrcText = '';
  /** Key hash of the message last located. */
  private lastHash = 0;
  /** Location of the bytes last stored. */
  private atSlab = 0;
  private atOff = 0;
  /** A dump's messages, stored and not yet merged: slab and offset of each. */
  private stagedAt = new Uint32Array(0);
  stagedCount = 0;

  constructor(readonly source: string) {}

  get size(): number {
    return this.live;
  }

  keyOf(r: RouteRecord): string {
    return routeKey(r);
  }

  indexed(field: string): boolean {
    return INDEXED.has(field);
  }

  // ---- bytes --------------------------------------------------------------------------

  /** Copy a message into the slabs; its place is atSlab/atOff. */
  store(b: Buffer, o: number): void {
    const len = b.readUInt32LE(o);
    if (this.used + len > SLAB_BYTES || !this.slabs.length) {
      this.slabs.push(Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, len)));
      this.used = 0;
    }
    this.atSlab = this.slabs.length - 1;
    this.atOff = this.used;
    const slab = this.slabs[this.atSlab];
    // A route is a few dozen bytes: a loop copies it in less time than Buffer#copy checks its arguments.
    if (len <= SMALL_COPY) for (let i = 0, d = this.used; i < len; i++) slab[d + i] = b[o + i];
    else b.copy(slab, this.used, o, o + len);
    this.used += len;
  }

  /** The stored message of a live slot. */
  message(slot: number): AnyMessage {
    return new Message(this.slabs[this.slabOf[slot]], this.offOf[slot], rtmsg) as unknown as AnyMessage;
  }

  /** A live slot's route as a record. */
  record(slot: number): RouteRecord {
    return routeRecord(this.message(slot), this.source);
  }

  /** Whether a message holds exactly the bytes of a slot's (its header aside). */
  sameBytes(slot: number, b: Buffer, o: number): boolean {
    const s = this.slabs[this.slabOf[slot]],
      so = this.offOf[slot];
    const len = s.readUInt32LE(so);
    if (b.readUInt32LE(o) !== len) return false;
    return s.compare(b, o + NLMSG_HDRLEN, o + len, so + NLMSG_HDRLEN, so + len) === 0;
  }

  /** A message (anywhere) as a record. */
  recordAt(b: Buffer, o: number): RouteRecord {
    return routeRecord(new Message(b, o, rtmsg) as unknown as AnyMessage, this.source);
  }

  // ---- a dump staged ------------------------------------------------------------------

  /** Store a dump's message until the dump is complete and merged. */
  stage(b: Buffer, o: number): void {
    this.store(b, o);
    if (2 * this.stagedCount + 2 > this.stagedAt.length)
      this.stagedAt = grow(this.stagedAt, Math.max(2 * MIN_SLOTS, 2 * this.stagedAt.length));
    this.stagedAt[2 * this.stagedCount] = this.atSlab;
    this.stagedAt[2 * this.stagedCount + 1] = this.atOff;
    this.stagedCount++;
  }

  /** Make staged message i the one last stored; returns its slab. */
  pickStaged(i: number): Buffer {
    this.atSlab = this.stagedAt[2 * i];
    this.atOff = this.stagedAt[2 * i + 1];
    return this.slabs[this.atSlab];
  }

  stagedOffset(i: number): number {
    return this.stagedAt[2 * i + 1];
  }

  /** Forget the staged messages (`dead`: none of them was used: an interrupted dump). */
  unstage(dead: boolean): void {
    if (dead)
      for (let i = 0; i < this.stagedCount; i++) {
        const b = this.pickStaged(i);
        this.deadBytes += b.readUInt32LE(this.atOff);
      }
    this.stagedCount = 0;
    this.stagedAt = new Uint32Array(0);
  }

  // ---- a message's and a slot's fields ------------------------------------------------

  familyOf(b: Buffer, o: number): number {
    return b[o + NLMSG_HDRLEN];
  }

  /** The routing table of a message, as records name it. */
  tableOf(b: Buffer, o: number): string | number {
    scan(b, o);
    return routeTableValue(scanned.table);
  }

  /** Whether a message's route has a gateway or next hops. */
  gatewayed(b: Buffer, o: number): boolean {
    scan(b, o);
    return scanned.gwAt >= 0 || scanned.mpAt >= 0;
  }

  /** Whether a message's route leaves through an interface (its own or a next hop's). */
  leavesVia(b: Buffer, o: number, oif: number): boolean {
    scan(b, o);
    return scanned.mpAt >= 0 ? nexthopDevs(b).includes(oif) : scanned.oif === oif;
  }

  slotFamily(slot: number): number {
    return this.slabs[this.slabOf[slot]][this.offOf[slot] + NLMSG_HDRLEN];
  }

  slotTable(slot: number): string | number {
    return this.tableOf(this.slabs[this.slabOf[slot]], this.offOf[slot]);
  }

  slotMultipath(slot: number): boolean {
    scan(this.slabs[this.slabOf[slot]], this.offOf[slot]);
    return scanned.mpAt >= 0;
  }

  /** Multipath routes with a next hop through an interface. */
  multipathVia(dev: number): RouteRecord[] {
    const m = this.multiDevs.get(dev);
    return m ? [...m].sort((a, b) => a - b).map((s) => this.record(s)) : [];
  }

  /**
   * Slots of the other routes (another key) with the message's base key: the same prefix,
   * table, tos and metric.
   */
  sameBase(b: Buffer, o: number): number[] {
    scan(b, o);
    const dh = dstHash(b, scanned.dstAt, scanned.dstBytes, scanned.dstLen);
    const nb = baseKeyBytes(b, keyA),
      nf = keyBytes(b, keyA);
    const out: number[] = [];
    if (!this.dstHeads.length) return out;
    for (let s = this.dstHeads[dh & (this.dstHeads.length - 1)]; s !== NONE; s = this.dstNext[s]) {
      if (this.dstHashOf[s] !== dh) continue;
      const sb = this.slabs[this.slabOf[s]];
      scan(sb, this.offOf[s]);
      if (baseKeyBytes(sb, keyB) !== nb || keyA.compare(keyB, 0, nb, 0, nb) !== 0) continue;
      const mf = keyBytes(sb, keyB);
      if (mf !== nf || keyA.compare(keyB, 0, nf, 0, nf) !== 0) out.push(s);
    }
    return out.sort((x, y) => x - y);
  }

  // ---- finding ------------------------------------------------------------------------

  /** The slot of the route the message names (same key), or NONE. */
  locate(b: Buffer, o: number): number {
    scan(b, o);
    const n = keyBytes(b, keyA);
    const h = (this.lastHash = hashBytes(keyA, 0, n));
    if (!this.keyHeads.length) return NONE;
    for (let s = this.keyHeads[h & (this.keyHeads.length - 1)]; s !== NONE; s = this.keyNext[s]) {
      if (this.hashOf[s] !== h) continue;
      const sb = this.slabs[this.slabOf[s]];
      scan(sb, this.offOf[s]);
      if (keyBytes(sb, keyB) === n && keyA.compare(keyB, 0, n, 0, n) === 0) return s;
    }
    return NONE;
  }

  /** Slots under an indexed value, in the order they were added. */
  slotsOf(field: string, value: unknown): number[] {
    switch (field) {
      case 'table':
        return this.tables.get(value as string | number)?.sorted() ?? [];
      case 'prefsrc':
        return typeof value === 'string' ? (this.prefsrcs.get(value)?.sorted() ?? []) : [];
      case 'dev': {
        if (typeof value !== 'number') return [];
        const one = this.devs.get(value),
          multi = this.multiDevs.get(value);
        if (!multi) return one?.sorted() ?? [];
        const all = new Set([...(one?.sorted() ?? []), ...multi]);
        return [...all].sort((a, b) => a - b);
      }
      case 'dst':
        return this.dstSlots(value);
    }
    throw new TypeError(`routes has no index on ${field}`);
  }

  /** Slots whose destination is `dst` ('addr/len' or 'default'). */
  private dstSlots(dst: unknown): number[] {
    if (typeof dst !== 'string') return [];
    let h: number;
    if (dst === DEFAULT_DST) h = dstHash(keyA, NONE, 0, 0);
    else {
      const slash = dst.lastIndexOf('/');
      const len = Number(dst.slice(slash + 1));
      const a = slash > 0 ? dst.slice(0, slash) : '';
      const bytes = a.includes(':') ? parseIPv6(a) : parseIPv4(a);
      if (!bytes || !Number.isInteger(len)) return this.scanDst(dst);
      keyA.set(bytes);
      h = dstHash(keyA, 0, bytes.length, len);
    }
    const out: number[] = [];
    if (!this.dstHeads.length) return out;
    for (let s = this.dstHeads[h & (this.dstHeads.length - 1)]; s !== NONE; s = this.dstNext[s])
      if (this.dstHashOf[s] === h && (this.record(s).dst ?? DEFAULT_DST) === dst) out.push(s);
    return out.sort((x, y) => x - y);
  }

  /** Slots whose record's destination reads `dst`: for a text the address parsers do not take. */
  private scanDst(dst: string): number[] {
    const out: number[] = [];
    for (let s = 0; s < this.hwm; s++)
      if (this.slabOf[s] !== DEAD && (this.record(s).dst ?? DEFAULT_DST) === dst) out.push(s);
    return out;
  }

  /** The slot of a route key (routeKey's text), or NONE: the key's prefix narrows to a few. */
  slotOfKey(key: string): number {
    const dst = key.split('|')[2];
    for (const s of this.dstSlots(dst)) if (routeKey(this.record(s)) === key) return s;
    return NONE;
  }

  /** Live slots in order. */
  slots(): number[] {
    const out: number[] = [];
    for (let s = 0; s < this.hwm; s++) if (this.slabOf[s] !== DEAD) out.push(s);
    return out;
  }

  // ---- changing -----------------------------------------------------------------------

  /** Add the route last stored (store()) as a new slot, keyed as last located; returns the slot. */
  insertStored(): number {
    if (this.hwm === this.slabOf.length) this.growSlots();
    const slot = this.hwm++;
    this.slabOf[slot] = this.atSlab;
    this.offOf[slot] = this.atOff;
    this.live++;
    this.liveBytes += this.slabs[this.atSlab].readUInt32LE(this.atOff);
    const h = this.lastHash;
    this.hashOf[slot] = h;
    const ki = h & (this.keyHeads.length - 1);
    this.keyNext[slot] = this.keyHeads[ki];
    this.keyHeads[ki] = slot;
    const b = this.slabs[this.atSlab];
    // A dump's message was scanned where it lies when it was located: no second walk.
    if (scanned.buf !== b || scanned.at !== this.atOff) scan(b, this.atOff);
    const s = scanned;
    const dh = dstHash(b, s.dstAt, s.dstBytes, s.dstLen);
    this.dstHashOf[slot] = dh;
    const di = dh & (this.dstHeads.length - 1);
    this.dstNext[slot] = this.dstHeads[di];
    this.dstHeads[di] = slot;
    this.addSecondary(slot, b);
    return slot;
  }

  /** Let a slot hold the route last stored (same key, new content). */
  replaceStored(slot: number): void {
    const b = this.slabs[this.slabOf[slot]],
      o = this.offOf[slot];
    scan(b, o);
    this.removeSecondary(slot, b);
    const len = b.readUInt32LE(o);
    this.deadBytes += len;
    this.liveBytes -= len;
    this.slabOf[slot] = this.atSlab;
    this.offOf[slot] = this.atOff;
    const nb = this.slabs[this.atSlab];
    this.liveBytes += nb.readUInt32LE(this.atOff);
    scan(nb, this.atOff);
    this.addSecondary(slot, nb);
  }

  /** Note that the bytes last stored are not used (an unchanged route read again). */
  dropStored(): void {
    this.deadBytes += this.slabs[this.atSlab].readUInt32LE(this.atOff);
  }

  /** Remove a live slot. */
  removeSlot(slot: number): void {
    const b = this.slabs[this.slabOf[slot]],
      o = this.offOf[slot];
    scan(b, o);
    this.removeSecondary(slot, b);
    this.unchain(this.keyHeads, this.keyNext, this.hashOf[slot], slot);
    this.unchain(this.dstHeads, this.dstNext, this.dstHashOf[slot], slot);
    const len = b.readUInt32LE(o);
    this.deadBytes += len;
    this.liveBytes -= len;
    this.slabOf[slot] = DEAD;
    this.live--;
  }

  private unchain(heads: Int32Array, next: Int32Array, h: number, slot: number): void {
    const i = h & (heads.length - 1);
    if (heads[i] === slot) {
      heads[i] = next[slot];
      return;
    }
    for (let s = heads[i]; s !== NONE; s = next[s]) {
      if (next[s] === slot) {
        next[s] = next[slot];
        return;
      }
    }
  }

  /** Index the scanned route of a slot by table, interface and preferred source. */
  private addSecondary(slot: number, b: Buffer): void {
    const s = scanned;
    const tv = routeTableValue(s.table);
    let t = this.tables.get(tv);
    if (!t) this.tables.set(tv, (t = new SlotSet()));
    t.add(slot, this.posTable);
    this.posDev[slot] = NONE;
    if (s.mpAt >= 0) {
      for (const d of nexthopDevs(b)) {
        let m = this.multiDevs.get(d);
        if (!m) this.multiDevs.set(d, (m = new Set()));
        m.add(slot);
      }
    } else if (s.oif >= 0) {
      let d = this.devs.get(s.oif);
      if (!d) this.devs.set(s.oif, (d = new SlotSet()));
      d.add(slot, this.posDev);
    }
    this.posPrefsrc[slot] = NONE;
    if (s.prefsrcAt >= 0) {
      const text = this.prefsrcText(b);
      let p = this.prefsrcs.get(text);
      if (!p) this.prefsrcs.set(text, (p = new SlotSet()));
      p.add(slot, this.posPrefsrc);
    }
  }

  private removeSecondary(slot: number, b: Buffer): void {
    const s = scanned;
    const tv = routeTableValue(s.table);
    const t = this.tables.get(tv)!;
    t.remove(slot, this.posTable);
    if (!t.n) this.tables.delete(tv);
    if (s.mpAt >= 0) {
      for (const d of nexthopDevs(b)) {
        const m = this.multiDevs.get(d)!;
        m.delete(slot);
        if (!m.size) this.multiDevs.delete(d);
      }
    } else if (s.oif >= 0) {
      const d = this.devs.get(s.oif)!;
      d.remove(slot, this.posDev);
      if (!d.n) this.devs.delete(s.oif);
    }
    if (s.prefsrcAt >= 0) {
      const text = this.prefsrcText(b);
      const p = this.prefsrcs.get(text)!;
      p.remove(slot, this.posPrefsrc);
      if (!p.n) this.prefsrcs.delete(text);
    }
  }

  /** The scanned route's preferred source as text, made once per distinct address in a row. */
  private prefsrcText(b: Buffer): string {
    const s = scanned,
      n = s.prefsrcBytes;
    const last = this.lastPrefsrc;
    if (n !== this.lastPrefsrcLen || last.compare(b, s.prefsrcAt, s.prefsrcAt + n, 0, n) !== 0) {
      b.copy(last, 0, s.prefsrcAt, s.prefsrcAt + n);
      this.lastPrefsrcLen = n;
      this.lastPrefsrcText = ipText(b, s.prefsrcAt, n)!;
    }
    return this.lastPrefsrcText;
  }

  /** Room for n more slots, made at once (a load knows how many routes it brings). */
  reserve(n: number): void {
    if (this.hwm + n > this.slabOf.length) this.growSlots(this.hwm + n);
  }

  private growSlots(want = 0): void {
    const n = Math.max(MIN_SLOTS, this.slabOf.length * 2, want);
    this.slabOf = grow(this.slabOf, n);
    this.offOf = grow(this.offOf, n);
    this.hashOf = grow(this.hashOf, n);
    this.keyNext = grow(this.keyNext, n);
    this.dstHashOf = grow(this.dstHashOf, n);
    this.dstNext = grow(this.dstNext, n);
    this.posTable = grow(this.posTable, n);
    this.posDev = grow(this.posDev, n);
    this.posPrefsrc = grow(this.posPrefsrc, n);
    this.rechain(n);
  }

  /**
   * Hash heads for `slots` slots (a power of two, at least one per slot: chains stay short),
   * every live slot chained again.
   */
  private rechain(slots: number): void {
    let n = MIN_SLOTS;
    while (n < slots) n *= 2;
    this.keyHeads = new Int32Array(n).fill(NONE);
    this.dstHeads = new Int32Array(n).fill(NONE);
    const km = n - 1;
    for (let s = 0; s < this.hwm; s++) {
      if (this.slabOf[s] === DEAD) continue;
      const ki = this.hashOf[s] & km,
        di = this.dstHashOf[s] & km;
      this.keyNext[s] = this.keyHeads[ki];
      this.keyHeads[ki] = s;
      this.dstNext[s] = this.dstHeads[di];
      this.dstHeads[di] = s;
    }
  }

  /**
   * Copy the live bytes into fresh slabs and number the slots densely again, when most of
   * either is dead. Call only between operations: slot numbers change.
   */
  settle(): void {
    const deadSlots = this.hwm - this.live;
    if (this.deadBytes <= Math.max(this.liveBytes, SLAB_BYTES) && deadSlots <= Math.max(this.live, MIN_SLOTS)) return;
    const old = this.slabs,
      slabOf = this.slabOf,
      offOf = this.offOf,
      hashOf = this.hashOf,
      hwm = this.hwm;
    const live = this.live;
    this.clear();
    this.reserve(live);
    for (let s = 0; s < hwm; s++) {
      if (slabOf[s] === DEAD) continue;
      this.store(old[slabOf[s]], offOf[s]);
      this.lastHash = hashOf[s];
      this.insertStored();
    }
  }

  clear(): void {
    this.slabs = [];
    this.used = SLAB_BYTES;
    this.hwm = this.live = this.liveBytes = this.deadBytes = 0;
    this.slabOf = new Uint16Array(0);
    this.offOf = new Uint32Array(0);
    this.hashOf = new Uint32Array(0);
    this.keyNext = new Int32Array(0);
    this.dstHashOf = new Uint32Array(0);
    this.dstNext = new Int32Array(0);
    this.posTable = new Int32Array(0);
    this.posDev = new Int32Array(0);
    this.posPrefsrc = new Int32Array(0);
    this.keyHeads = new Int32Array(0);
    this.dstHeads = new Int32Array(0);
    this.tables.clear();
    this.devs.clear();
    this.multiDevs.clear();
    this.prefsrcs.clear();
  }

  // ---- reading ------------------------------------------------------------------------

  get(key: string | number): RouteRecord | undefined {
    if (typeof key !== 'string') return undefined;
    const s = this.slotOfKey(key);
    return s === NONE ? undefined : this.record(s);
  }

  /** Remove by key; returns the record removed. */
  delete(key: string | number): RouteRecord | undefined {
    if (typeof key !== 'string') return undefined;
    const s = this.slotOfKey(key);
    if (s === NONE) return undefined;
    const r = this.record(s);
    this.removeSlot(s);
    return r;
  }

  *values(): IterableIterator<RouteRecord> {
    for (const s of this.slots()) yield this.record(s);
  }

  *entries(): IterableIterator<[string, RouteRecord]> {
    for (const r of this.values()) yield [routeKey(r), r];
  }

  /** Records under an indexed value. */
  lookup(field: string, value: unknown): RouteRecord[] {
    return this.slotsOf(field, value).map((s) => this.record(s));
  }

  /** Whether a record is found under `v` in an index (for fields records do not have: 'dev'). */
  private holds(r: RouteRecord, field: string, v: unknown): boolean {
    if (field === 'dev') return r.multipath ? routeDevs(r).includes(v as number) : r.oif === v;
    if (field === 'dst') return (r.dst ?? DEFAULT_DST) === v;
    return (r as unknown as Record<string, unknown>)[field] === v;
  }

  /**
   * Records whose fields equal every field of the query; an indexed field (the one with the
   * fewest matches) narrows the candidates first.
   */
  filter(query: Readonly<Record<string, unknown>>): RouteRecord[] {
    let best: number[] | undefined;
    for (const k of Object.keys(query)) {
      const v = query[k];
      if (v === undefined || !INDEXED.has(k)) continue;
      const slots = this.slotsOf(k, v);
      if (!best || slots.length < best.length) best = slots;
    }
    const virtual = Object.keys(query).filter((k) => query[k] !== undefined && INDEXED.has(k));
    const header = headerTest(query);
    const out: RouteRecord[] = [];
    for (const s of best ?? this.slots()) {
      if (header && !header(this.slabs[this.slabOf[s]], this.offOf[s] + NLMSG_HDRLEN)) continue;
      const r = this.record(s);
      if (!matches(r, query)) continue;
      if (virtual.every((k) => k in r || this.holds(r, k, query[k]))) out.push(r);
    }
    return out;
  }
}
