import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ROOT } from './paths';

/** What deployment/ holds for Prometheus and Grafana, read as the tests need it. */
export const DEPLOYMENT = path.join(ROOT, 'deployment');
export const PROMETHEUS_DIR = path.join(DEPLOYMENT, 'prometheus');
export const DASHBOARD = path.join(DEPLOYMENT, 'grafana', 'dashboards', 'kore-zcc-onboarding.json');

export interface Expression {
  where: string;
  expr: string;
}

/** Every PromQL expression of the alert rules and of the dashboard's panels, each with where it is. */
export function deploymentExpressions(): Expression[] {
  const rules = YAML.parse(fs.readFileSync(path.join(PROMETHEUS_DIR, 'alerts.yml'), 'utf8')) as {
    groups: Array<{ rules: Array<{ alert: string; expr: string }> }>;
  };
  const alerts = rules.groups.flatMap((g) => g.rules.map((r) => ({ where: `alert ${r.alert}`, expr: r.expr })));
  return [...alerts, ...dashboardExpressions()];
}

type Panel = { title: string; type: string; targets?: Array<{ expr?: string }>; panels?: Panel[] };

export function dashboardExpressions(): Expression[] {
  const dash = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[] };
  const all = (ps: Panel[]): Panel[] => ps.flatMap((p) => [p, ...all(p.panels ?? [])]);
  return all(dash.panels).flatMap((p) => (p.targets ?? []).map((t, i) => ({ where: `panel "${p.title}" target ${i}`, expr: t.expr ?? '' })));
}

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'offset', 'bool', 'inf', 'nan']);

/**
 * The metric names an expression selects (promtool has checked its syntax): strings, label
 * matchers, range and grouping clauses are taken out; what remains that is not a function call,
 * a keyword or a number is a metric name.
 */
export function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = [...bare.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(\s*\()?/g)]
    .filter(([, name, call]) => !call && !KEYWORDS.has(name!.toLowerCase()))
    .map(([, name]) => name!);
  return [...new Set(names)];
}

/** The Temporal SDK's worker metrics the deployment files may name: the families its endpoint serves in a plain run (test/integration/observability.test.ts holds them there). */
export const SDK_WORKER_METRICS = [
  'temporal_activity_execution_latency_seconds',
  'temporal_activity_schedule_to_start_latency_seconds',
  'temporal_activity_succeed_endtoend_latency_seconds',
  'temporal_activity_task_received_total',
  'temporal_num_pollers',
  'temporal_request_latency_seconds',
  'temporal_request_total',
  'temporal_sticky_cache_hit_total',
  'temporal_sticky_cache_size',
  'temporal_worker_task_slots_available',
  'temporal_worker_task_slots_used',
  'temporal_workflow_task_execution_latency_seconds',
  'temporal_workflow_task_schedule_to_start_latency_seconds',
];

/** A family's sample names as Prometheus exposes them (a histogram's buckets, sum and count). */
export const samplesOf = (family: string, type: string): string[] =>
  type === 'histogram' ? [`${family}_bucket`, `${family}_sum`, `${family}_count`] : [family];
