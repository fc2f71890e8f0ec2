// Reads a recorded generic netlink session (test/fixtures/genl/*.hex: `>` request, `<` answer
// datagrams) as exchanges a ReplayTransport plays back.
import { readFileSync } from 'node:fs';
import type { Exchange } from '../../src/core/index.js';

export function fixture(name: string): Exchange[] {
  const text = readFileSync(new URL(`../../../test/fixtures/genl/${name}`, import.meta.url), 'utf8');
  const out: Exchange[] = [];
  for (const line of text.split('\n')) {
    const hex = Buffer.from(line.slice(2).trim(), 'hex');
    if (line.startsWith('> ')) out.push({ sent: hex, received: [] });
    else if (line.startsWith('< ')) {
      if (!out.length) out.push({ received: [] });
      out[out.length - 1].received.push(hex);
    }
  }
  return out;
}
