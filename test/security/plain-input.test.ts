import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { Onboardings, type Progress } from '../../src/app';
import type { Config } from '../../src/config';
import type { HumanStepId } from '../../src/domain/steps';
import { publicTenant, workflowIdFor, type TenantInput } from '../../src/domain/tenant';
import { createLogger } from '../../src/log';
import { doInConsoles, registerTenant, type ConsoleMemory } from '../../src/people';
import { dataConverterFor, workerDataConverter } from '../../src/temporal/codec';
import { stopWorker } from '../../src/temporal/stop-worker';
import { createOnboardingWorker } from '../../src/temporal/worker';
import { plainInputRefusal, type AuditEntry } from '../../workflows/contract';
import { HEALTH_WORKFLOW_TYPE, healthWorkflowIdFor, type HealthView } from '../../workflows/health/contract';
import { PATCHES } from '../../workflows/patches';
import { temporalCli } from '../support/cli';
import { historyJson } from '../support/history';
import { FAST, startHarness, tenantFile, type Harness } from '../support/onboarding';
import { testWorkflowCode } from '../support/workflow-code';

/**
 * ONBOARD_REFUSE_PLAIN_INPUT, against the official `temporal` CLI sending with no codec (a client
 * with Temporal access but no payload key): on a worker with the setting on (the default outside
 * `onboard dev`) a plain Update is refused by its validator at once with a line the CLI shows, a
 * plain Signal is recorded as refused while the run goes on, a plain start fails the run cleanly,
 * and the same messages through our client (encrypted) are accepted; on a worker with it off (dev)
 * plain input is accepted as before, and a run that refused goes on refusing when such a worker
 * takes it over. No workflow task fails on the way, and every history replays under either setting.
 */
type Event = { eventType: string } & Record<string, any>;
const events = (json: string): Event[] => (JSON.parse(json) as { events: Event[] }).events;
const taskFailures = (json: string) => events(json).filter((e) => /WORKFLOW_TASK_FAILED/.test(e.eventType));
const patchIds = (json: string): string[] =>
  events(json)
    .filter((e) => /MARKER_RECORDED/.test(e.eventType))
    .map((e) => JSON.parse(Buffer.from(e.markerRecordedEventAttributes.details['patch-data'].payloads[0].data as string, 'base64').toString('utf8')).id);

const plainUpdate = (workflowId: string, name: string, input: unknown) =>
  temporalCli(['workflow', 'update', 'execute', '--workflow-id', workflowId, '--name', name, '--input', JSON.stringify(input)]);
const plainSignal = (workflowId: string, name: string, input: unknown) =>
  temporalCli(['workflow', 'signal', '--workflow-id', workflowId, '--name', name, '--input', JSON.stringify(input)]);

let h: Harness;
/** A second worker, on its own task queue, with the setting off (as `onboard dev` runs it). */
let dev: { config: Config; onboardings: Onboardings; stop: () => Promise<void> };
const MALLORY = 'mallory@evil.example';

beforeAll(async () => {
  h = await startHarness();
  const config: Config = { ...h.config, worker: { ...h.config.worker, refusePlainInput: false } };
  const taskQueue = `onboarding-dev-${randomUUID()}`;
  const { worker, connection } = await createOnboardingWorker({ config, logger: createLogger({ name: 'dev-worker' }), taskQueue });
  const running = worker.run();
  dev = { config, onboardings: new Onboardings(h.client, config, { taskQueue, onboardingOptions: FAST }), stop: () => stopWorker(worker, running, connection) };
});
afterAll(async () => {
  await dev?.stop();
  await h?.stop();
});

/** A tenant whose onboarding waits for people, its workflow id, and the evidence a person would enter for two open steps. */
async function waitingTenant(onboardings: Onboardings) {
  const file = tenantFile();
  await registerTenant(h.consoles, publicTenant(file), { kore: file.kore.clientSecret, zoom: file.zoom.clientSecret });
  const tenant: TenantInput = (await onboardings.start(file, { options: FAST })).tenant;
  await h.until(tenant.tenantId, (p) => ['create-zoom-connector', 'accept-genai-policy'].every((id) => h.stepIs(id, 'open')(p)));
  const memory: ConsoleMemory = {};
  const evidence = async (id: HumanStepId) => doInConsoles(id, publicTenant(tenant), h.consoles, memory);
  return {
    tenant,
    workflowId: workflowIdFor(tenant.tenantId),
    connector: await evidence('create-zoom-connector'),
    policy: await evidence('accept-genai-policy'),
  };
}

const stateOf = (p: Progress, id: string) => p.steps.find((s) => s.id === id)!.state;
const auditOf = async (tenantId: string): Promise<AuditEntry[]> => (await h.onboardings.audit(tenantId, { pageSize: 500 })).entries;

async function noTaskFailure(workflowId: string): Promise<string> {
  const d = await h.client.workflow.getHandle(workflowId).describe();
  expect(d.raw.pendingWorkflowTask?.attempt ?? 1).toBeLessThanOrEqual(1);
  const history = historyJson(workflowId);
  expect(taskFailures(history)).toEqual([]);
  return history;
}

async function replayErrors(history: string, config: Config, converter = workerDataConverter(config)): Promise<string[]> {
  const errors: string[] = [];
  for await (const r of Worker.runReplayHistories({ ...(await testWorkflowCode()), dataConverter: converter }, [
    { workflowId: 'plain-input', history: JSON.parse(history) },
  ]))
    if (r.error) errors.push(r.error.message);
  return errors;
}

describe('with ONBOARD_REFUSE_PLAIN_INPUT on (the default outside `onboard dev`)', () => {
  let t: Awaited<ReturnType<typeof waitingTenant>>;
  let history: string;
  beforeAll(async () => {
    expect(h.config.worker.refusePlainInput).toBe(true);
    t = await waitingTenant(h.onboardings);
  });

  it('a plain Update is refused by its validator at once, with a line the CLI shows; nothing changes and no workflow task fails', async () => {
    const started = Date.now();
    const r = await plainUpdate(t.workflowId, 'completeStep', { stepId: 'create-zoom-connector', evidence: t.connector, by: MALLORY });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.code).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toContain(plainInputRefusal('Update'));
    // A cancel too: without the key, no one ends the run.
    const cancel = await plainUpdate(t.workflowId, 'cancel', { reason: 'no longer needed', by: MALLORY });
    expect(cancel.code).not.toBe(0);
    expect(`${cancel.stdout}${cancel.stderr}`).toContain('EncryptionRequired');
    const p = await h.progress(t.tenant.tenantId);
    expect([p.status, stateOf(p, 'create-zoom-connector')]).toEqual(['waiting-for-human', 'open']);
    await noTaskFailure(t.workflowId);
  });

  it('a plain Signal is recorded as refused (progress and audit, its sender unverified) and the run goes on', async () => {
    const r = await plainSignal(t.workflowId, 'completeStep', { stepId: 'create-zoom-connector', evidence: t.connector, by: MALLORY, byVerified: true });
    expect(r.code).toBe(0);
    const p = await h.until(t.tenant.tenantId, (x) => x.rejections.some((j) => j.by === MALLORY));
    expect(p.rejections.find((j) => j.by === MALLORY)).toMatchObject({ stepId: 'create-zoom-connector', via: 'signal', message: plainInputRefusal('Signal') });
    expect(stateOf(p, 'create-zoom-connector')).toBe('open');
    // A forged refusal report: refused too, and without its Update id (which would keep the real report out).
    await plainSignal(t.workflowId, 'recordRefusal', { action: 'cancel', by: MALLORY, updateId: 'u-forged', code: 'RunFinished', message: 'forged' });
    let audit: AuditEntry[] = [];
    for (let i = 0; i < 100 && audit.filter((e) => e.by === MALLORY).length < 2; i++) {
      audit = await auditOf(t.tenant.tenantId);
      await new Promise((res) => setTimeout(res, 100));
    }
    const refused = audit.filter((e) => e.by === MALLORY);
    expect(refused).toEqual([
      expect.objectContaining({ action: 'complete', outcome: 'refused', channel: 'signal', code: 'EncryptionRequired', byVerified: false }),
      expect.objectContaining({ action: 'cancel', outcome: 'refused', channel: 'signal', code: 'EncryptionRequired', byVerified: false }),
    ]);
    expect(refused[1]!.updateId).toBeUndefined();
    history = await noTaskFailure(t.workflowId);
    expect(patchIds(history)).toContain(PATCHES.refusePlainInput);
  });

  it('the same Update and Signal through our client (encrypted) are accepted', async () => {
    const answer = await h.onboardings.complete(t.tenant.tenantId, { stepId: 'create-zoom-connector', evidence: t.connector, by: 'pat@acme.example' });
    expect(['verifying', 'done']).toContain(answer.step.state);
    await h.onboardings.completeBySignal(t.tenant.tenantId, { stepId: 'accept-genai-policy', evidence: t.policy, by: 'pat@acme.example' });
    await h.until(t.tenant.tenantId, h.stepIs('accept-genai-policy', 'verifying', 'done'));
    history = await noTaskFailure(t.workflowId);
  });

  it('queries stay readable to a plain client', async () => {
    const r = await temporalCli(['workflow', 'query', '--workflow-id', t.workflowId, '--name', 'progress']);
    expect(r.code).toBe(0);
  });

  it("the run's history replays under either setting; without the plain mark the refusal would not replay (the check can fail)", async () => {
    expect(await replayErrors(history, h.config)).toEqual([]);
    expect(await replayErrors(history, dev.config)).toEqual([]);
    const unmarked = await replayErrors(history, h.config, dataConverterFor(h.config));
    expect(unmarked).toHaveLength(1);
    expect(unmarked[0]).toMatch(/[Nn]ondetermin/);
  });

  it('a plain start fails the run at once, before it acts on anything, with the reason in clear', async () => {
    const workflowId = `onboarding-plain-${randomUUID()}`;
    const r = await temporalCli([
      'workflow', 'start', '--type', 'tenantOnboarding', '--task-queue', h.taskQueue, '--workflow-id', workflowId,
      '--input', JSON.stringify({ tenant: { tenantId: 'mallory-co' } }),
    ]); // prettier-ignore
    expect(r.code).toBe(0);
    await expect(h.client.workflow.getHandle(workflowId).result()).rejects.toThrow();
    const history = historyJson(workflowId);
    const evs = events(history);
    expect(evs.at(-1)!.eventType).toMatch(/WORKFLOW_EXECUTION_FAILED/);
    // Readable without the key: the codec-less sender learns why.
    expect(evs.at(-1)!.workflowExecutionFailedEventAttributes.failure.message).toBe(plainInputRefusal('start'));
    expect(evs.filter((e) => /ACTIVITY_TASK_SCHEDULED|WORKFLOW_TASK_FAILED/.test(e.eventType))).toEqual([]);
    expect(await replayErrors(history, h.config)).toEqual([]);
    expect(await replayErrors(history, dev.config)).toEqual([]);
  });

  it('the health workflow: a plain Update is refused, a plain stopHealth is recorded and does not stop it', async () => {
    const workflowId = healthWorkflowIdFor(t.tenant.tenantId);
    const handle = await h.client.workflow.start(HEALTH_WORKFLOW_TYPE, {
      taskQueue: h.taskQueue,
      workflowId,
      args: [{ tenant: t.tenant, features: { summary: false, agentTransfer: false } }],
    });
    const run = await plainUpdate(workflowId, 'runHealthChecks', { by: MALLORY });
    expect(run.code).not.toBe(0);
    expect(`${run.stdout}${run.stderr}`).toContain(plainInputRefusal('Update'));
    expect((await plainSignal(workflowId, 'stopHealth', { by: MALLORY, reason: 'offboarded' })).code).toBe(0);
    let view: HealthView | undefined;
    for (let i = 0; i < 100 && !view?.changes.some((c) => c.by === MALLORY); i++) {
      view = await handle.query<HealthView>('health');
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(view!.changes.find((c) => c.by === MALLORY)?.what).toBe(`stopHealth refused: ${plainInputRefusal('Signal')}`);
    expect(view!.stopped).toBeUndefined();
    expect((await handle.describe()).status.name).toBe('RUNNING');
    // Through our client it stops.
    await handle.signal('stopHealth', { by: 'ops@acme.example', reason: 'test over' });
    await handle.result();
    const history = await noTaskFailure(workflowId);
    expect(await replayErrors(history, h.config)).toEqual([]);
    expect(await replayErrors(history, dev.config)).toEqual([]);
  });
});

describe('with ONBOARD_REFUSE_PLAIN_INPUT off (`onboard dev`, until older histories are closed)', () => {
  it('a plain Update and a plain Signal are accepted, as before; the history replays on a worker with the setting on', async () => {
    expect(dev.config.worker.refusePlainInput).toBe(false);
    const t = await waitingTenant(dev.onboardings);
    const r = await plainUpdate(t.workflowId, 'completeStep', { stepId: 'create-zoom-connector', evidence: t.connector, by: 'pat@acme.example' });
    // Accepted and answered: the answer comes back encrypted by the worker, which a CLI without the codec cannot show.
    expect(r.stderr).toContain('binary/encrypted');
    expect(r.stderr).not.toContain('EncryptionRequired');
    expect(['verifying', 'done']).toContain(stateOf(await h.progress(t.tenant.tenantId), 'create-zoom-connector'));
    expect((await plainSignal(t.workflowId, 'completeStep', { stepId: 'accept-genai-policy', evidence: t.policy, by: 'pat@acme.example' })).code).toBe(0);
    await h.until(t.tenant.tenantId, h.stepIs('accept-genai-policy', 'verifying', 'done'));
    const history = await noTaskFailure(t.workflowId);
    expect(patchIds(history)).not.toContain(PATCHES.refusePlainInput);
    // As a run from before the setting: its plain input replays as accepted, whatever the replaying worker says.
    expect(await replayErrors(history, h.config)).toEqual([]);
    expect(await replayErrors(history, dev.config)).toEqual([]);
  });
});

describe('turned off after a run refused plain input', () => {
  it('a worker with the setting off takes the run over: it replays the refusal, and the run goes on refusing plain input', async () => {
    const taskQueue = `onboarding-switch-${randomUUID()}`;
    const logger = createLogger({ name: 'switch-worker' });
    const on = await createOnboardingWorker({ config: h.config, logger, taskQueue });
    const onRunning = on.worker.run();
    const t = await waitingTenant(new Onboardings(h.client, h.config, { taskQueue, onboardingOptions: FAST }));
    await plainSignal(t.workflowId, 'completeStep', { stepId: 'create-zoom-connector', evidence: t.connector, by: MALLORY });
    await h.until(t.tenant.tenantId, (p) => p.rejections.length === 1);
    await stopWorker(on.worker, onRunning, on.connection);

    const off = await createOnboardingWorker({ config: dev.config, logger, taskQueue });
    const offRunning = off.worker.run();
    try {
      await plainSignal(t.workflowId, 'completeStep', { stepId: 'accept-genai-policy', evidence: t.policy, by: MALLORY });
      const p = await h.until(t.tenant.tenantId, (x) => x.rejections.length === 2);
      expect(p.rejections.map((r) => [r.stepId, r.message])).toEqual([
        ['create-zoom-connector', plainInputRefusal('Signal')],
        ['accept-genai-policy', plainInputRefusal('Signal')],
      ]);
      expect([stateOf(p, 'create-zoom-connector'), stateOf(p, 'accept-genai-policy')]).toEqual(['open', 'open']);
      // Encrypted input is taken as ever.
      await h.onboardings.complete(t.tenant.tenantId, { stepId: 'accept-genai-policy', evidence: t.policy, by: 'pat@acme.example' });
      const history = await noTaskFailure(t.workflowId);
      expect(await replayErrors(history, h.config)).toEqual([]);
      expect(await replayErrors(history, dev.config)).toEqual([]);
    } finally {
      await stopWorker(off.worker, offRunning, off.connection);
    }
  });
});
