// The message type and header flags of every link command, as iproute2 sends them: `ip link
// set` asks for no replace, the alternative-name commands have message types of their own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NLM_F_ACK, NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE, NLM_F_REQUEST } from '../src/core/index.js';
import { RTM } from '../src/rtnl/constants.js';
import { linkRequest, type LinkCmd } from '../src/rtnl/link.js';

const R = NLM_F_REQUEST | NLM_F_ACK;

test('rtnl link: each command has the type and flags iproute2 sends', () => {
  const want: [LinkCmd, number, number][] = [
    ['add', RTM.RTM_NEWLINK, R | NLM_F_CREATE | NLM_F_EXCL],
    ['replace', RTM.RTM_NEWLINK, R | NLM_F_CREATE | NLM_F_REPLACE],
    ['set', RTM.RTM_NEWLINK, R],
    ['del', RTM.RTM_DELLINK, R],
    ['get', RTM.RTM_GETLINK, NLM_F_REQUEST],
    ['property_add', RTM.RTM_NEWLINKPROP, R | NLM_F_CREATE | NLM_F_EXCL | NLM_F_APPEND],
    ['property_del', RTM.RTM_DELLINKPROP, R],
  ];
  for (const [cmd, type, flags] of want) {
    const { spec } = linkRequest(cmd, { index: 5, ifname: 'x0', altname: 'alt0' } as never);
    assert.deepEqual([spec.type, spec.flags], [type, flags], cmd);
  }
  for (const cmd of ['dump', 'change', 'nope'])
    assert.throws(() => linkRequest(cmd as LinkCmd, { index: 5 }), /unknown link command/, cmd);
});
