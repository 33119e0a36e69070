import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { workflowIdFor } from '../../src/domain/tenant';
import { workerDataConverter } from '../../src/temporal/codec';
import { PATCHES } from '../../workflows/patches';
import { historyJson } from '../support/history';
import { startHarness, type Harness } from '../support/onboarding';
import { testWorkflowCode } from '../support/workflow-code';

/**
 * Deploying a changed workflow while onboardings are open: a run started on the old code must go on
 * under the new code. The history below was saved from the code before the completion notice was
 * added (workflows/patches.ts); it must replay on today's code, and today's runs take the new path.
 */
const OLD = path.join(__dirname, '..', 'fixtures', 'histories', '2026-11-25-before-completion-notice.json');

type Event = { eventType: string } & Record<string, any>;
const events = (json: string): Event[] => (JSON.parse(json) as { events: Event[] }).events;
const isMarker = (e: Event) => /MARKER_RECORDED/.test(e.eventType);
const activityTypes = (evs: Event[]) =>
  evs.filter((e) => /ACTIVITY_TASK_SCHEDULED/.test(e.eventType)).map((e) => e.activityTaskScheduledEventAttributes.activityType.name as string);

async function replay(history: unknown, dataConverter = workerDataConverter(h.config)): Promise<string[]> {
  const errors: string[] = [];
  for await (const r of Worker.runReplayHistories({ ...(await testWorkflowCode()), dataConverter }, [{ workflowId: 'versioning', history }]))
    if (r.error) errors.push(r.error.message);
  return errors;
}

let h: Harness;
let fresh: string;
beforeAll(async () => {
  h = await startHarness();
  const tenant = await h.start();
  await h.completeAll(tenant);
  await h.onboardings.result(tenant.tenantId);
  fresh = historyJson(workflowIdFor(tenant.tenantId));
});
afterAll(() => h?.stop());

describe('patching: runs from before a change complete on the new code', () => {
  it('the saved history is from the old code: no patch marker, no completion notice', () => {
    const old = events(fs.readFileSync(OLD, 'utf8'));
    expect(old.some(isMarker)).toBe(false);
    expect(old[old.length - 1]!.eventType).toMatch(/WORKFLOW_EXECUTION_COMPLETED/);
    expect(activityTypes(old).filter((t) => t === 'notify')).toEqual([]);
  });

  it('replays on the new code (the old path is taken where the patch stands)', async () => {
    expect(await replay(JSON.parse(fs.readFileSync(OLD, 'utf8')))).toEqual([]);
  });

  it('a run on the new code records the patches and sends the completion notice; its history replays', async () => {
    const evs = events(fresh);
    const markers = evs.filter(isMarker);
    // One marker per patch the run took, each holding the patch id only (in clear: it is code, not tenant data).
    const ids = markers.map((m) =>
      JSON.parse(Buffer.from(m.markerRecordedEventAttributes.details['patch-data'].payloads[0].data as string, 'base64').toString('utf8')),
    );
    // The compact read model stands in for the read-model, waiting-memo and audit-trail upserts, so their patches are not asked.
    expect(ids).toEqual([
      { id: PATCHES.compactReadModel, deprecated: false },
      { id: PATCHES.completionNotice, deprecated: false },
      { id: PATCHES.healthChecks, deprecated: false },
    ]);
    const types = activityTypes(evs);
    expect(types[types.length - 1]).toBe('notify');
    expect(await replay(JSON.parse(fresh))).toEqual([]);
  });

  it('the patch is what tells the paths apart: the new history under another patch id fails to replay', async () => {
    const history = JSON.parse(fresh) as { events: Event[] };
    const marker = history.events.find(isMarker)!.markerRecordedEventAttributes.details['patch-data'].payloads[0];
    marker.data = Buffer.from(JSON.stringify({ id: 'some-other-change', deprecated: false })).toString('base64');
    const errors = await replay(history);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/[Nn]ondetermin/);
  });
});

describe('continue-as-new: runs from before it never continue (the continue-as-new patch)', () => {
  const BEFORE = path.join(__dirname, '..', 'fixtures', 'histories', '2026-12-03-before-audit-trail.json');

  it('a saved run, its input given a threshold its history passes, replays as it ran', async () => {
    const history = JSON.parse(fs.readFileSync(BEFORE, 'utf8')) as { events: Event[] };
    expect(history.events.length).toBeGreaterThan(120);
    const payload = history.events[0]!.workflowExecutionStartedEventAttributes.input.payloads[0];
    const input = JSON.parse(Buffer.from(payload.data as string, 'base64').toString('utf8'));
    input.options = { ...input.options, continueAsNewAfterEvents: 60 };
    payload.data = Buffer.from(JSON.stringify(input)).toString('base64');
    // Without the patch the walk would continue as new at event 60, where this run went on.
    expect(await replay(history)).toEqual([]);
  });
});
