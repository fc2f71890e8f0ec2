// A misspelt enumeration name is refused naming the likely meaning, as a misspelt key is.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { routeRequest } from '../src/rtnl/route.js';
import { neighState } from '../src/rtnl/neigh.js';

it('a misspelt route table, scope or neighbour state names what was meant', () => {
  assert.throws(() => routeRequest('add', { dst: '10.9.0.0/16', oif: 2, table: 'mian' }), {
    name: 'TypeError',
    message: /unknown table "mian" \(did you mean "main"\?\)/,
  });
  assert.throws(() => neighState('permanet'), /unknown neighbour state "permanet" \(did you mean "permanent"\?\)/);
  // Nothing close: the list alone.
  assert.throws(
    () => neighState('zzzzzzzz'),
    (e: Error) => !/did you mean/.test(e.message) && /noarp/.test(e.message),
  );
});
