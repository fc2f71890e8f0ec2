// nlrouted's configuration files, JSON Schema, journald logging and sd_notify, without a kernel.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';

import { ConfigError, loadConfigDir, parseConfig } from '../src/daemon/config.js';
import { journalLogger } from '../src/daemon/log.js';
import { monotonicUsec, Notifier } from '../src/daemon/notify.js';
import { configJsonSchema } from '../src/daemon/schema.js';
import { NETWORK_INTERFACE } from '../src/daemon/interface.js';
import { parseInterface } from '../src/varlink/idl.js';
import { NotifyListener } from './helpers/notify.js';

const dir = mkdtempSync(join(tmpdir(), 'nlroute-daemon-cfg-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function configDir(files: Record<string, string>): string {
  const d = mkdtempSync(join(dir, 'c-'));
  for (const [n, t] of Object.entries(files)) writeFileSync(join(d, n), t);
  return d;
}

describe('configuration files', () => {
  it('reports a wrong type with file, line and column', () => {
    const d = configDir({
      '10-a.yaml': 'links:\n  - ifname: br0\n    kind: bridge\n  - ifname: v0\n    mtu: "1400"\n',
    });
    assert.throws(
      () => loadConfigDir(d),
      (e: ConfigError) =>
        e instanceof ConfigError &&
        e.file === join(d, '10-a.yaml') &&
        e.line === 5 &&
        e.column === 10 &&
        /links\.1\.mtu/.test(e.problem) &&
        /expected number/.test(e.problem),
    );
  });

  it('refuses an unknown key and names it', () => {
    assert.throws(
      () => parseConfig('routes:\n  - dst: 10.0.0.0/8\n    gatway: 10.0.0.1\n', 'f.yaml'),
      (e: ConfigError) => e.line === 3 && e.column === 5 && /unknown key "gatway"/.test(e.message),
    );
    assert.throws(() => parseConfig('linkz: []\n', 'f.yaml'), /unknown key "linkz"/);
  });

  it('takes enums by name (as records carry them) or number, and reports a wrong name where it is', () => {
    const names = parseConfig(
      'routes:\n  - { dst: 10.0.0.0/8, table: main, proto: static, scope: link, type: unicast }\n' +
        'neighbours:\n  - { ifname: v0, dst: 10.0.0.2, state: [permanent] }\n',
      'f.yaml',
    );
    assert.equal(names.routes?.[0].table, 'main');
    const numbers = parseConfig('routes:\n  - { dst: 10.0.0.0/8, table: 254, proto: 4, scope: 253 }\n', 'f.yaml');
    assert.equal(numbers.routes?.[0].proto, 4);
    assert.throws(
      () => parseConfig('routes:\n  - dst: 10.0.0.0/8\n    table: mian\n', 'f.yaml'),
      (e: ConfigError) => e.line === 3 && /routes table/.test(e.message),
    );
  });

  it('reports YAML and JSON syntax errors with a position', () => {
    assert.throws(
      () => parseConfig('links:\n  - ifname: [br0\n', 'bad.yaml'),
      (e: ConfigError) => e.file === 'bad.yaml' && e.line! >= 2,
    );
    assert.throws(
      () => parseConfig('{"links": [}', 'bad.json'),
      (e: ConfigError) => e.file === 'bad.json' && e.line === 1,
    );
    assert.throws(() => parseConfig('links: []\nlinks: []\n', 'dup.yaml'), /unique|duplicate/i);
  });

  it('merges drop-ins in name order, field by field per object', () => {
    const d = configDir({
      '20-mtu.yaml': 'links:\n  - ifname: br0\n    mtu: 1400\n',
      '10-base.yaml':
        'links:\n  - ifname: br0\n    kind: bridge\n    state: up\nroutes:\n  - dst: 10.1.0.0/16\n    gateway: 10.0.0.9\n',
      '30-route.json': '{"routes": [{"dst": "10.1.0.0/16", "gateway": "10.0.0.10"}], "policy": {"drift": "report"}}',
      'README.txt': 'not a config',
      '.hidden.yaml': 'not: [valid',
    });
    const { config, files } = loadConfigDir(d);
    assert.deepEqual(
      files.map((f) => f.slice(d.length + 1)),
      ['10-base.yaml', '20-mtu.yaml', '30-route.json'],
    );
    assert.deepEqual(config.links, [{ ifname: 'br0', kind: 'bridge', state: 'up', mtu: 1400 }]);
    assert.deepEqual(config.routes, [{ dst: '10.1.0.0/16', gateway: '10.0.0.10' }]);
    assert.equal(config.policy?.drift, 'report');
  });

  it('rejects the whole set when one file is bad', () => {
    const d = configDir({ '10-ok.yaml': 'links:\n  - ifname: br0\n', '20-bad.yaml': 'links:\n  - ifname: "a/b"\n' });
    assert.throws(
      () => loadConfigDir(d),
      (e: ConfigError) => e.file === join(d, '20-bad.yaml') && e.line === 2,
    );
  });

  it('an absent directory is an empty configuration', () => {
    assert.deepEqual(loadConfigDir(join(dir, 'missing')), { config: {}, files: [] });
  });
});

describe('JSON Schema', () => {
  it('describes the file format, with unknown keys refused', () => {
    const s = configJsonSchema() as {
      properties: Record<string, any>;
      additionalProperties: boolean;
      $defs: Record<string, any>;
    };
    assert.equal(s.additionalProperties, false);
    for (const k of ['links', 'addresses', 'routes', 'rules', 'neighbours', 'namespaces', 'policy'])
      assert.ok(s.properties[k], k);
    // Each object is defined once and referred to from the top level and every namespace.
    assert.equal(s.properties.links.items.$ref, '#/$defs/link');
    const link = s.$defs.link;
    assert.equal(link.additionalProperties, false);
    assert.ok(link.required.includes('ifname'));
    // Kind options are the link records' flat names, so an editor completes them.
    assert.ok(link.properties.brStpState && link.properties.vxlanId);
  });
  it('is shipped and current (schema/nlroute.schema.json)', () => {
    const shipped = JSON.parse(readFileSync(new URL('../../schema/nlroute.schema.json', import.meta.url), 'utf8'));
    assert.deepEqual(
      shipped,
      configJsonSchema(),
      'regenerate with: node dist/src/daemon/nlroutectl.js schema > schema/nlroute.schema.json',
    );
  });
});

describe('the io.nlroute.Network interface', () => {
  it('parses, and the shipped .varlink file is the one served', () => {
    const i = parseInterface(NETWORK_INTERFACE);
    assert.deepEqual(
      [...i.methods.keys()],
      ['GetStatus', 'Show', 'Diff', 'Apply', 'Confirm', 'Rollback', 'Reload', 'Monitor'],
    );
    assert.equal(
      readFileSync(new URL('../../src/daemon/io.nlroute.Network.varlink', import.meta.url), 'utf8'),
      NETWORK_INTERFACE,
    );
  });
});

describe('journald logging', () => {
  it('prefixes every line with its priority and drops chattier levels', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => (text += d));
    const log = journalLogger('info', out);
    log('err', 'bad\nthing');
    log('notice', 'hello');
    log('debug', 'hidden');
    assert.equal(text, '<3>bad\n<3>thing\n<5>hello\n');
  });
});

describe('sd_notify', () => {
  for (const kind of ['path', 'abstract']) {
    it(`sends READY, STATUS, RELOADING with MONOTONIC_USEC, STOPPING and watchdog pings (${kind} socket)`, async () => {
      const path = kind === 'path' ? join(dir, 'notify.sock') : `@nlroute-test-notify-${process.pid}`;
      const l = await NotifyListener.open(path);
      try {
        const n = new Notifier(path);
        n.ready('all good');
        await l.wait(/^READY=1\nSTATUS=all good$/);
        const before = BigInt(monotonicUsec());
        n.reloading();
        const m = await l.wait(/^RELOADING=1\nMONOTONIC_USEC=\d+$/);
        const usec = BigInt(m.split('=').at(-1)!);
        assert.ok(usec >= before && usec - before < 5_000_000n);
        // /proc/uptime is CLOCK_BOOTTIME; within a second of CLOCK_MONOTONIC on an awake machine.
        const every = n.startWatchdog({ WATCHDOG_USEC: '100000' } as NodeJS.ProcessEnv);
        assert.equal(every, 50);
        await l.wait(/^WATCHDOG=1$/);
        n.stopWatchdog();
        n.stopping();
        await l.wait(/^STOPPING=1$/);
        assert.equal(
          new Notifier(path).startWatchdog({ WATCHDOG_USEC: '100000', WATCHDOG_PID: '1' } as NodeJS.ProcessEnv),
          undefined,
        );
      } finally {
        l.close();
      }
    });
  }
  it('is a no-op without NOTIFY_SOCKET', () => {
    assert.equal(new Notifier(undefined).send({ READY: 1 }), false);
  });
});

describe('systemd units', () => {
  it('pass systemd-analyze verify', () => {
    const d = mkdtempSync(join(dir, 'units-'));
    cpSync(new URL('../../systemd/', import.meta.url), d, { recursive: true });
    // verify wants ExecStart's binary to exist; the shipped path is where `npm i -g` puts it.
    const svc = join(d, 'nlrouted.service');
    writeFileSync(svc, readFileSync(svc, 'utf8').replace('/usr/local/bin/nlrouted', process.execPath));
    const r = spawnSync('systemd-analyze', ['verify', svc, join(d, 'nlrouted.socket')], { encoding: 'utf8' });
    assert.ok(!r.error, 'systemd-analyze is missing (Debian package systemd)');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr.trim(), '', r.stderr);
  });
});
