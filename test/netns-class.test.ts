// NetNS (an IPRoute in a named namespace) against the real kernel. Every namespace made here
// is removed in a finally; the host namespace is only read.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { Overrun } from '../src/core/index.js';
import { IPRoute } from '../src/rtnl/index.js';
import { NetNS, NetnsError } from '../src/netns/index.js';
import { assertOwnNamespace, removeNetnsNames, uniqNetnsName as uniq } from './helpers/netns-names.js';

const cleanup = removeNetnsNames;

const names = async (ipr: IPRoute): Promise<string[]> =>
  (await ipr.getLinks()).map((m) => m.getAttr('IFLA_IFNAME') as string).sort();
const hostLinks = await (async () => {
  const ipr = new IPRoute();
  try {
    return await names(ipr);
  } finally {
    ipr.close();
  }
})();

describe('NetNS', () => {
  it('opens a namespace made by ip netns add and sees only its lo', async () => {
    const name = uniq('ip');
    try {
      execFileSync('ip', ['netns', 'add', name]);
      const ns = new NetNS(name);
      try {
        assert.ok(ns instanceof IPRoute);
        assert.equal(ns.name, name);
        assert.equal(ns.path, `/var/run/netns/${name}`);
        assert.equal(ns.created, false);
        assert.deepEqual(await names(ns), ['lo']);
      } finally {
        ns.close();
      }
    } finally {
      cleanup([name]);
    }
    assertOwnNamespace();
  });

  it('several at once, each changing and seeing only its own interfaces', async () => {
    const list = [uniq('m'), uniq('m'), uniq('m'), uniq('m')];
    const open: NetNS[] = [];
    try {
      for (const n of list) open.push(new NetNS(n, { create: true }));
      assert.ok(open.every((ns) => ns.created));
      // Changes only inside the test namespaces, all in flight at the same time.
      await Promise.all(open.map((ns, i) => ns.link('add', { ifname: `nlrbr${i}`, kind: 'bridge' })));
      const seen = await Promise.all(open.map((ns) => names(ns)));
      seen.forEach((s, i) => assert.deepEqual(s, ['lo', `nlrbr${i}`]));
      // The same as an IPRoute with the netns option; iproute2 agrees.
      const ipr = new IPRoute({ netns: list[2] });
      try {
        assert.deepEqual(await names(ipr), ['lo', 'nlrbr2']);
      } finally {
        ipr.close();
      }
      const viaIp = JSON.parse(execFileSync('ip', ['-n', list[1], '-j', 'link'], { encoding: 'utf8' })) as {
        ifname: string;
      }[];
      assert.deepEqual(viaIp.map((l) => l.ifname).sort(), ['lo', 'nlrbr1']);
      // The host's links are untouched.
      const host = new IPRoute();
      try {
        assert.deepEqual(await names(host), hostLinks);
      } finally {
        host.close();
      }
    } finally {
      for (const ns of open) ns.close();
      cleanup(list);
    }
    assertOwnNamespace();
  });

  it('events come from its own namespace only', async () => {
    const [a, b] = [uniq('ev'), uniq('ev')];
    try {
      const na = new NetNS(a, { create: 'exclusive' });
      const nb = new NetNS(b, { create: 'exclusive' });
      try {
        const sub = na.events(['link']);
        try {
          await nb.link('add', { ifname: 'nlrother', kind: 'bridge' });
          await na.link('add', { ifname: 'nlrmine', kind: 'bridge' });
          for await (const ev of sub) {
            if (ev instanceof Overrun) continue;
            const ifname = (ev as { getAttr(n: string): unknown }).getAttr('IFLA_IFNAME');
            assert.notEqual(ifname, 'nlrother');
            if (ifname === 'nlrmine') break;
          }
        } finally {
          sub.close();
        }
        const found = await na.waitFor('link', { ifname: 'nlrmine' }, { timeout: 2000 });
        assert.equal(found.getAttr('IFLA_IFNAME'), 'nlrmine');
      } finally {
        na.close();
        nb.close();
      }
    } finally {
      cleanup([a, b]);
    }
    assertOwnNamespace();
  });

  it('create options, typed errors, exec/run/remove helpers', async () => {
    const name = uniq('opt');
    try {
      assert.throws(
        () => new NetNS(name),
        (e: NetnsError) => e instanceof NetnsError && e.code === 'ENOENT',
      );
      // A relative path is refused (it would be opened relative to the working directory).
      assert.throws(() => new NetNS('bad/name/'), { name: 'NetnsNameError', code: 'EINVAL' });
      assert.throws(
        () => new NetNS('/nonexistent/netns'),
        (e: NetnsError) => e instanceof NetnsError && e.code === 'ENOENT',
      );
      assert.throws(() => new NetNS(''), { name: 'NetnsNameError', code: 'EINVAL' });
      const first = new NetNS(name, { create: 'exclusive' });
      assert.equal(first.created, true);
      assert.throws(() => new NetNS(name, { create: 'exclusive' }), { name: 'NetnsError', code: 'EEXIST' });
      const second = new NetNS(name, { create: true });
      assert.equal(second.created, false);
      second.close();

      const r = await first.exec(['ip', '-j', 'link']);
      assert.deepEqual(
        (JSON.parse(r.stdout) as { ifname: string }[]).map((l) => l.ifname),
        ['lo'],
      );
      const r2 = await first.exec(['ip', '-j', 'link'], { via: 'ip' });
      assert.equal(r2.code, 0, r2.stderr);
      // run(): a plain IPRoute created inside lands in the namespace.
      const inside = await first.run(async () => {
        const ipr = new IPRoute();
        try {
          return await names(ipr);
        } finally {
          ipr.close();
        }
      });
      assert.deepEqual(inside, ['lo']);

      first.remove();
      assert.ok(!existsSync(`/var/run/netns/${name}`));
      assert.ok(!readFileSync('/proc/self/mountinfo', 'utf8').includes(`/netns/${name} `));
      await assert.rejects(first.getLinks(), { name: 'SocketClosedError' });
    } finally {
      cleanup([name]);
    }
    assertOwnNamespace();
  });

  it('many NetNS objects open and closed leak no fd', async () => {
    const list = Array.from({ length: 20 }, () => uniq('fd'));
    const before = readdirSync('/proc/self/fd').length;
    try {
      for (let round = 0; round < 3; round++) {
        const open = list.map((n) => new NetNS(n, { create: true }));
        try {
          const seen = await Promise.all(open.map((ns) => names(ns)));
          assert.ok(seen.every((s) => s.length === 1 && s[0] === 'lo'));
        } finally {
          for (const ns of open) ns.close();
        }
      }
    } finally {
      cleanup(list);
    }
    assert.equal(readdirSync('/proc/self/fd').length, before);
    assertOwnNamespace();
  });
});
