import { z } from 'zod';
import { StepState } from './progress';

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

/**
 * The memo key of the steps waiting on people (patch `waiting-memo`), upserted when they change:
 * each step's state, since when it waits in it, and whether it was escalated. The API's /metrics
 * counts them by age from one visibility list, without asking each run. Step ids, states and
 * times only: nothing a person handed in.
 */
export const WAITING_MEMO_KEY = 'waiting';
export const WaitingStep = z.object({ state: StepState, since: z.string(), escalated: z.boolean() });
export type WaitingStep = z.infer<typeof WaitingStep>;
export const WaitingMemo = z.record(z.string(), WaitingStep);
export type WaitingMemo = z.infer<typeof WaitingMemo>;
