// The friendly element parts PortEntry, PortRange and IPRange: a module of their own, so the
// package root can export them without loading the ipset protocol.
import { IPSetSyntaxError } from './errors.js';
import { protoByName, protoName } from './names.js';

/** A protocol given as a number or a name ('tcp', 'udp', 'icmp', 'icmpv6', 'sctp', ...). */
export type Protocol = number | string;

export function protoNumber(p: Protocol): number {
  if (typeof p === 'number') {
    if (!Number.isInteger(p) || p < 0 || p > 255) throw new IPSetSyntaxError(`'${p}' is out of range 0-255`);
    return p;
  }
  const s = p.trim();
  if (/^\d+$/.test(s)) return protoNumber(Number(s));
  const n = protoByName(s.toLowerCase() === 'icmpv6' ? 'ipv6-icmp' : s) ?? protoByName(s.toLowerCase());
  if (n === undefined) throw new IPSetSyntaxError(`cannot parse '${s}' as a protocol`);
  if (n === 0) throw new IPSetSyntaxError(`Unsupported protocol '${s}'`);
  return n;
}

/** A port (or ICMP type/code) with an optional protocol: `new PortEntry(80, 'tcp')`. */
export class PortEntry {
  /** Protocol number; undefined means tcp for hash types and "any" for bitmap:port. */
  readonly protocol: number | undefined;
  /**
   * `port` is a number, a service name ('http'), or for ICMP/ICMPv6 a type name
   * ('echo-request') or 'type/code'.
   */
  constructor(
    readonly port: number | string,
    protocol?: Protocol,
  ) {
    this.protocol = protocol === undefined ? undefined : protoNumber(protocol);
    if (typeof port === 'number' && (!Number.isInteger(port) || port < 0 || port > 65535)) {
      throw new IPSetSyntaxError(`'${port}' is out of range 0-65535`);
    }
  }

  toString(): string {
    return this.protocol === undefined
      ? String(this.port)
      : `${protoName(this.protocol) ?? this.protocol}:${this.port}`;
  }
}

/** A port range with an optional protocol: `new PortRange(1000, 2000, 'udp')`. */
export class PortRange {
  readonly protocol: number | undefined;
  constructor(
    readonly begin: number | string,
    readonly end: number | string,
    protocol?: Protocol,
  ) {
    this.protocol = protocol === undefined ? undefined : protoNumber(protocol);
    for (const p of [begin, end]) {
      if (typeof p === 'number' && (!Number.isInteger(p) || p < 0 || p > 65535))
        throw new IPSetSyntaxError(`'${p}' is out of range 0-65535`);
    }
  }

  toString(): string {
    const r = `${this.begin}-${this.end}`;
    return this.protocol === undefined ? r : `${protoName(this.protocol) ?? this.protocol}:${r}`;
  }
}

/** An address range, as the 'ip' part of types that take FROM-TO: `new IPRange('192.0.2.1', '192.0.2.9')`. */
export class IPRange {
  constructor(
    readonly from: string,
    readonly to: string,
  ) {}
  toString(): string {
    return `${this.from}-${this.to}`;
  }
}
