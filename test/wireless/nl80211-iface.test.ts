// nl80211 against the real kernel in the VM: interfaces (both ways vs iw), wiphy vs `iw list`,
// set type / frequency / tx power, regulatory domain, survey, typed errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  IW,
  NL80211_COMMANDS,
  Nl80211Error,
  ScanAbortedError,
  interfaceInfo,
  waitFor,
  regDomainInfo,
  surveyInfo,
  wiphyInfo,
  type Nl80211Message,
} from '../../src/nl80211/index.js';
import { NetlinkTimeoutError } from '../../src/core/index.js';
import { ifindexOf, iwDev, iwList, linkDown, linkUp, sh, skipOutsideVm } from './nl80211-helpers.js';

describe('nl80211 interfaces and radios (VM)', { skip: skipOutsideVm }, () => {
  let iw: IW;
  before(() => {
    iw = new IW();
  });
  after(() => {
    for (const n of ['nlrmon0', 'nlrsta0', 'iwmon0', 'iwsta0'])
      try {
        sh('iw', ['dev', n, 'del']);
      } catch {
        /* not there */
      }
    iw.close();
  });

  it('listDev matches `iw dev` for the hwsim interfaces', async () => {
    const ours = (await iw.listDev()).map(interfaceInfo);
    const theirs = iwDev();
    assert.equal(ours.length, theirs.length);
    for (const t of theirs) {
      const o = ours.find((x) => x.ifindex === t.ifindex);
      assert.ok(o, `nlroute lists ${t.ifname}`);
      assert.equal(o.ifname, t.ifname);
      assert.equal(o.wiphy, t.phy);
      assert.equal(o.mac, t.addr);
      assert.equal(o.type, t.type);
      assert.equal(Number(o.wdev), t.wdev);
    }
  });

  it('adds a monitor and a station interface with nlroute; `iw dev` shows them; config events arrive', async () => {
    const ev = await iw.events(['config']);
    const mon = interfaceInfo(await iw.addInterface('nlrmon0', 'monitor', { phy: 0 }));
    const sta = interfaceInfo(await iw.addInterface('nlrsta0', 2, { dev: ifindexOf('wlan1') }));
    const seen: string[] = [];
    try {
      await waitFor(ev, 3000, 'NEW_INTERFACE events', (m) => {
        if (m.field('cmd') === NL80211_COMMANDS.NL80211_CMD_NEW_INTERFACE)
          seen.push(m.getAttr('NL80211_ATTR_IFNAME') ?? '');
        return seen.includes('nlrmon0') && seen.includes('nlrsta0');
      });
    } finally {
      ev.close();
    }
    assert.equal(mon.ifname, 'nlrmon0');
    assert.equal(mon.type, 'monitor');
    assert.equal(sta.wiphy, 1);
    const dev = iwDev();
    const m = dev.find((d) => d.ifname === 'nlrmon0'),
      s = dev.find((d) => d.ifname === 'nlrsta0');
    assert.deepEqual([m?.type, m?.phy, m?.ifindex, m?.addr], ['monitor', 0, mon.ifindex, mon.mac]);
    assert.deepEqual([s?.type, s?.phy, s?.ifindex, s?.addr], ['station', 1, sta.ifindex, sta.mac]);
    const dict = await iw.getInterfacesDict();
    assert.deepEqual(dict['nlrmon0'].slice(0, 3), [mon.ifindex, 'phy0', mon.mac]);
  });

  it('lists interfaces added with iw, with the same attributes', async () => {
    sh('iw', ['phy', 'phy1', 'interface', 'add', 'iwmon0', 'type', 'monitor']);
    sh('iw', ['dev', 'wlan0', 'interface', 'add', 'iwsta0', 'type', 'managed']);
    const dev = iwDev();
    for (const name of ['iwmon0', 'iwsta0']) {
      const t = dev.find((d) => d.ifname === name)!;
      const [m] = await iw.getInterfaceByIfindex(ifindexOf(name));
      const o = interfaceInfo(m);
      assert.deepEqual(
        [o.ifname, o.ifindex, o.wiphy, o.type, o.mac, Number(o.wdev)],
        [t.ifname, t.ifindex, t.phy, t.type, t.addr, t.wdev],
      );
    }
    const onPhy1 = (await iw.getInterfaceByPhy(1)).map((m) => m.getAttr('NL80211_ATTR_IFNAME'));
    assert.ok(onPhy1.includes('iwmon0') && onPhy1.includes('wlan1'), onPhy1.join(','));
    assert.equal(await iw.getInterfaceType(ifindexOf('iwmon0')), 'monitor');
  });

  it('deletes both ways', async () => {
    await iw.delInterface(ifindexOf('iwmon0'));
    await iw.delInterface(ifindexOf('iwsta0'));
    sh('iw', ['dev', 'nlrsta0', 'del']);
    const names = (await iw.listDev()).map((m) => m.getAttr('NL80211_ATTR_IFNAME'));
    assert.ok(!names.includes('iwmon0') && !names.includes('iwsta0') && !names.includes('nlrsta0'), names.join(','));
    assert.ok(!iwDev().some((d) => d.ifname === 'iwmon0' || d.ifname === 'iwsta0'));
  });

  it('sets the type, frequency (monitor) and tx power as iw would see them', async () => {
    const mon = ifindexOf('nlrmon0');
    linkUp('nlrmon0');
    await iw.setFrequency(mon, { freq: 2437 });
    let d = iwDev().find((x) => x.ifname === 'nlrmon0')!;
    assert.match(d.channel ?? '', /^6 \(2437 MHz\), width: 20 MHz \(no HT\)/);
    const info = interfaceInfo((await iw.getInterfaceByIfindex(mon))[0]);
    assert.deepEqual([info.frequency, info.channel, info.channelWidth, info.centerFreq1], [2437, 6, '20_noht', 2437]);
    await iw.setFrequency(mon, { freq: 2412, width: '20' });
    d = iwDev().find((x) => x.ifname === 'nlrmon0')!;
    assert.match(d.channel ?? '', /^1 \(2412 MHz\), width: 20 MHz,/);
    // Per-interface power is accepted; hwsim (no channel contexts) reports the radio's level,
    // so the radio-wide setting is what iw shows.
    await iw.setTxPower(mon, 'fixed', 1100);
    await iw.setWiphyTxPower(0, 'fixed', 1200);
    // The radio applies it at its next reconfiguration (as with iw): bring another interface up.
    linkUp('wlan0');
    d = iwDev().find((x) => x.ifname === 'nlrmon0')!;
    assert.equal(d.txpower, 12);
    assert.equal(interfaceInfo((await iw.getInterfaceByIfindex(mon))[0]).txPowerDbm, 12);
    await iw.setWiphyTxPower(0, 'auto');
    linkDown('wlan0');
    await iw.setTxPower(mon, 'auto');
    await assert.rejects(iw.setTxPower(mon, 'fixed'), /need a level in mBm/);
    linkDown('nlrmon0');
    await iw.setInterfaceType(mon, 'station');
    assert.equal(iwDev().find((x) => x.ifname === 'nlrmon0')?.type, 'station');
    await iw.setInterfaceType(mon, 'monitor');
    assert.equal(await iw.getInterfaceType(mon), 'monitor');
    await iw.delInterface(mon);
  });

  it('listWiphy equals `iw list` for the hwsim radios (bands, frequencies, modes, ciphers)', async () => {
    const t0 = Date.now();
    const ours = (await iw.listWiphy()).map(wiphyInfo);
    const ms = Date.now() - t0;
    const theirs = iwList();
    assert.equal(ours.length, theirs.length);
    for (const t of theirs) {
      const o = ours.find((w) => w.name === t.name)!;
      assert.ok(o, t.name);
      assert.deepEqual([...o.supportedIftypes].sort(), [...t.modes].sort(), `${t.name} modes`);
      assert.equal(o.cipherSuites.length, t.ciphers, `${t.name} ciphers`);
      assert.deepEqual(o.bands.map((b) => b.id).sort(), [...t.bands.keys()].sort(), `${t.name} bands`);
      for (const b of o.bands) {
        const want = t.bands.get(b.id)!;
        // iw prints S1G channels with a kHz offset; compare those by count only.
        if (b.name === 'S1GHz') {
          assert.equal(b.frequencies.length, want.length);
          continue;
        }
        const got = b.frequencies.map((f) => ({
          mhz: f.mhz,
          disabled: f.disabled,
          noIr: f.noIr,
          radar: f.radar,
          ...(f.disabled ? {} : { dbm: f.maxTxPowerDbm }),
        }));
        assert.deepEqual(got, want, `${t.name} band ${b.name}`);
      }
    }
    console.log(
      `# listWiphy: ${ours.length} radios, ${ours.reduce((n, w) => n + w.bands.reduce((k, b) => k + b.frequencies.length, 0), 0)} channels in ${ms} ms`,
    );
  });

  it('getWiphy returns one merged radio with every band', async () => {
    const w = wiphyInfo(await iw.getWiphy(0));
    assert.equal(w.name, 'phy0');
    assert.ok(w.bands.find((b) => b.name === '2GHz')?.frequencies.some((f) => f.mhz === 2412));
    assert.ok(w.bands.find((b) => b.name === '5GHz')?.vht, 'VHT capabilities on 5 GHz');
    assert.ok(w.interfaceCombinations.length > 0);
    assert.ok(w.commands.includes('CONNECT'));
  });

  it('regulatory domain as `iw reg get` shows it; set and read back', async () => {
    const text = sh('iw', ['reg', 'get']);
    const [global] = (await iw.getRegulatoryDomain()).map(regDomainInfo);
    assert.equal(global.alpha2, text.match(/^global\ncountry (\S+):/)?.[1]);
    // iw: (start - end @ bandwidth), (antenna gain or N/A, EIRP)
    const want = [...text.split(/\nphy#/)[0].matchAll(/\((\d+) - (\d+) @ (\d+)\), \((N\/A|[\d.]+), ([\d.]+)\)/g)].map(
      (m) => [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === 'N/A' ? 0 : Number(m[4]), Number(m[5])],
    );
    assert.ok(want.length > 0, text);
    assert.deepEqual(
      global.rules.map((r) => [r.startMhz, r.endMhz, r.maxBandwidthMhz, r.maxAntennaGainDbi, r.maxEirpDbm]),
      want,
      text,
    );
    const ev = await iw.events(['regulatory']);
    try {
      await iw.setRegulatoryDomain('DE');
      const change = await waitFor(
        ev,
        10_000,
        'REG_CHANGE event',
        (m) =>
          m.field('cmd') === NL80211_COMMANDS.NL80211_CMD_REG_CHANGE && m.getAttr('NL80211_ATTR_REG_ALPHA2') === 'DE',
      );
      assert.equal(change.getAttr('NL80211_ATTR_REG_INITIATOR'), 1, 'initiated by the user');
      assert.equal(regDomainInfo((await iw.getRegulatoryDomain())[0]).alpha2, 'DE');
      assert.match(sh('iw', ['reg', 'get']), /country DE/);
    } finally {
      ev.close();
    }
  });

  it('survey dump decodes per channel', async () => {
    linkUp('wlan0');
    try {
      const s = (await iw.survey(ifindexOf('wlan0'))).map((m: Nl80211Message) => surveyInfo(m)!);
      for (const x of s) assert.ok(x.frequency > 0);
    } finally {
      linkDown('wlan0');
    }
  });

  it('nlroute iw dev | phy | reg get (CLI) show what the API returns', async () => {
    const cli = new URL('../../src/tools/cli.js', import.meta.url).pathname;
    const dev = JSON.parse(sh(process.execPath, [cli, 'iw', 'dev', '--json'])) as {
      ifname: string;
      ifindex: number;
      mac: string;
    }[];
    const api = (await iw.listDev()).map(interfaceInfo);
    assert.deepEqual(
      dev.map((d) => [d.ifname, d.ifindex, d.mac]).sort(),
      api.map((d) => [d.ifname, d.ifindex, d.mac]).sort(),
    );
    const text = sh(process.execPath, [cli, 'iw', 'dev']);
    assert.match(
      text,
      /phy#0\n\tInterface wlan0\n\t\tifindex \d+\n\t\twdev 0x1\n\t\taddr 02:00:00:00:00:00\n\t\ttype managed/,
    );
    const phy = sh(process.execPath, [cli, 'iw', 'phy']);
    assert.match(phy, /Wiphy phy0\n\tBand 1: \(2GHz\)/);
    assert.match(phy, /\* 2412 MHz \[1\] \(20\.0 dBm\)/);
    assert.match(sh(process.execPath, [cli, 'iw', 'reg', 'get']), /^global\ncountry \S\S: DFS-/);
    assert.equal((JSON.parse(sh(process.execPath, [cli, 'iw', 'phy', '--json'])) as unknown[]).length, 2);
  });

  it('a scan aborted by the kernel and a scan that times out are typed errors, and leave no scan running', async () => {
    const w1 = ifindexOf('wlan1');
    linkUp('wlan1');
    // A full scan takes seconds under TCG: take the interface down in the middle of it.
    const t0 = Date.now();
    const scanning = iw.scan(w1, { timeout: 10_000 });
    setTimeout(() => linkDown('wlan1'), 300);
    await assert.rejects(scanning, (e: Error) => e instanceof ScanAbortedError && e.ifindex === w1);
    const aborted = Date.now() - t0;
    linkUp('wlan1');
    const t1 = Date.now();
    await assert.rejects(
      iw.scan(w1, { timeout: 200 }),
      (e: Error) => e instanceof NetlinkTimeoutError && /scan on ifindex/.test(e.message),
    );
    const timedOut = Date.now() - t1;
    assert.ok(timedOut < 2000, `timeout honoured (${timedOut} ms)`);
    // The timed-out scan was aborted: a new one can start at once.
    const list = await iw.scan(w1, { freqs: [2412], timeout: 10_000 });
    assert.ok(Array.isArray(list));
    linkDown('wlan1');
    console.log(`# scan aborted after ${aborted} ms, timed out after ${timedOut} ms`);
  });

  it('typed errors: unknown ifindex / phy, scan on a down interface', async () => {
    await assert.rejects(
      iw.getInterfaceByIfindex(99999),
      (e: Nl80211Error) =>
        e instanceof Nl80211Error &&
        e.code === 'ENODEV' &&
        /GET_INTERFACE.*ifindex 99999.*No such device/.test(e.message),
    );
    await assert.rejects(
      iw.addInterface('nlrbad0', 'monitor', { phy: 77 }),
      (e: Nl80211Error) => e instanceof Nl80211Error && e.code === 'ENODEV' && /phy 77/.test(e.message),
    );
    await assert.rejects(iw.getWiphy(77), (e: Nl80211Error) => e instanceof Nl80211Error && e.code === 'ENODEV');
    await assert.rejects(iw.delInterface(99999), (e: Nl80211Error) => e.code === 'ENODEV');
    linkDown('wlan1');
    const t0 = Date.now();
    await assert.rejects(
      iw.scan(ifindexOf('wlan1'), { timeout: 5000 }),
      (e: Nl80211Error) => e instanceof Nl80211Error && e.code === 'ENETDOWN' && /TRIGGER_SCAN/.test(e.message),
    );
    assert.ok(Date.now() - t0 < 2000, 'refused at once, no wait');
    await assert.rejects(iw.addInterface('', 'monitor'), TypeError);
    await assert.rejects(iw.addInterface('x', 'bogus' as never), /unknown interface type "bogus"/);
  });
});
