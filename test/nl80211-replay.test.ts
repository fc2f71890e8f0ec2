// Real kernel answers recorded in the VM (test/fixtures/nl80211/record.mjs), replayed through
// IW on the host: the decoders on real split wiphy dumps, scan results, stations, survey, regdomain.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { AttrSet, ReplayTransport } from '../src/core/index.js';
import { IW, bssInfo, interfaceInfo, regDomainInfo, stationInfo, surveyInfo, wiphyInfo } from '../src/nl80211/index.js';

const fixture = JSON.parse(
  readFileSync(new URL('../../test/fixtures/nl80211/session.json', import.meta.url), 'utf8'),
) as { exchanges: { sent?: string; received: string[] }[] };
const exchanges = fixture.exchanges.map((x) => ({
  sent: x.sent ? Buffer.from(x.sent, 'hex') : undefined,
  received: x.received.map((r) => Buffer.from(r, 'hex')),
}));

/** Attributes anywhere in a message that decode with an error or only as hex (not modelled). */
function gaps(set: AttrSet<any>, path = ''): string[] {
  const out: string[] = [];
  const visit = (v: unknown, p: string): void => {
    if (v instanceof AttrSet) out.push(...gaps(v, p));
    else if (Array.isArray(v)) v.forEach((x) => visit(x, p));
    else if (v instanceof Map) for (const x of v.values()) visit(x, p);
  };
  for (const e of set.entries(false)) {
    const p = `${path}/${e.name}`;
    if (e.error) out.push(`${p}: ${e.error.message}`);
    else if (!e.type || e.type.kind === 'hex') out.push(`${p}: hex`);
    visit(e.value, p);
  }
  return out;
}

describe('nl80211 decoders on recorded kernel answers', () => {
  it('every attribute the kernel sent in the session has a typed decoder (no hex, no errors)', async () => {
    await using iw = new IW({ transport: new ReplayTransport(exchanges) });
    const all = [
      ...(await iw.listDev()),
      await iw.getWiphy(0),
      ...(await iw.getScan(3)),
      ...(await iw.getStations(2)),
      ...(await iw.getStations(3)),
      ...(await iw.survey(3)),
      ...(await iw.getRegulatoryDomain()),
    ];
    assert.ok(all.length >= 8, `${all.length} messages`);
    assert.deepEqual([...new Set(all.flatMap((m) => gaps(m)))], []);
  });

  it('interfaces, phy0, scan cache, stations, survey and regdomain decode fully', async () => {
    await using iw = new IW({ transport: new ReplayTransport(exchanges) });
    const devs = (await iw.listDev()).map(interfaceInfo);
    const byName = new Map(devs.map((d) => [d.ifname, d]));
    assert.equal(byName.get('wlan0')?.type, 'ap');
    assert.equal(byName.get('wlan0_1')?.type, 'ap');
    assert.deepEqual(
      [byName.get('wlan1')?.type, byName.get('wlan1')?.ssid, byName.get('wlan1')?.frequency],
      ['station', 'nlr-open', 2412],
    );
    assert.equal(byName.get('wlan0')?.channelWidth, '20');

    const phy = await iw.getWiphy(0);
    phy.validate();
    const w = wiphyInfo(phy);
    assert.equal(w.name, 'phy0');
    const g = w.bands.find((b) => b.name === '2GHz')!;
    assert.deepEqual(
      g.frequencies.map((f) => f.mhz),
      [2412, 2417, 2422, 2427, 2432, 2437, 2442, 2447, 2452, 2457, 2462, 2467, 2472, 2484],
    );
    assert.equal(g.frequencies[0].maxTxPowerDbm, 20);
    assert.deepEqual(
      g.bitrates.map((r) => r.mbps),
      [1, 2, 5.5, 11, 6, 9, 12, 18, 24, 36, 48, 54],
    );
    assert.ok(g.ht && g.he.length > 0);
    assert.ok(w.bands.find((b) => b.name === '5GHz')?.vht);
    assert.ok(w.supportedIftypes.includes('monitor') && w.supportedIftypes.includes('adhoc'));
    assert.ok(w.cipherSuites.includes('CCMP') && w.commands.includes('CONNECT'));
    assert.ok(w.interfaceCombinations[0].limits.length > 0);

    const bss = (await iw.getScan(3)).map((m) => bssInfo(m)!);
    const open = bss.find((b) => b.ssid === 'nlr-open')!,
      wpa = bss.find((b) => b.ssid === 'nlr-wpa2')!;
    assert.deepEqual([open.status, open.frequency, open.channel, open.rsn], ['associated', 2412, 1, undefined]);
    assert.deepEqual(wpa.rsn, { groupCipher: 'CCMP', pairwiseCiphers: ['CCMP'], akms: ['PSK'], flags: [] });
    assert.ok(open.ht?.primaryChannel === 1 && open.rates.includes(54));

    const apSide = (await iw.getStations(2)).map(stationInfo);
    assert.equal(apSide.length, 1);
    assert.equal(apSide[0].mac, byName.get('wlan1')?.mac);
    assert.ok(apSide[0].flags?.includes('AUTHORIZED'));
    const staSide = (await iw.getStations(3)).map(stationInfo);
    assert.equal(staSide[0].mac, open.bssid);
    assert.ok(staSide[0].txBitrate?.mbps && staSide[0].signalDbm !== undefined);

    const survey = (await iw.survey(3)).map((m) => surveyInfo(m)!);
    assert.ok(survey.every((s) => s.frequency > 0));
    const [reg] = (await iw.getRegulatoryDomain()).map(regDomainInfo);
    assert.equal(reg.alpha2, '00');
    assert.ok(reg.rules.some((r) => r.startMhz === 2402 && r.endMhz === 2472));
  });
});
