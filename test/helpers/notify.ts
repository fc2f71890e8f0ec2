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

  static async open(path: string): Promise<NotifyListener> {
    const child = spawn('python3', ['-c', LISTENER, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    const l = new NotifyListener(path, child);
    let buf = '';
    let ready = false;
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line === 'ready') ready = true;
        else l.messages.push(JSON.parse(line) as string);
      }
    });
    for (let k = 0; k < 500 && !ready; k++) await sleep(10);
    if (!ready) throw new Error('the notify listener did not start');
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
