// The protocol-independent core: codec, schemas, marshal, socket, transports, errors.
export * from './constants.js';
export * from './errno.js';
export * from './errors.js';
export * from './caller.js';
export * from './netnsref.js';
export * from './addr.js';
export * from './types.js';
export * from './attrs.js';
export * from './message.js';
export * from './control.js';
export * from './marshal.js';
export * from './registry.js';
export * from './writer.js';
export * from './transport.js';
export * from './replay.js';
export * from './subscription.js';
export * from './socket.js';
export { loadNative, NativeUnavailableError } from './native.js';
