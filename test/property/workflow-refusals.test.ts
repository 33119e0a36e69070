import fc from 'fast-check';
import type { z } from 'zod';
import { Person, Refused, type Progress, type RefusalCode } from '../../src/app';
import { NonBlank } from '../../src/domain/validation';
import { catalogue, STEPS, STEP_IDS, type HumanStepDefinition, type HumanStepId } from '../../src/domain/steps';
import type { TenantInput } from '../../src/domain/tenant';
import { startHarness, type Harness } from '../support/onboarding';
import { anyFieldValue, nastyString, PROTO_KEYS, runs, wrongType } from './adversarial';

/**
 * Bad messages sent to a real running onboarding through its Updates: each is refused by the
 * Update's validator with one of the workflow's refusal codes, and the run's progress is the same
 * afterwards (a refusal changes nothing). Each run is a round trip to Temporal, so runs are few.
 */
const CODES: RefusalCode[] = [
  'InvalidInput',
  'UnknownStep',
  'StepNotOpen',
  'StepAlreadyDone',
  'StepBusy',
  'InvalidEvidence',
  'EvidenceMismatch',
  'NotSkippable',
  'NotRetryable',
  'RunFinished',
];

let h: Harness;
let tenant: TenantInput;
beforeAll(async () => {
  h = await startHarness();
  tenant = await h.start();
  // Several human steps open at once: the connector, the flow, the chat-history scope, XO GPT's policy.
  await h.until(tenant.tenantId, (p) =>
    ['create-zoom-connector', 'associate-experience-flow', 'accept-genai-policy'].every((id) => p.steps.find((s) => s.id === id)!.state === 'open'),
  );
});
afterAll(() => h?.stop());

/** Progress as state, all of it: a refusal must not even move `updatedAt` (the time of the last change). */
/** All of progress but the audit trail, which records each refusal (reported by the app as a Signal, so it lands a moment later). */
const stateOf = ({ audit: _audit, ...p }: Progress) => p;

/** Each human step's evidence schema, by step id (the schema lives on the step). */
const EVIDENCE: Record<string, z.ZodObject> = Object.fromEntries(
  (STEPS.filter((s) => s.kind === 'human') as HumanStepDefinition[]).map((s) => [s.id, s.evidence]),
);

const humanStep = fc.constantFrom(...(Object.keys(EVIDENCE) as HumanStepId[]));
const anyStepId = fc.oneof(fc.constantFrom(...STEP_IDS), nastyString, fc.constantFrom(...PROTO_KEYS, 'make-coffee', ''));
const anyBy = fc.oneof({ weight: 4, arbitrary: fc.constant('pat@acme.example') }, { weight: 1, arbitrary: fc.oneof(nastyString, wrongType) });
/** Evidence that is wrong somewhere: a field with a nasty value or the wrong type, an unknown or prototype key, or not an object. */
const badEvidence = fc.oneof(
  fc
    .dictionary(fc.oneof(nastyString, fc.constantFrom('domain', 'did', 'connectorName', 'experienceFlowName', 'model', ...PROTO_KEYS)), anyFieldValue, {
      minKeys: 1,
      maxKeys: 3,
    })
    .map((d) => JSON.parse(JSON.stringify(d))),
  wrongType,
  fc.constantFrom(...PROTO_KEYS).map((k) => JSON.parse(`{"${k}": {"polluted": "yes"}}`)),
);

type Message =
  | { kind: 'complete'; arg: { stepId: unknown; evidence: unknown; by: unknown } }
  | { kind: 'retry'; arg: { stepId: unknown; by: unknown } }
  | { kind: 'skip'; arg: { stepId: unknown; reason: unknown; by: unknown } };

const message: fc.Arbitrary<Message> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ stepId: fc.oneof(humanStep, anyStepId), evidence: badEvidence, by: anyBy }).map((arg) => ({ kind: 'complete' as const, arg })),
  },
  { weight: 1, arbitrary: fc.record({ stepId: anyStepId, by: anyBy }).map((arg) => ({ kind: 'retry' as const, arg })) },
  {
    weight: 1,
    arbitrary: fc.record({ stepId: anyStepId, reason: fc.oneof(nastyString, wrongType), by: anyBy }).map((arg) => ({ kind: 'skip' as const, arg })),
  },
);

/** Messages the workflow would rightly accept are not bad input; leave them out. */
function couldBeAccepted(m: Message): boolean {
  const stepId = m.arg.stepId;
  const by = Person.safeParse(m.arg.by).success;
  if (m.kind === 'complete') {
    const schema = typeof stepId === 'string' && Object.hasOwn(EVIDENCE, stepId) ? EVIDENCE[stepId] : undefined;
    return by && schema !== undefined && schema.safeParse(m.arg.evidence ?? {}).success;
  }
  if (m.kind === 'skip')
    return by && typeof stepId === 'string' && catalogue().get(stepId)?.skippable === true && NonBlank(500).safeParse(m.arg.reason).success;
  return false; // nothing needs attention, so no retry is possible
}

describe('a running onboarding refuses bad messages and stays as it was', () => {
  it('completeStep, retryStep and skipStep with bad ids, evidence, people and reasons', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(message, async (m) => {
        fc.pre(!couldBeAccepted(m));
        const before = await h.progress(tenant.tenantId);
        const sent =
          m.kind === 'complete'
            ? h.onboardings.complete(tenant.tenantId, m.arg as never)
            : m.kind === 'retry'
              ? h.onboardings.retry(tenant.tenantId, m.arg as never)
              : h.onboardings.skip(tenant.tenantId, m.arg as never);
        const err = await sent.then(
          (r) => new Error(`accepted: ${JSON.stringify(r)}`),
          (e: unknown) => e,
        );
        // Refused: the Update failed with one of the workflow's refusal codes (anything else is rethrown as is).
        expect(err).toBeInstanceOf(Refused);
        const refusal = err as Refused;
        expect(CODES).toContain(refusal.code);
        expect(refusal.message).not.toMatch(/[\r\n\u2028\u2029]/);
        seen.add(refusal.code);
        expect(stateOf(await h.progress(tenant.tenantId))).toEqual(stateOf(before));
      }),
      { numRuns: runs(40) },
    );
    // The run met more than one kind of refusal, so the generator reaches past the first check.
    expect(seen.size).toBeGreaterThan(1);
    const after = await h.progress(tenant.tenantId);
    expect(
      after.steps
        .filter((s) => s.state === 'done')
        .map((s) => s.id)
        .sort(),
    ).toEqual(['verify-kore-access', 'verify-zoom-access']);
  });
});
