import type { StepState } from './contract';

/** One step's life in a run. */
export interface StepRuntime {
  state: StepState;
  /** Bumped each time the step (re)opens, so an old reminder loop knows it is stale. */
  opening: number;
  openedAt?: string;
  startedAt?: string;
  completedAt?: string;
  /** When its person last handed in evidence (a verifier may take a while before completedAt). */
  claimedAt?: string;
  attempts: number;
  lastError?: string;
  completedBy?: string;
  evidence?: Record<string, unknown>;
  result?: Record<string, unknown>;
  skipReason?: string;
  reminders: number;
  escalated: boolean;
  /** Why it went back after it was finished, and what it had then (kept for its person to see). */
  reopened?: Reopening & { at: string };
  /** Every evidence handed in (accepted by the validator), oldest first: kept for the record, never cleared. */
  versions: EvidenceVersion[];
  previous?: Pick<StepRuntime, 'evidence' | 'result' | 'completedBy' | 'completedAt' | 'skipReason' | 'openedAt' | 'startedAt' | 'claimedAt'>;
}

/** Who sent finished steps back, why, and from where (the step reopened by hand, or `amendTenant`). */
export interface Reopening {
  by: string;
  reason: string;
  origin: string;
}

export interface EvidenceVersion {
  at: string;
  by: string;
  digest: string;
  evidence: Record<string, unknown>;
}
