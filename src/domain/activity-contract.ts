import type { TenantInput } from './tenant';

/**
 * What the workflow asks of its activities, as types only (the workflow bundle never imports the
 * implementations). Every input carries the tenant with secret references, never secret values.
 */
export interface StepActivityInput {
  tenant: TenantInput;
  /** When the step opened (ISO): "newest session since" and engagement windows start here. */
  since: string;
  /** Evidence handed in so far, by step id. */
  evidence: Record<string, Record<string, unknown>>;
  /** Results earlier steps recorded (e.g. the test call's session id), by step id. */
  results: Record<string, Record<string, unknown>>;
  skipped: string[];
  /** What this step's previous round answered as its checkpoint (a publish asked for and held for approval), so it does not act twice. */
  checkpoint?: Record<string, unknown>;
}

/** An automatic step either finished, or is waiting on the outside world and should be asked again. */
export type AutoResult =
  | { status: 'done'; result: Record<string, unknown> }
  /** Asked again later; `awaiting: 'approval'` when the vendor holds the work for an administrator (the step says so). */
  | { status: 'pending'; message: string; awaiting?: 'approval'; checkpoint?: Record<string, unknown> };

export interface VerifierInput extends StepActivityInput {
  stepId: string;
  claim: Record<string, unknown>;
}

/** A verifier's verdict on a person's claim; `ok: false` reopens the step with the message. */
export type VerifierResult = { ok: true; result: Record<string, unknown> } | { ok: false; message: string };

export interface NotifyInput {
  tenantId: string;
  displayName: string;
  owner: string;
  webhookUrl?: string;
  /** `health`: a live tenant's check got worse (firstInstruction says which and what the vendor answered). */
  kind: 'reminder' | 'escalation' | 'completed' | 'health';
  stepId: string;
  stepTitle: string;
  waitedMs: number;
  firstInstruction: string;
}

export interface OnboardingActivities {
  checkKoreAccess(input: StepActivityInput): Promise<AutoResult>;
  checkZoomAccess(input: StepActivityInput): Promise<AutoResult>;
  checkChatHistoryAccess(input: StepActivityInput): Promise<AutoResult>;
  verifyConversationSummary(input: StepActivityInput): Promise<AutoResult>;
  verifyZccFlowPublished(input: VerifierInput): Promise<VerifierResult>;
  /** route-zcc-flow-to-connector (version 4): the named flow exists; its id is recorded for the publish. */
  findZccFlow(input: VerifierInput): Promise<VerifierResult>;
  verifyChatHistoryScope(input: VerifierInput): Promise<VerifierResult>;
  verifyBotPublished(input: VerifierInput): Promise<VerifierResult>;
  findTestCallSession(input: VerifierInput): Promise<VerifierResult>;
  /** publish-app with the Admin Console app: status first (no second publish), then polled to the end. */
  publishKoreApp(input: StepActivityInput): Promise<AutoResult>;
  /** The ZCC flow's publish (flow:write), for the flow the route step found; a published flow is not published again. */
  publishZccFlow(input: StepActivityInput): Promise<AutoResult>;
  /** XO GPT settings from the tenant's golden bot: backup export, import of genAIandLLMSettings only, verified by export. */
  importGenAiSettings(input: StepActivityInput): Promise<AutoResult>;
  /**
   * The SIP preflight of create-zoom-connector's domain (SRV, TLS and certificate, SIP OPTIONS):
   * done with the report (`verdict` ok or warning), pending while a failure may still be propagation,
   * then a non-retryable PreflightFailed naming each failed target.
   */
  sipPreflight(input: StepActivityInput): Promise<AutoResult>;
  notify(input: NotifyInput): Promise<{ delivered: boolean }>;
}

type NamesReturning<R> = {
  [K in keyof OnboardingActivities]: OnboardingActivities[K] extends (input: never) => Promise<R> ? K : never;
}[keyof OnboardingActivities];
/** Activities that do an automatic step (a step file names one). */
export type AutoActivity = NamesReturning<AutoResult>;
/** Activities that check a person's claim (a step file names one as its verifier). */
export type VerifierActivity = NamesReturning<VerifierResult>;

/** Failure types an activity raises that retrying will not fix: the step needs a person. */
export const NON_RETRYABLE_TYPES = ['AuthRejected', 'ScopeMissing', 'NotFound', 'InvalidRequest', 'UnexpectedResponse', 'SecretUnavailable'];
