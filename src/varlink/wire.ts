// Varlink framing: each message is one JSON object followed by a NUL byte.

/** A peer broke the framing or the size limit. */
export class VarlinkProtocolError extends Error {
  override readonly name = 'VarlinkProtocolError';
}

/** Splits a byte stream into NUL-terminated messages, refusing any longer than `max` bytes. */
export class Framer {
  private parts: Buffer[] = [];
  private size = 0;

  constructor(private readonly max: number) {}

  /** Feeds bytes; returns the complete messages they finish (without the NUL). */
  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let start = 0;
    for (;;) {
      const nul = chunk.indexOf(0, start);
      if (nul < 0) break;
      const piece = chunk.subarray(start, nul);
      if (this.size + piece.length > this.max) throw new VarlinkProtocolError(`message longer than ${this.max} bytes`);
      out.push(this.parts.length ? Buffer.concat([...this.parts, piece]) : piece);
      this.parts = [];
      this.size = 0;
      start = nul + 1;
    }
    const rest = chunk.subarray(start);
    if (rest.length) {
      if (this.size + rest.length > this.max) throw new VarlinkProtocolError(`message longer than ${this.max} bytes`);
      this.parts.push(Buffer.from(rest));
      this.size += rest.length;
    }
    return out;
  }
}

/** A JSON value encoded as one varlink message. */
export function frame(msg: unknown): Buffer {
  return Buffer.concat([Buffer.from(JSON.stringify(msg)), Buffer.alloc(1)]);
}
