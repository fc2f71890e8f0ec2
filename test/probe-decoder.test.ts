// The decoder on what a new user captures first: `strace -e trace=network -xx -s 4096 ip ...`.
// strace 6 prints netlink buffers decoded by itself, without their bytes; the decoder used to
// report "0 messages decoded, 0 errors" and exit 0.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { decodeStrace } from '../src/tools/decoder.js';
import '../src/rtnl/index.js';

const cli = fileURLToPath(new URL('../src/tools/cli.js', import.meta.url));
const log = fileURLToPath(new URL('../../test/fixtures/strace/ip-addr-add-decoded-by-strace.log', import.meta.url));

describe('decode --strace on a log strace decoded itself', () => {
  it('reports each netlink transfer without bytes, and how to record them', () => {
    const items = decodeStrace(readFileSync(log, 'utf8'));
    assert.ok(items.length >= 4, `${items.length} items`);
    for (const d of items) {
      assert.equal(d.messages.length, 0);
      assert.match(d.error?.message ?? '', /strace printed its own decoding/);
      assert.match(d.error?.message ?? '', /-e write=all -e read=all/);
    }
  });

  it('the command says so and exits 1', () => {
    const r = spawnSync('node', [cli, 'decode', '--strace', log], { encoding: 'utf8' });
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /-e write=all -e read=all/);
    assert.doesNotMatch(r.stdout, / 0 errors/);
  });
});
