import { Refused, type AuditEntry, type Progress } from '../../src/app';
import { publicTenant, workflowIdFor } from '../../src/domain/tenant';
import { doInConsoles } from '../../src/people';
import { progressQuery } from '../../workflows/contract';
import { SEARCH_ATTRIBUTES } from '../../workflows/contract/search-attributes';
import { FAST, startHarness, tenantFile, type Harness } from '../support/onboarding';

/**
 * Long runs stay small, on a real Temporal server: with a low threshold a run continues as new
 * again and again while people are refused, reopen and complete; at each boundary the progress
 * (the closed run's, by a query Temporal answers by replaying it, against the new run's), the
 * search attributes and the memo are unchanged; a repeated Update id gets its first answer from a
 * later run; the audit, paged across runs (a page token from the first run still works), lists
 * every entry once; and the run completes.
 */
const LOW = { ...FAST, continueAsNewAfterEvents: 80 };

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

// Observation only (the app offers neither): which run is current, and a closed run's last progress.
const describe_ = (tenantId: string, runId?: string) => h.client.workflow.getHandle(workflowIdFor(tenantId), runId).describe();
const progressOfRun = (tenantId: string, runId: string) => h.client.workflow.getHandle(workflowIdFor(tenantId), runId).query(progressQuery);

async function pagesFrom(tenantId: string, pageToken: string | undefined, pageSize = 7): Promise<AuditEntry[]> {
  const all: AuditEntry[] = [];
  do {
    const page = await h.onboardings.audit(tenantId, { pageSize, pageToken });
    expect(page.entries.length).toBeLessThanOrEqual(pageSize);
    all.push(...page.entries);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return all;
}

/** The run ids of the chain, oldest first (from each run's first event). */
async function chainOf(tenantId: string): Promise<string[]> {
  const runs = [(await describe_(tenantId)).runId];
  for (;;) {
    const history = await h.client.workflow.getHandle(workflowIdFor(tenantId), runs[0]).fetchHistory();
    const before = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    if (!before) return runs;
    runs.unshift(before);
  }
}

it('continues as new under refusals, reopens and completions, keeping progress, audit, search attributes and answers; then completes', async () => {
  const tenant = await h.start(tenantFile(), LOW);
  const id = tenant.tenantId;
  await h.until(id, (p) => p.steps.filter((s) => s.state === 'open').length === 4);
  const flowEvidence = await doInConsoles('associate-experience-flow', publicTenant(tenant), h.consoles, {});
  const firstMsg = { stepId: 'associate-experience-flow', evidence: flowEvidence, by: 'pat@acme.example' };
  const firstAnswer = await h.onboardings.complete(id, firstMsg, { updateId: 'first-completion' });
  expect(firstAnswer.step.state).toBe('done');
  // A listing begun now, before any boundary we drive: its token must still work after them.
  const early = await h.onboardings.audit(id, { pageSize: 3 });
  expect(early.nextPageToken).toBeDefined();

  const boundaries: Array<{ from: string; to: string }> = [];
  let runId = (await describe_(id)).runId;
  for (let i = 0; boundaries.length < 3 && i < 300; i++) {
    const before = (await h.progress(id)).audit.count;
    const did = `+1 ${i}`;
    const wrongConnector = { stepId: 'create-zoom-connector', evidence: { connectorName: 'c', domain: 'sip.acme.example', did }, by: 'sam' };
    const kind = i % 6 === 5 ? 'reopen' : i % 6 === 2 ? 'refused-update' : 'refused-signal';
    if (kind === 'reopen') {
      // An accepted change and back: the step goes back (kept as previous) and is handed in again unchanged.
      await h.onboardings.reopen(id, { stepId: 'associate-experience-flow', reason: `check ${i}`, by: 'pat@acme.example' });
      await h.onboardings.complete(id, firstMsg);
    } else if (kind === 'refused-update') {
      // A mistyped DID refused by the validator; the app reports it to the run (a Signal of its own).
      await expect(h.onboardings.complete(id, wrongConnector)).rejects.toBeInstanceOf(Refused);
    } else {
      // The same through the webhook's Signal: refused in the run and kept in its rejections.
      await h.onboardings.completeBySignal(id, wrongConnector);
    }
    await h.until(id, (p) => p.audit.count > before);
    const now = (await describe_(id)).runId;
    if (now === runId) continue;
    const [closed, current] = await Promise.all([describe_(id, runId), describe_(id, now)]);
    expect(closed.status.name).toBe('CONTINUED_AS_NEW');
    const last: Progress = await progressOfRun(id, runId);
    const after: Progress = await h.until(id, () => true);
    const crossedOnReopen = kind === 'reopen' && after.audit.count === last.audit.count + 1;
    if (kind === 'refused-update' && after.audit.count === last.audit.count + 1) {
      // The refused Update's own (speculative) workflow task may be where the run continued: then
      // the app's report of it reached the new run, and that entry is the one difference.
      expect(after.audit.tail.at(-1)).toMatchObject({ seq: last.audit.count + 1, outcome: 'refused', message: expect.stringContaining(did) });
      expect(after.audit.tail.slice(0, -1)).toEqual(last.audit.tail.slice(1));
      expect({ ...after, audit: last.audit }).toEqual(last);
    } else if (crossedOnReopen) {
      // The reopen crossed the threshold (each change also writes the read model to history): the
      // completion that followed reached the new run, and is the one difference.
      expect(after.audit.tail.at(-1)).toMatchObject({ seq: last.audit.count + 1, action: 'complete', stepId: 'associate-experience-flow' });
      expect(after.audit.tail.slice(0, -1)).toEqual(last.audit.tail.slice(1));
      expect(last.steps.find((s) => s.id === 'associate-experience-flow')!.state).toBe('open');
      expect(after.steps.find((s) => s.id === 'associate-experience-flow')!.state).toBe('done');
      expect([after.startedAt, after.rejections, after.amendments]).toEqual([last.startedAt, last.rejections, last.amendments]);
    } else {
      // Nothing was sent since the action that crossed the threshold: the closed run's last state is where the new one stands.
      expect(after).toEqual(last);
    }
    // Ours, that is: Temporal's own (BuildIds, TemporalChangeVersion: the patches a run took) are per run.
    const ours = (d: typeof closed) => Object.fromEntries(SEARCH_ATTRIBUTES.map((k) => [k.name, d.typedSearchAttributes.get(k as never)]));
    // (After a reopen that crossed, the new run's open steps differ by the completed step.)
    if (!crossedOnReopen) expect(ours(current)).toEqual(ours(closed));
    expect(ours(current)).toMatchObject({ TenantId: id, ZoomAccountId: tenant.zoom.accountId });
    expect(current.memo?.zoomAccountId).toBe(tenant.zoom.accountId);
    boundaries.push({ from: runId, to: now });
    runId = now;
  }
  expect(boundaries).toHaveLength(3);

  // The first completion's Update id, repeated two runs later: its first answer, and no new entry.
  const count = (await h.progress(id)).audit.count;
  expect(await h.onboardings.complete(id, firstMsg, { updateId: 'first-completion' })).toEqual(firstAnswer);
  expect((await h.progress(id)).audit.count).toBe(count);

  // Every entry, across the runs, once and in order; the early token picks up where its page ended.
  let p = await h.progress(id);
  const audit = await pagesFrom(id, undefined);
  expect(audit.map((e) => e.seq)).toEqual(audit.map((_, i) => i + 1));
  expect(audit).toHaveLength(p.audit.count);
  expect(p.audit.tail).toEqual(audit.slice(-10));
  expect([...early.entries, ...(await pagesFrom(id, early.nextPageToken, 5))]).toEqual(audit);
  expect(audit.filter((e) => e.action === 'start')).toHaveLength(1);
  expect(audit.filter((e) => e.updateId === 'first-completion')).toHaveLength(1);
  expect((await chainOf(id)).length).toBeGreaterThanOrEqual(4);
  // Lists show the tenant once, by its current run: the runs that continued as new are not rows.
  const listed = await h.onboardings.list({ pageSize: 200, tenantIds: [id] });
  expect(listed.items.map((o) => [o.tenantId, o.runStatus])).toEqual([[id, 'running']]);

  // The people finish it (it continues as new on the way: verifiers and automatic steps meet the boundary too).
  p = await h.completeAll(tenant);
  expect(p.status).toBe('completed');
  expect((await h.onboardings.result(id)).status).toBe('completed');
  const chain = await chainOf(id);
  expect(chain.length).toBeGreaterThan(4);
  const whole = await pagesFrom(id, undefined, 50);
  expect(whole.map((e) => e.seq)).toEqual(whole.map((_, i) => i + 1));
  expect(whole).toHaveLength(p.audit.count);
  expect(whole.slice(0, audit.length)).toEqual(audit);
  expect(p.steps.find((s) => s.id === 'associate-experience-flow')!.versions.length).toBeGreaterThanOrEqual(4);
});
