// Mutated answers to one request while a clean one is in flight: the neighbour never fails.
// A longer run: `node dist/test/fuzz/socket-run.js 1000000 [seed]`.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { loadCorpus } from './fuzz/corpus.js';
import { answerSeeds, fuzzSocket } from './fuzz/socket-fuzzer.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

it('keeps the innocent neighbour of 20,000 mutated answers whole', { timeout: 300_000 }, async () => {
  const corpus = await loadCorpus(root);
  const r = await fuzzSocket(answerSeeds(corpus.map((c) => c.buf)), 20_000, 0x50c7);
  assert.equal(r.innocentFailures, 0, r.firstFailure);
  assert.equal(r.victimOtherErrors, 0, r.firstFailure);
  assert.ok(r.victimTypedErrors > 1000, `typed errors seen: ${r.victimTypedErrors}`);
  assert.ok(r.skipped < r.iterations / 100, `skipped ${r.skipped}`);
});
