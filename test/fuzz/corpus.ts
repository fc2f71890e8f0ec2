// Real captured kernel traffic (strace logs recorded on this machine) as fuzzing seeds.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Marshal, protocolMarshal } from '../../src/core/index.js';
import { parseStraceLog } from '../../src/tools/straceparse.js';
import { loadProtocols } from '../../src/tools/protocols.js';

/** Every netlink payload of the strace fixtures, with its protocol's marshal. */
export async function loadCorpus(root: string): Promise<{ buf: Buffer; marshal: Marshal }[]> {
  await loadProtocols();
  const dir = join(root, 'test', 'fixtures', 'strace');
  const out: { buf: Buffer; marshal: Marshal }[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.log'))) {
    for (const t of parseStraceLog(readFileSync(join(dir, f), 'utf8')).transfers) {
      if (t.peek || t.bytes.length < 16) continue;
      out.push({ buf: t.bytes, marshal: protocolMarshal(t.protocol)?.marshal() ?? new Marshal() });
    }
  }
  return out;
}
