// Everything importable from the package root: constants, entry helpers, error classes, and
// every protocol's types (compiled by tsc with the tests; the values checked at run time).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  IFF,
  IPRange,
  IPSetError,
  IPSET_CMD,
  NetlinkError,
  NetnsError,
  PortEntry,
  PortRange,
  RTM,
  RTNLGRP,
  CTRL_CMD,
  Nl80211Error,
  TaskStatsNamespaceError,
  type AddrSpec,
  type GenlFamily,
  type IfinfMessage,
  type IPSetEntry,
  type IPSetHeader,
  type LinkSpec,
  type NeighSpec,
  type RouteSpec,
  type RtMessage,
  type TaskStatsRecord,
} from '../src/index.js';

test('constants, entry helpers and error classes come from the root', () => {
  assert.equal(RTM.RTM_NEWROUTE, 24);
  assert.equal(IFF.IFF_UP, 1);
  assert.equal(RTNLGRP.RTNLGRP_LINK, 1);
  assert.equal(IPSET_CMD.IPSET_CMD_CREATE, 2);
  assert.equal(CTRL_CMD.CTRL_CMD_GETFAMILY, 3);
  // Loaded with their protocol on first use.
  assert.ok(new Nl80211Error('NL80211_CMD_GET_WIPHY', 'phy 0', new NetlinkError(19)) instanceof NetlinkError);
  assert.ok(new TaskStatsNamespaceError('x') instanceof Error);
  assert.equal(String(new PortEntry(80, 'tcp')), 'tcp:80');
  assert.equal(String(new PortRange(1000, 2000, 'udp')), 'udp:1000-2000');
  assert.equal(String(new IPRange('192.0.2.1', '192.0.2.9')), '192.0.2.1-192.0.2.9');
  assert.ok(new IPSetError(2, 9) instanceof NetlinkError);
  assert.equal(new NetnsError('m', 'ENOENT', 2, 'x').netns, 'x');
});

test("every protocol's types come from the root", () => {
  // Type-level: these lines compile only if the root exports the types.
  const specs: [LinkSpec, AddrSpec, RouteSpec, NeighSpec] = [
    { ifname: 'v0' },
    { address: '10.0.0.1/24' },
    { dst: '10.0.0.0/8' },
    {},
  ];
  const none: [IfinfMessage?, RtMessage?, IPSetEntry?, IPSetHeader?, GenlFamily?, TaskStatsRecord?] = [];
  assert.equal(specs.length + none.length, 4);
});
