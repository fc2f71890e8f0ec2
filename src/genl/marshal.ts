// The NETLINK_GENERIC message policy: nlctrl is static (0x10); other families get their
// dynamic ids at run time, so offline everything else decodes as a bare genl message.
import { Marshal, NETLINK_GENERIC, registerProtocol } from '../core/index.js';
import { GENL_ID_CTRL } from './constants.js';
import { ctrlmsg } from './ctrlmsg.js';
import { genlmsg } from './genlmsg.js';

/** A fresh genl marshal: knows nlctrl; families are added with `marshal.register(id, selector)`. */
export function genlMarshal(): Marshal {
  return new Marshal({ [GENL_ID_CTRL]: ctrlmsg }, { fallback: genlmsg });
}

registerProtocol(NETLINK_GENERIC, 'NETLINK_GENERIC', genlMarshal);
