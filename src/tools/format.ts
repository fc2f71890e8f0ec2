// Prints decoded messages as an indented text tree or as JSON.
import {
  AttrSet, NLM_F_ACK_NAMES, NLM_F_DEL_NAMES, NLM_F_GET_NAMES, NLM_F_NAMES, NLM_F_NEW_NAMES, entryPretty, flagNames,
  type AnyMessage, type AttrEntry,
} from '../core/index.js';
import type { DecodedBuffer } from './decoder.js';

/** Header flags by name; the meaning of the upper bits depends on the request kind. */
export function headerFlagNames(typeName: string | number, flags: number): string[] {
  const name = String(typeName);
  const extra = /_GET|GETFAMILY|_LIST/.test(name) ? NLM_F_GET_NAMES
    : /_NEW|_ADD|_CREATE|_SET/.test(name) ? NLM_F_NEW_NAMES
      : /_DEL|_DESTROY/.test(name) ? NLM_F_DEL_NAMES
        : name === 'NLMSG_ERROR' ? NLM_F_ACK_NAMES : {};
  return flagNames(flags, { ...NLM_F_NAMES, ...extra });
}

function show(v: unknown): string {
  if (typeof v === 'string') return v;
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
}

function attrLines(entries: AttrEntry[], indent: string, out: string[]): void {
  for (const e of entries) {
    const name = typeof e.name === 'number' ? `[${e.name & 0x3fff}]${e.flags ? ` flags=0x${e.flags.toString(16)}` : ''} (unknown)` : e.name;
    if (e.error) {
      out.push(`${indent}${name}: !! ${e.error.message}; bytes ${e.raw.toString('hex')}`);
    } else if (e.value instanceof AttrSet) {
      out.push(`${indent}${name}:`);
      attrLines(e.value.entries(false), indent + '  ', out);
    } else if (Array.isArray(e.value) && e.value.length && e.value[0] instanceof AttrSet) {
      out.push(`${indent}${name}: [${e.value.length}]`);
      e.value.forEach((item: AttrSet, i: number) => {
        out.push(`${indent}  [${i}]`);
        attrLines(item.entries(false), indent + '    ', out);
      });
    } else {
      out.push(`${indent}${name}: ${show(entryPretty(e))}`);
    }
  }
}

/** One message as text lines. */
export function messageText(m: AnyMessage): string[] {
  const j = m.toJSON();
  const out = [`${j.class} ${j.header.type} flags=${headerFlagNames(j.header.type, j.header.flags).join('|') || '0'} seq=${j.header.seq} pid=${j.header.pid} len=${j.header.length}`];
  const fields = Object.entries(j.fields);
  if (fields.length) out.push(`  ${fields.map(([k, v]) => `${k}=${show(v)}`).join(' ')}`);
  attrLines(m.entries(false), '  ', out);
  return out;
}

/** Decoded buffers as a readable text tree. */
export function formatText(items: DecodedBuffer[]): string {
  const out: string[] = [];
  for (const d of items) {
    if (d.transfer) {
      const t = d.transfer;
      out.push(`${t.direction === 'send' ? '>>>' : '<<<'} ${t.syscall} pid ${t.pid} fd ${t.fd} ${t.protocolName} (${d.buffer.length} bytes)`);
    }
    for (const m of d.messages) out.push(...messageText(m));
    if (d.error) out.push(`!! ${d.error.message}`);
    if (d.padding) out.push(`(${d.padding} bytes of zero padding)`);
    out.push('');
  }
  return out.join('\n');
}

/** Decoded buffers as JSON-ready data. */
export function formatJSON(items: DecodedBuffer[]): unknown[] {
  return items.map((d) => ({
    ...(d.transfer ? { direction: d.transfer.direction, syscall: d.transfer.syscall, pid: d.transfer.pid, fd: d.transfer.fd, protocol: d.transfer.protocolName } : {}),
    messages: d.messages.map((m) => ({ ...m.toJSON(), flagNames: headerFlagNames(m.toJSON().header.type, m.flags) })),
    ...(d.error ? { error: { message: d.error.message, offset: d.error.offset } } : {}),
    ...(d.padding ? { padding: d.padding } : {}),
  }));
}

/** JSON text with bigints as strings. */
export function stringify(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x), 2);
}
