// The set type table is built from one base (kind and dims from the name, element options and
// revisions from the extensions); test/fixtures/ipset/set-types.json is the table as it was
// written out type by type, which it must still equal entry for entry.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { SET_TYPES } from '../src/ipset/types.js';

const fixture = fileURLToPath(new URL('../../test/fixtures/ipset/set-types.json', import.meta.url));

test('ipset: the set type table equals the one written type by type', () => {
  const want = JSON.parse(readFileSync(fixture, 'utf8')) as unknown[];
  assert.equal(SET_TYPES.length, want.length);
  for (const [i, t] of SET_TYPES.entries()) assert.deepEqual(JSON.parse(JSON.stringify(t)), want[i], t.name);
});
