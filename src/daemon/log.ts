// Logs on stderr with the `<N>` priority prefixes journald reads (sd-daemon(3)).
export type Level = 'err' | 'warning' | 'notice' | 'info' | 'debug';
const PRIORITY: Record<Level, number> = { err: 3, warning: 4, notice: 5, info: 6, debug: 7 };

export interface Logger {
  (level: Level, msg: string): void;
}

/** A logger writing `<6>message` lines; `minLevel` drops the chattier ones. */
export function journalLogger(minLevel: Level = 'info', out: NodeJS.WritableStream = process.stderr): Logger {
  const max = PRIORITY[minLevel];
  return (level, msg) => {
    const p = PRIORITY[level];
    if (p > max) return;
    for (const line of msg.split('\n')) out.write(`<${p}>${line}\n`);
  };
}
