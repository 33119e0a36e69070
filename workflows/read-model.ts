import { upsertMemo } from '@temporalio/workflow';
import {
  AUDIT_ENTRIES_MEMO_KEY,
  type AuditEntry,
  type Progress,
  RUN_MEMO_KEY,
  type RunSummary,
  STEP_MEMO_PREFIX,
  SUMMARY_MEMO_KEY,
  TENANT_MEMO_KEY,
  WAITING_MEMO_KEY,
  type WaitingMemo,
} from './contract';

/**
 * The compact read model's publisher (patch `compact-read-model`): what changed in a workflow task
 * (the progress document split by key, the summary, the waiting steps, the new audit entries) goes
 * into history as one memo upsert carrying only the keys whose value changed. Before it, a run
 * upserted the whole progress document, the waiting steps and each audit entry separately:
 * 62 memo events and 714 KB of history in one onboarding, for about 28 workflow tasks.
 */
export class MemoPublisher {
  /** What each key last went out as (JSON), so an unchanged value is not sent again. */
  readonly #sent = new Map<string, string>();
  /** What each key last went out as (the value itself): a step document kept unchanged (./progress.ts) needs no JSON to compare. */
  readonly #sentValue = new Map<string, unknown>();
  #pending: Record<string, unknown> = {};
  #audit: AuditEntry[] = [];

  /** `fresh`: the memo holds none of these keys yet, so an empty waiting list need not be sent. */
  constructor(fresh: boolean) {
    if (fresh) this.#sent.set(WAITING_MEMO_KEY, '{}');
  }

  /** Sets a key for the next flush when its value differs from what was sent. */
  #set(key: string, value: unknown): void {
    if (this.#sentValue.get(key) === value) return;
    this.#sentValue.set(key, value);
    const json = JSON.stringify(value);
    if (this.#sent.get(key) === json) return;
    this.#sent.set(key, json);
    this.#pending[key] = value;
  }

  progress(p: Progress, summary: RunSummary): void {
    const { steps, tenant, ...run } = p;
    this.#set(RUN_MEMO_KEY, { ...run, steps: steps.map((s) => s.id) });
    if (tenant) this.#set(TENANT_MEMO_KEY, tenant);
    for (const s of steps) this.#set(`${STEP_MEMO_PREFIX}${s.id}`, s);
    this.#set(SUMMARY_MEMO_KEY, summary);
  }

  waiting(w: WaitingMemo): void {
    this.#set(WAITING_MEMO_KEY, w);
  }

  /** An audit entry, kept until the next flush (every entry bumps the run's version, so a flush follows). */
  audit(e: AuditEntry): void {
    this.#audit.push(e);
  }

  /** One memo upsert with everything that changed since the last, or nothing when nothing did. */
  flush(): void {
    if (this.#audit.length) {
      this.#pending[AUDIT_ENTRIES_MEMO_KEY] = this.#audit;
      this.#audit = [];
    }
    if (!Object.keys(this.#pending).length) return;
    upsertMemo(this.#pending);
    this.#pending = {};
  }
}
