// NetDB journals written by older versions, whose records held enums and flag sets as numbers
// (table 254, proto 4, masks) and some fields under other names: read into today's records and
// keys, and a crashed change recorded in that form is still rolled back exactly.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { encoderValue, type Vocab } from '../src/core/index.js';
import { addrVocab } from '../src/rtnl/ifaddrmsg.js';
import { linkVocab } from '../src/rtnl/ifinfmsg.js';
import { neighVocab } from '../src/rtnl/ndmsg.js';
import { metricsVocab, routeVocab } from '../src/rtnl/rtmsg.js';
import { ruleVocab } from '../src/rtnl/fibrulemsg.js';
import { NetDB } from '../src/netdb/index.js';
import { JournalError, readJournal, type Journal } from '../src/netdb/journal.js';
import { addrKey, routeBaseKey, ruleKey, type RouteRecord } from '../src/netdb/records.js';
import { recordForm } from '../src/netdb/vocab.js';
import { withNetns } from './helpers/netns.js';
import { noDad, settledIpState, stateDiff } from './helpers/netdb.js';

const fixture = fileURLToPath(new URL('../../test/fixtures/netdb/journal-numeric.json', import.meta.url));

test('netdb journal: a journal with numeric enums reads as records and keys of the vocabulary', () => {
  const j = readJournal(fixture)!;
  const routes = j.pre.routes;
  assert.deepEqual(routes[1], {
    source: 'main',
    family: 'inet',
    table: 'main',
    dst: '10.30.0.0/16',
    dstLen: 16,
    srcLen: 0,
    tos: 0,
    priority: 0,
    type: 'unicast',
    proto: 'static',
    scope: 'universe',
    oif: 3,
    gateway: '10.1.0.254',
    metrics: { lock: ['mtu'], mtu: 1400, rtoMin: 200 },
  });
  assert.deepEqual(
    routes.map((r) => [r.family, r.table, r.proto, r.scope, r.dst]),
    [
      ['inet', 'main', 'kernel', 'link', '10.1.0.0/24'],
      ['inet', 'main', 'static', 'universe', '10.30.0.0/16'],
      ['inet', 'main', 'static', 'universe', undefined],
      ['inet6', 100, 78, 'universe', '2001:db8::/64'],
    ],
  );
  assert.deepEqual((routes[2] as RouteRecord).multipath, [
    { oif: 3, gateway: '10.1.0.253', weight: 1, flags: ['linkdown'] },
  ]);
  assert.equal(routes[3].pref, 'medium');
  const [a, ptp] = j.pre.addresses;
  assert.deepEqual(
    [a.family, a.scope, a.flags, a.proto, a.address, a.peer],
    ['inet', 'universe', ['permanent'], 78, '10.1.0.1', undefined],
  );
  assert.deepEqual([ptp.address, ptp.peer], ['10.9.0.1', '10.9.0.2'], 'ours is the address, the other end the peer');
  assert.deepEqual(j.pre.links[0].flags, ['up', 'broadcast', 'running', 'multicast', 'lower_up']);
  const [n] = j.pre.neighbours;
  // A neighbour's protocol is a number in records (NDA_PROTOCOL has no names of its own); input may name it.
  assert.deepEqual([n.family, n.state, n.flags, n.protocol], ['inet', ['permanent'], undefined, 4]);
  assert.deepEqual(recordForm('neighbours', { protocol: 'static' }), { protocol: 4 });
  const rules = j.pre.rules.map(({ source: _s, ...r }) => r);
  assert.deepEqual(rules[1], {
    family: 'inet',
    priority: 1200,
    action: 'goto',
    goto: 1300,
    fwmark: 7,
    iif: 'v0',
    protocol: 'static',
    invert: true,
  });
  assert.deepEqual([rules[0].table, rules[0].action, rules[2].family, rules[2].table], [100, 'table', 'inet6', 200]);
  // The scope's keys are the keys of today's records: the rollback finds each object by them.
  for (const r of routes.slice(1)) assert.ok(j.scope.routes.includes(routeBaseKey(r)), routeBaseKey(r));
  for (const r of j.pre.rules) assert.ok(j.scope.rules.includes(ruleKey(r)), ruleKey(r));
  assert.ok(j.scope.addrs.includes(addrKey(a)));
  // A journal in today's form reads back unchanged.
  const dir = mkdtempSync(join(tmpdir(), 'nlroute-journal-'));
  try {
    const again = join(dir, 'j.json');
    writeFileSync(again, JSON.stringify(j));
    assert.deepEqual(readJournal(again), j);
    writeFileSync(again, JSON.stringify({ ...j, scope: { ...j.scope, routes: ['4|254'] } }));
    assert.throws(
      () => readJournal(again),
      (e: Error) => e instanceof JournalError && /route key "4\|254"/.test(e.message),
    );
    writeFileSync(again, '{"version": 1, "scope"');
    assert.throws(() => readJournal(again), JournalError);
    assert.equal(readJournal(join(dir, 'none.json')), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---- the older form, made from a journal of today --------------------------------------------

type Rec = Record<string, any>;
const num = (v: Vocab<any, any, any, any>, key: string, x: unknown): unknown =>
  x === undefined || typeof x === 'number' ? x : encoderValue(v.typeOf(key)!, x);
const mask = (v: Vocab<any, any, any, any>, key: string, x: unknown): number =>
  x === undefined ? 0 : (num(v, key, x) as number);
const FAMILY: Rec = { inet: 2, inet6: 10 };

/** Records as the version before the vocabulary wrote them (src/netdb/records.ts of that time). */
function older(j: Journal): unknown {
  const routes = j.pre.routes.map((r: Rec) => {
    const { dstLen: _d, srcLen: _s, ...o } = r;
    return {
      ...o,
      family: FAMILY[r.family],
      table: num(routeVocab, 'table', r.table),
      proto: num(routeVocab, 'proto', r.proto),
      scope: num(routeVocab, 'scope', r.scope),
      type: num(routeVocab, 'type', r.type),
      flags: mask(routeVocab, 'flags', r.flags),
      dst: r.dst ?? 'default',
      priority: r.priority ?? 0,
      ...(r.metrics ? { metrics: { ...r.metrics, lock: mask(metricsVocab, 'lock', r.metrics.lock) } } : {}),
    };
  });
  const addresses = j.pre.addresses.map((a: Rec) => {
    const { peer, ...o } = a;
    return {
      ...o,
      family: FAMILY[a.family],
      scope: num(addrVocab, 'scope', a.scope),
      flags: mask(addrVocab, 'flags', a.flags),
      proto: num(addrVocab, 'proto', a.proto),
      address: peer ?? a.address,
      local: a.address,
    };
  });
  const links = j.pre.links.map((l: Rec) => ({ ...l, flags: mask(linkVocab, 'flags', l.flags) }));
  const neighbours = j.pre.neighbours.map((n: Rec) => {
    const { protocol, ...o } = n;
    return {
      ...o,
      family: FAMILY[n.family],
      state: mask(neighVocab, 'state', n.state),
      flags: mask(neighVocab, 'flags', n.flags),
      proto: num(neighVocab, 'protocol', protocol),
    };
  });
  const rules = j.pre.rules.map((r: Rec) => {
    const { iif, oif, protocol, invert, ...o } = r;
    return {
      ...o,
      family: FAMILY[r.family],
      table: num(routeVocab, 'table', r.table) ?? 0,
      action: num(ruleVocab, 'action', r.action),
      tos: r.tos ?? 0,
      flags: invert ? 2 : 0,
      iifname: iif,
      oifname: oif,
      proto: num(ruleVocab, 'protocol', protocol),
    };
  });
  const routeKey = (k: string): string => {
    const [f, t, ...rest] = k.split('|');
    return [f === 'inet6' ? '6' : '4', num(routeVocab, 'table', /^\d+$/.test(t) ? Number(t) : t), ...rest].join('|');
  };
  const ruleKeyOld = (k: string): string => {
    const f = k.split('|');
    f[0] = String(FAMILY[f[0]]);
    f[2] = f[2] === '' ? '0' : String(num(routeVocab, 'table', /^\d+$/.test(f[2]) ? Number(f[2]) : f[2]));
    f[3] = String(num(ruleVocab, 'action', f[3]));
    f[12] = f[12] === 'not' ? '2' : '0';
    return f.join('|');
  };
  return {
    ...j,
    scope: { ...j.scope, routes: j.scope.routes.map(routeKey), rules: j.scope.rules.map(ruleKeyOld) },
    pre: { links, addresses, routes, neighbours, rules },
  };
}

test('netdb journal: a crashed change journaled in the older numeric form is rolled back exactly', async () => {
  await withNetns(async (ns) => {
    await noDad(ns);
    await ns.batch([
      'link add v0 type veth peer name p0',
      'link set v0 up',
      'link set p0 up',
      'addr add 10.1.0.1/24 dev v0',
      'route add 10.30.0.0/16 via 10.1.0.254 proto static',
      'route add 2001:db8:30::/48 dev v0 table 100 metric 7',
      'rule add priority 1100 table 100',
      'rule add priority 1150 not fwmark 3 table 101',
      'neigh add 10.1.0.7 lladdr 02:00:00:00:00:07 dev v0 nud permanent',
    ]);
    const before = await settledIpState(ns);
    const dir = mkdtempSync(join(tmpdir(), 'nlroute-journal-'));
    const journal = join(dir, 'journal.json');
    try {
      {
        await using db = await NetDB.open({ netns: ns.name });
        const r = await db.apply(
          {
            links: [{ ifname: 'v0', mtu: 1400 }],
            routes: [
              { dst: '10.30.0.0/16', state: 'absent' },
              { dst: '10.40.0.0/16', gateway: '10.1.0.254' },
              { dst: '2001:db8:31::/48', oif: 'v0', table: 100 },
            ],
            rules: [
              { priority: 1100, table: 100, state: 'absent' },
              { priority: 1150, invert: true, fwmark: 3, table: 101, state: 'absent' },
              { priority: 1200, table: 200 },
            ],
            neighbours: [{ ifname: 'v0', dst: '10.1.0.7', state: 'absent' }],
          },
          { confirmWithin: 60_000, journal },
        );
        assert.ok(r.ok, r.failed?.error.message);
      }
      // The view closed unconfirmed: the journal stays. Written by the older version, it held numbers.
      const today = JSON.parse(readFileSync(journal, 'utf8')) as Journal;
      assert.ok(today.pre.rules.length >= 2 && today.pre.routes.length > 0);
      writeFileSync(journal, JSON.stringify(older(today)));
      await using db2 = await NetDB.open({ netns: ns.name });
      const rec = await db2.recover(journal);
      assert.ok(rec?.ok, rec?.rollbackErrors?.join('\n'));
      assert.deepEqual(stateDiff(before, await settledIpState(ns)), { gone: [], extra: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
