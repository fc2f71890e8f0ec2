// The nl80211 message class: genlmsghdr with nl80211's command names, then NL80211_ATTR_*.
// Registered for the decoder by class name and as the 'nl80211' generic netlink family.
import { registerGenlFamily, registerMessageClass, type Message } from '../core/index.js';
import { genlSchema } from '../genl/index.js';
import { nl80211Attrs } from './attrs.js';
import { NL80211_COMMANDS } from './constants.js';

/** Every nl80211 message (requests, answers, multicast events): `nl80211.nl80211cmd`. */
export const nl80211cmd = genlSchema('nl80211.nl80211cmd', nl80211Attrs, NL80211_COMMANDS);
registerMessageClass(nl80211cmd);
registerGenlFamily('nl80211', nl80211cmd);

/** A decoded nl80211 message. */
export type Nl80211Message = ReturnType<(typeof nl80211cmd)['decode']>;
export type { Message };

const cmdNames = new Map<number, string>();
for (const [k, v] of Object.entries(NL80211_COMMANDS)) if (!cmdNames.has(v)) cmdNames.set(v, k);

/** 'NL80211_CMD_NEW_SCAN_RESULTS' for 34, or the number as text for an unknown command. */
export function commandName(cmd: number): string {
  return cmdNames.get(cmd) ?? String(cmd);
}
