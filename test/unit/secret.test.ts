import { inspect } from 'node:util';
import { Secret } from '../../src/secret';
import { koreBaseUrl } from '../../src/integrations/kore/regions';

describe('Secret', () => {
  const s = new Secret('hunter2-very-secret');
  it('reveals only on request', () => {
    expect(s.reveal()).toBe('hunter2-very-secret');
  });
  it('prints as [redacted] every way', () => {
    const all = [String(s), `${s}`, JSON.stringify({ s }), inspect(s), inspect({ nested: { s } }, { depth: 5, showHidden: true })].join(' ');
    expect(all).not.toContain('hunter2');
    expect(all).toContain('[redacted]');
  });
  it('refuses an empty secret', () => {
    expect(() => new Secret('')).toThrow(/non-empty/);
  });
});

describe('Kore.ai regions', () => {
  it('maps a region to its host, with configured overrides first', () => {
    expect(koreBaseUrl('us')).toBe('https://platform.kore.ai');
    expect(koreBaseUrl('de')).toBe('https://de-platform.kore.ai');
    expect(koreBaseUrl('eu', { regionUrls: { eu: 'https://eu.example' } })).toBe('https://eu.example');
    expect(koreBaseUrl('jp', { baseUrl: 'http://127.0.0.1:4301' })).toBe('http://127.0.0.1:4301');
    expect(() => koreBaseUrl('mars')).toThrow(/unknown Kore.ai region "mars" \(known: us, us-legacy/);
  });
});
