// The same `ip link` lines through ip and through nlroute, each in a fresh namespace; the
// `ip -j -d link show` each namespace then reports must be equal.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createNetns, deleteNetns } from './netns.js';

const cli = fileURLToPath(new URL('../../src/tools/cli.js', import.meta.url));

/** Runs `lines` with `ip -batch` in one namespace and `nlroute -batch` in another, and compares the links. */
export async function sameLinks(lines: readonly string[]): Promise<void> {
  const ref = await createNetns(),
    ours = await createNetns();
  try {
    const batch = lines.join('\n') + '\n';
    await ref.exec('ip', ['-batch', '-'], { input: batch });
    await ours.exec('node', [cli, '-batch', '-'], { input: batch });
    const links = async (ns: typeof ref): Promise<unknown> =>
      JSON.parse(await ns.exec('ip', ['-j', '-d', 'link', 'show']));
    assert.deepEqual(await links(ours), await links(ref));
  } finally {
    await deleteNetns(ref);
    await deleteNetns(ours);
  }
}
