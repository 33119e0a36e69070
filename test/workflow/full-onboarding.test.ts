import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { workflowIdFor } from '../../src/domain/tenant';
import { workerDataConverter } from '../../src/temporal/codec';
import { decodedHistory, historyJson, readableHistory, suiteCodec } from '../support/history';
import { findLeaks, secretForms } from '../support/leaks';
import { startHarness, type Harness } from '../support/onboarding';
import { testWorkflowCode } from '../support/workflow-code';
import { TEST_STATE_DIR } from '../support/paths';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'histories');

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

describe('a whole onboarding', () => {
  let historyFile: string;

  it('walks the whole catalogue to completed, with verifiers and the summary', async () => {
    const tenant = await h.start();
    const p = await h.completeAll(tenant);
    expect(p.steps.filter((s) => s.state !== 'done').map((s) => [s.id, s.state, s.lastError])).toEqual([]);
    expect(p.status).toBe('completed');
    expect(p.percent).toBe(100);
    const byId = Object.fromEntries(p.steps.map((s) => [s.id, s]));
    expect(byId['route-zcc-flow-to-connector']!.result).toMatchObject({ flowId: expect.any(String) });
    expect(byId['place-test-call']!.result).toMatchObject({ sessionId: expect.any(String), found: 'newest since the step opened' });
    expect(byId['verify-conversation-summary']!.result).toMatchObject({
      sessionId: byId['place-test-call']!.result!.sessionId,
      summaryExcerpt: expect.stringContaining('agent'),
      engagementId: expect.stringMatching(/^eng_/),
    });
    expect((await h.onboardings.result(tenant.tenantId)).status).toBe('completed');
    // Observation only (the app does not offer describe()): the search attributes Temporal holds.
    const handle = h.client.workflow.getHandle(workflowIdFor(tenant.tenantId));
    const described = await handle.describe();
    expect(described.searchAttributes).toMatchObject({ OnboardingStatus: ['completed'], WaitingOnHuman: [false] });
    expect(described.searchAttributes.OpenSteps ?? []).toEqual([]); // an empty list is dropped

    // Keep the history for the replay test, and for the fixture when asked to record one.
    const history = historyJson(handle.workflowId);
    // The compact read model: at most one memo upsert per workflow task, each with only what changed
    // (before it: 62 upserts in 28 tasks, 24 of them the whole 28 KB progress document).
    const evs = (JSON.parse(history) as { events: Array<Record<string, any>> }).events;
    const count = (t: RegExp) => evs.filter((e) => t.test(String(e.eventType))).length;
    const upserts = evs.filter((e) => /WORKFLOW_PROPERTIES_MODIFIED/.test(String(e.eventType)));
    expect(upserts.length).toBeLessThanOrEqual(count(/WORKFLOW_TASK_COMPLETED/));
    const keys = upserts.flatMap((e) => Object.keys(e.workflowPropertiesModifiedEventAttributes.upsertedMemo.fields));
    expect(keys).not.toContain('progress');
    // A step's document goes out when it changes, not at every change of the run.
    const stepUpserts = keys.filter((k) => k.startsWith('step.')).length;
    expect(stepUpserts).toBeLessThan(upserts.length * p.steps.length * 0.5);
    expect(keys.filter((k) => k === 'auditEntries').length).toBeGreaterThan(0);
    historyFile = path.join(TEST_STATE_DIR, 'histories', `${tenant.tenantId}.json`);
    fs.mkdirSync(path.dirname(historyFile), { recursive: true });
    fs.writeFileSync(historyFile, history);
    // Name it for the change it precedes, e.g. ONBOARD_RECORD_HISTORY=2026-12-01-before-x (see workflows/patches.ts).
    const record = process.env.ONBOARD_RECORD_HISTORY;
    // Saved decoded, so a suite with another key replays it.
    if (record) fs.writeFileSync(path.join(FIXTURES, `${record}.json`), decodedHistory(history));

    // The history holds references to secrets, never the secrets.
    const readable = path.join(TEST_STATE_DIR, 'histories', `${tenant.tenantId}.readable.txt`);
    fs.writeFileSync(readable, readableHistory(history, suiteCodec()));
    expect(fs.readFileSync(readable, 'utf8')).toContain(`store:${tenant.tenantId}/kore.clientSecret`);
    expect(findLeaks([readable], secretForms())).toEqual([]);
  });

  it("replays deterministically: this run's history and the saved ones", async () => {
    const files = [
      historyFile,
      ...fs
        .readdirSync(FIXTURES)
        .filter((f) => f.endsWith('.json'))
        .map((f) => path.join(FIXTURES, f)),
    ];
    expect(files.length).toBeGreaterThanOrEqual(2);
    const histories = files.map((f) => ({ workflowId: path.basename(f), history: JSON.parse(fs.readFileSync(f, 'utf8')) }));
    const failures: string[] = [];
    for await (const r of Worker.runReplayHistories({ ...(await testWorkflowCode()), dataConverter: workerDataConverter(h.config) }, histories))
      if (r.error) failures.push(`${r.workflowId}: ${r.error.message}`);
    expect(failures).toEqual([]);
  });

  it('a replay notices a history the code would not produce (the replay check can fail)', async () => {
    const history = JSON.parse(fs.readFileSync(historyFile, 'utf8'));
    // Pretend the first scheduled activity was another one: the code schedules checkKoreAccess there.
    const first = history.events.find((e: { eventType?: string }) => /ACTIVITY_TASK_SCHEDULED/.test(String(e.eventType)));
    first.activityTaskScheduledEventAttributes.activityType = { name: 'someOtherActivity' };
    const errors: string[] = [];
    for await (const r of Worker.runReplayHistories({ ...(await testWorkflowCode()), dataConverter: workerDataConverter(h.config) }, [
      { workflowId: 'tampered', history },
    ]))
      if (r.error) errors.push(r.error.message);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/[Nn]ondetermin/);
  });
});
