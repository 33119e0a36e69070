import { z } from 'zod';

/** Durations people write in a tenant file: `45s`, `30m`, `4h`, `1d`, `1w`, or a combination like `1d12h`. */
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const DURATION = /^(?:\d+[smhdw])+$/;

export function parseDuration(text: string): number {
  if (!DURATION.test(text)) throw new RangeError(`"${text}" is not a duration (use e.g. 30m, 4h, 1d, 1d12h)`);
  let ms = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)([smhdw])/g)) ms += Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return ms;
}

export const Duration = z
  .string()
  .regex(DURATION, 'expected a duration like 30m, 4h, 1d or 1d12h')
  .refine((v) => !DURATION.test(v) || parseDuration(v) > 0, 'must be longer than zero');

/** A duration of at least `min` (itself a duration, e.g. `5m`), refused below it with `why` (in parentheses). */
export const DurationAtLeast = (min: string, why: string) =>
  Duration.refine((v) => !DURATION.test(v) || parseDuration(v) >= parseDuration(min), `must be at least ${min} (${why})`);

/** `4h`, `1.5d`, `45s`: the largest unit that fits, to one decimal, without a trailing `.0`. */
export function formatDuration(ms: number): string {
  const [unit, size] = ms < 60_000 ? ['s', 1000] : ms < 3_600_000 ? ['m', 60_000] : ms < 86_400_000 ? ['h', 3_600_000] : ['d', 86_400_000];
  return `${Math.round((ms / (size as number)) * 10) / 10}${unit}`;
}
