#!/usr/bin/env node
// nlrouted: applies /etc/nlroute/ and keeps it applied; serves io.nlroute.Network on
// /run/nlroute/io.nlroute.Network (or the socket systemd passes); sd_notify lifecycle.
import { watch, type FSWatcher } from 'node:fs';
import { parseArgs } from 'node:util';
import { groupId, type AuthPolicy } from './auth.js';
import { addNetworkInterface } from './api.js';
import { Daemon } from './daemon.js';
import { journalLogger, type Level } from './log.js';
import type { Metrics } from './metrics.js';
import type { NetnsCreator } from './namespaces.js';
import { Notifier } from './notify.js';
import { VarlinkServer } from '../varlink/server.js';

const USAGE = `usage: nlrouted [options]
  --config-dir DIR       configuration directory (default /etc/nlroute)
  --socket PATH          API socket when not socket-activated (default /run/nlroute/io.nlroute.Network)
  --runtime-dir DIR      journals of unconfirmed changes (default /run/nlroute)
  --netns NAME           namespace of the top-level configuration (default: the daemon's own)
  --group NAME           group that may read over the API (default nlroute)
  --admin-group NAME     group that may also change (default: root only)
  --metrics-listen H:P   serve Prometheus metrics over HTTP (e.g. 127.0.0.1:9750)
  --metrics-textfile F   write metrics for node_exporter's textfile collector
  --netns-creator HOW    how namespaces with create are made: self (default) or systemd-run
                         (under a unit sandbox; default from $NLROUTED_NETNS_CREATOR)
  --no-watch             do not reload when the configuration directory changes
  --log-level LEVEL      err, warning, notice, info (default) or debug
  --certification        also serve org.varlink.certification (conformance tests only)`;

/** The listening sockets systemd passed (LISTEN_FDS), for this process only. */
function activationFds(): number[] {
  if (Number(process.env.LISTEN_PID) !== process.pid) return [];
  const n = Number(process.env.LISTEN_FDS);
  if (!Number.isInteger(n) || n <= 0) return [];
  return Array.from({ length: n }, (_, i) => 3 + i);
}

/** The STATUS= text: the state, and when the configuration is not applied, why. */
function statusLine(daemon: Daemon): string {
  if (daemon.state === 'failed')
    return `failed: configuration not applied: ${daemon.applyError ?? 'unknown error'}`.slice(0, 1000);
  return `${daemon.state}: ${daemon.objectsManaged()} objects managed`;
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        'config-dir': { type: 'string', default: '/etc/nlroute' },
        socket: { type: 'string', default: '/run/nlroute/io.nlroute.Network' },
        'runtime-dir': { type: 'string', default: '/run/nlroute' },
        netns: { type: 'string' },
        group: { type: 'string', default: 'nlroute' },
        'admin-group': { type: 'string' },
        'metrics-listen': { type: 'string' },
        'metrics-textfile': { type: 'string' },
        'netns-creator': { type: 'string', default: process.env.NLROUTED_NETNS_CREATOR || 'self' },
        'no-watch': { type: 'boolean', default: false },
        'log-level': { type: 'string', default: 'info' },
        certification: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (e) {
    process.stderr.write(`nlrouted: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const level = args['log-level'] as Level;
  if (!['err', 'warning', 'notice', 'info', 'debug'].includes(level)) {
    process.stderr.write(`nlrouted: unknown log level ${JSON.stringify(level)}\n`);
    return 2;
  }
  const creator = args['netns-creator'] as NetnsCreator;
  if (creator !== 'self' && creator !== 'systemd-run') {
    process.stderr.write(`nlrouted: --netns-creator must be self or systemd-run, got ${JSON.stringify(creator)}\n`);
    return 2;
  }
  const log = journalLogger(level);
  const notify = new Notifier();
  // prom-client is loaded only when metrics are asked for.
  let metrics: Metrics | undefined;
  if (args['metrics-listen'] || args['metrics-textfile'])
    metrics = new (await import('./metrics.js')).Metrics(args['metrics-textfile']);
  const policy: AuthPolicy = { group: args.group!, adminGroup: args['admin-group'] };
  if (groupId(policy.group) === undefined)
    log('warning', `group ${policy.group} does not exist: only root can use the API`);

  const daemon = new Daemon({
    configDir: args['config-dir']!,
    runtimeDir: args['runtime-dir']!,
    netns: args.netns,
    netnsCreator: creator,
    log,
    metrics,
  });
  const server = new VarlinkServer({
    info: { vendor: 'nlroute', product: 'nlrouted', version: '0.1.0', url: 'https://www.npmjs.com/package/nlroute' },
    log: (m) => log('info', m),
  });
  if (args.certification) {
    const { CERTIFICATION_INTERFACE, certificationHandlers } = await import('../varlink/certification.js');
    server.addInterface(CERTIFICATION_INTERFACE, certificationHandlers());
  }

  notify.status('applying the configuration');
  try {
    await daemon.start();
  } catch (e) {
    log('err', `start failed: ${(e as Error).message}`);
    daemon.state = 'failed';
    daemon.applyError ??= (e as Error).message;
  }
  addNetworkInterface(server, daemon, policy);
  const fds = activationFds();
  if (fds.length) for (const fd of fds) await server.listen({ fd });
  else {
    const gid = groupId(policy.group);
    await server.listen(args.socket!, { mode: 0o660, uid: 0, gid: gid ?? 0 });
  }
  if (args['metrics-listen']) {
    const [host, port] = args['metrics-listen'].split(/:(?=\d+$)/);
    const p = await metrics!.listen(host || '127.0.0.1', Number(port));
    log('info', `metrics on http://${host}:${p}/metrics`);
  }
  await metrics?.flush();
  // READY=1 even when the first apply failed: the API must answer (socket activation queues
  // callers until then) so that GetStatus and Reload can report and repair it. STATUS= says so.
  notify.ready(statusLine(daemon));
  notify.startWatchdog();
  log('notice', `ready (${daemon.state}); API on ${fds.length ? `${fds.length} inherited socket(s)` : args.socket}`);

  const reload = async (why: string): Promise<void> => {
    notify.reloading();
    log('info', `reloading (${why})`);
    try {
      const r = await daemon.reload();
      log('notice', `reloaded: ${r.changes} change(s)`);
    } catch (e) {
      log('err', `reload failed: ${(e as Error).message}`);
    }
    notify.ready(statusLine(daemon));
  };
  process.on('SIGHUP', () => void reload('SIGHUP'));

  let watcher: FSWatcher | undefined;
  if (!args['no-watch']) {
    let timer: NodeJS.Timeout | undefined;
    try {
      watcher = watch(args['config-dir']!, () => {
        clearTimeout(timer);
        // Editors and config management write several files: reload once they settle.
        timer = setTimeout(() => void reload('configuration changed'), 200);
      });
    } catch (e) {
      log('warning', `not watching ${args['config-dir']}: ${(e as Error).message}`);
    }
  }

  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  notify.stopping();
  log('notice', 'stopping');
  watcher?.close();
  notify.stopWatchdog();
  await server.close();
  await daemon.close();
  metrics?.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`<3>nlrouted: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
