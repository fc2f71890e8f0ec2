// sd_notify(3): readiness, status, reload and watchdog messages to the service manager over
// the datagram socket named by NOTIFY_SOCKET (a path, or '@name' in the abstract namespace).
import { loadNative } from '../core/native.js';

export class Notifier {
  private timer: NodeJS.Timeout | undefined;

  /** The socket from the environment; without one every call is a no-op. */
  constructor(private readonly socket: string | undefined = process.env.NOTIFY_SOCKET) {}

  get enabled(): boolean {
    return !!this.socket;
  }

  /** Sends `KEY=value` lines; returns false when there is no service manager to tell. */
  send(fields: Record<string, string | number>): boolean {
    if (!this.socket) return false;
    const text = Object.entries(fields)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n');
    loadNative().sendDatagram(this.socket, Buffer.from(text));
    return true;
  }

  ready(status?: string): void {
    this.send(status ? { READY: 1, STATUS: status } : { READY: 1 });
  }

  status(text: string): void {
    this.send({ STATUS: text });
  }

  /** RELOADING=1 with the CLOCK_MONOTONIC time systemd (Type=notify-reload) matches it by. */
  reloading(): void {
    this.send({ RELOADING: 1, MONOTONIC_USEC: monotonicUsec() });
  }

  stopping(): void {
    this.send({ STOPPING: 1 });
  }

  /**
   * Keep-alives at half of WATCHDOG_USEC when the manager asked for them (and WATCHDOG_PID,
   * if set, is this process). The timer never keeps the process alive.
   */
  startWatchdog(env: NodeJS.ProcessEnv = process.env): number | undefined {
    const usec = Number(env.WATCHDOG_USEC);
    if (!this.socket || !Number.isFinite(usec) || usec <= 0) return undefined;
    if (env.WATCHDOG_PID && Number(env.WATCHDOG_PID) !== process.pid) return undefined;
    const every = Math.max(1, Math.floor(usec / 2000));
    this.timer = setInterval(() => this.send({ WATCHDOG: 1 }), every);
    this.timer.unref();
    return every;
  }

  stopWatchdog(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** CLOCK_MONOTONIC in microseconds (process.hrtime is that clock on Linux). */
export function monotonicUsec(): string {
  return (process.hrtime.bigint() / 1000n).toString();
}
