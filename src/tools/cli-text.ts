// Text output in the layout of ip(8), built from the same rows that `-j` prints, so text and
// JSON never disagree.
type Row = Record<string, any>;

const opt = (v: unknown, text: string): string => (v === undefined || v === null ? '' : text);

/** The first line of a link as `ip link show` prints it, and the link/ether line. */
function linkHead(r: Row, withMode: boolean): string {
  const name = r.link ? `${r.ifname}@${r.link}` : r.link_index !== undefined ? `${r.ifname}@if${r.link_index}` : r.ifname;
  let s = `${r.ifindex}: ${name}: <${r.flags.join(',')}> mtu ${r.mtu}`;
  s += opt(r.qdisc, ` qdisc ${r.qdisc}`) + opt(r.master, ` master ${r.master}`) + opt(r.operstate, ` state ${r.operstate}`);
  if (withMode) s += opt(r.linkmode, ` mode ${r.linkmode}`);
  s += opt(r.group, ` group ${r.group}`) + opt(r.txqlen, ` qlen ${r.txqlen}`) + '\n';
  s += `    link/${r.link_type}${opt(r.address, ` ${r.address}`)}${opt(r.broadcast, ` brd ${r.broadcast}`)}`;
  if (r.permaddr) s += ` permaddr ${r.permaddr}`;
  if (r.link_netnsid !== undefined) s += ` link-netnsid ${r.link_netnsid}`;
  return s;
}

function linkDetails(r: Row): string {
  if (r.promiscuity === undefined) return '';
  let s = ` promiscuity ${r.promiscuity}${opt(r.allmulti, ` allmulti ${r.allmulti}`)} minmtu ${r.min_mtu} maxmtu ${r.max_mtu}`;
  const li = r.linkinfo;
  if (li?.info_kind) s += `\n    ${li.info_kind}${kv(li.info_data)}`;
  if (li?.info_slave_kind) s += `\n    ${li.info_slave_kind}_slave${kv(li.info_slave_data)}`;
  const rest = [['addrgenmode', r.inet6_addr_gen_mode], ['numtxqueues', r.num_tx_queues], ['numrxqueues', r.num_rx_queues],
    ['gso_max_size', r.gso_max_size], ['gso_max_segs', r.gso_max_segs], ['tso_max_size', r.tso_max_size],
    ['tso_max_segs', r.tso_max_segs], ['gro_max_size', r.gro_max_size]].filter(([, v]) => v !== undefined);
  if (rest.length) s += `${li?.info_kind ? '' : '\n   '} ${rest.map(([k, v]) => `${k} ${v}`).join(' ')}`;
  return s;
}

const kv = (o: Row | undefined): string =>
  o ? Object.entries(o).map(([k, v]) => ` ${k} ${typeof v === 'object' ? JSON.stringify(v) : v}`).join('') : '';

function statsText(r: Row): string {
  const s = r.stats64;
  if (!s) return '';
  const col = (v: unknown, w: number): string => String(v).padStart(w);
  return '\n    RX:  bytes packets errors dropped  missed   mcast\n'
    + `    ${col(s.rx.bytes, 10)} ${col(s.rx.packets, 7)} ${col(s.rx.errors, 6)} ${col(s.rx.dropped, 7)} `
    + `${col(s.rx.over_errors, 7)} ${col(s.rx.multicast, 7)}\n`
    + '    TX:  bytes packets errors dropped carrier collsns\n'
    + `    ${col(s.tx.bytes, 10)} ${col(s.tx.packets, 7)} ${col(s.tx.errors, 6)} ${col(s.tx.dropped, 7)} `
    + `${col(s.tx.carrier_errors, 7)} ${col(s.tx.collisions, 7)}`;
}

export function linkText(r: Row): string {
  const alt = (r.altnames ?? []).map((a: string) => `\n    altname ${a}`).join('');
  return linkHead(r, true) + linkDetails(r) + alt + statsText(r) + '\n';
}

const ADDR_FLAGS = ['secondary', 'temporary', 'nodad', 'optimistic', 'dadfailed', 'home', 'deprecated', 'tentative',
  'mngtmpaddr', 'noprefixroute', 'autojoin', 'stable-privacy', 'dynamic'];

function addrLine(a: Row, ifname: string): string {
  const local = a.address !== undefined ? `${a.local} peer ${a.address}/${a.prefixlen}` : `${a.local}/${a.prefixlen}`;
  let s = `    ${a.family} ${local}${opt(a.broadcast, ` brd ${a.broadcast}`)} scope ${a.scope}`;
  s += ADDR_FLAGS.filter((f) => a[f]).map((f) => ` ${f}`).join('');
  if (a.family === 'inet') s += ` ${a.label ?? ifname}`;
  const life = (v: number | undefined): string => (v === undefined || v === 0xffffffff ? 'forever' : `${v}sec`);
  return `${s}\n       valid_lft ${life(a.valid_life_time)} preferred_lft ${life(a.preferred_life_time)}\n`;
}

export function addrText(r: Row): string {
  return linkHead(r, false) + '\n' + r.addr_info.map((a: Row) => addrLine(a, r.ifname)).join('');
}

/** One route line in ip's order: type, prefix, gateway, device, table, then attributes and flags. */
export function routeText(r: Row): string {
  const p: (string | false | undefined)[] = [r.type, r.dst, r.from && `from ${r.from}`, r.tos && `tos ${r.tos}`];
  if (r.gateway) p.push(`via ${r.gateway}`);
  if (r.via) p.push(`via ${r.via.family} ${r.via.host}`);
  p.push(r.dev && `dev ${r.dev}`, r.table && `table ${r.table}`, r.protocol && `proto ${r.protocol}`,
    r.scope && `scope ${r.scope}`, r.prefsrc && `src ${r.prefsrc}`, r.metric !== undefined && `metric ${r.metric}`);
  p.push(...(r.flags ?? []));
  for (const m of r.metrics ?? []) for (const [k, v] of Object.entries(m)) p.push(`${k} ${v}`);
  if (r.pref) p.push(`pref ${r.pref}`);
  let s = p.filter(Boolean).join(' ');
  for (const nh of r.nexthops ?? []) {
    s += `\n\tnexthop${nh.gateway ? ` via ${nh.gateway}` : ''}${nh.dev ? ` dev ${nh.dev}` : ''} weight ${nh.weight}`;
    s += (nh.flags ?? []).map((f: string) => ` ${f}`).join('');
  }
  if (r.uid !== undefined) s += ` uid ${r.uid} \n    cache`;
  return s + '\n';
}

export function neighText(r: Row): string {
  const p = [r.dst, r.dev && `dev ${r.dev}`, r.lladdr && `lladdr ${r.lladdr}`];
  if ('router' in r) p.push('router');
  if ('proxy' in r) p.push('proxy');
  return [...p, ...(r.state ?? [])].filter(Boolean).join(' ') + '\n';
}

export function ruleText(r: Row): string {
  const p = [`${r.priority}:`];
  if (r.not) p.push('not');
  p.push(`from ${r.src}${r.srclen !== undefined ? `/${r.srclen}` : ''}`);
  if (r.dst) p.push(`to ${r.dst}${r.dstlen !== undefined ? `/${r.dstlen}` : ''}`);
  if (r.fwmark) p.push(`fwmark ${r.fwmark}${r.fwmask ? `/${r.fwmask}` : ''}`);
  if (r.iif) p.push(`iif ${r.iif}`);
  if (r.oif) p.push(`oif ${r.oif}`);
  p.push(r.table ? `lookup ${r.table}` : String(r.action));
  return p[0] + '\t' + p.slice(1).join(' ') + '\n';
}
