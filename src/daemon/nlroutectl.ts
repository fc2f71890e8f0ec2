#!/usr/bin/env node
// nlroutectl: talks to nlrouted over varlink.
// Exit codes: 0 ok, 1 error, 2 usage, 3 a difference or drift was found, 4 permission denied.
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { load as parseYaml } from 'js-yaml';
import { VarlinkClient } from '../varlink/client.js';
import { VarlinkError } from '../varlink/errors.js';
import { loadConfigDir, parseConfig } from './config.js';
import { configJsonSchema } from './schema.js';

export const EXIT = { ok: 0, error: 1, usage: 2, difference: 3, denied: 4 } as const;

const USAGE = `usage: nlroutectl [--socket PATH] [--json] COMMAND
  status                          the daemon's state and counters
  show [links|addrs|routes|rules|neighbours] [--netns NS]
  diff [FILE]                     what applying FILE (default: the configuration) would change; exit 3 if anything
  apply FILE [--dry-run] [--try SECONDS]
  confirm                         keep a change applied with --try
  rollback                        undo a change applied with --try now
  reload                          re-read the configuration directory
  monitor                         stream changes and drift
  check FILE|DIR                  validate a configuration file or directory without the daemon
  schema                          print the configuration's JSON Schema
exit codes: 0 ok, 1 error, 2 usage, 3 difference found, 4 permission denied`;

const IFACE = 'io.nlroute.Network';
const OBJECTS: Record<string, string> = {
  links: 'links',
  link: 'links',
  addrs: 'addresses',
  addr: 'addresses',
  addresses: 'addresses',
  routes: 'routes',
  route: 'routes',
  rules: 'rules',
  rule: 'rules',
  neighbours: 'neighbours',
  neigh: 'neighbours',
};

class Usage extends Error {}

interface StepView {
  id: number;
  netns: string;
  op: string;
  key: string;
  after: number[];
}

function readDesired(file: string): unknown {
  const text = readFileSync(file === '-' ? 0 : file, 'utf8');
  return parseYaml(text);
}

function printPlan(plan: StepView[], out: (s: string) => void): void {
  if (!plan.length) out('no changes');
  for (const s of plan)
    out(
      `${String(s.id).padStart(3)}  [${s.netns}] ${s.op} ${s.key}${s.after.length ? `  (after ${s.after.join(', ')})` : ''}`,
    );
}

export async function run(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        socket: { type: 'string', default: process.env.NLROUTED_SOCKET ?? '/run/nlroute/io.nlroute.Network' },
        json: { type: 'boolean', short: 'j', default: false },
        netns: { type: 'string', short: 'n' },
        'dry-run': { type: 'boolean', default: false },
        try: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    });
  } catch (e) {
    err(`nlroutectl: ${(e as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  const {
    values: o,
    positionals: [cmd, ...rest],
  } = parsed;
  if (o.help) {
    out(USAGE);
    return EXIT.ok;
  }
  if (!cmd) {
    err(USAGE);
    return EXIT.usage;
  }
  if (cmd === 'check') {
    if (rest.length !== 1) {
      err(`nlroutectl: check takes one FILE or DIR\n${USAGE}`);
      return EXIT.usage;
    }
    try {
      const { files } = statSync(rest[0]).isDirectory() ? loadConfigDir(rest[0]) : { files: [rest[0]] };
      if (!statSync(rest[0]).isDirectory()) parseConfig(readFileSync(rest[0], 'utf8'), rest[0]);
      out(`ok: ${files.join(', ') || 'no configuration files'}`);
      return EXIT.ok;
    } catch (e) {
      err(`nlroutectl: ${(e as Error).message}`);
      return EXIT.error;
    }
  }
  if (cmd === 'schema') {
    out(JSON.stringify(configJsonSchema(), null, 2));
    return EXIT.ok;
  }
  const print = (v: unknown, human: () => void): void => (o.json ? out(JSON.stringify(v)) : human());
  let client: VarlinkClient | undefined;
  try {
    const need = (n: number, what: string): void => {
      if (rest.length > n)
        throw new Usage(`${cmd}: unexpected argument ${JSON.stringify(rest[n])}${what ? ` (${what})` : ''}`);
    };
    const connectTo = async (): Promise<VarlinkClient> => (client = await VarlinkClient.connect(`unix:${o.socket}`));
    switch (cmd) {
      case 'status': {
        need(0, '');
        const s = await (await connectTo()).call<Record<string, unknown>>(`${IFACE}.GetStatus`);
        print(s, () => {
          for (const [k, v] of Object.entries(s))
            out(`${k.replace(/_/g, ' ').padEnd(30)} ${Array.isArray(v) ? v.join(', ') : v}`);
        });
        return s.state === 'failed' ? EXIT.error : EXIT.ok;
      }
      case 'show': {
        need(1, '');
        const objects = rest[0] ? [OBJECTS[rest[0]]] : undefined;
        if (rest[0] && !objects![0])
          throw new Usage(`show: unknown object ${JSON.stringify(rest[0])} (links, addrs, routes, rules, neighbours)`);
        const r = await (await connectTo()).call<{ state: Record<string, unknown[]> }>(`${IFACE}.Show`, {
          ...(o.netns ? { netns: o.netns } : {}),
          ...(objects ? { objects } : {}),
        });
        print(r.state, () => {
          for (const [table, list] of Object.entries(r.state)) {
            out(`${table}:`);
            for (const rec of list) out(`  ${JSON.stringify(rec)}`);
          }
        });
        return EXIT.ok;
      }
      case 'diff': {
        need(1, '');
        const params = rest[0] ? { desired: readDesired(rest[0]) } : {};
        const r = await (await connectTo()).call<{ plan: StepView[]; changes: number }>(`${IFACE}.Diff`, params);
        print(r, () => printPlan(r.plan, out));
        return r.changes ? EXIT.difference : EXIT.ok;
      }
      case 'apply': {
        if (!rest[0]) throw new Usage('apply: a FILE is needed');
        need(1, '');
        let trySeconds: number | undefined;
        if (o.try !== undefined) {
          trySeconds = Number(o.try);
          if (!Number.isInteger(trySeconds) || trySeconds <= 0)
            throw new Usage(`--try takes a whole number of seconds, got ${JSON.stringify(o.try)}`);
        }
        const r = await (await connectTo()).call<{ plan: StepView[]; applied: boolean; pending_confirm: boolean }>(
          `${IFACE}.Apply`,
          {
            desired: readDesired(rest[0]),
            dry_run: o['dry-run'],
            ...(trySeconds ? { try_seconds: trySeconds } : {}),
          },
        );
        print(r, () => {
          printPlan(r.plan, out);
          if (r.pending_confirm) out(`applied; run \`nlroutectl confirm\` within ${trySeconds} s or it is rolled back`);
        });
        return EXIT.ok;
      }
      case 'confirm':
      case 'rollback':
      case 'reload': {
        need(0, '');
        const method = { confirm: 'Confirm', rollback: 'Rollback', reload: 'Reload' }[cmd];
        const r = await (await connectTo()).call<Record<string, unknown>>(`${IFACE}.${method}`);
        print(r, () => {
          if (cmd === 'reload') printPlan((r.plan ?? []) as StepView[], out);
          else if (cmd === 'rollback') out(r.rolled_back ? 'rolled back' : 'nothing to roll back');
          else out('confirmed');
        });
        return EXIT.ok;
      }
      case 'monitor': {
        need(0, '');
        let drift = false;
        for await (const m of (await connectTo()).stream<Record<string, any>>(
          `${IFACE}.Monitor`,
          o.netns ? { netns: o.netns } : {},
        )) {
          if (!m.event && !m.drift) {
            err('monitoring changes and drift (interrupt to stop)');
            continue;
          }
          if (m.drift) drift = true;
          print(m, () => {
            if (m.event)
              out(`[${m.event.netns}] ${m.event.type} ${m.event.object} ${JSON.stringify(m.event.new ?? m.event.old)}`);
            if (m.drift) out(`[${m.drift.netns}] drift: ${m.drift.what}: ${m.drift.action}`);
          });
        }
        return drift ? EXIT.difference : EXIT.ok;
      }
      default:
        throw new Usage(`unknown command ${JSON.stringify(cmd)}`);
    }
  } catch (e) {
    if (e instanceof Usage) {
      err(`nlroutectl: ${e.message}\n${USAGE}`);
      return EXIT.usage;
    }
    if (e instanceof VarlinkError) {
      err(`nlroutectl: ${e.error}: ${JSON.stringify(e.parameters)}`);
      return e.error.endsWith('.PermissionDenied') ? EXIT.denied : EXIT.error;
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES') {
      err(`nlroutectl: permission denied on ${o.socket} (members of the nlroute group may connect)`);
      return EXIT.denied;
    }
    if (code === 'ENOENT' || code === 'ECONNREFUSED') {
      err(`nlroutectl: nlrouted is not running (no socket at ${o.socket})`);
      return EXIT.error;
    }
    err(`nlroutectl: ${(e as Error).message}`);
    return EXIT.error;
  } finally {
    client?.close();
  }
}

if (process.argv[1] && /nlroutectl(\.js)?$/.test(process.argv[1])) {
  const out = (s: string): void => void process.stdout.write(`${s}\n`);
  const err = (s: string): void => void process.stderr.write(`${s}\n`);
  run(process.argv.slice(2), out, err).then((c) => {
    process.exitCode = c;
  });
}
