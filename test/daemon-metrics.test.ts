// nlrouted's Prometheus metrics: the public names and types, in their order, and the
// textfile written for node_exporter's collector.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Metrics } from '../src/daemon/metrics.js';

test('nlrouted metrics: names, types and labels are the published ones', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nlroute-metrics-'));
  try {
    const m = new Metrics(join(dir, 'nlrouted.prom'));
    m.applies.inc();
    m.failures.inc();
    m.drift.inc({ outcome: 'corrected' });
    m.rollbacks.inc();
    m.lastApply.set(1);
    m.managed.set(5);
    m.configOk.set(1);
    await m.flush();
    const text = readFileSync(join(dir, 'nlrouted.prom'), 'utf8');
    const types = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((x) => `${x[1]} ${x[2]}`);
    assert.deepEqual(types, [
      'nlrouted_applies_total counter',
      'nlrouted_apply_failures_total counter',
      'nlrouted_drift_total counter',
      'nlrouted_rollbacks_total counter',
      'nlrouted_last_apply_timestamp_seconds gauge',
      'nlrouted_objects_managed gauge',
      'nlrouted_config_valid gauge',
    ]);
    assert.match(text, /^nlrouted_drift_total\{outcome="corrected"\} 1$/m);
    assert.match(text, /^nlrouted_objects_managed 5$/m);
    assert.match(text, /^# HELP nlrouted_applies_total Applies of the desired state that succeeded$/m);
    m.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
