// `nlroute genl list` and `nlroute taskstats PID`: small read-only views.
import { GenericNetlink } from '../genl/index.js';
import { TaskStats } from '../taskstats/index.js';
import { stringify } from './format.js';

/** nlroute genl list [--json] */
export async function genlCommand(args: string[]): Promise<number> {
  const json = args.includes('--json');
  const rest = args.filter((a) => a !== '--json');
  if (rest[0] !== 'list' && rest.length) {
    process.stderr.write('usage: nlroute genl list [--json]\n');
    return 2;
  }
  await using genl = new GenericNetlink();
  const families = (await genl.listFamilies()).map((f) => ({
    id: f.id,
    name: f.name,
    version: f.version,
    hdrsize: f.hdrsize,
    maxattr: f.maxattr,
    ops: f.ops.length,
    mcast_groups: { ...f.mcastGroups },
  }));
  if (json) process.stdout.write(stringify(families) + '\n');
  else
    for (const f of families) {
      const groups = Object.entries(f.mcast_groups)
        .map(([n, id]) => `${n}(${id})`)
        .join(' ');
      process.stdout.write(
        `${String(f.id).padStart(4)} ${f.name} version ${f.version} ops ${f.ops}${groups ? ' groups ' + groups : ''}\n`,
      );
    }
  return 0;
}

/** nlroute taskstats PID [--tgid] [--json] */
export async function taskstatsCommand(args: string[]): Promise<number> {
  const json = args.includes('--json');
  const tgid = args.includes('--tgid');
  const id = Number(args.find((a) => /^\d+$/.test(a)));
  if (!Number.isInteger(id) || id <= 0) {
    process.stderr.write('usage: nlroute taskstats PID [--tgid] [--json]\n');
    return 2;
  }
  await using ts = new TaskStats();
  const stats = tgid ? await ts.getTgidStats(id) : await ts.getPidStats(id);
  if (json) process.stdout.write(stringify(stats) + '\n');
  else for (const [k, v] of Object.entries(stats)) if (k !== '_tail') process.stdout.write(`${k}: ${String(v)}\n`);
  return 0;
}
