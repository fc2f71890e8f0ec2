// Prometheus metrics of nlrouted (prom-client): on an optional local HTTP listener and/or as
// a node_exporter textfile-collector file, written atomically after each change.
import { renameSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Registry } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly applies = new Counter({
    name: 'nlrouted_applies_total',
    help: 'Applies of the desired state that succeeded',
    registers: [this.registry],
  });
  readonly failures = new Counter({
    name: 'nlrouted_apply_failures_total',
    help: 'Applies that failed (and were rolled back)',
    registers: [this.registry],
  });
  readonly drift = new Counter({
    name: 'nlrouted_drift_total',
    help: 'Changes to managed objects made behind the daemon, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly rollbacks = new Counter({
    name: 'nlrouted_rollbacks_total',
    help: 'Rollbacks performed',
    registers: [this.registry],
  });
  readonly lastApply = new Gauge({
    name: 'nlrouted_last_apply_timestamp_seconds',
    help: 'Time of the last successful apply',
    registers: [this.registry],
  });
  readonly managed = new Gauge({
    name: 'nlrouted_objects_managed',
    help: 'Objects the configuration manages',
    registers: [this.registry],
  });
  readonly configOk = new Gauge({
    name: 'nlrouted_config_valid',
    help: '1 when the configuration on disk is valid',
    registers: [this.registry],
  });
  private http: Server | undefined;

  constructor(private readonly textfile?: string) {}

  /** Serves /metrics on host:port (meant for 127.0.0.1). */
  async listen(host: string, port: number): Promise<number> {
    this.http = createServer(async (req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': this.registry.contentType }).end(await this.registry.metrics());
    });
    await new Promise<void>((r) => this.http!.listen(port, host, r));
    this.http.unref();
    return (this.http.address() as { port: number }).port;
  }

  /** Writes the textfile (when configured) so a collector never reads half a file. */
  async flush(): Promise<void> {
    if (!this.textfile) return;
    const tmp = `${this.textfile}.${process.pid}.tmp`;
    writeFileSync(tmp, await this.registry.metrics());
    renameSync(tmp, this.textfile);
  }

  close(): void {
    this.http?.close();
  }
}
