import { z } from 'zod';
import { lazySchema } from './lazy-schema';
import { DurationAtLeast } from './duration';
import type { TenantInput } from './tenant';

/**
 * The checks a live tenant's health run makes (after go-live), as data: ids, outcomes, what each
 * result holds, and what the health workflow asks of its activities. Workflow-safe (zod only).
 */
export const HEALTH_CHECKS = ['kore-access', 'zoom-access', 'publish-status', 'calls-arriving', 'summaries', 'agent-transfer', 'sip'] as const;
export const HealthCheckId = lazySchema(() => z.enum(HEALTH_CHECKS));
export type HealthCheckId = z.infer<typeof HealthCheckId>;

/** What each check looks at, in words (status output, docs). */
export const HEALTH_CHECK_TITLES: Record<HealthCheckId, string> = {
  'kore-access': 'Kore.ai JWT app accepted, Chat History and Bot Sessions still mapped',
  'zoom-access': 'Zoom S2S token and the Contact Center read scopes',
  'publish-status': "the bot's last publish and its published state (Admin Console app)",
  'calls-arriving': 'calls still reach the bot (Kore.ai sessions since the last run)',
  summaries: 'XO GPT summaries still produced for recent sessions',
  'agent-transfer': 'agent transfers still reach a ZCC queue',
  sip: 'SIP preflight of the connector domain, certificate expiry included',
};

export const HEALTH_OUTCOMES = ['ok', 'warning', 'failing'] as const;
export const HealthOutcome = lazySchema(() => z.enum(HEALTH_OUTCOMES));
export type HealthOutcome = z.infer<typeof HealthOutcome>;
export const SEVERITY: Record<HealthOutcome, number> = { ok: 0, warning: 1, failing: 2 };

/** The worst of several outcomes (`ok` for none). */
export const worst = (outcomes: readonly HealthOutcome[]): HealthOutcome => outcomes.reduce<HealthOutcome>((w, o) => (SEVERITY[o] > SEVERITY[w] ? o : w), 'ok');

/** Daily by default; at least 5 minutes. */
export const DEFAULT_HEALTH_EVERY = '1d';
export const HealthEvery = lazySchema(() => DurationAtLeast('5m', "more often only grows the workflow's history and the vendors' call counts"));

/** How a tenant's health runs: its cadence, and when its workflow continues as new (tests shorten it). */
export const HealthOptions = lazySchema(() =>
  z.object({
    every: HealthEvery.optional(),
    continueAsNewAfterEvents: z.number().int().min(100).max(50_000).optional(),
  }),
);
export type HealthOptions = z.infer<typeof HealthOptions>;

/** A certificate with fewer days left than this is a warning in a health run; under 14 (the preflight's own margin) it fails. */
export const CERT_WARNING_DAYS = 30;

export const CheckResult = lazySchema(() =>
  z.object({
    check: HealthCheckId,
    outcome: HealthOutcome,
    /** What the vendor answered, in words a person acts on (never a secret). */
    answer: z.string().max(600),
    at: z.string(),
    /** Small facts the next run compares with (e.g. the newest session seen). */
    facts: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  }),
);
export type CheckResult = z.infer<typeof CheckResult>;

/** What the tenant's onboarding set up that the checks depend on: read off its progress when it completed. */
export const HealthFeatures = lazySchema(() =>
  z.object({
    /** The connector's SIP domain (create-zoom-connector's evidence). */
    connectorDomain: z.string().optional(),
    /** The ZCC flow routed to the connector (route-zcc-flow-to-connector's result). */
    flowId: z.string().optional(),
    /** Conversation Summary is on (enable-conversation-summary was not skipped). */
    summary: z.boolean(),
    /** Agent transfer is used (configure-agent-transfer was not skipped). */
    agentTransfer: z.boolean(),
  }),
);
export type HealthFeatures = z.infer<typeof HealthFeatures>;

/** The steps a features reading needs: id, state, evidence, result. */
interface StepLike {
  id: string;
  state: string;
  evidence?: Record<string, unknown>;
  result?: Record<string, unknown>;
}

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** The features an onboarding's steps show; the same reading for the workflow at completion and the app on `enable`. */
export function healthFeaturesOf(steps: readonly StepLike[]): HealthFeatures {
  const step = (id: string) => steps.find((s) => s.id === id);
  const connectorDomain = text(step('create-zoom-connector')?.evidence?.domain);
  const flowId = text(step('route-zcc-flow-to-connector')?.result?.flowId) ?? text(step('publish-zcc-flow')?.result?.flowId);
  return {
    ...(connectorDomain ? { connectorDomain } : {}),
    ...(flowId ? { flowId } : {}),
    summary: step('enable-conversation-summary')?.state !== 'skipped',
    agentTransfer: step('configure-agent-transfer')?.state !== 'skipped',
  };
}

/** Which checks apply to a tenant, and why the others are not made. */
export function applicableChecks(
  tenant: { kore: { adminApp?: unknown } },
  f: HealthFeatures,
): { run: HealthCheckId[]; notChecked: Array<{ check: HealthCheckId; why: string }> } {
  const why: Partial<Record<HealthCheckId, string>> = {
    ...(tenant.kore.adminApp ? {} : { 'publish-status': 'the tenant gives no Kore.ai Admin Console app (kore.adminApp)' }),
    ...(f.summary ? {} : { summaries: 'enable-conversation-summary was skipped' }),
    ...(f.agentTransfer ? {} : { 'agent-transfer': 'configure-agent-transfer was skipped' }),
    ...(f.connectorDomain ? {} : { sip: 'the onboarding recorded no connector domain' }),
  };
  return {
    run: HEALTH_CHECKS.filter((c) => !why[c]),
    notChecked: HEALTH_CHECKS.filter((c) => why[c]).map((c) => ({ check: c, why: why[c]! })),
  };
}

/** What every check activity is given: the tenant (secret references only), its features, the period, and the check's last result. */
export interface HealthCheckInput {
  tenant: TenantInput;
  features: HealthFeatures;
  /** The cadence: "recent" means within this. */
  periodMs: number;
  /** This check's result from the run before, if any (its facts). */
  previous?: CheckResult;
}

/**
 * The health workflow's activities: each answers a result (a vendor's refusal is a finding, not a
 * failure); a thrown error is a failure to check, retried a few times, then shown as a warning.
 */
export interface HealthActivities {
  healthKoreAccess(input: HealthCheckInput): Promise<CheckResult>;
  healthZoomAccess(input: HealthCheckInput): Promise<CheckResult>;
  healthPublishStatus(input: HealthCheckInput): Promise<CheckResult>;
  healthCallsArriving(input: HealthCheckInput): Promise<CheckResult>;
  healthSummaries(input: HealthCheckInput): Promise<CheckResult>;
  healthAgentTransfer(input: HealthCheckInput): Promise<CheckResult>;
  healthSip(input: HealthCheckInput): Promise<CheckResult>;
}

export const CHECK_ACTIVITY: Record<HealthCheckId, keyof HealthActivities> = {
  'kore-access': 'healthKoreAccess',
  'zoom-access': 'healthZoomAccess',
  'publish-status': 'healthPublishStatus',
  'calls-arriving': 'healthCallsArriving',
  summaries: 'healthSummaries',
  'agent-transfer': 'healthAgentTransfer',
  sip: 'healthSip',
};
