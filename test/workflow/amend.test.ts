import fs from 'node:fs';
import path from 'node:path';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { Refused, TenantRejected, type Progress, type StepProgress } from '../../src/app';
import { refusalOf } from '../../src/app/refusals';
import { workflowIdFor, type TenantInput } from '../../src/domain/tenant';
import { amendTenantUpdate } from '../../workflows/contract';
import { TEST_SECRETS } from '../support/fixtures';
import { startHarness, type Harness } from '../support/onboarding';

/**
 * amendTenant on a real run: the merged tenant is judged by the tenant schema, the finished steps
 * that read a changed field go back with their finished dependents (and nothing else), and later
 * activities and instructions see the amended tenant. Each refusal names the field.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

const byId = (p: Progress) => Object.fromEntries(p.steps.map((s) => [s.id, s])) as Record<string, StepProgress>;

async function refusal(tenantId: string, fn: () => Promise<unknown>) {
  const before = await h.progress(tenantId);
  const err = await fn().then(
    () => undefined,
    (e) => e,
  );
  expect(err).toBeInstanceOf(Refused);
  const after = await h.progress(tenantId);
  expect(after.steps.map((s) => [s.id, s.state, s.attempts])).toEqual(before.steps.map((s) => [s.id, s.state, s.attempts]));
  expect(after.amendments).toEqual(before.amendments);
  const { code, message, fields } = err as Refused;
  return { code, message, fields };
}

describe('amendTenant', () => {
  let tenant: TenantInput;
  let id: string;
  beforeAll(async () => {
    tenant = await h.start();
    id = tenant.tenantId;
    for (const step of [
      'associate-experience-flow',
      'create-zoom-connector',
      'configure-sip-trunk',
      'configure-agent-transfer',
      'enable-chat-history-scope',
      'accept-genai-policy',
      'enable-conversation-summary',
      'publish-app',
    ] as const) {
      await h.until(id, h.stepIs(step, 'open'));
      expect((await h.act(tenant, step)).state).toBe('done');
    }
    await h.until(id, h.stepIs('verify-chat-history-access', 'done'));
  });

  it('a new agent-transfer option reopens exactly configure-agent-transfer and its finished dependents; its instructions and cross-check follow the new option', async () => {
    const before = byId(await h.progress(id));
    const answer = await h.onboardings.amend(id, {
      changes: { agentTransfer: { option: 'dialog-task' } },
      reason: 'the customer chose a dialog task',
      by: 'sam',
    });
    expect(answer.step).toBeNull();
    expect(answer.reopened).toEqual(['configure-agent-transfer', 'publish-app', 'verify-chat-history-access']);
    const p = await h.progress(id);
    expect(p.amendments).toEqual([
      { at: expect.any(String), by: 'sam', reason: 'the customer chose a dialog task', fields: ['agentTransfer.option'], reopened: answer.reopened },
    ]);
    const s = byId(p);
    expect(s['configure-agent-transfer']).toMatchObject({
      state: 'open',
      previous: { evidence: { option: 'agent-transfer-node' } },
      reopened: { origin: 'amendTenant (agentTransfer.option)', reason: 'the customer chose a dialog task' },
    });
    expect(s['configure-agent-transfer']!.instructions[0]).toMatch(/^Option B \(dialog task\)/);
    expect(s['publish-app']).toMatchObject({ state: 'blocked', previous: { evidence: { comment: expect.any(String) } } });
    expect(s['verify-chat-history-access']).toMatchObject({ state: 'blocked', previous: { result: expect.any(Object) } });
    // Everything else is as it was.
    for (const other of p.steps.filter((x) => !answer.reopened.includes(x.id)))
      expect([other.id, other.state, other.reopened]).toEqual([other.id, before[other.id]!.state, undefined]);

    const old = await refusal(id, () => h.complete(id, 'configure-agent-transfer', { option: 'agent-transfer-node' }));
    expect(old).toMatchObject({ code: 'EvidenceMismatch', message: expect.stringContaining('is not the option chosen for this tenant ("dialog-task")') });
    expect(await h.complete(id, 'configure-agent-transfer', { option: 'dialog-task' })).toMatchObject({ state: 'done' });
    await h.until(id, h.stepIs('publish-app', 'open'));
  });

  it('refusals: tenantId, the Zoom account once verify-zoom-access is done, an invalid or unknown field (named by path), no change, a blank reason', async () => {
    const amend =
      (changes: Record<string, unknown>, reason = 'fix') =>
      () =>
        h.onboardings.amend(id, { changes, reason, by: 'sam' });
    expect(await refusal(id, amend({ tenantId: 'other-tenant' }))).toEqual({
      code: 'TenantFieldLocked',
      message: "amendTenant: changes.tenantId cannot change (the onboarding is this tenant's; start one for the other tenant id)",
      fields: [{ field: 'changes.tenantId', message: "cannot change (the onboarding is this tenant's; start one for the other tenant id)" }],
    });
    const zoom = await refusal(id, amend({ zoom: { accountId: 'acc-other' } }));
    expect(zoom).toMatchObject({
      code: 'TenantFieldLocked',
      fields: [{ field: 'changes.zoom.accountId', message: expect.stringMatching(/^cannot change once verify-zoom-access is done/) }],
    });
    expect(await refusal(id, amend({ agentTransfer: { option: 'carrier-pigeon', target: 'nowhere' } }))).toEqual({
      code: 'InvalidTenant',
      message:
        'amendTenant: changes.agentTransfer.option must be agent-transfer-node or dialog-task; changes.agentTransfer.target is neither an E.164 number nor a sip:/sips: URI',
      fields: [
        { field: 'changes.agentTransfer.option', message: 'must be agent-transfer-node or dialog-task' },
        { field: 'changes.agentTransfer.target', message: 'is neither an E.164 number nor a sip:/sips: URI' },
      ],
    });
    // A field no tenant has: the app refuses it before the Update (so a reused Update id cannot hide it),
    // and the workflow refuses it too when the Update is sent straight to it.
    const unknown = await h.onboardings.amend(id, { changes: { agentTransfer: { optoin: 'dialog-task' } }, reason: 'fix', by: 'sam' }).catch((e) => e);
    expect(unknown).toBeInstanceOf(TenantRejected);
    expect((unknown as TenantRejected).fields).toEqual([{ field: 'changes.agentTransfer.optoin', message: 'is not a tenant field' }]);
    const straight = await refusal(id, () =>
      h.client.workflow
        .getHandle(workflowIdFor(id))
        .executeUpdate(amendTenantUpdate, { args: [{ changes: { agentTransfer: { optoin: 'dialog-task' } }, reason: 'fix', by: 'sam' }] })
        .catch((e) => {
          throw refusalOf(e) ?? e;
        }),
    );
    expect(straight).toMatchObject({ code: 'InvalidTenant', fields: [{ field: 'changes.agentTransfer.optoin', message: 'is not a tenant field' }] });
    expect(await refusal(id, amend({ kore: { botId: null } }))).toMatchObject({ code: 'InvalidTenant', fields: [{ field: 'changes.kore.botId' }] });
    expect(await refusal(id, amend({ agentTransfer: { option: 'dialog-task' } }))).toMatchObject({
      code: 'TenantUnchanged',
      message: 'amendTenant: changes leave the tenant as it is',
    });
    expect(await refusal(id, amend({ displayName: 'Acme' }, ' '))).toMatchObject({
      code: 'InvalidInput',
      fields: [{ field: 'reason', message: 'is required' }],
    });
  });

  it('the Update takes secrets only as references: an inline one sent straight to the workflow is refused without its value in the answer', async () => {
    const inline = 'an-inline-zoom-secret-value-123';
    const err = await h.client.workflow
      .getHandle(workflowIdFor(id))
      .executeUpdate(amendTenantUpdate, { args: [{ changes: { zoom: { clientSecret: inline } }, reason: 'rotate', by: 'sam' }] })
      .then(
        () => undefined,
        (e) => e,
      );
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (err as WorkflowUpdateFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('InvalidTenant');
    expect(cause.message).toBe('amendTenant: changes.zoom.clientSecret must be a secret reference (env:NAME, file:PATH or store:...)');
    expect(JSON.stringify(cause.details)).not.toContain(inline);
    // Through the app an env: reference is an operator's, not a caller's.
    const env = await h.onboardings.amend(id, { changes: { zoom: { clientSecret: 'env:ZOOM_SECRET' } }, reason: 'rotate', by: 'sam' }).catch((e) => e);
    expect(env).toBeInstanceOf(TenantRejected);
    expect((env as TenantRejected).fields).toEqual([
      { field: 'changes.zoom.clientSecret', message: expect.stringMatching(/^must be the secret itself, or a store: reference/) },
    ]);
  });
});

describe('amendTenant and secrets: later activities see the amended tenant', () => {
  it('a wrong Zoom secret sent inline goes to the store and reruns verify-zoom-access, which now fails; the right one, after a retry, passes', async () => {
    const tenant = await h.start();
    const id = tenant.tenantId;
    await h.until(id, h.stepIs('create-zoom-connector', 'open'));
    const storeDir = path.join(h.stateDir, 'secrets', id);
    const before = fs.readdirSync(storeDir);

    const wrong = await h.onboardings.amend(id, { changes: { zoom: { clientSecret: 'not-the-zoom-secret-000' } }, reason: 'rotated', by: 'sam' });
    // verify-zoom-access reads the secret; the connector step (open) is not finished, so it stays.
    expect(wrong.reopened).toEqual(['verify-zoom-access']);
    const added = fs.readdirSync(storeDir).filter((f) => !before.includes(f));
    expect(added).toEqual([expect.stringMatching(/^zoom\.clientSecret\.[0-9a-z]+$/)]);
    expect(fs.statSync(path.join(storeDir, added[0]!)).mode & 0o777).toBe(0o600);
    const failed = await h.until(id, h.stepIs('verify-zoom-access', 'needs-attention'));
    expect(byId(failed)['verify-zoom-access']!.lastError).toMatch(/./);

    // A refused amendment leaves no file behind.
    const files = fs.readdirSync(storeDir);
    await expect(
      h.onboardings.amend(id, { changes: { zoom: { clientSecret: 'x-secret' }, tenantId: 'nope-nope' }, reason: 'r', by: 'sam' }),
    ).rejects.toBeInstanceOf(Refused);
    expect(fs.readdirSync(storeDir)).toEqual(files);

    const right = await h.onboardings.amend(id, { changes: { zoom: { clientSecret: TEST_SECRETS.zoomClientSecret } }, reason: 'the real one', by: 'sam' });
    expect(right.reopened).toEqual([]); // needs attention is not finished: a retry runs it with the new secret
    await h.onboardings.retry(id, { stepId: 'verify-zoom-access', by: 'sam' });
    const ok = await h.until(id, h.stepIs('verify-zoom-access', 'done'));
    expect(byId(ok)['verify-zoom-access']!.attempts).toBe(3);
    expect(ok.amendments.map((a) => a.fields)).toEqual([['zoom.clientSecret'], ['zoom.clientSecret']]);
    await h.onboardings.cancel(id, { reason: 'test over', by: 'sam' });
  });
});
