// Long socket-path fuzz run: node dist/test/fuzz/socket-run.js ITERATIONS [SEED]
import { fileURLToPath } from 'node:url';
import { loadCorpus } from './corpus.js';
import { answerSeeds, fuzzSocket } from './socket-fuzzer.js';

const iterations = Number(process.argv[2] ?? 200_000);
const seed = Number(process.argv[3] ?? Date.now() & 0xffffffff);
const corpus = await loadCorpus(fileURLToPath(new URL('../../..', import.meta.url)));
const r = await fuzzSocket(answerSeeds(corpus.map((c) => c.buf)), iterations, seed);
console.log(
  `socket fuzz: ${r.iterations} mutated answers beside a clean request (seed ${seed}): ` +
    `${r.innocentFailures} neighbour failures, victims ${r.victimResolved} answered / ` +
    `${r.victimTypedErrors} typed errors / ` +
    `${r.victimOtherErrors} other, ${r.skipped} skipped (forged the neighbour's seq), ${(r.ms / 1000).toFixed(1)} s`,
);
if (r.firstFailure) console.log(`first failure: ${r.firstFailure}`);
process.exitCode = r.innocentFailures || r.victimOtherErrors ? 1 : 0;
