// Protocol and service names as getprotobyname(3)/getservbyname(3) see them: read from
// /etc/protocols and /etc/services once, with a built-in table for hosts without them.
// fs comes from process.getBuiltinModule: `import ... from 'node:fs'` builds fs's ES module
// facade, which loads node:stream at start-up (~1 ms), and these files are read on first use.

const BUILTIN_PROTOCOLS: readonly [string, number, ...string[]][] = [
  ['ip', 0, 'IP'],
  ['icmp', 1, 'ICMP'],
  ['igmp', 2, 'IGMP'],
  ['tcp', 6, 'TCP'],
  ['udp', 17, 'UDP'],
  ['ipv6', 41, 'IPv6'],
  ['gre', 47, 'GRE'],
  ['esp', 50, 'IPSEC-ESP'],
  ['ah', 51, 'IPSEC-AH'],
  ['ipv6-icmp', 58, 'IPv6-ICMP'],
  ['ospf', 89, 'OSPFIGP'],
  ['pim', 103, 'PIM'],
  ['vrrp', 112, 'VRRP'],
  ['l2tp', 115, 'L2TP'],
  ['sctp', 132, 'SCTP'],
  ['udplite', 136, 'UDPLite'],
];

interface Tables {
  byName: Map<string, number>;
  byNumber: Map<number, string>;
}
let protocols: Tables | undefined;
let services: Map<string, number> | undefined;

function readLines(path: string): string[] | undefined {
  try {
    return process.getBuiltinModule('node:fs').readFileSync(path, 'utf8').split('\n');
  } catch {
    return undefined;
  }
}

function protoTables(): Tables {
  if (protocols) return protocols;
  const byName = new Map<string, number>();
  const byNumber = new Map<number, string>();
  const add = (name: string, n: number, aliases: string[]): void => {
    if (!byName.has(name)) byName.set(name, n);
    for (const a of aliases) if (!byName.has(a)) byName.set(a, n);
    if (!byNumber.has(n)) byNumber.set(n, name);
  };
  for (const line of readLines('/etc/protocols') ?? []) {
    const f = line.replace(/#.*/, '').trim().split(/\s+/);
    if (f.length >= 2 && /^\d+$/.test(f[1])) add(f[0], Number(f[1]), f.slice(2));
  }
  if (byName.size === 0) for (const [name, n, ...aliases] of BUILTIN_PROTOCOLS) add(name, n, aliases);
  protocols = { byName, byNumber };
  return protocols;
}

/** Protocol number of a name or alias ('tcp', 'TCP', 'ipv6-icmp'), or undefined. */
export function protoByName(name: string): number | undefined {
  return protoTables().byName.get(name);
}

/** Official protocol name of a number (6 -> 'tcp'), or undefined. */
export function protoName(n: number): string | undefined {
  return protoTables().byNumber.get(n);
}

/** Port of a service name for a protocol ('http', 'tcp' -> 80), or undefined. */
export function serviceByName(name: string, proto: string): number | undefined {
  if (!services) {
    services = new Map();
    for (const line of readLines('/etc/services') ?? []) {
      const f = line.replace(/#.*/, '').trim().split(/\s+/);
      const m = f.length >= 2 ? /^(\d+)\/(\w+)$/.exec(f[1]) : null;
      if (!m) continue;
      for (const n of [f[0], ...f.slice(2)]) {
        const key = `${n}/${m[2]}`;
        if (!services.has(key)) services.set(key, Number(m[1]));
      }
    }
  }
  return services.get(`${name}/${proto}`);
}
