// `nlroute decode` and `nlroute trace`.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeStrace, messageClassNames, type DecodedBuffer } from './decoder.js';
import { StreamDecoder, type DecodeSummary } from './decodestream.js';
import { parseFilter, type MessageFilter } from './filter.js';
import { formatJSON, formatText, stringify, summaryText } from './format.js';
import { ByteSource, CaptureError, isCapture, netlinkPayload, readCapture } from './pcap.js';
import { PROTOCOL_TARGETS, parseFamilyOption } from './picker.js';
import { netlinkProtocolName } from './straceparse.js';
import { loadProtocols } from './protocols.js';

function print(items: DecodedBuffer[], json: boolean): void {
  process.stdout.write(json ? stringify(formatJSON(items)) + '\n' : formatText(items));
}

function readInput(file: string | undefined): string {
  return readFileSync(!file || file === '-' ? 0 : file, 'utf8');
}

const USAGE = `usage: nlroute decode TARGET [FILE|-] [--json] [--family NAME=ID]... [-m FILTER]...
       nlroute decode [TARGET] CAPTURE.pcap|.pcapng [...]   (nlmon captures; TARGET defaults to auto)
       nlroute decode --list | --strace FILE [--json]
TARGET: a message class (nlroute decode --list), a protocol (rtnl, genl, nfnl) choosing the class
per message type, or auto. FILTER: KEY=VALUE[,KEY=VALUE...], keys protocol, type, family, cmd, class.
Exit status 1 when any input could not be decoded; the output ends with a summary.
`;

interface DecodeArgs {
  target?: string;
  file?: string;
  json: boolean;
  families: Record<string, number>;
  filters: MessageFilter[];
}

function parseArgs(args: string[]): DecodeArgs {
  const out: DecodeArgs = { json: false, families: {}, filters: [] };
  const pos: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--json') out.json = true;
    else if (a === '--family' || a === '-m') {
      const v = args[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      if (a === '-m') out.filters.push(parseFilter(v));
      else {
        const [name, id] = parseFamilyOption(v);
        out.families[name] = id;
      }
    } else if (a.startsWith('-') && a !== '-') throw new Error(`unknown option ${a}`);
    else pos.push(a);
  }
  if (pos.length > 2) throw new Error(`too many arguments: ${pos.slice(2).join(' ')}`);
  [out.target, out.file] = pos;
  return out;
}

/** Open the input and read its first bytes (to tell a capture from text). */
function openInput(file: string | undefined): { fd: number; head: Buffer; close: () => void } {
  const stdin = !file || file === '-';
  const fd = stdin ? 0 : openSync(file, 'r');
  const head = Buffer.allocUnsafe(4);
  let n = 0;
  while (n < 4) {
    const got = readSync(fd, head, n, 4 - n, null);
    if (!got) break;
    n += got;
  }
  return {
    fd,
    head: head.subarray(0, n),
    close: () => {
      if (!stdin) closeSync(fd);
    },
  };
}

/** Writes output with backpressure, so a slow reader does not make memory grow. */
async function emit(text: string): Promise<void> {
  if (!process.stdout.write(text)) await new Promise<void>((r) => process.stdout.once('drain', r));
}

/** Stream a text or capture input through the decoder; returns the exit status. */
async function streamDecode(a: DecodeArgs, target: string): Promise<number> {
  const input = openInput(a.file);
  const count = { problems: 0 };
  let pending: string[] = [];
  let first = true;
  if (a.json) pending.push('{"buffers": [\n');
  const dec = new StreamDecoder({ target, families: a.families, filters: a.filters }, (d) => {
    if (!a.json) pending.push(formatText([d], count));
    else {
      pending.push((first ? '' : ',\n') + stringify(formatJSON([d])[0]));
      first = false;
    }
  });
  const flush = async () => {
    if (pending.length) await emit(pending.join(''));
    pending = [];
  };
  try {
    if (isCapture(input.head)) {
      const src = new ByteSource(input.fd, input.head);
      try {
        for (const p of readCapture(src)) {
          const nl = netlinkPayload(p);
          if ('error' in nl) dec.packetError(p.index, nl.error);
          else {
            const info = { index: p.index, protocol: nl.protocol, truncated: p.truncated };
            dec.packetData({ ...info, protocolName: netlinkProtocolName(nl.protocol) }, nl.messages);
          }
          if (pending.length > 64) await flush();
        }
      } catch (e) {
        if (!(e instanceof CaptureError)) throw e;
        dec.fatal(e.message);
      }
    } else {
      if (target === 'auto') throw new Error('text input needs a TARGET (a class, or rtnl/genl/nfnl)');
      dec.write(input.head);
      const chunk = Buffer.allocUnsafe(1 << 16);
      for (let n = readSync(input.fd, chunk); n > 0; n = readSync(input.fd, chunk)) {
        dec.write(chunk.subarray(0, n));
        await flush();
      }
      dec.endText();
    }
  } finally {
    input.close();
  }
  const s = dec.summary;
  s.errors += count.problems;
  if (a.json) pending.push(`\n], "summary": ${JSON.stringify(s)}}\n`);
  else pending.push(summaryText(s));
  await flush();
  return s.errors ? 1 : 0;
}

/** nlroute decode TARGET [FILE|-] [--json] [--family NAME=ID] [-m FILTER] | --list | --strace FILE */
export async function decodeCommand(args: string[]): Promise<number> {
  await loadProtocols();
  if (args[0] === '--list') {
    process.stdout.write([...Object.keys(PROTOCOL_TARGETS), ...messageClassNames()].join('\n') + '\n');
    return 0;
  }
  if (args[0] === '--strace') {
    const items = decodeStrace(readInput(args.find((x, i) => i > 0 && x !== '--json')));
    const json = args.includes('--json');
    const count = { problems: 0 };
    process.stdout.write(json ? stringify(formatJSON(items)) + '\n' : formatText(items, count));
    const s = straceSummary(items);
    s.errors += count.problems;
    if (!json) process.stdout.write(summaryText(s));
    return s.errors ? 1 : 0;
  }
  let a: DecodeArgs;
  try {
    a = parseArgs(args);
    if (!a.target) throw new Error('no TARGET');
  } catch (e) {
    process.stderr.write(`nlroute decode: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  // `decode FILE.pcap`: a lone argument that is a capture file.
  if (a.file === undefined && a.target !== '-' && looksLikeCapture(a.target)) [a.target, a.file] = ['auto', a.target];
  try {
    return await streamDecode(a, a.target!);
  } catch (e) {
    process.stderr.write(`nlroute decode: ${(e as Error).message}\n`);
    return 2;
  }
}

/** The summary of a strace log's decode: what each buffer's split left over. */
function straceSummary(items: DecodedBuffer[]): DecodeSummary {
  const s: DecodeSummary = { messages: 0, bytesSkipped: 0, errors: 0, filtered: 0, mismatched: 0, packets: 0 };
  for (const d of items) {
    s.messages += d.messages.length;
    if (!d.error) continue;
    s.errors++;
    s.bytesSkipped += d.buffer.length - d.error.offset;
  }
  return s;
}

function looksLikeCapture(path: string): boolean {
  if (!existsSync(path)) return false;
  const { head, close } = openInput(path);
  close();
  return isCapture(head);
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
    const r = spawnSync(
      'strace',
      ['-f', '-x', '-s', '65536', '-e', 'trace=network', '-e', 'write=all', '-e', 'read=all', '-o', out, ...cmd],
      { stdio: ['inherit', 'inherit', 'inherit'] },
    );
    if (r.error) throw new Error(`cannot run strace: ${r.error.message} (install the strace package)`);
    return { log: readFileSync(out, 'utf8'), status: r.status ?? 1 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
