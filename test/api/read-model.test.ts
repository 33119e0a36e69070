import http from 'node:http';
import { isDeepStrictEqual } from 'node:util';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { TokenBook } from '../../src/api/auth';
import { buildApi } from '../../src/api/server';
import { eventIdOf, type Progress } from '../../src/app';
import { publicTenant, workflowIdFor } from '../../src/domain/tenant';
import { createLogger } from '../../src/log';
import { registerTenant } from '../../src/people';
import { historyJson } from '../support/history';
import { FAST, startHarness, tenantFile, type Harness } from '../support/onboarding';

/**
 * Issue 17's reads on a real Temporal server: the run publishes its progress in its memo (the read
 * model) with each change, readers get it with describe() (no query, no replay), it equals what the
 * workflow itself answers after every kind of change, it is encrypted at rest, the list carries
 * each row's summary, and the events stream pushes each change (and resumes with Last-Event-ID).
 */
const ENGINEER = 'reads-engineer-token-0123456789';
let h: Harness;
let api: FastifyInstance;
let base: string;

beforeAll(async () => {
  h = await startHarness();
  api = await buildApi({
    config: h.config,
    client: h.client,
    logger: createLogger({ name: 'reads-test', level: 'silent' }),
    tokens: new TokenBook([{ name: 'Pat Engineer', role: 'engineer', token: ENGINEER }]),
    taskQueue: h.taskQueue,
    onboardingOptions: FAST,
  });
  await api.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await api?.close();
  await h?.stop();
});

async function start() {
  const file = tenantFile();
  await registerTenant(h.consoles, publicTenant(file), { kore: file.kore.clientSecret, zoom: file.zoom.clientSecret });
  return h.start(file, FAST, false);
}

/**
 * The read model and the workflow's own answer agree (the audit tail included). Automatic steps may
 * move the run between the two reads, so they are compared until a pair is read with no change in
 * between; one that never agrees fails.
 */
async function agrees(tenantId: string): Promise<Progress> {
  let pair: [Progress, Progress] | undefined;
  for (let i = 0; i < 30; i++) {
    pair = [await h.onboardings.progress(tenantId), await h.onboardings.progress(tenantId, { consistent: true })];
    if (isDeepStrictEqual(pair[0], pair[1])) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(pair![0]).toEqual(pair![1]);
  return pair![0];
}

it('equals the workflow query after a completion, a rejected claim, skip, reopen, amend and cancel, and a reader sees its own Update at once', async () => {
  const tenant = await start();
  const id = tenant.tenantId;
  await h.until(id, h.stepIs('associate-experience-flow', 'open'));
  await agrees(id);
  // complete (no verifier): the answer and the read model right after it agree, with no query.
  const done = await h.act(tenant, 'associate-experience-flow');
  expect(done.state).toBe('done');
  const after = await h.onboardings.progress(id);
  expect(after.steps.find((s) => s.id === 'associate-experience-flow')!.state).toBe('done');
  await agrees(id);
  // A claim a verifier rejects (route: a flow that does not exist), then one it accepts.
  await h.act(tenant, 'create-zoom-connector');
  await h.until(id, h.stepIs('route-zcc-flow-to-connector', 'open'));
  const rejected = await h.complete(id, 'route-zcc-flow-to-connector', { flowName: 'Nope' });
  expect(rejected.lastError).toMatch(/no ZCC flow is named "Nope"/);
  expect((await h.onboardings.progress(id)).steps.find((s) => s.id === 'route-zcc-flow-to-connector')!.lastError).toBe(rejected.lastError);
  await agrees(id);
  // skip, reopen, amend, retry (a step that needs attention), cancel.
  await h.onboardings.skip(id, { stepId: 'configure-agent-transfer', reason: 'self-service', by: 'pat' });
  await agrees(id);
  await h.onboardings.reopen(id, { stepId: 'associate-experience-flow', reason: 'wrong flow', by: 'pat' });
  await agrees(id);
  await h.onboardings.amend(id, { changes: { displayName: 'Acme Renamed' }, reason: 'rebrand', by: 'pat' });
  expect((await agrees(id)).tenant?.displayName).toBe('Acme Renamed');
  await h.onboardings.cancel(id, { reason: 'test over', by: 'pat' });
  await h.onboardings.result(id);
  expect((await agrees(id)).status).toBe('cancelled');
});

it('is encrypted at rest: the memo in history holds no readable progress', async () => {
  const tenant = await start();
  const id = tenant.tenantId;
  await h.until(id, h.stepIs('associate-experience-flow', 'open'));
  const history = historyJson(workflowIdFor(id));
  // The compact read model's keys are in clear (memo keys are: a step's id is the catalogue's, not
  // the tenant's); every value is ciphertext, so no title, name or instruction reads.
  expect(history).toContain('"step.associate-experience-flow"');
  expect(history).toContain('"run"');
  expect(history).not.toContain(tenant.displayName);
  expect(history).not.toContain('Attach the app');
  expect(history).not.toContain('experienceFlow');
  await h.onboardings.cancel(id, { reason: 'test over', by: 'pat' });
});

it("lists carry each row's summary from visibility (no per-row read)", async () => {
  const tenant = await start();
  await h.until(tenant.tenantId, h.stepIs('associate-experience-flow', 'open'));
  let row;
  for (let i = 0; i < 50 && !row?.percent; i++) {
    row = (await h.onboardings.list({ pageSize: 200, tenantIds: [tenant.tenantId] })).items[0];
    if (!row?.percent) await new Promise((r) => setTimeout(r, 100));
  }
  expect(row).toMatchObject({ tenantId: tenant.tenantId, displayName: 'Acme Corp', percent: expect.any(Number), oldestWaitSince: expect.any(String) });
  await h.onboardings.cancel(tenant.tenantId, { reason: 'test over', by: 'pat' });
});

/** Reads server-sent events from the API until `want` events arrived (or the deadline). */
function events(tenantId: string, want: number, lastEventId?: string): Promise<{ status: number; events: Array<{ id: string; data: Progress; at: number }> }> {
  return new Promise((resolve, reject) => {
    const got: Array<{ id: string; data: Progress; at: number }> = [];
    const finish = (status: number) => {
      clearTimeout(timer);
      req.destroy();
      resolve({ status, events: got });
    };
    const req = http.get(
      `${base}/api/v1/onboardings/${tenantId}/events`,
      { headers: { authorization: `Bearer ${ENGINEER}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) } },
      (res) => {
        if (res.statusCode !== 200) return finish(res.statusCode ?? 0);
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const id = /^id: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (id && data && /^event: progress$/m.test(block)) got.push({ id, data: JSON.parse(data) as Progress, at: Date.now() });
            if (got.length >= want) finish(200);
          }
        });
      },
    );
    req.on('error', (err) => (got.length >= want ? undefined : reject(err)));
    const timer = setTimeout(() => finish(200), 15_000);
  });
}

it('pushes the progress at once and each change within a second; a reconnect with Last-Event-ID gets only what is newer', async () => {
  const tenant = await start();
  const id = tenant.tenantId;
  await h.until(id, h.stepIs('associate-experience-flow', 'open'));
  const stream = events(id, 2);
  await new Promise((r) => setTimeout(r, 500));
  const changedAt = Date.now();
  await h.act(tenant, 'associate-experience-flow');
  const { events: got } = await stream;
  expect(got).toHaveLength(2);
  expect(got[1]!.data.steps.find((s) => s.id === 'associate-experience-flow')!.state).toBe('done');
  expect(got[1]!.at - changedAt).toBeLessThan(5_000); // the target (< 1 s) is measured in the benchmark
  expect(got[1]!.id).toBe(eventIdOf(got[1]!.data));
  // The connection drops; the reader comes back with the id it saw last: nothing until the next change.
  const resumed = events(id, 1, got[1]!.id);
  await new Promise((r) => setTimeout(r, 700));
  await h.act(tenant, 'create-zoom-connector');
  const { events: next } = await resumed;
  expect(next).toHaveLength(1);
  expect(next[0]!.data.steps.find((s) => s.id === 'create-zoom-connector')!.state).toBe('done');
  // Several viewers of one run share one watcher in the API process.
  await h.onboardings.cancel(id, { reason: 'test over', by: 'pat' });
});

it('refuses a stream without a token (401) or for an unknown tenant (404), as problem+json', async () => {
  const anon = await api.inject({ method: 'GET', url: '/api/v1/onboardings/acme-nope/events' });
  expect(anon.statusCode).toBe(401);
  expect((await events('no-such-tenant-x', 1)).status).toBe(404);
});
