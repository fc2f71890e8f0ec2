// ipset's errors: kernel codes mapped to the text ipset(8) prints, and input errors worded
// like ipset(8)'s "Syntax error: ..." lines.
import { NetlinkError, errnoName, errnoText, type ExtAck } from '../core/index.js';
import {
  IPSET_BITMAP_MESSAGES,
  IPSET_CMD,
  IPSET_CORE_MESSAGES,
  IPSET_ERR_BITMAP_NAMES,
  IPSET_ERR_HASH_NAMES,
  IPSET_ERR_LIST_NAMES,
  IPSET_ERR_NAMES,
  IPSET_ERR_PRIVATE,
  IPSET_ERR_TYPE_SPECIFIC,
  IPSET_HASH_MESSAGES,
  IPSET_LIST_MESSAGES,
  type IPSetErrorLine,
} from './constants.js';

function tableFor(typeName: string | undefined): readonly IPSetErrorLine[] {
  if (typeName?.startsWith('bitmap:')) return IPSET_BITMAP_MESSAGES;
  if (typeName?.startsWith('hash:')) return IPSET_HASH_MESSAGES;
  if (typeName?.startsWith('list:')) return IPSET_LIST_MESSAGES;
  return IPSET_CORE_MESSAGES;
}

function lookup(table: readonly IPSetErrorLine[], code: number, cmd: number): string | undefined {
  let generic: string | undefined;
  for (const [c, k, text] of table) {
    if (c !== code) continue;
    if (k === cmd) return text;
    if (k === 0) generic ??= text;
  }
  return generic;
}

/**
 * The message ipset(8) prints for a kernel error code (without its "ipset v7.17: " prefix):
 * type-specific codes need the set's type name, some texts depend on the command.
 */
export function ipsetMessage(code: number, cmd: number, typeName?: string): string {
  if (code >= IPSET_ERR_TYPE_SPECIFIC) {
    const t = tableFor(typeName);
    const text = t !== IPSET_CORE_MESSAGES ? lookup(t, code, cmd) : undefined;
    if (text) return text;
  }
  const core = lookup(IPSET_CORE_MESSAGES, code, cmd);
  if (core) return core;
  if (code < IPSET_ERR_PRIVATE) return `Kernel error received: ${errnoText(code)}`;
  return `Undecoded error ${code} received from kernel`;
}

/** Symbolic name of a code: IPSET_ERR_EXIST, IPSET_ERR_HASH_FULL (needs the type), ENOENT. */
export function ipsetErrorName(code: number, typeName?: string): string {
  if (code >= IPSET_ERR_TYPE_SPECIFIC) {
    const names = typeName?.startsWith('bitmap:')
      ? IPSET_ERR_BITMAP_NAMES
      : typeName?.startsWith('hash:')
        ? IPSET_ERR_HASH_NAMES
        : typeName?.startsWith('list:')
          ? IPSET_ERR_LIST_NAMES
          : undefined;
    return names?.[code] ?? `IPSET_ERR_TYPE_SPECIFIC+${code - IPSET_ERR_TYPE_SPECIFIC}`;
  }
  if (code >= IPSET_ERR_PRIVATE) return IPSET_ERR_NAMES[code] ?? `IPSET_ERR_${code}`;
  return errnoName(code);
}

const CMD_NAMES = new Map<number, string>(
  Object.entries(IPSET_CMD).map(([k, v]) => [v, k.slice('IPSET_CMD_'.length).toLowerCase()]),
);

/**
 * A request the kernel refused, in ipset's own terms: `code` is the IPSET_ERR_* (or errno)
 * name, `message` the text ipset(8) would print. Still a NetlinkError (errno = the raw code).
 */
export class IPSetError extends NetlinkError {
  override name = 'IPSetError';
  override readonly code: string;
  /** The ipset command that failed, e.g. 'add'. */
  readonly command: string;
  /** Set and type involved, when known. */
  readonly setName?: string;
  readonly typeName?: string;
  /** ipset(8)'s text alone, without the set name. */
  readonly ipsetMessage: string;
  /** What ipset(8) prints for this error (its text and detail, without the call's description). */
  readonly ipsetText: string;

  constructor(
    errno: number,
    cmd: number,
    opts: { setName?: string; typeName?: string; extack?: ExtAck; index?: number; detail?: string } = {},
  ) {
    super(errno, opts.extack ?? {}, opts.index);
    this.command = CMD_NAMES.get(cmd) ?? String(cmd);
    this.setName = opts.setName;
    this.typeName = opts.typeName;
    this.code = ipsetErrorName(errno, opts.typeName);
    this.ipsetMessage = ipsetMessage(errno, cmd, opts.typeName);
    const where = opts.detail ? ` (${opts.detail})` : '';
    this.message = this.ipsetText = `${this.ipsetMessage}${where}`;
  }

  /** Rebuild from a NetlinkError the socket layer raised. */
  static from(
    err: NetlinkError,
    cmd: number,
    opts: { setName?: string; typeName?: string; detail?: string; index?: number } = {},
  ): IPSetError {
    return new IPSetError(err.errno, cmd, { ...opts, extack: err.extack, index: opts.index ?? err.index });
  }
}

/** Input ipset(8) would reject before talking to the kernel ("Syntax error: ..."). */
export class IPSetSyntaxError extends Error {
  override name = 'IPSetSyntaxError';
  constructor(
    message: string,
    readonly input?: string,
  ) {
    super(message.startsWith('Syntax error') ? message : `Syntax error: ${message}`);
  }
}

/** A feature the set type (or this kernel's revision of it) does not have. */
export class IPSetUnsupportedError extends Error {
  override name = 'IPSetUnsupportedError';
  constructor(message: string) {
    super(message);
  }
}

/** A restore that stopped: which line, and why (ipset(8): "Error in line N: ..."). */
export class IPSetRestoreError extends Error {
  override name = 'IPSetRestoreError';
  constructor(
    readonly line: number,
    override readonly cause: Error,
  ) {
    // ipset(8)'s words: without the description of the call that failed.
    super(`Error in line ${line}: ${cause instanceof IPSetError ? cause.ipsetText : cause.message}`);
  }
}
