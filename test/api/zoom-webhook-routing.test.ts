import type { FastifyInstance } from 'fastify';
import { TokenBook } from '../../src/api/auth';
import { sign } from '../../src/api/routes/zoom-webhook';
import { buildApi } from '../../src/api/server';
import { publicTenant, type TenantInput } from '../../src/domain/tenant';
import { createLogger } from '../../src/log';
import { playPeople, registerTenant } from '../../src/people';
import { FAST, startHarness, tenantFile, type Harness } from '../support/onboarding';

/**
 * Two onboardings on one Zoom account (two bots behind one contact center), both waiting for
 * their test call. A Zoom engagement event completes the test call of only the run whose call it
 * was: the one whose verified ZCC flow is the event's flow; an event without a flow completes
 * nothing while two runs wait (it cannot tell them apart), and the account's last one once alone.
 */
const SECRET = 'zoom-webhook-routing-secret';
let h: Harness;
let api: FastifyInstance;
beforeAll(async () => {
  h = await startHarness();
  api = await buildApi({
    config: { ...h.config, api: { ...h.config.api, zoomWebhookSecret: SECRET } },
    client: h.client,
    logger: createLogger({ name: 'webhook-routing' }),
    tokens: new TokenBook([{ name: 'Pat', role: 'engineer', token: 'engineer-token-0123456789abcdef' }]),
    taskQueue: h.taskQueue,
    onboardingOptions: FAST,
  });
});
afterAll(async () => {
  await api?.close();
  await h?.stop();
});

/** The people do everything up to the test call; each tenant routes its own flow. */
async function walkToTestCall(tenant: TenantInput, flowName: string): Promise<void> {
  const stop = new Error('stop before the test call');
  await expect(
    playPeople({
      desk: h.onboardings,
      consoles: h.consoles,
      tenant: publicTenant(tenant),
      parallel: false,
      person: async (step, script) => {
        if (step === 'place-test-call') throw stop;
        if (step !== 'route-zcc-flow-to-connector') return script();
        await h.consoles.addFlow({ accountId: tenant.zoom.accountId, flowName, status: 'published' });
        return { flowName };
      },
    }),
  ).rejects.toBe(stop);
}

async function event(accountId: string, object: Record<string, unknown>) {
  const body = JSON.stringify({ event: 'contact_center.engagement_ended', event_ts: Date.now(), payload: { account_id: accountId, object } });
  const ts = String(Math.floor(Date.now() / 1000));
  const res = await api.inject({
    method: 'POST',
    url: '/webhooks/zoom',
    payload: body,
    headers: { 'content-type': 'application/json', 'x-zm-request-timestamp': ts, 'x-zm-signature': sign(SECRET, ts, body) },
  });
  expect(res.statusCode).toBe(204);
}

const testCall = async (tenantId: string) => (await h.step(tenantId, 'place-test-call')).state;
const flowOf = async (tenantId: string) => String((await h.step(tenantId, 'route-zcc-flow-to-connector')).result?.flowId);

it('an event completes only the run whose flow it names; without a flow, only a run that is alone', async () => {
  const a = tenantFile();
  const b = tenantFile({ zoom: { ...a.zoom } });
  await registerTenant(h.consoles, publicTenant(a), { kore: a.kore.clientSecret, zoom: a.zoom.clientSecret });
  await h.consoles.registerKoreTenant({ clientId: b.kore.clientId, clientSecret: b.kore.clientSecret, botId: b.kore.botId });
  const ta = await h.start(a, FAST, false);
  const tb = await h.start(b, FAST, false);
  await walkToTestCall(ta, 'Flow A');
  await walkToTestCall(tb, 'Flow B');
  expect([await testCall(a.tenantId), await testCall(b.tenantId)]).toEqual(['open', 'open']);

  await event(a.zoom.accountId, { engagement_id: 'eng-none' });
  await new Promise((r) => setTimeout(r, 500));
  expect([(await h.step(a.tenantId, 'place-test-call')).attempts, (await h.step(b.tenantId, 'place-test-call')).attempts]).toEqual([0, 0]);

  await event(a.zoom.accountId, { engagement_id: 'eng-b', flow_id: await flowOf(b.tenantId) });
  // B's claim reached B (its verifier then finds no session, since no call was placed here): A is untouched.
  await h.until(b.tenantId, (p) => p.steps.find((s) => s.id === 'place-test-call')!.attempts > 0);
  expect((await h.step(a.tenantId, 'place-test-call')).attempts).toBe(0);

  // With B gone, A waits alone: an event without a flow is unambiguous.
  await h.onboardings.cancel(b.tenantId, { reason: 'test: B is done with', by: 't' });
  await h.onboardings.result(b.tenantId);
  for (let i = 0; i < 50 && (await h.onboardings.awaitingTestCall(a.zoom.accountId)).length !== 1; i++) await new Promise((r) => setTimeout(r, 200));
  await event(a.zoom.accountId, { engagement_id: 'eng-a' });
  await h.until(a.tenantId, (p) => p.steps.find((s) => s.id === 'place-test-call')!.attempts > 0);
  expect((await h.step(a.tenantId, 'place-test-call')).attempts).toBe(1);
  await h.onboardings.cancel(a.tenantId, { reason: 'test done', by: 't' });
});
