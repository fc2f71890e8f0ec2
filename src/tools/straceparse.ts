// Reads a whole strace log and pulls out the bytes sent to and received from
// netlink sockets, in order. Handles strace 6.x decoded output with -e
// write/read hex dumps and the older raw "\x.." string form, -f pid prefixes,
// <unfinished ...>/<... resumed> splits, -t/-tt/-ttt timestamps, -T times and
// -y/-yy fd annotations. Never throws on odd lines: it skips them.
import { NETLINK_PROTOCOLS as CORE_PROTOCOLS } from '../core/constants.js';
import { decodeStraceString, parseDumpHeader, parseHexDumpLine } from './hexinput.js';

/** Netlink protocol numbers from <linux/netlink.h> (the core's table, plus the INET_DIAG alias). */
export const NETLINK_PROTOCOLS: Readonly<Record<string, number>> = { ...CORE_PROTOCOLS, NETLINK_INET_DIAG: 4 };

/** Name for a netlink protocol number (`NETLINK_<n>` when unknown). */
export function netlinkProtocolName(protocol: number): string {
  if (protocol === 4) return 'NETLINK_SOCK_DIAG';
  for (const [name, n] of Object.entries(NETLINK_PROTOCOLS)) if (n === protocol) return name;
  return `NETLINK_${protocol}`;
}

/** A netlink socket() seen in the log. */
export interface StraceSocket {
  /** Process/thread id from the `[pid N]` prefix; 0 if strace printed none and it could not be inferred. */
  pid: number;
  fd: number;
  protocol: number;
  protocolName: string;
  /** 1-based line of the socket() call (or of the first use, for -yy annotated fds). */
  line: number;
}

/** Bytes that crossed a netlink socket in one syscall. */
export interface StraceTransfer {
  pid: number;
  fd: number;
  protocol: number;
  protocolName: string;
  direction: 'send' | 'recv';
  syscall: string;
  /** The data: for recv only what the kernel returned (never the whole buffer). */
  bytes: Buffer;
  /** The syscall's return value. */
  returned: number;
  /** bytes is shorter than the datagram (small buffer, MSG_TRUNC, strace -s cut, no data printed). */
  truncated: boolean;
  /** A MSG_PEEK read (usually MSG_PEEK|MSG_TRUNC to size the buffer); the real read follows. */
  peek: boolean;
  /** Where bytes came from: strace's hex dump, its quoted string, or nothing usable. */
  source: 'hexdump' | 'string' | 'none';
  /** 1-based line where the syscall completed. */
  line: number;
}

/** A line that looked relevant but could not be used. */
export interface StraceWarning {
  line: number;
  message: string;
}

/** Everything parseStraceLog found. */
export interface StraceSession {
  sockets: StraceSocket[];
  transfers: StraceTransfer[];
  warnings: StraceWarning[];
}

const SEND_CALLS = new Set(['sendto', 'send', 'sendmsg', 'write']);
const RECV_CALLS = new Set(['recvfrom', 'recv', 'recvmsg', 'read']);
const MSG_PEEK = 0x2;
const MSG_TRUNC = 0x20;

const PID_PREFIX = /^\[pid\s+(\d+)(?:<[^>]*>)?\]\s?/;
// With -f and -o FILE, strace prefixes every line with the bare pid: `1234  sendto(...`.
const OUTFILE_PID_PREFIX = /^(\d+) +(?=[a-z_<+-])/;
const TIMESTAMP = /^\s*(?:\d{2}:\d{2}:\d{2}(?:\.\d+)?|\d+\.\d+)\s+/;
const CALL_START = /^([a-z_][a-z0-9_]*)\(/;
const RESUMED = /^<\.\.\. ([a-z_][a-z0-9_]*) resumed>\s?/;
const UNFINISHED = / ?<unfinished \.\.\.>\s*$/;
const ATTACHED = /^strace: Process (\d+) attached/;

interface SocketEntry {
  info: StraceSocket | null; // null: a non-netlink socket owns this fd now
  seq: number;
}

// The transfer that hex-dump lines following it belong to.
interface OpenTransfer {
  t: StraceTransfer;
  stringBytes: Buffer | null;
  stringCut: boolean;
  capacity: number | null; // buffer size offered to recv
  msgTrunc: boolean;
  dump: Buffer[];
  dumpSize: number;
  segmentStart: number;
}

/** Parses a strace log into the netlink sockets it opened and the bytes they carried. */
export function parseStraceLog(text: string): StraceSession {
  return new StraceLogParser().run(text);
}

class StraceLogParser {
  private readonly sockets: StraceSocket[] = [];
  private readonly transfers: StraceTransfer[] = [];
  private readonly warnings: StraceWarning[] = [];
  private readonly fds = new Map<string, SocketEntry>();
  private readonly pending = new Map<number, string>();
  private readonly attached = new Set<number>();
  private open: OpenTransfer | null = null;
  private seq = 0;
  private mainPidKnown = false;

  run(text: string): StraceSession {
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) this.line(lines[i]!, i + 1);
    this.closeOpen();
    return { sockets: this.sockets, transfers: this.transfers, warnings: this.warnings };
  }

  private line(raw: string, lineNo: number): void {
    if (this.open) {
      const header = parseDumpHeader(raw);
      if (header) {
        this.open.segmentStart = this.open.dumpSize;
        return;
      }
      if (this.dumpLine(raw, lineNo)) return;
      this.closeOpen();
    }
    const att = ATTACHED.exec(raw);
    if (att) {
      this.attached.add(Number(att[1]));
      return;
    }
    let rest = raw;
    let pid = 0;
    const p = PID_PREFIX.exec(rest) ?? OUTFILE_PID_PREFIX.exec(rest);
    if (p) {
      pid = Number(p[1]);
      rest = rest.slice(p[0].length);
      this.learnMainPid(pid);
    }
    rest = rest.replace(TIMESTAMP, '');
    const resumed = RESUMED.exec(rest);
    if (resumed) {
      const head = this.pending.get(pid);
      this.pending.delete(pid);
      if (head === undefined || !head.startsWith(`${resumed[1]}(`)) {
        if (SEND_CALLS.has(resumed[1]!) || RECV_CALLS.has(resumed[1]!)) {
          this.warn(lineNo, `${resumed[1]} resumed without its start; skipped`);
        }
        return;
      }
      rest = head + rest.slice(resumed[0].length);
    } else if (UNFINISHED.test(rest)) {
      if (CALL_START.test(rest)) this.pending.set(pid, rest.replace(UNFINISHED, ''));
      return;
    }
    const call = CALL_START.exec(rest);
    if (call) this.call(call[1]!, rest, pid, lineNo);
  }

  // Lines printed before strace knew of a second process carry no prefix; the
  // first prefixed pid that strace never announced as attached is their pid.
  private learnMainPid(pid: number): void {
    if (this.mainPidKnown || this.attached.has(pid)) return;
    this.mainPidKnown = true;
    for (const s of this.sockets) if (s.pid === 0) s.pid = pid;
    for (const t of this.transfers) if (t.pid === 0) t.pid = pid;
    for (const [key, entry] of [...this.fds]) {
      if (!key.startsWith('0:')) continue;
      this.fds.delete(key);
      const moved = `${pid}:${key.slice(2)}`;
      if (!this.fds.has(moved)) this.fds.set(moved, entry);
    }
  }

  private call(name: string, text: string, pid: number, lineNo: number): void {
    const parsed = splitCall(text, name.length + 1);
    if (!parsed) return; // not a complete syscall line
    const { args, ret } = parsed;
    if (name === 'socket') return this.socketCall(args, ret, pid, lineNo);
    if (name === 'close') {
      if (ret === 0) this.fds.set(`${pid}:${parseFd(args[0])}`, { info: null, seq: ++this.seq });
      return;
    }
    if (name === 'dup' || name === 'dup2' || name === 'dup3') {
      const from = this.lookup(pid, args[0] ?? '');
      if (ret !== null && ret >= 0 && from) {
        const info = { ...from, pid, fd: ret, line: lineNo };
        this.fds.set(`${pid}:${ret}`, { info, seq: ++this.seq });
      }
      return;
    }
    const send = SEND_CALLS.has(name);
    if (!send && !RECV_CALLS.has(name)) return;
    if (ret === null || ret < 0) return; // failed or unknown result: no data moved
    const sock = this.lookup(pid, args[0] ?? '');
    if (!sock) return;
    const open: OpenTransfer = {
      t: {
        pid,
        fd: sock.fd,
        protocol: sock.protocol,
        protocolName: sock.protocolName,
        direction: send ? 'send' : 'recv',
        syscall: name,
        bytes: Buffer.alloc(0),
        returned: ret,
        truncated: false,
        peek: false,
        source: 'none',
        line: lineNo,
      },
      stringBytes: null,
      stringCut: false,
      capacity: null,
      msgTrunc: false,
      dump: [],
      dumpSize: 0,
      segmentStart: 0,
    };
    try {
      if (name === 'sendmsg' || name === 'recvmsg') readMsghdr(open, args[1] ?? '');
      else readFlatBuffer(open, args[1] ?? '', args[2] ?? '');
    } catch (e) {
      this.warn(lineNo, `${name}: unreadable data string (${(e as Error).message})`);
      open.stringBytes = null;
    }
    const flags = (args[name === 'sendmsg' || name === 'recvmsg' ? 2 : 3] ?? '').trim();
    // Without printed flags, a return larger than the buffer can only be a
    // MSG_PEEK|MSG_TRUNC sizing read. With flags, an oversize plain read is a
    // real read that lost its tail (truncated, not peek: nothing re-reads it).
    open.t.peek =
      !send && (flags === '' ? open.capacity !== null && ret > open.capacity : hasFlag(flags, 'MSG_PEEK', MSG_PEEK));
    this.open = open;
  }

  private socketCall(args: string[], ret: number | null, pid: number, lineNo: number): void {
    if (ret === null || ret < 0) return;
    const family = firstToken(args[0] ?? '');
    const isNetlink = family === 'AF_NETLINK' || family === 'PF_NETLINK' || numeric(family) === 16;
    let info: StraceSocket | null = null;
    if (isNetlink) {
      const protoTok = firstToken(args[2] ?? '');
      const protocol = NETLINK_PROTOCOLS[protoTok] ?? numeric(protoTok);
      if (protocol === null) {
        this.warn(lineNo, `netlink socket with unknown protocol "${args[2]}"`);
        return;
      }
      info = { pid, fd: ret, protocol, protocolName: netlinkProtocolName(protocol), line: lineNo };
      this.sockets.push(info);
    }
    this.fds.set(`${pid}:${ret}`, { info, seq: ++this.seq });
  }

  // Own pid first; then a -yy annotation; then the newest socket with that fd
  // number in another pid (threads share fds, children inherit them).
  private lookup(pid: number, fdArg: string): StraceSocket | null {
    const fd = parseFd(fdArg);
    if (fd === null) return null;
    const own = this.fds.get(`${pid}:${fd}`);
    if (own) return own.info;
    const ann = /<NETLINK:\[([A-Z0-9_]+):/.exec(fdArg);
    if (ann) {
      const protocol = NETLINK_PROTOCOLS[`NETLINK_${ann[1]}`] ?? numeric(ann[1]!);
      if (protocol !== null) {
        const info = { pid, fd, protocol, protocolName: netlinkProtocolName(protocol), line: 0 };
        this.sockets.push(info);
        this.fds.set(`${pid}:${fd}`, { info, seq: ++this.seq });
        return info;
      }
    }
    let best: SocketEntry | null = null;
    for (const [key, entry] of this.fds) {
      if (key.endsWith(`:${fd}`) && (!best || entry.seq > best.seq)) best = entry;
    }
    return best?.info ?? null;
  }

  private dumpLine(raw: string, lineNo: number): boolean {
    const open = this.open!;
    let dump;
    try {
      dump = parseHexDumpLine(raw, lineNo);
    } catch (e) {
      this.warn(lineNo, (e as Error).message);
      return true;
    }
    if (!dump) return false;
    if (open.segmentStart + dump.offset !== open.dumpSize) {
      this.warn(lineNo, `hex dump offset ${dump.offset.toString(16)} out of sequence`);
    }
    open.dump.push(dump.bytes);
    open.dumpSize += dump.bytes.length;
    return true;
  }

  private closeOpen(): void {
    const open = this.open;
    if (!open) return;
    this.open = null;
    const t = open.t;
    if (open.dumpSize > 0) {
      t.bytes = Buffer.concat(open.dump, open.dumpSize);
      t.source = 'hexdump';
    } else if (open.stringBytes) {
      t.bytes = open.stringBytes;
      t.source = open.stringBytes.length > 0 || t.returned === 0 ? 'string' : 'none';
    }
    // strace dumps `returned` bytes even when MSG_TRUNC made that larger than
    // the buffer; whatever lies past the buffer is unrelated tracee memory.
    const limit = Math.min(t.returned, open.capacity ?? Infinity);
    if (t.bytes.length > limit) t.bytes = t.bytes.subarray(0, limit);
    t.truncated = open.msgTrunc || t.bytes.length < t.returned || (t.source === 'string' && open.stringCut);
    this.transfers.push(t);
  }

  private warn(line: number, message: string): void {
    this.warnings.push({ line, message });
  }
}

// Splits `name(arg, arg, ...) = ret ...` at top level. Returns null when the
// closing parenthesis or a numeric return value is missing.
function splitCall(text: string, from: number): { args: string[]; ret: number | null } | null {
  const args: string[] = [];
  let depth = 0;
  let argStart = from;
  let i = from;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      i = skipString(text, i);
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ')') {
      if (depth === 0) break;
      depth--;
    } else if (c === ',' && depth === 0) {
      args.push(text.slice(argStart, i).trim());
      argStart = i + 1;
    }
  }
  if (i >= text.length) return null;
  const last = text.slice(argStart, i).trim();
  if (last !== '' || args.length > 0) args.push(last);
  const m = /^\s*=\s*(-?\d+|0x[0-9a-fA-F]+|\?)/.exec(text.slice(i + 1));
  if (!m) return null;
  return { args, ret: m[1] === '?' ? null : Number(m[1]) };
}

// Index of the closing quote of the string opening at i (or the end of text).
function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === '"') return j;
  }
  return text.length;
}

// sendto/recvfrom/send/recv/write/read: (fd, buf, len, ...).
function readFlatBuffer(open: OpenTransfer, buf: string, len: string): void {
  const n = numeric(firstToken(len));
  if (open.t.direction === 'recv' && n !== null) open.capacity = n;
  if (buf.startsWith('"')) {
    const s = decodeStraceString(buf, 0);
    open.stringBytes = s.bytes;
    open.stringCut = s.cut;
  }
}

// sendmsg/recvmsg: concatenates the iovec strings; also reads iov_len (the
// recv capacity) and msg_flags (MSG_TRUNC: the kernel dropped the tail).
function readMsghdr(open: OpenTransfer, msghdr: string): void {
  const fields = structFields(msghdr);
  if (!fields) return;
  const iovField = fields.find((f) => f.name === 'msg_iov');
  const flagField = fields.find((f) => f.name === 'msg_flags');
  if (flagField && open.t.direction === 'recv') open.msgTrunc = hasFlag(flagField.value, 'MSG_TRUNC', MSG_TRUNC);
  if (!iovField || !iovField.value.startsWith('[')) return;
  const parts: Buffer[] = [];
  let capacity = 0;
  let haveStrings = true;
  for (const elem of topLevelItems(iovField.value.slice(1, -1))) {
    const iov = structFields(elem);
    if (!iov) continue;
    const base = iov.find((f) => f.name === 'iov_base') ?? iov.find((f) => f.name === '#0');
    const len = iov.find((f) => f.name === 'iov_len') ?? iov.find((f) => f.name === '#1');
    capacity += numeric(firstToken(len?.value ?? '')) ?? 0;
    const v = base?.value ?? '';
    if (v.startsWith('"')) {
      const s = decodeStraceString(v, 0);
      parts.push(s.bytes);
      if (s.cut) open.stringCut = true;
    } else if (v !== 'NULL') {
      haveStrings = false;
    }
  }
  open.capacity = capacity;
  if (haveStrings) open.stringBytes = Buffer.concat(parts);
}

// `{a=1, b(2)={...}, "x", 3}` -> [{name:'a'}, {name:'b'}, {name:'#2'}, {name:'#3'}]
function structFields(text: string): { name: string; value: string }[] | null {
  const t = text.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return null;
  return topLevelItems(t.slice(1, -1)).map((item, idx) => {
    const m = /^([a-z_][a-z0-9_]*)(?:\(\d+\))?=/.exec(item);
    return m ? { name: m[1]!, value: item.slice(m[0].length).trim() } : { name: `#${idx}`, value: item };
  });
}

// Splits a list body at top-level commas (quotes and brackets respected).
function topLevelItems(body: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '"') i = skipString(body, i);
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      items.push(body.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = body.slice(start).trim();
  if (last !== '') items.push(last);
  return items;
}

function parseFd(arg: string | undefined): number | null {
  const m = /^\s*(\d+)/.exec(arg ?? '');
  return m ? Number(m[1]) : null;
}

// First token of an argument, without -y annotations or /* comments */.
function firstToken(arg: string): string {
  return arg.trim().split(/[\s<]/)[0] ?? '';
}

function numeric(tok: string): number | null {
  if (/^-?\d+$/.test(tok)) return Number(tok);
  if (/^0x[0-9a-fA-F]+$/.test(tok)) return parseInt(tok, 16);
  return null;
}

// Flags print as `MSG_PEEK|MSG_TRUNC`, or as numbers (`0x22`, `0x2|0x20`) with -X raw.
function hasFlag(value: string, name: string, bit: number): boolean {
  return firstToken(value)
    .split('|')
    .some((part) => {
      const n = numeric(part);
      return n !== null ? (n & bit) !== 0 : part === name;
    });
}
