// Type-level tests of rule, tc, nsid, ipset, genl, taskstats and nl80211 specs and records,
// compiled with `tsc --noEmit -p test/types` (never run): each @ts-expect-error line must
// fail to compile, each plain line must compile.
import {
  IPRoute,
  type NetconfRecord,
  type NsidRecord,
  type RuleRecord,
  type RuleSpec,
  type TcRecord,
} from '../../src/rtnl/index.js';
import { IPSet, type IPSetEntryRecord, type IPSetHeaderRecord } from '../../src/ipset/index.js';
import { GenericNetlink } from '../../src/genl/index.js';
import { TaskStats, type TaskStatsInfo } from '../../src/taskstats/index.js';
import type { InterfaceInfo } from '../../src/nl80211/index.js';

declare const ipr: IPRoute;
declare const ipset: IPSet;
declare const ts: TaskStats;
declare const genl: GenericNetlink;

export async function correct(): Promise<void> {
  // Rules: camelCase keys, pyroute2's snake_case aliases, interfaces by name or index.
  await ipr.rule('add', { priority: 100, src: '10.0.0.0/8', table: 'main', iif: 'v0', oif: 3 });
  await ipr.rule('add', { priority: 101, src: '10.0.0.0', srcLen: 8, fwmark: 0x10, fwmask: 0xff, table: 100 });
  await ipr.rule('add', {
    priority: 102,
    src: '10.0.0.0',
    src_len: 8,
    iifname: 'v0',
    ip_proto: 'tcp',
    dport_range: '80-90',
  });
  await ipr.rule('add', { priority: 103, action: 'blackhole', invert: true, uidRange: { start: 1000, end: 2000 } });
  await ipr.rule('del', { priority: 100 });
  // tc: each command and kind takes its own options; the interface by name or index.
  await ipr.tc('add', 'htb', { index: 'v0', handle: '1:', default: 0x20, r2q: 10, directQlen: 1000 });
  await ipr.tc('add-class', 'htb', { index: 2, parent: '1:', handle: '1:20', rate: '10mbit', ceil: '20mbit', prio: 1 });
  await ipr.tc('add-filter', 'u32', {
    index: 'v0',
    parent: '1:',
    prio: 1,
    protocol: 'ip',
    match: 'ip dst 10.0.0.0/8',
    classid: '1:20',
  });
  await ipr.tc('add', 'clsact', { index: 'v0', ingressBlock: 7 });
  await ipr.tc('add', 'clsact', { index: 'v0', ingress_block: 7 });
  await ipr.tc('add', 'tbf', { index: 'v0', rate: '1mbit', burst: '10k', latency: '50ms' });
  await ipr.tc('add-filter', 'bpf', { index: 'v0', parent: 'ffff:fff2', fd: 5, directAction: true, skipHw: true });
  await ipr.tc('del', null, { index: 'v0', parent: 'root' });
  await ipr.nsid('set', { netns: 'blue', nsid: 5 });
  await ipr.nsid('get', { netns: 'blue', targetNsid: 2 });

  // Records read with the spec's names, and fed back as specs.
  const [r]: RuleRecord[] = await ipr.rules();
  const prio: number = r.priority;
  const table: string | number | undefined = r.table;
  const rs: RuleSpec = r;
  await ipr.rule('add', r);
  const [q]: TcRecord[] = await ipr.qdiscs({ index: 'v0' });
  const handle: string = q.handle;
  const parent: string = q.parent;
  await ipr.tc('add', q.kind, q);
  for (const c of await ipr.classes('v0')) await ipr.tc('add-class', c.kind, c);
  for (const f of await ipr.filters('v0', '1:')) await ipr.tc('add-filter', f.kind, f);
  const [n]: NsidRecord[] = await ipr.nsids();
  await ipr.nsid('set', n);
  const [nc]: NetconfRecord[] = await ipr.netconf({ family: 'inet' });
  const fwd: boolean | undefined = nc.forwarding;
  void [prio, table, rs, handle, parent, fwd];

  // ipset: header and entry records.
  const [set] = await ipset.list('s');
  const h: IPSetHeaderRecord = set.header.record();
  const stype: string = h.stype;
  const e: IPSetEntryRecord = set.entries[0].record();
  const packets: number | string | undefined = e.packets;
  const elem: string = e.elem;
  void [stype, packets, elem];

  // genl: multicast groups as a plain object; taskstats: camelCase records.
  const fam = await genl.resolve('nlctrl');
  const notify: number | undefined = fam.mcastGroups.notify;
  const info: TaskStatsInfo = await ts.pidStats(1);
  const utime = info.utime;
  const comm: string | undefined = info.comm;
  void [notify, utime, comm];

  // nl80211: 64-bit values in record form.
  const dev = {} as InterfaceInfo;
  const wdev: number | string | undefined = dev.wdev;
  void wdev;
}

export async function wrong(): Promise<void> {
  // ---- typo'd keys
  // @ts-expect-error: prioriy is a typo of priority
  await ipr.rule('add', { prioriy: 5, table: 10 });
  // @ts-expect-error: iff is a typo of iif
  await ipr.rule('add', { priority: 5, iff: 'v0' });
  // @ts-expect-error: hadle is a typo of handle
  await ipr.tc('add', 'htb', { index: 'v0', hadle: '1:' });
  // @ts-expect-error: defualt is a typo of default
  await ipr.tc('add', 'htb', { index: 'v0', defualt: 0x20 });
  // @ts-expect-error: ingresBlock
  await ipr.tc('add', 'clsact', { index: 'v0', ingresBlock: 7 });
  // @ts-expect-error: target_nsd
  await ipr.nsid('get', { netns: 'blue', target_nsd: 2 });

  // ---- options of another kind or object
  // @ts-expect-error: rate is an htb class option, not a qdisc one
  await ipr.tc('add', 'htb', { index: 'v0', handle: '1:', rate: '10mbit' });
  // @ts-expect-error: prio is a filter key, not a qdisc one
  await ipr.tc('add', 'tbf', { index: 'v0', prio: 1, rate: '1mbit' });
  // @ts-expect-error: match belongs to u32 filters
  await ipr.tc('add-filter', 'bpf', { index: 'v0', match: 'ip dst 10.0.0.0/8' });

  // ---- wrong commands
  // @ts-expect-error: rule has no 'ad'
  await ipr.rule('ad', { priority: 5 });
  // @ts-expect-error: tc has no 'add-qdisc'
  await ipr.tc('add-qdisc', 'htb', { index: 'v0' });
  // @ts-expect-error: nsid has no 'del'
  await ipr.nsid('del', { netns: 'blue' });

  // ---- wrong value types
  // @ts-expect-error: priority is a number
  await ipr.rule('add', { priority: '5' });
  // @ts-expect-error: table is a number or a table name
  await ipr.rule('add', { priority: 5, table: true });
  // @ts-expect-error: iif is a name or an index
  await ipr.rule('add', { priority: 5, iif: ['v0'] });
  // @ts-expect-error: the interface is a name or an index
  await ipr.tc('add', 'htb', { index: true });
  // @ts-expect-error: r2q is a number
  await ipr.tc('add', 'htb', { index: 'v0', r2q: '10' });
  // @ts-expect-error: mcastGroups is a plain object, not a Map
  (await genl.resolve('nlctrl')).mcastGroups.get('notify');
  // @ts-expect-error: records are not messages
  (await ipr.rules())[0].getAttr('FRA_PRIORITY');

  // ---- misspelled enumeration names in records
  const [r] = await ipr.rules();
  // @ts-expect-error: 'blackhol' is no rule action
  if (r.action === 'blackhol') void r;
  // @ts-expect-error: 'mian' is no table
  if (r.table === 'mian') void r;
  // @ts-expect-error: no such table name
  const t: RuleRecord['table'] = 'locl';
  void t;
}
