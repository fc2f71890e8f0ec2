// Typed errors of namespace operations: errno names as codes, messages that say what happened.
// NetnsError and NetnsNameError live in core, where every socket-owning class checks its
// `netns` option.
import type { ExecResult } from './exec.js';

export { NetnsError, NetnsNameError, netnsError } from '../core/netnsref.js';

/** exec() with `check: true` and a child that failed. */
export class NetnsExecError extends Error {
  override name = 'NetnsExecError';
  constructor(
    readonly argv: readonly string[],
    readonly result: ExecResult,
  ) {
    super(
      `${argv.join(' ')}: ${result.signal ? `killed by ${result.signal}` : `exit status ${result.code}`}${result.stderr ? `: ${result.stderr.trim().slice(0, 500)}` : ''}`,
    );
  }
}
