// The `netns` option of every socket-owning class: a name (no '/'), an absolute path or an
// fd. A relative path is refused (it would be opened relative to the working directory),
// and a namespace that does not exist is a typed error that names it.
import assert from 'node:assert/strict';
import { openSync, closeSync } from 'node:fs';
import { test } from 'node:test';
import { NetnsError, NetnsNameError } from '../src/netns/index.js';
import { run } from '../src/netns/index.js';
import { GenericNetlink } from '../src/genl/index.js';
import { IPSet } from '../src/ipset/index.js';
import { IPRoute } from '../src/rtnl/index.js';
import { TaskStats } from '../src/taskstats/index.js';
import { withNetns } from './helpers/netns.js';

const missing = `nlr-missing-${process.pid}`;
const makers: [string, (netns: string | number) => { close(): void }][] = [
  ['IPRoute', (netns) => new IPRoute({ netns })],
  ['IPSet', (netns) => new IPSet({ netns })],
  ['GenericNetlink', (netns) => new GenericNetlink({ netns })],
  ['TaskStats', (netns) => new TaskStats({ netns })],
];

test('a missing namespace is a NetnsError that names it', () => {
  for (const [cls, make] of makers) {
    assert.throws(
      () => make(missing),
      (e: unknown) => {
        assert.ok(e instanceof NetnsError, `${cls}: ${String(e)}`);
        assert.equal(e.code, 'ENOENT');
        assert.equal(e.netns, missing);
        assert.match(
          e.message,
          new RegExp(`network namespace "${missing}": it does not exist \\(/var/run/netns/${missing}\\)`),
        );
        return true;
      },
    );
  }
});

test('a relative path is refused before anything is opened', async () => {
  for (const bad of ['../../proc/self/ns/net', 'proc/self/ns/net', './x', '']) {
    for (const [cls, make] of makers) {
      assert.throws(
        () => make(bad),
        (e: unknown) => {
          assert.ok(e instanceof NetnsNameError, `${cls} ${bad}: ${String(e)}`);
          assert.match(e.message, bad ? /a name without '\/', an absolute path or an fd/ : /must not be empty/);
          return true;
        },
      );
    }
    if (bad) assert.throws(() => run(bad, () => 0), NetnsNameError);
  }
  // As the namespace a link moves to, too.
  await withNetns(async (ns) => {
    await using ipr = new IPRoute({ netns: ns.name });
    await assert.rejects(
      ipr.link('add', { ifname: 'e0', kind: 'veth', peer: 'e1', netns: '../x' } as never),
      NetnsNameError,
    );
    await assert.rejects(
      ipr.link('add', { ifname: 'e0', kind: 'veth', peer: 'e1', netns: missing } as never),
      NetnsError,
    );
  });
});

test('a name, an absolute path and an fd all work', async () => {
  await withNetns(async (ns) => {
    await ns.ip('link add e0 type veth peer name e1');
    const fd = openSync(`/var/run/netns/${ns.name}`, 'r');
    try {
      for (const netns of [ns.name, `/var/run/netns/${ns.name}`, fd]) {
        const ipr = new IPRoute({ netns });
        try {
          const names = (await ipr.getLinks()).map((l) => l.getAttr('IFLA_IFNAME')).sort();
          assert.deepEqual(names, ['e0', 'e1', 'lo'], String(netns));
        } finally {
          ipr.close();
        }
      }
    } finally {
      closeSync(fd);
    }
  });
});
