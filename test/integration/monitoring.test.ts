import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { noopMetricMeter, type MetricMeter } from '@temporalio/common';
import YAML from 'yaml';
import { WorkerMetrics } from '../../activities/metrics';
import { ApiMetrics } from '../../src/api/metrics';
import { dashboardExpressions, DASHBOARD, deploymentExpressions, metricNamesIn, PROMETHEUS_DIR, samplesOf, SDK_WORKER_METRICS } from '../support/monitoring';

/**
 * deployment/: the Prometheus config and alert rules pass promtool (config, rules, and the rules'
 * own unit tests), and every expression of the alerts and of the Grafana dashboard parses and
 * selects only metrics we export (or Prometheus's `up`).
 */
function promtool(...args: string[]) {
  const r = spawnSync('promtool', args, { cwd: PROMETHEUS_DIR, encoding: 'utf8' });
  if (r.error) throw new Error(`promtool not found (Debian's prometheus package; npm test's setup installs it as root): ${r.error.message}`);
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Our worker-side families as the SDK's Prometheus exporter names them (counters `_total`, histograms their unit). */
function workerFamilies(): Array<[string, string]> {
  const made: Array<[string, string]> = [];
  const meter: MetricMeter = {
    createUpDownCounter: (name, unit, description) => (made.push([name, 'gauge']), noopMetricMeter.createUpDownCounter(name, unit, description)),
    withTags: () => meter,
    createCounter: (name, unit, description) => (made.push([`${name}_total`, 'counter']), noopMetricMeter.createCounter(name, unit, description)),
    createHistogram: (name, valueType, unit, description) => (
      made.push([unit ? `${name}_${unit}` : name, 'histogram']),
      noopMetricMeter.createHistogram(name, valueType, unit, description)
    ),
    createGauge: (name, valueType, unit, description) => (made.push([name, 'gauge']), noopMetricMeter.createGauge(name, valueType, unit, description)),
  };
  new WorkerMetrics(meter);
  return made;
}

async function exportedSamples(): Promise<Set<string>> {
  const api = new ApiMetrics({ countByStatus: async () => ({}) as never, waitingSteps: async () => ({ steps: [], withoutDetail: 0 }) });
  const apiFamilies = (await api.registry.getMetricsAsJSON()).map((m) => [m.name, String(m.type)] as [string, string]);
  const sdk = SDK_WORKER_METRICS.map((n) => [n, n.endsWith('_seconds') ? 'histogram' : 'other'] as [string, string]);
  return new Set([...apiFamilies, ...workerFamilies(), ...sdk].flatMap(([name, type]) => samplesOf(name, type)).concat('up'));
}

describe('deployment/prometheus', () => {
  it('the scrape config (worker and API) and its rule file pass `promtool check config`', () => {
    const r = promtool('check', 'config', 'prometheus.yml');
    expect(r).toMatchObject({ status: 0 });
    const config = YAML.parse(fs.readFileSync(path.join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8'));
    expect(Object.fromEntries(config.scrape_configs.map((s: any) => [s.job_name, s.static_configs[0].targets]))).toMatchObject({
      'onboard-api': ['api:3000'],
      'onboard-worker': ['worker:9464'],
    });
  });

  it('the alert rules pass `promtool check rules` and their unit tests pass `promtool test rules`', () => {
    expect(promtool('check', 'rules', 'alerts.yml')).toMatchObject({ status: 0, out: expect.stringContaining('SUCCESS: 6 rules found') });
    const tested = promtool('test', 'rules', 'alerts.test.yml');
    expect(tested.out).toContain('SUCCESS');
    expect(tested.status).toBe(0);
  });

  it('every alert the runbook promises has a rules test that makes it fire', () => {
    const alerts = deploymentExpressions()
      .filter((e) => e.where.startsWith('alert '))
      .map((e) => e.where.slice(6));
    expect(alerts.sort()).toEqual(
      [
        'ActivityScheduleToStartHigh',
        'OnboardingNeedsAttentionOverAnHour',
        'OnboardingStepPastEscalation',
        'OnboardingWorkerAbsent',
        'VendorErrorRateHigh',
        'WorkflowTaskScheduleToStartHigh',
      ].sort(),
    );
    const tests = YAML.parse(fs.readFileSync(path.join(PROMETHEUS_DIR, 'alerts.test.yml'), 'utf8')).tests as Array<{
      alert_rule_test: Array<{ alertname: string; exp_alerts: unknown[] }>;
    }>;
    const fired = new Set(tests.flatMap((t) => t.alert_rule_test.filter((a) => a.exp_alerts.length > 0).map((a) => a.alertname)));
    expect(alerts.filter((a) => !fired.has(a))).toEqual([]);
    const runbook = fs.readFileSync(path.join(PROMETHEUS_DIR, '..', '..', 'docs', 'operations.md'), 'utf8');
    for (const a of alerts) expect({ alert: a, inRunbook: runbook.includes(`### ${a}`) || runbook.includes(a) }).toEqual({ alert: a, inRunbook: true });
  });
});

describe('deployment/grafana dashboard', () => {
  it('is valid JSON with the four sections and a Prometheus target on every panel', () => {
    const dash = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8'));
    const rows = dash.panels.filter((p: any) => p.type === 'row').map((p: any) => p.title);
    expect(rows).toEqual(['Onboarding funnel', 'Steps waiting on people', 'Vendor health', 'Worker health']);
    const panels = dash.panels.filter((p: any) => p.type !== 'row');
    expect(panels.length).toBeGreaterThan(15);
    for (const p of panels)
      expect({ panel: p.title, targets: p.targets.length, ds: p.datasource.uid }).toEqual({ panel: p.title, targets: expect.any(Number), ds: 'prometheus' });
    expect(panels.every((p: any) => p.targets.length > 0 && p.targets.every((t: any) => t.expr))).toBe(true);
    expect(new Set(dash.panels.map((p: any) => p.id)).size).toBe(dash.panels.length);
  });

  it('every expression (panels and alerts) parses with promtool and selects only metrics we export, or up', async () => {
    const exprs = deploymentExpressions();
    expect(dashboardExpressions().length).toBeGreaterThan(20);
    // promtool parses PromQL in rule files: one recording rule per expression.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-rules-'));
    const file = path.join(dir, 'expressions.yml');
    fs.writeFileSync(
      file,
      YAML.stringify({ groups: [{ name: 'expressions', rules: exprs.map((e, i) => ({ record: `check:expression_${i}`, expr: e.expr })) }] }),
    );
    const r = promtool('check', 'rules', file);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.out).toContain(`SUCCESS: ${exprs.length} rules found`);

    const exported = await exportedSamples();
    const unknown = exprs.flatMap((e) =>
      metricNamesIn(e.expr)
        .filter((n) => !exported.has(n))
        .map((n) => `${e.where}: ${n}`),
    );
    expect(unknown).toEqual([]);
    // The reader finds names at all (guards the check above from passing on nothing).
    expect(metricNamesIn('sum by (le, vendor) (rate(onboard_vendor_request_duration_seconds_bucket{status=~"5.."}[5m])) / up')).toEqual([
      'onboard_vendor_request_duration_seconds_bucket',
      'up',
    ]);
  });
});
