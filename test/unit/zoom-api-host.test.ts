import { apiBaseFor } from '../../src/integrations/zoom/client';
import { zoomApiHost } from '../../src/integrations/zoom/oauth';

/**
 * Zoom's token answer names the account's API host (`api_url`). We follow it only to a Zoom host
 * over https, so a tampered answer cannot send our bearer token elsewhere; an explicit endpoint
 * (a simulator, a proxy) wins over it.
 */
describe('the api_url of a Zoom token answer', () => {
  it.each(['https://api.zoom.us', 'https://api.zoom.us/', 'https://api-eu.zoom.us', 'https://zoom.us'])('%s is a Zoom host and is followed', (url) => {
    expect(zoomApiHost(url)).toBe(new URL(url).origin);
  });

  it.each([
    'http://api.zoom.us',
    'https://api.zoom.us.evil.example',
    'https://evilzoom.us',
    'https://api.zoom.us:8443',
    'https://user:pw@api.zoom.us',
    'https://api.zoom.us/v2',
    'https://api.zoom.us/?x=1',
    'https://127.0.0.1',
    'not a url',
    '',
  ])('%j is not, and is ignored', (url) => {
    expect(zoomApiHost(url)).toBeUndefined();
  });

  it("an explicit endpoint wins; else the token's host with the API path; else the configured default", () => {
    expect(apiBaseFor('http://127.0.0.1:4000/v2', true, { apiUrl: 'https://api-eu.zoom.us' })).toBeUndefined();
    expect(apiBaseFor('https://api.zoom.us/v2', false, { apiUrl: 'https://api-eu.zoom.us' })).toBe('https://api-eu.zoom.us/v2');
    expect(apiBaseFor('https://api.zoom.us/v2', false, {})).toBeUndefined();
  });
});
