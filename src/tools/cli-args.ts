// Reading an iproute2-style command line: global options, a word cursor with ip's keyword
// prefix matching, and the usage error that makes the command exit with status 2.

/** A command line the tool cannot accept (exit status 2, like ip's usage errors). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Options given before the object (`ip -n NS -j -d link show`) or, for views, after it. */
export interface GlobalOptions {
  netns?: string;
  json: boolean;
  details: boolean;
  stats: boolean;
  /** 0 (any), AF_INET or AF_INET6. */
  family: number;
  batch?: string;
  force: boolean;
  /** -br: one line per link (link and addr views), as ip -brief. */
  brief?: boolean;
}

export const AF_INET = 2;
export const AF_INET6 = 10;

/** `word` is a prefix of `keyword` (ip accepts `ip l s dev lo` for `ip link show dev lo`). */
export const matches = (word: string, keyword: string): boolean => word.length > 0 && keyword.startsWith(word);

/** The first keyword of `table` that `word` abbreviates (ip's order decides ties), or undefined. */
export function pick<T extends string>(word: string, table: readonly T[]): T | undefined {
  return table.find((k) => matches(word, k));
}

/** A cursor over the words of one command. */
export class Words {
  private i = 0;
  constructor(
    private readonly words: readonly string[],
    readonly context: string,
  ) {}

  get done(): boolean {
    return this.i >= this.words.length;
  }

  peek(): string | undefined {
    return this.words[this.i];
  }

  /** The next word, which must exist; `what` names it in the error. */
  next(what: string): string {
    const w = this.words[this.i++];
    if (w === undefined) throw new UsageError(`${this.context}: ${what} needs a value`);
    return w;
  }

  /** The next word if there is one. */
  take(): string | undefined {
    return this.words[this.i++];
  }

  /** Give the last word back. */
  back(): void {
    this.i--;
  }

  /** Every word not read yet. */
  rest(): string[] {
    const r = this.words.slice(this.i);
    this.i = this.words.length;
    return r;
  }

  /** An unsigned integer (decimal or 0x hex) following the keyword `what`. */
  number(what: string, max = 0xffffffff): number {
    const w = this.next(what);
    const n = /^0x[0-9a-f]+$/i.test(w) ? parseInt(w, 16) : /^\d+$/.test(w) ? Number(w) : NaN;
    if (!Number.isSafeInteger(n) || n > max)
      throw new UsageError(`${this.context}: ${what} "${w}" is not a number (0..${max})`);
    return n;
  }

  /** `on` or `off` after the keyword `what`. */
  onOff(what: string): boolean {
    const w = this.next(what);
    if (w === 'on') return true;
    if (w === 'off') return false;
    throw new UsageError(`${this.context}: ${what} takes "on" or "off", not "${w}"`);
  }

  unsupported(word: string): never {
    throw new UsageError(`${this.context}: "${word}" is not supported`);
  }
}

const GLOBAL_USAGE = 'options: -n NETNS, -j/-json, -d/-details, -s/-stats, -br/-brief, -4, -6, -batch FILE, -force';

/**
 * Read leading options (`-n NS -j ...`) as ip does; returns the options and the remaining words.
 * `-stats` may be repeated (`-s -s`), as with ip; only the first level is used.
 */
export function parseGlobals(argv: readonly string[], into?: GlobalOptions): { opts: GlobalOptions; rest: string[] } {
  const opts: GlobalOptions = into ?? { json: false, details: false, stats: false, family: 0, force: false };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-') || a === '-') break;
    const o = a.replace(/^--?/, '');
    if (o === 'n' || o === 'netns') {
      const v = argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${a} needs a namespace name`);
      opts.netns = v;
    } else if (o === 'j' || (matches(o, 'json') && o.length > 1)) opts.json = true;
    else if (matches(o, 'details')) opts.details = true;
    else if (matches(o, 'stats') || matches(o, 'statistics')) opts.stats = true;
    else if (o === 'br' || (matches(o, 'brief') && o.length > 2)) opts.brief = true;
    else if (o === '4') opts.family = AF_INET;
    else if (o === '6') opts.family = AF_INET6;
    else if (o === 'b' || (matches(o, 'batch') && o.length > 1)) {
      const v = argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${a} needs a file name (or - for stdin)`);
      opts.batch = v;
    } else if (matches(o, 'force') && o.length > 1) opts.force = true;
    else if (o === 'p' || (matches(o, 'pretty') && o.length > 1)) {
      /* JSON is always pretty-printed */
    } else throw new UsageError(`unknown option "${a}" (${GLOBAL_USAGE})`);
  }
  return { opts, rest: argv.slice(i) };
}

/**
 * Views also take the options after the object (`nlroute link show -n NS --json`): pull them
 * out of the words, leaving the rest in order.
 */
export function pullTrailingGlobals(words: readonly string[], opts: GlobalOptions): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if ((w.startsWith('-') && w !== '-' && !/^-\d+$/.test(w)) || w === '-4' || w === '-6') {
      const take = w.replace(/^--?/, '') === 'n' || w.replace(/^--?/, '') === 'netns' ? 2 : 1;
      parseGlobals(words.slice(i, i + take), opts);
      i += take - 1;
    } else out.push(w);
  }
  return out;
}
