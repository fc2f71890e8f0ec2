// ipset(8)'s exit status for a line it cannot parse is 2 (its PARAMETER_PROBLEM); a kernel
// refusal or an unknown set type is 1. Scripts test for these.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { runIpsetCli } from '../src/ipset/cli.js';
import { createNetns, deleteNetns, type TestNetns } from './helpers/netns.js';

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

describe('nlroute ipset exit status as ipset(8)', () => {
  let ns: TestNetns;
  before(async () => {
    ns = await createNetns();
  });
  after(async () => {
    await deleteNetns(ns);
  });

  const both = async (args: string[]): Promise<[number, number]> => {
    const mine = await runIpsetCli(['--netns', ns.name, ...args], new Sink(), new Sink());
    const theirs = await ns.exec('ipset', args).then(
      () => 0,
      (e: { code?: number }) => Number(e.code),
    );
    return [mine, theirs];
  };

  it('2 for an unknown command, an unknown argument, a missing argument', async () => {
    for (const args of [['bogus'], ['create', 'x', 'hash:ip', 'timout', '5'], ['add']]) {
      assert.deepEqual(await both(args), [2, 2], args.join(' '));
    }
  });

  it('1 for an unknown type and for a set that does not exist', async () => {
    assert.deepEqual(await both(['create', 'x', 'hash:ipp']), [1, 1]);
    assert.deepEqual(await both(['destroy', 'nope']), [1, 1]);
  });
});
