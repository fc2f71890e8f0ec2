// ipset specs are strict: an unknown key in create/add options is refused before anything is
// sent, naming the key, the allowed keys and a did-you-mean; a wrong etype is said plainly.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { SpecError } from '../src/core/index.js';
import { IPSet, IPSetSyntaxError } from '../src/ipset/index.js';
import { withNetns } from './helpers/netns.js';

const ipset = (ns: string, ...args: string[]): string =>
  execFileSync('ip', ['netns', 'exec', ns, 'ipset', ...args], { encoding: 'utf8' });

test('create refuses an unknown key (counter: true made a set without counters)', async () => {
  await withNetns(async (ns) => {
    await using s = new IPSet({ netns: ns.name });
    await assert.rejects(s.create('c', { stype: 'hash:ip', counter: true } as never), (e: unknown) => {
      assert.ok(e instanceof SpecError, String(e));
      assert.equal(e.key, 'counter');
      assert.equal(e.suggestion, 'counters');
      assert.ok(e.allowed.includes('counters') && e.allowed.includes('maxelem'));
      assert.match(e.message, /unknown key "counter" \(did you mean counters\?\); allowed: .*counters/);
      return true;
    });
    assert.equal(ipset(ns.name, 'list', '-n'), '', 'nothing was created');
    await assert.rejects(
      s.create('c', { counters: 'yes' } as never),
      /counters must be true or false, got the string "yes"/,
    );
    await s.create('c', { stype: 'hash:ip', counters: true });
    assert.match(ipset(ns.name, 'list', 'c'), /counters/);
  });
});

test('add, delete, test and addMany refuse unknown keys (comentt was ignored)', async () => {
  await withNetns(async (ns) => {
    await using s = new IPSet({ netns: ns.name });
    await s.create('c', { stype: 'hash:ip', comment: true });
    for (const run of [
      () => s.add('c', '10.0.0.1', { comentt: 'x' } as never),
      () => s.delete('c', '10.0.0.1', { comentt: 'x' } as never),
      () => s.test('c', '10.0.0.1', { comentt: 'x' } as never),
      () => s.addMany('c', ['10.0.0.1'], { comentt: 'x' } as never),
    ]) {
      await assert.rejects(
        run(),
        (e: unknown) => e instanceof SpecError && e.key === 'comentt' && e.suggestion === 'comment',
      );
    }
    assert.doesNotMatch(ipset(ns.name, 'list', 'c'), /10\.0\.0\.1/);
    await s.add('c', '10.0.0.1', { comment: 'x' });
    assert.match(ipset(ns.name, 'list', 'c'), /10\.0\.0\.1 comment "x"/);
  });
});

test('a wrong etype says so instead of "ipset protocol error"', async () => {
  await withNetns(async (ns) => {
    await using s = new IPSet({ netns: ns.name });
    await s.create('h', { stype: 'hash:ip' });
    await assert.rejects(s.add('h', '10.0.0.1,80', { etype: 'ip,port' }), (e: unknown) => {
      assert.ok(e instanceof IPSetSyntaxError, String(e));
      assert.equal(
        e.message,
        "Syntax error: etype 'ip,port' does not match set h: its type hash:ip takes elements of type 'ip'",
      );
      return true;
    });
    await assert.rejects(s.add('h', '10.0.0.1', { etype: 'bogus' as never }), /unknown element type 'bogus'/);
  });
});
