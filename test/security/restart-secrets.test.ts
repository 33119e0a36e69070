import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { TokenBook } from '../../src/api/auth';
import { buildApi } from '../../src/api/server';
import { createLogger } from '../../src/log';
import { resolveSecretRef } from '../../src/secret-store';
import { TEST_SECRETS } from '../support/fixtures';
import { startHarness, tenantFile, type Harness } from '../support/onboarding';

/**
 * Issue 12, finding 3: a refused start (409, the tenant's onboarding is running) must not touch the
 * running onboarding's secrets. Each start stores its inline secrets in files of its own; a failed
 * start removes them, a successful one removes the tenant's older files its run does not use.
 */
const ENGINEER = 'engineer-token-restart-secrets-0123456789';
const ROTATED = 'kore-rotated-value-never-used-7c1d';
let h: Harness;
let api: FastifyInstance;
beforeAll(async () => {
  h = await startHarness();
  api = await buildApi({
    config: h.config,
    client: h.client,
    logger: createLogger({ name: 'restart-secrets-test' }),
    tokens: new TokenBook([{ name: 'Pat', role: 'engineer', token: ENGINEER }]),
    taskQueue: h.taskQueue,
  });
});
afterAll(async () => {
  await api?.close();
  await h?.stop();
});

const post = (body: unknown) =>
  api.inject({ method: 'POST', url: '/api/v1/onboardings', headers: { authorization: `Bearer ${ENGINEER}` }, payload: body as Record<string, unknown> });
const resolve = async (ref: string, tenantId: string) =>
  (await resolveSecretRef(ref, { store: h.config.secrets.storeDir, tenantId, policy: h.config.secrets })).reveal();
const storeFiles = (tenantId: string) => fs.readdirSync(path.join(h.stateDir, 'secrets', tenantId)).sort();

it("re-posting a running tenant with a new secret answers 409 and leaves the running run's secrets as they were", async () => {
  const file = tenantFile();
  const a = await h.start(file);
  await h.until(a.tenantId, h.stepIs('verify-kore-access', 'done'));
  const runFiles = storeFiles(a.tenantId);

  const again = await post({ ...file, kore: { ...file.kore, clientSecret: ROTATED } });
  expect({ status: again.statusCode, code: again.json().code }).toEqual({ status: 409, code: 'OnboardingRunning' });
  expect(await resolve(a.kore.clientSecret, a.tenantId)).toBe(TEST_SECRETS.koreClientSecret);
  // The refused start left nothing behind.
  expect(storeFiles(a.tenantId)).toEqual(runFiles);

  // The running onboarding still makes its Kore.ai calls with the secret it started with.
  const done = await h.completeAll(a);
  expect([done.status, done.steps.filter((s) => s.state !== 'done').map((s) => [s.id, s.state, s.lastError])]).toEqual(['completed', []]);

  // A new start after the run ended (closed, not only reporting completed): its own files, and the ended run's are gone.
  await h.onboardings.result(a.tenantId);
  const next = await post(file);
  expect(next.statusCode).toBe(201);
  const files = storeFiles(a.tenantId);
  expect(files).toHaveLength(2);
  expect(files.some((f) => runFiles.includes(f))).toBe(false);
  const kore = files.find((f) => f.startsWith('kore.clientSecret'))!;
  expect(await resolve(`store:${a.tenantId}/${kore}`, a.tenantId)).toBe(TEST_SECRETS.koreClientSecret);
});
