import fs from 'node:fs';
import path from 'node:path';
import { parseTenantFile, publicTenant } from '../../src/domain/tenant';
import { progressFromMemo, type AuditEntry } from '../../workflows/contract';
import { OnboardingState } from '../../workflows/state';

/** What the workflow upserted, captured in place of the SDK's upsertMemo (workflow code outside a workflow). */
const upserts: Array<Record<string, unknown>> = [];
jest.mock('@temporalio/workflow', () => ({
  ...jest.requireActual('@temporalio/workflow'),
  upsertMemo: (m: Record<string, unknown>) => upserts.push(JSON.parse(JSON.stringify(m))),
}));
const { MemoPublisher } = require('../../workflows/read-model') as typeof import('../../workflows/read-model');

const tenant = publicTenant(parseTenantFile(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'tenant.example.json'), 'utf8'))));
/** The memo as Temporal keeps it: each upsert merged over the last. */
const memoAfter = () => Object.assign({}, ...upserts) as Record<string, unknown>;

let state: OnboardingState;
let pub: InstanceType<typeof MemoPublisher>;
beforeEach(() => {
  upserts.length = 0;
  state = new OnboardingState(tenant, '2026-01-01T00:00:00.000Z');
  pub = new MemoPublisher(true);
  state.onAudit = (e: AuditEntry) => pub.audit(e);
});
const publish = () => {
  pub.progress(state.progress(), state.summary());
  pub.waiting({});
  pub.flush();
};

describe('the compact read model', () => {
  it('is the progress document again when read back, after each change', () => {
    publish();
    expect(progressFromMemo(memoAfter())).toEqual(state.progress());
    state.markRunning('verify-kore-access');
    publish();
    state.markDone('verify-kore-access', { result: { ok: 1 }, by: 'kore-zcc-onboarding' });
    state.open('associate-experience-flow');
    publish();
    expect(progressFromMemo(memoAfter())).toEqual(state.progress());
  });

  it('upserts only the keys whose value changed, once per flush, and nothing when nothing changed', () => {
    publish();
    const first = Object.keys(upserts[0]!);
    expect(first).toEqual(expect.arrayContaining(['run', 'tenant', 'summary', 'step.verify-kore-access', 'step.place-test-call']));
    // An empty waiting list on a fresh run is what the memo already says (nothing).
    expect(first).not.toContain('waiting');
    state.markRunning('verify-kore-access');
    publish();
    expect(Object.keys(upserts[1]!).sort()).toEqual(['run', 'step.verify-kore-access', 'summary']);
    publish();
    expect(upserts).toHaveLength(2);
  });

  it("carries a task's audit entries in its upsert, each once", () => {
    publish();
    state.audit({ action: 'retry', outcome: 'accepted', channel: 'update', stepId: 'verify-kore-access', by: 'pat', byVerified: true });
    state.audit({ action: 'skip', outcome: 'refused', channel: 'update', stepId: 'verify-kore-access', by: 'pat', byVerified: true });
    publish();
    expect((upserts[1]!.auditEntries as AuditEntry[]).map((e) => e.action)).toEqual(['retry', 'skip']);
    publish();
    expect(upserts).toHaveLength(2);
  });

  it('reads a run from before (the whole document under `progress`), prefers the compact keys, and is undefined when a step is missing', () => {
    const whole = state.progress();
    expect(progressFromMemo({ progress: whole })).toEqual(whole);
    publish();
    state.markRunning('verify-kore-access');
    publish();
    // A run that took the patch mid-chain still holds its predecessor's document: the compact keys win.
    expect(progressFromMemo({ progress: whole, ...memoAfter() })?.steps[0]?.state).toBe('running');
    const memo = memoAfter();
    delete memo['step.place-test-call'];
    expect(progressFromMemo(memo)).toBeUndefined();
    expect(progressFromMemo({})).toBeUndefined();
  });
});
