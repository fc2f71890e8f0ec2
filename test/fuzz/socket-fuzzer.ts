// Socket-path fuzzer: one request (the victim) gets a mutated answer while a second request
// (the innocent neighbour) is in flight on the same socket. The neighbour must always get its
// clean answer; the victim must end with its answer or a typed error, never anything else.
import {
  DumpInterruptedError,
  Marshal,
  NLMSG_HDRLEN,
  NLM_F_ACK,
  NLM_F_DUMP,
  NLM_F_MULTI,
  NetlinkDecodeError,
  NetlinkError,
  NetlinkSocket,
  type AnyMessage,
} from '../../src/core/index.js';
import { ack, done } from '../helpers/acks.js';
import { FakeKernel } from '../helpers/fake-kernel.js';
import { mutate, rng } from './fuzzer.js';
import { RTM_GETLINK, RTM_NEWLINK, link } from '../helpers/test-link.js';

/** Requests per socket before a fresh one (bounds what a run can leak). */
const PER_SOCKET = 1000;
const INNOCENT_INDEX = 42;

const linkMsg = (seq: number, index: number, flags = NLM_F_MULTI): Buffer =>
  link.encode({
    type: RTM_NEWLINK,
    flags,
    seq,
    fields: { index },
    attrs: { IFLA_IFNAME: `if${index}`, IFLA_MTU: 1500 },
  });

/** Answers a victim may get before mutation: replies, dumps, errors with extended ACK. */
export function answerSeeds(captured: readonly Buffer[] = []): Buffer[] {
  return [
    Buffer.concat([linkMsg(1, 1, 0), ack(1)]),
    Buffer.concat([linkMsg(1, 1), linkMsg(1, 2), done(1)]),
    Buffer.concat([linkMsg(1, 3), linkMsg(1, 4)]),
    ack(1, 17, 'Address already assigned'),
    ack(1, 22, 'Invalid argument: attribute type 3 has an invalid length'),
    ack(1),
    done(1),
    ...captured,
  ];
}

/** Every message header of a well-formed datagram now carries `seq`. */
function withSeq(src: Buffer, seq: number): Buffer {
  const b = Buffer.from(src);
  for (let p = 0; p + NLMSG_HDRLEN <= b.length; ) {
    const len = b.readUInt32LE(p);
    if (len < NLMSG_HDRLEN || p + len > b.length) break;
    b.writeUInt32LE(seq, p + 8);
    p += (len + 3) & ~3;
  }
  return b;
}

/** Whether the bytes hold `seq` anywhere: such a forgery is indistinguishable from an answer. */
function mentions(b: Buffer, seq: number): boolean {
  for (let i = 0; i + 4 <= b.length; i++) if (b.readUInt32LE(i) === seq) return true;
  return false;
}

export interface SocketFuzzResult {
  iterations: number;
  /** Neighbours that failed or got a wrong answer: must be 0. */
  innocentFailures: number;
  victimResolved: number;
  victimTypedErrors: number;
  /** Victims that ended with something other than an answer or a typed error: must be 0. */
  victimOtherErrors: number;
  /** Mutations that forged the neighbour's sequence number, not run. */
  skipped: number;
  firstFailure?: string;
  ms: number;
}

const typed = (e: unknown): boolean =>
  e instanceof NetlinkError || e instanceof NetlinkDecodeError || e instanceof DumpInterruptedError;

/** Run `iterations` victim/neighbour pairs with answers mutated from `seeds`. */
export async function fuzzSocket(seeds: readonly Buffer[], iterations: number, seed = 1): Promise<SocketFuzzResult> {
  const r = rng(seed);
  const pick = (n: number): number => Math.floor(r() * n);
  const res: SocketFuzzResult = {
    iterations,
    innocentFailures: 0,
    victimResolved: 0,
    victimTypedErrors: 0,
    victimOtherErrors: 0,
    skipped: 0,
    ms: 0,
  };
  const t0 = performance.now();
  let k = new FakeKernel(),
    sock = new NetlinkSocket({ transport: k, marshal: new Marshal({ [RTM_NEWLINK]: link }) });
  const fail = (what: string, i: number, input: Buffer, e: unknown): void => {
    const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    res.firstFailure ??= `iteration ${i} (seed ${seed}): ${what}: ${why}; ` + `victim answer ${input.toString('hex')}`;
  };
  for (let i = 0; i < iterations; i++) {
    if (i % PER_SOCKET === PER_SOCKET - 1) {
      sock.close();
      k = new FakeKernel();
      sock = new NetlinkSocket({ transport: k, marshal: new Marshal({ [RTM_NEWLINK]: link }) });
    }
    // Two dumps never run at once on a socket, so at most one of the pair is a dump.
    const shape = pick(3),
      victimDump = shape === 1,
      innocentDump = shape === 2;
    const sent = k.sent.length;
    const victim = sock.request(link, { type: RTM_GETLINK, flags: victimDump ? NLM_F_DUMP : NLM_F_ACK });
    const innocent = sock.request(link, { type: RTM_GETLINK, flags: innocentDump ? NLM_F_DUMP : NLM_F_ACK });
    const seqA = k.sent[sent].readUInt32LE(8),
      seqB = k.sent[sent + 1].readUInt32LE(8);
    let input = mutate(withSeq(seeds[pick(seeds.length)], seqA), r);
    for (let t = 0; t < 8 && mentions(input, seqB); t++) input = mutate(withSeq(seeds[pick(seeds.length)], seqA), r);
    const v = victim.then(
      () => 'ok' as const,
      (e: unknown) => e,
    );
    if (mentions(input, seqB)) {
      res.skipped++;
    } else {
      const how = pick(20);
      k.deliver(input, how === 0 ? { groups: 1 } : how === 1 ? { pid: 1 + pick(0xffff) } : {});
    }
    k.deliver(
      innocentDump
        ? Buffer.concat([linkMsg(seqB, INNOCENT_INDEX), linkMsg(seqB, INNOCENT_INDEX + 1), done(seqB)])
        : Buffer.concat([linkMsg(seqB, INNOCENT_INDEX, 0), ack(seqB)]),
    );
    // Whatever the mutation left open, an ACK ends the victim.
    k.deliver(ack(seqA));
    try {
      const got: AnyMessage[] = await innocent;
      const want = innocentDump ? [INNOCENT_INDEX, INNOCENT_INDEX + 1] : [INNOCENT_INDEX];
      const indexes = got.map((m) => (m.fields as { index: number }).index);
      if (indexes.join() !== want.join()) throw new Error(`wrong answer: indexes ${indexes.join()}`);
    } catch (e) {
      res.innocentFailures++;
      fail('neighbour failed', i, input, e);
    }
    const out = await v;
    if (out === 'ok') res.victimResolved++;
    else if (typed(out)) res.victimTypedErrors++;
    else {
      res.victimOtherErrors++;
      fail('victim got an untyped error', i, input, out);
    }
  }
  sock.close();
  res.ms = performance.now() - t0;
  return res;
}
