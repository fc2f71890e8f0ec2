// close() with many changes queued behind the in-flight limit, on the real kernel: only the
// requests sent before close() reach it.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  NETLINK_ROUTE,
  NativeTransport,
  NetlinkSocket,
  RecordingTransport,
  SocketClosedError,
} from '../src/core/index.js';
import { addrRequest, rtnlMarshal } from '../src/rtnl/index.js';
import { withNetns } from './helpers/netns.js';

it('close() sends none of the requests still queued', () =>
  withNetns(async (ns) => {
    const rec = new RecordingTransport(new NativeTransport(NETLINK_ROUTE, { netns: ns.name }));
    const sock = new NetlinkSocket({ transport: rec, marshal: rtnlMarshal() });
    const all = [];
    for (let i = 0; i < 1000; i++) {
      const { schema, spec } = addrRequest('add', { index: 1, address: `10.${i >> 8}.${i & 255}.1/32` });
      all.push(
        sock.request(schema, spec).then(
          () => 'ok',
          (e: unknown) => e,
        ),
      );
    }
    const before = rec.exchanges.length;
    sock.close();
    const results = await Promise.all(all);
    assert.equal(rec.exchanges.length, before, 'requests sent during close()');
    assert.ok(results.every((r) => r instanceof SocketClosedError));
    const addrs = (await ns.json<{ addr_info: unknown[] }[]>('addr show dev lo'))[0].addr_info.length;
    assert.ok(addrs <= before, `${addrs} addresses in the kernel, ${before} requests sent before close()`);
  }));
