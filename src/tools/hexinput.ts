// Turns pasted text (strace strings, strace hex dumps, plain hex) into raw
// byte buffers for the decoder. Knows nothing about netlink itself.

/** Bad hex/string input, with the 1-based line and column where it went wrong. */
export class HexInputError extends Error {
  override readonly name = 'HexInputError';
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} (line ${line}, column ${column})`);
  }
}

/** One line of a strace hex dump: offset column and the bytes it lists. */
export interface HexDumpLine {
  offset: number;
  bytes: Buffer;
}

// ` | 00000  1c 00 ...  ascii |` — the offset has 5+ digits, then two spaces.
const DUMP_LINE = /^\s*\|\s([0-9a-fA-F]{5,})\s\s/;
// ` * 16 bytes in buffer 1` — strace prints one per iovec for *msg calls.
const DUMP_HEADER = /^\s*\*\s+(\d+)\s+bytes in buffer\s+(\d+)\s*$/;
// 16 bytes as "xx " with one extra space after the 8th: the ASCII column
// starts right after, so never read past this width (it may look like hex).
const DUMP_HEX_WIDTH = 16 * 3 + 1;

/** Parses one strace hex-dump line; null if the line is not one. */
export function parseHexDumpLine(line: string, lineNo = 1): HexDumpLine | null {
  const m = DUMP_LINE.exec(line);
  if (!m) return null;
  const start = m[0].length;
  const area = line.slice(start, start + DUMP_HEX_WIDTH);
  const out: number[] = [];
  const token = /\S+/g;
  for (let t = token.exec(area); t; t = token.exec(area)) {
    if (!/^[0-9a-fA-F]{2}$/.test(t[0])) {
      throw new HexInputError(`bad byte "${t[0]}" in hex dump`, lineNo, start + t.index + 1);
    }
    out.push(parseInt(t[0], 16));
  }
  return { offset: parseInt(m[1]!, 16), bytes: Buffer.from(out) };
}

/** Parses a strace `* N bytes in buffer K` header; null if the line is not one. */
export function parseDumpHeader(line: string): { size: number; index: number } | null {
  const m = DUMP_HEADER.exec(line);
  return m ? { size: Number(m[1]), index: Number(m[2]) } : null;
}

/** A decoded C/strace string literal and where it ended. */
export interface DecodedString {
  bytes: Buffer;
  /** Index just past the closing quote. */
  end: number;
  /** strace appended `...`: it cut the string at its -s limit. */
  cut: boolean;
}

const SIMPLE_ESCAPES: Record<string, number> = {
  n: 0x0a, t: 0x09, r: 0x0d, v: 0x0b, f: 0x0c, a: 0x07, b: 0x08, e: 0x1b,
  '"': 0x22, "'": 0x27, '\\': 0x5c, '?': 0x3f,
};

/**
 * Decodes the strace string literal whose opening quote is at text[start]:
 * \xHH, octal \NNN, \n \t \" \\ ..., and characters printed as themselves.
 * Raw line breaks inside the literal are skipped (a wrapped paste).
 */
export function decodeStraceString(text: string, start: number): DecodedString {
  if (text[start] !== '"') throw positioned(text, start, 'expected a quoted string');
  const out: number[] = [];
  let i = start + 1;
  for (;;) {
    if (i >= text.length) throw positioned(text, start, 'unterminated quoted string');
    const c = text.charCodeAt(i);
    if (c === 0x22) break;
    if (c === 0x0a || c === 0x0d) {
      i++;
      continue;
    }
    if (c !== 0x5c) {
      if (c < 0x80) out.push(c);
      else {
        // strace never prints non-ASCII raw; a pasted one is taken as UTF-8.
        const cp = text.codePointAt(i)!;
        const ch = String.fromCodePoint(cp);
        for (const b of Buffer.from(ch, 'utf8')) out.push(b);
        i += ch.length;
        continue;
      }
      i++;
      continue;
    }
    const e = text[i + 1];
    if (e === undefined) throw positioned(text, i, 'unterminated quoted string');
    if (e === 'x') {
      const m = /^[0-9a-fA-F]{1,2}/.exec(text.slice(i + 2, i + 4));
      if (!m) throw positioned(text, i, 'bad \\x escape');
      out.push(parseInt(m[0], 16));
      i += 2 + m[0].length;
    } else if (e >= '0' && e <= '7') {
      const m = /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4))!;
      const v = parseInt(m[0], 8);
      if (v > 0xff) throw positioned(text, i, 'octal escape out of range');
      out.push(v);
      i += 1 + m[0].length;
    } else if (e in SIMPLE_ESCAPES) {
      out.push(SIMPLE_ESCAPES[e]!);
      i += 2;
    } else {
      throw positioned(text, i, `unknown escape \\${e}`);
    }
  }
  const end = i + 1;
  return { bytes: Buffer.from(out), end, cut: text.startsWith('...', end) };
}

/** Line/column (1-based) of a string index. */
export function positionOf(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: index - lineStart + 1 };
}

function positioned(text: string, index: number, message: string): HexInputError {
  const { line, column } = positionOf(text, index);
  return new HexInputError(message, line, column);
}

/**
 * Turns pasted text into byte buffers, one per message block. Accepts strace
 * hex-dump lines (used alone when present), else quoted strace strings (only
 * the quoted parts are read), else plain hex. Throws HexInputError on bad input.
 */
export function parseHexInput(text: string): Buffer[] {
  const lines = text.split(/\r?\n/);
  if (lines.some((l) => DUMP_LINE.test(l))) return fromDumps(lines);
  if (text.includes('"')) return fromQuoted(text);
  return fromPlainHex(lines);
}

// Dump mode: an offset of 00000 starts a new buffer, except after a
// `* N bytes in buffer K` header with K > 0 (next iovec of the same call).
function fromDumps(lines: string[]): Buffer[] {
  const buffers: Buffer[] = [];
  let parts: Buffer[] = [];
  let size = 0;
  let partStart = 0;
  let continueIovec = false;
  const flush = () => {
    if (size > 0) buffers.push(Buffer.concat(parts, size));
    parts = [];
    size = 0;
  };
  lines.forEach((line, idx) => {
    const header = parseDumpHeader(line);
    if (header) {
      continueIovec = header.index > 0;
      return;
    }
    const dump = parseHexDumpLine(line, idx + 1);
    if (!dump) return;
    if (dump.offset === 0) {
      if (!continueIovec) flush();
      partStart = size;
      continueIovec = false;
    } else if (partStart + dump.offset !== size) {
      throw new HexInputError(
        `hex dump offset ${dump.offset.toString(16)} does not follow the previous line ` +
          `(expected ${(size - partStart).toString(16)}); lines missing?`,
        idx + 1,
        line.indexOf('|') + 3,
      );
    }
    parts.push(dump.bytes);
    size += dump.bytes.length;
  });
  flush();
  return buffers;
}

// Quoted mode: every "..." literal is one buffer; text around it is ignored.
function fromQuoted(text: string): Buffer[] {
  const buffers: Buffer[] = [];
  for (let i = text.indexOf('"'); i !== -1; ) {
    const s = decodeStraceString(text, i);
    if (s.bytes.length > 0) buffers.push(s.bytes);
    i = text.indexOf('"', s.end);
  }
  return buffers;
}

// Plain hex: whitespace, `:` and `,` separate; `0x` / `\x` prefixes and
// `#` comments are allowed; a blank line ends a buffer.
function fromPlainHex(lines: string[]): Buffer[] {
  const buffers: Buffer[] = [];
  let cur: number[] = [];
  const flush = () => {
    if (cur.length > 0) buffers.push(Buffer.from(cur));
    cur = [];
  };
  lines.forEach((raw, idx) => {
    const hash = raw.indexOf('#');
    const line = hash === -1 ? raw : raw.slice(0, hash);
    if (line.trim() === '') {
      if (hash === -1) flush(); // a comment-only line does not split a block
      return;
    }
    const token = /[^\s:,]+/g;
    for (let t = token.exec(line); t; t = token.exec(line)) {
      for (const piece of splitBackslashX(t[0], t.index)) {
        let digits = piece.text;
        let col = piece.index + 1;
        if (/^0[xX]/.test(digits)) {
          digits = digits.slice(2);
          col += 2;
        }
        const bad = /[^0-9a-fA-F]/.exec(digits);
        if (bad) {
          throw new HexInputError(`not a hex digit: "${bad[0]}"`, idx + 1, col + bad.index);
        }
        if (digits.length === 0) {
          throw new HexInputError('prefix without hex digits', idx + 1, piece.index + 1);
        }
        if (digits.length % 2 !== 0) {
          throw new HexInputError(
            `odd number of hex digits (${digits.length}) in "${piece.text}"`,
            idx + 1,
            piece.index + 1,
          );
        }
        for (let k = 0; k < digits.length; k += 2) cur.push(parseInt(digits.slice(k, k + 2), 16));
      }
    }
  });
  flush();
  return buffers;
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
