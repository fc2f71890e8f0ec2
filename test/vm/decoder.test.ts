// The decoder on a live capture: nlmon in a fresh namespace of the test VM taps the netlink
// traffic of `ip` and of nlroute itself, tcpdump writes the pcap, `nlroute decode` reads it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { IPRoute } from '../../src/rtnl/index.js';
import { withNetns } from '../helpers/netns.js';
import { vmOnly } from './vm.js';

const cli = join(process.cwd(), 'dist/bundle/tools/cli.js');

describe('decoder on a live nlmon capture (VM)', vmOnly, () => {
  it('captures ip and nlroute requests with nlmon + tcpdump; nlroute decode names every message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nlr-cap-'));
    try {
      await withNetns(async (ns) => {
        await ns.ip('link add nlmon0 type nlmon');
        await ns.ip('link set nlmon0 up');
        const pcap = join(dir, 'cap.pcap');
        const dump = spawn('ip', [
          'netns',
          'exec',
          ns.name,
          'tcpdump',
          '-i',
          'nlmon0',
          '-Z',
          'root',
          '-U',
          '-n',
          '-w',
          pcap,
        ]);
        let log = '';
        dump.stderr.on('data', (d: Buffer) => {
          log += d.toString();
        });
        for (let i = 0; i < 100 && !log.includes('listening'); i++) await new Promise((r) => setTimeout(r, 100));
        assert.match(log, /listening/, 'tcpdump started');
        // Under load the tap may start a little after tcpdump says it listens.
        await new Promise((r) => setTimeout(r, 500));
        await ns.ip('link add d0 type dummy');
        {
          await using ipr = new IPRoute({ netns: ns.name });
          await ipr.link('add', { ifname: 'nlr0', kind: 'dummy', mtu: 1400 });
          await ipr.addr('add', { index: 'nlr0', address: '10.7.0.1/24' });
        }
        // Let the last answers reach the tap and tcpdump write them before it stops.
        await new Promise((r) => setTimeout(r, 1500));
        const done = new Promise((r) => dump.on('close', r));
        dump.kill('SIGINT');
        await done;
        assert.ok(readFileSync(pcap).length > 24, 'capture has packets');
        const out = await ns.exec('node', [cli, 'decode', pcap, '--json']);
        assert.match(out, /"d0"/);
        assert.match(out, /"nlr0"/);
        assert.match(out, /RTM_NEWLINK/);
        assert.match(out, /RTM_NEWADDR/);
        assert.match(out, /10\.7\.0\.1/);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
