// Nested spec objects are as strict as the specs holding them, and ipset iface parts take an
// interface by index as every other interface reference does. Each case is a call a new user
// writes; before the fix each one was sent with the stray key ignored, or refused by name only.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { NetlinkError, SpecError } from '../src/core/index.js';
import { IPSet } from '../src/ipset/index.js';
import { IPRoute } from '../src/rtnl/index.js';
import { withNetns, type TestNetns } from './helpers/netns.js';

const ipset = (ns: string, ...args: string[]): string =>
  execFileSync('ip', ['netns', 'exec', ns, 'ipset', ...args], { encoding: 'utf8' });

/** A SpecError for `key` (its last path part) with `suggestion` as the did-you-mean. */
const specError =
  (key: string, suggestion?: string) =>
  (e: unknown): boolean => {
    assert.ok(e instanceof SpecError, String(e));
    assert.ok(e.key.endsWith(key), `${e.key} should end with ${key}`);
    assert.equal(e.suggestion, suggestion);
    assert.ok(e.allowed.length > 0, 'the allowed keys are listed');
    if (suggestion) assert.match(e.message, new RegExp(`did you mean ${suggestion}\\?`));
    return true;
  };

test('ipset: an unknown key inside an element given as fields is refused, nothing added', async () => {
  await withNetns(async (ns) => {
    await using s = new IPSet({ netns: ns.name });
    await s.create('p', { stype: 'hash:ip,port', timeout: 600 });
    await assert.rejects(s.add('p', { ip: '10.0.0.1', port: 80, prot: 'udp' } as never), specError('prot', 'proto'));
    await assert.rejects(s.add('p', { ip: '10.0.0.1', port: 80, timout: 5 } as never), specError('timout', 'timeout'));
    await assert.rejects(s.test('p', { ip: '10.0.0.1', port: 80, prot: 'udp' } as never), specError('prot', 'proto'));
    await assert.rejects(
      s.addMany('p', [{ ip: '10.0.0.2', port: 80 }, { ip: '10.0.0.3', port: 80, timout: 5 } as never]),
      specError('timout', 'timeout'),
    );
    assert.doesNotMatch(ipset(ns.name, 'list', 'p'), /10\.0\.0\.[123]/, 'nothing was added');
    // The right keys, and a listed entry's record fed back, still work.
    await s.add('p', { ip: '10.0.0.1', port: 53, proto: 'udp', timeout: 100 });
    const [set] = await s.list('p');
    const rec = set.entries[0].record();
    await s.delete('p', rec);
    await s.add('p', rec);
    assert.equal(await s.test('p', set.entries[0]), true);
    assert.match(ipset(ns.name, 'list', 'p'), /10\.0\.0\.1,udp:53/);
  });
});

/** The index of an interface inside the namespace. */
async function indexOf(ns: TestNetns, name: string): Promise<number> {
  const [l] = await ns.json(`link show ${name}`);
  return l.ifindex;
}

test('ipset: an iface part takes an interface by index, resolved in the set namespace', async () => {
  await withNetns(async (ns) => {
    await ns.ip('link add v0 type veth peer name v1');
    const v0 = await indexOf(ns, 'v0');
    await using s = new IPSet({ netns: ns.name });
    await s.create('n', { stype: 'hash:net,iface' });
    await s.add('n', ['10.1.0.0/16', v0]);
    await s.add('n', { ip: '10.2.0.0', cidr: 16, iface: v0 });
    const r = await s.addMany('n', [['10.3.0.0/16', 1], '10.4.0.0/16,v1']);
    assert.equal(r.errors.length, 0, JSON.stringify(r.errors));
    assert.equal(await s.test('n', ['10.1.0.0/16', v0]), true);
    const out = ipset(ns.name, 'list', 'n');
    for (const line of ['10.1.0.0/16,v0', '10.2.0.0/16,v0', '10.3.0.0/16,lo', '10.4.0.0/16,v1'])
      assert.ok(out.includes(line), `${line} in\n${out}`);
    // An index with no interface: a typed error naming it, nothing sent.
    await assert.rejects(s.add('n', ['10.5.0.0/16', 999]), (e: unknown) => {
      assert.ok(e instanceof NetlinkError, String(e));
      assert.equal(e.code, 'ENODEV');
      assert.match(e.message, /set n: no interface with index 999/);
      return true;
    });
    await assert.rejects(s.add('n', ['10.5.0.0/16', -1]), /interface index -1 is not a positive integer/);
    assert.doesNotMatch(ipset(ns.name, 'list', 'n'), /10\.5\.0\.0/);
  });
});

/** Run `body` with an IPRoute in a namespace holding v0 (10.0.0.1/24, up) and its peer. */
async function withLinks(body: (ipr: IPRoute, ns: TestNetns) => Promise<void>): Promise<void> {
  await withNetns(async (ns) => {
    await ns.batch([
      'link add v0 type veth peer name v1',
      'link set v0 up',
      'link set v1 up',
      'addr add 10.0.0.1/24 dev v0',
    ]);
    await using ipr = new IPRoute({ netns: ns.name });
    await body(ipr, ns);
  });
}

test('route: unknown keys inside encap and via objects are refused, nothing created', async () => {
  await withLinks(async (ipr, ns) => {
    const encap = { type: 'mpls', labels: '100', tll: 3 };
    await assert.rejects(ipr.route('add', { dst: '10.9.1.0/24', oif: 'v0', encap } as never), specError('tll', 'ttl'));
    await assert.rejects(
      ipr.route('add', { dst: '10.9.2.0/24', oif: 'v0', encap: { type: 'mpls', labls: '100' } } as never),
      specError('labls', 'labels'),
    );
    await assert.rejects(
      ipr.route('add', { dst: '10.9.3.0/24', oif: 'v0', encap: { type: 'seg6', segs: ['fc00::1'], sgs: 1 } } as never),
      specError('sgs', 'segs'),
    );
    await assert.rejects(
      ipr.route('add', { dst: '10.9.4.0/24', oif: 'v0', encap: { type: 'ip', attrs: [], atrs: [] } } as never),
      specError('atrs', 'attrs'),
    );
    await assert.rejects(
      ipr.route('add', { dst: '10.9.5.0/24', oif: 'v0', via: { family: 'inet', addr: '10.0.0.2', adr: 1 } } as never),
      specError('adr', 'addr'),
    );
    await assert.rejects(
      ipr.route('add', {
        dst: '10.9.6.0/24',
        multipath: [{ oif: 'v0', via: { family: 'inet', addr: '10.0.0.2', famly: 'inet' } }],
      } as never),
      specError('famly', 'family'),
    );
    await assert.rejects(
      ipr.route('add', {
        dst: '10.9.7.0/24',
        multipath: [{ gateway: '10.0.0.2', encap: { type: 'mpls', labels: '5', tll: 2 } }],
      } as never),
      specError('tll', 'ttl'),
    );
    assert.doesNotMatch(await ns.ip('route show'), /10\.9\./, 'no route was created');
  });
});

test('rule: unknown keys inside range objects are refused', async () => {
  await withLinks(async (ipr, ns) => {
    await assert.rejects(
      ipr.rule('add', { priority: 50, table: 10, uidRange: { start: 1, ned: 5 } } as never),
      specError('ned', 'end'),
    );
    await assert.rejects(
      ipr.rule('add', { priority: 51, table: 10, ipProto: 'tcp', sportRange: { start: 1, end: 5, strat: 1 } } as never),
      specError('strat', 'start'),
    );
    assert.doesNotMatch(await ns.ip('rule show'), /^5[01]:/m);
    await ipr.rule('add', { priority: 52, table: 10, uidRange: { start: 1, end: 5 } });
    assert.match(await ns.ip('rule show'), /^52:.*uidrange 1-5/m);
  });
});

test('nexthop: unknown keys, at the top and inside group members, are refused with a did-you-mean', async () => {
  await withLinks(async (ipr, ns) => {
    await ipr.nexthop('add', { id: 1, gateway: '10.0.0.2', oif: 'v0' });
    await assert.rejects(
      ipr.nexthop('add', { id: 2, gatway: '10.0.0.3', oif: 'v0' } as never),
      specError('gatway', 'gateway'),
    );
    await assert.rejects(
      ipr.nexthop('add', { id: 5, group: [{ id: 1, wieght: 2 }] } as never),
      specError('wieght', 'weight'),
    );
    assert.doesNotMatch(await ns.ip('nexthop show'), /id [25] /);
    await ipr.nexthop('add', { id: 5, group: [{ id: 1, weight: 2 }] });
    assert.match(await ns.ip('nexthop show id 5'), /group 1,2/);
  });
});

test('link: an unknown key inside a struct-valued kind option is refused', async () => {
  await withLinks(async (ipr, ns) => {
    await assert.rejects(
      ipr.link('add', { ifname: 'vx0', kind: 'vxlan', vxlanId: 5, vxlanPortRange: { low: 1000, hgh: 2000 } } as never),
      specError('hgh', 'high'),
    );
    assert.doesNotMatch(await ns.ip('link show'), /vx0/);
    await ipr.link('add', { ifname: 'vx0', kind: 'vxlan', vxlanId: 5, vxlanPortRange: { low: 1000, high: 2000 } });
    assert.match(await ns.ip('-d link show vx0'), /srcport 1000 2000/);
  });
});
