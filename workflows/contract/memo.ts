import { z } from 'zod';

/**
 * What a run's memo holds, set by the starter: the Zoom account, so the Zoom webhook can find an
 * account's run without reading (decrypting) its input.
 */
export const OnboardingMemo = z.object({ zoomAccountId: z.string() });
export type OnboardingMemo = z.infer<typeof OnboardingMemo>;

/**
 * The read model: the run's progress document and its summary, upserted into the memo (encrypted
 * by the payload codec like every payload) on each change of the run, at most once per workflow
 * task and only when something changed. Readers get them from describe() (progress) and from
 * visibility (the summary, with each row of a list) without the worker replaying the run.
 */
export const PROGRESS_MEMO_KEY = 'progress';
export const SUMMARY_MEMO_KEY = 'summary';
