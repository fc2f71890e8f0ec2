// Text output in the layout of ip(8), built from the same rows that `-j` prints, so text and
// JSON never disagree.
type Row = Record<string, any>;

const opt = (v: unknown, text: string): string => (v === undefined || v === null ? '' : text);

/** The first line of a link as `ip link show` prints it, and the link/ether line. */
function linkHead(r: Row, withMode: boolean, withQlen = true): string {
  const name = r.link
    ? `${r.ifname}@${r.link}`
    : r.link_index !== undefined
      ? `${r.ifname}@if${r.link_index}`
      : r.ifname;
  let s = `${r.ifindex}: ${name}: <${r.flags.join(',')}> mtu ${r.mtu}`;
  s +=
    opt(r.qdisc, ` qdisc ${r.qdisc}`) +
    opt(r.master, ` master ${r.master}`) +
    opt(r.operstate, ` state ${r.operstate}`);
  if (withMode) s += opt(r.linkmode, ` mode ${r.linkmode}`);
  s += opt(r.group, ` group ${r.group}`) + (withQlen ? opt(r.txqlen, ` qlen ${r.txqlen}`) : '') + '\n';
  s += `    link/${r.link_type}${opt(r.address, ` ${r.address}`)}${opt(r.broadcast, ` brd ${r.broadcast}`)}`;
  if (r.permaddr) s += ` permaddr ${r.permaddr}`;
  if (r.link_netnsid !== undefined) s += ` link-netnsid ${r.link_netnsid}`;
  return s;
}

function linkDetails(r: Row): string {
  if (r.promiscuity === undefined) return '';
  // ip's spacing, blanks at the ends included, so text compares equal line by line.
  let s = ` promiscuity ${r.promiscuity} ${opt(r.allmulti, ` allmulti ${r.allmulti}`)}`;
  s += ` minmtu ${r.min_mtu} maxmtu ${r.max_mtu} `;
  const li = r.linkinfo;
  if (li?.info_kind) s += `\n    ${li.info_kind}${kindText(li.info_kind, li.info_data)} `;
  if (li?.info_slave_kind) {
    s += `\n    ${li.info_slave_kind}_slave${kindText(`${li.info_slave_kind}_slave`, li.info_slave_data)} `;
  }
  const rest = [
    ['addrgenmode', r.inet6_addr_gen_mode],
    ['numtxqueues', r.num_tx_queues],
    ['numrxqueues', r.num_rx_queues],
    ['gso_max_size', r.gso_max_size],
    ['gso_max_segs', r.gso_max_segs],
    ['tso_max_size', r.tso_max_size],
    ['tso_max_segs', r.tso_max_segs],
    ['gro_max_size', r.gro_max_size],
  ].filter(([, v]) => v !== undefined);
  if (rest.length) s += `${rest.map(([k, v]) => `${k} ${v}`).join(' ')} `;
  return s;
}

// Where ip's text words differ from its JSON keys (iplink_bridge.c, iplink_bridge_slave.c).
const BRIDGE_WORDS: Readonly<Record<string, string>> = {
  root_id: 'designated_root',
  group_addr: 'group_address',
  mcast_last_member_cnt: 'mcast_last_member_count',
  mcast_startup_query_cnt: 'mcast_startup_query_count',
  mcast_last_member_intvl: 'mcast_last_member_interval',
  mcast_membership_intvl: 'mcast_membership_interval',
  mcast_querier_intvl: 'mcast_querier_interval',
  mcast_query_intvl: 'mcast_query_interval',
  mcast_query_response_intvl: 'mcast_query_response_interval',
  mcast_startup_query_intvl: 'mcast_startup_query_interval',
};
const PORT_WORDS: Readonly<Record<string, string>> = {
  id: 'port_id',
  no: 'port_no',
  bridge_id: 'designated_bridge',
  root_id: 'designated_root',
  multicast_router: 'mcast_router',
};

/** A bridge timer as ip prints it in text: seconds in four columns, then hundredths. */
function timerText(v: unknown): string {
  const cs = Math.round(Number(v) * 100);
  return `${String(Math.floor(cs / 100)).padStart(4)}.${String(cs % 100).padStart(2, '0')}`;
}

/** A kind's details in ip's text words; kinds without a table print their JSON keys. */
function kindText(kind: string, o: Row | undefined): string {
  if (!o) return '';
  if (kind === 'vxlan') return vxlanText(o);
  const words = kind === 'bridge' ? BRIDGE_WORDS : kind === 'bridge_slave' ? PORT_WORDS : undefined;
  if (!words) return kv(o);
  let s = '';
  for (const [k, v] of Object.entries(o)) {
    const val = k.endsWith('_timer')
      ? timerText(v)
      : typeof v === 'boolean'
        ? v
          ? 'on'
          : 'off'
        : typeof v === 'object'
          ? JSON.stringify(v)
          : v;
    s += ` ${words[k] ?? k} ${val}`;
    // ip prints a port's fast-leave flag twice in text, the second time after its multicast router.
    if (kind === 'bridge_slave' && k === 'multicast_router' && o.fastleave !== undefined) {
      s += ` mcast_fast_leave ${o.fastleave ? 'on' : 'off'}`;
    }
  }
  return s;
}

/** vxlan details in the order and words of ip's text (iplink_vxlan.c). */
function vxlanText(o: Row): string {
  const p: string[] = [];
  const flag = (on: unknown, word: string): void => {
    if (on !== undefined) p.push(on ? word : `no${word}`);
  };
  if ('external' in o && o.external) p.push('external');
  if (o.id !== undefined) p.push(`id ${o.id}`);
  if (o.group !== undefined) p.push(`group ${o.group}`);
  if (o.remote !== undefined) p.push(`remote ${o.remote}`);
  if (o.local !== undefined) p.push(`local ${o.local}`);
  if (o.link !== undefined) p.push(`dev ${o.link}`);
  if (o.port_range) p.push(`srcport ${o.port_range.low} ${o.port_range.high}`);
  if (o.port !== undefined) p.push(`dstport ${o.port}`);
  if (o.learning === false) p.push('nolearning');
  for (const w of ['proxy', 'rsc', 'l2miss', 'l3miss']) if (o[w]) p.push(w);
  if (o.tos !== undefined) p.push(`tos ${o.tos === 1 ? 'inherit' : o.tos}`);
  if (o.ttl !== undefined) p.push(`ttl ${o.ttl === 0 ? 'auto' : o.ttl}`);
  else if (o.ttl_inherit) p.push('ttl inherit');
  if (o.df !== undefined && o.df !== 'unset') p.push(`df ${o.df}`);
  if (o.label !== undefined && o.label !== '0x0') p.push(`flowlabel ${o.label}`);
  if (o.ageing !== undefined) p.push(`ageing ${o.ageing}`);
  if (o.limit !== undefined) p.push(`maxaddr ${o.limit}`);
  flag(o.udp_csum, 'udpcsum');
  flag(o.udp_zero_csum6_tx, 'udp6zerocsumtx');
  flag(o.udp_zero_csum6_rx, 'udp6zerocsumrx');
  if (o.remcsum_tx) p.push('remcsumtx');
  if (o.remcsum_rx) p.push('remcsumrx');
  if (o.gbp) p.push('gbp');
  if (o.gpe) p.push('gpe');
  return p.length ? ` ${p.join(' ')}` : '';
}

const kv = (o: Row | undefined): string =>
  o
    ? Object.entries(o)
        .map(([k, v]) => ` ${k} ${typeof v === 'object' ? JSON.stringify(v) : v}`)
        .join('')
    : '';

function statsText(r: Row): string {
  const s = r.stats64;
  if (!s) return '';
  const col = (v: unknown, w: number): string => String(v).padStart(w);
  return (
    '\n    RX:  bytes packets errors dropped  missed   mcast\n' +
    `    ${col(s.rx.bytes, 10)} ${col(s.rx.packets, 7)} ${col(s.rx.errors, 6)} ${col(s.rx.dropped, 7)} ` +
    `${col(s.rx.over_errors, 7)} ${col(s.rx.multicast, 7)}\n` +
    '    TX:  bytes packets errors dropped carrier collsns\n' +
    `    ${col(s.tx.bytes, 10)} ${col(s.tx.packets, 7)} ${col(s.tx.errors, 6)} ${col(s.tx.dropped, 7)} ` +
    `${col(s.tx.carrier_errors, 7)} ${col(s.tx.collisions, 7)}`
  );
}

export function linkText(r: Row): string {
  const alt = (r.altnames ?? []).map((a: string) => `\n    altname ${a}`).join('');
  return linkHead(r, true) + linkDetails(r) + alt + statsText(r) + '\n';
}

const ADDR_FLAGS = [
  'secondary',
  'temporary',
  'nodad',
  'optimistic',
  'dadfailed',
  'home',
  'deprecated',
  'tentative',
  'mngtmpaddr',
  'noprefixroute',
  'autojoin',
  'stable-privacy',
  'dynamic',
];

function addrLine(a: Row, ifname: string): string {
  const local = a.address !== undefined ? `${a.local} peer ${a.address}/${a.prefixlen}` : `${a.local}/${a.prefixlen}`;
  let s = `    ${a.family} ${local}${opt(a.broadcast, ` brd ${a.broadcast}`)} scope ${a.scope}`;
  s += ADDR_FLAGS.filter((f) => a[f])
    .map((f) => ` ${f}`)
    .join('');
  // ip ends an IPv4 line with the label, an IPv6 line with a blank.
  s += a.family === 'inet' ? ` ${a.label ?? ifname}` : ' ';
  const life = (v: number | undefined): string => (v === undefined || v === 0xffffffff ? 'forever' : `${v}sec`);
  return `${s}\n       valid_lft ${life(a.valid_life_time)} preferred_lft ${life(a.preferred_life_time)}\n`;
}

/** A link as `ip monitor` prints it: the head without mode and queue length. */
export function linkEventText(r: Row): string {
  return linkHead(r, false, false) + '\n';
}

/** One address as `ip monitor` prints it: "INDEX: NAME" then the address lines. */
export function addrEventText(ifindex: number, ifname: string, a: Row): string {
  return `${ifindex}: ${ifname}${addrLine(a, ifname)}`;
}

export function addrText(r: Row): string {
  return linkHead(r, false) + '\n' + r.addr_info.map((a: Row) => addrLine(a, r.ifname)).join('');
}

/** One route line in ip's order: type, prefix, gateway, device, table, then attributes and flags. */
export function routeText(r: Row): string {
  const p: (string | false | undefined)[] = [r.type, r.dst, r.from && `from ${r.from}`, r.tos && `tos ${r.tos}`];
  if (r.gateway) p.push(`via ${r.gateway}`);
  if (r.via) p.push(`via ${r.via.family} ${r.via.host}`);
  p.push(
    r.dev && `dev ${r.dev}`,
    r.table && `table ${r.table}`,
    r.protocol && `proto ${r.protocol}`,
    r.scope && `scope ${r.scope}`,
    r.prefsrc && `src ${r.prefsrc}`,
    r.metric !== undefined && `metric ${r.metric}`,
  );
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
  const p: string[] = [];
  if ('not' in r) p.push('not');
  p.push(`from ${r.src}${r.srclen !== undefined ? `/${r.srclen}` : ''}`);
  if (r.dst) p.push(`to ${r.dst}${r.dstlen !== undefined ? `/${r.dstlen}` : ''}`);
  if (r.tos) p.push(`tos ${r.tos}`);
  if (r.fwmark) p.push(`fwmark ${r.fwmark}${r.fwmask ? `/${r.fwmask}` : ''}`);
  if (r.iif) p.push(`iif ${r.iif}`);
  if (r.oif) p.push(`oif ${r.oif}`);
  if ('l3mdev' in r) p.push('lookup [l3mdev-table]');
  if (r.uid_start !== undefined) p.push(`uidrange ${r.uid_start}-${r.uid_end}`);
  if (r.ipproto !== undefined) p.push(`ipproto ${r.ipproto}`);
  for (const k of ['sport', 'dport']) {
    if (r[k] !== undefined) p.push(`${k} ${r[k]}`);
    else if (r[`${k}_start`] !== undefined) p.push(`${k} ${r[`${k}_start`]}-${r[`${k}_end`]}`);
  }
  if (r.tun_id !== undefined) p.push(`tun_id ${r.tun_id}`);
  if (r.table !== undefined) {
    p.push(`lookup ${r.table}`);
    if (r.suppress_prefixlen !== undefined) p.push(`suppress_prefixlength ${r.suppress_prefixlen}`);
    if (r.suppress_ifgroup !== undefined) p.push(`suppress_ifgroup ${r.suppress_ifgroup}`);
  }
  if (r.flow_to !== undefined) p.push(`realms ${r.flow_from !== undefined ? `${r.flow_from}/` : ''}${r.flow_to}`);
  if (r.goto !== undefined) p.push(`goto ${r.goto}${'unresolved' in r ? ' [unresolved]' : ''}`);
  else if ('nop' in r) p.push('nop');
  else if (r.action !== undefined) p.push(String(r.action));
  if (r.protocol !== undefined) p.push(`proto ${r.protocol}`);
  return `${r.priority}:\t${p.join(' ')}\n`;
}
