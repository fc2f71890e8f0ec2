// For the tests of the netns module itself, which make namespaces by name with the code under
// test: unique names, removal by whichever tool works, and the check that no thread of this
// process was left in another namespace.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import * as netns from '../../src/netns/index.js';

/** This process's own network namespace, as /proc shows it (`net:[4026531840]`). */
export const ownNs = readlinkSync('/proc/self/ns/net');
const ownThreadNs = readlinkSync('/proc/thread-self/ns/net');

let counter = 0;
/** A fresh name that says who made it. */
export const uniqNetnsName = (tag = 't'): string => `nlr-test-${process.pid}-${tag}-${++counter}`;

/** Remove these named namespaces if they exist, with the netns module or else with ip. */
export function removeNetnsNames(names: Iterable<string>): void {
  for (const n of names) {
    if (!existsSync(`/var/run/netns/${n}`)) continue;
    try {
      netns.remove(n);
    } catch {
      try {
        execFileSync('ip', ['netns', 'del', n], { stdio: 'ignore' });
      } catch {
        /* gone */
      }
    }
  }
}

/** No thread of the process (main, libuv pool, V8 workers) ever left its namespace. */
export function assertOwnNamespace(): void {
  assert.equal(readlinkSync('/proc/self/ns/net'), ownNs);
  assert.equal(readlinkSync('/proc/thread-self/ns/net'), ownThreadNs);
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      assert.equal(readlinkSync(`/proc/self/task/${tid}/ns/net`), ownNs, `thread ${tid}`);
    } catch (e) {
      if ((e as { code?: string }).code !== 'ENOENT') throw e;
    }
  }
}
