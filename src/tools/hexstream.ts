// Reads netlink sample files line by line, in constant memory: strace hex dumps,
// strace strings ("\x1c\x00..."), plain hex, with the conventions of sample files in
// the wild. Emits bytes and buffer breaks; knows nothing about netlink itself.
//
// Conventions (outside the data, any mode):
//   `#!` at a line start: the rest of the file is the code that made the capture.
//   `#:` at a line start: a JSON metadata block follows, up to a `:#` line or the end
//        of the JSON value. `;` at a line start: a comment line. `.` at a line start:
//        the data ends there (notes may follow).
//   `#` outside a quoted string: a comment to the end of the line.
// Plain hex: whitespace (blank lines too) only separates digits; a blank line is a soft
// break (the bytes so far may end a buffer, or the message may go on).
import { HexInputError, decodeStraceString, parseDumpHeader, parseHexDumpLine } from './hexinput.js';

/** What the reader found, in file order (metadata and code may come before the data around them). */
export type HexEvent =
  | { kind: 'bytes'; bytes: Buffer; line: number }
  /** A buffer may end here. Hard: a new strace buffer starts (a datagram ended); soft: a blank line. */
  | { kind: 'break'; hard: boolean; line: number }
  | { kind: 'meta'; value: unknown; line: number }
  | { kind: 'code'; text: string; line: number }
  | { kind: 'error'; error: HexInputError };

type Mode = 'dump' | 'quoted' | 'plain';

// The mode is decided on the first data lines: dump lines win, then quoted strings.
const SNIFF_LINES = 4096;
const SNIFF_CHARS = 1 << 20;
// A quoted literal or metadata block larger than this is not a sample file.
const MAX_BLOCK_CHARS = 64 << 20;
const MAX_CODE_CHARS = 1 << 20;
const DUMP_LINE = /^\s*\|\s[0-9a-fA-F]{5,}\s\s/;

/** Feed lines with `line()`, then call `end()`; events go to the callback as they are found. */
export class HexLineReader {
  private lineNo = 0;
  private state: 'data' | 'code' | 'meta' | 'done' = 'data';
  private code = '';
  private codeLine = 0;
  private meta = '';
  private metaLine = 0;
  private mode: Mode | undefined;
  private sniffed: { text: string; no: number }[] = [];
  private sniffChars = 0;
  // dump mode
  private dumpSize = 0;
  private dumpPartStart = 0;
  private continueIovec = false;
  // quoted mode: a literal that runs over several lines
  private literal = '';
  private literalLine = 0;
  private literalCol = 0;

  constructor(private readonly emit: (e: HexEvent) => void) {}

  /** One line of input, without its line break. */
  line(raw: string): void {
    this.lineNo++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.state === 'code') {
      if (this.code.length < MAX_CODE_CHARS) this.code += text + '\n';
      return;
    }
    if (this.state === 'done') return;
    if (this.state === 'meta') return this.metaLine_(text);
    if (!this.literal) {
      const t = text.trimStart();
      if (t.startsWith('#!')) {
        this.state = 'code';
        this.codeLine = this.lineNo;
        return;
      }
      if (t.startsWith('#:')) {
        this.state = 'meta';
        this.metaLine = this.lineNo;
        this.meta = '';
        const rest = t.slice(2);
        if (rest.trim()) this.metaLine_(rest, true);
        return;
      }
      if (t.startsWith(';')) return;
      if (t.startsWith('.')) {
        this.state = 'done';
        return;
      }
    }
    if (this.mode) return this.data(text, this.lineNo);
    this.sniffed.push({ text, no: this.lineNo });
    this.sniffChars += text.length;
    if (this.sniffed.length >= SNIFF_LINES || this.sniffChars >= SNIFF_CHARS) this.decide();
  }

  /** The input ended. */
  end(): void {
    if (!this.mode) this.decide();
    if (this.state === 'meta' && this.meta.trim()) this.metaEnd();
    if (this.state === 'code') this.emit({ kind: 'code', text: this.code, line: this.codeLine });
    if (this.literal) {
      this.error('unterminated quoted string', this.literalLine, this.literalCol);
      this.literal = '';
    }
    this.emit({ kind: 'break', hard: true, line: this.lineNo });
  }

  private decide(): void {
    const lines = this.sniffed;
    this.sniffed = [];
    if (lines.some((l) => DUMP_LINE.test(l.text))) this.mode = 'dump';
    else if (lines.some((l) => hasQuote(l.text))) this.mode = 'quoted';
    else this.mode = 'plain';
    for (const l of lines) this.data(l.text, l.no);
  }

  private data(text: string, no: number): void {
    if (this.mode === 'dump') this.dumpLine(text, no);
    else if (this.mode === 'quoted') this.quotedLine(text, no);
    else this.plainLine(text, no);
  }

  private metaLine_(text: string, first = false): void {
    if (!first && text.trim() === ':#') return this.metaEnd();
    this.meta += text + '\n';
    if (this.meta.length > MAX_BLOCK_CHARS) {
      this.error('metadata block too large (no closing ":#"?)', this.metaLine, 1);
      this.state = 'done';
      return;
    }
    // A block without the closing line ends with its JSON value.
    if (/[}\]]\s*$/.test(text)) {
      try {
        const value: unknown = JSON.parse(this.meta);
        this.emit({ kind: 'meta', value, line: this.metaLine });
        this.state = 'data';
      } catch {
        /* not complete yet */
      }
    }
  }

  private metaEnd(): void {
    this.state = 'data';
    try {
      this.emit({ kind: 'meta', value: JSON.parse(this.meta), line: this.metaLine });
    } catch (e) {
      this.error(`metadata block is not JSON: ${(e as Error).message}`, this.metaLine, 1);
    }
  }

  private error(message: string, line: number, column: number): void {
    this.emit({ kind: 'error', error: new HexInputError(message, line, column) });
  }

  // strace 6.x `-e write/read` dumps: offset 00000 starts a new buffer, except after a
  // `* N bytes in buffer K` header with K > 0 (the next iovec of the same call).
  private dumpLine(text: string, no: number): void {
    const header = parseDumpHeader(text);
    if (header) {
      this.continueIovec = header.index > 0;
      return;
    }
    let dump;
    try {
      dump = parseHexDumpLine(text, no);
    } catch (e) {
      this.emit({ kind: 'error', error: e as HexInputError });
      return;
    }
    if (!dump) return;
    if (dump.offset === 0) {
      if (!this.continueIovec) {
        this.emit({ kind: 'break', hard: true, line: no });
        this.dumpSize = 0;
      }
      this.dumpPartStart = this.dumpSize;
      this.continueIovec = false;
    } else if (this.dumpPartStart + dump.offset !== this.dumpSize) {
      this.error(
        `hex dump offset ${dump.offset.toString(16)} does not follow the previous line ` +
          `(expected ${(this.dumpSize - this.dumpPartStart).toString(16)}); lines missing?`,
        no,
        text.indexOf('|') + 3,
      );
      // Take the line as the start of a new buffer, so one gap costs one buffer.
      this.emit({ kind: 'break', hard: true, line: no });
      this.dumpSize = this.dumpPartStart = dump.offset;
    }
    this.dumpSize += dump.bytes.length;
    this.emit({ kind: 'bytes', bytes: dump.bytes, line: no });
  }

  // Quoted strings: every "..." literal is one buffer; text around it (the rest of a
  // strace line) is ignored, and so is a `#` comment.
  private quotedLine(text: string, no: number): void {
    let i = 0;
    if (this.literal) {
      const close = closingQuote(text, 0);
      if (close === -1) {
        this.literal += '\n' + text;
        if (this.literal.length > MAX_BLOCK_CHARS) {
          this.error('quoted string too large', this.literalLine, 1);
          this.literal = '';
        }
        return;
      }
      this.literalDone(this.literal + '\n' + text.slice(0, close + 1), this.literalLine, this.literalCol);
      this.literal = '';
      i = close + 1;
    }
    while (i < text.length) {
      const c = text[i];
      if (c === '#') return;
      if (c !== '"') {
        i++;
        continue;
      }
      const close = closingQuote(text, i + 1);
      if (close === -1) {
        this.literal = text.slice(i);
        this.literalLine = no;
        this.literalCol = i + 1;
        return;
      }
      this.literalDone(text.slice(i, close + 1), no, i + 1);
      i = close + 1;
    }
  }

  private literalDone(literal: string, no: number, col: number): void {
    try {
      const s = decodeStraceString(literal, 0);
      if (!s.bytes.length) return;
      this.emit({ kind: 'break', hard: true, line: no });
      this.emit({ kind: 'bytes', bytes: s.bytes, line: no });
    } catch (e) {
      const err = e as HexInputError;
      const message = err.message.replace(/ \(line \d+, column \d+\)$/, '');
      const column = err.line === 1 ? col + err.column - 1 : err.column;
      this.emit({ kind: 'error', error: new HexInputError(message, no + err.line - 1, column) });
    }
  }

  // Plain hex: whitespace, `:` and `,` separate; `0x` / `\x` prefixes are allowed.
  private plainLine(raw: string, no: number): void {
    const hash = raw.indexOf('#');
    const line = hash === -1 ? raw : raw.slice(0, hash);
    if (line.trim() === '') {
      if (hash === -1) this.emit({ kind: 'break', hard: false, line: no }); // a comment line does not break
      return;
    }
    const parts: Buffer[] = [];
    const token = /[^\s:,]+/g;
    for (let t = token.exec(line); t; t = token.exec(line)) {
      for (const piece of splitBackslashX(t[0], t.index)) {
        let digits = piece.text;
        let col = piece.index + 1;
        if (digits.length > 1 && (digits[1] === 'x' || digits[1] === 'X') && digits[0] === '0') {
          digits = digits.slice(2);
          col += 2;
        }
        const bad = /[^0-9a-fA-F]/.exec(digits);
        if (bad) return this.error(`not a hex digit: "${bad[0]}"`, no, col + bad.index);
        if (digits.length === 0) return this.error('prefix without hex digits', no, piece.index + 1);
        if (digits.length % 2 !== 0) {
          return this.error(`odd number of hex digits (${digits.length}) in "${piece.text}"`, no, piece.index + 1);
        }
        parts.push(Buffer.from(digits, 'hex'));
      }
    }
    if (!parts.length) return;
    this.emit({ kind: 'bytes', bytes: parts.length === 1 ? parts[0]! : Buffer.concat(parts), line: no });
  }
}

/** A `"` outside a `#` comment (plain hex never has one). */
function hasQuote(text: string): boolean {
  const q = text.indexOf('"');
  if (q === -1) return false;
  const hash = text.indexOf('#');
  return hash === -1 || q < hash;
}

/** Index of the `"` closing a literal whose body starts at `from`, or -1. */
function closingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

// `\x1c\x00` pasted without quotes: each `\x` starts a new byte group.
function splitBackslashX(token: string, index: number): { text: string; index: number }[] {
  if (!token.includes('\\')) return [{ text: token, index }];
  const out: { text: string; index: number }[] = [];
  const re = /\\[xX]([^\\]*)|([^\\]+)|(\\)/g;
  for (let m = re.exec(token); m; m = re.exec(token)) {
    if (m[1] !== undefined) out.push({ text: m[1], index: index + m.index + 2 });
    else if (m[2] !== undefined) out.push({ text: m[2], index: index + m.index });
    else out.push({ text: '\\', index: index + m.index }); // lone backslash -> error later
  }
  return out;
}

/**
 * Turns pasted text into byte buffers, one per buffer the input shows (a strace buffer,
 * a quoted string, a block of plain hex ended by a blank line). Strace hex-dump lines are
 * used alone when present, else quoted strings, else plain hex. Throws HexInputError.
 */
export function parseHexInput(text: string): Buffer[] {
  const buffers: Buffer[] = [];
  let parts: Buffer[] = [];
  const flush = () => {
    if (parts.length) buffers.push(Buffer.concat(parts));
    parts = [];
  };
  const reader = new HexLineReader((e) => {
    if (e.kind === 'error') throw e.error;
    if (e.kind === 'bytes') parts.push(e.bytes);
    else if (e.kind === 'break') flush();
  });
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const l of lines) reader.line(l);
  reader.end();
  return buffers;
}
