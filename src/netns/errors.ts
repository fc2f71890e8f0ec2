// Typed errors of namespace operations: errno names as codes, messages that say what happened.
// They live in core, where every socket-owning class checks its `netns` option.
export { NetnsError, NetnsNameError, netnsError } from '../core/netnsref.js';
