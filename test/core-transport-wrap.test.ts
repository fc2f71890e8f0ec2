// Transport wrappers (recording, the taskstats exit tap) forward everything they do not change,
// socket options included: a socket sizes its buffers only when its transport has setOption.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  NETLINK_ROUTE,
  NativeTransport,
  RecordingTransport,
  ReplayTransport,
  SOL_SOCKET,
  SO_RCVBUF,
  SO_RCVBUFFORCE,
  setBufferSize,
} from '../src/core/index.js';
import { withNetns } from './helpers/netns.js';

describe('transport wrappers', () => {
  it('a recording transport over the kernel socket has its socket options', () =>
    withNetns(async (ns) => {
      const inner = new NativeTransport(NETLINK_ROUTE, { netns: ns.name });
      const rec = new RecordingTransport(inner);
      try {
        assert.equal(typeof rec.setOption, 'function', 'setOption is forwarded');
        setBufferSize(rec, SO_RCVBUFFORCE, SO_RCVBUF, 1 << 20);
        // The kernel doubles the value it is given (socket(7)).
        assert.equal(rec.getOption?.(SOL_SOCKET, SO_RCVBUF), 2 << 20);
        assert.equal(inner.getOption(SOL_SOCKET, SO_RCVBUF), 2 << 20);
      } finally {
        rec.close();
      }
    }));

  it('a wrapper over a transport without options has none either', () => {
    const rec = new RecordingTransport(new ReplayTransport([]));
    assert.equal(rec.setOption, undefined);
    assert.equal(rec.getOption, undefined);
    rec.close();
  });
});
