import axios from 'axios';
import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { loadConfig } from '../../src/config';
import { KoreClient } from '../../src/integrations/kore/client';
import { KORE_SCOPES } from '../../src/integrations/kore/scopes';
import { ZoomClient } from '../../src/integrations/zoom/client';
import { createLogger } from '../../src/log';
import { Secret } from '../../src/secret';
import { startWorld, TENANT, TEST_SECRETS } from '../support/fixtures';
import { readableHistory } from '../support/history';
import { findLeaks, secretForms } from '../support/leaks';
import { SERVER_LOG, SUITE_LOG, TEST_STATE_DIR } from '../support/paths';

const ERRORS_FILE = path.join(TEST_STATE_DIR, 'errors-rendered.log');

/**
 * Drives every failure path of both clients with debug logging on, renders each error every way a
 * program might (message, stack, util.inspect, JSON, pino), and then searches all of it, plus the
 * suite log and the Temporal server log, for the configured secrets and the Zoom access token.
 */
describe('secrets never reach a log line or an error', () => {
  it('finds none of the configured secrets anywhere the suite wrote', async () => {
    const w = await startWorld();
    const log = createLogger({ name: 'leak-sweep', level: 'trace' });
    const rendered: string[] = [];
    const capture = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
        log.info({ what }, 'call succeeded');
      } catch (err) {
        log.error({ err, what }, 'call failed');
        rendered.push(String(err), (err as Error).stack ?? '', inspect(err, { depth: 10, showHidden: true }), JSON.stringify(err));
      }
    };
    const koreUrl = w.sims.kore.url;
    const zoomAdmin = `${w.sims.zoom.url}/__sim`;
    try {
      const session = w.sims.kore.world.addSession(TENANT.kore.botId, {});
      await capture('kore ok', () => w.kore.getConversationDetails(TENANT.kore.botId, { sessionId: session.sessionId, isSummaryRequired: true }));
      await capture('zoom ok', () => w.zoom.listFlows());
      const zoomToken = (await w.zoom.tokens.token()).value.reveal();

      // Kore: bad secret, unknown bot, missing scope, 429, 5xx, hang-up, timeout, junk body.
      const badKore = new KoreClient({
        baseUrl: koreUrl,
        credentials: { clientId: TENANT.kore.clientId, clientSecret: `${TEST_SECRETS.koreClientSecret}-x` },
        logger: log,
      });
      await capture('kore bad secret', () => badKore.listSessions(TENANT.kore.botId));
      await capture('kore unknown bot', () => w.kore.listSessions('st-unknown'));
      await axios.delete(`${koreUrl}/__sim/apps/${TENANT.kore.clientId}/scopes/${encodeURIComponent(KORE_SCOPES.chatHistory)}`);
      await capture('kore scope', () => w.kore.getChatHistory(TENANT.kore.botId, { sessionId: [session.sessionId] }));
      for (const fault of [{ status: 429, retryAfter: '3' }, { status: 500 }, { drop: true }, { status: 200, body: { junk: true } }]) {
        await axios.post(`${koreUrl}/__sim/faults`, { path: '*', count: 1, ...fault });
        await capture(`kore fault ${JSON.stringify(fault)}`, () => w.kore.listSessions(TENANT.kore.botId));
      }
      await axios.post(`${koreUrl}/__sim/faults`, { path: '*', count: 1, latencyMs: 2000 });
      const slowKore = new KoreClient({
        baseUrl: koreUrl,
        credentials: { clientId: TENANT.kore.clientId, clientSecret: TEST_SECRETS.koreClientSecret },
        timeoutMs: 200,
        logger: log,
      });
      await capture('kore timeout', () => slowKore.listSessions(TENANT.kore.botId));

      // Zoom: bad secret, missing scope, expired token, 429 (both kinds), 5xx, hang-up, unreachable.
      const badZoom = new ZoomClient({
        apiUrl: w.sims.zoom.apiUrl,
        oauthUrl: w.sims.zoom.oauthUrl,
        credentials: { accountId: TENANT.zoom.accountId, clientId: TENANT.zoom.clientId, clientSecret: `${TEST_SECRETS.zoomClientSecret}-x` },
        logger: log,
      });
      await capture('zoom bad secret', () => badZoom.listUsers());
      await axios.delete(`${zoomAdmin}/accounts/${TENANT.zoom.accountId}/scopes/contact_center_report:read:admin`);
      await capture('zoom scope', () => w.zoom.listEngagements());
      for (const fault of [{ status: 429, retryAfter: '2' }, { status: 429, headers: { 'x-ratelimit-type': 'QPS' } }, { status: 503 }, { drop: true }]) {
        await axios.post(`${zoomAdmin}/faults`, { path: '/v2/contact_center/users', count: 1, ...fault });
        await capture(`zoom fault ${JSON.stringify(fault)}`, () => w.zoom.listUsers());
      }
      await axios.post(`${zoomAdmin}/faults`, { path: '/oauth/token', count: 1, drop: true });
      await axios.post(`${zoomAdmin}/accounts/${TENANT.zoom.accountId}/tokens/expire`, {});
      await capture('zoom token endpoint hang-up', () => w.zoom.listQueues());
      const unreachable = new ZoomClient({
        apiUrl: 'http://127.0.0.1:9/v2',
        oauthUrl: 'http://127.0.0.1:9/oauth/token',
        credentials: { accountId: TENANT.zoom.accountId, clientId: TENANT.zoom.clientId, clientSecret: TEST_SECRETS.zoomClientSecret },
        logger: log,
      });
      await capture('zoom unreachable', () => unreachable.listQueues());

      // Objects that hold secrets print without them.
      rendered.push(
        String(w.kore),
        inspect(w.kore, { depth: 10, showHidden: true }),
        JSON.stringify(w.zoom),
        inspect(w.zoom, { depth: 10, showHidden: true }),
        inspect(w.zoom.tokens, { depth: 10, showHidden: true }),
        inspect(new Secret(TEST_SECRETS.koreAdminSecret)),
        JSON.stringify({ s: new Secret(TEST_SECRETS.koreAdminSecret) }),
        inspect(loadConfig({})),
      );
      log.info({ clientSecret: TEST_SECRETS.koreClientSecret, headers: { authorization: `Bearer ${zoomToken}` } }, 'redaction check');
      fs.writeFileSync(ERRORS_FILE, rendered.join('\n'));

      expect(rendered.length).toBeGreaterThan(40); // the sweep really produced errors
      const logged = fs.readFileSync(SUITE_LOG, 'utf8');
      expect(logged).toContain('kore.listSessions'.replace('listSessions', 'getSessions')); // and logs
      expect(logged).toContain('ScopeMissing');
      const leaks = findLeaks([SUITE_LOG, ERRORS_FILE, SERVER_LOG], secretForms([zoomToken]));
      expect(leaks).toEqual([]);
    } finally {
      await w.stop();
    }
  });

  it('the scan itself would catch a leak', () => {
    const file = path.join(TEST_STATE_DIR, 'planted.log');
    fs.writeFileSync(file, `ok\nsomething ${TEST_SECRETS.zoomClientSecret} leaked\n`);
    expect(findLeaks([file], secretForms())).toHaveLength(1);
    // ...and one hidden in a base64 history payload, as `temporal workflow show` prints them.
    const payload = Buffer.from(JSON.stringify({ clientSecret: TEST_SECRETS.koreClientSecret })).toString('base64');
    const history = JSON.stringify({ events: [{ input: { payloads: [{ metadata: { encoding: 'anNvbi9wbGFpbg==' }, data: payload }] } }] });
    fs.writeFileSync(file, readableHistory(history));
    expect(findLeaks([file], secretForms())).toHaveLength(1);
    fs.rmSync(file);
    // ...and a file it should read that is not there fails the scan rather than passing it.
    expect(() => findLeaks([file], secretForms())).toThrow(`leak scan: ${file} is missing`);
  });
});
