/**
 * The application layer: the one way in for the CLI, the API, the scripted people, the benchmark
 * and the tests. Callers see the workflow only through the contract types re-exported here.
 */
export { CONSISTENT_READ_DEADLINE_MS, Onboardings } from './onboardings';
export { eventIdOf, RunWatchers } from './watch';
export type { OnboardingsOptions, Started, Starter, UpdateOptions } from './types';
export type { WaitingStepView } from './visibility';
export { AuditQuery } from './audit';
export { Offboarding, readOffboarding } from './offboard';
export { connectorDomainOf, describeTarget, NoConnectorDomain, preflightDomain, tenantConnectorDomain } from './preflight';
export type { PreflightReport, TargetReport, Verdict } from './preflight';
export { buildRecord, CONTENT_TYPES, RECORD_FORMATS, RecordFormat, SignOffRecord } from './record';
export { escapeHtml, escapeMarkdown, formatDuration, renderHtml, renderMarkdown, renderRecord } from './record-render';
export { HealthConflict, HealthNotFound, OnboardingConflict, OnboardingNotFound, Refused, TenantRejected } from './errors';
export {
  HealthChecks,
  HEALTH_CHECKS,
  HEALTH_CHECK_TITLES,
  HEALTH_STATUSES,
  HealthCheckId,
  HealthOutcome,
  HealthStatusValue,
  HealthView,
  CheckResult,
} from './health';
export { InvalidPageToken, ListQuery, OnboardingSummary } from '../temporal/list';
export {
  AmendTenantInput,
  Amendment,
  AuditEntry,
  AuditPage,
  Caller,
  Via,
  VIAS,
  CancelInput,
  CompleteStepInput,
  DEFAULT_ONBOARDING_OPTIONS,
  ONBOARDING_STATUSES,
  OnboardingOptions,
  OnboardingStatus,
  Person,
  Progress,
  REFUSALS,
  REFUSAL_CODES,
  ReopenAnswer,
  ReopenStepInput,
  RetryStepInput,
  RunSummary,
  ShownTenant,
  SkipStepInput,
  StepProgress,
  StepState,
  TenantChanges,
  STEP_STATES,
  UpdateAnswer,
  type FieldError,
  type RefusalCode,
} from '../../workflows/contract';
