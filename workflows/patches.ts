/**
 * VERSIONING: a change to what the workflow does (its commands) is guarded by `patched(id)`, so
 * runs started on older code replay as they ran and new runs take the new path. Each id stays
 * until no run started before it is open (then `deprecatePatch`, then removal), and
 * test/workflow/versioning.test.ts replays a history saved from the code before each patch.
 */
export const PATCHES = {
  /** 2026-11: tell the owner (log, and webhook when set) that the onboarding completed. */
  completionNotice: 'completion-notice',
  /** 2026-12: each audit entry is upserted into the memo (one event per entry), where the audit is read from history. */
  auditTrail: 'audit-trail',
  /** 2026-12: a long run continues as new (options.continueAsNewAfterEvents); a run from before never does. */
  continueAsNew: 'continue-as-new',
  /**
   * 2026-12: the run publishes its progress (and its summary, for lists) in its memo on each change,
   * so readers describe() it instead of asking the workflow (a query the worker must replay for).
   */
  readModel: 'read-model',
  /** 2026-12: the steps waiting on people, with since when, in the memo (WAITING_MEMO_KEY) for /metrics. */
  waitingMemo: 'waiting-memo',
  /** 2026-12: a completed onboarding starts the tenant's health workflow (a child it abandons); runs from before never do. */
  healthChecks: 'health-checks',
  /**
   * 2026-12: a Signal or a start sent without the payload codec is refused (ONBOARD_REFUSE_PLAIN_INPUT);
   * the marker records that this run refuses, so replays refuse the same messages (./plain-input.ts).
   */
  refusePlainInput: 'refuse-plain-input',
  /**
   * 2026-12: the read model split over memo keys and upserted once per workflow task with only the
   * keys that changed, audit entries and waiting steps included (./read-model.ts); replaces the
   * read-model, waiting-memo and audit-trail upserts for runs started on this code.
   */
  compactReadModel: 'compact-read-model',
} as const;
