// Peer namespace ids against the real kernel, always read and set inside a viewing test
// namespace (never in the host's). Every namespace is removed in a finally.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { describe, it } from 'node:test';

import * as netns from '../src/netns/index.js';
import {
  getNsid,
  listNsids,
  setNsid,
  watchNsid,
  RTM_DELNSID,
  RTM_NEWNSID,
  type NsidMessage,
} from '../src/netns/nsid.js';
import { Overrun } from '../src/core/index.js';
import { ownNs, removeNetnsNames, uniqNetnsName as uniq } from './helpers/netns-names.js';

const cleanup = removeNetnsNames;

/** The next nsid event that matches, or a timeout. */
async function nextEvent(
  it: AsyncIterator<NsidMessage | Overrun>,
  match: (m: NsidMessage) => boolean,
  ms = 5000,
): Promise<NsidMessage> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error('no matching nsid event');
    let timer: NodeJS.Timeout | undefined;
    const r = await Promise.race([
      it.next(),
      new Promise<never>((_, rej) => {
        timer = setTimeout(() => rej(new Error('no matching nsid event')), left);
      }),
    ]);
    clearTimeout(timer);
    if (r.done) throw new Error('subscription ended');
    if (!(r.value instanceof Overrun) && match(r.value)) return r.value;
  }
}

describe('nsid', () => {
  it('get, set, list and events, interoperable with ip netns set/list-id', async () => {
    const [a, b, c, d] = [uniq('view'), uniq('pb'), uniq('pc'), uniq('pd')];
    const all = [a, b, c, d];
    try {
      for (const n of all) netns.create(n);
      const sub = watchNsid({ in: a });
      try {
        assert.equal(await getNsid(b, { in: a }), undefined);
        assert.equal(await setNsid(b, 7, { in: a }), 7);
        assert.equal(await getNsid(b, { in: a }), 7);
        const ev = await nextEvent(sub, (m) => m.type === RTM_NEWNSID && m.getAttr('NETNSA_NSID') === 7);
        assert.equal(ev.getAttr('NETNSA_NSID'), 7);

        // iproute2 sees our id, and we see its ids.
        const listed = execFileSync('ip', ['-n', a, 'netns', 'list-id'], { encoding: 'utf8' });
        assert.match(listed, new RegExp(`nsid 7 \\(iproute2 netns name: ${b}\\)`));
        execFileSync('ip', ['-n', a, 'netns', 'set', c, '5']);
        assert.equal(await getNsid(c, { in: a }), 5);

        // Taken ids and peers that already have one are EEXIST.
        await assert.rejects(setNsid(d, 7, { in: a }), { name: 'NetnsError', code: 'EEXIST' });
        await assert.rejects(setNsid(b, 8, { in: a }), { name: 'NetnsError', code: 'EEXIST' });
        const auto = await setNsid(d, 'auto', { in: a });
        assert.ok(Number.isInteger(auto) && auto >= 0 && auto !== 7 && auto !== 5);
        assert.deepEqual(
          (await listNsids({ in: a })).sort((x, y) => x - y),
          [5, 7, auto].sort((x, y) => x - y),
        );

        // run() makes `a` the default viewer.
        assert.equal(await netns.run(a, () => getNsid(b)), 7);

        // A peer that dies loses its id: RTM_DELNSID.
        netns.remove(b);
        const del = await nextEvent(sub, (m) => m.type === RTM_DELNSID && m.getAttr('NETNSA_NSID') === 7);
        assert.equal(del.getAttr('NETNSA_NSID'), 7);
      } finally {
        sub.close();
      }
    } finally {
      cleanup(all);
    }
    assert.equal(readlinkSync('/proc/self/ns/net'), ownNs);
  });

  it('errors are typed', async () => {
    const a = uniq('err');
    try {
      netns.create(a);
      await assert.rejects(getNsid(uniq('missing'), { in: a }), { name: 'NetnsError', code: 'ENOENT' });
      await assert.rejects(getNsid(a, { in: uniq('missing') }), { name: 'NetnsError', code: 'ENOENT' });
      await assert.rejects(setNsid(a, -5, { in: a }), { code: 'EINVAL' });
      await assert.rejects(setNsid(a, 1.5, { in: a }), { code: 'EINVAL' });
      await assert.rejects(getNsid('a/../b'), { name: 'NetnsNameError', code: 'EINVAL' });
      await assert.rejects(getNsid('/nonexistent/b'), { code: 'ENOENT' });
      await assert.rejects(getNsid(''), { name: 'NetnsNameError' });
    } finally {
      cleanup([a]);
    }
  });
});
