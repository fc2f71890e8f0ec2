// Defects found by writing scripts as a new user would (rules, tc, ipset entries, genl,
// taskstats), each reproduced here against the real kernel in a throwaway namespace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';

import { IPRoute } from '../src/rtnl/iproute.js';
import { GenericNetlink } from '../src/genl/index.js';
import { TaskStats } from '../src/taskstats/index.js';
import { IPSet } from '../src/ipset/index.js';
import { withNetns, type TestNetns } from './helpers/netns.js';

async function veth(ns: TestNetns): Promise<void> {
  await ns.ip('link add d0 type veth peer name d1');
  await ns.ip('link set d0 up');
  await ns.ip('link set d1 up');
}

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => assert.fail('expected a rejection'),
    (e: Error) => e,
  );
}

describe('JSON of genl and taskstats results', () => {
  it('a genl family keeps its multicast groups in JSON', async () => {
    await using genl = new GenericNetlink();
    const f = await genl.resolve('nlctrl');
    assert.deepEqual(JSON.parse(JSON.stringify(f)).mcastGroups, { notify: 16 });
  });

  it('JSON.stringify of getPidStats does not throw and keeps counters exact', async () => {
    await using ts = new TaskStats();
    const s = await ts.getPidStats(process.pid);
    const j = JSON.parse(JSON.stringify(s));
    assert.equal(j.ac_pid ?? j.pid, process.pid);
    const utime = (s as Record<string, unknown>).ac_utime ?? (s as Record<string, unknown>).utime;
    assert.equal(String(j.ac_utime ?? j.utime), String(utime));
  });
});

describe('interfaces by name in tc and rule specs', () => {
  it('tc takes index as an interface name', async () => {
    await withNetns(async (ns) => {
      await veth(ns);
      await using ipr = new IPRoute({ netns: ns.name });
      await ipr.tc('add', 'htb', { index: 'd0', handle: '1:', default: 0x20 });
      await ipr.tc('add-class', 'htb', { index: 'd0', parent: '1:', handle: '1:20', rate: '1mbit' });
      const q = JSON.parse(await ns.exec('tc', ['-j', 'qdisc', 'show', 'dev', 'd0']));
      assert.equal(q[0].kind, 'htb');
      assert.equal(q[0].handle, '1:');
    });
  });

  it('rule iif/oif take interface names', async () => {
    await withNetns(async (ns) => {
      await veth(ns);
      await using ipr = new IPRoute({ netns: ns.name });
      await ipr.rule('add', { priority: 100, iif: 'd0', table: 10 } as never);
      await ipr.rule('add', { priority: 101, oif: 'd1', table: 11 } as never);
      const rules = await ns.json('rule show');
      assert.equal(rules.find((r: any) => r.priority === 100)?.iif, 'd0');
      assert.equal(rules.find((r: any) => r.priority === 101)?.oif, 'd1');
    });
  });
});

describe('rules print names, not numbers', () => {
  it('a rule message and its record name the family and the table', async () => {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      const [m] = await ipr.getRules({ family: 'inet', priority: 0 });
      const j = m.toJSON() as { fields: Record<string, unknown> };
      assert.equal(j.fields.family, 'AF_INET');
      assert.equal(j.fields.table, 'RT_TABLE_LOCAL');
      const [r] = await ipr.rules({ family: 'inet', priority: 0 });
      assert.deepEqual(JSON.parse(JSON.stringify(r)), {
        family: 'inet',
        priority: 0,
        action: 'table',
        table: 'local',
        protocol: 'kernel',
      });
    });
  });

  it('tc handles print as tc writes them', async () => {
    await withNetns(async (ns) => {
      await veth(ns);
      await using ipr = new IPRoute({ netns: ns.name });
      await ipr.tc('add', 'htb', { index: 'd0', handle: '1:' });
      await ipr.tc('add-class', 'htb', { index: 'd0', parent: '1:', handle: '1:10', rate: '1mbit' });
      const [q] = await ipr.qdiscs({ index: 'd0', kind: 'htb' });
      const [c] = await ipr.classes('d0');
      assert.deepEqual([q.handle, q.parent, c.handle, c.parent], ['1:', 'root', '1:10', 'root']);
      assert.doesNotMatch(inspect(q), /65552|4294967295/);
    });
  });
});

describe('rule specs: one case convention, strict keys', () => {
  it('srcLen (camelCase) and src_len (pyroute2 alias) both work', async () => {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      await ipr.rule('add', { priority: 200, src: '10.0.0.0', srcLen: 8, table: 10 } as never);
      await ipr.rule('add', { priority: 201, src: '10.1.0.0', src_len: 16, table: 11 });
      const rules = await ns.json('rule show');
      assert.equal(rules.find((r: any) => r.priority === 200)?.srclen, 8);
      assert.equal(rules.find((r: any) => r.priority === 201)?.srclen, 16);
    });
  });

  it('a typo is refused naming the key, the allowed keys and a did-you-mean', async () => {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      const e = await rejection(ipr.rule('add', { prioriy: 5, table: 10 } as never));
      assert.match(e.message, /prioriy/);
      assert.match(e.message, /did you mean "?priority"?/i);
      assert.match(e.message, /fwmark/);
      assert.equal((await ns.json('rule show')).length, 3, 'nothing was added');
    });
  });

  it('an unknown command is refused', async () => {
    await withNetns(async (ns) => {
      await using ipr = new IPRoute({ netns: ns.name });
      const e = await rejection(ipr.rule('ad' as never, { priority: 5, table: 10 }));
      assert.match(e.message, /"ad"/);
    });
  });
});

describe('tc specs: one case convention, strict keys', () => {
  it('a typo in a common key is refused with a did-you-mean, before the kind sees it', async () => {
    await withNetns(async (ns) => {
      await veth(ns);
      await using ipr = new IPRoute({ netns: ns.name });
      const e = await rejection(ipr.tc('add', 'htb', { index: 'd0', hadle: '1:' } as never));
      assert.match(e.message, /hadle/);
      assert.match(e.message, /did you mean "?handle"?/i);
    });
  });

  it('a typo in a kind option gets a did-you-mean too', async () => {
    await withNetns(async (ns) => {
      await veth(ns);
      await using ipr = new IPRoute({ netns: ns.name });
      const e = await rejection(ipr.tc('add', 'htb', { index: 'd0', handle: '1:', defualt: 0x20 } as never));
      assert.match(e.message, /did you mean "?default"?/i);
    });
  });

  it('ingressBlock (camelCase) and ingress_block (alias) both work', async () => {
    await withNetns(async (ns) => {
      await veth(ns);
      await using ipr = new IPRoute({ netns: ns.name });
      await ipr.tc('add', 'clsact', { index: 'd0', ingressBlock: 7 } as never);
      await ipr.tc('add', 'clsact', { index: 'd1', ingress_block: 8 });
      const q0 = JSON.parse(await ns.exec('tc', ['-j', 'qdisc', 'show', 'dev', 'd0']));
      const q1 = JSON.parse(await ns.exec('tc', ['-j', 'qdisc', 'show', 'dev', 'd1']));
      assert.equal(q0.find((q: any) => q.kind === 'clsact')?.ingress_block, 7);
      assert.equal(q1.find((q: any) => q.kind === 'clsact')?.ingress_block, 8);
    });
  });
});

describe('ipset entries print what they hold', () => {
  it('util.inspect of an entry shows its element, counters and comment', async () => {
    await withNetns(async (ns) => {
      const ipset = new IPSet({ netns: ns.name });
      try {
        await ipset.create('s', { stype: 'hash:ip', counters: true, comment: true, timeout: 600 });
        await ipset.add('s', '192.0.2.7', { comment: 'web', packets: 3, bytes: 90 });
        const [set] = await ipset.list('s');
        const text = inspect(set.entries[0]);
        assert.match(text, /192\.0\.2\.7/);
        assert.match(text, /packets/);
        assert.match(text, /web/);
        assert.doesNotMatch(text, /src|off\b/);
        const save = spawnSync('ip', ['netns', 'exec', ns.name, 'ipset', 'save', 's'], { encoding: 'utf8' }).stdout;
        assert.match(save, /add s 192\.0\.2\.7 timeout \d+ packets 3 bytes 90 comment "web"/);
      } finally {
        ipset.close();
      }
    });
  });
});
