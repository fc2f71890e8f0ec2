// Prints decoded messages as an indented text tree or as JSON.
import {
  AttrSet,
  NLM_F_ACK_NAMES,
  NLM_F_DUMP,
  NLM_F_DEL_NAMES,
  NLM_F_GET_NAMES,
  NLM_F_NAMES,
  NLM_F_NEW_NAMES,
  entryPretty,
  flagNames,
  type AnyMessage,
  type AttrEntry,
} from '../core/index.js';
import type { DecodedBuffer } from './decoder.js';
import type { DecodeSummary } from './decodestream.js';

/**
 * Header flags by name; the meaning of the upper bits depends on the request kind, told by
 * the type name, or for generic netlink by the command name (`CTRL_CMD_GETFAMILY`).
 */
export function headerFlagNames(typeName: string | number, flags: number, cmdName?: unknown): string[] {
  const name = typeof cmdName === 'string' ? cmdName : String(typeName);
  const extra = /_GET|GETFAMILY|_LIST|_DUMP/.test(name)
    ? { NLM_F_DUMP, ...NLM_F_GET_NAMES }
    : /_NEW|_ADD|_CREATE|_SET/.test(name)
      ? NLM_F_NEW_NAMES
      : /_DEL|_DESTROY/.test(name)
        ? NLM_F_DEL_NAMES
        : name === 'NLMSG_ERROR'
          ? NLM_F_ACK_NAMES
          : {};
  return flagNames(flags, { ...NLM_F_NAMES, ...extra });
}

function show(v: unknown): string {
  if (typeof v === 'string') return v;
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
}

/** Counts what the printer could not decode inside messages (bad attributes, short headers). */
export interface ProblemCounter {
  problems: number;
}

function attrLines(entries: AttrEntry[], indent: string, out: string[], count?: ProblemCounter): void {
  for (const e of entries) {
    const name =
      typeof e.name === 'number'
        ? `[${e.name & 0x3fff}]${e.flags ? ` flags=0x${e.flags.toString(16)}` : ''} (unknown)`
        : e.name;
    if (e.error) {
      if (count) count.problems++;
      out.push(`${indent}${name}: !! ${e.error.message}; bytes ${e.raw.toString('hex')}`);
    } else if (e.value instanceof AttrSet) {
      out.push(`${indent}${name}:`);
      attrLines(e.value.entries(false), indent + '  ', out, count);
    } else if (Array.isArray(e.value) && e.value.length && e.value[0] instanceof AttrSet) {
      out.push(`${indent}${name}: [${e.value.length}]`);
      e.value.forEach((item: AttrSet, i: number) => {
        out.push(`${indent}  [${i}]`);
        attrLines(item.entries(false), indent + '    ', out, count);
      });
    } else {
      out.push(`${indent}${name}: ${show(entryPretty(e))}`);
    }
  }
}

/** One message as text lines. */
export function messageText(m: AnyMessage, count?: ProblemCounter): string[] {
  const j = m.toJSON();
  const flags = headerFlagNames(j.header.type, j.header.flags, j.fields?.cmd).join('|') || '0';
  const h = j.header;
  const out = [`${j.class} ${h.type} flags=${flags} seq=${h.seq} pid=${h.pid} len=${h.length}`];
  const fields = Object.entries(j.fields);
  if (fields.length) out.push(`  ${fields.map(([k, v]) => `${k}=${show(v)}`).join(' ')}`);
  if (count && fields.length === 1 && typeof j.fields.error === 'string') count.problems++; // the header did not decode
  attrLines(m.entries(false), '  ', out, count);
  return out;
}

/** Decoded buffers as a readable text tree. */
export function formatText(items: DecodedBuffer[], count?: ProblemCounter): string {
  const out: string[] = [];
  for (const d of items) {
    if (d.transfer) {
      const t = d.transfer;
      out.push(
        `${t.direction === 'send' ? '>>>' : '<<<'} ${t.syscall} pid ${t.pid} fd ${t.fd} ${t.protocolName} (${d.buffer.length} bytes)`,
      );
    }
    if (d.packet) {
      const p = d.packet;
      out.push(`--- packet ${p.index} ${p.protocolName}${p.truncated ? ' (cut short)' : ''}`);
    }
    if (d.meta !== undefined) out.push(`# metadata: ${show(d.meta)}`);
    d.messages.forEach((m, i) => {
      const why = d.mismatches?.[i];
      if (why) out.push(`!! ${why}; shown raw:`);
      out.push(...messageText(m, count));
    });
    if (d.error) out.push(`!! ${d.error.message}`);
    for (const n of d.notes ?? []) out.push(n);
    if (d.padding) out.push(`(${d.padding} bytes of zero padding)`);
    out.push('');
  }
  return out.join('\n');
}

/** Decoded buffers as JSON-ready data. */
export function formatJSON(items: DecodedBuffer[]): unknown[] {
  return items.map((d) => ({
    ...(d.transfer
      ? {
          direction: d.transfer.direction,
          syscall: d.transfer.syscall,
          pid: d.transfer.pid,
          fd: d.transfer.fd,
          protocol: d.transfer.protocolName,
        }
      : {}),
    ...(d.packet ? packetJSON(d.packet) : {}),
    ...(d.meta !== undefined ? { meta: d.meta } : {}),
    messages: d.messages.map((m, i) => {
      const j = m.toJSON();
      const why = d.mismatches?.[i];
      const flagNames = headerFlagNames(j.header.type, m.flags, j.fields?.cmd);
      return { ...j, flagNames, ...(why ? { mismatch: why } : {}) };
    }),
    ...(d.notes ? { notes: d.notes.map((n) => n.replace(/^!! /, '')) } : {}),
    ...(d.error ? { error: { message: d.error.message, offset: d.error.offset } } : {}),
    ...(d.padding ? { padding: d.padding } : {}),
  }));
}

function packetJSON(p: NonNullable<DecodedBuffer['packet']>): Record<string, unknown> {
  return { packet: p.index, protocol: p.protocolName, ...(p.truncated ? { truncated: true } : {}) };
}

/** JSON text with bigints as strings. */
export function stringify(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x), 2);
}

/** The closing line of a decode run. */
export function summaryText(s: DecodeSummary): string {
  const extra = [
    s.packets ? `${s.packets} packets` : '',
    s.filtered ? `${s.filtered} filtered out` : '',
    s.mismatched ? `${s.mismatched} not of the class asked for` : '',
  ].filter(Boolean);
  return (
    `# ${s.messages} messages decoded, ${s.bytesSkipped} bytes skipped, ${s.errors} errors` +
    `${extra.length ? ` (${extra.join(', ')})` : ''}\n`
  );
}
