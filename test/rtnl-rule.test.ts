// Policy routing rules against the real kernel, each test in its own namespace: nlroute's
// rules read back with `ip -j rule`, ip's rules read with nlroute, requests compared with ip's.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { NETLINK_ROUTE, NetlinkEncodeError, NetlinkError, NetlinkSocket } from '../src/core/index.js';
import { rtnlMarshal } from '../src/rtnl/marshal.js';
import { FR_ACT, fibmsg } from '../src/rtnl/fibrulemsg.js';
import { getRules, rule, ruleTable, type RuleCmd } from '../src/rtnl/rule.js';
import { parseStraceLog } from '../src/tools/straceparse.js';
import { withNetns, type TestNetns } from './helpers/netns.js';

function sock(ns: TestNetns): NetlinkSocket {
  return new NetlinkSocket({ protocol: NETLINK_ROUTE, marshal: rtnlMarshal(), netns: ns.name });
}
const haveStrace = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v strace'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** The rule request `ip rule ...` sends, seq and pid zeroed. */
async function captureIp(ns: TestNetns, args: string): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'nlr-rule-'));
  try {
    const log = join(dir, 'ip.log');
    await ns.exec('strace', [
      '-f',
      '-x',
      '-s',
      '65536',
      '-e',
      'trace=network',
      '-e',
      'write=all',
      '-o',
      log,
      'ip',
      ...args.split(' '),
    ]);
    const sent = parseStraceLog(readFileSync(log, 'utf8')).transfers.filter(
      (t) => t.direction === 'send' && t.bytes.length >= 16 && [32, 33].includes(t.bytes.readUInt16LE(4)),
    );
    assert.equal(sent.length, 1);
    return zero(sent[0].bytes);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
function zero(b: Buffer): Buffer {
  const c = Buffer.from(b);
  c.fill(0, 8, 16);
  return c;
}
/** What rule() sends for a spec, without a kernel. */
async function ours(cmd: string, spec: Parameters<typeof rule>[2]): Promise<Buffer> {
  let sent: Buffer | undefined;
  const fake = {
    request: async (schema: typeof fibmsg, s: never) => {
      sent = schema.encode({ ...(s as object), flags: ((s as { flags?: number }).flags ?? 0) | 1 } as never);
      return [];
    },
  } as unknown as NetlinkSocket;
  await rule(fake, cmd as RuleCmd, spec);
  return zero(sent!);
}

describe('rules', () => {
  it('nlroute adds, ip rule sees; then deletes', async () => {
    await withNetns(async (ns) => {
      await using s = sock(ns);
      await rule(s, 'add', { priority: 1000, src: '10.0.0.0/8', table: 100 });
      await rule(s, 'add', { priority: 1001, fwmark: 0x10, fwmask: 0xff, iifname: 'lo', table: 1000 });
      await rule(s, 'add', { priority: 1002, dst: '192.0.2.0/24', action: 'blackhole' });
      await rule(s, 'add', { family: 'inet6', priority: 1003, src: '2001:db8::/32', table: 200, invert: true });
      await rule(s, 'add', {
        priority: 1004,
        ipProto: 'tcp',
        dportRange: '80-90',
        sport_range: { start: 1024, end: 2048 },
        uidRange: '1000-2000',
        table: 300,
      });
      await rule(s, 'add', { priority: 1005, oifname: 'lo', goto: 32766 });
      const v4 = await ns.json('rule show');
      const by = new Map<number, any>(v4.map((r: any) => [r.priority, r]));
      assert.deepEqual(by.get(1000), { priority: 1000, src: '10.0.0.0', srclen: 8, table: '100' });
      assert.deepEqual(
        [by.get(1001).fwmark, by.get(1001).fwmask, by.get(1001).iif, by.get(1001).table],
        ['0x10', '0xff', 'lo', '1000'],
      );
      assert.deepEqual([by.get(1002).dst, by.get(1002).dstlen, by.get(1002).action], ['192.0.2.0', 24, 'blackhole']);
      assert.deepEqual(
        [
          by.get(1004).ipproto,
          by.get(1004).dport_start,
          by.get(1004).dport_end,
          by.get(1004).sport_start,
          by.get(1004).uid_start,
          by.get(1004).uid_end,
        ],
        ['tcp', 80, 90, 1024, 1000, 2000],
      );
      assert.deepEqual([by.get(1005).oif, by.get(1005).goto], ['lo', 32766]);
      const v6 = (await ns.json('-6 rule show')).find((r: any) => r.priority === 1003);
      assert.deepEqual([v6.src, v6.srclen, v6.table, v6.not], ['2001:db8::', 32, '200', null]);

      await assert.rejects(
        rule(s, 'add', { priority: 1000, src: '10.0.0.0/8', table: 100 }),
        (e: unknown) => e instanceof NetlinkError && e.code === 'EEXIST',
      );
      await rule(s, 'del', { priority: 1000 });
      await rule(s, 'del', { priority: 1001, table: 1000 });
      await rule(s, 'del', { family: 'inet6', priority: 1003 });
      const left = (await ns.json('rule show')).map((r: any) => r.priority);
      assert.equal(left.includes(1000) || left.includes(1001), false);
      await assert.rejects(
        rule(s, 'del', { priority: 4242 }),
        (e: unknown) => e instanceof NetlinkError && e.code === 'ENOENT',
      );
    });
  });

  it('ip rule adds, nlroute reads and filters', async () => {
    await withNetns(async (ns) => {
      await ns.ip('rule add from 10.1.0.0/16 to 10.2.0.0/16 table 100 prio 500');
      await ns.ip('rule add fwmark 0x7/0xf iif lo oif lo lookup 4000 prio 501');
      await ns.ip('rule add not from 10.3.0.0/16 prohibit prio 502');
      await ns.ip('rule add ipproto udp sport 53 table 5 prio 503');
      await ns.ip('-6 rule add from 2001:db8:1::/48 table 6 prio 504');
      await using s = sock(ns);
      const all = await getRules(s);
      const p = (n: number) => all.find((m) => m.getAttr('FRA_PRIORITY') === n)!;
      assert.deepEqual(
        [
          p(500).getAttr('FRA_SRC'),
          p(500).fields.src_len,
          p(500).getAttr('FRA_DST'),
          p(500).fields.dst_len,
          ruleTable(p(500)),
        ],
        ['10.1.0.0', 16, '10.2.0.0', 16, 100],
      );
      assert.equal(p(500).fields.action, FR_ACT.FR_ACT_TO_TBL);
      assert.deepEqual(
        [
          p(501).getAttr('FRA_FWMARK'),
          p(501).getAttr('FRA_FWMASK'),
          p(501).getAttr('FRA_IIFNAME'),
          p(501).getAttr('FRA_OIFNAME'),
          ruleTable(p(501)),
        ],
        [7, 0xf, 'lo', 'lo', 4000],
      );
      assert.equal(p(502).fields.action, FR_ACT.FR_ACT_PROHIBIT);
      assert.ok(p(502).fields.flags & 2);
      assert.deepEqual(p(502).toJSON().fields.flags, ['FIB_RULE_INVERT']);
      assert.deepEqual(
        [p(503).getAttr('FRA_IP_PROTO'), p(503).getAttr('FRA_SPORT_RANGE')],
        [17, { start: 53, end: 53 }],
      );
      assert.equal(p(504).fields.family, 10);
      assert.equal(p(504).getAttr('FRA_SRC'), '2001:db8:1::');
      // Default rules are there too, with their tables.
      assert.deepEqual(
        (await getRules(s, { family: 'inet', table: 254 })).map((m) => m.getAttr('FRA_PRIORITY')),
        [32766],
      );
      assert.deepEqual((await rule(s, 'dump', { priority: 501 })).length, 1);
      for (const m of all) m.validate();
    });
  });

  it('requests are byte-identical to ip rule', { skip: !haveStrace && 'strace missing' }, async () => {
    await withNetns(async (ns) => {
      const cases: [string, string, Parameters<typeof rule>[2]][] = [
        ['rule add prio 1000 from 10.0.0.0/8 table 100', 'add', { src: '10.0.0.0/8', table: 100, priority: 1000 }],
        ['rule add prio 1001 to 192.0.2.0/24 table 1000', 'add', { dst: '192.0.2.0/24', table: 1000, priority: 1001 }],
        [
          'rule add prio 1002 fwmark 0x10/0xff table 7',
          'add',
          { fwmark: 0x10, fwmask: 0xff, priority: 1002, table: 7 },
        ],
        ['rule add prio 1003 iif lo blackhole', 'add', { iifname: 'lo', priority: 1003, action: 'blackhole' }],
        ['rule del prio 1000', 'del', { priority: 1000 }],
      ];
      for (const [args, cmd, spec] of cases) {
        assert.equal(
          (await ours(cmd, spec)).toString('hex'),
          (await captureIp(ns, args)).toString('hex'),
          `ip ${args}`,
        );
      }
    });
  });

  it('rejects bad input with typed errors', async () => {
    const fake = {
      request: async (schema: typeof fibmsg, spec: never) => {
        schema.encode(spec);
        return [];
      },
    } as unknown as NetlinkSocket;
    await assert.rejects(rule(fake, 'add', { action: 'teleport' }), /unknown action/);
    await assert.rejects(rule(fake, 'add', { src: '10.0.0.0/40' }), /prefix length/);
    await assert.rejects(rule(fake, 'add', { src: '2001:db8::/32', family: 'inet' }), NetlinkEncodeError);
    await assert.rejects(rule(fake, 'add', { dport_range: '80-x' }), /dportRange "80-x"/);
    await assert.rejects(rule(fake, 'add', { ip_proto: 'carrier-pigeon' }), /ipProto "carrier-pigeon"/);
    await assert.rejects(rule(fake, 'add', { prio: 5 } as never), /unknown key "prio".*allowed: .*priority/);
  });
});
