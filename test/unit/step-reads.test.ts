import fs from 'node:fs';
import path from 'node:path';
import { STEPS, catalogue, type InstructionContext, type StepDefinition } from '../../src/domain/steps';
import { parseTenantFile, publicTenant, type PublicTenant } from '../../src/domain/tenant';

/**
 * Each step file says what it reads (tenant fields, earlier evidence), so a later amendment can
 * reopen exactly the steps that read what changed. These tests hold the declarations to the code:
 * instructions and cross-checks are run against recording proxies, and whatever they touch must
 * be declared; every declaration must name a real tenant field or an earlier step's evidence field.
 */
const example = parseTenantFile(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'tenant.example.json'), 'utf8')));
const withAdmin = {
  ...example,
  kore: { ...example.kore, adminApp: { clientId: 'cs-admin-1', clientSecret: 'admin-secret' }, goldenBotId: 'st-golden-1' },
  stepModes: { 'publish-zcc-flow': 'auto' as const },
};

/** A tenant whose every primitive read is recorded as a dotted path. */
function recording<T extends object>(value: T, seen: Set<string>, prefix = ''): T {
  return new Proxy(value, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      if (typeof key !== 'string') return v;
      const at = prefix ? `${prefix}.${key}` : key;
      if (v && typeof v === 'object' && !Array.isArray(v)) return recording(v as object, seen, at);
      seen.add(at);
      return v;
    },
    ownKeys(target) {
      seen.add(prefix);
      return Reflect.ownKeys(target);
    },
  });
}

const EVIDENCE: InstructionContext['evidence'] = {
  'associate-experience-flow': { experienceFlowName: 'Voice' },
  'create-zoom-connector': { connectorName: 'c', domain: 'x1.zoomcc.example.com', did: '+14155550142' },
  'configure-sip-trunk': { sipUri: 'sip:a@x1.zoomcc.example.com', attachedFlowName: 'Voice' },
  'configure-agent-transfer': { option: 'agent-transfer-node' },
  'route-zcc-flow-to-connector': { flowName: 'Entry' },
  'enable-conversation-summary': { model: 'm' },
  'publish-app': { comment: 'go' },
  'place-test-call': {},
};

/** The public tenant's name for a field, as the tenant file names it. */
const fileField = (p: string) => p.replace(/^kore\.adminAppClientId$/, 'kore.adminApp.clientId');

function traced(step: StepDefinition, tenant: PublicTenant): { tenant: Set<string>; evidenceSteps: Set<string> } {
  const tenantReads = new Set<string>();
  const evidenceSteps = new Set<string>();
  const evidence = new Proxy(EVIDENCE, {
    get(target, key, receiver) {
      if (typeof key === 'string' && Object.hasOwn(target, key)) evidenceSteps.add(key);
      return Reflect.get(target, key, receiver);
    },
  });
  const ctx: InstructionContext = { tenant: recording(tenant, tenantReads), evidence };
  step.instructions(ctx);
  // What a console step says while an API does it reads the tenant too.
  if (step.kind === 'human') step.automation?.instructions(ctx);
  if (step.kind === 'human' && step.crossCheck) step.crossCheck(step.evidence.parse(EVIDENCE[step.id] ?? {}), ctx);
  return { tenant: new Set([...tenantReads].filter(Boolean).map(fileField)), evidenceSteps };
}

const variants: PublicTenant[] = [
  publicTenant(example),
  publicTenant(withAdmin),
  publicTenant({ ...example, kore: { ...example.kore, smartAssistLegacy: true } }),
  publicTenant({ ...example, agentTransfer: { ...example.agentTransfer, option: 'dialog-task' } }),
];

describe.each(STEPS.map((s) => [s.id, s] as const))('%s', (_id, step) => {
  it('declares every tenant field and every earlier step whose evidence its instructions and cross-check read', () => {
    for (const tenant of variants) {
      const reads = traced(step, tenant);
      const declared = step.reads.tenant as readonly string[];
      const undeclared = [...reads.tenant].filter((p) => !declared.some((d) => p === d || p.startsWith(`${d}.`)));
      expect(undeclared).toEqual([]);
      const declaredSteps = new Set(step.reads.evidence.map((e) => e.split('.')[0]));
      expect([...reads.evidenceSteps].filter((s) => !declaredSteps.has(s))).toEqual([]);
    }
  });

  it('declares only real tenant fields', () => {
    for (const field of step.reads.tenant) {
      let v: unknown = withAdmin;
      for (const k of field.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
      expect([field, v === undefined ? 'missing' : 'present']).toEqual([field, 'present']);
    }
  });

  it('declares only evidence fields of steps it (transitively) depends on', () => {
    const c = catalogue();
    const upstream = new Set<string>();
    const walk = (id: string) => c.get(id)?.dependsOn.forEach((d) => (upstream.has(d) ? undefined : (upstream.add(d), walk(d))));
    walk(step.id);
    for (const ref of step.reads.evidence) {
      const [stepId, field] = ref.split('.') as [string, string];
      const source = c.get(stepId);
      expect([ref, upstream.has(stepId)]).toEqual([ref, true]);
      expect([ref, source?.kind === 'human' && Object.hasOwn(source.evidence.shape, field)]).toEqual([ref, true]);
    }
  });
});

it('the recorder itself sees a read (a step reading an undeclared field would fail above)', () => {
  const seen = new Set<string>();
  const t = recording(publicTenant(example), seen);
  void t.kore.botId;
  void t.agentTransfer.sipHeaders;
  expect([...seen]).toEqual(['kore.botId']);
  void Object.entries(t.agentTransfer.sipHeaders);
  expect(seen.has('agentTransfer.sipHeaders')).toBe(true);
});
