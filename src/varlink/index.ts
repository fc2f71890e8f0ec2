// nlroute/varlink: a varlink client and server (UNIX sockets), as nlrouted uses them.
export { VarlinkClient } from './client.js';
export {
  VarlinkServer,
  type CallContext,
  type Handler,
  type PeerCred,
  type ServerOptions,
  type ServiceInfo,
} from './server.js';
export { VarlinkError, serviceErrors } from './errors.js';
export { parseInterface, checkValue, VarlinkSyntaxError, type VInterface, type VType, type VMethod } from './idl.js';
export { CERTIFICATION_INTERFACE, certificationHandlers, runCertificationClient } from './certification.js';
