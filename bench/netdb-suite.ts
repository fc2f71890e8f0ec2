// NetDB's workloads (`--only netdb`): loading a large namespace, replaying events, and a
// verified transaction with its rollback, against `ip` and pyroute2's NDB.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alternate, expectCount, scratchDir, type Impl } from './measure.js';
import { BenchNetns, ipBatch, ipIn } from './ns.js';
import { ipv4At } from './workloads/common.js';
import {
  atMost,
  faster,
  fmt,
  logRun,
  nlInProcess,
  nlProcess,
  py,
  ratios,
  rowOf,
  toRows,
  type Row,
  type Target,
  type WorkloadDef,
} from './suite.js';

const num = (r: Row | undefined, k: string): number | undefined => {
  const v = r?.extra?.[k];
  return typeof v === 'number' ? v : undefined;
};

function limit(text: string, value: number | undefined, max: number, unit: string, what: string): Target {
  if (value === undefined) return { text, pass: undefined, detail: 'not measured' };
  return { text, pass: value <= max, detail: `${what} ${value} ${unit} (limit ${max} ${unit})` };
}

// ---- load -----------------------------------------------------------------------------

function load(routes: number, pairs: number): WorkloadDef['run'] {
  return async (ctx) => {
    const links = 2 * pairs + 1;
    const title = `NetDB load: ${routes.toLocaleString('en')} routes, ${links.toLocaleString('en')} links (sync complete, queryable)`;
    logRun(ctx, title);
    const ns = new BenchNetns('netdb-load');
    try {
      ipBatch(
        ns.name,
        [
          ...Array.from({ length: pairs }, (_, i) => `link add va${i} type veth peer name vb${i}`),
          ...Array.from({ length: routes }, (_, i) => `route add ${ipv4At('10.0.0.0', i)}/32 dev lo`),
        ],
        scratchDir(),
      );
      const c = expectCount(routes);
      const impls: Impl[] = [
        nlProcess('nlroute NetDB.open()', 'netdb-load', [], ns, c),
        nlInProcess('nlroute NetDB.open()', 'netdb-load', [], ns, 2, c),
        {
          id: 'ip -j route show',
          lib: 'iproute2',
          mode: 'process',
          cmd: ['ip', '-j', 'route', 'show'],
          netns: ns.path,
          check: () => ({ count: routes }),
        },
        {
          id: 'ip -j link show',
          lib: 'iproute2',
          mode: 'process',
          cmd: ['ip', '-j', 'link', 'show'],
          netns: ns.path,
          check: () => ({ count: links }),
        },
      ];
      const rows = toRows(await alternate(impls, { reps: ctx.reps, warmup: ctx.warmup, log: ctx.log }));
      ratios(rows, 'nlroute NetDB.open()');
      const nl = rowOf(rows, 'nlroute NetDB.open()'),
        inproc = rowOf(rows, 'nlroute NetDB.open()', 'in-process'),
        r = rowOf(rows, 'ip -j route show'),
        l = rowOf(rows, 'ip -j link show');
      const both = r && l ? r.wall.median + l.wall.median : undefined;
      const bothCpu = r && l ? r.cpu + l.cpu : NaN;
      const targets: Target[] = [
        nl && both !== undefined
          ? {
              text: 'load (whole process) <= ip -j route show + ip -j link show',
              pass: nl.wall.median <= both,
              detail:
                `nlroute ${fmt(nl.wall.median)} s vs ip ${fmt(both)} s: ${(nl.wall.median / both).toFixed(2)}x (limit 1x); ` +
                `CPU ${fmt(nl.cpu)} vs ${fmt(bothCpu)} s; without node -e 0 ${fmt(nl.net ?? NaN)} s; ` +
                `in process ${fmt(inproc?.wall.median ?? NaN)} s (CPU ${fmt(inproc?.cpu ?? NaN)} s)`,
            }
          : {
              text: 'load (whole process) <= ip -j route show + ip -j link show',
              pass: undefined,
              detail: 'not measured',
            },
        limit(
          'memory held per route <= 300 B (RSS after load minus before)',
          num(nl, 'bytes_per_route_rss'),
          300,
          'B',
          'nlroute',
        ),
      ];
      const notes = [
        `memory per route: RSS ${num(nl, 'bytes_per_route_rss') ?? '?'} B, V8 heap ${num(nl, 'bytes_per_route_heap') ?? '?'} B (after a full GC)`,
      ];
      return [{ key: `netdb-load-${routes}`, title, rows, targets, notes }];
    } finally {
      ns.dispose();
    }
  };
}

// ---- replay ----------------------------------------------------------------------------

function replay(routes: number): WorkloadDef['run'] {
  return async (ctx) => {
    const title = `NetDB events replayed in process: ${routes.toLocaleString('en')} recorded RTM_NEWROUTE, then as RTM_DELROUTE`;
    logRun(ctx, title);
    const ns = new BenchNetns('netdb-replay');
    try {
      ipBatch(
        ns.name,
        Array.from({ length: routes }, (_, i) => `route add ${ipv4At('10.0.0.0', i)}/32 dev lo`),
        scratchDir(),
      );
      const c = expectCount(2 * routes);
      const rows = toRows(
        await alternate(
          [nlProcess('nlroute Source.apply()', 'netdb-replay', ['--min-routes', String(routes)], ns, c)],
          { reps: ctx.reps, warmup: ctx.warmup, log: ctx.log },
        ),
      );
      const row = rowOf(rows, 'nlroute Source.apply()');
      const rate = num(row, 'events_per_s'),
        cpuRate = num(row, 'events_per_cpu_s');
      const targets: Target[] = [
        rate === undefined
          ? { text: '>= 200,000 events/s applied in process', pass: undefined, detail: 'not measured' }
          : {
              text: '>= 200,000 events/s applied in process',
              pass: rate >= 200000,
              detail:
                `${rate.toLocaleString('en')} events/s (median run); per CPU second ` +
                `${cpuRate?.toLocaleString('en') ?? '?'} (the figure a busy machine does not move)`,
            },
      ];
      return [
        {
          key: 'netdb-replay',
          title,
          rows,
          targets,
          notes: ['time = the whole process (load, recording, replay); events/s = the replay loop alone'],
        },
      ];
    } finally {
      ns.dispose();
    }
  };
}

// ---- transaction and rollback ---------------------------------------------------------------

function transaction(routes: number, addrs: number, ndbCapS: number): WorkloadDef['run'] {
  return async (ctx) => {
    const title = `NetDB transaction: ${routes.toLocaleString('en')} routes + ${addrs} addresses, verified; and its rollback`;
    logRun(ctx, title);
    let ns: BenchNetns | undefined;
    const name = `nlr-bench-${process.pid}-netdb-tx`;
    const fixed = { name, path: `/var/run/netns/${name}` };
    const before = (): void => {
      ns = new BenchNetns('netdb-tx', name);
      ipIn(name, ['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1']);
      ipIn(name, ['link', 'set', 'v0', 'up']);
      ipIn(name, ['link', 'set', 'v1', 'up']);
    };
    const check = (want: number) => (): void => {
      try {
        const got = ipIn(name, ['-4', 'route', 'show', 'dev', 'v0'])
          .split('\n')
          .filter((l) => l.startsWith('10.128.')).length;
        if (got !== want) throw new Error(`after the run: ${got} routes (expected ${want})`);
      } finally {
        ns?.dispose();
      }
    };
    const batchFile = join(scratchDir(), `netdb-tx-${routes}.batch`);
    writeFileSync(
      batchFile,
      [
        ...Array.from({ length: addrs }, (_, i) => `address add ${ipv4At('10.64.0.0', i)}/32 dev v0`),
        ...Array.from({ length: routes }, (_, i) => `route add ${ipv4At('10.128.0.0', i)}/32 dev v0`),
      ].join('\n') + '\n',
    );
    const args = ['--routes', String(routes), '--addrs', String(addrs), '--ifname', 'v0'];
    const c = expectCount(routes + addrs);
    const impls: Impl[] = [
      nlProcess('nlroute NetDB.apply()', 'netdb-tx', args, fixed, c, { before, after: check(routes) }),
      nlInProcess('nlroute NetDB.apply()', 'netdb-tx', args, fixed, 0, c, { before, after: check(routes) }),
      nlProcess('nlroute rollback', 'netdb-tx', [...args, '--fail-last'], fixed, c, { before, after: check(0) }),
      {
        id: 'ip -batch',
        lib: 'iproute2',
        mode: 'process',
        cmd: ['ip', '-batch', batchFile],
        netns: fixed.path,
        check: () => ({ count: routes + addrs }),
        before,
        after: check(routes),
      },
    ];
    if (ctx.peers.pyroute2) {
      impls.push(
        py('pyroute2 NDB commit', 'pyroute2_ndb_tx.py', [String(routes), String(addrs), 'v0'], fixed, c, {
          before,
          after: check(routes),
          timeoutS: ndbCapS,
        }),
      );
    }
    const rows = toRows(await alternate(impls, { reps: ctx.reps, warmup: ctx.warmup, log: ctx.log }));
    ratios(rows, 'nlroute NetDB.apply()');
    const nl = rowOf(rows, 'nlroute NetDB.apply()'),
      inproc = rowOf(rows, 'nlroute NetDB.apply()', 'in-process');
    const fail = rowOf(rows, 'nlroute rollback');
    const ndb = rows.find((r) => r.id === 'pyroute2 NDB commit');
    const applyS = inproc ? (num(inproc, 'apply_s') ?? 0) + (num(inproc, 'verify_s') ?? 0) : undefined;
    const rollbackS = num(fail, 'rollback_s');
    const targets: Target[] = [
      atMost(
        'verified transaction <= 1.5x ip -batch (whole processes)',
        nl,
        rowOf(rows, 'ip -batch'),
        1.5,
        'nlroute',
        'ip -batch',
      ),
      ndb?.samples
        ? faster('>= 100x faster than pyroute2 NDB', nl, rowOf(rows, 'pyroute2 NDB commit'), 100, 'nlroute', 'NDB')
        : {
            text: '>= 100x faster than pyroute2 NDB',
            pass: undefined,
            detail: `NDB did not finish within the ${ndbCapS} s cap (${ndb?.error ?? 'not run'})`,
          },
      applyS !== undefined && rollbackS !== undefined
        ? {
            text: 'rollback after a failure at the last step <= 2x the apply',
            pass: rollbackS <= 2 * applyS,
            detail: `rollback ${fmt(rollbackS)} s vs apply + verify ${fmt(applyS)} s: ${(rollbackS / applyS).toFixed(2)}x (limit 2x)`,
          }
        : {
            text: 'rollback after a failure at the last step <= 2x the apply',
            pass: undefined,
            detail: 'not measured',
          },
    ];
    const ipb = rowOf(rows, 'ip -batch');
    const inTx = (num(inproc, 'plan_s') ?? NaN) + (applyS ?? NaN);
    const notes = [
      `NDB capped at ${ndbCapS} s per run; nlroute's in-process figures: plan ${fmt(num(inproc, 'plan_s') ?? NaN)} s, ` +
        `apply ${fmt(num(inproc, 'apply_s') ?? NaN)} s, verify ${fmt(num(inproc, 'verify_s') ?? NaN)} s` +
        (ipb ? `: plan + apply + verify ${(inTx / ipb.wall.median).toFixed(1)}x ip -batch's whole process` : ''),
      `a whole Node process starts in ${fmt(nl?.wall.median !== undefined && nl.net !== undefined ? nl.wall.median - nl.net : NaN)} s ` +
        '(node -e 0) before any work, already more than 1.5x ip -batch',
    ];
    return [{ key: 'netdb-tx', title, rows, targets, notes }];
  };
}

/** NetDB's workloads, full or quick sizes. */
export function netdbSuite(quick: boolean): WorkloadDef[] {
  return [
    { group: 'netdb', run: load(quick ? 10000 : 100000, quick ? 50 : 500) },
    { group: 'netdb', run: replay(quick ? 10000 : 100000) },
    { group: 'netdb', run: transaction(1000, 100, quick ? 60 : 300) },
  ];
}
