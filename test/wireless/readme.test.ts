// The nl80211 README's examples, which the host's README run skips (no cfg80211 here), run as
// written against the VM's hwsim radios.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readmeBlocks, runReadmeBlock } from '../helpers/readme.js';
import { skipOutsideVm } from './nl80211-helpers.js';

describe('nl80211 README examples (VM)', { skip: skipOutsideVm }, () => {
  it('every block marked `// needs: nl80211` runs', async () => {
    const blocks = readmeBlocks('src/nl80211/README.md', 'nl80211');
    assert.ok(blocks.length > 0, 'no example marked `// needs: nl80211`');
    for (const b of blocks) await runReadmeBlock(b);
  });
});
