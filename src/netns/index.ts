// nlroute/netns: network namespaces, interoperable with `ip netns`.
export { create, createAsync, remove, list, attach, exists, requireNetns } from './ops.js';
export {
  exec,
  spawn,
  NetnsExecError,
  type ExecResult,
  type ExecVia,
  type NetnsExecOptions,
  type NetnsSpawnOptions,
} from './exec.js';
export { run, current } from './run.js';
export { NetnsError, NetnsNameError } from './errors.js';
export { NETNS_RUN_DIR, NETNS_NAME_MAX, validateName, netnsFile } from './names.js';
export { getNsid, setNsid, listNsids, watchNsid, type NsidOptions, type NsidMessage } from './nsid.js';
export { NetNS, type NetNSOptions } from './netns.js';
