// The VM tests stop hostapd by the pid in its pid file. hostapd -B's parent exits before its
// child writes that file; reading it empty gave pid 0, and kill(0) signalled the whole test run.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readPid } from './wireless/nl80211-helpers.js';

describe('pid files of daemons the VM tests start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nlr-pid-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };

  it('a missing, empty or half-written file is no pid yet', () => {
    assert.equal(readPid(join(dir, 'absent')), undefined);
    assert.equal(readPid(file('empty', '')), undefined);
    assert.equal(readPid(file('nl', '\n')), undefined);
    assert.equal(readPid(file('junk', '12x\n')), undefined);
  });

  it('pid 0 and 1 are never returned: kill(0) signals our own process group, 1 is init', () => {
    assert.equal(readPid(file('zero', '0\n')), undefined);
    assert.equal(readPid(file('one', '1\n')), undefined);
    assert.equal(readPid(file('neg', '-5\n')), undefined);
  });

  it('a written pid file gives its pid', () => {
    assert.equal(readPid(file('ok', '4242\n')), 4242);
  });
});
