import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HealthChecks, HealthOutcome, Onboardings, StepProgress } from '../app';

/** How long a count of onboardings by status serves scrapes before Temporal is asked again. */
export const COUNTS_TTL_MS = 15_000;

/**
 * A count that costs six visibility queries, shared: served from memory for `ttlMs`, and while one
 * refresh is running every scrape waits for that one rather than starting its own. A failed
 * refresh is not kept (the next scrape tries again).
 */
class SharedCounts<T> {
  #last?: { at: number; value: T };
  #refreshing?: Promise<T>;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly ttlMs: number,
  ) {}

  get(): Promise<T> {
    if (this.#last && Date.now() - this.#last.at < this.ttlMs) return Promise.resolve(this.#last.value);
    return (this.#refreshing ??= this.load()
      .then((value) => {
        this.#last = { at: Date.now(), value };
        return value;
      })
      .finally(() => (this.#refreshing = undefined)));
  }
}

/** The gauge's value per outcome: alert on `onboard_tenant_health == 2`. */
const HEALTH_GAUGE: Record<HealthOutcome, number> = { ok: 0, warning: 1, failing: 2 };

/**
 * Prometheus metrics the API can vouch for: onboardings by status (counted in Temporal visibility,
 * at most once per COUNTS_TTL_MS whatever the scrape rate), how long human steps waited when
 * completed through the API, steps that failed verification or need attention by step and kind,
 * each live tenant's health checks, and the API's own latency.
 */
export class ApiMetrics {
  readonly registry = new Registry();
  readonly requests = new Histogram({
    name: 'onboard_api_request_duration_seconds',
    help: 'HTTP API latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly humanWait = new Histogram({
    name: 'onboard_human_step_wait_seconds',
    help: 'Time from a human step opening to its completion through the API',
    labelNames: ['step'] as const,
    buckets: [60, 300, 900, 3600, 4 * 3600, 86_400, 2 * 86_400, 7 * 86_400],
    registers: [this.registry],
  });
  readonly stepFailures = new Counter({
    name: 'onboard_step_failures_total',
    help: 'Human steps whose claim failed verification, or that went to needs-attention, on completion through the API',
    labelNames: ['step', 'kind'] as const,
    registers: [this.registry],
  });

  constructor(onboardings: Onboardings, countsTtlMs = COUNTS_TTL_MS, health?: HealthChecks) {
    const counts = new SharedCounts(() => onboardings.countByStatus(), countsTtlMs);
    new Gauge({
      name: 'onboard_onboardings',
      help: `Onboardings by status (Temporal visibility, counted at most every ${countsTtlMs / 1000} s)`,
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        for (const [status, count] of Object.entries(await counts.get())) this.set({ status }, count);
      },
    });
    if (!health) return;
    // Read from the running health workflows' memos (one visibility list), shared as the counts are.
    const outcomes = new SharedCounts(() => health.outcomes(), countsTtlMs);
    new Gauge({
      name: 'onboard_tenant_health',
      help: `Each live tenant's health checks at their last run: 0 ok, 1 warning, 2 failing (running health workflows, read at most every ${countsTtlMs / 1000} s)`,
      labelNames: ['tenant', 'check'] as const,
      registers: [this.registry],
      async collect() {
        // A tenant whose checks stopped or were disabled drops out rather than keep its last value.
        this.reset();
        for (const o of await outcomes.get()) this.set({ tenant: o.tenantId, check: o.check }, HEALTH_GAUGE[o.outcome]);
      },
    });
  }

  /** From the step the Update returned: it keeps the time it opened. */
  observeCompletion(after: StepProgress): void {
    if (after.state === 'done' && after.openedAt)
      this.humanWait.observe({ step: after.id }, (Date.parse(after.completedAt ?? '') - Date.parse(after.openedAt)) / 1000);
    if (after.state === 'open') this.stepFailures.inc({ step: after.id, kind: 'verification-failed' });
    if (after.state === 'needs-attention') this.stepFailures.inc({ step: after.id, kind: 'needs-attention' });
  }
}
