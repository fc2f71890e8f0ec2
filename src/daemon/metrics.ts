// Prometheus metrics of nlrouted (prom-client): on an optional local HTTP listener and/or as
// a node_exporter textfile-collector file, written atomically after each change.
import { renameSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Registry } from 'prom-client';

interface MetricDef {
  name: string;
  help: string;
  labels?: readonly string[];
}

// The metric names are public (dashboards and alerts use them): change none.
const COUNTERS = {
  applies: { name: 'nlrouted_applies_total', help: 'Applies of the desired state that succeeded' },
  failures: { name: 'nlrouted_apply_failures_total', help: 'Applies that failed (and were rolled back)' },
  drift: {
    name: 'nlrouted_drift_total',
    help: 'Changes to managed objects made behind the daemon, by outcome',
    labels: ['outcome'],
  },
  rollbacks: { name: 'nlrouted_rollbacks_total', help: 'Rollbacks performed' },
} satisfies Record<string, MetricDef>;

const GAUGES = {
  lastApply: { name: 'nlrouted_last_apply_timestamp_seconds', help: 'Time of the last successful apply' },
  managed: { name: 'nlrouted_objects_managed', help: 'Objects the configuration manages' },
  configOk: { name: 'nlrouted_config_valid', help: '1 when the configuration on disk is valid' },
} satisfies Record<string, MetricDef>;

type Counters = { readonly [K in keyof typeof COUNTERS]: Counter };
type Gauges = { readonly [K in keyof typeof GAUGES]: Gauge };

class MetricsRegistry {
  readonly registry = new Registry();
  private http: Server | undefined;

  constructor(private readonly textfile?: string) {
    const opts = (d: MetricDef) => ({
      name: d.name,
      help: d.help,
      labelNames: d.labels ?? [],
      registers: [this.registry],
    });
    const fields = this as unknown as Record<string, Counter | Gauge>;
    for (const [key, d] of Object.entries(COUNTERS)) fields[key] = new Counter(opts(d));
    for (const [key, d] of Object.entries(GAUGES)) fields[key] = new Gauge(opts(d));
  }

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

/** The registry with the table's entries as fields (metrics.applies.inc()). */
export const Metrics = MetricsRegistry as new (textfile?: string) => MetricsRegistry & Counters & Gauges;
export type Metrics = InstanceType<typeof Metrics>;
