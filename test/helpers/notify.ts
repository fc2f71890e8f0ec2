// A NOTIFY_SOCKET for tests: a python3 child binds the datagram socket (Node has no AF_UNIX
// datagrams) and prints each message it gets as one JSON line.
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

const LISTENER = `
import socket, sys, json
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
p = sys.argv[1]
s.bind('\\0' + p[1:] if p.startswith('@') else p)
print('ready', flush=True)
while True:
    print(json.dumps(s.recv(65536).decode()), flush=True)
`;

export class NotifyListener {
  readonly messages: string[] = [];
  private constructor(
    readonly path: string,
    private readonly child: ChildProcess,
  ) {}

  /**
   * Starts the listener and resolves once it has bound the socket. Waits for its "ready" line or
   * its exit, not for a fixed time: a python start takes seconds on a loaded machine.
   */
  static async open(path: string, timeoutMs = 60_000): Promise<NotifyListener> {
    const child = spawn('python3', ['-c', LISTENER, path], { stdio: ['ignore', 'pipe', 'pipe'] });
    const l = new NotifyListener(path, child);
    let buf = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error(`the notify listener on ${path} did not start within ${timeoutMs} ms`));
      }, timeoutMs);
      child.once('exit', (code, sig) => {
        clearTimeout(timer);
        reject(new Error(`the notify listener on ${path} exited (${code ?? sig}) before binding: ${err}`));
      });
      child.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (line === 'ready') {
            clearTimeout(timer);
            resolve();
          } else l.messages.push(JSON.parse(line) as string);
        }
      });
    });
    return l;
  }

  /** Waits until a message matching `re` arrives (after `from` messages); returns it. */
  async wait(re: RegExp, timeoutMs = 10_000, from = 0): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const m = this.messages.slice(from).find((x) => re.test(x));
      if (m !== undefined) return m;
      if (Date.now() > end) throw new Error(`no notify message matching ${re} (got ${JSON.stringify(this.messages)})`);
      await sleep(20);
    }
  }

  close(): void {
    this.child.kill();
  }
}
