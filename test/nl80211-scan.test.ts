// IW.scan on a replayed kernel: scan notices are matched to the scan they belong to. A late
// SCAN_ABORTED of an earlier scan (sent before this scan's TRIGGER_SCAN notice) is ignored.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  NLM_F_DUMP_INTR,
  NLM_F_MULTI,
  NLM_F_REQUEST,
  NetlinkTimeoutError,
  ReplayTransport,
  type Exchange,
} from '../src/core/index.js';
import { ctrlmsg } from '../src/genl/index.js';
import { IW, NL80211_COMMANDS, ScanAbortedError, nl80211cmd } from '../src/nl80211/index.js';
import { ack, done } from './helpers/acks.js';

const sessionFile = new URL('../../test/fixtures/nl80211/session.json', import.meta.url);
const session = JSON.parse(readFileSync(sessionFile, 'utf8')) as { exchanges: { sent?: string; received: string[] }[] };
/** The recorded CTRL_CMD_GETFAMILY nl80211 exchange: family id and multicast groups. */
const getFamily: Exchange = {
  received: session.exchanges[0]!.received.map((r) => Buffer.from(r, 'hex')),
};
const familyId = ctrlmsg.decode(getFamily.received[0]!).getAttr('CTRL_ATTR_FAMILY_ID') as number;
const IFINDEX = 3;

/** A scan notice as the kernel multicasts it on the 'scan' group. */
function notice(cmd: keyof typeof NL80211_COMMANDS, ifindex = IFINDEX): Buffer {
  const spec = { type: familyId, fields: { cmd: NL80211_COMMANDS[cmd] }, attrs: { NL80211_ATTR_IFINDEX: ifindex } };
  return nl80211cmd.encode(spec as never);
}

/** Replays answers, and multicasts `events` right after the TRIGGER_SCAN request is sent. */
class ScanKernel extends ReplayTransport {
  constructor(private readonly events: Buffer[]) {
    super([getFamily, [ack(0)], [ack(0)], [done(0)]]);
  }

  override send(bufs: Buffer | readonly Buffer[]): void {
    const buf = Buffer.isBuffer(bufs) ? bufs : Buffer.concat(bufs as Buffer[]);
    super.send(buf);
    const isTrigger =
      buf.readUInt16LE(4) === familyId &&
      buf[16] === NL80211_COMMANDS.NL80211_CMD_TRIGGER_SCAN &&
      (buf.readUInt16LE(6) & NLM_F_REQUEST) !== 0;
    if (isTrigger) for (const e of this.events) this.inject(e);
  }
}

describe('IW.scan matches notices to its own scan', () => {
  it('a late SCAN_ABORTED of an earlier scan does not abort this one: it times out', async () => {
    await using iw = new IW({ transport: new ScanKernel([notice('NL80211_CMD_SCAN_ABORTED')]) });
    await assert.rejects(iw.scan(IFINDEX, { timeout: 200 }), (e: Error) => e instanceof NetlinkTimeoutError);
  });

  it('a late SCAN_ABORTED before this scan starts is skipped; its results are returned', async () => {
    const kernel = new ScanKernel([
      notice('NL80211_CMD_SCAN_ABORTED'),
      notice('NL80211_CMD_TRIGGER_SCAN'),
      notice('NL80211_CMD_NEW_SCAN_RESULTS'),
    ]);
    await using iw = new IW({ transport: kernel });
    assert.deepEqual(await iw.scan(IFINDEX, { timeout: 5000 }), []);
  });

  it('an abort after this scan started is a ScanAbortedError', async () => {
    const kernel = new ScanKernel([notice('NL80211_CMD_TRIGGER_SCAN'), notice('NL80211_CMD_SCAN_ABORTED')]);
    await using iw = new IW({ transport: kernel });
    await assert.rejects(iw.scan(IFINDEX, { timeout: 5000 }), (e: Error) => e instanceof ScanAbortedError);
  });

  it('notices of another interface are ignored', async () => {
    const kernel = new ScanKernel([
      notice('NL80211_CMD_TRIGGER_SCAN', 9),
      notice('NL80211_CMD_SCAN_ABORTED', 9),
      notice('NL80211_CMD_TRIGGER_SCAN'),
      notice('NL80211_CMD_NEW_SCAN_RESULTS'),
    ]);
    await using iw = new IW({ transport: kernel });
    assert.deepEqual(await iw.scan(IFINDEX, { timeout: 5000 }), []);
  });
});

describe('IW dumps are snapshots', () => {
  it('a dump the kernel marks interrupted (NLM_F_DUMP_INTR) is asked again, not failed', async () => {
    const bss = (flags: number) => {
      const spec = {
        type: familyId,
        fields: { cmd: NL80211_COMMANDS.NL80211_CMD_NEW_SCAN_RESULTS },
        attrs: { NL80211_ATTR_IFINDEX: IFINDEX },
      };
      return nl80211cmd.encode(spec as never, flags);
    };
    const kernel = new ReplayTransport([
      getFamily,
      [bss(NLM_F_MULTI | NLM_F_DUMP_INTR), done(0, NLM_F_MULTI | NLM_F_DUMP_INTR)],
      [bss(NLM_F_MULTI), done(0)],
    ]);
    await using iw = new IW({ transport: kernel });
    const got = await iw.getScan(IFINDEX);
    assert.equal(got.length, 1);
    assert.equal(kernel.sent.length, 3, 'GETFAMILY, the interrupted dump, the retry');
  });
});
