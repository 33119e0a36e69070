import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Our custom search attributes, typed. Workflow-safe (only @temporalio/common), so the workflow
 * upserts the very keys the dev server registers and the CLI and API filter on.
 * They hold no secret and no personal detail: the tenant id, a status, step ids, a flag.
 */
export const TenantId = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const OnboardingStatus = defineSearchAttributeKey('OnboardingStatus', SearchAttributeType.KEYWORD);
export const OpenSteps = defineSearchAttributeKey('OpenSteps', SearchAttributeType.KEYWORD_LIST);
export const WaitingOnHuman = defineSearchAttributeKey('WaitingOnHuman', SearchAttributeType.BOOL);
/** Set by the starter: the Zoom webhook finds an account's runs by it (an id, not a secret or a name). */
export const ZoomAccountId = defineSearchAttributeKey('ZoomAccountId', SearchAttributeType.KEYWORD);

/** The onboarding workflow's attributes. */
export const SEARCH_ATTRIBUTES = [TenantId, OnboardingStatus, OpenSteps, WaitingOnHuman, ZoomAccountId] as const;

/** On the per-tenant health workflow (beside TenantId): its last run's worst outcome, or pending, disabled, stopped, continued. */
export const HealthStatus = defineSearchAttributeKey('HealthStatus', SearchAttributeType.KEYWORD);

/** Every attribute a server must know before our workflows run (the dev server registers these; production registers them once). */
export const REGISTERED_SEARCH_ATTRIBUTES = [...SEARCH_ATTRIBUTES, HealthStatus] as const;
