import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { loadConfig } from '../../src/config';
import { workerDataConverter } from '../../src/temporal/codec';
import { testWorkflowCode } from '../support/workflow-code';

/**
 * A whole onboarding (auto steps, every human step, a verifier that rejected a claim and then a
 * fresh claim, the completion notice) recorded on the code before the step files, the workflow
 * contract and the state's named transitions. Open runs from before that change must go on
 * under it: the history replays on today's code with no nondeterminism. Its input records no
 * catalogue version, so it also proves such runs follow the first catalogue.
 */
const SAVED = path.join(__dirname, '..', 'fixtures', 'histories', '2026-12-02-before-step-files.json');

type Event = { eventType: string } & Record<string, any>;

it('the saved history is a whole run with a rejected claim in it, and no catalogue version in its input', () => {
  const history = JSON.parse(fs.readFileSync(SAVED, 'utf8')) as { events: Event[] };
  const types = history.events.map((e) => e.eventType);
  expect(types.at(-1)).toMatch(/WORKFLOW_EXECUTION_COMPLETED/);
  expect(types.filter((t) => /UPDATE_COMPLETED/.test(t)).length).toBeGreaterThanOrEqual(11);
  const input = history.events[0]!.workflowExecutionStartedEventAttributes.input.payloads[0];
  const decoded = JSON.parse(Buffer.from(input.data, 'base64').toString('utf8'));
  expect(decoded.tenant.tenantId).toMatch(/^acme-/);
  expect(decoded.catalogueVersion).toBeUndefined();
});

it("replays on today's code", async () => {
  const history = JSON.parse(fs.readFileSync(SAVED, 'utf8'));
  const errors: string[] = [];
  for await (const r of Worker.runReplayHistories({ ...(await testWorkflowCode()), dataConverter: workerDataConverter(loadConfig()) }, [
    { workflowId: 'before-step-files', history },
  ])) {
    if (r.error) errors.push(r.error.message);
  }
  expect(errors).toEqual([]);
});
