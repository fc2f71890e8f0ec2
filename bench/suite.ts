// The workloads of issue 7: for each, the namespace it needs, the implementations to run
// (nlroute and its peers) and the targets its figures are held to.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alternate, expectCount, runOnce, scratchDir, stats, type Impl, type ImplResult } from './measure.js';
import { BenchNetns, execIn, ipBatch, ipIn } from './ns.js';
import { BENCH_DIR, DATA_DIR, DIST_BENCH } from './paths.js';
import { PYTHON, type PeerStatus } from './peers.js';
import { ipv4At } from './workloads/common.js';
import { runEvents } from './events-runner.js';
import { netdbSuite } from './netdb-suite.js';

/** What a workload run needs to know. */
export interface Ctx {
  quick: boolean;
  reps: number;
  warmup: number;
  peers: PeerStatus;
  log: (line: string) => void;
}

/** One table row: an implementation's samples, or why it has none. */
export interface Row {
  id: string;
  lib: string;
  mode: 'process' | 'in-process';
  wall: { median: number; min: number; max: number };
  rssMB: number;
  cpu: number;
  samples: number;
  /** Time ratio nlroute / this row, against the nlroute row of the same mode. */
  ratio?: number;
  notes?: string;
  error?: string;
  extra?: Record<string, unknown>;
  /** Whole Node processes: median time minus the median of `node -e 0` in the same run. */
  net?: number;
  /** Every counted run, in order: seconds and peak RSS MB. */
  runs?: { wall: number; rssMB: number; cpu: number }[];
}

export interface Target {
  text: string;
  pass: boolean | undefined;
  detail: string;
}

export interface WorkloadResult {
  key: string;
  title: string;
  rows: Row[];
  targets: Target[];
  notes: string[];
}

export interface WorkloadDef {
  /** Name for --only (several sizes share one). */
  group: string;
  run(ctx: Ctx): Promise<WorkloadResult[]>;
}

const NODE = process.execPath;
const peerScript = (name: string): string => join(BENCH_DIR, 'peers', name);
const workload = (name: string): string => join(DIST_BENCH, 'workloads', `${name}.js`);

/** nlroute as a whole process inside the namespace (entered before the spawn). */
export function nlProcess(
  id: string,
  name: string,
  args: string[],
  ns: { path: string },
  check: Impl['check'],
  extra: Partial<Impl> = {},
): Impl {
  return { id, lib: 'nlroute', mode: 'process', cmd: [NODE, workload(name), ...args], netns: ns.path, check, ...extra };
}

/** nlroute in-process: the harness opens its sockets with { netns } and times the run itself. */
export function nlInProcess(
  id: string,
  name: string,
  args: string[],
  ns: { name: string },
  warm: number,
  check: Impl['check'],
  extra: Partial<Impl> = {},
): Impl {
  return {
    id,
    lib: 'nlroute',
    mode: 'in-process',
    selfTimed: true,
    check,
    cmd: [NODE, join(DIST_BENCH, 'inproc.js'), name, '--warm', String(warm), '--netns', ns.name, ...args],
    ...extra,
  };
}

/** Warm-up runs for an in-process figure: enough items for the JIT to settle (at least 2 runs). */
function warmFor(items: number): number {
  return Math.max(2, Math.ceil(200000 / items));
}

export function py(
  id: string,
  script: string,
  args: string[],
  ns: { path: string },
  check: Impl['check'],
  extra: Partial<Impl> = {},
): Impl {
  return {
    id,
    lib: 'pyroute2',
    mode: 'process',
    cmd: [PYTHON, peerScript(script), ...args],
    netns: ns.path,
    check,
    ...extra,
  };
}

function nodeNetlink(id: string, script: string, ns: { path: string }, check: Impl['check']): Impl {
  return { id, lib: 'netlink', mode: 'process', cmd: [NODE, peerScript(script)], netns: ns.path, check };
}

/** A check for `ip -j` output: a JSON array of at least `min` objects. */
function jsonArray(min: number): Impl['check'] {
  return (out) => {
    const a = JSON.parse(out) as unknown[];
    if (!Array.isArray(a) || a.length < min) throw new Error(`${Array.isArray(a) ? a.length : 'no'} items < ${min}`);
    return { count: a.length };
  };
}

// Node's own start-up, measured once per run (`node -e 0`, median), so whole-process rows can
// also be read without it: it dominates the small workloads against Node peers.
let nodeBaseline: number | undefined;
const NODE_LIBS = new Set(['nlroute', 'netlink', 'floor', 'node']);

/** Measure `node -e 0` for this run; later rows report their time minus it. */
export async function measureNodeBaseline(ctx: Ctx): Promise<number> {
  const ns = new BenchNetns('baseline');
  try {
    const impl: Impl = {
      id: 'node -e 0',
      lib: 'node',
      mode: 'process',
      cmd: [NODE, '-e', '0'],
      netns: ns.path,
      check: () => ({ count: 0 }),
    };
    const [r] = await alternate([impl], { reps: Math.max(ctx.reps, 7), warmup: ctx.warmup, log: ctx.log });
    nodeBaseline = stats(r.samples.map((x) => x.wall)).median;
    return nodeBaseline;
  } finally {
    ns.dispose();
  }
}

export function toRows(results: ImplResult[]): Row[] {
  return results.map(({ impl, samples, error }) => {
    const rss = stats(samples.map((s) => s.rssMB)).median;
    const cpu = stats(samples.map((s) => s.cpu)).median;
    return {
      id: impl.id,
      lib: impl.lib,
      mode: impl.mode,
      wall: stats(samples.map((s) => s.wall)),
      rssMB: rss,
      cpu,
      samples: samples.length,
      error,
      extra: samples[samples.length >> 1]?.extra,
      runs: samples.map((s) => ({ wall: s.wall, rssMB: s.rssMB, cpu: s.cpu })),
      net:
        impl.mode === 'process' && NODE_LIBS.has(impl.lib) && samples.length && nodeBaseline !== undefined
          ? stats(samples.map((s) => s.wall)).median - nodeBaseline
          : undefined,
    };
  });
}

/** Fill each row's ratio against the nlroute row `refId` (same mode only). */
export function ratios(rows: Row[], refId: string): void {
  const ref = rows.find((r) => r.id === refId);
  if (!ref || !ref.samples) return;
  for (const r of rows) {
    // A zero (e.g. an event drain finished before the changes) has no meaningful ratio.
    if (r.lib !== 'nlroute' && r.samples && r.mode === ref.mode && r.wall.median > 0 && ref.wall.median > 0)
      r.ratio = ref.wall.median / r.wall.median;
  }
}

export const fmt = (s: number): string => (s >= 1 ? s.toFixed(2) : s >= 0.01 ? s.toFixed(3) : s.toFixed(4));

/** Row by id (the first, i.e. the whole-process one when both modes exist). */
export const rowOf = (rows: Row[], id: string, mode: Row['mode'] = 'process'): Row | undefined =>
  rows.find((x) => x.id === id && x.mode === mode && x.samples);

/** A factor shown without rounding it across a limit (29.996 is not "30.00"). */
const factor = (x: number, up: boolean): string => ((up ? Math.ceil(x * 100) : Math.floor(x * 100)) / 100).toFixed(2);

/** The same comparison in CPU seconds, steadier than wall time on a busy machine. */
function cpuNote(a: Row, b: Row, x: (ac: number, bc: number) => number): string {
  if (!Number.isFinite(a.cpu) || !Number.isFinite(b.cpu) || a.cpu <= 0 || b.cpu <= 0) return '';
  return `; CPU ${fmt(a.cpu)} vs ${fmt(b.cpu)} s: ${x(a.cpu, b.cpu).toFixed(2)}x`;
}

/** Two Node processes compare without Node's start-up (time minus node -e 0); others as measured. */
function timesOf(a: Row, b: Row): { at: number; bt: number; how: string } {
  if (
    a.mode === 'process' &&
    b.mode === 'process' &&
    NODE_LIBS.has(a.lib) &&
    NODE_LIBS.has(b.lib) &&
    a.net !== undefined &&
    b.net !== undefined &&
    a.net > 0 &&
    b.net > 0
  ) {
    return { at: a.net, bt: b.net, how: ' minus node -e 0' };
  }
  return { at: a.wall.median, bt: b.wall.median, how: '' };
}

/** "a is at least k times faster than b": a <= b / k. */
export function faster(
  text: string,
  a: Row | undefined,
  b: Row | undefined,
  k: number,
  an: string,
  bn: string,
): Target {
  if (!a || !b) return { text, pass: undefined, detail: 'not measured' };
  const { at, bt, how } = timesOf(a, b);
  const x = bt / at;
  return {
    text,
    pass: x >= k,
    detail: `${an} ${fmt(at)} s vs ${bn} ${fmt(bt)} s${how}: speed-up ${factor(x, false)}x (need ${k}x)${cpuNote(a, b, (ac, bc) => bc / ac)}`,
  };
}

/** "a uses at most k times b's CPU time (user + system)". */
function cpuAtMost(text: string, a: Row | undefined, b: Row | undefined, k: number, an: string, bn: string): Target {
  if (!a || !b || !Number.isFinite(a.cpu) || !Number.isFinite(b.cpu) || b.cpu <= 0)
    return { text, pass: undefined, detail: 'not measured' };
  const x = a.cpu / b.cpu;
  return {
    text,
    pass: x <= k,
    detail: `${an} CPU ${fmt(a.cpu)} s vs ${bn} ${fmt(b.cpu)} s: ${factor(x, true)}x (limit ${k}x)`,
  };
}

/** "a takes at most k times b" (time, or peak RSS with unit 'MB'). */
export function atMost(
  text: string,
  a: Row | undefined,
  b: Row | undefined,
  k: number,
  an: string,
  bn: string,
  unit = 's',
): Target {
  if (!a || !b) return { text, pass: undefined, detail: 'not measured' };
  if (unit === 'MB') {
    const x = a.rssMB / b.rssMB;
    return {
      text,
      pass: x <= k,
      detail: `${an} ${a.rssMB.toFixed(1)} MB vs ${bn} ${b.rssMB.toFixed(1)} MB: ${factor(x, true)}x (limit ${k}x)`,
    };
  }
  const { at, bt, how } = timesOf(a, b);
  const x = at / bt;
  return {
    text,
    pass: x <= k,
    detail: `${an} ${fmt(at)} s vs ${bn} ${fmt(bt)} s${how}: ${factor(x, true)}x (limit ${k}x)${cpuNote(a, b, (ac, bc) => ac / bc)}`,
  };
}

/** Start-up on the net figure: what nlroute adds to `node -e 0`, at most k times node's own time. */
function startupOver(nl: Row | undefined, node: Row | undefined, k: number): Target {
  const text = `import + socket + link list add <= ${k}x node -e 0's own time (nlroute minus node -e 0)`;
  if (!nl || !node || !nl.samples || !node.samples) return { text, pass: undefined, detail: 'not measured' };
  const added = nl.wall.median - node.wall.median;
  const x = added / node.wall.median;
  return {
    text,
    pass: x <= k,
    detail: `nlroute ${fmt(nl.wall.median)} s - node -e 0 ${fmt(node.wall.median)} s = ${fmt(added)} s: ${x.toFixed(2)}x (limit ${k}x)${cpuNote(nl, node, (ac, bc) => ac / bc)}`,
  };
}

export function logRun(ctx: Ctx, title: string): void {
  ctx.log(`\n== ${title}`);
}

// ---- 1. route dump -------------------------------------------------------------------

function routeDump(n: number): WorkloadDef['run'] {
  return async (ctx) => {
    const title = `Route dump, ${n.toLocaleString('en')} IPv4 routes`;
    logRun(ctx, title);
    const ns = new BenchNetns(`routes${n}`);
    try {
      ipBatch(
        ns.name,
        Array.from({ length: n }, (_, i) => `route add ${ipv4At('10.0.0.0', i)}/32 dev lo`),
        scratchDir(),
      );
      const c = expectCount(n);
      const impls: Impl[] = [
        nlProcess('nlroute', 'route-dump', [], ns, c),
        nlInProcess('nlroute', 'route-dump', [], ns, warmFor(n), c),
        nlInProcess('nlroute records', 'route-records', [], ns, warmFor(n), c),
        nlProcess('raw floor', 'route-floor', [], ns, c, { lib: 'floor' }),
        nlInProcess('raw floor', 'route-floor', [], ns, warmFor(n), c, { lib: 'floor' }),
      ];
      if (ctx.peers.pyroute2) impls.push(py('pyroute2 get_routes()', 'pyroute2_route_dump.py', [], ns, c));
      if (ctx.peers.netlink) impls.push(nodeNetlink('netlink getRoutes()', 'netlink_route_dump.cjs', ns, c));
      impls.push({
        id: 'ip -j route show',
        lib: 'iproute2',
        mode: 'process',
        cmd: ['ip', '-j', 'route', 'show'],
        netns: ns.path,
        check: jsonArray(n),
      });
      const rows = toRows(await alternate(impls, { reps: ctx.reps, warmup: ctx.warmup, log: ctx.log }));
      ratios(rows, 'nlroute');
      const inproc = rows.find((r) => r.id === 'nlroute' && r.mode === 'in-process');
      const floorIn = rows.find((r) => r.id === 'raw floor' && r.mode === 'in-process');
      if (inproc?.samples && floorIn?.samples)
        (inproc.ratio = inproc.wall.median / floorIn.wall.median), (inproc.notes = 'ratio: vs raw floor in-process');
      const records = rows.find((r) => r.id === 'nlroute records' && r.mode === 'in-process');
      if (records?.samples && inproc?.samples)
        (records.ratio = records.wall.median / inproc.wall.median),
          (records.notes = 'ratio: vs nlroute messages in-process');
      const nl = rowOf(rows, 'nlroute');
      const targets: Target[] = [
        faster('>= 3x faster than Node netlink', nl, rowOf(rows, 'netlink getRoutes()'), 3, 'nlroute', 'netlink'),
        faster('>= 30x faster than pyroute2', nl, rowOf(rows, 'pyroute2 get_routes()'), 30, 'nlroute', 'pyroute2'),
        atMost(
          'in-process dump <= ip -j route show (whole process)',
          inproc?.samples ? inproc : undefined,
          rowOf(rows, 'ip -j route show'),
          1,
          'nlroute in-process',
          'ip -j',
        ),
        atMost(
          'in-process within 1.5x of the raw floor',
          inproc?.samples ? inproc : undefined,
          floorIn?.samples ? floorIn : undefined,
          1.5,
          'nlroute in-process',
          'floor in-process',
        ),
        atMost(
          'records dump within 1.5x of the message dump (in-process)',
          records?.samples ? records : undefined,
          inproc?.samples ? inproc : undefined,
          1.5,
          'records',
          'messages',
        ),
        atMost(
          'peak RSS <= half of Node netlink',
          rowOf(rows, 'nlroute'),
          rowOf(rows, 'netlink getRoutes()'),
          0.5,
          'nlroute',
          'netlink',
          'MB',
        ),
      ];
      return [{ key: `route-dump-${n}`, title, rows, targets: n >= 100000 || ctx.quick ? targets : [], notes: [] }];
    } finally {
      ns.dispose();
    }
  };
}

// ---- 2. link dump --------------------------------------------------------------------

function linkDump(pairs: number): WorkloadDef['run'] {
  return async (ctx) => {
    const links = 2 * pairs + 1;
    const title = `Link dump, ${links.toLocaleString('en')} interfaces (${pairs} veth pairs), details and stats`;
    logRun(ctx, title);
    const ns = new BenchNetns('links');
    try {
      ipBatch(
        ns.name,
        Array.from({ length: pairs }, (_, i) => `link add va${i} type veth peer name vb${i}`),
        scratchDir(),
      );
      const c = expectCount(links);
      const impls: Impl[] = [
        nlProcess('nlroute', 'link-dump', [], ns, c),
        nlInProcess('nlroute', 'link-dump', [], ns, warmFor(links * 20), c),
      ];
      if (ctx.peers.pyroute2) impls.push(py('pyroute2 get_links()', 'pyroute2_link_dump.py', [], ns, c));
      if (ctx.peers.netlink) impls.push(nodeNetlink('netlink getLinks()', 'netlink_link_dump.cjs', ns, c));
      impls.push({
        id: 'ip -j -d -s link show',
        lib: 'iproute2',
        mode: 'process',
        cmd: ['ip', '-j', '-d', '-s', 'link', 'show'],
        netns: ns.path,
        check: jsonArray(links),
      });
      const rows = toRows(await alternate(impls, { reps: ctx.reps, warmup: ctx.warmup, log: ctx.log }));
      ratios(rows, 'nlroute');
      const inproc = rows.find((r) => r.id === 'nlroute' && r.mode === 'in-process');
      const targets = [
        faster(
          '>= 3x faster than Node netlink',
          rowOf(rows, 'nlroute'),
          rowOf(rows, 'netlink getLinks()'),
          3,
          'nlroute',
          'netlink',
        ),
        atMost(
          'in-process <= ip -j -d -s link (whole process)',
          inproc?.samples ? inproc : undefined,
          rowOf(rows, 'ip -j -d -s link show'),
          1,
          'nlroute in-process',
          'ip',
        ),
      ];
      return [{ key: 'link-dump', title, rows, targets, notes: [] }];
    } finally {
      ns.dispose();
    }
  };
}

// ---- 3. changes ----------------------------------------------------------------------

const ADDR_BASE = '10.64.0.0',
  ROUTE_BASE = '10.128.0.0';

function changes(n: number): WorkloadDef['run'] {
  return async (ctx) => {
    const title = `Changes: ${n.toLocaleString('en')} address adds, then ${n.toLocaleString('en')} route adds, one interface`;
    logRun(ctx, title);
    // Every run gets a fresh namespace under the same name, so the command lines stay fixed.
    let ns: BenchNetns | undefined;
    const name = `nlr-bench-${process.pid}-changes`;
    const fixed = { name, path: `/var/run/netns/${name}` };
    const before = (): void => {
      ns = new BenchNetns('changes', name);
      ipIn(name, ['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1']);
      ipIn(name, ['link', 'set', 'v0', 'up']);
      ipIn(name, ['link', 'set', 'v1', 'up']);
    };
    const after = (): void => {
      try {
        // Whatever made them, the changes must all be there.
        const addrs = ipIn(name, ['-4', '-o', 'addr', 'show', 'dev', 'v0'])
          .split('\n')
          .filter((l) => l.includes(' inet ')).length;
        const routes = ipIn(name, ['-4', 'route', 'show', 'dev', 'v0'])
          .split('\n')
          .filter((l) => l.startsWith('10.128.') || l.startsWith('10.129.')).length;
        if (addrs < n || routes < n)
          throw new Error(`after the run: ${addrs} addresses, ${routes} routes (expected ${n} each)`);
      } finally {
        ns?.dispose();
      }
    };
    const batchFile = join(scratchDir(), `changes-${n}.batch`);
    writeFileSync(
      batchFile,
      [
        ...Array.from({ length: n }, (_, i) => `address add ${ipv4At(ADDR_BASE, i)}/32 dev v0`),
        ...Array.from({ length: n }, (_, i) => `route add ${ipv4At(ROUTE_BASE, i)}/32 dev v0`),
      ].join('\n') + '\n',
    );
    const c = expectCount(2 * n);
    const args = ['--n', String(n), '--ifname', 'v0', '--addr-base', ADDR_BASE, '--route-base', ROUTE_BASE];
    const impls: Impl[] = [
      nlProcess('nlroute', 'changes', args, fixed, c, { before, after }),
      nlInProcess('nlroute', 'changes', args, fixed, 0, c, { before, after }),
    ];
    if (ctx.peers.pyroute2)
      impls.push(
        py('pyroute2 addr()/route() loop', 'pyroute2_changes.py', [String(n), 'v0', ADDR_BASE, ROUTE_BASE], fixed, c, {
          before,
          after,
        }),
      );
    impls.push({
      id: 'ip -batch',
      lib: 'iproute2',
      mode: 'process',
      cmd: ['ip', '-batch', batchFile],
      netns: fixed.path,
      check: () => ({ count: 2 * n }),
      before,
      after,
    });
    const rows = toRows(await alternate(impls, { reps: ctx.reps, warmup: ctx.warmup, log: ctx.log }));
    ratios(rows, 'nlroute');
    const nl = rowOf(rows, 'nlroute');
    const targets = [
      // Kernel-bound (strace -c: ~1.1 s of sendmsg system time for any client): held to ip's CPU and wall.
      cpuAtMost('CPU <= ip -batch CPU', nl, rowOf(rows, 'ip -batch'), 1, 'nlroute', 'ip -batch'),
      atMost('wall within 1.05x of ip -batch', nl, rowOf(rows, 'ip -batch'), 1.05, 'nlroute', 'ip -batch'),
      faster('>= 5x faster than pyroute2', nl, rowOf(rows, 'pyroute2 addr()/route() loop'), 5, 'nlroute', 'pyroute2'),
    ];
    return [
      {
        key: 'changes',
        title,
        rows,
        targets,
        notes: ['nlroute: IPRoute batch, every request ACKed and checked (acks: all)'],
      },
    ];
  };
}

// ---- 4. ipset ---------------------------------------------------------------------------

const SET = 'bench';

function ipsetWorkloads(n: number): WorkloadDef['run'] {
  return async (ctx) => {
    if (!ctx.peers.ipset) ctx.log('ipset(8) missing: its rows are skipped');
    const out: WorkloadResult[] = [];
    const ns = new BenchNetns('ipset');
    try {
      const ipset = (args: string[], input?: string): string => execIn(ns.name, 'ipset', args, input);
      const entriesIn = (): number => Number(/Number of entries: (\d+)/.exec(ipset(['list', '-t', SET]))?.[1] ?? -1);
      const restoreFile = join(scratchDir(), `ipset-${n}.restore`);
      writeFileSync(
        restoreFile,
        [
          `create ${SET} hash:ip maxelem ${Math.max(65536, 2 * n)} hashsize ${Math.max(1024, n >> 2)}`,
          ...Array.from({ length: n }, (_, i) => `add ${SET} ${ipv4At('10.0.0.0', i)}`),
        ].join('\n') + '\n',
      );

      // Adds: every run starts without the set and must end with all n entries in it.
      let title = `IPSet: add ${n.toLocaleString('en')} entries to a new hash:ip set`;
      logRun(ctx, title);
      const before = (): void => {
        try {
          ipset(['destroy', SET]);
        } catch {
          /* not there */
        }
      };
      const after = (): void => {
        const got = entriesIn();
        before();
        if (got !== n) throw new Error(`the set has ${got} entries after the run, expected ${n}`);
      };
      const c = expectCount(n);
      const args = ['--n', String(n), '--name', SET, '--base', '10.0.0.0'];
      const adds: Impl[] = [
        nlProcess('nlroute addMany()', 'ipset-add', args, ns, c, { before, after }),
        nlInProcess('nlroute addMany()', 'ipset-add', args, ns, 0, c, { before, after }),
        nlProcess('nlroute add() loop', 'ipset-add', [...args, '--mode', 'loop'], ns, c, { before, after }),
      ];
      if (ctx.peers.pyroute2)
        adds.push(
          py('pyroute2 IPSet.add() loop', 'pyroute2_ipset_add.py', [SET, String(n), '10.0.0.0'], ns, c, {
            before,
            after,
          }),
        );
      if (ctx.peers.ipset)
        adds.push({
          id: 'ipset restore',
          lib: 'ipset',
          mode: 'process',
          cmd: ['ipset', 'restore'],
          stdin: restoreFile,
          netns: ns.path,
          check: () => ({ count: n }),
          before,
          after,
        });
      let rows = toRows(await alternate(adds, { reps: ctx.reps, warmup: ctx.warmup, log: ctx.log }));
      ratios(rows, 'nlroute addMany()');
      const many = rowOf(rows, 'nlroute addMany()');
      out.push({
        key: 'ipset-add',
        title,
        rows,
        notes: [],
        targets: [
          atMost(
            'addMany of all entries <= 1.5x ipset restore, end to end',
            many,
            rowOf(rows, 'ipset restore'),
            1.5,
            'nlroute addMany()',
            'ipset restore',
          ),
          faster(
            'addMany >= 20x faster than pyroute2',
            many,
            rowOf(rows, 'pyroute2 IPSet.add() loop'),
            20,
            'nlroute addMany()',
            'pyroute2',
          ),
        ],
      });

      // List: one populated set, read back completely.
      title = `IPSet: list ${n.toLocaleString('en')} entries back`;
      logRun(ctx, title);
      before();
      ipset(
        ['restore'],
        `${[
          `create ${SET} hash:ip maxelem ${Math.max(65536, 2 * n)} hashsize ${Math.max(1024, n >> 2)}`,
          ...Array.from({ length: n }, (_, i) => `add ${SET} ${ipv4At('10.0.0.0', i)}`),
        ].join('\n')}\n`,
      );
      const lists: Impl[] = [
        nlProcess('nlroute list()', 'ipset-list', ['--name', SET], ns, c),
        nlInProcess('nlroute list()', 'ipset-list', ['--name', SET], ns, warmFor(n), c),
      ];
      if (ctx.peers.pyroute2) lists.push(py('pyroute2 IPSet.list()', 'pyroute2_ipset_list.py', [SET], ns, c));
      if (ctx.peers.ipset) {
        lists.push({
          id: 'ipset list',
          lib: 'ipset',
          mode: 'process',
          cmd: ['ipset', 'list', SET],
          netns: ns.path,
          check: (o) => {
            const count = o.split('\n').filter((l) => /^\d+\.\d+\.\d+\.\d+$/.test(l)).length;
            if (count < n) throw new Error(`listed ${count} < ${n}`);
            return { count };
          },
        });
      }
      rows = toRows(await alternate(lists, { reps: ctx.reps, warmup: ctx.warmup, log: ctx.log }));
      ratios(rows, 'nlroute list()');
      const list = rowOf(rows, 'nlroute list()');
      out.push({
        key: 'ipset-list',
        title,
        rows,
        notes: [],
        targets: [
          atMost('list <= 2x ipset list', list, rowOf(rows, 'ipset list'), 2, 'nlroute list()', 'ipset list'),
          faster(
            'list >= 20x faster than pyroute2',
            list,
            rowOf(rows, 'pyroute2 IPSet.list()'),
            20,
            'nlroute list()',
            'pyroute2',
          ),
        ],
      });
      return out;
    } finally {
      ns.dispose();
    }
  };
}

// ---- 5. events -----------------------------------------------------------------------

function events(n: number): WorkloadDef['run'] {
  return async (ctx) => {
    const title = `Events: ${n.toLocaleString('en')} address adds by ip -batch, subscribed to link + IPv4 address groups`;
    logRun(ctx, title);
    const results = await runEvents(n, ctx);
    const rows = toRows(results);
    for (const [i, r] of rows.entries()) {
      const ss = results[i].samples;
      if (!ss.length) continue;
      const e = r.extra as { batch_s?: number; all_s?: number } | undefined;
      const got = ss.map((x) => Number(x.extra.received));
      const overruns = ss.map((x) => Number(x.extra.enobufs));
      r.notes =
        `received ${Math.min(...got)}–${Math.max(...got)} of ${n}, ENOBUFS ${Math.min(...overruns)}–${Math.max(...overruns)} per run; ` +
        `changes took ${fmt(e?.batch_s ?? NaN)} s, last event at ${fmt(e?.all_s ?? NaN)} s`;
    }
    ratios(rows, 'nlroute');
    const nl = results.find((r) => r.impl.id === 'nlroute');
    const lost = nl ? Math.max(...nl.samples.map((s) => n - Number(s.extra.received ?? 0))) : undefined;
    const enobufs = nl ? Math.max(...nl.samples.map((s) => Number(s.extra.enobufs ?? 0))) : undefined;
    const targets: Target[] = [
      {
        text: `0 events lost at ${n.toLocaleString('en')} changes, default settings`,
        pass: lost === undefined || !nl?.samples.length ? undefined : lost === 0 && enobufs === 0,
        detail:
          lost === undefined
            ? 'not measured'
            : `worst run: ${lost} lost, ${enobufs} ENOBUFS over ${nl?.samples.length} runs`,
      },
    ];
    return [
      {
        key: 'events',
        title,
        rows,
        targets,
        notes: [
          'time = drain: from the end of ip -batch to the last event received (0: the listener kept up with the changes)',
        ],
      },
    ];
  };
}

// ---- 6. codec --------------------------------------------------------------------------

function codec(n: number): WorkloadDef['run'] {
  return async (ctx) => {
    const title = `Codec only: decode a recorded dump of ${n.toLocaleString('en')} RTM_NEWROUTE messages in memory`;
    logRun(ctx, title);
    const file = join(DATA_DIR, `routes-${n}.bin`);
    {
      const ns = new BenchNetns('codec');
      try {
        ipBatch(
          ns.name,
          Array.from({ length: n }, (_, i) => `route add ${ipv4At('10.0.0.0', i)}/32 dev lo`),
          scratchDir(),
        );
        await runOnce(nlProcess('record', 'route-floor', ['--save', file], ns, expectCount(n)));
      } finally {
        ns.dispose();
      }
    }
    const c = expectCount(n);
    const speed: Impl = {
      id: 'nlroute',
      lib: 'nlroute',
      mode: 'in-process',
      selfTimed: true,
      check: c,
      cmd: [NODE, workload('codec'), '--file', file, '--mode', 'speed', '--min-msgs', '100000'],
    };
    const rows = toRows(await alternate([speed], { reps: ctx.reps, warmup: 0, log: ctx.log }));
    const allocs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await runOnce({
        id: 'alloc',
        lib: 'nlroute',
        mode: 'in-process',
        check: c,
        cmd: [
          NODE,
          '--expose-gc',
          '--min-semi-space-size=128',
          '--max-semi-space-size=128',
          workload('codec'),
          '--file',
          file,
          '--mode',
          'alloc',
        ],
      });
      if (Number(s.extra.gcs_during) === 0) allocs.push(Number(s.extra.bytes_per_msg));
    }
    const rates = rows[0]?.samples ? rows[0].wall.median : undefined;
    const rate = rates ? n / rates : undefined;
    const alloc = allocs.length ? stats(allocs).median : undefined;
    if (rows[0])
      rows[0].notes = `${rate ? (rate / 1e6).toFixed(2) : '?'} M msg/s; ${alloc !== undefined ? alloc.toFixed(0) : '?'} bytes allocated per message`;
    const targets: Target[] = [
      {
        text: '>= 2 million RTM_NEWROUTE messages/s decoded (lazily, destination read), one core',
        pass: rate === undefined ? undefined : rate >= 2e6,
        detail:
          rate === undefined
            ? 'not measured'
            : `${(rate / 1e6).toFixed(2)} M msg/s (median of ${rows[0].samples} processes), ${alloc?.toFixed(0) ?? '?'} B/msg allocated`,
      },
    ];
    return [
      {
        key: 'codec',
        title,
        rows,
        targets,
        notes: ['time = one decode pass over the recording (median of 7 passes after 3 warm-up passes, per process)'],
      },
    ];
  };
}

// ---- 7. start-up -----------------------------------------------------------------------

function startup(): WorkloadDef['run'] {
  return async (ctx) => {
    const title = 'Start-up: import, open a socket, list links (whole process)';
    logRun(ctx, title);
    const ns = new BenchNetns('startup');
    try {
      const c = expectCount(1);
      const impls: Impl[] = [
        nlProcess('nlroute', 'startup', [], ns, c),
        {
          id: 'node -e 0',
          lib: 'node',
          mode: 'process',
          cmd: [NODE, '-e', '0'],
          netns: ns.path,
          check: () => ({ count: 0 }),
        },
      ];
      if (ctx.peers.netlink) impls.push(nodeNetlink('netlink', 'netlink_startup.cjs', ns, c));
      if (ctx.peers.pyroute2) impls.push(py('pyroute2', 'pyroute2_startup.py', [], ns, c));
      impls.push({
        id: 'ip -j link show',
        lib: 'iproute2',
        mode: 'process',
        cmd: ['ip', '-j', 'link', 'show'],
        netns: ns.path,
        check: jsonArray(1),
      });
      const rows = toRows(await alternate(impls, { reps: Math.max(ctx.reps, 5), warmup: ctx.warmup, log: ctx.log }));
      ratios(rows, 'nlroute');
      const targets = [startupOver(rowOf(rows, 'nlroute'), rowOf(rows, 'node -e 0'), 0.3)];
      return [{ key: 'startup', title, rows, targets, notes: [] }];
    } finally {
      ns.dispose();
    }
  };
}

/** Every workload, full or quick sizes. */
export function suite(quick: boolean): WorkloadDef[] {
  return [
    ...(quick
      ? [{ group: 'route-dump', run: routeDump(1000) }]
      : [
          { group: 'route-dump', run: routeDump(10000) },
          { group: 'route-dump', run: routeDump(100000) },
        ]),
    { group: 'link-dump', run: linkDump(quick ? 50 : 500) },
    { group: 'changes', run: changes(quick ? 1000 : 10000) },
    { group: 'ipset', run: ipsetWorkloads(quick ? 10000 : 100000) },
    { group: 'events', run: events(quick ? 1000 : 10000) },
    { group: 'codec', run: codec(quick ? 1000 : 100000) },
    { group: 'startup', run: startup() },
    ...netdbSuite(quick),
  ];
}

export const GROUPS = ['route-dump', 'link-dump', 'changes', 'ipset', 'events', 'codec', 'startup', 'netdb'];
