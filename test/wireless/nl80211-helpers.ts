// Shared by the nl80211 VM tests: running iw/hostapd, parsing iw's text, bounded waits.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const inVm = process.env['NLROUTE_VM'] === '1';
export const skipOutsideVm = inVm ? false : 'needs the VM: npm run test:wireless';

/** Run a command, return stdout; throws with stderr on failure. */
export function sh(cmd: string, args: string[], opts: { timeout?: number } = {}): string {
  return execFileSync(cmd, args, {
    encoding: 'utf8',
    timeout: opts.timeout ?? 15_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Poll `fn` until it returns a truthy value, every `every` ms, at most `ms` ms. */
export async function waitUntil<T>(
  what: string,
  ms: number,
  fn: () => T | Promise<T>,
  every = 100,
): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

export function ifindexOf(name: string): number {
  return Number(readFileSync(`/sys/class/net/${name}/ifindex`, 'utf8'));
}

export function linkUp(name: string): void {
  sh('ip', ['link', 'set', name, 'up']);
}

export function linkDown(name: string): void {
  sh('ip', ['link', 'set', name, 'down']);
}

/** iw's names for interface types, by nl80211 value. */
export const IW_TYPE_NAMES: Record<string, string> = {
  IBSS: 'adhoc',
  managed: 'station',
  AP: 'ap',
  'AP/VLAN': 'ap_vlan',
  WDS: 'wds',
  monitor: 'monitor',
  'mesh point': 'mesh_point',
  'P2P-client': 'p2p_client',
  'P2P-GO': 'p2p_go',
  'P2P-device': 'p2p_device',
  'outside context of a BSS': 'ocb',
  NAN: 'nan',
};

export interface IwDev {
  phy: number;
  ifname?: string;
  ifindex?: number;
  wdev: number;
  addr: string;
  type: string;
  ssid?: string;
  channel?: string;
  txpower?: number;
}

/** `iw dev` output as a list of interfaces. */
export function iwDev(): IwDev[] {
  const out: IwDev[] = [];
  let phy = -1;
  let cur: IwDev | undefined;
  for (const line of sh('iw', ['dev']).split('\n')) {
    let m: RegExpMatchArray | null;
    if ((m = line.match(/^phy#(\d+)/))) phy = Number(m[1]);
    else if ((m = line.match(/^\s+(?:Interface (\S+)|Unnamed\/non-netdev interface)$/))) {
      cur = { phy, wdev: -1, addr: '', type: '' };
      if (m[1]) cur.ifname = m[1];
      out.push(cur);
    } else if (cur) {
      if ((m = line.match(/^\s+ifindex (\d+)/))) cur.ifindex = Number(m[1]);
      else if ((m = line.match(/^\s+wdev (0x[0-9a-f]+)/))) cur.wdev = Number(m[1]);
      else if ((m = line.match(/^\s+addr (\S+)/))) cur.addr = m[1];
      else if ((m = line.match(/^\s+type (.+)$/))) cur.type = IW_TYPE_NAMES[m[1]] ?? m[1];
      else if ((m = line.match(/^\s+ssid (.*)$/))) cur.ssid = m[1];
      else if ((m = line.match(/^\s+channel (.*)$/))) cur.channel = m[1];
      else if ((m = line.match(/^\s+txpower ([\d.-]+) dBm/))) cur.txpower = Number(m[1]);
    }
  }
  return out;
}

export interface IwFreq {
  mhz: number;
  disabled: boolean;
  noIr: boolean;
  radar: boolean;
  dbm?: number;
}
export interface IwPhy {
  name: string;
  bands: Map<number, IwFreq[]>;
  modes: string[];
  ciphers: number;
}

/** `iw list`: per phy, each band's frequencies (with flags and power) and the interface modes. */
export function iwList(): IwPhy[] {
  const out: IwPhy[] = [];
  let cur: IwPhy | undefined;
  let band = -1;
  let section = '';
  for (const line of sh('iw', ['list']).split('\n')) {
    let m: RegExpMatchArray | null;
    if ((m = line.match(/^Wiphy (\S+)/))) {
      cur = { name: m[1], bands: new Map(), modes: [], ciphers: 0 };
      out.push(cur);
      section = '';
      continue;
    }
    if (!cur) continue;
    if ((m = line.match(/^\tBand (\d+):/))) {
      band = Number(m[1]) - 1;
      cur.bands.set(band, []);
      section = 'band';
      continue;
    }
    if (/^\t\tFrequencies:/.test(line)) {
      section = 'freqs';
      continue;
    }
    if (/^\tSupported interface modes:/.test(line)) {
      section = 'modes';
      continue;
    }
    if (/^\tSupported Ciphers:/.test(line)) {
      section = 'ciphers';
      continue;
    }
    if (section === 'freqs' && (m = line.match(/^\t\t\t\* ([\d.]+) MHz \[-?\d+\](.*)$/))) {
      const rest = m[2];
      const dbm = rest.match(/\(([\d.]+) dBm\)/);
      cur.bands.get(band)!.push({
        mhz: Number(m[1]),
        disabled: rest.includes('(disabled)'),
        noIr: /\bno IR\b/.test(rest),
        radar: rest.includes('radar detection'),
        ...(dbm ? { dbm: Number(dbm[1]) } : {}),
      });
      continue;
    }
    if (section === 'modes' && (m = line.match(/^\t\t \* (.+)$/))) {
      cur.modes.push(IW_TYPE_NAMES[m[1]] ?? m[1]);
      continue;
    }
    if (section === 'ciphers' && /^\t\t\* /.test(line)) {
      cur.ciphers++;
      continue;
    }
    if (!/^\t\t/.test(line)) section = section === 'freqs' ? 'band' : line.startsWith('\t\t') ? section : '';
  }
  return out;
}

/**
 * The pid in a daemon's pid file, or undefined while the file is missing, empty or not a pid.
 * hostapd -B's parent exits before its child has written the file, and `Number('')` is 0:
 * `process.kill(0)` would signal our whole process group (the test runner included).
 */
export function readPid(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const m = /^\s*([1-9][0-9]*)\s*$/.exec(text);
  const pid = m ? Number(m[1]) : 0;
  return pid > 1 ? pid : undefined;
}

/** A hostapd running from a temp dir; `stop()` kills it and removes the dir. */
export interface Hostapd {
  dir: string;
  pid: number;
  log: () => string;
  stop: () => void;
}

/** Start hostapd (-B) with this config; waits until it reports AP-ENABLED. */
export async function startHostapd(conf: string): Promise<Hostapd> {
  // The kernel cannot autoload crypto modules from the VM's init root: load CCMP's here.
  spawnSync('modprobe', ['-a', 'ccm', 'ctr', 'aes_generic', 'cmac', 'gcm'], { timeout: 10_000 });
  const dir = mkdtempSync('/tmp/nlr-hostapd-');
  writeFileSync(join(dir, 'hostapd.conf'), conf);
  const r = spawnSync(
    'hostapd',
    ['-B', '-P', join(dir, 'pid'), '-f', join(dir, 'log'), '-t', join(dir, 'hostapd.conf')],
    { encoding: 'utf8', timeout: 10_000 },
  );
  const log = (): string => {
    try {
      return readFileSync(join(dir, 'log'), 'utf8');
    } catch {
      return '';
    }
  };
  if (r.status !== 0) {
    const text = log();
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`hostapd failed (${r.status}): ${r.stderr}\n${text}`);
  }
  const pidFile = join(dir, 'pid');
  const h: Hostapd = {
    dir,
    pid: 0,
    log,
    stop() {
      const pid = readPid(pidFile) ?? (h.pid > 1 ? h.pid : undefined);
      try {
        if (pid !== undefined) process.kill(pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    h.pid = await waitUntil('hostapd pid file', 10_000, () => readPid(pidFile));
    await waitUntil('hostapd AP-ENABLED', 10_000, () => log().includes('AP-ENABLED'));
  } catch (e) {
    const text = log();
    h.stop();
    throw new Error(`${(e as Error).message}\n${text}`);
  }
  return h;
}

/** JSON with bigint as text. */
export const json = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
