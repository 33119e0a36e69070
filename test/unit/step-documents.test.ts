import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parseTenantFile, publicTenant } from '../../src/domain/tenant';
import type { StepId } from '../../src/domain/steps';
import { CarriedState } from '../../workflows/contract';
import { progressOf } from '../../workflows/progress';
import { AUTOMATION, OnboardingState } from '../../workflows/state';

/**
 * The run keeps each step's progress document until something it is built from changes
 * (workflows/progress.ts, StepDocuments). Whatever happens to a run, what it shows must be what a
 * document built from scratch shows: any input the cache forgot to watch fails here.
 */
const tenant = publicTenant(parseTenantFile(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'tenant.example.json'), 'utf8'))));
const fresh = () => new OnboardingState(tenant, '2026-01-01T00:00:00.000Z');
const IDS = fresh().catalogue.ids as readonly StepId[];

type Op = (s: OnboardingState, id: StepId, n: number) => void;
const OPS: Record<string, Op> = {
  open: (s, id) => void s.open(id),
  running: (s, id) => s.markRunning(id),
  stillWaiting: (s, id, n) => s.stillWaiting(id, `not yet ${n}`, n % 2 ? 'awaiting-approval' : 'running'),
  // create-zoom-connector's evidence feeds other steps' instructions (the domain and DID).
  claimDone: (s, id, n) => {
    s.claim(id, { connectorName: `Acme ${n}`, domain: `d${n}.kore-connector.zoomcc.example.com`, did: `+1415555010${n % 10}` }, 'pat');
    s.markDone(id);
  },
  claimVerifying: (s, id, n) => {
    s.claim(id, { experienceFlowName: `Flow ${n}` }, 'sam');
    s.markVerifying(id);
  },
  reject: (s, id, n) => s.rejectClaim(id, `finding ${n}`),
  doneByApi: (s, id, n) => s.markDone(id, { result: { n }, by: AUTOMATION }),
  attention: (s, id, n) => s.needsAttention(id, `broken ${n}`),
  skip: (s, id, n) => s.skip(id, `not needed ${n}`, 'pat'),
  remind: (s, id) => s.remind(id),
  escalate: (s, id) => s.escalate(id),
  reopen: (s, id, n) => s.reopen([id], { by: 'pat', reason: `again ${n}`, origin: 'reopenStep' }),
  decide: (s, id) => void s.decideMode(s.catalogue.get(id)!, { again: true }),
  handToPerson: (s, id, n) => s.handToPerson(id, `refused ${n}`),
  amend: (s, _id, n) => s.amendTenant({ ...s.tenant, displayName: `Acme ${n}` }, { by: 'pat', reason: 'rename', fields: ['displayName'], reopened: [] }),
  audit: (s, id) => s.audit({ action: 'retry', outcome: 'refused', channel: 'update', stepId: id, by: 'pat', byVerified: true }),
  cancel: (s, _id, n) => s.cancel(`stop ${n}`, 'pat'),
};

const op = fc.record({ kind: fc.constantFrom(...Object.keys(OPS)), step: fc.constantFrom(...IDS), n: fc.nat(30) });

describe('step documents kept between changes', () => {
  it('equal documents built from scratch after any sequence of transitions (and a continue-as-new)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.nat(40), (ops, carryAt) => {
        let s = fresh();
        ops.forEach(({ kind, step, n }, i) => {
          if (i === carryAt) {
            // A continued run: rows replaced by the carried ones.
            const next = fresh();
            next.restore(CarriedState.parse(JSON.parse(JSON.stringify(s.snapshot({})))));
            s = next;
          }
          OPS[kind]!(s, step, n);
          const shown = s.progress();
          expect(shown).toEqual(progressOf(s));
          for (const def of s.steps) expect(s.stepProgress(def)).toEqual(shown.steps.find((x) => x.id === def.id));
        });
      }),
      { numRuns: 150 },
    );
  });

  it("builds again only the documents a change reaches: the step's own, and blocked steps whose wait it ends", () => {
    const s = fresh();
    const before = s.progress().steps;
    s.markRunning('verify-kore-access');
    const running = s.progress().steps;
    expect(running.filter((d, i) => d !== before[i]).map((d) => d.id)).toEqual(['verify-kore-access']);
    s.markDone('verify-kore-access', { result: { ok: 1 }, by: AUTOMATION });
    const done = s.progress().steps;
    const rebuilt = done.filter((d, i) => d !== running[i]).map((d) => d.id);
    expect(rebuilt[0]).toBe('verify-kore-access');
    // Steps that waited on it (their waitingFor changed); no step that did not.
    for (const d of done.slice(1)) {
      const changed = rebuilt.includes(d.id);
      expect(changed).toBe(d.dependsOn.includes('verify-kore-access'));
    }
  });
});
