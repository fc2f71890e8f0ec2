// The decoder on real nl80211 sessions: `iw` commands captured with strace in the VM decode to
// the same commands and attributes that nlroute sends for the same operations.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { AnyMessage } from '../../src/core/index.js';
import { traceLog } from '../../src/tools/cmd-decode.js';
import { decodeStrace } from '../../src/tools/decoder.js';
import { loadProtocols } from '../../src/tools/protocols.js';
import { entryPretty } from '../../src/core/index.js';
import { skipOutsideVm } from './nl80211-helpers.js';

const NLM_F_DUMP = 0x300;

/** The same operations, in the same order, as iw commands and as nlroute calls. */
const IW_SCRIPT = `
iw phy phy0 interface add decmon0 type monitor
ip link set decmon0 up
iw dev decmon0 set freq 2437
iw dev decmon0 set txpower fixed 1100
ip link set decmon0 down
iw dev decmon0 set type managed
ip link set wlan1 up
iw dev wlan1 station dump
iw dev wlan1 scan freq 2412 >/dev/null
iw reg get >/dev/null
iw dev wlan1 disconnect
iw dev decmon0 del
true
`;

const nlrScript = (index: string): string => `
import { execFileSync } from 'node:child_process';
import { IW } from ${JSON.stringify(index)};
const iw = new IW();
const ip = (...a) => execFileSync('ip', a);
const m = await iw.addInterface('decmon0', 'monitor', { phy: 0 });
const i = m.getAttr('NL80211_ATTR_IFINDEX');
ip('link', 'set', 'decmon0', 'up');
await iw.setFrequency(i, { freq: 2437 });
await iw.setTxPower(i, 'fixed', 1100);
ip('link', 'set', 'decmon0', 'down');
await iw.setInterfaceType(i, 'station');
ip('link', 'set', 'wlan1', 'up');
const w1 = await iw.ifindex('wlan1');
await iw.getStations(w1);
await iw.scan(w1, { ssids: [''], freqs: [2412] });
await iw.getRegulatoryDomain();
await iw.disconnect(w1).catch(() => undefined);
await iw.delInterface(i);
iw.close();
`;

/** Commands compared, in order of first use (each side may send others, e.g. name lookups). */
const OPS = ['NEW_INTERFACE', 'SET_WIPHY', 'SET_WIPHY', 'SET_INTERFACE', 'GET_STATION', 'TRIGGER_SCAN', 'GET_SCAN', 'GET_REG', 'DISCONNECT', 'DEL_INTERFACE'];

interface Req { cmd: string; dump: boolean; attrs: [string | number, unknown][] }

function requests(log: string): Req[] {
  const out: Req[] = [];
  for (const d of decodeStrace(log)) {
    if (d.transfer?.direction !== 'send') continue;
    for (const m of d.messages as AnyMessage[]) {
      if (m.schema.name !== 'nl80211.nl80211cmd') continue;
      const cmd = String((m.schema.header.pretty(m.fields) as { cmd: unknown }).cmd).replace('NL80211_CMD_', '');
      // ifindexes differ between the two runs (the interface is created anew).
      const attrs = m.entries().map((e) => [e.name, e.name === 'NL80211_ATTR_IFINDEX' ? 'IFINDEX' : entryPretty(e)] as [string | number, unknown]);
      out.push({ cmd, dump: (m.flags & NLM_F_DUMP) === NLM_F_DUMP, attrs: attrs.sort((a, b) => String(a[0]).localeCompare(String(b[0]))) });
    }
  }
  return out;
}

function pick(reqs: Req[]): Req[] {
  const out: Req[] = [];
  let k = 0;
  for (const r of reqs) if (k < OPS.length && r.cmd === OPS[k]) { out.push(r); k++; }
  return out;
}

describe('decoder: iw and nlroute send the same nl80211 requests (VM)', { skip: skipOutsideVm }, () => {
  it('strace of iw and of nlroute decode to the same commands and attributes', async () => {
    await loadProtocols();
    writeFileSync('/tmp/nlr-iw-ops.sh', IW_SCRIPT);
    const script = '/tmp/nlr-ops.mjs';
    writeFileSync(script, nlrScript(new URL('../../src/nl80211/index.js', import.meta.url).href));
    const t0 = Date.now();
    const iwRun = traceLog(['sh', '/tmp/nlr-iw-ops.sh']);
    const t1 = Date.now();
    const ourRun = traceLog([process.execPath, script]);
    const t2 = Date.now();
    assert.equal(ourRun.status, 0, 'nlroute script ran');
    const theirs = pick(requests(iwRun.log)), ours = pick(requests(ourRun.log));
    assert.deepEqual(theirs.map((r) => r.cmd), OPS, 'iw session decoded with nl80211 names');
    assert.deepEqual(ours.map((r) => r.cmd), OPS, 'nlroute session decoded with nl80211 names');
    for (let i = 0; i < OPS.length; i++) {
      assert.equal(ours[i].dump, theirs[i].dump, `${OPS[i]} dump flag`);
      assert.deepEqual(ours[i].attrs, theirs[i].attrs, `${OPS[i]} attributes`);
      for (const [name] of ours[i].attrs) assert.equal(typeof name, 'string', `${OPS[i]}: attribute ${name} has a name`);
    }
    console.log(`# strace: iw session ${t1 - t0} ms, nlroute session ${t2 - t1} ms; ${OPS.length} requests compared`);
  });
});
