// The environment nl80211 tests rely on: inside the test VM (scripts/vm/run.sh) there are
// NLROUTE_VM_RADIOS mac80211_hwsim radios, phyN with station interface wlanN. Outside the VM
// (plain `npm test` on a host without a wireless stack) the suite is skipped.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';

const inVm = process.env['NLROUTE_VM'] === '1';
const radios = Number(process.env['NLROUTE_VM_RADIOS'] ?? '2');

describe('wireless VM environment', { skip: inVm ? false : 'needs the VM: npm run test:wireless' }, () => {
  it('has the hwsim radios as phy0..phyN-1', () => {
    const phys = readdirSync('/sys/class/ieee80211').sort();
    const want = Array.from({ length: radios }, (_, i) => `phy${i}`);
    assert.deepEqual(phys, want);
    assert.ok(existsSync('/sys/module/mac80211_hwsim'), 'mac80211_hwsim is loaded');
  });

  it('has one wlanN netdev per radio, bound to phyN', () => {
    for (let i = 0; i < radios; i++) {
      const dev = `/sys/class/net/wlan${i}`;
      assert.ok(existsSync(`${dev}/phy80211`), `wlan${i} is a wireless netdev`);
      assert.equal(readFileSync(`${dev}/phy80211/name`, 'utf8').trim(), `phy${i}`);
    }
  });
});
