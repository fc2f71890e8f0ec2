// `nlroute iw dev | phy | scan [dump] IFACE | link IFACE | station dump IFACE | reg get [--json]`:
// views of the wireless stack in the shape of iw's output (text) or as friendly objects (JSON).
import {
  IW,
  bssInfo,
  interfaceInfo,
  regDomainInfo,
  stationInfo,
  wiphyInfo,
  type BssInfo,
  type InterfaceInfo,
  type RateInfo,
  type RegDomainInfo,
  type StationInfo,
  type WiphyInfo,
} from '../nl80211/index.js';

const USAGE =
  'usage: nlroute iw dev | phy | scan [dump] IFACE [freq MHz...] | link IFACE | station dump IFACE | reg get  [--json]\n';

const IW_TYPE: Record<string, string> = {
  adhoc: 'IBSS',
  station: 'managed',
  ap: 'AP',
  ap_vlan: 'AP/VLAN',
  wds: 'WDS',
  monitor: 'monitor',
  mesh_point: 'mesh point',
  p2p_client: 'P2P-client',
  p2p_go: 'P2P-GO',
  p2p_device: 'P2P-device',
  ocb: 'outside context of a BSS',
  nan: 'NAN',
};

function out(v: unknown): void {
  process.stdout.write(
    JSON.stringify(
      v,
      (_k, x) => (typeof x === 'bigint' ? x.toString() : Buffer.isBuffer(x) ? x.toString('hex') : x),
      2,
    ) + '\n',
  );
}

function devText(list: InterfaceInfo[]): string {
  let s = '';
  const phys = [...new Set(list.map((i) => i.wiphy))].sort((a, b) => b - a);
  for (const p of phys) {
    s += `phy#${p}\n`;
    for (const i of list.filter((x) => x.wiphy === p)) {
      s += i.ifname ? `\tInterface ${i.ifname}\n\t\tifindex ${i.ifindex}\n` : '\tUnnamed/non-netdev interface\n';
      if (i.wdev !== undefined) s += `\t\twdev 0x${BigInt(i.wdev).toString(16)}\n`;
      if (i.mac) s += `\t\taddr ${i.mac}\n`;
      if (i.ssid !== undefined) s += `\t\tssid ${i.ssid}\n`;
      s += `\t\ttype ${IW_TYPE[i.type] ?? i.type}\n`;
      if (i.frequency !== undefined)
        s += `\t\tchannel ${i.channel} (${i.frequency} MHz), width: ${i.channelWidth}${i.centerFreq1 ? `, center1: ${i.centerFreq1} MHz` : ''}\n`;
      if (i.txPowerDbm !== undefined) s += `\t\ttxpower ${i.txPowerDbm.toFixed(2)} dBm\n`;
    }
  }
  return s;
}

function phyText(w: WiphyInfo): string {
  let s = `Wiphy ${w.name}\n`;
  for (const b of w.bands) {
    s += `\tBand ${b.id + 1}: (${b.name})\n`;
    if (b.ht)
      s += `\t\tHT capabilities: 0x${b.ht.capabilities.toString(16)}, RX MCS ${b.ht.rxMcs.length ? `0-${b.ht.rxMcs[b.ht.rxMcs.length - 1]}` : 'none'}\n`;
    if (b.vht)
      s += `\t\tVHT capabilities: 0x${b.vht.capabilities.toString(16).padStart(8, '0')}, RX MCS ${b.vht.rxMcs.map((m, i) => `${i + 1}SS:${m ?? '-'}`).join(' ')}\n`;
    for (const he of b.he)
      s += `\t\tHE for ${he.iftypes.join(', ')}: RX MCS (<=80 MHz) ${he.rxMcs80.map((m, i) => `${i + 1}SS:${m ?? '-'}`).join(' ')}\n`;
    if (b.bitrates.length)
      s += `\t\tBitrates: ${b.bitrates.map((r) => `${r.mbps.toFixed(1)}${r.shortPreamble ? '*' : ''}`).join(' ')} Mbps\n`;
    s += '\t\tFrequencies:\n';
    for (const f of b.frequencies) {
      s += `\t\t\t* ${f.mhz} MHz [${f.channel}]${f.disabled ? ' (disabled)' : ` (${(f.maxTxPowerDbm ?? 0).toFixed(1)} dBm)`}${!f.disabled && f.noIr ? ' (no IR)' : ''}${!f.disabled && f.radar ? ' (radar detection)' : ''}\n`;
    }
  }
  s += `\tSupported interface modes:\n${w.supportedIftypes.map((t) => `\t\t * ${IW_TYPE[t] ?? t}\n`).join('')}`;
  s += `\tSupported Ciphers:\n${w.cipherSuites.map((c) => `\t\t* ${c}\n`).join('')}`;
  s += `\tSupported commands:\n${w.commands.map((c) => `\t\t * ${c.toLowerCase()}\n`).join('')}`;
  for (const c of w.interfaceCombinations) {
    s += `\tvalid interface combination: ${c.limits.map((l) => `#{ ${l.types.map((t) => IW_TYPE[t] ?? t).join(', ')} } <= ${l.max}`).join(', ')}, total <= ${c.maxInterfaces}, #channels <= ${c.numChannels}\n`;
  }
  return s;
}

function bssText(b: BssInfo, ifname: string): string {
  let s = `BSS ${b.bssid}(on ${ifname})${b.status ? ` -- ${b.status}` : ''}\n`;
  s += `\tfreq: ${b.frequency}\n`;
  if (b.beaconInterval !== undefined) s += `\tbeacon interval: ${b.beaconInterval} TUs\n`;
  s += `\tcapability: ${b.capability.join(' ')}${b.capabilityRaw !== undefined ? ` (0x${b.capabilityRaw.toString(16).padStart(4, '0')})` : ''}\n`;
  if (b.signalDbm !== undefined) s += `\tsignal: ${b.signalDbm.toFixed(2)} dBm\n`;
  if (b.seenMsAgo !== undefined) s += `\tlast seen: ${b.seenMsAgo} ms ago\n`;
  if (b.ssid !== undefined) s += `\tSSID: ${b.ssid}\n`;
  if (b.rates.length)
    s += `\tSupported rates: ${b.rates.map((r) => `${r}${b.basicRates.includes(r) ? '*' : ''}`).join(' ')}\n`;
  if (b.channel !== undefined) s += `\tDS Parameter set: channel ${b.channel}\n`;
  if (b.country) s += `\tCountry: ${b.country}\n`;
  if (b.rsn)
    s += `\tRSN:\t * Group cipher: ${b.rsn.groupCipher ?? '-'}\n\t\t * Pairwise ciphers: ${b.rsn.pairwiseCiphers.join(' ')}\n\t\t * Authentication suites: ${b.rsn.akms.join(' ')}\n`;
  if (b.ht?.primaryChannel !== undefined)
    s += `\tHT operation:\n\t\t * primary channel: ${b.ht.primaryChannel}\n\t\t * secondary channel offset: ${b.ht.secondaryChannelOffset}\n`;
  if (b.vht?.channelWidth !== undefined)
    s += `\tVHT operation:\n\t\t * channel width: ${b.vht.channelWidth}\n\t\t * center freq segment 1: ${b.vht.centerSegment0}\n`;
  return s;
}

function rateText(r: RateInfo): string {
  const parts = [`${(r.mbps ?? 0).toFixed(1)} MBit/s`];
  if (r.mode === 'HT') parts.push(`MCS ${r.mcs}`);
  else if (r.mode !== 'legacy') parts.push(`${r.mode}-MCS ${r.mcs}`, `${r.mode}-NSS ${r.nss}`);
  if (r.widthMhz !== 20) parts.push(`${r.widthMhz}MHz`);
  if (r.shortGi) parts.push('short GI');
  return parts.join(' ');
}

function stationText(st: StationInfo, ifname: string): string {
  const rows: [string, unknown][] = [
    ['inactive time', st.inactiveTimeMs !== undefined ? `${st.inactiveTimeMs} ms` : undefined],
    ['rx bytes', st.rxBytes],
    ['rx packets', st.rxPackets],
    ['tx bytes', st.txBytes],
    ['tx packets', st.txPackets],
    ['tx retries', st.txRetries],
    ['tx failed', st.txFailed],
    ['beacon loss', st.beaconLoss],
    ['rx drop misc', st.rxDropMisc],
    ['signal', st.signalDbm !== undefined ? `${st.signalDbm} dBm` : undefined],
    ['signal avg', st.signalAvgDbm !== undefined ? `${st.signalAvgDbm} dBm` : undefined],
    ['tx bitrate', st.txBitrate ? rateText(st.txBitrate) : undefined],
    ['rx bitrate', st.rxBitrate ? rateText(st.rxBitrate) : undefined],
    [
      'expected throughput',
      st.expectedThroughputKbps !== undefined ? `${(st.expectedThroughputKbps / 1000).toFixed(3)}Mbps` : undefined,
    ],
    ['flags', st.flags?.join(' ')],
    ['connected time', st.connectedTimeS !== undefined ? `${st.connectedTimeS} seconds` : undefined],
  ];
  return (
    `Station ${st.mac} (on ${ifname})\n` +
    rows
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `\t${k}:\t${v}\n`)
      .join('')
  );
}

function regText(domains: RegDomainInfo[]): string {
  let s = '';
  for (const d of domains) {
    s += d.wiphy === undefined ? 'global\n' : `phy#${d.wiphy}${d.selfManaged ? ' (self-managed)' : ''}\n`;
    s += `country ${d.alpha2}: DFS-${d.dfsRegion ?? 'UNSET'}\n`;
    for (const r of d.rules) {
      const flags = r.flags.length ? `, ${r.flags.join(', ')}` : '';
      s += `\t(${r.startMhz} - ${r.endMhz} @ ${r.maxBandwidthMhz}), (N/A, ${r.maxEirpDbm})${r.dfsCacTimeMs ? `, (${r.dfsCacTimeMs} ms)` : ', (N/A)'}${flags}\n`;
    }
    s += '\n';
  }
  return s;
}

/** nlroute iw ...: returns the exit status. */
export async function iwCommand(args: string[]): Promise<number> {
  const json = args.includes('--json') || args.includes('-j');
  const rest = args.filter((a) => a !== '--json' && a !== '-j');
  const [what, ...more] = rest;
  if (!what || what === 'help' || what === '--help') {
    process.stdout.write(USAGE);
    return what ? 0 : 2;
  }
  await using iw = new IW();
  const ifname = (i: number): string => more.find((a) => !/^\d+$/.test(a) && a !== 'dump' && a !== 'freq') ?? String(i);
  const dev = async (): Promise<number> => {
    const name = more.find((a) => a !== 'dump' && a !== 'freq' && !/^\d+$/.test(a));
    if (!name) throw new Error(`${what}: missing interface name\n${USAGE}`);
    return iw.ifindex(name);
  };
  switch (what) {
    case 'dev': {
      const list = (await iw.listDev()).map(interfaceInfo);
      if (json) out(list);
      else process.stdout.write(devText(list));
      return 0;
    }
    case 'phy':
    case 'list': {
      const list = (await iw.listWiphy()).map(wiphyInfo).sort((a, b) => a.index - b.index);
      if (json) out(list);
      else process.stdout.write(list.map(phyText).join(''));
      return 0;
    }
    case 'scan': {
      const i = await dev();
      const freqs = more.filter((a) => /^\d+$/.test(a)).map(Number);
      const msgs = more.includes('dump')
        ? await iw.getScan(i)
        : await iw.scan(i, { ssids: [''], ...(freqs.length ? { freqs } : {}) });
      const list = msgs.map((m) => bssInfo(m)).filter((b): b is BssInfo => !!b);
      if (json) out(list);
      else process.stdout.write(list.map((b) => bssText(b, ifname(i))).join(''));
      return 0;
    }
    case 'link': {
      const i = await dev();
      const m = await iw.getAssociatedBss(i);
      const b = m ? bssInfo(m) : undefined;
      const st = b ? (await iw.getStations(i)).map(stationInfo).find((s) => s.mac === b.bssid) : undefined;
      if (json) {
        out(b ? { connected: true, bss: b, station: st } : { connected: false });
        return 0;
      }
      if (!b) {
        process.stdout.write('Not connected.\n');
        return 0;
      }
      let s = `Connected to ${b.bssid} (on ${ifname(i)})\n\tSSID: ${b.ssid ?? ''}\n\tfreq: ${b.frequency}\n`;
      if (st) {
        s += `\tRX: ${st.rxBytes ?? 0} bytes (${st.rxPackets ?? 0} packets)\n\tTX: ${st.txBytes ?? 0} bytes (${st.txPackets ?? 0} packets)\n`;
        if (st.signalDbm !== undefined) s += `\tsignal: ${st.signalDbm} dBm\n`;
        if (st.txBitrate) s += `\ttx bitrate: ${rateText(st.txBitrate)}\n`;
      }
      process.stdout.write(s);
      return 0;
    }
    case 'station': {
      if (more[0] !== 'dump') throw new Error(`only "station dump IFACE" is supported\n${USAGE}`);
      const i = await dev();
      const list = (await iw.getStations(i)).map(stationInfo);
      if (json) out(list);
      else process.stdout.write(list.map((s) => stationText(s, ifname(i))).join(''));
      return 0;
    }
    case 'reg': {
      if (more[0] !== 'get') throw new Error(`only "reg get" is supported\n${USAGE}`);
      const list = (await iw.getRegulatoryDomain()).map(regDomainInfo);
      if (json) out(list);
      else process.stdout.write(regText(list));
      return 0;
    }
    default:
      process.stderr.write(`nlroute iw: unknown command ${JSON.stringify(what)}\n${USAGE}`);
      return 2;
  }
}
