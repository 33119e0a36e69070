import type { FastifyInstance } from 'fastify';
import { TokenBook } from '../../src/api/auth';
import { buildApi } from '../../src/api/server';
import { OnboardingNotFound } from '../../src/app';
import { createLogger } from '../../src/log';
import { startHarness, tenantFile, type Harness } from '../support/onboarding';

/** A tenant's reminder webhook is checked when the run starts, not first when a reminder is due. */
const ENGINEER = 'engineer-token-webhook-0123456789';
let h: Harness;
const apis: FastifyInstance[] = [];
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  for (const a of apis) await a.close();
  await h?.stop();
});

const api = async (allowLocalWebhooks: boolean) => {
  const a = await buildApi({
    config: { ...h.config, outbound: { allowLocalWebhooks } },
    client: h.client,
    logger: createLogger({ name: 'webhook-test' }),
    tokens: new TokenBook([{ name: 'Pat', role: 'engineer', token: ENGINEER }]),
    taskQueue: h.taskQueue,
  });
  apis.push(a);
  return a;
};
let last = tenantFile();
const start = (a: FastifyInstance, notifyWebhookUrl: string) => {
  last = tenantFile({ contacts: { owner: 'o@acme.example', notifyWebhookUrl } });
  return a.inject({ method: 'POST', url: '/api/v1/onboardings', headers: { authorization: `Bearer ${ENGINEER}` }, payload: last });
};

it('outside dev, a webhook on a private address or over http is refused with the field named; nothing starts', async () => {
  const a = await api(false);
  for (const [url, message] of [
    ['http://hooks.example.com/x', 'must be an https URL'],
    ['https://10.0.0.7/hook', 'must not point at a loopback, private or reserved address (10.0.0.7)'],
    ['https://metadata.internal/hook', 'must name a public host (metadata.internal)'],
  ]) {
    const res = await start(a, url!);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'InvalidInput', errors: [{ field: 'body.contacts.notifyWebhookUrl', message }] });
    // No run: Temporal does not know the workflow (the app's "not found", from describe()).
    await expect(h.onboardings.memo(last.tenantId)).rejects.toBeInstanceOf(OnboardingNotFound);
  }
  const ok = await start(a, 'https://hooks.example.com/services/x');
  expect(ok.statusCode).toBe(201);
});

it('in dev, a local http receiver is allowed', async () => {
  const res = await start(await api(true), 'http://127.0.0.1:9/hook');
  expect(res.statusCode).toBe(201);
});
