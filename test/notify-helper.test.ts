// The test NOTIFY_SOCKET listener waits for its child to bind or to fail, never for a fixed
// time: on a loaded machine a python start took longer than the 5 s it used to wait.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { NotifyListener } from './helpers/notify.js';

it('a notify listener that cannot bind says why, at once', async () => {
  await assert.rejects(NotifyListener.open('/nonexistent-dir/notify.sock'), (e: Error) => {
    assert.match(e.message, /exited \(1\) before binding/);
    assert.match(e.message, /No such file or directory/);
    return true;
  });
});
