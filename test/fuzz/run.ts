// Long fuzz run from the command line: node dist/test/fuzz/run.js ITERATIONS [SEED]
import { fileURLToPath } from 'node:url';
import { loadCorpus } from './corpus.js';
import { fuzz } from './fuzzer.js';

const iterations = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.argv[3] ?? Date.now() & 0xffffffff);
const corpus = await loadCorpus(fileURLToPath(new URL('../../..', import.meta.url)));
const r = fuzz(corpus, iterations, seed);
console.log(
  `fuzz: ${r.iterations} mutations of ${corpus.length} captured buffers (seed ${seed}): ` +
    `${r.decoded} decoded, ${r.typedErrors} typed decode errors, no other exception, ${(r.ms / 1000).toFixed(1)} s ` +
    `(${Math.round(r.iterations / (r.ms / 1000))}/s)`,
);
