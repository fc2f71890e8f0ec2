#!/usr/bin/env node
// The `nlroute` command: ip/tc-compatible changes and views over the library, ipset(8), iw,
// generic netlink, taskstats, and protocol debugging (decode, trace).
import module from 'node:module';
import { readFileSync } from 'node:fs';
import { UsageError, parseGlobals, pick, pullTrailingGlobals, type GlobalOptions } from './cli-args.js';
import { CliContext } from './cli-context.js';

// Node >= 22.1 keeps compiled code between runs; on older Node the call does not exist.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const USAGE = `usage: nlroute [OPTIONS] OBJECT COMMAND [ARGS]     (the grammar of ip(8) and tc(8))
       nlroute [OPTIONS] -batch FILE                 (one command per line; - reads stdin)

OPTIONS: -n NETNS (work in that network namespace), -j/--json, -d (details), -s (statistics),
         -4, -6, -force (with -batch: go on after a failed line)

Changes and views (see \`nlroute OBJECT help\`):
  link     add | set | del | show | property          ip link
  addr     add | change | replace | del | flush | show  ip address
  route    add | change | append | replace | del | get | show | flush
  neigh    add | change | replace | del | show | flush
  rule     add | del | flush | show
  tc       qdisc | class | filter  add | del | change | replace | show
  monitor  [link | address | route | neigh | rule | all]   streams changes; -j: one JSON object per line
  netns    add | del | list | exec | identify | pids

Other protocols:
  ipset list|save|restore|create|add|del|test ...   ipset(8) syntax: after "ipset", -n means names
                                                    only, as in ipset(8); give the namespace first:
                                                    nlroute -n NETNS ipset list
  iw dev | phy | scan IFACE | link IFACE | station dump IFACE | reg get  [--json]
  genl list [--json]                 generic netlink families
  taskstats PID [--json]             per-task accounting of a process

Protocol debugging:
  decode TARGET [FILE|-] [--json]    decode hex (sample files, strace strings and dumps, plain hex);
                                     TARGET: a class, or rtnl/genl/nfnl (class per message type)
  decode [TARGET] FILE.pcap[ng]      decode an nlmon capture [--family NAME=ID] [-m KEY=VAL,...]
  decode --list                      list message classes
  decode --strace FILE [--json]      decode every netlink payload of a strace log
  trace [--json] -- COMMAND...       run COMMAND under strace and decode its netlink session

Exit status: 0 success, 1 failure (e.g. the kernel refused), 2 usage error.
`;

type IpHandler = (ctx: CliContext, words: string[]) => Promise<number>;
type RawHandler = (args: string[]) => Promise<number>;

/** ip's objects in ip's order, so abbreviations resolve as they do there (`ip r` is route). */
const IP_OBJECTS = ['address', 'addrlabel', 'maddress', 'route', 'rule', 'neighbour', 'ntable', 'link', 'l2tp', 'fou',
  'ila', 'macsec', 'tunnel', 'tuntap', 'token', 'tcpmetrics', 'monitor', 'xfrm', 'mroute', 'mrule', 'netns',
  'netconf', 'vrf', 'sr', 'nexthop', 'mptcp', 'ioam', 'stats'] as const;

/** The ip-style objects nlroute implements, each loaded only when used. */
const ipObjects: Partial<Record<(typeof IP_OBJECTS)[number] | 'tc', () => Promise<IpHandler>>> = {
  link: async () => (await import('./cmd-link.js')).linkCommand,
  address: async () => (await import('./cmd-addr.js')).addrCommand,
  route: async () => (await import('./cmd-route.js')).routeCommand,
  neighbour: async () => (await import('./cmd-neigh.js')).neighCommand,
  rule: async () => (await import('./cmd-rule.js')).ruleCommand,
  monitor: async () => (await import('./cmd-monitor.js')).monitorCommand,
  netns: async () => (await import('./cmd-netns.js')).netnsCommand,
  tc: async () => (await import('./cmd-tc.js')).tcCommand,
};

/** Commands with a grammar of their own: they get their arguments untouched. */
const rawCommands: Record<string, (opts: GlobalOptions) => Promise<RawHandler>> = {
  decode: async () => (await import('./cmd-decode.js')).decodeCommand,
  trace: async () => (await import('./cmd-decode.js')).traceCommand,
  iw: async (o) => hostOnly('iw', o, (await import('./cmd-iw.js')).iwCommand),
  genl: async (o) => hostOnly('genl', o, (await import('./cmd-misc.js')).genlCommand),
  taskstats: async (o) => hostOnly('taskstats', o, (await import('./cmd-misc.js')).taskstatsCommand),
  ipset: async (o) => {
    const { runIpsetCli } = await import('../ipset/cli.js');
    return (args) => runIpsetCli(o.netns === undefined ? args : ['--netns', o.netns, ...args], process.stdout);
  },
};

function hostOnly(name: string, o: GlobalOptions, h: RawHandler): RawHandler {
  if (o.netns !== undefined) throw new UsageError(`${name}: -n NETNS is not supported for this command`);
  return o.json ? (args) => h([...args, '--json']) : h;
}

/** Errors the user can fix by changing the command line (bad words or values): status 2. */
function isUsage(e: unknown): boolean {
  return e instanceof UsageError || e instanceof TypeError || (e as Error)?.name === 'NetlinkEncodeError';
}

/** One command (argv after the global options), with a context that may be shared by a batch. */
async function runCommand(ctx: CliContext, words: string[]): Promise<number> {
  const [cmd, ...args] = words;
  if (cmd === 'help') { ctx.write(USAGE); return 0; }
  const raw = rawCommands[cmd];
  if (raw) return (await raw(ctx.opts))(args);
  const obj = cmd === 'tc' ? 'tc' : cmd === 'addr' ? 'address' : cmd === 'neigh' ? 'neighbour' : pick(cmd, IP_OBJECTS);
  if (!obj) throw new UsageError(`unknown command "${cmd}" (nlroute help lists them)`);
  const load = ipObjects[obj];
  if (!load) throw new UsageError(`"ip ${obj}" is not supported by nlroute`);
  // Views also take their options after the object (`nlroute link show -n NS --json`).
  const rest = obj === 'netns' && args[0] !== undefined && pick(args[0], ['exec']) ? args : pullTrailingGlobals(args, ctx.opts);
  return (await load())(ctx, rest);
}

/** Split a batch line as ip does: words separated by blanks, "quoted" words, # comments. */
export function batchWords(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(#.*)|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (m[3] !== undefined) break;
    out.push(m[1] ?? m[2] ?? m[4]);
  }
  return out;
}

async function runBatch(opts: GlobalOptions): Promise<number> {
  const file = opts.batch!;
  const text = readFileSync(file === '-' ? 0 : file, 'utf8');
  const ctx = new CliContext(opts);
  let status = 0;
  try {
    const lines = text.split('\n');
    for (let n = 0; n < lines.length; n++) {
      const words = batchWords(lines[n]);
      if (!words.length) continue;
      let code: number;
      try {
        code = await runCommand(ctx.fork(), words);
      } catch (e) {
        report(e);
        code = isUsage(e) ? 2 : 1;
      }
      if (code !== 0) {
        process.stderr.write(`Command failed ${file}:${n + 1}\n`);
        status = 1;
        if (!opts.force) break;
      }
    }
  } finally {
    ctx.close();
  }
  return status;
}

function report(e: unknown): void {
  process.stderr.write(`nlroute: ${(e as Error)?.message ?? String(e)}\n`);
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === '-h' || argv[0] === '--help') { process.stdout.write(USAGE); return 0; }
  if (argv[0] === '--version' || argv[0] === '-V') {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(`nlroute ${pkg.version}\n`);
    return 0;
  }
  // decode/trace take their own dash options: only ip's global options come before an object.
  const { opts, rest } = parseGlobals(argv);
  if (opts.batch !== undefined) {
    if (rest.length) throw new UsageError('-batch FILE takes no command on the line');
    return runBatch(opts);
  }
  if (!rest.length) {
    process.stderr.write(USAGE);
    return 2;
  }
  const ctx = new CliContext(opts);
  try {
    return await runCommand(ctx, rest);
  } finally {
    ctx.close();
  }
}

// `nlroute ... | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    report(err);
    process.exitCode = isUsage(err) ? 2 : 1;
  },
);
