import { decodeMapFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { Refused, type AuditEntry, type Progress } from '../../src/app';
import { digestOf } from '../../src/domain/digest';
import { publicTenant, workflowIdFor } from '../../src/domain/tenant';
import { registerTenant, type PeopleEvent } from '../../src/people';
import { FAST, startHarness, tenantFile, type Harness } from '../support/onboarding';

/**
 * The audit trail on a real Temporal server: read from the run's history (no query), whole and in
 * order; refusals in it; a repeated Update id answered with the first answer and recorded once.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

async function startTenant() {
  const file = tenantFile();
  await registerTenant(h.consoles, publicTenant(file), { kore: file.kore.clientSecret, zoom: file.zoom.clientSecret });
  const { tenant } = await h.onboardings.start(file, { options: FAST, startedBy: { by: 'ops@acme.example', via: 'cli', byVerified: false } });
  return tenant;
}

/** Every entry, a few at a time, so paging is exercised too. */
async function wholeAudit(tenantId: string, pageSize = 7): Promise<AuditEntry[]> {
  const all: AuditEntry[] = [];
  let pageToken: string | undefined;
  do {
    const page = await h.onboardings.audit(tenantId, { pageSize, pageToken });
    expect(page.entries.length).toBeLessThanOrEqual(pageSize);
    all.push(...page.entries);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return all;
}

async function auditUntil(tenantId: string, pred: (a: AuditEntry[]) => boolean): Promise<AuditEntry[]> {
  let a: AuditEntry[] = [];
  for (let i = 0; i < 100; i++) {
    a = await wholeAudit(tenantId, 100);
    if (pred(a)) return a;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out; audit: ${JSON.stringify(a.map((e) => [e.action, e.stepId, e.outcome]))}`);
}

describe('the audit trail of a rehearsed onboarding', () => {
  it('lists every action the scripted people took, in order, with nothing missing, and every verdict of the automation', async () => {
    const tenant = await startTenant();
    const timeline: PeopleEvent[] = [];
    const calls: Array<{ stepId: string; evidence: Record<string, unknown>; outcome: 'accepted' | 'refused' }> = [];
    // The people's desk, counting each Update they send and how it was answered.
    const desk = {
      progress: (id: string) => h.onboardings.progress(id),
      complete: async (id: string, msg: { stepId: string; evidence: Record<string, unknown>; by: string; via?: 'people' }) => {
        try {
          const answer = await h.onboardings.complete(id, msg);
          calls.push({ stepId: msg.stepId, evidence: msg.evidence, outcome: 'accepted' });
          return answer;
        } catch (err) {
          if (err instanceof Refused) calls.push({ stepId: msg.stepId, evidence: msg.evidence, outcome: 'refused' });
          throw err;
        }
      },
    };
    const p: Progress = await h.completeAll(tenant, { desk, onEvent: (e) => timeline.push(e) });
    expect(p.status).toBe('completed');

    const audit = await wholeAudit(tenant.tenantId);
    // Whole and in order: 1, 2, 3 ..., the start first, and as many as the run itself counts.
    expect(audit.map((e) => e.seq)).toEqual(audit.map((_, i) => i + 1));
    expect(audit.length).toBe(p.audit.count);
    expect(p.audit.tail).toEqual(audit.slice(-10));
    expect(audit[0]).toMatchObject({ action: 'start', outcome: 'accepted', by: 'ops@acme.example', via: 'cli', byVerified: false, channel: 'start' });
    expect(audit[0]!.digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    // Every completion the people sent is there once, in the order they sent them, with who, through what and the evidence's digest.
    const acted = timeline.filter((e) => e.state === 'acted');
    const people = audit.filter((e) => e.action === 'complete');
    expect(calls.length).toBeGreaterThanOrEqual(acted.length);
    expect(acted.length).toBeGreaterThanOrEqual(10);
    expect(people.map((e) => [e.stepId, e.outcome])).toEqual(calls.map((c) => [c.stepId, c.outcome]));
    for (const [i, e] of people.entries()) {
      expect(e).toMatchObject({ by: 'pat@acme.example', via: 'people', byVerified: false, channel: 'update', updateId: expect.any(String) });
      if (e.outcome === 'accepted') expect(e.digest).toBe(digestOf(calls[i]!.evidence));
    }
    expect(new Set(people.map((e) => e.updateId)).size).toBe(people.length);

    // The automation's part: each automatic step's result and each verifier's verdict, after the claim it judged.
    const auto = p.steps.filter((s) => s.kind === 'auto').map((s) => s.id);
    expect(audit.filter((e) => e.action === 'run-step' && e.outcome === 'passed').map((e) => e.stepId)).toEqual(expect.arrayContaining(auto));
    for (const v of audit.filter((e) => e.action === 'verify')) {
      const claim = audit.filter((e) => e.action === 'complete' && e.stepId === v.stepId && e.seq < v.seq).at(-1);
      expect(claim).toBeDefined();
      expect(v).toMatchObject({ by: 'kore-zcc-onboarding', byVerified: true, channel: 'workflow' });
    }
    expect(audit.filter((e) => e.action === 'verify' && e.outcome === 'passed').map((e) => e.stepId)).toEqual(
      expect.arrayContaining(['route-zcc-flow-to-connector', 'place-test-call']),
    );
    // Each step keeps every evidence handed in, with the same digests.
    for (const s of p.steps.filter((x) => x.kind === 'human'))
      expect(s.versions.map((v) => v.digest)).toEqual(people.filter((e) => e.stepId === s.id && e.outcome === 'accepted').map((e) => e.digest));

    // Every entry sits once in history, in the read model's upsert of its workflow task (compact
    // read model), and the entries read back from them are the trail.
    const history = await h.client.workflow.getHandle(workflowIdFor(tenant.tenantId)).fetchHistory();
    const upserts = (history.events ?? []).filter((e) => e.workflowPropertiesModifiedEventAttributes?.upsertedMemo?.fields?.auditEntries);
    expect(upserts.length).toBeGreaterThan(0);
    // No event of its own: each goes out in the same upsert as the run's read model.
    expect(upserts.filter((e) => !e.workflowPropertiesModifiedEventAttributes!.upsertedMemo!.fields!.run)).toEqual([]);
    const converter = h.client.options.loadedDataConverter;
    const seqs: number[] = [];
    for (const e of upserts) {
      const memo = await decodeMapFromPayloads(converter, { auditEntries: e.workflowPropertiesModifiedEventAttributes!.upsertedMemo!.fields!.auditEntries! });
      seqs.push(...(memo?.auditEntries as Array<{ seq: number }>).map((x) => x.seq));
    }
    expect(seqs).toEqual(audit.map((e) => e.seq));
  });
});

describe('refusals and Update ids', () => {
  it('a refused Update is in the audit (once per Update id), and a repeated id gets the first answer and one entry', async () => {
    const tenant = await startTenant();
    const { tenantId } = tenant;
    await h.until(tenantId, h.stepIs('associate-experience-flow', 'open'));

    // Refused: the step is not open yet. The same id twice is recorded once.
    const blocked = { stepId: 'publish-app', evidence: { comment: 'go' }, by: 'sam@acme.example', via: 'cli' as const, byVerified: false };
    for (let i = 0; i < 2; i++)
      await expect(h.onboardings.complete(tenantId, blocked, { updateId: 'refused-once-0001' })).rejects.toMatchObject({ code: 'StepNotOpen' });
    await expect(h.onboardings.skip(tenantId, { stepId: 'publish-app', reason: 'no', by: 'sam@acme.example' })).rejects.toMatchObject({
      code: 'NotSkippable',
    });
    let audit = await auditUntil(tenantId, (a) => a.some((e) => e.action === 'skip'));
    const refused = audit.filter((e) => e.outcome === 'refused');
    expect(refused).toEqual([
      expect.objectContaining({
        action: 'complete',
        stepId: 'publish-app',
        by: 'sam@acme.example',
        via: 'cli',
        byVerified: false,
        channel: 'update',
        updateId: 'refused-once-0001',
        code: 'StepNotOpen',
        message: expect.stringMatching(/^publish-app is not open yet/),
      }),
      expect.objectContaining({ action: 'skip', stepId: 'publish-app', code: 'NotSkippable', updateId: expect.any(String) }),
    ]);

    // Accepted twice under one id: the second call is answered with the first answer, and nothing runs again.
    const msg = { stepId: 'associate-experience-flow', evidence: { experienceFlowName: 'Kore Voice Experience' }, by: 'dana@acme.example' };
    const first = await h.onboardings.complete(tenantId, msg, { updateId: 'accepted-once-0001' });
    expect(first.step.state).toBe('done');
    const again = await h.onboardings.complete(tenantId, { ...msg, evidence: { experienceFlowName: 'Another Flow' } }, { updateId: 'accepted-once-0001' });
    expect(again).toEqual(first);
    audit = await wholeAudit(tenantId);
    expect(audit.filter((e) => e.updateId === 'accepted-once-0001')).toEqual([
      expect.objectContaining({ action: 'complete', outcome: 'accepted', stepId: 'associate-experience-flow', digest: digestOf(msg.evidence) }),
    ]);
    // A fresh id is a new action: refused now, since the step is done.
    await expect(h.onboardings.complete(tenantId, msg, { updateId: 'accepted-once-0002' })).rejects.toMatchObject({ code: 'StepAlreadyDone' });

    // Reopened and handed in again: the step keeps both versions, and the audit has the reopen between them.
    await h.onboardings.reopen(tenantId, { stepId: 'associate-experience-flow', reason: 'typo in the flow name', by: 'dana@acme.example' });
    const second = { experienceFlowName: 'Kore Voice Experience 2' };
    const answer = await h.onboardings.complete(tenantId, { ...msg, evidence: second });
    expect(answer.step.versions.map((v) => [v.by, v.digest, v.evidence])).toEqual([
      ['dana@acme.example', digestOf(msg.evidence), msg.evidence],
      ['dana@acme.example', digestOf(second), second],
    ]);
    audit = await auditUntil(tenantId, (a) => a.some((e) => e.code === 'StepAlreadyDone'));
    const story = audit.filter((e) => e.stepId === 'associate-experience-flow' && e.channel === 'update').map((e) => `${e.action} ${e.outcome}`);
    expect(story).toEqual(['complete accepted', 'complete refused', 'reopen accepted', 'complete accepted']);
  });

  it('a refused Signal completion is in the audit too, through the signal', async () => {
    const tenant = await startTenant();
    await h.onboardings.completeBySignal(tenant.tenantId, { stepId: 'no-such-step', evidence: {}, by: 'webhook', via: 'webhook' });
    const audit = await auditUntil(tenant.tenantId, (a) => a.some((e) => e.channel === 'signal'));
    expect(audit.find((e) => e.channel === 'signal')).toMatchObject({ action: 'complete', outcome: 'refused', via: 'webhook', code: 'UnknownStep' });
  });
});
