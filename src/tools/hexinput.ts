// The pieces of pasted-text input (strace strings, strace hex-dump lines) and its
// typed error; hexstream.ts reads whole files with them. Knows nothing about netlink.

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
  n: 0x0a,
  t: 0x09,
  r: 0x0d,
  v: 0x0b,
  f: 0x0c,
  a: 0x07,
  b: 0x08,
  e: 0x1b,
  '"': 0x22,
  "'": 0x27,
  '\\': 0x5c,
  '?': 0x3f,
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
