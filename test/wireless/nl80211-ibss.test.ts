// IBSS in the VM: one ad-hoc interface per radio, both join the same IBSS with nlroute and
// see each other as stations.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IW, bssInfo, interfaceInfo, stationInfo } from '../../src/nl80211/index.js';
import { iwDev, linkUp, sh, skipOutsideVm, waitUntil } from './nl80211-helpers.js';

describe('nl80211 IBSS (VM)', { skip: skipOutsideVm }, () => {
  let iw: IW;
  const ifs: { name: string; ifindex: number; mac: string }[] = [];
  before(async () => {
    iw = new IW();
    for (const phy of [0, 1]) {
      const i = interfaceInfo(await iw.addInterface(`nlribss${phy}`, 'adhoc', { phy }));
      ifs.push({ name: i.ifname!, ifindex: i.ifindex!, mac: i.mac! });
      linkUp(i.ifname!);
    }
  });
  after(async () => {
    for (const i of ifs) {
      await iw.leaveIbss(i.ifindex).catch(() => undefined);
      try {
        sh('iw', ['dev', i.name, 'del']);
      } catch {
        /* gone */
      }
    }
    iw.close();
  });

  it('two radios join the same IBSS and see each other as stations', async () => {
    const t0 = Date.now();
    for (const i of ifs)
      await iw.joinIbss(i.ifindex, {
        ssid: 'nlr-ibss',
        freq: 2412,
        bssid: '02:12:34:56:78:9a',
        channelFixed: true,
        width: '20_noht',
      });
    for (const [me, peer] of [
      [ifs[0], ifs[1]],
      [ifs[1], ifs[0]],
    ]) {
      const st = await waitUntil(
        `${peer.name} as a station of ${me.name}`,
        15_000,
        async () => (await iw.getStations(me.ifindex)).map(stationInfo).find((s) => s.mac === peer.mac),
        200,
      );
      assert.equal(st.ifindex, me.ifindex);
    }
    console.log(`# IBSS peers visible after ${Date.now() - t0} ms`);
    const d = iwDev().find((x) => x.ifname === ifs[0].name)!;
    assert.equal(d.type, 'adhoc');
    assert.equal(d.ssid, 'nlr-ibss');
    const joined = await iw.getAssociatedBss(ifs[0].ifindex);
    assert.ok(joined, 'the joined IBSS is in the scan cache');
    const b = bssInfo(joined)!;
    assert.deepEqual([b.status, b.bssid, b.frequency], ['ibss_joined', '02:12:34:56:78:9a', 2412]);
    assert.ok(b.capability.includes('IBSS'));
    await iw.leaveIbss(ifs[0].ifindex);
    assert.equal(interfaceInfo((await iw.getInterfaceByIfindex(ifs[0].ifindex))[0]).ssid, undefined);
  });
});
