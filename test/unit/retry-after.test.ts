import { parseRetryAfter } from '../../src/integrations/http';

describe('Retry-After', () => {
  const now = Date.parse('2025-08-22T23:59:00Z');
  it.each([
    ['7', 7000],
    ['0', 0],
    ['1.5', 1500],
    ['Sat, 23 Aug 2025 00:00:00 GMT', 60_000],
    ['2025-08-23T00:00:00Z', 60_000],
    ['2025-08-22T23:00:00Z', 0],
  ])('%s -> %d ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
  it.each([undefined, '', 'soon', '-5'])('%s -> no wait known', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});
