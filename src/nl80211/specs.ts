// The keys IW's option objects take, checked with core's strict specs before anything is sent:
// an unknown key (a typo) is refused with the allowed keys and a did-you-mean. Values are
// checked where they are encoded, as before.
import { anyCheck, checkSpec, type SpecRules } from '../core/index.js';

const keys = (...names: string[]): SpecRules => ({ keys: Object.fromEntries(names.map((k) => [k, anyCheck])) });

/** The option objects of IW's methods, by method. */
export const IW_RULES = {
  addInterface: keys('dev', 'phy', 'monitorFlags', 'mac', 'use4addr'),
  setFrequency: keys('freq', 'width', 'center1', 'center2'),
  scan: keys('ssids', 'flushCache', 'freqs', 'flags', 'timeout'),
  connect: keys('freq', 'authType', 'ies', 'wait', 'timeout'),
  disconnect: keys('reasonCode'),
  authenticate: keys('bssid', 'ssid', 'freq', 'authType'),
  associate: keys('bssid', 'ssid', 'freq', 'ies'),
  deauthenticate: keys('bssid', 'reasonCode'),
  disassociate: keys('bssid', 'reasonCode'),
  joinIbss: keys('ssid', 'freq', 'bssid', 'channelFixed', 'width', 'center', 'center2'),
} as const satisfies Record<string, SpecRules>;

/** Check the options of IW.method: SpecError on an unknown key. */
export function checkIwOptions<T extends object>(method: keyof typeof IW_RULES, opts: T): T {
  return checkSpec(`iw ${method}`, opts, IW_RULES[method]);
}
