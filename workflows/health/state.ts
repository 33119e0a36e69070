import { parseDuration } from '../../src/domain/duration';
import { applicableChecks, SEVERITY, worst, type CheckResult, type HealthCheckId, type HealthFeatures } from '../../src/domain/health';
import type { TenantInput } from '../../src/domain/tenant';
import {
  DEFAULT_HEALTH_EVERY,
  type ConfigureHealthInput,
  type HealthCarried,
  type HealthOptions,
  type HealthStatusValue,
  type HealthView,
  type NoticeEntry,
  type TrendEntry,
} from './contract';

/** Kept per run and carried on: a month of daily runs in the trend, the last notices and changes. */
const TREND = 30;
const NOTICES = 10;
const CHANGES = 10;

/**
 * A tenant's health as the workflow keeps it: whether checks run and how often, the last results,
 * the trend, the notices sent, and who changed what. Named transitions; `version` bumps on each so
 * the loop wakes.
 */
export class HealthState {
  enabled: boolean;
  every: string;
  /** The next run is due at anchor + every. */
  anchor: number;
  runs: number;
  lastRunAt?: string;
  results: CheckResult[];
  trend: TrendEntry[];
  notices: NoticeEntry[];
  changes: Array<{ at: string; by: string; what: string }>;
  readonly startedAt: string;
  stopped?: { at: string; by: string; reason: string };
  version = 0;
  readonly checks: ReturnType<typeof applicableChecks>;

  constructor(
    readonly tenant: TenantInput,
    readonly features: HealthFeatures,
    options: HealthOptions,
    now: number,
    carried?: HealthCarried,
  ) {
    this.checks = applicableChecks(tenant, features);
    this.enabled = carried?.enabled ?? true;
    this.every = carried?.every ?? options.every ?? DEFAULT_HEALTH_EVERY;
    this.anchor = carried ? Date.parse(carried.anchor) : now;
    this.runs = carried?.runs ?? 0;
    this.lastRunAt = carried?.lastRunAt;
    this.results = carried?.results ?? [];
    this.trend = carried?.trend ?? [];
    this.notices = carried?.notices ?? [];
    this.changes = carried?.changes ?? [];
    this.startedAt = carried?.startedAt ?? new Date(now).toISOString();
  }

  get everyMs(): number {
    return parseDuration(this.every);
  }

  /** When the next scheduled run is due (epoch ms), or undefined while disabled. */
  nextRunAt(): number | undefined {
    return this.enabled ? this.anchor + this.everyMs : undefined;
  }

  /** Enable (the next run one period from now), disable, or change the cadence (counted from the last anchor). */
  configure(input: ConfigureHealthInput, now: number): void {
    const what: string[] = [];
    if (input.enabled !== undefined && input.enabled !== this.enabled) {
      this.enabled = input.enabled;
      if (input.enabled) this.anchor = now;
      what.push(input.enabled ? 'enabled' : 'disabled');
    }
    if (input.every !== undefined && input.every !== this.every) {
      this.every = input.every;
      what.push(`every ${input.every}`);
    }
    if (what.length) this.#changed({ at: new Date(now).toISOString(), by: input.by, what: what.join(', ') });
  }

  /**
   * A run's results: kept as the last results and in the trend; answers the checks that got worse
   * than the run before (a check never seen counts as ok before), which the owner is told of once.
   */
  record(results: CheckResult[], now: number): CheckResult[] {
    const before = new Map(this.results.map((r) => [r.check, r.outcome]));
    const worse = results.filter((r) => SEVERITY[r.outcome] > SEVERITY[before.get(r.check) ?? 'ok']);
    const at = new Date(now).toISOString();
    this.results = results;
    this.lastRunAt = at;
    this.anchor = now;
    this.runs += 1;
    const ids = (o: string) => results.filter((r) => r.outcome === o).map((r) => r.check);
    this.trend = [...this.trend, { at, status: worst(results.map((r) => r.outcome)), failing: ids('failing'), warning: ids('warning') }].slice(-TREND);
    this.version += 1;
    return worse;
  }

  noticeSent(checks: HealthCheckId[], delivered: boolean, now: number): void {
    this.notices = [...this.notices, { at: new Date(now).toISOString(), checks, delivered }].slice(-NOTICES);
    this.version += 1;
  }

  stop(by: string, reason: string, now: number): void {
    this.stopped = { at: new Date(now).toISOString(), by, reason };
    this.version += 1;
  }

  /** A message refused (sent without the payload key): kept with the changes, so who it claims to be from and why show. */
  refused(by: string, what: string, now: number): void {
    this.#changed({ at: new Date(now).toISOString(), by, what });
  }

  /** The search attribute's value: pending before the first run, else the last run's worst outcome. */
  status(): HealthStatusValue {
    if (this.stopped) return 'stopped';
    if (!this.enabled) return 'disabled';
    if (!this.lastRunAt) return 'pending';
    return worst(this.results.map((r) => r.outcome));
  }

  previous(check: HealthCheckId): CheckResult | undefined {
    return this.results.find((r) => r.check === check);
  }

  view(): HealthView {
    const next = this.nextRunAt();
    return {
      tenantId: this.tenant.tenantId,
      displayName: this.tenant.displayName,
      status: this.status(),
      enabled: this.enabled,
      every: this.every,
      startedAt: this.startedAt,
      runs: this.runs,
      ...(this.lastRunAt ? { lastRunAt: this.lastRunAt } : {}),
      ...(next !== undefined && !this.stopped ? { nextRunAt: new Date(next).toISOString() } : {}),
      results: this.results,
      notChecked: this.checks.notChecked,
      trend: this.trend,
      notices: this.notices,
      changes: this.changes,
      ...(this.stopped ? { stopped: this.stopped } : {}),
    };
  }

  carried(): HealthCarried {
    return {
      enabled: this.enabled,
      every: this.every,
      anchor: new Date(this.anchor).toISOString(),
      runs: this.runs,
      ...(this.lastRunAt ? { lastRunAt: this.lastRunAt } : {}),
      results: this.results,
      trend: this.trend,
      notices: this.notices,
      changes: this.changes,
      startedAt: this.startedAt,
    };
  }

  #changed(entry: { at: string; by: string; what: string }): void {
    this.changes = [...this.changes, entry].slice(-CHANGES);
    this.version += 1;
  }
}
