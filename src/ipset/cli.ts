// `nlroute ipset ...`: ipset(8)'s command syntax (list, save, restore, create, add, del,
// test, destroy, flush, rename, swap) on the IPSet class, plus --json for list and
// --netns NAME to work in a namespace.
import { readFile } from 'node:fs/promises';
import { IPSetError, IPSetSyntaxError, IPSetUnsupportedError } from './errors.js';
import { IPSet } from './ipset.js';
import type { IPSetHeader, IPSetInfo } from './listing.js';
import { IPSetRestoreError, parseCommand, saveText } from './save.js';
import { NetlinkError } from '../core/index.js';

const USAGE = `Usage: nlroute ipset [options] COMMAND [args]
Commands (ipset(8) syntax):
  create SETNAME TYPENAME [create-options]
  add SETNAME ENTRY [add-options]      del SETNAME ENTRY      test SETNAME ENTRY
  destroy [SETNAME]   flush [SETNAME]   rename FROM TO   swap FROM TO
  list [SETNAME]      save [SETNAME]    restore [-f FILE]
Options:
  --netns NAME     work in network namespace NAME
  -exist, -!       no error when the set/element exists (or is missing, for del)
  -o, -output plain|save|json     -t, -terse (headers only)     -n, -name (names only)
  -f, -file FILE   restore from FILE (default: standard input)
  --json           list as JSON
  -q, -quiet       no output for test
`;

class UsageError extends Error {}

interface Flags {
  netns?: string;
  exist: boolean;
  output: 'plain' | 'save' | 'json';
  terse: boolean;
  names: boolean;
  file?: string;
  quiet: boolean;
}

function parseFlags(argv: readonly string[]): { flags: Flags; rest: string[] } {
  const flags: Flags = { exist: false, output: 'plain', terse: false, names: false, quiet: false };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`option ${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--netns':
      case '-N':
        flags.netns = value();
        break;
      case '-exist':
      case '--exist':
      case '-!':
        flags.exist = true;
        break;
      case '-o':
      case '-output':
      case '--output': {
        const o = value();
        if (o !== 'plain' && o !== 'save' && o !== 'json')
          throw new UsageError(`unknown output format ${o} (plain, save, json)`);
        flags.output = o;
        break;
      }
      case '--json':
      case '-j':
      case '-json':
        flags.output = 'json';
        break;
      case '-t':
      case '-terse':
      case '--terse':
        flags.terse = true;
        break;
      case '-n':
      case '-name':
      case '--name':
        flags.names = true;
        break;
      case '-f':
      case '-file':
      case '--file':
        flags.file = value();
        break;
      case '-q':
      case '-quiet':
      case '--quiet':
        flags.quiet = true;
        break;
      case '-s':
      case '-sorted':
      case '--sorted':
      case '-r':
      case '-resolve':
      case '--resolve':
        break;
      default:
        rest.push(a);
    }
  }
  return { flags, rest };
}

/** One set as `ipset list` prints it. */
export function listText(info: IPSetInfo, terse: boolean): string {
  const h = info.header;
  const lines = [
    `Name: ${h.name}`,
    `Type: ${h.type}`,
    `Revision: ${h.revision}`,
    `Header: ${h.toString()}`,
    `Size in memory: ${h.memsize ?? 0}`,
    `References: ${h.references ?? 0}`,
    `Number of entries: ${h.elements ?? info.entries.length}`,
  ];
  if (!terse) {
    lines.push('Members:');
    for (const e of info.entries) lines.push(`${e.toString()}${e.optionsText()}`);
  }
  return lines.join('\n');
}

/** The CLI's JSON header: the record with ipset(8)'s words (`type`, and the header line). */
function cliHeader(h: IPSetHeader): Record<string, unknown> {
  const { name, stype, ...rest } = h.record();
  return { name, type: stype, ...rest, header: h.toString() };
}

function write(out: NodeJS.WritableStream, s: string): Promise<void> {
  return new Promise((resolve, reject) => {
    out.write(s, (e) => (e ? reject(e) : resolve()));
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
}

/**
 * Run `nlroute ipset ARGS`: output to `out`, messages to `err`. Resolves with the exit
 * code ipset(8) would give (0 ok, 1 error or "not in set", 2 bad usage).
 */
export async function runIpsetCli(
  argv: string[],
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  let ipset: IPSet | undefined;
  try {
    const { flags, rest } = parseFlags(argv);
    if (rest.length === 0 || rest[0] === 'help' || rest[0] === '-h' || rest[0] === '--help') {
      await write(out, USAGE);
      return rest.length === 0 ? 2 : 0;
    }
    if (rest[0] === 'version' || rest[0] === '-v' || rest[0] === '-V') {
      ipset = new IPSet({ netns: flags.netns });
      await write(out, `nlroute ipset, protocol version: ${await ipset.getProtocolVersion()}\n`);
      return 0;
    }
    if (rest[0] === 'restore' || rest[0] === '-R' || rest[0] === '--restore') {
      if (rest.length > 1) throw new UsageError(`unknown argument ${rest[1]}`);
      ipset = new IPSet({ netns: flags.netns });
      const text = flags.file ? await readFile(flags.file, 'utf8') : await readStdin();
      await ipset.restore(text, { exist: flags.exist });
      return 0;
    }
    let cmd: ReturnType<typeof parseCommand>;
    try {
      cmd = parseCommand(rest);
    } catch (e) {
      // A line ipset(8) cannot parse (unknown command or argument, missing value) is its
      // PARAMETER_PROBLEM: exit status 2.
      if (!(e instanceof IPSetSyntaxError)) throw e;
      await write(err, `nlroute ipset: ${e.message}\nTry \`nlroute ipset help' for more information.\n`);
      return 2;
    }
    ipset = new IPSet({ netns: flags.netns });
    const exclusive = !flags.exist;
    switch (cmd.cmd) {
      case 'create':
        await ipset.create(cmd.name, { ...cmd.opts, exclusive });
        return 0;
      case 'add':
        await ipset.add(cmd.name, cmd.entry, { ...cmd.opts, exclusive });
        return 0;
      case 'del':
        await ipset.delete(cmd.name, cmd.entry, { ...cmd.opts, exclusive });
        return 0;
      case 'test': {
        const yes = await ipset.test(cmd.name, cmd.entry, cmd.opts);
        if (!flags.quiet)
          await write(
            err,
            yes ? `Warning: ${cmd.entry} is in set ${cmd.name}.\n` : `${cmd.entry} is NOT in set ${cmd.name}.\n`,
          );
        return yes ? 0 : 1;
      }
      case 'destroy':
        await ipset.destroy(cmd.name, { exclusive });
        return 0;
      case 'flush':
        await ipset.flush(cmd.name);
        return 0;
      case 'rename':
        await ipset.rename(cmd.name, cmd.name2);
        return 0;
      case 'swap':
        await ipset.swap(cmd.name, cmd.name2);
        return 0;
      case 'save':
        await write(out, await ipset.save(cmd.name));
        return 0;
      case 'list': {
        const listing = ipset.list(cmd.name, { headersOnly: flags.terse || flags.names });
        if (flags.output === 'save') {
          await write(out, await saveText(listing.chunks()));
          return 0;
        }
        const sets = await listing.all();
        if (flags.output === 'json') {
          await write(
            out,
            `${JSON.stringify(
              sets.map((s) => ({
                ...cliHeader(s.header),
                ...(flags.terse || flags.names ? {} : { entries: s.entries }),
              })),
              null,
              2,
            )}\n`,
          );
        } else if (flags.names) {
          await write(out, sets.map((s) => `${s.header.name}\n`).join(''));
        } else {
          const text = sets.map((s) => listText(s, flags.terse)).join('\n\n');
          await write(out, text ? `${text}\n` : '');
        }
        return 0;
      }
    }
    return 2;
  } catch (e) {
    if (e instanceof UsageError) {
      await write(err, `nlroute ipset: ${e.message}\n${USAGE}`);
      return 2;
    }
    if (
      e instanceof IPSetError ||
      e instanceof IPSetSyntaxError ||
      e instanceof IPSetRestoreError ||
      e instanceof IPSetUnsupportedError ||
      e instanceof NetlinkError
    ) {
      await write(err, `nlroute ipset: ${e instanceof IPSetError ? e.ipsetText : e.message}\n`);
      return 1;
    }
    await write(err, `nlroute ipset: ${(e as Error).message ?? String(e)}\n`);
    return 1;
  } finally {
    ipset?.close();
  }
}
