// nl80211 against hostapd in the VM: an open AP and a WPA2-PSK AP on radio 0, scanned,
// joined and left from radio 1 with nlroute; station view on the AP side; mlme events.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ConnectFailedError,
  IW,
  NL80211_COMMANDS,
  bssInfo,
  commandName,
  interfaceInfo,
  stationInfo,
  type Nl80211Message,
} from '../../src/nl80211/index.js';
import { Overrun } from '../../src/core/index.js';
import {
  type Hostapd,
  ifindexOf,
  iwDev,
  linkUp,
  sh,
  skipOutsideVm,
  startHostapd,
  waitUntil,
} from './nl80211-helpers.js';

const OPEN = 'nlr-open',
  WPA = 'nlr-wpa2';

describe('nl80211 with hostapd (VM)', { skip: skipOutsideVm }, () => {
  let iw: IW;
  let ap: Hostapd | undefined;
  let sta: number;
  let openBssid: string, wpaBssid: string;

  before(async () => {
    iw = new IW();
    ap = await startHostapd(
      [
        'interface=wlan0',
        'driver=nl80211',
        'hw_mode=g',
        'channel=1',
        'ieee80211n=1',
        `ssid=${OPEN}`,
        'bss=wlan0_1',
        `ssid=${WPA}`,
        'wpa=2',
        'wpa_key_mgmt=WPA-PSK',
        'rsn_pairwise=CCMP',
        'wpa_passphrase=nlroute-secret',
        '',
      ].join('\n'),
    );
    const dev = iwDev();
    openBssid = dev.find((d) => d.ifname === 'wlan0')!.addr;
    wpaBssid = dev.find((d) => d.ifname === 'wlan0_1')!.addr;
    sta = ifindexOf('wlan1');
    linkUp('wlan1');
  });
  after(() => {
    try {
      sh('iw', ['dev', 'wlan1', 'disconnect']);
    } catch {
      /* not connected */
    }
    ap?.stop();
    iw.close();
  });

  it('scan from radio 1 finds both SSIDs with BSSID, frequency and parsed RSN', async () => {
    const t0 = Date.now();
    // hostapd may still be starting its beacons: a few scans at most.
    const found = await waitUntil(
      'both SSIDs in a scan',
      10_000,
      async () => {
        const list = (await iw.scan(sta, { ssids: [''], freqs: [2412], flushCache: true, timeout: 10_000 })).map(
          (m) => bssInfo(m)!,
        );
        return list.some((b) => b.ssid === OPEN) && list.some((b) => b.ssid === WPA) ? list : undefined;
      },
      200,
    );
    const ms = Date.now() - t0;
    const open = found.find((b) => b.ssid === OPEN)!,
      wpa = found.find((b) => b.ssid === WPA)!;
    assert.equal(open.bssid, openBssid);
    assert.equal(wpa.bssid, wpaBssid);
    assert.equal(open.frequency, 2412);
    assert.equal(wpa.frequency, 2412);
    assert.equal(open.channel, 1);
    assert.equal(open.rsn, undefined);
    assert.ok(!open.capability.includes('PRIVACY'));
    assert.ok(wpa.capability.includes('PRIVACY') && wpa.capability.includes('ESS'));
    assert.deepEqual(wpa.rsn && { g: wpa.rsn.groupCipher, p: wpa.rsn.pairwiseCiphers, a: wpa.rsn.akms }, {
      g: 'CCMP',
      p: ['CCMP'],
      a: ['PSK'],
    });
    assert.equal(open.beaconInterval, 100);
    assert.ok(open.signalMbm !== undefined && open.seenMsAgo !== undefined);
    assert.ok(open.rates.includes(54) && open.rates.includes(1), `rates ${open.rates}`);
    assert.ok(open.ht && open.ht.primaryChannel === 1, 'HT operation parsed');
    // iw sees the same BSSes.
    const text = sh('iw', ['dev', 'wlan1', 'scan', 'dump']);
    assert.match(
      text,
      new RegExp(
        `BSS ${wpaBssid}[\\s\\S]*SSID: ${WPA}[\\s\\S]*Pairwise ciphers: CCMP[\\s\\S]*Authentication suites: PSK`,
      ),
    );
    console.log(`# scan found both SSIDs in ${ms} ms`);
  });

  it('connect to the open AP, getAssociatedBss, stations on the AP side, disconnect, mlme events in order', async () => {
    const events = await iw.events(['mlme']);
    const seen: string[] = [];
    const collect = (async () => {
      for await (const m of events) {
        if (m instanceof Overrun) continue;
        if ((m as Nl80211Message).getAttr('NL80211_ATTR_IFINDEX') === sta)
          seen.push(commandName((m as Nl80211Message).field('cmd')).replace('NL80211_CMD_', ''));
      }
    })();
    try {
      const t0 = Date.now();
      const ev = await iw.connect(sta, OPEN, null, { freq: 2412, timeout: 10_000 });
      const ms = Date.now() - t0;
      assert.equal(ev?.getAttr('NL80211_ATTR_STATUS_CODE'), 0);
      assert.equal(ev?.getAttr('NL80211_ATTR_MAC'), openBssid);
      const bss = await iw.getAssociatedBss(sta);
      assert.ok(bss, 'an associated BSS');
      const b = bssInfo(bss)!;
      assert.deepEqual([b.bssid, b.ssid, b.status, b.frequency], [openBssid, OPEN, 'associated', 2412]);
      assert.match(sh('iw', ['dev', 'wlan1', 'link']), new RegExp(`Connected to ${openBssid}[\\s\\S]*SSID: ${OPEN}`));
      assert.equal(interfaceInfo((await iw.getInterfaceByIfindex(sta))[0]).ssid, OPEN);
      // The AP's view: wlan1's MAC is a station of wlan0.
      const staMac = iwDev().find((d) => d.ifname === 'wlan1')!.addr;
      const onAp = await waitUntil('station on the AP', 5000, async () =>
        (await iw.getStations(ifindexOf('wlan0'))).map(stationInfo).find((s) => s.mac === staMac),
      );
      assert.ok(onAp.flags?.includes('AUTHORIZED') && onAp.flags.includes('ASSOCIATED'), `flags ${onAp.flags}`);
      assert.ok(onAp.connectedTimeS !== undefined && onAp.inactiveTimeMs !== undefined && onAp.rxPackets !== undefined);
      const mine = (await iw.getStations(sta)).map(stationInfo);
      assert.deepEqual(
        mine.map((s) => s.mac),
        [openBssid],
      );
      assert.ok(mine[0].txBitrate?.mbps && mine[0].signalDbm !== undefined, 'tx bitrate and signal of the AP');
      // The CLI's read-only views of the same link.
      const cli = new URL('../../src/tools/cli.js', import.meta.url).pathname;
      const link = JSON.parse(sh(process.execPath, [cli, 'iw', 'link', 'wlan1', '--json'])) as {
        connected: boolean;
        bss: { bssid: string; ssid: string };
      };
      assert.deepEqual([link.connected, link.bss.bssid, link.bss.ssid], [true, openBssid, OPEN]);
      assert.match(
        sh(process.execPath, [cli, 'iw', 'link', 'wlan1']),
        new RegExp(`^Connected to ${openBssid} \\(on wlan1\\)\n\tSSID: ${OPEN}\n\tfreq: 2412`),
      );
      const dump = JSON.parse(sh(process.execPath, [cli, 'iw', 'station', 'dump', 'wlan0', '--json'])) as {
        mac: string;
      }[];
      assert.deepEqual(
        dump.map((s) => s.mac),
        [staMac],
      );
      assert.match(
        sh(process.execPath, [cli, 'iw', 'station', 'dump', 'wlan0']),
        new RegExp(`^Station ${staMac} \\(on wlan0\\)\n\tinactive time:`),
      );
      await iw.disconnect(sta);
      await waitUntil('DISCONNECT event', 5000, () => seen.includes('DISCONNECT'));
      assert.equal(await iw.getAssociatedBss(sta), undefined);
      console.log(`# connect took ${ms} ms; mlme events: ${seen.join(' ')}`);
      const order = ['AUTHENTICATE', 'ASSOCIATE', 'CONNECT', 'DISCONNECT'].map((c) => seen.indexOf(c));
      assert.ok(
        order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1])),
        `events in order: ${seen.join(' ')}`,
      );
    } finally {
      events.close();
      await collect;
    }
  });

  it('connect to a missing SSID fails with a typed error, no hang', async () => {
    const t0 = Date.now();
    await assert.rejects(
      iw.connect(sta, 'nlr-no-such-ssid', null, { freq: 2412, timeout: 15_000 }),
      (e: ConnectFailedError) => {
        assert.ok(e instanceof ConnectFailedError, String(e));
        assert.equal(e.ssid, 'nlr-no-such-ssid');
        assert.ok(e.status !== 0);
        return true;
      },
    );
    console.log(`# missing SSID refused after ${Date.now() - t0} ms`);
    assert.ok(NL80211_COMMANDS.NL80211_CMD_CONNECT === 46);
  });
});
