// nl80211 on the host: tables, codec round trips, the IE parser, split-dump merging, the
// decoder registration, friendly names, and the clear error on a kernel without nl80211.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { NetlinkEncodeError, genlFamilySchema, messageClass } from '../src/core/index.js';
import {
  IW,
  NL80211_ATTRS,
  NL80211_COMMANDS,
  NL80211_HEADER_VERSION,
  NL80211_IFTYPE,
  NL80211_MULTICAST_GROUPS,
  Nl80211UnavailableError,
  bssInfo,
  chanWidthValue,
  encodeIes,
  findIe,
  freqToChannel,
  iftypeValue,
  mergeWiphyParts,
  nl80211Attrs,
  nl80211cmd,
  parseIes,
  stationInfo,
  summarizeIes,
  unmodelledAttrs,
  wiphyInfo,
  type RsnElement,
} from '../src/nl80211/index.js';
import { decodeHex } from '../src/tools/decoder.js';

const NL80211_ID = 0x1c;

function msg(
  cmd: keyof typeof NL80211_COMMANDS,
  attrs: Parameters<typeof nl80211cmd.encode>[0]['attrs'],
  flags = 0,
): Buffer {
  return nl80211cmd.encode({ type: NL80211_ID, flags, seq: 7, fields: { cmd, version: 1 }, attrs });
}

/** An RSN element: CCMP group, CCMP pairwise, PSK, capabilities 0x000c. */
const RSN = Buffer.from('30140100000fac040100000fac040100000fac020c00', 'hex');

describe('nl80211 tables (generated from linux/nl80211.h)', () => {
  it('has every command, attribute, iftype and multicast group by name', () => {
    assert.match(NL80211_HEADER_VERSION, /^6\.1\./);
    assert.equal(NL80211_COMMANDS.NL80211_CMD_TRIGGER_SCAN, 33);
    assert.equal(NL80211_COMMANDS.NL80211_CMD_NEW_BEACON, NL80211_COMMANDS.NL80211_CMD_START_AP);
    assert.equal(NL80211_ATTRS.NL80211_ATTR_WIPHY_BANDS, 22);
    assert.equal(NL80211_ATTRS.NL80211_ATTR_MLO_LINKS, 312);
    assert.equal(NL80211_IFTYPE.NL80211_IFTYPE_OCB, 11);
    assert.deepEqual(Object.values(NL80211_MULTICAST_GROUPS), [
      'config',
      'scan',
      'regulatory',
      'mlme',
      'vendor',
      'nan',
      'testmode',
    ]);
    assert.ok(
      !Object.keys(NL80211_ATTRS).some((k) => k.startsWith('__') || k === 'NL80211_ATTR_MAX' || k.startsWith('NUM_')),
    );
  });

  it('leaves only the listed attributes as hex', () => {
    const gaps = unmodelledAttrs();
    assert.ok(gaps.length < 40, `${gaps.length} unmodelled`);
    for (const must of [
      'NL80211_ATTR_WIPHY_BANDS',
      'NL80211_ATTR_BSS',
      'NL80211_ATTR_STA_INFO',
      'NL80211_ATTR_REG_RULES',
      'NL80211_ATTR_SURVEY_INFO',
      'NL80211_ATTR_INTERFACE_COMBINATIONS',
    ]) {
      assert.ok(!gaps.includes(must), must);
      assert.notEqual(nl80211Attrs.byName.get(must)?.type.kind, 'hex');
    }
  });
});

describe('nl80211 message class', () => {
  it('is registered for the decoder by class and as the nl80211 genl family', () => {
    assert.equal(messageClass('nl80211.nl80211cmd'), nl80211cmd);
    const b = msg('NL80211_CMD_GET_INTERFACE', { NL80211_ATTR_IFINDEX: 3 });
    assert.equal(genlFamilySchema('nl80211', b, 0), nl80211cmd);
  });

  it('round-trips a scan request with names, and decodes it from hex', () => {
    const b = msg(
      'NL80211_CMD_TRIGGER_SCAN',
      {
        NL80211_ATTR_IFINDEX: 3,
        NL80211_ATTR_SCAN_SSIDS: ['', 'home'],
        NL80211_ATTR_SCAN_FREQUENCIES: [2412, 2437],
        NL80211_ATTR_SCAN_FLAGS: ['NL80211_SCAN_FLAG_FLUSH'],
      },
      5,
    );
    const m = nl80211cmd.decode(b);
    assert.equal(m.field('cmd'), 33);
    assert.deepEqual(m.getAttr('NL80211_ATTR_SCAN_SSIDS'), ['', 'home']);
    assert.deepEqual(m.getAttr('NL80211_ATTR_SCAN_FREQUENCIES'), [2412, 2437]);
    m.validate();
    const [d] = decodeHex(b.toString('hex'), 'nl80211.nl80211cmd');
    assert.deepEqual(d.messages[0].toJSON().attrs, [
      ['NL80211_ATTR_IFINDEX', 3],
      ['NL80211_ATTR_SCAN_SSIDS', ['', 'home']],
      ['NL80211_ATTR_SCAN_FREQUENCIES', [2412, 2437]],
      ['NL80211_ATTR_SCAN_FLAGS', ['NL80211_SCAN_FLAG_FLUSH']],
    ]);
  });

  it('decodes a BSS with its IEs parsed, and station info with nested rates', () => {
    const ies = Buffer.concat([
      encodeIes([
        { ssid: 'café' },
        { id: 1, data: Buffer.from([0x82, 0x84, 0x0b, 0x16, 0x24]) },
        { id: 3, data: Buffer.from([6]) },
      ]),
      RSN,
      Buffer.from('dd0700500f01020304', 'hex'),
    ]);
    const b = msg('NL80211_CMD_NEW_SCAN_RESULTS', {
      NL80211_ATTR_IFINDEX: 4,
      NL80211_ATTR_BSS: {
        NL80211_BSS_BSSID: '02:00:00:00:00:01',
        NL80211_BSS_FREQUENCY: 2437,
        NL80211_BSS_BEACON_INTERVAL: 100,
        NL80211_BSS_CAPABILITY: ['ESS', 'PRIVACY'],
        NL80211_BSS_SIGNAL_MBM: -3000,
        NL80211_BSS_SEEN_MS_AGO: 12,
        NL80211_BSS_STATUS: 'NL80211_BSS_STATUS_ASSOCIATED',
        NL80211_BSS_INFORMATION_ELEMENTS: ies,
      },
    });
    const info = bssInfo(nl80211cmd.decode(b))!;
    assert.deepEqual(
      [info.bssid, info.frequency, info.beaconInterval, info.signalDbm, info.seenMsAgo, info.status],
      ['02:00:00:00:00:01', 2437, 100, -30, 12, 'associated'],
    );
    assert.deepEqual(info.capability, ['ESS', 'PRIVACY']);
    assert.equal(info.ssid, 'café');
    assert.deepEqual(info.rates, [1, 2, 5.5, 11, 18]);
    assert.deepEqual(info.basicRates, [1, 2]);
    assert.equal(info.channel, 6);
    assert.deepEqual(info.rsn, { groupCipher: 'CCMP', pairwiseCiphers: ['CCMP'], akms: ['PSK'], flags: [] });
    assert.deepEqual(info.vendors, [{ oui: '00:50:0f', ouiType: 1 }]);
    const v = info.ies.find((e) => e.id === 221)!;
    assert.equal(v.data.toString('hex'), '00500f01020304', 'vendor element kept raw');

    const s = stationInfo(
      nl80211cmd.decode(
        msg('NL80211_CMD_NEW_STATION', {
          NL80211_ATTR_IFINDEX: 4,
          NL80211_ATTR_MAC: '02:00:00:00:01:00',
          NL80211_ATTR_STA_INFO: {
            NL80211_STA_INFO_INACTIVE_TIME: 20,
            NL80211_STA_INFO_RX_BYTES64: 1234n,
            NL80211_STA_INFO_TX_BYTES64: 99n,
            NL80211_STA_INFO_RX_PACKETS: 10,
            NL80211_STA_INFO_TX_PACKETS: 3,
            NL80211_STA_INFO_SIGNAL: -42,
            NL80211_STA_INFO_CONNECTED_TIME: 5,
            NL80211_STA_INFO_TX_BITRATE: {
              NL80211_RATE_INFO_BITRATE32: 1300,
              NL80211_RATE_INFO_VHT_MCS: 9,
              NL80211_RATE_INFO_VHT_NSS: 2,
              NL80211_RATE_INFO_80_MHZ_WIDTH: true,
              NL80211_RATE_INFO_SHORT_GI: true,
            },
            NL80211_STA_INFO_STA_FLAGS: { mask: 0xfe, set: (1 << 1) | (1 << 7) },
          },
        }),
      ),
    );
    assert.deepEqual(s, {
      ifindex: 4,
      mac: '02:00:00:00:01:00',
      inactiveTimeMs: 20,
      rxBytes: 1234,
      txBytes: 99,
      rxPackets: 10,
      txPackets: 3,
      signalDbm: -42,
      txBitrate: { mode: 'VHT', mcs: 9, nss: 2, mbps: 130, widthMhz: 80, shortGi: true },
      connectedTimeS: 5,
      flags: ['AUTHORIZED', 'ASSOCIATED'],
    });
  });
});

describe('information elements', () => {
  it('parses RSN with ciphers, AKMs, capabilities and optional fields', () => {
    const [e] = parseIes(RSN) as RsnElement[];
    assert.deepEqual(
      [e.version, e.groupCipher, e.pairwiseCiphers, e.akms, e.capabilities],
      [1, 'CCMP', ['CCMP'], ['PSK'], 0x0c],
    );
    const mfp = Buffer.from('301a0100000fac040100000fac040100000fac06c000 0000 000fac06'.replace(/ /g, ''), 'hex');
    const [m] = parseIes(mfp) as RsnElement[];
    assert.deepEqual(
      [m.akms, m.flags, m.groupMgmtCipher],
      [['PSK_SHA256'], ['MFP_REQUIRED', 'MFP_CAPABLE'], 'AES_CMAC'],
    );
  });

  it('parses country, HT operation, VHT operation and keeps unknown elements raw', () => {
    const country = Buffer.from('0706444520010d14', 'hex');
    const htop = Buffer.concat([Buffer.from([61, 22, 6, 0x05]), Buffer.alloc(20)]);
    const vhtop = Buffer.from('c00501002a0000'.slice(0, 14), 'hex');
    const list = parseIes(Buffer.concat([country, htop, vhtop, Buffer.from('ee0201020000', 'hex')]));
    const sum = summarizeIes(list);
    assert.equal(sum.country, 'DE');
    assert.deepEqual(findIe(list, 7) && (findIe(list, 7) as any).channels, [
      { firstChannel: 1, numChannels: 13, maxPowerDbm: 20 },
    ]);
    assert.deepEqual([sum.ht?.primaryChannel, sum.ht?.secondaryChannelOffset], [6, 'above']);
    assert.equal(sum.vht?.channelWidth, 1);
    const unknown = list.find((e) => e.id === 238)!;
    assert.deepEqual([unknown.name, unknown.data.toString('hex')], ['IE_238', '0102']);
  });

  it('never throws on malformed elements', () => {
    const list = parseIes(Buffer.from('0005616263', 'hex'));
    assert.equal(list[0].name, 'MALFORMED');
    assert.match(list[0].error!, /runs past the end/);
    const short = parseIes(Buffer.from('3001', 'hex').subarray(0, 2));
    assert.ok(short[0].error, 'truncated RSN is marked');
    assert.throws(() => encodeIes([{ id: 300, data: Buffer.alloc(1) }]), NetlinkEncodeError);
  });
});

describe('split wiphy dumps', () => {
  it('merges parts into one radio: bands by id, frequencies concatenated', () => {
    const freq = (mhz: number) => ({ NL80211_FREQUENCY_ATTR_FREQ: mhz, NL80211_FREQUENCY_ATTR_MAX_TX_POWER: 2000 });
    const parts = [
      msg(
        'NL80211_CMD_NEW_WIPHY',
        {
          NL80211_ATTR_WIPHY: 0,
          NL80211_ATTR_WIPHY_NAME: 'phy0',
          NL80211_ATTR_SUPPORTED_IFTYPES: ['NL80211_IFTYPE_STATION', 'NL80211_IFTYPE_AP'],
        },
        2,
      ),
      msg(
        'NL80211_CMD_NEW_WIPHY',
        {
          NL80211_ATTR_WIPHY: 0,
          NL80211_ATTR_WIPHY_NAME: 'phy0',
          NL80211_ATTR_WIPHY_BANDS: {
            0: { NL80211_BAND_ATTR_HT_CAPA: 0x17e, NL80211_BAND_ATTR_FREQS: [freq(2412), freq(2417)] },
          },
        },
        2,
      ),
      msg(
        'NL80211_CMD_NEW_WIPHY',
        {
          NL80211_ATTR_WIPHY: 0,
          NL80211_ATTR_WIPHY_NAME: 'phy0',
          NL80211_ATTR_WIPHY_BANDS: {
            0: { NL80211_BAND_ATTR_FREQS: [freq(2422)], NL80211_BAND_ATTR_RATES: [{ NL80211_BITRATE_ATTR_RATE: 10 }] },
          },
        },
        2,
      ),
      msg(
        'NL80211_CMD_NEW_WIPHY',
        {
          NL80211_ATTR_WIPHY: 0,
          NL80211_ATTR_WIPHY_NAME: 'phy0',
          NL80211_ATTR_WIPHY_BANDS: { 1: { NL80211_BAND_ATTR_FREQS: [freq(5180)] } },
        },
        2,
      ),
      msg('NL80211_CMD_NEW_WIPHY', { NL80211_ATTR_WIPHY: 1, NL80211_ATTR_WIPHY_NAME: 'phy1' }, 2),
    ].map((b) => nl80211cmd.decode(b));
    const merged = mergeWiphyParts(parts);
    assert.equal(merged.length, 2);
    merged[0].validate();
    const w = wiphyInfo(merged[0]);
    assert.deepEqual(
      w.bands.map((b) => [b.name, b.frequencies.map((f) => f.mhz)]),
      [
        ['2GHz', [2412, 2417, 2422]],
        ['5GHz', [5180]],
      ],
    );
    assert.deepEqual(w.bands[0].bitrates, [{ mbps: 1, shortPreamble: false }]);
    assert.equal(w.bands[0].ht?.capabilities, 0x17e);
    assert.deepEqual(w.supportedIftypes, ['station', 'ap']);
    assert.equal(w.bands[0].frequencies[0].maxTxPowerDbm, 20);
  });
});

describe('friendly names', () => {
  it('accepts the seed names or numbers, and refuses others clearly', () => {
    assert.equal(iftypeValue('monitor'), 6);
    assert.equal(iftypeValue(2), 2);
    assert.equal(chanWidthValue('80p80'), 4);
    assert.equal(chanWidthValue('20_noht'), 0);
    assert.throws(() => iftypeValue('bogus' as never), /unknown interface type "bogus"/);
    assert.throws(() => chanWidthValue('33' as never), /unknown channel width|one of/);
    assert.deepEqual([2412, 2484, 5180, 5955, 60480].map(freqToChannel), [1, 14, 36, 1, 2]);
  });
});

const hasNl80211 = existsSync('/sys/class/ieee80211') || process.env['NLROUTE_VM'] === '1';

describe('a kernel without nl80211 (this host)', { skip: hasNl80211 ? 'this kernel has cfg80211' : false }, () => {
  it('new IW() use fails with a clear error saying so, for every kind of call', async () => {
    await using iw = new IW();
    for (const call of [
      () => iw.listDev(),
      () => iw.listWiphy(),
      () => iw.scan(1),
      () => iw.events(),
      () => iw.connect(1, 'x'),
    ]) {
      await assert.rejects(call(), (e: Error) => {
        assert.ok(e instanceof Nl80211UnavailableError, String(e));
        assert.match(e.message, /this kernel has no nl80211 \(cfg80211 not loaded\)/);
        return true;
      });
    }
  });
});
