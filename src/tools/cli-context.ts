// What every ip-style subcommand shares: the global options, one IPRoute opened on first use
// (in the namespace of -n), and printing rows as `ip -j` JSON or as text.
import { IPRoute } from '../rtnl/iproute.js';
import type { GlobalOptions } from './cli-args.js';
import { stringify } from './format.js';

type Row = Record<string, unknown>;

export class CliContext {
  constructor(
    readonly opts: GlobalOptions,
    readonly out: NodeJS.WritableStream = process.stdout,
    // Handles by namespace, shared by the lines of a batch.
    private readonly handles: Map<string, IPRoute> = new Map(),
  ) {}

  /** A context for one more command: its own options, the same sockets. */
  fork(): CliContext {
    return new CliContext({ ...this.opts }, this.out, this.handles);
  }

  /** The rtnetlink handle of the namespace given with -n (or of this process). */
  route(): IPRoute {
    const key = this.opts.netns ?? '';
    let ipr = this.handles.get(key);
    if (!ipr) {
      ipr = new IPRoute({ netns: this.opts.netns });
      this.handles.set(key, ipr);
    }
    return ipr;
  }

  write(text: string): void {
    this.out.write(text);
  }

  /** Rows as one JSON array (as `ip -j -p`) or as text, one block per row. */
  print(rows: readonly Row[], text: (row: Row) => string): void {
    if (this.opts.json) this.write(jsonArray(rows));
    else for (const r of rows) this.write(text(r));
  }

  close(): void {
    for (const ipr of this.handles.values()) ipr.close();
    this.handles.clear();
  }
}

/** Pretty JSON with two-space indentation, as `ip -j -p` prints it. */
export function jsonArray(rows: readonly unknown[]): string {
  return stringify(rows).replace(/\n\s*/g, (m) => (m.length > 1 ? '\n' + m.slice(1) : m)) + '\n';
}
