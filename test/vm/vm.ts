import assert from 'node:assert/strict';

// What the VM suite's tests share: they run only inside the test VM (scripts/vm/run-tests.sh),
// whose Debian kernel has the modules this host lacks; elsewhere they are skipped with a reason.
export const inVm = process.env['NLROUTE_VM'] === '1';
export const vmOnly = { skip: inVm ? false : 'needs the VM kernel: npm run test:vm' } as const;

/** Poll `cond` (kernel state that settles asynchronously) until true, at most ~10 s. */
export async function until(cond: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}
