// The peers nlroute is compared with: installed here when missing (Debian packages and the
// npm `netlink` package, pinned), and their versions read for the report.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { PEERS_DIR, ROOT } from './paths.js';

/** Node's `netlink` package: the only other Node netlink library. Pinned: its API moves. */
export const NETLINK_VERSION = '0.3.0';
export const NETLINK_DIR = join(PEERS_DIR, 'node_modules', 'netlink');
/** Debian's Python, which has python3-pyroute2 (a `python3` on PATH may be another one). */
export const PYTHON = '/usr/bin/python3';

const DEBIAN = ['iproute2', 'ipset', 'python3-pyroute2', 'util-linux', 'gcc', 'libc6-dev'];

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function tryRun(cmd: string, args: string[]): string | undefined {
  try {
    return run(cmd, args);
  } catch {
    return undefined;
  }
}

function installed(pkg: string): boolean {
  return tryRun('dpkg-query', ['-W', '-f=${Status}', pkg])?.includes('install ok installed') ?? false;
}

/** What is available after installing; a missing peer's rows are skipped with a reason. */
export interface PeerStatus {
  pyroute2: boolean;
  netlink: boolean;
  iproute2: boolean;
  ipset: boolean;
  notes: string[];
}

/** Install what is missing (apt-get for Debian packages, npm for `netlink` into bench/.peers). */
export function ensurePeers(log: (s: string) => void): PeerStatus {
  const notes: string[] = [];
  const missing = DEBIAN.filter((p) => !installed(p));
  if (missing.length) {
    log(`installing Debian packages: ${missing.join(' ')}`);
    try {
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
      execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
        stdio: 'inherit',
        env,
      });
    } catch (e) {
      notes.push(`apt-get install ${missing.join(' ')} failed: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  if (netlinkVersion() !== NETLINK_VERSION) {
    log(`installing netlink@${NETLINK_VERSION} into ${PEERS_DIR}`);
    try {
      execFileSync(
        'npm',
        [
          'install',
          '--prefix',
          PEERS_DIR,
          '--no-save',
          '--no-package-lock',
          '--no-audit',
          '--no-fund',
          '--loglevel=error',
          `netlink@${NETLINK_VERSION}`,
        ],
        { stdio: 'inherit' },
      );
    } catch (e) {
      notes.push(`npm install netlink@${NETLINK_VERSION} failed: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const status: PeerStatus = {
    pyroute2: tryRun(PYTHON, ['-c', 'import pyroute2']) !== undefined,
    netlink:
      netlinkVersion() === NETLINK_VERSION &&
      tryRun('node', ['-e', `require(${JSON.stringify(NETLINK_DIR)})`]) !== undefined,
    iproute2: tryRun('ip', ['-V']) !== undefined,
    ipset: tryRun('ipset', ['version']) !== undefined,
    notes,
  };
  for (const [k, v] of Object.entries(status))
    if (v === false) notes.push(`${k} is not available: its rows are skipped`);
  return status;
}

function netlinkVersion(): string | undefined {
  const pj = join(NETLINK_DIR, 'package.json');
  if (!existsSync(pj)) return undefined;
  return (JSON.parse(readFileSync(pj, 'utf8')) as { version?: string }).version;
}

/** Versions of everything measured, and the machine, for the report. */
export function versions(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const rev = tryRun('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']);
  const dirty = tryRun('git', ['-C', ROOT, 'status', '--porcelain', '--untracked-files=no', 'src', 'native']);
  const cpu = cpus();
  return {
    nlroute: `${pkg.version}${rev ? ` (${rev}${dirty ? '+local changes' : ''})` : ''}`,
    node: process.version,
    pyroute2: tryRun(PYTHON, ['-c', 'import importlib.metadata as m; print(m.version("pyroute2"))']) ?? 'missing',
    python: tryRun(PYTHON, ['-c', 'import platform; print(platform.python_version())']) ?? 'missing',
    netlink: netlinkVersion() ?? 'missing',
    iproute2: tryRun('ip', ['-V'])?.replace(/^ip utility, /, '') ?? 'missing',
    ipset:
      tryRun('ipset', ['version'])
        ?.split('\n')[0]
        .replace(/^ipset /, '') ?? 'missing',
    kernel: run('uname', ['-r']),
    machine: `${cpu.length} x ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
  };
}
