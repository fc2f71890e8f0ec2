// Real-kernel figure for waitFor under address churn: a namespace holds a few thousand
// addresses on lo while a second socket adds and removes addresses without pause, so the
// kernel marks address dumps interrupted. For each trial it records how often a single
// dump was interrupted, when waitFor found an address added after a delay, and that a
// waitFor for an address never added fails only by its own deadline, with NetlinkTimeoutError.
// Usage: node dist/test/fuzz/waitfor-churn.js [trials=5] [addresses=20000] [timeoutMs=3000]
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DumpInterruptedError, NLM_F_DUMP, NetlinkTimeoutError } from '../../src/core/index.js';
import { IPRoute, ifaddrmsg } from '../../src/rtnl/index.js';
import { addrDumpRequest } from '../../src/rtnl/addr.js';
import { createNetns, deleteNetns } from '../helpers/netns.js';

const [trials = 5, count = 20000, timeout = 3000] = process.argv.slice(2).map(Number);

const ns = await createNetns();
let stopChurn = async (): Promise<void> => {};
try {
  const lines = ['link set lo up'];
  for (let i = 0; i < count; i++) lines.push(`addr add 10.${(i >> 8) & 255}.${i & 255}.1/32 dev lo`);
  await ns.batch(lines);
  const churn = new IPRoute({ netns: ns.name });
  const ipr = new IPRoute({ netns: ns.name });
  // Changes come from another process (ip -batch), so they land while a dump is between
  // two parts; an in-process churner could only run between our own reads.
  const file = join(tmpdir(), `nlroute-churn-${process.pid}.batch`);
  const churnLines: string[] = [];
  for (let i = 0; i < 200_000; i++) {
    const address = `10.200.${(i >> 8) & 255}.${i & 255}/32`;
    churnLines.push(`addr add ${address} dev lo`, `addr del ${address} dev lo`);
  }
  writeFileSync(file, `${churnLines.join('\n')}\n`);
  const churner = spawn('ip', ['-n', ns.name, '-force', '-batch', file], { stdio: 'ignore' });
  stopChurn = (): Promise<void> =>
    new Promise((resolve) => {
      if (churner.exitCode !== null) return resolve();
      churner.once('exit', () => resolve());
      churner.kill('SIGKILL');
    });
  let interrupted = 0,
    dumps = 0;
  for (let i = 0; i < 20; i++) {
    dumps++;
    try {
      await ipr.sock.request(ifaddrmsg, { ...addrDumpRequest(), flags: NLM_F_DUMP } as never);
    } catch (e) {
      if (e instanceof DumpInterruptedError) interrupted++;
      else throw e;
    }
  }
  console.log(`plain address dumps under churn: ${interrupted} of ${dumps} interrupted`);
  const rows: string[] = [];
  let early = 0;
  for (let t = 0; t < trials; t++) {
    const target = `10.250.0.${t + 1}`;
    const t0 = performance.now();
    const found = ipr.waitFor('addr', { address: target }, { timeout: timeout * 3 });
    setTimeout(() => void churn.addr('add', { index: 'lo', address: `${target}/32` }), timeout / 2);
    await found;
    const foundMs = performance.now() - t0;
    const t1 = performance.now();
    let outcome = 'resolved (wrong)';
    try {
      await ipr.waitFor('addr', { address: '10.251.0.1' }, { timeout });
    } catch (e) {
      outcome = e instanceof NetlinkTimeoutError ? 'NetlinkTimeoutError' : `${(e as Error).name} (early)`;
      if (!(e instanceof NetlinkTimeoutError)) early++;
    }
    const missMs = performance.now() - t1;
    rows.push(
      `trial ${t + 1}: added after ${timeout / 2} ms, found after ${foundMs.toFixed(0)} ms; ` +
        `missing address: ${outcome} after ${missMs.toFixed(0)} ms (timeout ${timeout} ms)`,
    );
    // setTimeout counts whole milliseconds: allow that much against performance.now().
    if (missMs < timeout - 2) early++;
  }
  const stillChurning = churner.exitCode === null;
  await stopChurn();
  rmSync(file, { force: true });
  if (!stillChurning) console.log('warning: the churn ended before the trials did; use fewer trials');
  console.log(rows.join('\n'));
  console.log(`early rejections: ${early}`);
  churn.close();
  ipr.close();
  process.exitCode = early ? 1 : 0;
} finally {
  await stopChurn();
  await deleteNetns(ns);
}
