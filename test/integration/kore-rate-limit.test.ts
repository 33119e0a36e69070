import { isIntegrationError, type IntegrationError } from '../../src/integrations/errors';
import { KoreClient } from '../../src/integrations/kore/client';
import { KoreRateWindows, rateKeyOf } from '../../src/integrations/kore/rate-windows';
import { startSimulators, type Simulators } from '../../src/sim';
import { SimAdminClient } from '../../src/sim/admin-client';

/**
 * Kore.ai limits analytics calls to 60 a minute and 1,800 an hour per bot, and does not document
 * a Retry-After. A refusal must turn into a wait until the limit's window ends (the vendor's
 * Retry-After when it gives one, else from our own count of calls), said in words a person can
 * act on, never a retry policy of minutes that gives up inside an hour-long window.
 */
let sims: Simulators;
let admin: SimAdminClient;
const APP = { clientId: 'cs-rate-1', clientSecret: 'kore-rate-secret-1c2d', botId: 'st-rate-1' };
beforeAll(async () => {
  sims = await startSimulators();
  admin = new SimAdminClient(sims.admin);
  await admin.registerKoreTenant(APP);
});
afterAll(() => sims?.stop());
afterEach(() => admin.clearFaults('kore'));

const client = (rateWindows = new KoreRateWindows()) => new KoreClient({ baseUrl: sims.kore.url, credentials: APP, rateWindows });
async function refusal(c: KoreClient): Promise<IntegrationError> {
  try {
    await c.listSessions(APP.botId, { limit: 1 });
  } catch (err) {
    if (isIntegrationError(err, 'RateLimited')) return err;
    throw err;
  }
  throw new Error('not refused');
}

describe('our own count of Kore.ai calls per bot', () => {
  it('a full minute window frees when its oldest call is a minute old; a full hour window likewise; otherwise a minute from now', () => {
    const w = new KoreRateWindows();
    const now = 10_000_000;
    expect(w.freeAt('st-a', now)).toBe(now + 60_000);
    for (let i = 0; i < 60; i++) w.record('st-a', now - 30_000 + i);
    expect(w.freeAt('st-a', now)).toBe(now - 30_000 + 60_000);
    expect(w.freeAt('st-b', now)).toBe(now + 60_000);
    for (let i = 0; i < 1800; i++) w.record('st-c', now - 3_000_000 + i * 1000);
    expect(w.freeAt('st-c', now)).toBe(now - 3_000_000 + 3_600_000);
  });

  it('counts by the bot in the path, else by the app', () => {
    expect(rateKeyOf('/api/public/bot/st-x/getSessions', 'cs-1')).toBe('st-x');
    expect(rateKeyOf('/api/public/bots', 'cs-1')).toBe('app:cs-1');
    expect(rateKeyOf('/api/public/bot/st-x/publish/status', 'cs-1')).toBe('st-x:publish-status');
  });
});

describe('a 429 from Kore.ai', () => {
  it('without Retry-After: wait until our count says the window ends, and say until when', async () => {
    await admin.addFault('kore', { path: '/api/public/bot/:botId/getSessions', status: 429, count: 1 });
    const windows = new KoreRateWindows();
    const now = Date.now();
    for (let i = 0; i < 59; i++) windows.record(APP.botId, now - 20_000);
    const err = await refusal(client(windows));
    // 59 earlier calls plus this one fill the minute: it frees 40 s from now.
    expect(err.retryAfterMs).toBeGreaterThan(35_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(40_000);
    expect(err.message).toMatch(
      /^kore\.getSessions: Kore\.ai rate limit for this bot until (\d\d:\d\dZ|\d{4}-\d\d-\d\d \d\d:\d\dZ) \(429 .*Kore gave no Retry-After, so this is from our own count of calls\); will retry then$/,
    );
  });

  it("with Retry-After: the vendor's word wins", async () => {
    await admin.addFault('kore', { path: '/api/public/bot/:botId/getSessions', status: 429, retryAfter: '900', count: 1 });
    const err = await refusal(client());
    expect(err.retryAfterMs).toBeGreaterThan(899_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(900_000);
    expect(err.message).not.toMatch(/own count/);
  });

  it('holds back every client of the process for that bot until then, without asking Kore.ai again', async () => {
    await admin.addFault('kore', { path: '/api/public/bot/:botId/getSessions', status: 429, retryAfter: '900', count: 1 });
    const shared = new KoreRateWindows();
    await refusal(client(shared));
    await admin.clearCalls('kore');
    const held = await refusal(client(shared));
    expect(held.retryAfterMs).toBeGreaterThan(890_000);
    expect(held.message).toMatch(/Kore\.ai rate limit for this bot until .* \(a refusal a moment ago\); will retry then$/);
    expect(JSON.stringify(await admin.calls('kore'))).not.toContain('getSessions');
  });
});
