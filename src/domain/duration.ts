import { z } from 'zod';
import { lazySchema } from './lazy-schema';

/** Durations people write in a tenant file: `45s`, `30m`, `4h`, `1d`, `1w`, or a combination like `1d12h`. */
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const DURATION = /^(?:\d+[smhdw])+$/;

export function parseDuration(text: string): number {
  if (!DURATION.test(text)) throw new RangeError(`"${text}" is not a duration (use e.g. 30m, 4h, 1d, 1d12h)`);
  let ms = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)([smhdw])/g)) ms += Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return ms;
}

export const Duration = lazySchema(() =>
  z
    .string()
    .regex(DURATION, 'expected a duration like 30m, 4h, 1d or 1d12h')
    .refine((v) => !DURATION.test(v) || parseDuration(v) > 0, 'must be longer than zero'),
);

/**
 * A duration of at least `min` (itself a duration, e.g. `5m`), refused below it with `why` (in
 * parentheses). The OpenAPI document states the floor as a pattern: some one part reaches it alone
 * (`5m`, `300s`, `1h`, `1d1s`); parts that only reach it together (`4m60s`) pass here but not there.
 */
export const DurationAtLeast = (min: string, why: string) =>
  Duration.refine((v) => !DURATION.test(v) || parseDuration(v) >= parseDuration(min), `must be at least ${min} (${why})`).meta({
    pattern: durationAtLeastPattern(parseDuration(min)),
  });

/** A duration pattern with at least one part of `minMs` or more. */
function durationAtLeastPattern(minMs: number): string {
  const part = String.raw`\d+[smhdw]`;
  const enough = Object.entries(UNIT_MS).map(([unit, ms]) => `${atLeast(Math.ceil(minMs / ms))}${unit}`);
  return `^(?:${part})*(?:${enough.join('|')})(?:${part})*$`;
}

/** Decimal numbers (leading zeros allowed) of at least `n` (n >= 1), as a pattern. */
function atLeast(n: number): string {
  const d = String(n);
  const alternatives = [`[1-9]\\d{${d.length},}`, d];
  for (let i = 0; i < d.length; i++) {
    const digit = Number(d[i]);
    if (digit < 9) alternatives.push(`${d.slice(0, i)}[${digit + 1}-9]${'\\d'.repeat(d.length - i - 1)}`);
  }
  return `0*(?:${alternatives.join('|')})`;
}

/** `4h`, `1.5d`, `45s`: the largest unit that fits, to one decimal, without a trailing `.0`. */
export function formatDuration(ms: number): string {
  const [unit, size] = ms < 60_000 ? ['s', 1000] : ms < 3_600_000 ? ['m', 60_000] : ms < 86_400_000 ? ['h', 3_600_000] : ['d', 86_400_000];
  return `${Math.round((ms / (size as number)) * 10) / 10}${unit}`;
}
