// ipset(8)'s save/restore text format: writing it from listed sets, and reading its
// commands (the same words the command line takes) into API calls.
import { parseNumber, type EntryOptions } from './entries.js';
import { IPSetRestoreError, IPSetSyntaxError } from './errors.js';

export { IPSetRestoreError };
import type { CreateOptions } from './create.js';
import type { SetTypeName } from './types.js';
import type { AddOptions } from './ipset.js';
import type { ListChunk } from './listing.js';

/** The save text of listed sets: 'create NAME TYPE HEADER' then 'add NAME ELEM OPTIONS' lines. */
export async function saveText(chunks: AsyncIterable<ListChunk>): Promise<string> {
  const parts: string[] = [];
  for await (const { header, first, entries } of chunks) {
    if (first) {
      const h = header.toString();
      parts.push(`create ${header.name} ${header.type}${h ? ` ${h}` : ''}\n`);
    }
    const prefix = `add ${header.name} `;
    for (const e of entries) parts.push(`${prefix}${e.toString()}${e.optionsText()}\n`);
  }
  return parts.join('');
}

/** One command of a restore file or command line. */
export type IPSetCommand =
  | { cmd: 'create'; name: string; opts: CreateOptions }
  | { cmd: 'add' | 'del' | 'test'; name: string; entry: string; opts: AddOptions }
  | { cmd: 'destroy' | 'flush' | 'list' | 'save'; name?: string }
  | { cmd: 'rename' | 'swap'; name: string; name2: string };

/** Split a line into words; "double quoted" words keep their spaces (comments). */
export function tokenize(line: string): string[] {
  if (!line.includes('"')) {
    const t = line.trim();
    return t ? t.split(/\s+/) : [];
  }
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && /\s/.test(line[i])) i++;
    if (i >= n) break;
    let w = '';
    let quoted = false;
    while (i < n && (quoted || !/\s/.test(line[i]))) {
      const c = line[i++];
      if (c === '"') quoted = !quoted;
      else w += c;
    }
    if (quoted) throw new IPSetSyntaxError(`cannot find closing quote in ${line.trim()}`);
    out.push(w);
  }
  return out;
}

const CMD_ALIASES: Readonly<Record<string, string>> = {
  n: 'create',
  '-N': 'create',
  '--create': 'create',
  a: 'add',
  '-A': 'add',
  '--add': 'add',
  d: 'del',
  '-D': 'del',
  '--del': 'del',
  delete: 'del',
  t: 'test',
  '-T': 'test',
  '--test': 'test',
  x: 'destroy',
  '-X': 'destroy',
  '--destroy': 'destroy',
  f: 'flush',
  '-F': 'flush',
  '--flush': 'flush',
  e: 'rename',
  '-E': 'rename',
  '--rename': 'rename',
  w: 'swap',
  '-W': 'swap',
  '--swap': 'swap',
  l: 'list',
  '-L': 'list',
  '--list': 'list',
  s: 'save',
  '-S': 'save',
  '--save': 'save',
};

function need(words: readonly string[], i: number, what: string): string {
  const w = words[i];
  if (w === undefined) throw new IPSetSyntaxError(`Missing mandatory argument: ${what}`);
  return w;
}

const num = (s: string, max = 0xffffffff): number => parseNumber(s, max);

/** Create options from ipset(8)'s words: 'family inet6 hashsize 64 timeout 5 counters'. */
export function parseCreateWords(words: readonly string[]): CreateOptions {
  const o: CreateOptions = {};
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const arg = (): string => need(words, ++i, w);
    switch (w.replace(/^--?/, '')) {
      case 'family':
        o.family = arg() as CreateOptions['family'];
        break;
      case 'inet':
      case '4':
        o.family = 'inet';
        break;
      case 'inet6':
      case '6':
        o.family = 'inet6';
        break;
      case 'hashsize':
        o.hashsize = num(arg());
        break;
      case 'maxelem':
        o.maxelem = num(arg());
        break;
      case 'netmask':
        o.netmask = num(arg(), 255);
        break;
      case 'bitmask':
        o.bitmask = arg();
        break;
      case 'markmask':
        o.markmask = num(arg());
        break;
      case 'range':
        o.range = arg();
        break;
      case 'size':
        o.size = num(arg());
        break;
      case 'timeout':
        o.timeout = num(arg());
        break;
      case 'bucketsize':
        o.bucketsize = num(arg(), 255);
        break;
      case 'initval':
        o.initval = num(arg());
        break;
      case 'counters':
        o.counters = true;
        break;
      case 'comment':
        o.comment = true;
        break;
      case 'skbinfo':
        o.skbinfo = true;
        break;
      case 'forceadd':
        o.forceadd = true;
        break;
      // Accepted and ignored by ipset(8) for old scripts.
      case 'probes':
      case 'resize':
      case 'gc':
        arg();
        break;
      default:
        throw new IPSetSyntaxError(`Unknown argument: \`${w}'`);
    }
  }
  return o;
}

/** Element options from ipset(8)'s words: 'timeout 5 comment "x" nomatch'. */
export function parseAddWords(words: readonly string[]): AddOptions {
  const o: AddOptions & EntryOptions = {};
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const arg = (): string => need(words, ++i, w);
    switch (w.replace(/^--?/, '')) {
      case 'timeout':
        o.timeout = num(arg());
        break;
      case 'packets':
        o.packets = BigInt(num(arg(), Number.MAX_SAFE_INTEGER));
        break;
      case 'bytes':
        o.bytes = BigInt(num(arg(), Number.MAX_SAFE_INTEGER));
        break;
      case 'comment':
        o.comment = arg();
        break;
      case 'skbmark':
        o.skbmark = arg();
        break;
      case 'skbprio':
        o.skbprio = arg();
        break;
      case 'skbqueue':
        o.skbqueue = num(arg(), 65535);
        break;
      case 'nomatch':
        o.nomatch = true;
        break;
      case 'wildcard':
        o.wildcard = true;
        break;
      case 'before':
        o.before = arg();
        break;
      case 'after':
        o.after = arg();
        break;
      default:
        throw new IPSetSyntaxError(`Unknown argument: \`${w}'`);
    }
  }
  return o;
}

/** One command from its words ('create foo hash:ip timeout 5', 'add foo 1.2.3.4'). */
export function parseCommand(words: readonly string[]): IPSetCommand {
  const raw = need(words, 0, 'command');
  const cmd = CMD_ALIASES[raw] ?? raw.toLowerCase();
  switch (cmd) {
    case 'create': {
      const name = need(words, 1, 'setname');
      const stype = need(words, 2, 'settype');
      // Checked by create() (an unknown type name is ipset(8)'s syntax error there).
      return { cmd, name, opts: { stype: stype as SetTypeName, ...parseCreateWords(words.slice(3)) } };
    }
    case 'add':
    case 'del':
    case 'test':
      return {
        cmd,
        name: need(words, 1, 'setname'),
        entry: need(words, 2, 'element'),
        opts: parseAddWords(words.slice(3)),
      };
    case 'destroy':
    case 'flush':
    case 'list':
    case 'save':
      if (words.length > 2) throw new IPSetSyntaxError(`Unknown argument ${words[2]}`);
      return { cmd, name: words[1] };
    case 'rename':
    case 'swap':
      if (words.length > 3) throw new IPSetSyntaxError(`Unknown argument ${words[3]}`);
      return { cmd, name: need(words, 1, 'setname'), name2: need(words, 2, 'second setname') };
    default:
      throw new IPSetSyntaxError(`Unknown command ${raw}`);
  }
}

/** Commands of a restore text with their line numbers; blank lines, comments and COMMIT skipped. */
export function parseRestore(text: string): { line: number; command: IPSetCommand }[] {
  const out: { line: number; command: IPSetCommand }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].trim();
    if (!l || l.startsWith('#') || l === 'COMMIT' || l === 'quit') continue;
    // The bulk of a save file: 'add NAME ELEM' with no options.
    if (l.startsWith('add ')) {
      const sp = l.indexOf(' ', 4);
      if (sp > 4 && l.indexOf(' ', sp + 1) < 0 && !l.includes('\t') && !l.includes('"')) {
        out.push({ line: i + 1, command: { cmd: 'add', name: l.slice(4, sp), entry: l.slice(sp + 1), opts: {} } });
        continue;
      }
    }
    try {
      out.push({ line: i + 1, command: parseCommand(tokenize(l)) });
    } catch (e) {
      if (e instanceof IPSetSyntaxError) throw new IPSetRestoreError(i + 1, e);
      throw e;
    }
  }
  return out;
}
