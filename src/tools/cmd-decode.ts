// `nlroute decode` and `nlroute trace`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeHex, decodeStrace, messageClassNames, type DecodedBuffer } from './decoder.js';
import { formatJSON, formatText, stringify } from './format.js';
import { loadProtocols } from './protocols.js';

function print(items: DecodedBuffer[], json: boolean): void {
  process.stdout.write(json ? stringify(formatJSON(items)) + '\n' : formatText(items));
}

function readInput(file: string | undefined): string {
  return readFileSync(!file || file === '-' ? 0 : file, 'utf8');
}

/** nlroute decode <class> [FILE|-] [--json] | --list | --strace FILE */
export async function decodeCommand(args: string[]): Promise<number> {
  await loadProtocols();
  const json = args.includes('--json');
  const rest = args.filter((a) => a !== '--json');
  if (rest[0] === '--list') {
    process.stdout.write(messageClassNames().join('\n') + '\n');
    return 0;
  }
  if (rest[0] === '--strace') {
    print(decodeStrace(readInput(rest[1])), json);
    return 0;
  }
  if (!rest[0]) {
    process.stderr.write('usage: nlroute decode <class> [FILE|-] [--json]  (classes: nlroute decode --list)\n');
    return 2;
  }
  print(decodeHex(readInput(rest[1]), rest[0]), json);
  return 0;
}

/** nlroute trace [--json] -- COMMAND... : strace the command, decode its netlink traffic. */
export async function traceCommand(args: string[]): Promise<number> {
  const dash = args.indexOf('--');
  const opts = dash < 0 ? [] : args.slice(0, dash);
  const cmd = dash < 0 ? args : args.slice(dash + 1);
  if (!cmd.length) {
    process.stderr.write('usage: nlroute trace [--json] -- COMMAND [ARGS...]\n');
    return 2;
  }
  const { log, status } = traceLog(cmd);
  await loadProtocols();
  print(decodeStrace(log), opts.includes('--json'));
  return status;
}

/** Run a command under strace with the flags the decoder reads; returns the log. */
export function traceLog(cmd: string[]): { log: string; status: number } {
  const dir = mkdtempSync(join(tmpdir(), 'nlroute-trace-'));
  try {
    const out = join(dir, 'strace.log');
    const r = spawnSync('strace', ['-f', '-x', '-s', '65536', '-e', 'trace=network', '-e', 'write=all', '-e', 'read=all', '-o', out, ...cmd],
      { stdio: ['inherit', 'inherit', 'inherit'] });
    if (r.error) throw new Error(`cannot run strace: ${r.error.message} (install the strace package)`);
    return { log: readFileSync(out, 'utf8'), status: r.status ?? 1 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
