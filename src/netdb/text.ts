// Flat strings for the view's records and keys. Text joined with `+` or a template is a tree
// of cons-string nodes (32 bytes each in V8) until something flattens it; an address and its
// prefix length made that way held ~160 bytes. Written as bytes and sliced once, it is one
// flat string: the difference between a large route table fitting its memory budget or not.
const scratch = Buffer.allocUnsafe(1024);
// Buffer's own latin1Slice: toString('latin1', ...) checks its arguments first, on every call.
const slice = (scratch as unknown as { latin1Slice(from: number, to: number): string }).latin1Slice.bind(scratch);
let pos = 0;

/** Start a new string. */
export function start(): void {
  pos = 0;
}

/** Append text (ASCII). */
export function text(s: string): void {
  for (let i = 0; i < s.length && pos < scratch.length; i++) scratch[pos++] = s.charCodeAt(i);
}

/** Append one character code. */
export function char(c: number): void {
  if (pos < scratch.length) scratch[pos++] = c;
}

/** Append a non-negative integer in decimal. */
export function num(n: number): void {
  if (n === 0) return char(48);
  const from = pos;
  for (; n > 0 && pos < scratch.length; n = Math.floor(n / 10)) scratch[pos++] = 48 + (n % 10);
  for (let a = from, b = pos - 1; a < b; a++, b--) {
    const t = scratch[a];
    scratch[a] = scratch[b];
    scratch[b] = t;
  }
}

/** Append a dotted IPv4 address from 4 bytes. */
export function ipv4(b: Uint8Array, off: number): void {
  for (let i = 0; i < 4; i++) {
    if (i) char(46);
    num(b[off + i]);
  }
}

/** The string built since start(), flat. */
export function done(): string {
  return slice(0, pos);
}

/** A flat copy of any ASCII string. */
export function flat(s: string): string {
  start();
  text(s);
  return done();
}
