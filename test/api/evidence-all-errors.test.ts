import type { FastifyInstance } from 'fastify';
import { TokenBook } from '../../src/api/auth';
import { buildApi } from '../../src/api/server';
import { createLogger } from '../../src/log';
import { FAST, startHarness, type Harness } from '../support/onboarding';

/**
 * Every error of a submission at once (issue 19 part 2): the workflow's Update validator checks the
 * evidence's schema first and its cross-check (a value compared with earlier evidence or the
 * tenant) only once the schema passes, so on its own a person would learn of a wrong flow name one
 * submission after fixing the SIP URI. The app adds the cross-checks it can run on the fields that
 * passed to the same refusal, worded as the workflow words them.
 */
const ENGINEER = 'all-errors-engineer-token-0123456789';
let h: Harness;
let api: FastifyInstance;
beforeAll(async () => {
  h = await startHarness();
  api = await buildApi({
    config: h.config,
    client: h.client,
    logger: createLogger({ name: 'all-errors-test' }),
    tokens: new TokenBook([{ name: 'Pat Engineer', role: 'engineer', token: ENGINEER }]),
    taskQueue: h.taskQueue,
    onboardingOptions: FAST,
  });
});
afterAll(async () => {
  await api?.close();
  await h?.stop();
});

const complete = (tenantId: string, stepId: string, evidence: Record<string, unknown>) =>
  api.inject({
    method: 'POST',
    url: `/api/v1/onboardings/${tenantId}/steps/${stepId}/complete`,
    headers: { authorization: `Bearer ${ENGINEER}` },
    payload: { evidence },
  });

it('refuses a wrong SIP URI and a flow name that is not the one named earlier in one answer, as the workflow words each', async () => {
  const tenant = await h.start();
  await h.until(tenant.tenantId, h.stepIs('create-zoom-connector', 'open', 'waiting-for-human'));
  await h.act(tenant, 'associate-experience-flow');
  await h.act(tenant, 'create-zoom-connector');
  await h.until(tenant.tenantId, h.stepIs('configure-sip-trunk', 'open', 'waiting-for-human'));
  const named = (await h.step(tenant.tenantId, 'associate-experience-flow')).evidence!.experienceFlowName as string;

  const both = await complete(tenant.tenantId, 'configure-sip-trunk', { sipUri: 'not a uri', attachedFlowName: 'Some other flow' });
  expect(both.statusCode).toBe(422);
  const flowError = `"Some other flow" is not the flow named in associate-experience-flow ("${named}"); attach that flow`;
  expect(both.json().code).toBe('InvalidEvidence');
  expect(both.json().errors).toEqual([
    { field: 'evidence.sipUri', message: expect.stringMatching(/^"not a uri" /) },
    { field: 'evidence.attachedFlowName', message: flowError },
  ]);
  expect(both.json().detail).toContain(`evidence.attachedFlowName ${flowError}`);

  // The next submission, the SIP URI fixed: the workflow's own cross-check says the same of the flow.
  const next = await complete(tenant.tenantId, 'configure-sip-trunk', { sipUri: 'sip:14155550101@voice.kore.sim', attachedFlowName: 'Some other flow' });
  expect(next.json()).toMatchObject({ status: 422, code: 'EvidenceMismatch', errors: [{ field: 'evidence.attachedFlowName', message: flowError }] });

  // A field wrong by its own schema is not cross-checked too (one error per field), and a right one adds nothing.
  const blank = await complete(tenant.tenantId, 'configure-sip-trunk', { sipUri: 'not a uri', attachedFlowName: '' });
  expect(blank.json().errors.map((e: { field: string }) => e.field)).toEqual(['evidence.sipUri', 'evidence.attachedFlowName']);
  expect(blank.json().errors[1].message).not.toContain('is not the flow named');
  const oneWrong = await complete(tenant.tenantId, 'configure-sip-trunk', { sipUri: 'not a uri', attachedFlowName: named });
  expect(oneWrong.json().errors.map((e: { field: string }) => e.field)).toEqual(['evidence.sipUri']);
  await h.onboardings.cancel(tenant.tenantId, { reason: 'test over', by: 'test' });
});
