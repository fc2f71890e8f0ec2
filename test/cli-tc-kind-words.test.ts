// `nlroute tc` reads the kind options tc writes as bare words or multi-word clauses (cake's
// switches, hfsc's curves, flower's type/code, route's fromif DEV) into the library's spec.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { UsageError, Words } from '../src/tools/cli-args.js';
import { kindWord } from '../src/tools/tc-kind-words.js';

/** The spec the words after the kind make (KEY VALUE pairs for words no kind claims). */
async function specOf(kind: string, line: string): Promise<Record<string, unknown>> {
  const w = new Words(line.split(' '), 'tc test');
  const spec: Record<string, unknown> = {};
  const pending: Promise<unknown>[] = [];
  const ifindex = async (dev: string): Promise<number> => (dev === 'eth3' ? 3 : NaN);
  while (!w.done) {
    const word = w.take()!;
    if (!kindWord(kind, word, w, spec, ifindex, pending)) spec[word] = w.next(word);
  }
  await Promise.all(pending);
  return spec;
}

describe('nlroute tc kind grammar', () => {
  it("cake's bare words and presets", async () => {
    assert.deepEqual(
      await specOf('cake', 'bandwidth 100mbit diffserv4 triple-isolate nat nowash ack-filter split-gso lan raw egress'),
      {
        bandwidth: '100mbit',
        diffserv: 'diffserv4',
        flowmode: 'triple-isolate',
        nat: true,
        wash: false,
        ack_filter: 'ack-filter',
        split_gso: true,
        rtt: 'lan',
        raw: true,
        ingress: false,
      },
    );
  });

  it("hfsc's two curve forms", async () => {
    assert.deepEqual(await specOf('hfsc', 'sc m1 2mbit d 10ms m2 1mbit ul m2 5mbit'), {
      sc: { m1: '2mbit', d: '10ms', m2: '1mbit' },
      ul: { m2: '5mbit' },
    });
    assert.deepEqual(await specOf('hfsc', 'rt umax 1500b dmax 5ms rate 1mbit ls rate 500kbit'), {
      rt: { umax: '1500b', dmax: '5ms', rate: '1mbit' },
      ls: { rate: '500kbit' },
    });
    await assert.rejects(specOf('hfsc', 'rt m1 1mbit'), UsageError);
  });

  it("flower's type and code, route's fromif by name", async () => {
    assert.deepEqual(await specOf('flower', 'ip_proto icmp type 8 code 0'), {
      ip_proto: 'icmp',
      icmp_type: '8',
      icmp_code: '0',
    });
    assert.deepEqual(await specOf('route', 'fromif eth3 classid 1:3'), { fromif: 3, classid: '1:3' });
  });
});
