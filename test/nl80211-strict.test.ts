// IW's option objects are strict: an unknown key is refused before anything is sent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpecError, type Transport } from '../src/core/index.js';
import { IW } from '../src/nl80211/index.js';

/** A transport that only counts what would be sent (no kernel, no wireless needed). */
function counting(): Transport & { sent: number } {
  return {
    portId: 0,
    sent: 0,
    send() {
      this.sent++;
    },
    start() {},
    pause() {},
    resume() {},
    addMembership() {},
    dropMembership() {},
    close() {},
  };
}

test('IW refuses unknown option keys with a did-you-mean, sending nothing', async () => {
  const t = counting();
  const iw = new IW({ transport: t });
  try {
    const cases: [() => Promise<unknown>, string, string][] = [
      [() => iw.addInterface('w0', 'station', { mca: '02:00:00:00:00:01' } as never), 'mca', 'mac'],
      [() => iw.scan(3, { ssid: ['x'] } as never), 'ssid', 'ssids'],
      [() => iw.connect(3, 'net', null, { frq: 2412 } as never), 'frq', 'freq'],
      [() => iw.setFrequency(3, { freq: 2412, widht: '20' } as never), 'widht', 'width'],
      [() => iw.disconnect(3, { reasonCod: 3 } as never), 'reasonCod', 'reasonCode'],
      [() => iw.joinIbss(3, { ssid: 'x', freq: 2412, channelFixd: true } as never), 'channelFixd', 'channelFixed'],
    ];
    for (const [run, key, suggestion] of cases) {
      await assert.rejects(run(), (e: unknown) => {
        assert.ok(e instanceof SpecError, String(e));
        assert.equal(e.key, key);
        assert.equal(e.suggestion, suggestion);
        return true;
      });
    }
    assert.equal(t.sent, 0);
  } finally {
    iw.close();
  }
});
