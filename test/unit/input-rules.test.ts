import { STEPS, type HumanStepDefinition } from '../../src/domain/steps';
import { parseTenantFile, TenantInput } from '../../src/domain/tenant';
import { issueLines, quoted } from '../../src/domain/validation';
import { exampleTenantJson, tenantErrors } from '../support/tenant-examples';

/**
 * What the security probe of issue 12 got through the tenant file and the evidence: reminders every
 * second, a 60 KB transfer target, bidi overrides and line separators in SIP header values,
 * zero-width characters in evidence. Each is refused now, by field, in one line.
 */
const example = exampleTenantJson();
const errors = tenantErrors;
const withReminders = (r: Record<string, string>) => ({ ...example, reminders: { ...example.reminders, ...r } });
const withTransfer = (t: Record<string, unknown>) => ({ ...example, agentTransfer: { ...example.agentTransfer, ...t } });

const HUMAN = STEPS.filter((s) => s.kind === 'human') as HumanStepDefinition[];
const evidenceSchema = (id: string) => HUMAN.find((s) => s.id === id)!.evidence;
/** The step's own evidence check, as `evidence.<field>: message` lines (the workflow's validator adds the step id). */
function evidenceErrors(stepId: string, evidence: Record<string, unknown>): string[] {
  const r = evidenceSchema(stepId).safeParse(evidence);
  return r.success ? [] : issueLines(r.error, 'evidence');
}

describe('reminders: at least 5 minutes apart (issue 12, finding 4)', () => {
  const SOONER = "must be at least 5m (reminders sooner flood the owner and grow the run's history)";
  const OFTEN = "must be at least 5m (reminders more often flood the owner and grow the run's history)";
  const ESCALATE = 'must be at least 5m (an escalation sooner leaves the person no time to act)';

  it("the probe's tenant (a reminder every second) is refused, one line per field", () => {
    expect(errors(withReminders({ firstAfter: '1s', every: '1s', escalateAfter: '1s' }))).toEqual([
      `reminders.firstAfter: ${SOONER}`,
      `reminders.every: ${OFTEN}`,
      `reminders.escalateAfter: ${ESCALATE}`,
    ]);
  });

  it.each([
    ['firstAfter', '4m59s', SOONER],
    ['every', '299s', OFTEN],
    ['escalateAfter', '4m', ESCALATE],
  ])('reminders.%s = %s is refused', (field, value, message) => {
    expect(errors(withReminders({ [field]: value }))).toEqual([`reminders.${field}: ${message}`]);
  });

  it('5 minutes is enough, in any spelling; the defaults stay', () => {
    expect(errors(withReminders({ firstAfter: '5m', every: '300s', escalateAfter: '4m60s' }))).toEqual([]);
    expect(parseTenantFile({ ...example, reminders: undefined }).reminders).toEqual({ firstAfter: '4h', every: '1d', escalateAfter: '2d' });
  });

  it('the workflow input has the same floor (a run cannot be started around the tenant file with fast reminders)', () => {
    const t = parseTenantFile(example);
    const refs = { ...t, kore: { ...t.kore, clientSecret: 'env:K' }, zoom: { ...t.zoom, clientSecret: 'env:Z' } };
    expect(TenantInput.safeParse(refs).success).toBe(true);
    expect(TenantInput.safeParse({ ...refs, reminders: { ...refs.reminders, every: '1s' } }).success).toBe(false);
  });
});

describe('length caps (issue 12, finding 8)', () => {
  it('a 60 KB transfer target is refused by its length', () => {
    expect(errors(withTransfer({ target: `sip:${'a'.repeat(60_000)}@zcc.example.com` }))).toEqual(['agentTransfer.target: is longer than 256 characters']);
  });

  it('SIP URIs: 256 characters pass, 257 do not (transfer target and configure-sip-trunk evidence)', () => {
    const uri = (n: number) => `sip:${'u'.repeat(n - 'sip:@zcc.example.com'.length)}@zcc.example.com`;
    expect(uri(256)).toHaveLength(256);
    expect(errors(withTransfer({ target: uri(256) }))).toEqual([]);
    expect(errors(withTransfer({ target: uri(257) }))).toEqual(['agentTransfer.target: is longer than 256 characters']);
    expect(evidenceErrors('configure-sip-trunk', { sipUri: uri(256), attachedFlowName: 'Main' })).toEqual([]);
    expect(evidenceErrors('configure-sip-trunk', { sipUri: uri(257), attachedFlowName: 'Main' })).toEqual(['evidence.sipUri: is longer than 256 characters']);
    expect(evidenceErrors('configure-sip-trunk', { sipUri: `sip:${'a'.repeat(60_000)}@x.example`, attachedFlowName: 'Main' })).toEqual([
      'evidence.sipUri: is longer than 256 characters',
    ]);
  });
});

describe('one set of character rules for what people type (issue 12, finding 8)', () => {
  const LINE = (cp: string) => `must be one line (it holds a line break, U+${cp})`;
  const BIDI = (cp: string) => `must not contain bidi controls, which reorder what is shown (it holds U+${cp})`;
  const INVISIBLE = (cp: string) => `must not contain invisible characters (it holds U+${cp})`;
  const CONTROL = (cp: string) => `must not contain control characters (it holds U+${cp})`;

  it.each([
    ['a\u202eb', BIDI('202E')],
    ['a\u2028b', LINE('2028')],
    ['a\u0085b', LINE('0085')],
    ['a\u2066b', BIDI('2066')],
    ['a\u200bb', INVISIBLE('200B')],
    ['a\tb', CONTROL('0009')],
    ['a\x1b[31mb', CONTROL('001B')],
  ])('SIP header value %j is refused: %s', (value, message) => {
    expect(errors(withTransfer({ sipHeaders: { 'X-Queue': value } }))).toEqual([`agentTransfer.sipHeaders.X-Queue: ${message}`]);
  });

  it.each([
    ['\u200b', INVISIBLE('200B')],
    ['\ufeff', INVISIBLE('FEFF')],
    ['\u200c', INVISIBLE('200C')],
    ['\u200d', INVISIBLE('200D')],
    ['\u2060', INVISIBLE('2060')],
    ['\u00ad', INVISIBLE('00AD')],
    ['\u{e0041}', INVISIBLE('E0041')],
    ['\u3164', INVISIBLE('3164')],
    ['\u200f', BIDI('200F')],
    ['\u061c', BIDI('061C')],
    ['\u202e', BIDI('202E')],
    ['\u0085', LINE('0085')],
    ['\u2029', LINE('2029')],
    ['\x9b', CONTROL('009B')],
    ['\ud800', 'must not contain broken unicode (it holds a lone surrogate, U+D800)'],
  ])('evidence names with %j inside are refused: %s', (c, message) => {
    expect(evidenceErrors('associate-experience-flow', { experienceFlowName: `Kore${c}Voice` })).toEqual([`evidence.experienceFlowName: ${message}`]);
    expect(evidenceErrors('configure-sip-trunk', { sipUri: 'sip:a@b.example', attachedFlowName: `Kore${c}Voice` })).toEqual([
      `evidence.attachedFlowName: ${message}`,
    ]);
    expect(evidenceErrors('publish-app', { comment: `first${c}publish` })).toEqual([`evidence.comment: ${message}`]);
    expect(errors({ ...example, displayName: `Acme${c}Demo` })).toEqual([`displayName: ${message}`]);
  });

  it('E.164 numbers, domains and SIP URIs say which character is wrong, not just that the shape is', () => {
    const zoom = (e: Record<string, string>) =>
      evidenceErrors('create-zoom-connector', { connectorName: 'c', domain: 'a.zoomcc.example', did: '+14155550142', ...e });
    expect(zoom({ did: '+1415\u200b5550142' })).toEqual([`evidence.did: ${INVISIBLE('200B')}`]);
    expect(zoom({ domain: 'a.zoom\u200dcc.example' })).toEqual([`evidence.domain: ${INVISIBLE('200D')}`]);
    expect(evidenceErrors('configure-sip-trunk', { sipUri: 'sip:a@b.example\u2028Via: x', attachedFlowName: 'Main' })).toEqual([
      `evidence.sipUri: ${LINE('2028')}`,
    ]);
    expect(errors(withTransfer({ target: '+1415555\u20600123' }))).toEqual([`agentTransfer.target: ${INVISIBLE('2060')}`]);
  });

  it('an error line shows an invisible character it quotes as an escape, never raw', () => {
    expect(errors(withTransfer({ sipHeaders: { 'X-\u200bQueue': 'v' } }))).toEqual([
      'agentTransfer.sipHeaders."X-\\u200bQueue": is not a valid SIP header name (letters, digits and -.!%*_+`\'~ only)',
    ]);
    expect(quoted('tag\u{e0041}\u2060\u00ad')).toBe('"tag\\udb40\\udc41\\u2060\\u00ad"');
  });

  it('what people really write still passes: accents, scripts, emoji, spaces, a trimmed line break at the end', () => {
    for (const name of ['Café Crème', 'مرحبا', 'שלום עולם', '日本語のフロー', 'Flow 🦄', 'a\u00a0b']) {
      expect(evidenceErrors('associate-experience-flow', { experienceFlowName: name })).toEqual([]);
      expect(errors(withTransfer({ sipHeaders: { 'X-Queue': name } }))).toEqual([]);
    }
    expect(evidenceSchema('associate-experience-flow').parse({ experienceFlowName: ' Main IVR\n' })).toEqual({ experienceFlowName: 'Main IVR' });
  });
});
