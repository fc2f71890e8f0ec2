// What every nlroute workload module shares: it exports `run(args)` for in-process timing,
// and runs itself once, printing one JSON line, when started as a whole process.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Workload arguments: `--name value` pairs; `netns` set means open sockets with { netns }. */
export type Args = Record<string, string | undefined>;

/** What a workload returns: at least how many items it saw. */
export type Result = { count: number } & Record<string, unknown>;

export type Workload = (args: Args) => Promise<Result>;

/** Parse `--name value` pairs (a bare `--flag` is 'true'). */
export function parseArgs(argv: readonly string[]): Args {
  const out: Args = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) out[a.slice(2)] = 'true';
    else {
      out[a.slice(2)] = next;
      i++;
    }
  }
  return out;
}

/** A required integer argument. */
export function intArg(args: Args, name: string, dflt?: number): number {
  const v = args[name];
  if (v === undefined) {
    if (dflt !== undefined) return dflt;
    throw new Error(`--${name} is required`);
  }
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got ${v}`);
  return n;
}

/** The `{ netns }` socket option for in-process runs, nothing for whole-process runs. */
export function nsOpt(args: Args): { netns?: string } {
  return args.netns ? { netns: args.netns } : {};
}

/** If `url` is the main module, run the workload once and print its result as JSON. */
export function runIfMain(url: string, fn: Workload): void {
  const main = process.argv[1];
  if (!main || realpathSync(main) !== realpathSync(fileURLToPath(url))) return;
  fn(parseArgs(process.argv.slice(2))).then(
    (r) => process.stdout.write(JSON.stringify(r) + '\n'),
    (e: unknown) => {
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}

/** IPv4 address number `i` above `base` (a dotted quad), as text. */
export function ipv4At(base: string, i: number): string {
  const [a, b, c, d] = base.split('.').map(Number);
  const n = (((a << 24) | (b << 16) | (c << 8) | d) >>> 0) + i;
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}
