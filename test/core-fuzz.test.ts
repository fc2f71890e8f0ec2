// 100,000 corrupted real messages through the decoder: decoded or a typed error, nothing else.
// A longer run: `node dist/test/fuzz/run.js 5000000 [seed]`.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { loadCorpus } from './fuzz/corpus.js';
import { fuzz } from './fuzz/fuzzer.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

it('survives 100,000 mutations of real captured messages', { timeout: 300_000 }, async () => {
  const corpus = await loadCorpus(root);
  assert.ok(corpus.length >= 20, `corpus of ${corpus.length} captured buffers`);
  const r = fuzz(corpus, 100_000, 0x5eed);
  assert.equal(r.decoded, 100_000);
  assert.ok(r.typedErrors > 1000, `typed errors seen: ${r.typedErrors}`);
});
