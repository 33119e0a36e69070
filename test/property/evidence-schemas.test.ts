import fc from 'fast-check';
import { z } from 'zod';
import { CompleteStepInput } from '../../src/app';
import { STEPS, type HumanStepDefinition, type HumanStepId, type StepId } from '../../src/domain/steps';
import { publicTenant, TenantInput } from '../../src/domain/tenant';
import { shownKey } from '../../src/domain/validation';
import { Refusal } from '../../workflows/contract';
import { OnboardingState } from '../../workflows/state';
import { validateComplete } from '../../workflows/validators';
import {
  anyFieldValue,
  didish,
  fqdnish,
  isE164,
  isFqdn,
  isOneLineText,
  isSipUri,
  nastyString,
  PROTO_KEYS,
  prototypeIsClean,
  runs,
  sipUriish,
  wrongType,
} from './adversarial';

/**
 * Every human step's evidence, attacked through the workflow's own `completeStep` validator (pure,
 * no Temporal needed): a refusal is a `Refusal` naming each wrong field as `evidence.<field>` in one
 * line; evidence the rule allows is accepted as given (trimmed). The same rules run in the Update's
 * validator, so what holds here holds for people, the CLI and the API.
 */
const tenant = TenantInput.parse({
  tenantId: 'acme-props',
  displayName: 'Acme',
  kore: { region: 'us', botId: 'st-acme', clientId: 'cs-acme', clientSecret: 'env:KORE' },
  zoom: { accountId: 'acc', clientId: 'zc', clientSecret: 'env:ZOOM' },
  agentTransfer: { option: 'dialog-task', target: '+14155550123' },
  contacts: { owner: 'owner@acme.example' },
});

/** A run where every human step is open and no other step's evidence is known (so only each step's own rules apply). */
function openRun(): OnboardingState {
  const state = new OnboardingState(publicTenant(tenant), '2026-11-25T00:00:00Z');
  for (const s of STEPS) if (s.kind === 'human') state.open(s.id as StepId);
  return state;
}

const HUMAN = STEPS.filter((s) => s.kind === 'human') as HumanStepDefinition[];
/** Each human step's evidence schema, by step id (the schema lives on the step). */
const EVIDENCE: Record<string, z.ZodObject> = Object.fromEntries(HUMAN.map((s) => [s.id, s.evidence]));
const sessionRule = (s: string) => {
  const t = s.trim();
  return t.length >= 6 && t.length <= 64 && [...t].every((c) => /^[A-Za-z0-9_-]$/.test(c));
};

/** Each evidence field: a valid value, its independent rule, and values aimed at its edges. */
const FIELDS: Record<string, { valid: string; rule: (s: string) => boolean; values: fc.Arbitrary<string> }> = {
  experienceFlowName: { valid: 'Kore Voice Experience', rule: (s) => isOneLineText(s, 120), values: nastyString },
  connectorName: { valid: 'Acme connector', rule: (s) => isOneLineText(s, 120), values: nastyString },
  domain: { valid: 'a1b2c3d4.kore-connector.zoomcc.example', rule: isFqdn, values: fc.oneof(fqdnish, nastyString) },
  did: { valid: '+14155550142', rule: isE164, values: fc.oneof(didish, nastyString) },
  sipUri: { valid: 'sip:st-acme@a1b2c3d4.kore-connector.zoomcc.example', rule: isSipUri, values: fc.oneof(sipUriish, nastyString) },
  attachedFlowName: { valid: 'Kore Voice Experience', rule: (s) => isOneLineText(s, 120), values: nastyString },
  option: {
    valid: 'dialog-task',
    rule: (s) => s === 'dialog-task',
    values: fc.oneof(nastyString, fc.constantFrom('dialog-task', 'agent-transfer-node', 'DIALOG-TASK', ' dialog-task')),
  },
  flowName: { valid: 'Main IVR', rule: (s) => isOneLineText(s, 120), values: nastyString },
  model: { valid: 'XO GPT', rule: (s) => isOneLineText(s, 120), values: nastyString },
  comment: { valid: 'first publish', rule: (s) => isOneLineText(s, 500), values: nastyString },
  sessionId: {
    valid: '65f1c0ffee00aa11bb22cc33',
    rule: sessionRule,
    values: fc.oneof(nastyString, fc.string({ unit: fc.constantFrom(...'aZ09_-. \u200b'), maxLength: 70 })),
  },
};

const fieldsOf = (id: HumanStepId) => Object.keys(EVIDENCE[id]!.shape);
const validEvidence = (id: HumanStepId) => Object.fromEntries(fieldsOf(id).map((f) => [f, FIELDS[f]!.valid]));

/** The validator's verdict; anything thrown that is not a Refusal fails the property. */
function verdict(stepId: string, evidence: unknown): { ok: true; evidence: Record<string, unknown> } | { ok: false; refusal: Refusal } {
  try {
    return { ok: true, evidence: validateComplete(openRun(), { stepId, evidence, by: 'pat@acme.example' }).evidence };
  } catch (err) {
    if (err instanceof Refusal) return { ok: false, refusal: err };
    throw err;
  }
}

afterEach(() => expect(prototypeIsClean()).toBe(true));

describe('evidence under bad input, every human step', () => {
  it('the table covers every field of every human step in the catalogue', () => {
    expect(HUMAN.map((s) => s.id).sort()).toEqual(Object.keys(EVIDENCE).sort());
    for (const s of HUMAN) expect(s.evidence).toBeInstanceOf(z.ZodObject);
    for (const s of HUMAN) for (const f of fieldsOf(s.id)) expect(FIELDS).toHaveProperty(f);
    for (const s of HUMAN) expect(verdict(s.id, validEvidence(s.id))).toEqual({ ok: true, evidence: validEvidence(s.id) });
  });

  const cases = HUMAN.flatMap((s) => fieldsOf(s.id).map((f) => [s.id, f] as const));
  it.each(cases)('%s.%s: refused by name exactly when its rule says invalid; kept (trimmed) when valid', (stepId, field) => {
    const { rule, values } = FIELDS[field]!;
    fc.assert(
      fc.property(values, (value) => {
        const v = verdict(stepId, { ...validEvidence(stepId), [field]: value });
        if (rule(value)) {
          expect(v).toEqual({ ok: true, evidence: { ...validEvidence(stepId), [field]: value.trim() } });
        } else {
          expect(v.ok).toBe(false);
          if (!v.ok) {
            expect(['InvalidEvidence', 'EvidenceMismatch']).toContain(v.refusal.code);
            expect(v.refusal.fields.map((f) => f.field)).toEqual([`evidence.${field}`]);
            expect(v.refusal.message.startsWith(`${stepId}: evidence.${field} `)).toBe(true);
            expect(v.refusal.message).not.toMatch(/[\r\n\u2028\u2029]/);
          }
        }
      }),
      { numRuns: runs(150) },
    );
  });

  it('a wrong type or a missing value in any field is refused, naming the field', () => {
    const field = fc.constantFrom(...cases);
    fc.assert(
      fc.property(field, fc.oneof(wrongType, anyFieldValue), ([stepId, f], value) => {
        fc.pre(typeof value !== 'string' && !(f === 'sessionId' && value === undefined));
        const v = verdict(stepId, { ...validEvidence(stepId), [f]: value });
        expect(v.ok).toBe(false);
        if (!v.ok) expect(v.refusal.fields.map((x) => x.field)).toEqual([`evidence.${f}`]);
      }),
      { numRuns: runs(300) },
    );
  });

  it('unknown fields, prototype keys included, are named; a __proto__ key is refused, never dropped', () => {
    const step = fc.constantFrom(...HUMAN.map((s) => s.id));
    const key = fc.oneof(fc.constantFrom(...PROTO_KEYS, 'diid', 'toString', 'hasOwnProperty'), nastyString);
    fc.assert(
      fc.property(step, key, anyFieldValue, (stepId, k, value) => {
        fc.pre(!fieldsOf(stepId).includes(k));
        const evidence = { ...validEvidence(stepId), ...JSON.parse(`{${JSON.stringify(k)}: ${JSON.stringify(value ?? null)}}`) };
        const v = verdict(stepId, evidence);
        expect(v.ok).toBe(false);
        if (!v.ok) {
          expect(v.refusal.fields.map((x) => x.field)).toContain(`evidence.${shownKey(k)}`);
          expect(v.refusal.message).not.toMatch(/[\r\n\u2028\u2029]/);
        }
        expect(prototypeIsClean()).toBe(true);
      }),
      { numRuns: runs(300) },
    );
  });

  it('garbage messages and evidence: only ever a Refusal, each field named, each message one line', () => {
    const stepId = fc.oneof(fc.constantFrom(...HUMAN.map((s) => s.id)), nastyString);
    const evidence = fc.oneof(fc.anything({ maxDepth: 3 }), fc.dictionary(nastyString, anyFieldValue, { maxKeys: 4 }), wrongType);
    fc.assert(
      fc.property(stepId, evidence, (id, e) => {
        const v = verdict(id, e);
        if (!v.ok) {
          expect(v.refusal.message).not.toMatch(/[\r\n\u2028\u2029]/);
          for (const f of v.refusal.fields) expect(f.field).toMatch(/^(evidence\.|evidence$|stepId$|by$)/);
        }
      }),
      { numRuns: runs(400) },
    );
    // The message schema itself, with a message that is not even an object.
    fc.assert(
      fc.property(fc.anything(), (m) => void CompleteStepInput.safeParse(m)),
      { numRuns: runs(200) },
    );
  });
});
