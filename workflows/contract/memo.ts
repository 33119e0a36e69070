import { z } from 'zod';

/**
 * What a run's memo holds, set by the starter: the Zoom account, so the Zoom webhook can find an
 * account's run without reading (decrypting) its input.
 */
export const OnboardingMemo = z.object({ zoomAccountId: z.string() });
export type OnboardingMemo = z.infer<typeof OnboardingMemo>;
