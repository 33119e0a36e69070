import { stepCatalogue } from '../../src/api/routes/steps';
import { CATALOGUES, type StepDefinition } from '../../src/domain/steps';
import { ShownTenant } from '../../workflows/contract';

/**
 * The dashboard's evidence forms come from the step files (issue 19): every field of every console
 * step, in every catalogue a run may follow, says what it is in words, where to find it, its format
 * and an example that its own schema accepts; the values it says are known resolve to real fields.
 */
type Json = Record<string, any>;
const served = stepCatalogue();
const byId = new Map(served.steps.map((s) => [s.id, s]));
// One per id: a step's versions in older catalogues share its evidence schema (the check below holds them to it).
const humanSteps = [
  ...new Map(
    Object.values(CATALOGUES).flatMap((c) => (c as readonly StepDefinition[]).filter((s) => s.kind === 'human').map((s) => [s.id, s] as const)),
  ).values(),
];

describe('evidence fields as the step catalogue serves them', () => {
  it('keeps one evidence schema per step across catalogue versions (so one form serves a run of any version)', () => {
    for (const c of Object.values(CATALOGUES))
      for (const s of c as readonly StepDefinition[])
        if (s.kind === 'human') expect(s.evidence).toBe((humanSteps.find((d) => d.id === s.id) as typeof s).evidence);
  });

  it('lists every step of every catalogue once, current catalogue first', () => {
    const ids = served.steps.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of Object.values(CATALOGUES)) for (const s of c) expect(ids).toContain(s.id);
    expect(ids.slice(0, CATALOGUES[served.version as 4].length)).toEqual(CATALOGUES[served.version as 4].map((s) => s.id));
  });

  it.each(humanSteps.flatMap((def) => Object.keys(def.kind === 'human' ? def.evidence.shape : {}).map((f) => [def.id, f, def] as const)))(
    '%s.%s has a label in words, help, a format and an example its schema accepts',
    (id, f, def) => {
      const prop = (byId.get(id)!.evidence as Json).properties[f] as Json;
      expect(prop.title).toEqual(expect.any(String));
      // A label in words, not the raw key (experienceFlowName, sipUri).
      expect(prop.title).not.toBe(f);
      expect(prop.title).toMatch(/^[A-Z][A-Za-z .]+$/);
      expect(prop.description.length).toBeGreaterThan(30);
      expect(prop['x-format']).toEqual(expect.any(String));
      expect(prop.examples).toHaveLength(1);
      if (def.kind !== 'human') throw new Error('not a console step');
      const field = def.evidence.shape[f] as { safeParse: (v: unknown) => { success: boolean } };
      expect(field.safeParse(prop.examples[0]).success).toBe(true);
      if (prop.enum) expect(Object.keys(prop['x-options'])).toEqual(prop.enum);
    },
  );

  it('says which fields are optional (only the test call session id) and which are phone numbers (the connector DID)', () => {
    const optional = served.steps.flatMap((s) => {
      const e = s.evidence as Json | undefined;
      return e
        ? Object.keys(e.properties)
            .filter((f) => !(e.required ?? []).includes(f))
            .map((f) => `${s.id}.${f}`)
        : [];
    });
    expect(optional).toEqual(['place-test-call.sessionId']);
    const phones = served.steps.flatMap((s) =>
      Object.entries(((s.evidence as Json | undefined)?.properties ?? {}) as Json)
        .filter(([, p]) => p['x-normalise'] === 'phone')
        .map(([f]) => `${s.id}.${f}`),
    );
    expect(phones).toEqual(['create-zoom-connector.did']);
  });

  it('fills in only what the run knows: each x-known names a tenant field readers see or an earlier step field', () => {
    const known = served.steps.flatMap((s) =>
      Object.entries(((s.evidence as Json | undefined)?.properties ?? {}) as Json)
        .filter(([, p]) => p['x-known'])
        .map(([f, p]) => [s.id, f, p['x-known']] as [string, string, Json]),
    );
    expect(known.map(([id, f]) => `${id}.${f}`).sort()).toEqual(['configure-agent-transfer.option', 'configure-sip-trunk.attachedFlowName']);
    for (const [id, , ref] of known) {
      if (ref.tenant) {
        let shape: any = ShownTenant.shape;
        for (const k of String(ref.tenant).split('.')) shape = (shape[k] as any)?.shape ?? shape[k];
        expect(shape).toBeDefined();
      } else {
        const [stepId, f] = String(ref.evidence).split('.');
        const def = humanSteps.find((s) => s.id === stepId)!;
        expect(def.kind === 'human' && Object.keys(def.evidence.shape)).toContain(f);
        // An earlier step: the one the field reads is among the step's dependencies.
        expect(humanSteps.find((s) => s.id === id)!.dependsOn).toContain(stepId);
      }
    }
  });
});
