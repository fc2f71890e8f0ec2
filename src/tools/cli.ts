#!/usr/bin/env node
// The `nlroute` command: protocol debugging (decode, trace) and read-only views of the host.
import { readFileSync } from 'node:fs';

const USAGE = `usage: nlroute <command> [args]

Views (read-only):
  link|addr|route|neigh|rule show [-n NETNS] [--json]
  ipset list|save|restore|create|add|del|test ...   (ipset(8) syntax; list --json)
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
`;

type Handler = (args: string[]) => Promise<number>;

/** Subcommands, each loaded only when used. */
const commands: Record<string, () => Promise<Handler>> = {
  decode: async () => (await import('./cmd-decode.js')).decodeCommand,
  trace: async () => (await import('./cmd-decode.js')).traceCommand,
  link: async () => showCommand('link'),
  addr: async () => showCommand('addr'),
  address: async () => showCommand('addr'),
  route: async () => showCommand('route'),
  neigh: async () => showCommand('neigh'),
  rule: async () => showCommand('rule'),
  iw: async () => (await import('./cmd-iw.js')).iwCommand,
  genl: async () => (await import('./cmd-misc.js')).genlCommand,
  taskstats: async () => (await import('./cmd-misc.js')).taskstatsCommand,
  ipset: async () => {
    const { runIpsetCli } = await import('../ipset/cli.js');
    return (args) => runIpsetCli(args, process.stdout);
  },
};

async function showCommand(object: string): Promise<Handler> {
  const { showObjects } = await import('./cmd-show.js');
  return (args) => showObjects(object, args);
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...args] = argv;
  if (!cmd || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    process.stdout.write(USAGE);
    return cmd ? 0 : 2;
  }
  if (cmd === '--version' || cmd === '-V') {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(`nlroute ${pkg.version}\n`);
    return 0;
  }
  const load = commands[cmd];
  if (!load) {
    process.stderr.write(`nlroute: unknown command ${JSON.stringify(cmd)}\n\n${USAGE}`);
    return 2;
  }
  return (await load())(args);
}

// `nlroute ... | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: Error) => {
    process.stderr.write(`nlroute: ${err.message}\n`);
    process.exitCode = 1;
  },
);
