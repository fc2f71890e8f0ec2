// Mutation fuzzer for the decoder: real captured messages, corrupted in the ways wire data
// goes bad (bit flips, truncation, wrong length fields), must decode or fail with a typed error.
import { NetlinkDecodeError, type Marshal } from '../../src/core/index.js';
import { decodeBuffer } from '../../src/tools/decoder.js';
import { formatJSON, formatText } from '../../src/tools/format.js';

/** A small deterministic PRNG (xorshift32), so a failing case can be replayed by seed. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

const INTERESTING_U16 = [0, 1, 3, 4, 5, 8, 0x7fff, 0x8000, 0xffff, 0x8004];

/** One mutation of `src`. */
export function mutate(src: Buffer, r: () => number): Buffer {
  const b = Buffer.from(src);
  const pick = (n: number): number => Math.floor(r() * n);
  switch (pick(6)) {
    case 0: {
      // bit flips
      for (let i = 1 + pick(8); i > 0; i--) b[pick(b.length)] ^= 1 << pick(8);
      return b;
    }
    case 1: // truncation
      return b.subarray(0, pick(b.length));
    case 2: {
      // nlmsg_len of the first message
      b.writeUInt32LE([0, 4, 15, 16, 17, b.length - 1, b.length + 4, 0xffffffff][pick(8)] >>> 0, 0);
      return b;
    }
    case 3: {
      // an attribute-aligned u16 (an nla_len or nla_type, most likely)
      if (b.length < 20) return b;
      const at = 16 + 4 * pick(Math.floor((b.length - 18) / 4));
      b.writeUInt16LE(INTERESTING_U16[pick(INTERESTING_U16.length)], at + (pick(2) ? 2 : 0));
      return b;
    }
    case 4: {
      // random bytes over a span
      const at = pick(b.length),
        n = 1 + pick(16);
      for (let i = at; i < Math.min(b.length, at + n); i++) b[i] = pick(256);
      return b;
    }
    default: {
      // duplicate a chunk (grows nests past their parents)
      const at = pick(b.length),
        n = pick(Math.min(64, b.length - at) + 1);
      return Buffer.concat([b.subarray(0, at + n), b.subarray(at, at + n), b.subarray(at + n)]);
    }
  }
}

export interface FuzzResult {
  iterations: number;
  decoded: number;
  typedErrors: number;
  ms: number;
}

/**
 * Decode `iterations` mutations, fully (every attribute, strict and lenient, printed as text
 * and JSON). Throws the first exception that is not a NetlinkDecodeError, with its seed.
 */
export function fuzz(corpus: { buf: Buffer; marshal: Marshal }[], iterations: number, seed = 1): FuzzResult {
  const r = rng(seed);
  const t0 = performance.now();
  let decoded = 0,
    typedErrors = 0;
  for (let i = 0; i < iterations; i++) {
    const c = corpus[Math.floor(r() * corpus.length)];
    const input = mutate(c.buf, r);
    try {
      const d = decodeBuffer(input, c.marshal);
      formatText([d]);
      JSON.stringify(formatJSON([d]), (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
      for (const m of d.messages) {
        try {
          m.validate();
        } catch (e) {
          if (!(e instanceof NetlinkDecodeError)) throw e;
          typedErrors++;
        }
      }
      decoded++;
    } catch (e) {
      const err = e as Error;
      err.message = `fuzz iteration ${i} (seed ${seed}), input ${input.toString('hex')}: ${err.message}`;
      throw err;
    }
  }
  return { iterations, decoded, typedErrors, ms: performance.now() - t0 };
}
